#include "engine/testing/slow_gaps.h"

#include <algorithm>

#include "engine/testing/slow_interop.h"

namespace coalition::testing {

namespace v1 = ::coalition::v1;

std::vector<SlowIerCounts> SlowGapCounts(const ReferenceState& ref) {
  const std::vector<bool> present = ReferencePresent(ref);
  const SlowInterop strict(ref.model, ref.mix, false, present);
  const SlowInterop relaxed(ref.model, ref.mix, true, present);
  std::vector<SlowIerCounts> out;
  for (int k = 0; k < ref.mix.iers_size(); ++k) {
    const v1::Ier& ier = ref.mix.iers(k);
    const int m = ier.min_level();
    const std::vector<int> from = ReferenceMembers(ref, k, 0), to = ReferenceMembers(ref, k, 1);
    SlowIerCounts c;
    auto count = [&](bool served, bool unavailable, int achieved, int relaxed_level, int a, int b) {
      if (served) c.satisfied_units.insert({a, b});
      ++c.units;
      c.histogram[achieved]++;
      if (served) {
        ++c.satisfied;
      } else if (unavailable) {
        ++c.unavailable;
      } else if (relaxed_level >= m) {
        ++c.policy;
      } else {
        ++c.technical;
      }
    };
    if (ier.coverage() == v1::EACH_TO || ier.coverage() == v1::EACH_FROM) {
      const bool each_to = ier.coverage() == v1::EACH_TO;
      const std::vector<int>& served = each_to ? to : from;
      const std::vector<int>& others = each_to ? from : to;
      for (int u : served) {
        if (!present[u]) {
          count(false, true, 0, 0, u, -1);
          continue;
        }
        int counterparts = 0, present_counterparts = 0, best = 0, best_relaxed = 0;
        for (int o : others) {
          if (o == u) continue;
          ++counterparts;
          if (!present[o]) continue;
          ++present_counterparts;
          best = std::max(best, strict.Level(o, u));
          best_relaxed = std::max(best_relaxed, relaxed.Level(o, u));
        }
        if (present_counterparts == 0) {
          // No feed at all is technical; feeds that all vanished are unavailable.
          count(false, counterparts > 0, 0, 0, u, -1);
          continue;
        }
        count(best >= m, false, best, best_relaxed, u, -1);
      }
    } else {
      for (int a : from) {
        for (int b : to) {
          if (a == b) continue;
          if (!present[a] || !present[b]) {
            count(false, true, 0, 0, a, b);
            continue;
          }
          const int l = strict.Level(a, b);
          count(l >= m, false, l, relaxed.Level(a, b), a, b);
        }
      }
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace coalition::testing
