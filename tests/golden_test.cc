// Golden reports for the shipped datasets: the gap report in every format, the matrix, the risk
// report, the single points of failure and a what-if (an embargo by China).
//
// Text formats (text, markdown, csv, matrix csv/text) must match byte for byte; proto formats
// (json, textproto, binpb) are parsed back and compared structurally with MessageDifferencer.
// Regenerate after an intended change, then review the diff:
//   COALITION_REGENERATE_GOLDEN=1 bazel run //tests:golden_test
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/risk.h"
#include "engine/analysis/spof.h"
#include "engine/analysis/whatif.h"
#include "engine/scenario/scenario.h"
#include "engine/base/file_io.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/report/render.h"
#include "engine/report/render_risk.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

namespace v1 = ::coalition::v1;
using report::ReportFormat;

struct Case {
  const char* name;   // golden directory under tests/golden/
  const char* model;  // workspace-relative
  const char* mix;    // mix file, or "" for the model's only mix
};

const Case kCases[] = {
    {"starter", "datasets/starter.textproto", ""},
    {"frontline_air_defence", "datasets/coalition.textproto",
     "datasets/mixes/frontline_air_defence.textproto"},
    {"exquisite_f35", "datasets/coalition.textproto", "datasets/mixes/exquisite_f35.textproto"},
    {"quantity_f16_gripen", "datasets/coalition.textproto",
     "datasets/mixes/quantity_f16_gripen.textproto"},
    {"aukus_maritime", "datasets/coalition.textproto", "datasets/mixes/aukus_maritime.textproto"},
    {"nato_eastern_flank_iamd", "datasets/coalition.textproto",
     "datasets/mixes/nato_eastern_flank_iamd.textproto"},
    {"indo_pacific", "datasets/coalition.textproto", "datasets/mixes/indo_pacific.textproto"},
};

constexpr int kMaxGaps = 25;

bool Regenerate() { return std::getenv("COALITION_REGENERATE_GOLDEN") != nullptr; }

std::string GoldenPath(const Case& c, const std::string& file) {
  std::string root;
  if (Regenerate()) {
    const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
    root = ws != nullptr ? absl::StrCat(ws, "/") : "";
  }
  return absl::StrCat(root, "tests/golden/", c.name, "/", file);
}

class GoldenTest : public ::testing::TestWithParam<Case> {};

TEST_P(GoldenTest, ReportsMatchGolden) {
  const Case& c = GetParam();
  std::string prefix;
  if (Regenerate()) {
    const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
    if (ws != nullptr) prefix = absl::StrCat(ws, "/");
  }
  ASSERT_OK_AND_ASSIGN(LoadedModel model, LoadModel(absl::StrCat(prefix, c.model)));
  v1::ForceMix mix;
  std::vector<MixInput> extra;
  LoadedMix loaded_mix;
  if (*c.mix != '\0') {
    ASSERT_OK_AND_ASSIGN(loaded_mix, LoadMix(absl::StrCat(prefix, c.mix)));
    extra.push_back({&loaded_mix.mix, &loaded_mix.source});
    mix = loaded_mix.mix;
  } else {
    ASSERT_EQ(model.model.mixes_size(), 1);
    mix = model.model.mixes(0);
  }
  v1::ValidationReport validation = Validate(model.model, model.source, extra);
  ASSERT_EQ(validation.errors(), 0) << validation.DebugString();
  ASSERT_OK_AND_ASSIGN(graph::TypedGraph g, graph::BuildGraph(model.model));
  ASSERT_OK_AND_ASSIGN(graph::ResolvedMix resolved, graph::ResolveMix(g, mix));
  // As the CLI does: gaps, matrix and single points of failure on the mix as it stands.
  scenario::Scenario baseline(g, resolved, /*chain=*/nullptr);
  const analysis::PolicyLevels levels = analysis::ComputePolicyLevels(baseline);
  const v1::GapReport gaps = analysis::AnalyzeGaps(baseline, levels, {kMaxGaps});
  const v1::InteropMatrix matrix = analysis::BuildMatrix(baseline, levels.strict);
  ASSERT_OK_AND_ASSIGN(analysis::SupplyChain chain, analysis::SupplyChain::Build(g));
  analysis::RiskOptions risk_options;
  risk_options.max_findings = kMaxGaps;
  const v1::RiskReport risk = analysis::AnalyzeRisk(g, resolved, chain, risk_options);
  const v1::SinglePointsReport spof = analysis::FindSinglePointsOfFailure(baseline, {});
  // What-if on every mix: an embargo by China (the adversary supplier of the public record).
  v1::WhatIf whatif;
  whatif.add_changes()->mutable_embargo()->set_nation("CHN");
  analysis::WhatIfOptions whatif_options;
  whatif_options.max_gaps = kMaxGaps;
  ASSERT_OK_AND_ASSIGN(analysis::WhatIfResult what,
                       analysis::AnalyzeWhatIf(g, resolved, chain, whatif, whatif_options));

  struct Output {
    std::string file;
    std::string bytes;
    bool proto;  // compare structurally
    Format proto_format;
  };
  std::vector<Output> outputs;
  auto add = [&](const std::string& file, absl::StatusOr<std::string> bytes, bool proto,
                 Format f = Format::kTextProto) {
    ASSERT_OK(bytes);
    outputs.push_back({file, *std::move(bytes), proto, f});
  };
  add("gaps.txt", report::RenderGapReport(gaps, ReportFormat::kText), false);
  add("gaps.md", report::RenderGapReport(gaps, ReportFormat::kMarkdown), false);
  add("gaps.csv", report::RenderGapReport(gaps, ReportFormat::kCsv), false);
  add("gaps.json", report::RenderGapReport(gaps, ReportFormat::kJson), true, Format::kJson);
  add("gaps.textproto", report::RenderGapReport(gaps, ReportFormat::kTextProto), true);
  add("matrix.csv", report::RenderMatrix(matrix, ReportFormat::kCsv), false);
  add("matrix.txt", report::RenderMatrix(matrix, ReportFormat::kText), false);
  add("risk.txt", report::RenderRiskReport(risk, ReportFormat::kText), false);
  add("risk.json", report::RenderRiskReport(risk, ReportFormat::kJson), true, Format::kJson);
  add("spof.txt", report::RenderSinglePoints(spof, ReportFormat::kText), false);
  add("whatif_embargo_chn.txt", report::RenderWhatIfReport(what.report, ReportFormat::kText),
      false);

  // binpb: the binary report parses back to the same message.
  ASSERT_OK_AND_ASSIGN(std::string bin, report::RenderGapReport(gaps, ReportFormat::kBinary));
  v1::GapReport from_bin;
  ASSERT_TRUE(from_bin.ParseFromString(bin));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(gaps, from_bin));

  for (const Output& o : outputs) {
    const std::string path = GoldenPath(c, o.file);
    if (Regenerate()) {
      ASSERT_OK(WriteFileAtomically(path, o.bytes));
      continue;
    }
    ASSERT_OK_AND_ASSIGN(std::string golden, ReadFile(path));
    if (!o.proto) {
      EXPECT_EQ(o.bytes, golden) << path << " differs; see the comment at the top of "
                                 << "tests/golden_test.cc to regenerate";
      continue;
    }
    const google::protobuf::Message& got =
        absl::StartsWith(o.file, "risk") ? static_cast<const google::protobuf::Message&>(risk)
                                         : static_cast<const google::protobuf::Message&>(gaps);
    std::unique_ptr<google::protobuf::Message> want(got.New());
    SourceInfo src;
    ASSERT_OK(ParseMessage(golden, o.proto_format, path, want.get(), &src));
    std::string diff;
    google::protobuf::util::MessageDifferencer differ;
    differ.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differ.Compare(*want, got)) << path << ":\n" << diff;
  }
}

INSTANTIATE_TEST_SUITE_P(Datasets, GoldenTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace coalition
