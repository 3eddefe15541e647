// Recommendations (SPEC §6): candidate changes generated from the gaps, each evaluated through
// the scenario overlay, and the plan that closes the most weighted gaps within a budget.
//
// Recommended API:
//   Scenario s(graph, mix, &chain);
//   ASSIGN_OR_RETURN(v1::RecommendReport r, Recommend(s, {.budget_musd = 50}));
//   r.plan();          // steps: change(s), cost, gaps closed (per IER and class, listed), totals
//   r.best_single();   // the one candidate that closes the most weighted gaps
//
// Gaps are counted in units (units.h): ordered pairs of an ALL_PAIRS IER, served elements of an
// EACH_TO / EACH_FROM IER (served by their best counterpart).
//
// Candidates (GenerateCandidates), from the typed details of the baseline gaps (gaps.h) — one
// gap per (from class, to class, required level), since a gap's candidates depend on nothing
// else; at most options.max_gaps_scanned of them, IER then unit order (ForEachUnit) —
// deduplicated. A coverage gap is detailed as the pair of its served element and its best
// counterpart (units.h: for a POLICY unit, one that policy alone blocks), so its candidates are
// those that fix that pair (a cheaper fix through another counterpart is not generated from
// it); a coverage gap with no present counterpart (no feed at all, or all feeds absent) gives
// no candidate. Kinds:
//   RELEASE_PACKAGE    per POLICY gap and blocked nation N: every releasability entry that blocks
//                      N on the gap's relaxed path, released to N; the same released to each group
//                      N belongs to; and, when the gap is blocked for two nations or also lacks
//                      an information-sharing arrangement, all of its blocks at once. Cost 0.
//   SHARE_INFORMATION  a missing arrangement between the two nations of a gap. Cost 0.
//   FIT                per BEARER / SYNTAX gap, every link one side fits that would give both a
//                      common usable data channel, fitted to the other's platform type:
//                      retrofit cost x units of that type in the mix.
//   UPGRADE            per VERSION gap, a platform type moved from its version to the other
//                      side's (same family) where the model gives the target standard an
//                      upgrade_cost_musd: that x units of the type in the mix.
//   GATEWAY_ELEMENT    per TECHNICAL gap, one unit of a model platform type with a gateway between
//                      a standard each side speaks, operated by either side's nation: unit cost.
// Each candidate's gain is measured by applying it through an Evaluation (evaluation.h) and
// undoing it; candidates that close nothing alone or cost more than the budget are not searched.
//
// Objective: weighted baseline gaps closed net, Σ_k weight_k x (units of IER k among the mix's
// own elements that become satisfied − those an upgrade makes unsatisfied). A new element's own
// units do not count either way (its pairs; its unit when it is on a coverage IER's served
// side); a new element that serves a baseline coverage unit closes it. Weighted figures within
// 1e-9 x (1 + weighted gaps before) are ties. Reports give both the gap counts and, when some
// IER's weight is not 1, the weighted figures (recommend.proto's weighted_* fields).
//
// Search: branch and bound over the searched candidates (include / exclude, most useful first),
// each node's bound being the gaps closed with every remaining affordable candidate applied — a
// valid bound because releases, sharing, fits and added elements never lower a level (so never
// unserve a coverage unit); below an UPGRADE (which can) the bound is not used and the subtree
// is enumerated. It is EXACT when it completes within max_exact_candidates, max_nodes and
// time_limit_s: most weighted gaps closed, then least cost, then the earliest candidates.
// Otherwise GREEDY: repeatedly the candidate with the most weighted gaps closed per unit cost
// (zero-cost ones first, by weighted gaps), re-measured after each step,
// until nothing affordable closes anything or max_steps; its bound is reported. Steps are listed
// in the order that closes the most (weighted) at each step. A closed coverage unit is listed
// with its served element and the counterpart that serves it after the step.
//
// Cheapest plan for one IER (options.ier): the least-cost set of candidates after which the IER
// has no gap (exact by the same search when it completes, else greedy then pruned), or, when
// every candidate together leaves gaps, how many.
//
// Deterministic. Errors: NotFound for an unknown IER name. The scenario is changed and restored:
// on return it is as it was. Complexity: one Evaluation build, then per candidate evaluation the
// cost of its Apply + Undo (evaluation.h); the exact search visits at most max_nodes nodes.
#ifndef COALITION_ENGINE_ANALYSIS_RECOMMEND_H_
#define COALITION_ENGINE_ANALYSIS_RECOMMEND_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "coalition/v1/recommend.pb.h"
#include "engine/scenario/scenario.h"

namespace coalition::analysis {

struct RecommendOptions {
  // Millions of USD; < 0: the mix's budget_musd.
  double budget_musd = -1;
  // Also the cheapest plan that satisfies this IER entirely (empty: none).
  std::string ier;
  // Greedy steps at most.
  int max_steps = 25;
  // Exact search limits.
  int max_exact_candidates = 40;
  int64_t max_nodes = 200'000;
  double time_limit_s = 10;
  // Gaps scanned for candidates (worst first), closed gaps listed per step, candidates listed.
  int max_gaps_scanned = 20'000;
  int max_listed = 20;
  int max_candidates_listed = 50;
  // Called about once a second while the work goes on, with what is being done (e.g. the CLI
  // prints it on a terminal's stderr); null: silent.
  std::function<void(const std::string&)> progress;
};

absl::StatusOr<coalition::v1::RecommendReport> Recommend(scenario::Scenario& s,
                                                          const RecommendOptions& options);

// The candidates of the scenario's gaps (see above), deduplicated, in the order found; gains not
// yet measured.
std::vector<coalition::v1::Candidate> GenerateCandidates(const scenario::Scenario& s,
                                                         int max_gaps_scanned);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_RECOMMEND_H_
