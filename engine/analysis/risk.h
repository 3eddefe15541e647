// Dependency risk of a force mix (SPEC §4): supply-chain availability under embargoes, and the
// risk report (single-source components, per-nation embargo exposure, adversary dependency,
// ITAR exposure, sourcing shares), per element and aggregated by quantity and cost. Supply
// restrictions in force are applied first: availability is per operating nation.
//
// Recommended API:
//   ASSIGN_OR_RETURN(SupplyChain chain, SupplyChain::Build(graph));   // once per graph
//   ASSIGN_OR_RETURN(v1::RiskReport r, AnalyzeRisk(graph, mix, chain, {.max_findings = 100}));
//   // Or one embargo / supplier removal:
//   Availability a = chain.Compute(chain.SuppliersIn({*graph.Find(EntityKind::kNation, "CHN")}));
//   bool ok = a.platform_sustainable[p];
//
// Terms (SPEC §4). A component is *available* iff at least one of its suppliers remains and all
// its critical sub-components are available; a platform type is *sustainable* iff all its
// critical components are. A platform's *critical components* are its critical uses and,
// recursively, their critical sub-components (so a platform is sustainable iff its direct
// critical uses are available). Non-critical uses and sub-components never matter. A component
// with no supplier at all is never available.
//
// Algorithms.
//   Compute: one pass over the component DAG in topological order (Kahn's algorithm, computed
//   once in Build; sub-components before their parents): available[c] = some supplier edge of c
//   survives && every critical sub-component is available. Then one pass over the platforms'
//   critical uses. O(components + supplier edges + critical edges + critical uses).
//   ForEachNationEmbargo: the embargo of every nation, each as an incremental propagation over
//   the reverse DAG from that nation's suppliers (a supplier-edge counter per component; a
//   component dies when its last supplier edge goes or a critical sub-component dies; a platform
//   dies with a critical use). Each nation costs O(what its embargo touches), never more than
//   one full topological pass; counters are reset through a touched list.
//
// Risk report (AnalyzeRisk), per element of the mix in mix order:
//   SINGLE_SOURCE        a critical component with exactly one supplier, or whose suppliers are
//                        all in one nation;
//   ADVERSARY_DEPENDENCY a critical component with a supplier in an ADVERSARY nation (HIGH), or
//                        with only such suppliers (CRITICAL);
//   ITAR_EXPOSURE        an ITAR critical component where the operating nation is neither the US
//                        (options.us_nation) nor in an itar_exempt group with it;
// each with its chain element -> platform -> component -> ... -> supplier -> nation (the first
// path found by a depth-first search over critical uses and critical sub-components in model
// order; the supplier is the first relevant one in model order). Baseline: an element is
// sustainable iff its platform is with the suppliers that supply its operating nation (the
// restrictions in force on that nation cut the others: SupplyChain::RestrictedFor); an element
// unsustainable at baseline names the restrictions that ground it. Embargo exposure: for every
// nation X, the elements *of other nations* sustainable at baseline and unsustainable once X's
// suppliers stop supplying them too (a nation does not embargo itself), each with its time to
// ground — the smallest stock_months among the critical components it loses; nations that
// ground nothing are left out; ranked by the share grounded within options.horizon_months
// (units, then cost), then the share grounded at all, then nation id. Sourcing shares in the order US_BUILT, CO_PRODUCED, THIRD_PARTY. Cost is
// quantity x unit cost; shares are of the whole mix (0 when the mix is empty or costs nothing).
//
// Errors: Build returns InvalidArgument when critical sub-component edges form a cycle (Validate()
// reports every cycle with locations). Output is deterministic.
#ifndef COALITION_ENGINE_ANALYSIS_RISK_H_
#define COALITION_ENGINE_ANALYSIS_RISK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "coalition/v1/report.pb.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/scenario/supply_chain.h"

namespace coalition::analysis {

using scenario::Availability;
using scenario::SupplyChain;

struct RiskOptions {
  // The nation id ITAR exposure is relative to; empty: the model's (TypedGraph::us_nation(),
  // Model.us_nation, default "USA").
  std::string us_nation;
  // Findings listed in the report (< 0: all); aggregates count all.
  int max_findings = 200;
  // Exposure ranking horizon, months: elements whose time to ground is <= it count as grounded
  // within the horizon (0: grounded at once).
  double horizon_months = 0;
};

coalition::v1::RiskReport AnalyzeRisk(const graph::TypedGraph& graph,
                                      const graph::ResolvedMix& mix, const SupplyChain& chain,
                                      const RiskOptions& options);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_RISK_H_
