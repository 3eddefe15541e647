// The fuzz targets' main under the ordinary (gcc) build: runs LLVMFuzzerTestOneInput once on
// every file named on the command line (directories: every file inside, sorted), so that
// `bazel test //...` exercises each target over its seed corpus. Under --config=fuzz libFuzzer
// supplies main instead (see tests/fuzz/BUILD.bazel).
//
//   replay [--as=FORMAT] FILE_OR_DIR...
//
// --as=binpb|binpbs|json: a seed ending in .textproto is first converted to that format (the
// binary and JSON model targets are seeded from the shipped text datasets); --as=snapshot: to
// the snapshot of that model when it validates (engine/snapshot), as `coalition snapshot` would.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "coalition/v1/model.pb.h"
#include "engine/base/file_io.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/snapshot/snapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void Collect(const std::string& path, std::vector<std::string>* files) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "replay: cannot stat %s\n", path.c_str());
    std::exit(2);
  }
  if (!S_ISDIR(st.st_mode)) {
    files->push_back(path);
    return;
  }
  std::vector<std::string> inside;
  if (DIR* d = ::opendir(path.c_str())) {
    while (struct dirent* e = ::readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") inside.push_back(path + "/" + n);
    }
    ::closedir(d);
  }
  std::sort(inside.begin(), inside.end());
  for (const std::string& f : inside) Collect(f, files);
}

}  // namespace

int main(int argc, char** argv) {
  std::string as;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (absl::StartsWith(a, "--as=")) {
      as = a.substr(5);
    } else {
      Collect(a, &files);
    }
  }
  int run = 0;
  for (const std::string& f : files) {
    absl::StatusOr<std::string> bytes = coalition::ReadFile(f);
    if (!bytes.ok()) {
      std::fprintf(stderr, "replay: %s\n", bytes.status().ToString().c_str());
      return 2;
    }
    std::string input = *std::move(bytes);
    if (!as.empty() && absl::EndsWith(f, ".textproto")) {
      coalition::v1::Model m;
      coalition::SourceInfo src;
      if (as == "snapshot") {
        if (coalition::ParseMessage(input, coalition::Format::kTextProto, f, &m, &src).ok() &&
            coalition::Validate(m, src).errors() == 0) {
          auto g = coalition::graph::BuildGraph(m);
          if (g.ok()) {
            auto snap = coalition::snapshot::SerializeSnapshot(*g, m);
            if (snap.ok()) input = *std::move(snap);
          }
        }
      } else if (coalition::ParseMessage(input, coalition::Format::kTextProto, f, &m, &src).ok()) {
        auto format = coalition::ParseFormatName(as);
        auto converted = coalition::SerializeMessage(m, *format);
        if (converted.ok()) input = *std::move(converted);
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
    ++run;
  }
  std::printf("replay: %d input(s) ran clean\n", run);
  return run > 0 ? 0 : 1;
}
