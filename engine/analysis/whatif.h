// What-if analysis (SPEC §5): apply changes to a model and mix, and diff the gap picture against
// the baseline.
//
// Recommended API:
//   v1::WhatIf w;
//   w.add_changes()->set_embargo("CHN");
//   w.add_changes()->set_release("LINK16:UKR");
//   ASSIGN_OR_RETURN(WhatIfResult r, AnalyzeWhatIf(model, mix, w, {.max_gaps = 50}));
//   r.report;   // the diff: grounded elements, gaps opened / closed / changed, aggregates
//
// Changes (Change proto, applied in the order given):
//   embargo NATION          remove every supplier located in NATION;
//   remove_supplier ID      remove one supplier;
//   remove_element ID       the element leaves the mix (becomes absent);
//   remove_platform ID      every element of that platform type leaves the mix;
//   release ITEM:TARGET     add nation or group TARGET to the releasability list of link or
//                           standard ITEM (an empty list already means "everyone": a no-op,
//                           noted in report.notes, as is a TARGET already listed);
//   fit LINK:PLATFORM       the platform type fits LINK (no-op if it already does);
//   add_element P:N:QTY     append an element (id "N:P", or "N:P:2", "N:P:3"... when taken) that
//                           IER selectors match like any other element.
// Model-changing changes (release, fit) are applied to a copy of the model proto and the graph
// is rebuilt; the rest act on the supply chain and on the present mask of the mix. An element
// is *present* iff it was not removed and its platform is sustainable (risk.h) with the removed
// suppliers gone; absent elements are kept in the mix, so their pairs are UNAVAILABLE gaps and
// the gateways they carried vanish for everyone. The baseline applies the same rule with no
// change (for a valid model every element is sustainable, so the baseline is the gap report).
//
// Diff: pairs are keyed by (IER, from, to); the after-mix has the baseline's elements in the
// same positions plus the added ones. opened = unsatisfied after and satisfied (or not
// evaluated) before; closed = unsatisfied before and satisfied after; changed = unsatisfied in
// both with a different class or achieved level. Each list is in IER order, then from / to mix
// order, at most max_gaps long (< 0: all), with totals. Gaps are detailed as in the gap report
// (gaps.h): closed gaps as they were before, opened and changed ones as they are after.
//
// Aggregates, always all of them, in this order: elements_present, units_present,
// cost_present_musd, removed_elements, grounded_elements, grounded_units, grounded_cost_musd,
// pairs_evaluated, pairs_satisfied, gaps_total, gaps_policy, gaps_technical, gaps_unavailable,
// iers_satisfied, pairs_at_level_0 .. pairs_at_level_4, then "ier:NAME satisfied" per IER.
//
// Errors: InvalidArgument for a malformed change (wrong number of ':' parts, quantity < 1, an
// empty change) or an invalid model (as BuildGraph / ResolveMix report it); NotFound for an
// id a change names that the model or mix does not have.
// Complexity: two graph builds at most, two supply-chain passes, four InteropLevels builds, and
// O(pairs) level lookups; gaps are detailed only for the listed ones.
#ifndef COALITION_ENGINE_ANALYSIS_WHATIF_H_
#define COALITION_ENGINE_ANALYSIS_WHATIF_H_

#include "absl/status/statusor.h"
#include "coalition/v1/mix.pb.h"
#include "coalition/v1/model.pb.h"
#include "coalition/v1/report.pb.h"

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

absl::StatusOr<WhatIfResult> AnalyzeWhatIf(const coalition::v1::Model& model,
                                           const coalition::v1::ForceMix& mix,
                                           const coalition::v1::WhatIf& whatif,
                                           const WhatIfOptions& options);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_WHATIF_H_
