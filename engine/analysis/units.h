// The units an IER is judged on (SPEC §1, §3), the one home of the coverage rule.
//
//   ALL_PAIRS  one unit per ordered pair (A in from, B in to, A != B): EvaluatePair (gaps.h).
//   EACH_TO    one unit per element B of `to`: B is served iff its best achieved level over the
//              present elements A of `from` (A != B) reaches the minimum.
//   EACH_FROM  one unit per element A of `from`, mirrored: its best level over `to` (B != A).
//
// A coverage unit carries the served element and its *best counterpart*: the present
// counterpart with the highest achieved level (ties: lowest element index); for a unit that is
// not served but could be with policy relaxed, the best among the counterparts whose relaxed
// level reaches the minimum, so that the explanation and the fix of a POLICY gap name a
// counterpart that policy alone blocks. Its class (EvaluateCoverage): UNAVAILABLE when the
// served element is absent, or when it has counterparts and all of them are absent (its feeds
// are gone); otherwise POLICY when the best relaxed level over the present counterparts reaches
// the minimum, else TECHNICAL (including a served element with no counterpart at all).
//
// Recommended API:
//   ForEachUnit(s, levels, k, [&](const Unit& u) { if (u.eval.gap()) ...; });
//   Unit u = EvaluateCoverageUnit(s, levels, k, served);   // one coverage unit, for details
//
// Complexity: ForEachUnit over an ALL_PAIRS IER visits every pair (O(|from| x |to|) level
// lookups); over a coverage IER it groups counterparts by element class (elements of one class
// have the same levels), so it costs O(served + counterpart elements + served classes x
// counterpart classes) level lookups — never more than the pairs an ALL_PAIRS IER would ask.
// EvaluateCoverageUnit scans the counterpart side: O(|counterparts|).
#ifndef COALITION_ENGINE_ANALYSIS_UNITS_H_
#define COALITION_ENGINE_ANALYSIS_UNITS_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/scenario/scenario.h"

namespace coalition::analysis {

// The side whose elements are the units of a coverage IER (1 = to for EACH_TO, 0 = from for
// EACH_FROM), and the counterpart side. -1 for ALL_PAIRS.
int ServedSide(coalition::v1::Coverage coverage);
inline bool IsCoverage(coalition::v1::Coverage c) {
  return c == coalition::v1::EACH_TO || c == coalition::v1::EACH_FROM;
}

// The coverage rule (SPEC §3) on the served element's best levels: `present_counterparts` and
// `all_counterparts` exclude the served element itself; best_strict / best_relaxed are over the
// present counterparts (ignored when there is none).
PairEval EvaluateCoverage(bool served_present, int64_t present_counterparts,
                          int64_t all_counterparts, int best_strict, int best_relaxed,
                          int min_level);

// One unit. ALL_PAIRS: (from, to) is the pair. Coverage: the served element is `to` (EACH_TO) or
// `from` (EACH_FROM); the other end is its best counterpart, scenario::kNone when it has no
// present counterpart.
struct Unit {
  ElementIndex from;
  ElementIndex to;
  PairEval eval;
};

// Every unit of IER k: ALL_PAIRS from-major in member order; coverage in served-side member
// order (base elements, then added ones).
void ForEachUnit(const scenario::Scenario& s, const PolicyLevels& lv, uint32_t k,
                 absl::FunctionRef<void(const Unit&)> f);

// The unit of coverage IER k whose served element is `served` (a member of its served side).
Unit EvaluateCoverageUnit(const scenario::Scenario& s, const PolicyLevels& lv, uint32_t k,
                          ElementIndex served);

// The served element of a unit of IER k (coverage), or kNone for ALL_PAIRS.
inline ElementIndex ServedElement(coalition::v1::Coverage c, const Unit& u) {
  return c == coalition::v1::EACH_TO ? u.to
                                     : (c == coalition::v1::EACH_FROM ? u.from : scenario::kNone);
}

}  // namespace coalition::analysis

#endif  // COALITION_ENGINE_ANALYSIS_UNITS_H_
