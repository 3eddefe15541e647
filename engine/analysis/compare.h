// Comparison of several force mixes on one model (SPEC §6 "Compare"): the headline figures of
// each mix side by side, and the Pareto front of (cost, gaps, largest embargo exposure).
//
// Recommended API (one MixReports per mix, in the order the caller was given the mixes):
//   scenario::Scenario baseline(graph, resolved, /*chain=*/nullptr);     // as `gaps` does
//   v1::GapReport gaps = AnalyzeGaps(baseline, ComputePolicyLevels(baseline), {0});
//   v1::SinglePointsReport spof = FindSinglePointsOfFailure(baseline, {0});
//   v1::RiskReport risk = AnalyzeRisk(graph, resolved, chain, {});
//   mixes.push_back({&gaps, &spof, &risk, resolved.budget_musd});
//   v1::CompareReport r = CompareMixes(mixes);
//
// Terms. Each MixComparison copies its figures from the mix's reports (the reports' own limits
// on listed gaps, pairs and findings do not matter: only counts and aggregates are read):
//   from the GapReport          name, cost, units, elements, IERs satisfied / total, pairs
//                               evaluated / satisfied, gaps per class (by_class) and in all, the
//                               level histogram (padded to five entries);
//   from the SinglePointsReport the number of points and the first one (most gaps opened, then
//                               mix order) with its gaps opened;
//   from the RiskReport         the largest embargo exposure (exposures[0]), the HIGH and CRITICAL
//                               adversary-dependency and ITAR-exposure counts (by_kind), the
//                               sourcing shares, the unsustainable elements.
// Pareto front: over the objective triple (cost_musd, gaps_total, largest-exposure unit share),
// each to be minimised; see ParetoFront. The analysis writes no prose (engine/report does).
//
// Complexity: O(n^2) for n mixes (the front), plus copying the reports' aggregates.
// Deterministic; no errors (the reports are already computed). Both functions are pure
// (thread-safe for inputs nobody changes meanwhile).
#ifndef COALITION_ENGINE_ANALYSIS_COMPARE_H_
#define COALITION_ENGINE_ANALYSIS_COMPARE_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "coalition/v1/compare.pb.h"
#include "coalition/v1/report.pb.h"

namespace coalition::analysis {

// The already computed reports of one mix. The pointers must be non-null and outlive the call.
struct MixReports {
  const coalition::v1::GapReport* gaps;
  const coalition::v1::SinglePointsReport* single_points;
  const coalition::v1::RiskReport* risk;
  // ForceMix.budget_musd (ResolvedMix::budget_musd), millions of USD.
  double budget_musd = 0;
  // The recommender's plan within that budget (recommend.h); null: none computed.
  const coalition::v1::Plan* best_plan = nullptr;
};

// The comparison of the given mixes, in the order given; on_pareto_front set by ParetoFront.
coalition::v1::CompareReport CompareMixes(absl::Span<const MixReports> mixes);

// What the Pareto front minimises, for one mix.
struct ParetoObjectives {
  double cost_musd = 0;               // MixComparison.cost_musd
  int64_t gaps_total = 0;             // MixComparison.gaps_total
  double exposure_unit_share = 0;     // largest embargo exposure, share of units (0..1)
};

// The Pareto front of `points`, all three objectives minimised: front[i] is true iff no other
// point j dominates i, where j dominates i iff j is <= i on every objective and < on at least one.
// Ties: points with equal triples do not dominate each other, so they are on the front together
// (or off it together). A single point is on the front; so is at least one point of any
// non-empty input (dominance is a strict partial order). Cost and share are floating-point sums
// and quotients, so they are compared after rounding to the nearest 1e-6 M$ (one dollar) and
// 1e-9 of a share respectively: two mixes that cost the same, summed in another order, tie.
// Gaps compare exactly.
// Complexity: O(n^2) comparisons for n points (n is the number of mixes a planner compares, a
// handful; no sorting-based O(n log n) algorithm is worth its obscurity here).
std::vector<bool> ParetoFront(absl::Span<const ParetoObjectives> points);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_COMPARE_H_
