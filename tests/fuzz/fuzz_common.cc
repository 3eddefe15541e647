#include "tests/fuzz/fuzz_common.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/risk.h"
#include "engine/analysis/spof.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/report/render.h"
#include "engine/report/render_risk.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/supply_chain.h"
#include "google/protobuf/util/field_comparator.h"
#include "google/protobuf/util/message_differencer.h"

namespace coalition::fuzz {

namespace v1 = ::coalition::v1;

// Bounds that keep one input fast (the pair budget of the CLI plays this role for users).
constexpr int kMaxFuzzElements = 64;
constexpr int64_t kMaxFuzzPairs = 4096;

void FuzzFail(absl::string_view what) {
  std::fprintf(stderr, "FUZZ INVARIANT BROKEN: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

void CheckUserFacing(const absl::Status& s, absl::string_view where) {
  switch (s.code()) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
      return;
    default:
      FuzzFail(absl::StrCat(where, ": internal-class status (exit 3) on input: ", s.ToString()));
  }
}

void CheckRoundTrip(const google::protobuf::Message& m) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  for (Format f : {Format::kTextProto, Format::kBinary, Format::kBinaryStream, Format::kJson}) {
    absl::StatusOr<std::string> bytes = SerializeMessage(m, f);
    if (!bytes.ok()) FuzzFail(absl::StrCat("serialize ", FormatName(f), ": ", bytes.status().ToString()));
    std::unique_ptr<google::protobuf::Message> back(m.New());
    SourceInfo source;
    absl::Status s = ParseMessage(*bytes, f, "roundtrip", back.get(), &source);
    if (!s.ok()) FuzzFail(absl::StrCat("reparse ", FormatName(f), ": ", s.ToString()));
    google::protobuf::util::MessageDifferencer d;
    d.set_field_comparator(&comparator);
    std::string diff;
    d.ReportDifferencesToString(&diff);
    if (!d.Compare(m, *back)) FuzzFail(absl::StrCat("round trip through ", FormatName(f), " lost: ", diff));
  }
}

void RunMix(const graph::TypedGraph& g, const v1::ForceMix& mix) {
  if (mix.elements_size() > kMaxFuzzElements) return;
  absl::StatusOr<graph::ResolvedMix> resolved = graph::ResolveMix(g, mix);
  if (!resolved.ok()) FuzzFail(absl::StrCat("a validated mix does not resolve: ", resolved.status().ToString()));
  int64_t pairs = 0;
  for (const auto& ier : resolved->iers) pairs += static_cast<int64_t>(ier.from.size()) * ier.to.size();
  if (pairs > kMaxFuzzPairs) return;
  scenario::Scenario baseline(g, *resolved, /*chain=*/nullptr);
  const analysis::PolicyLevels levels = analysis::ComputePolicyLevels(baseline);
  const v1::GapReport gaps = analysis::AnalyzeGaps(baseline, levels, {10});
  for (auto f : {report::ReportFormat::kText, report::ReportFormat::kMarkdown,
                 report::ReportFormat::kCsv, report::ReportFormat::kJson}) {
    CheckUserFacing(report::RenderGapReport(gaps, f).status(), "render gaps");
  }
  CheckRoundTrip(gaps);
  const analysis::InteropLevels strict =
      analysis::InteropLevels::Compute(baseline, /*relax_policy=*/false);
  CheckUserFacing(
      report::RenderMatrix(analysis::BuildMatrix(baseline, strict), report::ReportFormat::kCsv)
          .status(),
      "render matrix");
  absl::StatusOr<scenario::SupplyChain> chain = scenario::SupplyChain::Build(g);
  CheckUserFacing(chain.status(), "supply chain");
  if (chain.ok()) {
    const v1::RiskReport risk = analysis::AnalyzeRisk(g, *resolved, *chain, {});
    CheckUserFacing(report::RenderRiskReport(risk, report::ReportFormat::kText).status(), "render risk");
    CheckRoundTrip(risk);
  }
  const v1::SinglePointsReport spof = analysis::FindSinglePointsOfFailure(baseline, {});
  CheckUserFacing(report::RenderSinglePoints(spof, report::ReportFormat::kMarkdown).status(),
                  "render spof");
}

bool RunModel(const v1::Model& model) {
  const v1::ValidationReport report = Validate(model, SourceInfo("fuzz"));
  for (const v1::Diagnostic& d : report.diagnostics()) (void)FormatDiagnostic(d);
  if (report.errors() > 0) return false;
  CheckRoundTrip(model);
  absl::StatusOr<graph::TypedGraph> g = graph::BuildGraph(model);
  if (!g.ok()) FuzzFail(absl::StrCat("a validated model does not build: ", g.status().ToString()));
  for (const v1::ForceMix& mix : model.mixes()) RunMix(*g, mix);
  return true;
}

}  // namespace coalition::fuzz
