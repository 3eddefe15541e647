// `coalition convert` of every message the engine reads or writes (SPEC §7): each one, made by
// the engine's own commands on the shipped dataset, goes textproto -> binpb -> json -> textproto
// and must come back byte-identical in every format; the message is named by --type or by the
// file's '# proto-message:' header.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/message_types.h"

namespace coalition::tools {
namespace {

constexpr char kModel[] = "datasets/coalition.textproto";
constexpr char kMix[] = "datasets/mixes/frontline_air_defence.textproto";

std::string Tmp(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `command` on the dataset with --format=textproto (or the given format) into `path`.
// validate reports an invalid model as InvalidArgument after writing its report.
void Make(const std::string& command, Args a, const std::string& path) {
  a.out = path;
  std::ostringstream out, err;
  const absl::Status s = RunCommand(command, a, out, err);
  ASSERT_TRUE(s.ok() || (command == "validate" && s.code() == absl::StatusCode::kInvalidArgument))
      << command << ": " << s << "\n" << err.str();
}

struct Sample {
  std::string type;  // --type value
  std::string file;  // the engine's own textproto of it
};

std::vector<Sample> MakeSamples() {
  std::vector<Sample> v;
  auto args = [](std::vector<std::string> pos) {
    Args a = ReadArgs(std::move(pos));
    a.mix = kMix;
    a.format = "textproto";
    a.time_limit = 2;
    return a;
  };
  v.push_back({"model", "datasets/starter.textproto"});
  v.push_back({"mix", kMix});
  Make("recommend", [&] { Args a = args({kModel}); a.format = "whatif"; return a; }(),
       Tmp("whatif.textproto"));
  v.push_back({"whatif", Tmp("whatif.textproto")});
  // A report with diagnostics: the bad-input corpus's model with five problems.
  Make("validate", [&] { Args a = args({"tests/bad_inputs/five_problems.textproto"}); a.mix = ""; return a; }(),
       Tmp("validation.textproto"));
  v.push_back({"validation", Tmp("validation.textproto")});
  Make("gaps", args({kModel}), Tmp("gaps.textproto"));
  v.push_back({"gaps", Tmp("gaps.textproto")});
  Make("matrix", args({kModel}), Tmp("matrix.textproto"));
  v.push_back({"matrix", Tmp("matrix.textproto")});
  Make("risk", args({kModel}), Tmp("risk.textproto"));
  v.push_back({"risk", Tmp("risk.textproto")});
  Make("whatif", [&] { Args a = args({kModel}); a.embargo = {"CHN"}; a.release = {"LINK16:UKR"}; return a; }(),
       Tmp("whatif_report.textproto"));
  v.push_back({"whatif_report", Tmp("whatif_report.textproto")});
  Make("spof", args({kModel}), Tmp("spof.textproto"));
  v.push_back({"spof", Tmp("spof.textproto")});
  Make("recommend", args({kModel}), Tmp("recommend.textproto"));
  v.push_back({"recommend", Tmp("recommend.textproto")});
  Make("compare", [&] {
    Args a = args({kModel});
    a.mixes = {kMix, "datasets/mixes/exquisite_f35.textproto"};
    return a;
  }(), Tmp("compare.textproto"));
  v.push_back({"compare", Tmp("compare.textproto")});
  return v;
}

absl::Status Convert(const std::string& in, const std::string& out, const std::string& type) {
  Args a = ReadArgs({in, out});
  a.type = type;
  std::ostringstream o, e;
  return RunCommand("convert", a, o, e);
}

TEST(ConvertTest, EveryMessageTypeRoundTripsByteIdentically) {
  const std::vector<Sample> samples = MakeSamples();
  ASSERT_EQ(samples.size(), MessageTypes().size());  // one sample per type convert knows
  for (const Sample& s : samples) {
    SCOPED_TRACE(s.type);
    const std::string base = Tmp(s.type);
    // The canonical text form (with its header), then through every format and back.
    ASSERT_OK(Convert(s.file, base + ".0.textproto", s.type));
    const std::string text = Read(base + ".0.textproto");
    ASSERT_TRUE(absl::StartsWith(text, "# proto-file: coalition/v1/")) << text.substr(0, 80);
    EXPECT_GT(text.size(), 100u);
    // Without --type: the header names the message.
    ASSERT_OK(Convert(base + ".0.textproto", base + ".1.binpb", ""));
    ASSERT_OK(Convert(base + ".1.binpb", base + ".2.json", s.type));
    ASSERT_OK(Convert(base + ".2.json", base + ".3.textproto", s.type));
    ASSERT_OK(Convert(base + ".3.textproto", base + ".4.binpb", ""));
    ASSERT_OK(Convert(base + ".4.binpb", base + ".5.json", s.type));
    EXPECT_EQ(text, Read(base + ".3.textproto"));
    EXPECT_EQ(Read(base + ".1.binpb"), Read(base + ".4.binpb"));
    EXPECT_EQ(Read(base + ".2.json"), Read(base + ".5.json"));
  }
}

TEST(ConvertTest, HeaderDetectionAndContradictionsAreLocated) {
  // A mix file converts without --type (its header says ForceMix); before, this failed with
  // "Message type coalition.v1.Model has no field named source".
  ASSERT_OK(Convert(kMix, Tmp("mix.binpb"), ""));
  // A --type that contradicts the header is refused, naming both.
  const absl::Status s = Convert(kMix, Tmp("mix2.binpb"), "gaps");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "coalition.v1.ForceMix")) << s;
  // An unknown --type names the allowed ones.
  const absl::Status u = Convert(Tmp("mix.binpb"), Tmp("mix3.json"), "atlantis");
  EXPECT_TRUE(absl::StrContains(u.message(), "whatif_report")) << u;
  // A binary file has no header: its message is named by --type (or --message).
  ASSERT_OK(Convert(Tmp("mix.binpb"), Tmp("mix4.textproto"), "mix"));
  EXPECT_TRUE(absl::StartsWith(Read(Tmp("mix4.textproto")),
                               "# proto-file: coalition/v1/mix.proto\n"
                               "# proto-message: coalition.v1.ForceMix\n"));
}

TEST(ConvertTest, ProtoMessageHeaderReadsOnlyLeadingComments) {
  EXPECT_EQ(ProtoMessageHeader("# proto-file: x\n#  proto-message:  coalition.v1.Model \nname: \"a\"\n"),
            "coalition.v1.Model");
  EXPECT_EQ(ProtoMessageHeader("\n\n# a\n# proto-message: A\n"), "A");
  EXPECT_EQ(ProtoMessageHeader("name: \"a\"\n# proto-message: A\n"), "");
  EXPECT_EQ(ProtoMessageHeader(""), "");
}

}  // namespace
}  // namespace coalition::tools
