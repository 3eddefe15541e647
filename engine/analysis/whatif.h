// What-if analysis (SPEC §5): the diff of two evaluated scenarios — the baseline, and the same
// frozen graph and mix with typed changes applied as an overlay (scenario/scenario.h).
//
// Recommended API:
//   v1::WhatIf w;
//   w.add_changes()->mutable_embargo()->set_nation("CHN");
//   auto* r = w.add_changes()->mutable_release();
//   r->set_item_kind(v1::Release::LINK); r->set_item("LINK16"); r->set_party("UKR");
//   ASSIGN_OR_RETURN(WhatIfResult res, AnalyzeWhatIf(graph, mix, chain, w, {.max_gaps = 50}));
//   res.report;   // the diff: grounded elements, gaps opened / closed / changed, aggregates
//
// Changes are applied in the order given, with the scenario's semantics (change.proto and
// scenario.h); a change that changes nothing is listed in report.no_ops with its reason. An
// element is *present* iff it was not removed and its platform is sustainable with the removed
// suppliers gone; absent elements stay in the mix, so their pairs are UNAVAILABLE gaps and the
// gateways they carried vanish for everyone. The baseline applies the same rule with no change.
//
// Diff: pairs are keyed by (IER, from, to); the after-scenario has the baseline's elements at
// the same indices plus the added ones. opened = unsatisfied after and satisfied (or not
// evaluated) before; closed = unsatisfied before and satisfied after; changed = unsatisfied in
// both with a different class or achieved level. Each list is in IER order, then from / to
// element order, at most max_gaps long (< 0: all), with totals. Gaps are detailed as in the gap
// report (gaps.h): closed gaps as they were before, opened and changed ones as they are after.
//
// Aggregates, always all of them, in this order: elements_present, units_present,
// cost_present_musd, removed_elements, grounded_elements, grounded_units, grounded_cost_musd,
// pairs_evaluated, pairs_satisfied, gaps_total, gaps_policy, gaps_technical, gaps_unavailable,
// iers_satisfied, pairs_at_level_0 .. pairs_at_level_4, then "ier:NAME satisfied" per IER.
//
// Errors: as Scenario::Apply reports them (InvalidArgument for a malformed change, NotFound for
// an unknown id), prefixed with the change's 1-based position.
// Complexity: two scenarios (O(elements) each), four InteropLevels computations and O(pairs)
// level lookups; gaps are detailed only for the listed ones. No model copy, no graph rebuild.
#ifndef COALITION_ENGINE_ANALYSIS_WHATIF_H_
#define COALITION_ENGINE_ANALYSIS_WHATIF_H_

#include "absl/status/statusor.h"
#include "coalition/v1/change.pb.h"
#include "coalition/v1/report.pb.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/scenario/supply_chain.h"

namespace coalition::analysis {

struct WhatIfOptions {
  // Gaps listed per list (opened, closed, changed); < 0: all.
  int max_gaps = 100;
  // Detail every gap in WhatIfResult::before / after (else they carry aggregates only).
  bool full_reports = false;
};

struct WhatIfResult {
  coalition::v1::WhatIfReport report;
  // The gap reports of the baseline and of the changed state (the states the diff compares);
  // gaps listed only with options.full_reports.
  coalition::v1::GapReport before;
  coalition::v1::GapReport after;
};

absl::StatusOr<WhatIfResult> AnalyzeWhatIf(const graph::TypedGraph& graph,
                                           const graph::ResolvedMix& mix,
                                           const scenario::SupplyChain& chain,
                                           const coalition::v1::WhatIf& whatif,
                                           const WhatIfOptions& options);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_WHATIF_H_
