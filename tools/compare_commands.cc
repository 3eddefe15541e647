// The comparison subcommand (SPEC §6 "Compare"): several mixes on one model, side by side.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "coalition/v1/compare.pb.h"
#include "coalition/v1/report.pb.h"
#include "engine/analysis/compare.h"
#include "engine/analysis/recommend.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/risk.h"
#include "engine/analysis/spof.h"
#include "engine/base/status_macros.h"
#include "engine/report/render.h"
#include "engine/report/render_compare.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/supply_chain.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/mix_html.h"
#include "engine/report/render_html.h"
#include "tools/session.h"

namespace coalition::tools {
namespace {

namespace v1 = ::coalition::v1;

// The reports of one mix, computed as `gaps`, `spof` and `risk` compute them; only their counts
// and aggregates are compared, so nothing is listed.
struct MixResults {
  v1::GapReport gaps;
  v1::SinglePointsReport single_points;
  v1::RiskReport risk;
  v1::Plan best_plan;
};

MixResults AnalyzeMix(const graph::TypedGraph& graph, const graph::ResolvedMix& mix,
                      const scenario::SupplyChain& chain, const std::string& us_nation,
                      double time_limit) {
  MixResults r;
  // Interoperability as the mix stands (restrictions in force applied), as `gaps` and `spof`
  // see it.
  scenario::Scenario baseline(graph, mix, &chain);
  const analysis::PolicyLevels levels = analysis::ComputePolicyLevels(baseline);
  r.gaps = analysis::AnalyzeGaps(baseline, levels, {/*max_gaps=*/0});
  r.single_points = analysis::FindSinglePointsOfFailure(baseline, {/*max_pairs=*/0});
  // The recommender's best plan within the mix's own budget (nothing listed).
  analysis::RecommendOptions rec;
  rec.max_listed = 0;
  rec.max_candidates_listed = 0;
  rec.time_limit_s = time_limit;
  if (absl::StatusOr<v1::RecommendReport> plan = analysis::Recommend(baseline, rec); plan.ok()) {
    r.best_plan = plan->plan();
  }
  analysis::RiskOptions risk;
  risk.us_nation = us_nation;
  risk.max_findings = 0;
  r.risk = analysis::AnalyzeRisk(graph, mix, chain, risk);
  return r;
}

absl::Status RunCompare(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.time_limit < 0) return absl::InvalidArgumentError("--time_limit must be >= 0");
  ASSIGN_OR_RETURN(report::ReportFormat f, report::ParseReportFormat(FormatUnlessHtml(args.format)));
  std::vector<std::string> mixes = args.mixes;
  if (mixes.empty() && !args.mix.empty()) mixes.push_back(args.mix);
  ASSIGN_OR_RETURN(auto s, OpenSessionForMixes(args, mixes, err));
  for (const graph::ResolvedMix& mix : s->resolved_mixes) {
    RETURN_IF_ERROR(CheckPairBudget(mix, args.max_pairs, "compare"));
  }
  ASSIGN_OR_RETURN(scenario::SupplyChain chain, scenario::SupplyChain::Build(*s->graph));
  std::vector<MixResults> results;
  results.reserve(s->resolved_mixes.size());  // MixReports point into it
  std::vector<analysis::MixReports> reports;
  for (const graph::ResolvedMix& mix : s->resolved_mixes) {
    results.push_back(AnalyzeMix(*s->graph, mix, chain, args.us_nation, args.time_limit));
    reports.push_back({&results.back().gaps, &results.back().single_points,
                       &results.back().risk, mix.budget_musd, &results.back().best_plan});
  }
  const v1::CompareReport r = analysis::CompareMixes(reports);
  if (IsHtml(args.format)) return EmitOutput(args.out, report::RenderCompareHtml(r), out);
  ASSIGN_OR_RETURN(std::string text, report::RenderCompareReport(r, f));
  return EmitOutput(args.out, text, out);
}

}  // namespace

std::vector<Command> CompareCommands() {
  return {
      {"compare", "several mixes side by side: cost, gaps, levels, single points, risk, Pareto front",
       "usage: coalition compare MODEL --mix MIX --mix MIX ... [--us_nation USA]\n"
       "                         [--format text|markdown|csv|json|textproto|binpb|html] [--out FILE]\n"
       "\n"
       "Evaluates each mix on MODEL as `gaps`, `spof` and `risk` do and shows them side by side\n"
       "(SPEC §6), one column per mix in the order given: cost, units, elements, budget; IERs\n"
       "satisfied, pairs evaluated and satisfied, gaps by class (policy, technical, unavailable),\n"
       "the level distribution; the number of single points of failure and the worst one; the\n"
       "largest embargo exposure (nation, share of units and cost it grounds), adversary\n"
       "dependency (elements / units whose worst is HIGH, CRITICAL), ITAR exposure and the\n"
       "sourcing shares. A '*' marks the mixes on the Pareto front of (cost, gaps, largest\n"
       "exposure's unit share), all minimised: no other mix is as good on all three and better on\n"
       "one; mixes with equal figures share the front.\n"
       "Repeat --mix for each mix (a mix name inside MODEL or a mix file; each mix file is\n"
       "validated with the model); without --mix, every mix inside MODEL. csv: one row per mix.\n"
       "Exit: 0 ok, 2 invalid input (an unknown mix, a mix given twice, validation errors).\n",
       {"mix", "format", "out", "us_nation", "time_limit", "input_format", "max_pairs"}, 1, 1,
       &RunCompare},
  };
}

}  // namespace coalition::tools
