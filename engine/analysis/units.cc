#include "engine/analysis/units.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using scenario::kNone;

// The best counterpart found so far, by the rule of units.h: highest strict level (ties:
// lowest element index); separately the best among those whose relaxed level reaches `min`.
struct Best {
  int strict = -1, relaxed = -1;
  int policy_strict = -1;              // best strict among counterparts with relaxed >= min
  ElementIndex strict_el = kNone, policy_el = kNone;

  void Offer(int ls, int lr, ElementIndex e, int min) {
    if (ls > strict || (ls == strict && e < strict_el)) {
      strict = ls;
      strict_el = e;
    }
    relaxed = std::max(relaxed, lr);
    if (lr >= min && (ls > policy_strict || (ls == policy_strict && e < policy_el))) {
      policy_strict = ls;
      policy_el = e;
    }
  }
  ElementIndex Counterpart(const PairEval& ev) const {
    if (!ev.gap() || policy_el == kNone) return strict_el;
    return policy_el;
  }
};

Unit MakeUnit(v1::Coverage c, ElementIndex served, ElementIndex counterpart, const PairEval& ev) {
  return c == v1::EACH_TO ? Unit{counterpart, served, ev} : Unit{served, counterpart, ev};
}

}  // namespace

int ServedSide(v1::Coverage coverage) {
  switch (coverage) {
    case v1::EACH_TO:
      return 1;
    case v1::EACH_FROM:
      return 0;
    default:
      return -1;
  }
}

PairEval EvaluateCoverage(bool served_present, int64_t present_counterparts,
                          int64_t all_counterparts, int best_strict, int best_relaxed,
                          int min_level) {
  if (!served_present) return {0, 0, v1::UNAVAILABLE};
  if (present_counterparts <= 0) {
    // Feeds exist but are all gone: unavailable; no feed at all: a technical gap.
    return {0, 0, all_counterparts > 0 ? v1::UNAVAILABLE : v1::TECHNICAL};
  }
  if (best_strict >= min_level) return {best_strict, best_strict, v1::GAP_CLASS_UNSPECIFIED};
  return {best_strict, best_relaxed, best_relaxed >= min_level ? v1::POLICY : v1::TECHNICAL};
}

void ForEachUnit(const scenario::Scenario& s, const PolicyLevels& lv, uint32_t k,
                 absl::FunctionRef<void(const Unit&)> f) {
  const graph::ResolvedIer& ier = s.ier(k);
  const int m = ier.min_level;
  const int served_side = ServedSide(ier.coverage);
  if (served_side < 0) {
    std::vector<ElementIndex> to;
    s.ForEachMember(k, 1, [&](ElementIndex b) { to.push_back(b); });
    s.ForEachMember(k, 0, [&](ElementIndex a) {
      for (ElementIndex b : to) {
        if (a != b) f(Unit{a, b, EvaluatePair(lv, a, b, m)});
      }
    });
    return;
  }
  // Counterparts grouped by class: present count and the first two present members (a served
  // element that is itself a counterpart skips itself).
  struct ClassInfo {
    int64_t present = 0;
    ElementIndex first = kNone, second = kNone;
  };
  absl::flat_hash_map<ClassIndex, ClassInfo> info;
  absl::flat_hash_map<ElementIndex, bool> counterpart;  // member of the counterpart side
  int64_t all = 0, present = 0;
  s.ForEachMember(k, 1 - served_side, [&](ElementIndex e) {
    ++all;
    counterpart[e] = true;
    if (!s.present(e)) return;
    ++present;
    ClassInfo& ci = info[s.class_of(e)];
    ++ci.present;
    if (ci.first == kNone) {
      ci.first = e;
    } else if (ci.second == kNone) {
      ci.second = e;
    }
  });
  std::vector<std::pair<ClassIndex, ClassInfo>> classes(info.begin(), info.end());
  std::sort(classes.begin(), classes.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  // Best counterpart per served class over the *other* classes (memoised), then the served
  // class itself per element: its representative is its first present member other than u.
  absl::flat_hash_map<ClassIndex, Best> memo;
  s.ForEachMember(k, served_side, [&](ElementIndex u) {
    if (!s.present(u)) {
      f(MakeUnit(ier.coverage, u, kNone, EvaluateCoverage(false, 0, 0, 0, 0, m)));
      return;
    }
    const bool self = counterpart.contains(u);
    const ClassIndex cu = s.class_of(u);
    auto [it, inserted] = memo.try_emplace(cu);
    if (inserted) {
      for (const auto& [c, ci] : classes) {
        if (c == cu) continue;
        const int ls = lv.strict.ClassLevel(c, cu);
        it->second.Offer(ls, ls >= m ? ls : lv.relaxed.ClassLevel(c, cu), ci.first, m);
      }
    }
    Best b = it->second;
    if (auto own = info.find(cu); own != info.end() && own->second.present - self > 0) {
      const ElementIndex rep = own->second.first == u ? own->second.second : own->second.first;
      const int ls = lv.strict.ClassLevel(cu, cu);
      b.Offer(ls, ls >= m ? ls : lv.relaxed.ClassLevel(cu, cu), rep, m);
    }
    const int64_t present_c = present - self, all_c = all - self;
    const PairEval ev = EvaluateCoverage(true, present_c, all_c, b.strict, b.relaxed, m);
    f(MakeUnit(ier.coverage, u, present_c > 0 ? b.Counterpart(ev) : kNone, ev));
  });
}

Unit EvaluateCoverageUnit(const scenario::Scenario& s, const PolicyLevels& lv, uint32_t k,
                          ElementIndex served) {
  const graph::ResolvedIer& ier = s.ier(k);
  const int m = ier.min_level;
  const int served_side = ServedSide(ier.coverage);
  if (!s.present(served)) {
    return MakeUnit(ier.coverage, served, kNone, EvaluateCoverage(false, 0, 0, 0, 0, m));
  }
  Best b;
  int64_t all = 0, present = 0;
  s.ForEachMember(k, 1 - served_side, [&](ElementIndex e) {
    if (e == served) return;
    ++all;
    if (!s.present(e)) return;
    ++present;
    const int ls = lv.strict.Level(e, served);
    const int lr = ls >= m ? ls : lv.relaxed.Level(e, served);
    b.Offer(ls, lr, e, m);
  });
  const PairEval ev = EvaluateCoverage(true, present, all, b.strict, b.relaxed, m);
  return MakeUnit(ier.coverage, served, present > 0 ? b.Counterpart(ev) : kNone, ev);
}

}  // namespace coalition::analysis
