// coalition: the command-line interface of the coalition interoperability engine.
//
//   coalition COMMAND [ARGS] [--flags]     COMMAND --help for its usage
//
// Exit codes: 0 ok; 1 findings at or above --fail_on (or warnings with --warnings_as_errors);
// 2 usage error or invalid input; 3 internal error. Data goes to stdout, diagnostics to stderr.
// Under `bazel run`, relative paths are resolved against the directory the user ran it from.
// Flags of type std::vector<std::string> (e.g. whatif's --embargo) are repeatable: each
// occurrence appends to the list (--embargo A --embargo B,C gives A,B,C). --mix is a single
// value for every command but `compare`, which reads every occurrence (Args::mixes).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>
#include <system_error>
#include <set>
#include <string>
#include <vector>

#include <execinfo.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/args.h"
#include "tools/commands.h"

namespace {

using coalition::tools::Command;
using coalition::tools::Commands;

constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInternal = 3;

void PrintTopUsage(std::ostream& os) {
  os << "usage: coalition COMMAND [ARGS] [--flags]\n\n"
        "Interoperability gaps and dependency risks of coalition force mixes.\n\nCommands:\n";
  for (const Command& c : Commands()) {
    os << "  " << c.name << std::string(10 - std::string(c.name).size(), ' ') << c.synopsis
       << "\n";
  }
  os << "\nRun 'coalition COMMAND --help' for a command's arguments and flags.\n"
        "Exit codes: 0 ok, 1 findings (--fail_on), 2 usage or invalid input, 3 internal error.\n";
}

void PrintCommandHelp(const Command& c, std::ostream& os) {
  os << c.usage << "\nFlags:\n";
  for (const std::string& name : c.flags) {
    const absl::CommandLineFlag* f = absl::FindCommandLineFlag(name);
    if (f == nullptr) continue;
    os << "  --" << name << " (default \"" << f->DefaultValue() << "\")\n      " << f->Help()
       << "\n";
  }
}

int ExitCodeFor(const absl::Status& s) {
  if (s.ok()) return kExitOk;
  if (coalition::tools::IsFindings(s)) return kExitFindings;
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return kExitUsage;
    default:
      return kExitInternal;
  }
}

// Loading a large model allocates tens of millions of small objects (the parsed protobuf, the
// validator's and the builder's tables); with glibc's default heap most of that time is page
// faults. When an argument names a regular file of 8 MiB or more, the process re-executes
// itself once with glibc's transparent-huge-page heap (glibc.malloc.hugetlb=1), a 64 MiB top
// pad (the heap grows in huge-page-sized steps) and one malloc arena (so the validator and
// graph-builder threads allocate from that heap too): `gaps` on a 10^6- or 10^7-edge .binpb
// takes about half the time (docs/performance.md). Nothing else differs: same argv,
// environment (plus GLIBC_TUNABLES), descriptors and working directory. Skipped when GLIBC_TUNABLES is already
// set (the user's tuning wins; it also marks the re-executed process) or
// COALITION_NO_MALLOC_TUNING is; if the exec fails the run simply continues untuned.
void MaybeReexecWithLargeHeapTuning(char** argv) {
  if (std::getenv("GLIBC_TUNABLES") != nullptr ||
      std::getenv("COALITION_NO_MALLOC_TUNING") != nullptr) {
    return;
  }
  constexpr off_t kLargeInput = off_t{8} << 20;
  bool large = false;
  for (char** a = argv + 1; *a != nullptr && !large; ++a) {
    const char* path = *a;
    if (path[0] == '-' && std::strchr(path, '=') != nullptr) path = std::strchr(path, '=') + 1;
    struct stat st;
    large = ::stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= kLargeInput;
  }
  if (!large) return;
  ::setenv("GLIBC_TUNABLES",
           "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864:glibc.malloc.arena_max=1", 1);
  ::execv("/proc/self/exe", argv);
  ::unsetenv("GLIBC_TUNABLES");  // the exec failed: run as we are
}

}  // namespace

int main(int argc, char** argv) {
  // glibc loads libgcc_s lazily, the first time an exception unwinds through one of its C
  // frames (e.g. pthread_once while protobuf builds its descriptors on the validator thread).
  // Under memory pressure that dlopen fails and glibc aborts (exit 134) instead of letting the
  // std::bad_alloc reach main. backtrace() makes glibc load and keep it now, while memory is free.
  {
    void* frame[1];
    (void)::backtrace(frame, 1);
  }
  // Under `bazel run` the binary starts in its runfiles tree: work in the directory the user ran
  // it from, so every path reads as typed (nothing below tools/ looks at the environment, so no
  // path is re-based twice). `bazel run` sets both variables; BUILD_WORKING_DIRECTORY alone (a
  // leftover in a shell, a script) is ignored, so outside `bazel run` paths are the cwd's.
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  if (const char* wd = std::getenv("BUILD_WORKING_DIRECTORY");
      wd != nullptr && *wd != '\0' && workspace != nullptr && *workspace != '\0') {
    if (::chdir(wd) != 0) {
      std::cerr << "coalition: cannot change to the working directory " << wd << "\n";
      return kExitInternal;
    }
  }
  MaybeReexecWithLargeHeapTuning(argv);
  std::vector<std::string> argv_s(argv + 1, argv + argc);
  if (argv_s.empty() || argv_s[0] == "--help" || argv_s[0] == "-h" || argv_s[0] == "help") {
    PrintTopUsage(argv_s.empty() ? std::cerr : std::cout);
    return argv_s.empty() ? kExitUsage : kExitOk;
  }
  const Command* cmd = nullptr;
  for (const Command& c : Commands()) {
    if (argv_s[0] == c.name) cmd = &c;
  }
  if (cmd == nullptr) {
    std::cerr << "coalition: unknown command '" << argv_s[0] << "'\n\n";
    PrintTopUsage(std::cerr);
    return kExitUsage;
  }
  std::vector<std::string> positional;
  std::set<std::string> list_flags_seen;  // repeatable list flags given so far
  std::vector<std::string> mix_values;    // every --mix, in order (Args::mixes)
  bool flags_done = false;
  for (size_t i = 1; i < argv_s.size(); ++i) {
    const std::string& a = argv_s[i];
    if (flags_done || a == "-" || !absl::StartsWith(a, "-")) {
      positional.push_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    if (a == "--help" || a == "-h" || a == "-help") {
      PrintCommandHelp(*cmd, std::cout);
      return kExitOk;
    }
    std::string body = a.substr(absl::StartsWith(a, "--") ? 2 : 1);
    std::string name = body, value;
    bool has_value = false;
    if (size_t eq = body.find('='); eq != std::string::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
      has_value = true;
    }
    bool negated = false;
    if (!has_value && absl::StartsWith(name, "no") &&
        std::find(cmd->flags.begin(), cmd->flags.end(), name.substr(2)) != cmd->flags.end()) {
      negated = true;
      name = name.substr(2);
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr ||
        std::find(cmd->flags.begin(), cmd->flags.end(), name) == cmd->flags.end()) {
      std::cerr << "coalition " << cmd->name << ": unknown flag '" << a << "' (see 'coalition "
                << cmd->name << " --help')\n";
      return kExitUsage;
    }
    const bool is_bool = flag->IsOfType<bool>();
    if (!has_value) {
      if (is_bool) {
        value = negated ? "false" : "true";
      } else if (i + 1 < argv_s.size()) {
        value = argv_s[++i];
      } else {
        std::cerr << "coalition " << cmd->name << ": flag '--" << name << "' needs a value\n";
        return kExitUsage;
      }
    }
    // A repeated list flag accumulates: append this occurrence to the value so far.
    if (flag->IsOfType<std::vector<std::string>>() && !list_flags_seen.insert(name).second) {
      const std::string so_far = flag->CurrentValue();
      if (!so_far.empty()) value = absl::StrCat(so_far, ",", value);
    }
    if (name == "mix") mix_values.push_back(value);  // compare compares every one
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      std::cerr << "coalition " << cmd->name << ": bad value for --" << name << ": " << error
                << "\n";
      return kExitUsage;
    }
  }
  if (static_cast<int>(positional.size()) < cmd->min_args ||
      static_cast<int>(positional.size()) > cmd->max_args) {
    std::cerr << "coalition " << cmd->name << ": expected "
              << (cmd->min_args == cmd->max_args ? absl::StrCat(cmd->min_args)
                                                 : absl::StrCat(cmd->min_args, " to ", cmd->max_args))
              << " argument(s), got " << positional.size() << "\n\n";
    PrintCommandHelp(*cmd, std::cerr);
    return kExitUsage;
  }
  absl::Status s;
  try {
    coalition::tools::Args args = coalition::tools::ReadArgs(std::move(positional));
    args.mixes = std::move(mix_values);
    s = cmd->run(args, std::cout, std::cerr);
  } catch (const std::bad_alloc&) {
    s = absl::ResourceExhaustedError(
        "out of memory: the input needs more memory than this machine has (narrow the mix, "
        "lower --max_pairs, or use a larger machine)");
  } catch (const std::system_error& e) {
    s = e.code() == std::errc::resource_unavailable_try_again
            ? absl::ResourceExhaustedError(
                  "out of memory: cannot start a thread (the input needs more memory than this "
                  "machine allows)")
            : absl::InternalError(absl::StrCat("unexpected exception: ", e.what()));
  } catch (const std::exception& e) {
    s = absl::InternalError(absl::StrCat("unexpected exception: ", e.what()));
  }
  std::cout.flush();
  if (!s.ok()) {
    std::cerr << "coalition " << cmd->name << ": " << s.message() << "\n";
  }
  // End without running static destructors: a Session may still be freeing a large parsed
  // model on a detached thread, and the process's memory goes back to the system at once.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(ExitCodeFor(s));
}
