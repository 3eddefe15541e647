// An independent, slow gap-count oracle (SPEC §3) for the property tests: per IER, units and
// their classes, written unit by unit from the slow widest-path levels (slow_interop.h), the
// reference selector membership and presence (apply_changes.h). It shares no code with
// engine/analysis: ALL_PAIRS counts every ordered pair; EACH_TO / EACH_FROM count every served
// element with its best counterpart by plain loops.
#ifndef COALITION_ENGINE_TESTING_SLOW_GAPS_H_
#define COALITION_ENGINE_TESTING_SLOW_GAPS_H_

#include <array>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "engine/testing/apply_changes.h"

namespace coalition::testing {

struct SlowIerCounts {
  int64_t units = 0, satisfied = 0, policy = 0, technical = 0, unavailable = 0;
  std::array<int64_t, 5> histogram{};  // achieved level per unit
  // The satisfied units: (from, to) mix indices of a pair; (served, -1) of a coverage unit.
  std::set<std::pair<int, int>> satisfied_units;
  int64_t gaps() const { return policy + technical + unavailable; }
};

// Counts of every IER of ref.mix with ref's edits and presence (ReferencePresent).
std::vector<SlowIerCounts> SlowGapCounts(const ReferenceState& ref);

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_SLOW_GAPS_H_
