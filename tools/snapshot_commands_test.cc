// Every analysis on a snapshot equals the analysis on the protobuf model it was written from,
// byte for byte: on every shipped mix (mix files validated against the snapshot) and on seeded
// random models (their mixes inside the snapshot). Also: convert gives the model back, and a
// damaged snapshot is refused with a clear error.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/model/load.h"
#include "engine/testing/random_model.h"
#include "engine/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/args.h"
#include "tools/commands.h"

namespace coalition::tools {
namespace {

namespace v1 = ::coalition::v1;
using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

struct Outcome {
  absl::Status status;
  std::string out, err;
};

Outcome RunOn(const std::string& command, Args a) {
  std::ostringstream out, err;
  Outcome r;
  r.status = RunCommand(command, a, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

void Snapshot(const std::string& model, const std::string& snapshot) {
  Outcome r = RunOn("snapshot", ReadArgs({model, snapshot}));
  ASSERT_OK(r.status) << r.err;
}

// The command on the model and on its snapshot: same status code, same stdout and stderr (with
// the file names replaced).
void ExpectSame(const std::string& command, const std::string& model, const std::string& snap,
                const std::string& mix, const std::vector<std::string>& formats,
                void (*tweak)(Args*) = nullptr) {
  for (const std::string& format : formats) {
    SCOPED_TRACE(absl::StrCat(command, " --format ", format, " --mix ", mix));
    Args a = ReadArgs({model});
    a.mix = mix;
    a.format = format;
    a.max_gaps = -1;
    if (tweak != nullptr) tweak(&a);
    Args b = a;
    b.positional = {snap};
    Outcome ra = RunOn(command, a);
    Outcome rb = RunOn(command, b);
    EXPECT_EQ(ra.status.code(), rb.status.code()) << ra.status << " / " << rb.status;
    EXPECT_TRUE(ra.out == rb.out) << "model:\n" << ra.out.substr(0, 2000) << "\nsnapshot:\n"
                                  << rb.out.substr(0, 2000);
  }
}

const std::vector<std::string> kShippedMixes = {
    "datasets/mixes/aukus_maritime.textproto",
    "datasets/mixes/exquisite_f35.textproto",
    "datasets/mixes/frontline_air_defence.textproto",
    "datasets/mixes/indo_pacific.textproto",
    "datasets/mixes/nato_eastern_flank_iamd.textproto",
    "datasets/mixes/quantity_f16_gripen.textproto",
};

TEST(SnapshotCommandsTest, EveryShippedMixGivesTheSameReports) {
  const std::string model = "datasets/coalition.textproto";
  const std::string snap = TempPath("coalition.snapshot");
  Snapshot(model, snap);
  for (const std::string& mix : kShippedMixes) {
    ExpectSame("gaps", model, snap, mix, {"json", "text", "csv"});
    ExpectSame("matrix", model, snap, mix, {"csv"});
    ExpectSame("risk", model, snap, mix, {"json"});
    ExpectSame("spof", model, snap, mix, {"json"});
    ExpectSame("recommend", model, snap, mix, {"json"});
    ExpectSame("whatif", model, snap, mix, {"json"}, [](Args* a) { a->embargo = {"CHN"}; });
    ExpectSame("validate", model, snap, mix, {"json"});
  }
  {
    Args a = ReadArgs({model});
    a.mixes = kShippedMixes;
    a.format = "csv";
    Args b = a;
    b.positional = {snap};
    Outcome ra = RunOn("compare", a), rb = RunOn("compare", b);
    ASSERT_OK(ra.status);
    ASSERT_OK(rb.status);
    EXPECT_EQ(ra.out, rb.out);
  }
}

TEST(SnapshotCommandsTest, RandomModelsGiveTheSameReports) {
  const uint64_t seed = testing::TestSeed();
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  for (int i = 0; i < 12; ++i) {
    testing::RandomModelOptions o;
    o.nations = 2 + i % 5;
    o.platforms = 2 + i % 9;
    o.elements = 2 + (i * 3) % 14;
    v1::Model m = testing::RandomModel(seed + i, o);
    const std::string model = TempPath(absl::StrCat("random", i, ".binpb"));
    const std::string snap = TempPath(absl::StrCat("random", i, ".snapshot"));
    ASSERT_OK(WriteMessage(m, model, Format::kBinary));
    Snapshot(model, snap);
    const std::string mix = m.mixes_size() > 0 ? m.mixes(0).name() : "";
    ExpectSame("gaps", model, snap, mix, {"json"});
    ExpectSame("matrix", model, snap, mix, {"csv"});
    ExpectSame("risk", model, snap, mix, {"json"});
    ExpectSame("spof", model, snap, mix, {"json"});
    ExpectSame("recommend", model, snap, mix, {"json"});
    ExpectSame("whatif", model, snap, mix, {"json"},
               [](Args* a) { a->remove_element = {}; a->embargo = {"N0"}; });
  }
}

TEST(SnapshotCommandsTest, ConvertGivesTheModelBack) {
  const std::string snap = TempPath("convert.snapshot");
  Snapshot("datasets/coalition.textproto", snap);
  for (const char* ext : {".textproto", ".binpb", ".json", ".binpbs"}) {
    const std::string out = TempPath(absl::StrCat("back", ext));
    Outcome r = RunOn("convert", ReadArgs({snap, out}));
    ASSERT_OK(r.status) << r.err;
    ASSERT_OK_AND_ASSIGN(LoadedModel back, LoadModel(out));
    ASSERT_OK_AND_ASSIGN(LoadedModel original, LoadModel("datasets/coalition.textproto"));
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(original.model, back.model))
        << ext;
  }
}

TEST(SnapshotCommandsTest, DamagedSnapshotIsRefusedClearly) {
  const std::string snap = TempPath("damaged.snapshot");
  Snapshot("datasets/coalition.textproto", snap);
  std::string bytes;
  {
    std::ifstream in(snap, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& b) {
    std::ofstream out(snap, std::ios::binary | std::ios::trunc);
    out << b;
  };
  // A byte of the section table: every command refuses the file.
  std::string damaged = bytes;
  damaged[130] ^= 1;
  write(damaged);
  Args a = ReadArgs({snap});
  a.mix = "datasets/mixes/frontline_air_defence.textproto";
  Outcome r = RunOn("gaps", a);
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument) << r.status;
  EXPECT_THAT(std::string(r.status.message()), HasSubstr("the snapshot is corrupt"));
  // A byte anywhere (a third in: the graph, or the model section, which only convert reads):
  // convert refuses it.
  damaged = bytes;
  damaged[bytes.size() / 3] ^= 1;
  write(damaged);
  Outcome c = RunOn("convert", ReadArgs({snap, TempPath("never.binpb")}));
  EXPECT_EQ(c.status.code(), absl::StatusCode::kInvalidArgument) << c.status;
  EXPECT_THAT(std::string(c.status.message()), HasSubstr("the snapshot is corrupt"));
  // An invalid model writes no snapshot.
  const std::string bad = TempPath("bad.textproto");
  {
    std::ofstream out(bad);
    out << "platforms { id: \"P\" name: \"P\" designer_nation: \"NOWHERE\" }\n";
  }
  const std::string never = TempPath("never.snapshot");
  Outcome w = RunOn("snapshot", ReadArgs({bad, never}));
  EXPECT_EQ(w.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(never));
}

}  // namespace
}  // namespace coalition::tools
