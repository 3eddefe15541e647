// Gap analysis of a force mix (SPEC §3): every IER over every ordered pair its selectors give.
//
// Recommended API:
//   scenario::Scenario s(graph, mix, &chain);
//   PolicyLevels levels = ComputePolicyLevels(s);
//   coalition::v1::GapReport r = AnalyzeGaps(s, levels, {100});
//
// The report is typed: classes, levels, the limiting layer, paths as ids, policy blocks and
// typed fixes; the sentences a planner reads are written by engine/report from these fields.
//
// For every IER and every pair (A in from, B in to, A != B) the pair is satisfied iff the
// achieved level >= the IER's minimum; (A, B) and (B, A) are both counted where selectors
// overlap. An unsatisfied pair is a gap of class UNAVAILABLE (an element is absent), POLICY (it
// would be satisfied with policy relaxed) or TECHNICAL. Limiting layer of a TECHNICAL gap, from
// the best path with policy relaxed: no path and no common link -> BEARER; a common link but no
// common standard (voice at best) -> SYNTAX; the path's weakest edge is a version bridge ->
// VERSION, a gateway -> TRANSLATION. POLICY gaps name the releasability entries on the relaxed
// best path that the operating nations fail, and a missing information-sharing arrangement where
// level 4 is required.
//
// Fixes (Gap.fixes: a single typed change that provably closes the gap, else none):
//   POLICY with exactly one blocking releasability entry and no sharing block -> Release of that
//   item to that nation (the relaxed path then holds under policy); POLICY whose only block is a
//   missing information-sharing arrangement -> ShareInformation; both cost 0.
//   TECHNICAL BEARER/SYNTAX -> Fit LINK to PLATFORM where one side already joins (LINK, S), the
//   other speaks S and both may use LINK and S; the cheapest (retrofit cost x units of that
//   platform type in the mix), then link id, then platform id.
//
// Ordering (deterministic): gaps worst first by (required - achieved) descending, then IER
// order, then from / to element order. Only max_gaps are detailed (max_gaps < 0: all); the rest
// are counted in gaps_omitted. Complexity: an ALL_PAIRS IER is evaluated per element-class
// pair (elements of one class have the same levels): rows = classes of its from members,
// columns = classes of its to members (their strict levels derived in one InteropLevels::Prepare
// batch), one InteropLevels::ClassBaseLevels pass per row (relaxed levels only where strict falls
// short), counts multiplied out, nation pair tallies gathered per row, nation / platform pair
// tallies reduced once by a radix sort — O(members + rows x columns); the listing then reads
// element pairs off their class pair's code, only in IERs with gaps at a shortfall that can make the
// first max_gaps: O(those pairs) + O(max_gaps log max_gaps) + one explanation search per listed
// gap. Memory O(rows x columns) bytes. Coverage IERs go through ForEachUnit (units.h).
#ifndef COALITION_ENGINE_ANALYSIS_GAPS_H_
#define COALITION_ENGINE_ANALYSIS_GAPS_H_

#include <string>
#include <vector>

#include "absl/types/span.h"

#include "coalition/v1/report.pb.h"
#include "engine/analysis/interop.h"
#include "engine/scenario/scenario.h"

namespace coalition::analysis {

struct GapOptions {
  int max_gaps = 100;
};

coalition::v1::GapReport AnalyzeGaps(const scenario::Scenario& s, const PolicyLevels& levels,
                                     const GapOptions& options);

// One ordered pair evaluated against an IER's minimum (SPEC §3), the one place the rule is
// written: achieved level (0 when an end is absent) and, for a gap, the policy-relaxed level and
// class — UNAVAILABLE when an end is absent, POLICY when the relaxed level reaches the minimum,
// else TECHNICAL; cls is GAP_CLASS_UNSPECIFIED (and relaxed = achieved) when satisfied.
struct PairEval {
  int achieved;
  int relaxed;
  coalition::v1::GapClass cls;
  bool gap() const { return cls != coalition::v1::GAP_CLASS_UNSPECIFIED; }
};
inline PairEval EvaluatePair(const PolicyLevels& lv, ElementIndex a, ElementIndex b,
                             int min_level) {
  const bool present = lv.strict.present(a) && lv.strict.present(b);
  const int achieved = present ? lv.strict.Level(a, b) : 0;
  if (achieved >= min_level) return {achieved, achieved, coalition::v1::GAP_CLASS_UNSPECIFIED};
  if (!present) return {0, 0, coalition::v1::UNAVAILABLE};
  const int relaxed = lv.relaxed.Level(a, b);
  return {achieved, relaxed,
          relaxed >= min_level ? coalition::v1::POLICY : coalition::v1::TECHNICAL};
}

// One ordered pair of one IER, by indices.
struct PairRef {
  uint32_t ier;
  ElementIndex from;
  ElementIndex to;
};

// Gap details (as in the gap report) for the given pairs, in the order given; a pair that is not
// a gap gives a Gap with only ier / from / to set. O(pairs x one explanation search).
std::vector<coalition::v1::Gap> DetailGaps(const scenario::Scenario& s, const PolicyLevels& levels,
                                           absl::Span<const PairRef> pairs);

// The interoperability matrix (SV-3): achieved level for every ordered pair, element order.
coalition::v1::InteropMatrix BuildMatrix(const scenario::Scenario& s, const InteropLevels& strict);

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_GAPS_H_
