#include "engine/analysis/whatif.h"

#include "engine/analysis/units.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/units.h"
#include "engine/scenario/scenario.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using graph::TypedGraph;
using scenario::Applied;
using scenario::Scenario;

v1::NoOp::Reason NoOpReason(Applied::NoOp n) {
  switch (n) {
    case Applied::NoOp::kAlreadyReleasableToAll:
      return v1::NoOp::ALREADY_RELEASABLE_TO_ALL;
    case Applied::NoOp::kAlreadyReleased:
      return v1::NoOp::ALREADY_RELEASED;
    case Applied::NoOp::kAlreadyFitted:
      return v1::NoOp::ALREADY_FITTED;
    case Applied::NoOp::kAlreadyUpgraded:
      return v1::NoOp::ALREADY_UPGRADED;
    case Applied::NoOp::kAlreadySharing:
      return v1::NoOp::ALREADY_SHARING;
    case Applied::NoOp::kAlreadyRemoved:
      return v1::NoOp::ALREADY_REMOVED;
    case Applied::NoOp::kAlreadyLifted:
      return v1::NoOp::ALREADY_LIFTED;
    case Applied::NoOp::kNone:
      break;
  }
  return v1::NoOp::REASON_UNSPECIFIED;
}


}  // namespace

absl::StatusOr<WhatIfResult> AnalyzeWhatIf(const graph::TypedGraph& g,
                                           const graph::ResolvedMix& mix,
                                           const scenario::SupplyChain& chain,
                                           const v1::WhatIf& whatif,
                                           const WhatIfOptions& options) {
  WhatIfResult result;
  v1::WhatIfReport& rep = result.report;
  rep.set_model_name(g.model_name());
  rep.set_mix_name(mix.name);
  rep.set_max_gaps(options.max_gaps);
  *rep.mutable_changes() = whatif.changes();

  // 1. The two scenarios: the baseline, and the same frozen graph and mix with the changes
  // applied as an overlay (no copy of the model, no rebuild).
  Scenario before(g, mix, &chain);
  Scenario after(g, mix, &chain);
  for (int i = 0; i < whatif.changes_size(); ++i) {
    absl::StatusOr<Applied> applied = after.Apply(whatif.changes(i));
    if (!applied.ok()) {
      return absl::Status(applied.status().code(),
                          absl::StrCat("change ", i + 1, ": ", applied.status().message()));
    }
    if (applied->no_op != Applied::NoOp::kNone) {
      v1::NoOp* n = rep.add_no_ops();
      *n->mutable_change() = whatif.changes(i);
      n->set_reason(NoOpReason(applied->no_op));
    }
    for (ElementIndex e : applied->added_elements) rep.add_added_elements(std::string(after.element_id(e)));
  }
  const uint32_t n0 = before.num_elements(), n1 = after.num_elements();
  std::vector<bool> grounded(n1, false);
  for (ElementIndex e = 0; e < n1; ++e) {
    if (after.removed(e)) rep.add_removed_elements(std::string(after.element_id(e)));
    grounded[e] = !after.removed(e) && !after.present(e) &&
                  (e >= n0 || before.present(e));
    if (grounded[e]) rep.add_grounded_elements(std::string(after.element_id(e)));
  }
  const PolicyLevels lv0 = ComputePolicyLevels(before);
  const PolicyLevels lv1 = ComputePolicyLevels(after);

  // 2. The diff, one enumeration over the after-scenario's pairs (the baseline's pairs are the
  // subset with both ends below n0: selector membership of an old element does not change).
  const size_t limit = options.max_gaps < 0 ? SIZE_MAX : static_cast<size_t>(options.max_gaps);
  std::vector<PairRef> opened, closed, changed;
  int64_t opened_total = 0, closed_total = 0, changed_total = 0;
  auto classify = [&](uint32_t k, const PairEval* e0, const PairEval& e1, ElementIndex a,
                      ElementIndex b) {
    const bool gap0 = e0 != nullptr && e0->gap();
    const bool gap1 = e1.gap();
    if (gap1 && !gap0) {
      if (opened.size() < limit) opened.push_back({k, a, b});
      ++opened_total;
    } else if (gap0 && !gap1) {
      if (closed.size() < limit) closed.push_back({k, a, b});
      ++closed_total;
    } else if (gap0 && gap1 && (e0->cls != e1.cls || e0->achieved != e1.achieved)) {
      if (changed.size() < limit) changed.push_back({k, a, b});
      ++changed_total;
    }
  };
  for (uint32_t k = 0; k < after.num_iers(); ++k) {
    const graph::ResolvedIer& ier = after.ier(k);
    if (IsCoverage(ier.coverage)) {
      // Units keyed by the served element (a base element keeps its index).
      absl::flat_hash_map<ElementIndex, PairEval> old;
      ForEachUnit(before, lv0, k, [&](const Unit& u) {
        old.emplace(ServedElement(ier.coverage, u), u.eval);
      });
      ForEachUnit(after, lv1, k, [&](const Unit& u) {
        auto it = old.find(ServedElement(ier.coverage, u));
        classify(k, it == old.end() ? nullptr : &it->second, u.eval, u.from, u.to);
      });
      continue;
    }
    ForEachUnit(after, lv1, k, [&](const Unit& u) {
      const bool is_old = u.from < n0 && u.to < n0;
      const PairEval e0 = is_old ? EvaluatePair(lv0, u.from, u.to, ier.min_level) : PairEval{};
      classify(k, is_old ? &e0 : nullptr, u.eval, u.from, u.to);
    });
  }
  for (v1::Gap& gap : DetailGaps(after, lv1, opened)) *rep.add_gaps_opened() = std::move(gap);
  for (v1::Gap& gap : DetailGaps(before, lv0, closed)) *rep.add_gaps_closed() = std::move(gap);
  std::vector<v1::Gap> changed_before = DetailGaps(before, lv0, changed);
  std::vector<v1::Gap> changed_after = DetailGaps(after, lv1, changed);
  for (size_t i = 0; i < changed.size(); ++i) {
    v1::GapChange* gc = rep.add_gaps_changed();
    *gc->mutable_before() = std::move(changed_before[i]);
    *gc->mutable_after() = std::move(changed_after[i]);
  }
  rep.set_gaps_opened_total(opened_total);
  rep.set_gaps_closed_total(closed_total);
  rep.set_gaps_changed_total(changed_total);

  // 3. Aggregates.
  const int full = options.full_reports ? -1 : 0;
  result.before = AnalyzeGaps(before, lv0, {full});
  result.after = AnalyzeGaps(after, lv1, {full});
  auto add = [&](const std::string& name, double b, double a) {
    v1::AggregateDelta* d = rep.add_aggregates();
    d->set_name(name);
    d->set_before(b);
    d->set_after(a);
  };
  struct Totals {
    double elements = 0, units = 0, cost = 0, removed = 0, grounded = 0, grounded_units = 0,
           grounded_cost = 0;
  };
  // Grounded: not removed and unsustainable (the baseline's unsustainable elements too).
  auto totals = [&g](const Scenario& s) {
    Totals t;
    for (ElementIndex e = 0; e < s.num_elements(); ++e) {
      const double q = static_cast<double>(s.quantity(e));
      const double c = q * g.platform(s.platform(e)).unit_cost_musd;
      const bool is_removed = s.removed(e);
      const bool present = s.present(e);
      const bool is_grounded = !present && !is_removed;
      if (present) {
        t.elements += 1;
        t.units += q;
        t.cost += c;
      }
      if (is_removed) t.removed += 1;
      if (is_grounded) {
        t.grounded += 1;
        t.grounded_units += q;
        t.grounded_cost += c;
      }
    }
    return t;
  };
  const Totals t0 = totals(before);
  const Totals t1 = totals(after);
  add("elements_present", t0.elements, t1.elements);
  add("units_present", t0.units, t1.units);
  add("cost_present_musd", t0.cost, t1.cost);
  add("removed_elements", t0.removed, t1.removed);
  add("grounded_elements", t0.grounded, t1.grounded);
  add("grounded_units", t0.grounded_units, t1.grounded_units);
  add("grounded_cost_musd", t0.grounded_cost, t1.grounded_cost);
  const v1::GapReport& rb = result.before;
  const v1::GapReport& ra = result.after;
  add("pairs_evaluated", static_cast<double>(rb.pairs_evaluated()),
      static_cast<double>(ra.pairs_evaluated()));
  add("pairs_satisfied", static_cast<double>(rb.pairs_satisfied()),
      static_cast<double>(ra.pairs_satisfied()));
  add("gaps_total", static_cast<double>(rb.gaps_total()), static_cast<double>(ra.gaps_total()));
  auto class_count = [](const v1::GapReport& r, v1::GapClass cls) {
    int64_t n = 0;
    for (const v1::GapCounts& c : r.by_class()) {
      n += cls == v1::POLICY ? c.policy() : cls == v1::TECHNICAL ? c.technical() : c.unavailable();
    }
    return static_cast<double>(n);
  };
  add("gaps_policy", class_count(rb, v1::POLICY), class_count(ra, v1::POLICY));
  add("gaps_technical", class_count(rb, v1::TECHNICAL), class_count(ra, v1::TECHNICAL));
  add("gaps_unavailable", class_count(rb, v1::UNAVAILABLE), class_count(ra, v1::UNAVAILABLE));
  add("iers_satisfied", rb.iers_satisfied(), ra.iers_satisfied());
  for (int l = 0; l <= 4; ++l) {
    add(absl::StrCat("pairs_at_level_", l), static_cast<double>(rb.level_histogram(l)),
        static_cast<double>(ra.level_histogram(l)));
  }
  for (int k = 0; k < ra.by_ier_size(); ++k) {
    add(absl::StrCat("ier:", ra.by_ier(k).key(), " satisfied"),
        static_cast<double>(rb.by_ier(k).satisfied()), static_cast<double>(ra.by_ier(k).satisfied()));
  }
  return result;
}

}  // namespace coalition::analysis
