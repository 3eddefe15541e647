#include "engine/analysis/whatif.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/model/element_id.h"
#include "absl/strings/str_split.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/risk.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using graph::EntityKind;
using graph::ResolvedMix;
using graph::TypedGraph;

// Ids may themselves contain ':', so "A:B" is split at the first ':' whose two sides are both
// known; nullopt when none is.
template <typename Left, typename Right>
std::optional<std::pair<std::string, std::string>> SplitKnown(const std::string& value, Left left,
                                                              Right right) {
  for (size_t i = value.find(':'); i != std::string::npos; i = value.find(':', i + 1)) {
    std::string a = value.substr(0, i), b = value.substr(i + 1);
    if (left(a) && right(b)) return std::make_pair(std::move(a), std::move(b));
  }
  return std::nullopt;
}

template <typename Proto>
absl::flat_hash_set<std::string> IdsOf(const google::protobuf::RepeatedPtrField<Proto>& items) {
  absl::flat_hash_set<std::string> ids;
  for (const Proto& x : items) ids.insert(x.id());
  return ids;
}

bool AddUnique(google::protobuf::RepeatedPtrField<std::string>* list, const std::string& v) {
  if (std::find(list->begin(), list->end(), v) != list->end()) return false;
  list->Add(std::string(v));
  return true;
}

// One evaluated side of the diff.
struct State {
  const TypedGraph* graph;
  const ResolvedMix* mix;
  std::vector<bool> present;
  std::unique_ptr<InteropLevels> strict, relaxed;

  // Achieved level and class (UNSPECIFIED when satisfied) of a pair.
  std::pair<int, v1::GapClass> Eval(uint32_t a, uint32_t b, int min_level) const {
    const bool both = present[a] && present[b];
    const int achieved = both ? strict->Level(a, b) : 0;
    if (achieved >= min_level) return {achieved, v1::GAP_CLASS_UNSPECIFIED};
    if (!both) return {achieved, v1::UNAVAILABLE};
    return {achieved, relaxed->Level(a, b) >= min_level ? v1::POLICY : v1::TECHNICAL};
  }
};

struct PairRef {
  uint32_t ier, from, to;
};

// Gap details (as in the gap report) for listed pairs, in the order given: a copy of the mix
// with one single-pair IER per gap goes through AnalyzeGaps.
std::vector<v1::Gap> Detail(const State& s, const std::vector<PairRef>& pairs) {
  if (pairs.empty()) return {};
  ResolvedMix m = *s.mix;
  m.iers.clear();
  for (const PairRef& p : pairs) {
    graph::ResolvedIer ier;
    ier.name = s.mix->iers[p.ier].name;
    ier.min_level = s.mix->iers[p.ier].min_level;
    ier.from = {p.from};
    ier.to = {p.to};
    m.iers.push_back(std::move(ier));
  }
  v1::GapReport r = AnalyzeGaps(*s.graph, m, *s.strict, *s.relaxed, {-1});
  absl::flat_hash_map<std::string, const v1::Gap*> by_key;
  for (const v1::Gap& g : r.gaps()) {
    by_key[absl::StrCat(g.ier(), "|", g.from_element(), "|", g.to_element())] = &g;
  }
  std::vector<v1::Gap> out;
  for (const PairRef& p : pairs) {
    auto it = by_key.find(absl::StrCat(s.mix->iers[p.ier].name, "|", s.mix->element_ids[p.from],
                                       "|", s.mix->element_ids[p.to]));
    out.push_back(it == by_key.end() ? v1::Gap() : *it->second);
  }
  return out;
}

}  // namespace

absl::StatusOr<WhatIfResult> AnalyzeWhatIf(const v1::Model& model, const v1::ForceMix& mix,
                                           const v1::WhatIf& whatif,
                                           const WhatIfOptions& options) {
  WhatIfResult result;
  v1::WhatIfReport& rep = result.report;
  rep.set_model_name(model.name());
  rep.set_mix_name(mix.name());
  rep.set_max_gaps(options.max_gaps);
  *rep.mutable_changes() = whatif.changes();

  // 1. Check and apply the changes to copies of the model and mix.
  const auto nations = IdsOf(model.nations()), groups = IdsOf(model.groups()),
             links = IdsOf(model.links()), standards = IdsOf(model.standards()),
             platforms = IdsOf(model.platforms()), suppliers = IdsOf(model.suppliers());
  v1::Model model1 = model;
  model1.clear_mixes();
  v1::ForceMix mix1 = mix;
  absl::flat_hash_set<std::string> element_ids;
  for (const v1::ForceElement& e : mix.elements()) element_ids.insert(EffectiveElementId(e));
  bool model_changed = false;
  std::vector<std::string> embargoes, removed_suppliers, removed_element_ids, removed_platforms;
  auto is_item = [&](const std::string& id) { return links.contains(id) || standards.contains(id); };
  auto is_target = [&](const std::string& id) { return nations.contains(id) || groups.contains(id); };
  for (const v1::Change& c : whatif.changes()) {
    switch (c.change_case()) {
      case v1::Change::kEmbargo:
        if (!nations.contains(c.embargo())) {
          return absl::NotFoundError(absl::StrCat("embargo: unknown nation '", c.embargo(), "'"));
        }
        embargoes.push_back(c.embargo());
        break;
      case v1::Change::kRemoveSupplier:
        if (!suppliers.contains(c.remove_supplier())) {
          return absl::NotFoundError(
              absl::StrCat("remove_supplier: unknown supplier '", c.remove_supplier(), "'"));
        }
        removed_suppliers.push_back(c.remove_supplier());
        break;
      case v1::Change::kRemoveElement:
        if (!element_ids.contains(c.remove_element())) {
          return absl::NotFoundError(absl::StrCat("remove_element: no element '",
                                                  c.remove_element(), "' in mix '", mix.name(),
                                                  "'"));
        }
        removed_element_ids.push_back(c.remove_element());
        break;
      case v1::Change::kRemovePlatform:
        if (!platforms.contains(c.remove_platform())) {
          return absl::NotFoundError(
              absl::StrCat("remove_platform: unknown platform '", c.remove_platform(), "'"));
        }
        removed_platforms.push_back(c.remove_platform());
        break;
      case v1::Change::kRelease: {
        auto split = SplitKnown(c.release(), is_item, is_target);
        if (!split) {
          if (c.release().find(':') == std::string::npos) {
            return absl::InvalidArgumentError(absl::StrCat(
                "release '", c.release(), "': expected LINK_OR_STANDARD:NATION_OR_GROUP"));
          }
          return absl::NotFoundError(absl::StrCat(
              "release '", c.release(), "': no link or standard and nation or group by those ids"));
        }
        const auto& [item, target] = *split;
        auto release = [&](auto* list, const char* what) {
          for (auto& x : *list) {
            if (x.id() != item) continue;
            if (x.releasable_to().empty()) {
              rep.add_notes(absl::StrCat("release ", item, " to ", target, ": ", what,
                                         " is already releasable to everyone"));
            } else if (!AddUnique(x.mutable_releasable_to(), target)) {
              rep.add_notes(absl::StrCat("release ", item, " to ", target, ": already releasable"));
            } else {
              model_changed = true;
            }
          }
        };
        release(model1.mutable_links(), "the link");
        release(model1.mutable_standards(), "the standard");
        break;
      }
      case v1::Change::kFit: {
        auto split = SplitKnown(c.fit(), [&](const std::string& id) { return links.contains(id); },
                                [&](const std::string& id) { return platforms.contains(id); });
        if (!split) {
          if (c.fit().find(':') == std::string::npos) {
            return absl::InvalidArgumentError(
                absl::StrCat("fit '", c.fit(), "': expected LINK:PLATFORM"));
          }
          return absl::NotFoundError(
              absl::StrCat("fit '", c.fit(), "': no link and platform by those ids"));
        }
        for (auto& p : *model1.mutable_platforms()) {
          if (p.id() != split->second) continue;
          if (AddUnique(p.mutable_links(), split->first)) {
            model_changed = true;
          } else {
            rep.add_notes(absl::StrCat("fit ", split->first, " to ", split->second,
                                       ": the platform already fits it"));
          }
        }
        break;
      }
      case v1::Change::kAddElement: {
        const std::string& v = c.add_element();
        const size_t last = v.rfind(':');
        int64_t qty = 0;
        if (last == std::string::npos || !absl::SimpleAtoi(v.substr(last + 1), &qty) || qty < 1) {
          return absl::InvalidArgumentError(absl::StrCat(
              "add_element '", v, "': expected PLATFORM:NATION:QUANTITY with quantity >= 1"));
        }
        auto split = SplitKnown(v.substr(0, last),
                                [&](const std::string& id) { return platforms.contains(id); },
                                [&](const std::string& id) { return nations.contains(id); });
        if (!split) {
          return absl::NotFoundError(
              absl::StrCat("add_element '", v, "': no platform and nation by those ids"));
        }
        std::string id = absl::StrCat(split->second, ":", split->first);
        for (int k = 2; element_ids.contains(id); ++k) {
          id = absl::StrCat(split->second, ":", split->first, ":", k);
        }
        element_ids.insert(id);
        v1::ForceElement* e = mix1.add_elements();
        e->set_id(id);
        e->set_platform(split->first);
        e->set_nation(split->second);
        e->set_quantity(qty);
        rep.add_added_elements(id);
        break;
      }
      case v1::Change::CHANGE_NOT_SET:
        return absl::InvalidArgumentError("a what-if change sets nothing");
    }
  }

  // 2. Graphs and mixes: baseline, and the changed state (the same graph unless the model changed).
  v1::Model model0 = model;
  model0.clear_mixes();
  absl::StatusOr<TypedGraph> g0 = graph::BuildGraph(std::move(model0));
  if (!g0.ok()) return g0.status();
  std::optional<TypedGraph> g1_own;
  if (model_changed) {
    absl::StatusOr<TypedGraph> g1 = graph::BuildGraph(std::move(model1));
    if (!g1.ok()) return g1.status();
    g1_own.emplace(std::move(*g1));
  }
  const TypedGraph& G0 = *g0;
  const TypedGraph& G1 = g1_own ? *g1_own : G0;
  absl::StatusOr<ResolvedMix> m0 = graph::ResolveMix(G0, mix);
  if (!m0.ok()) return m0.status();
  absl::StatusOr<ResolvedMix> m1 = graph::ResolveMix(G1, mix1);
  if (!m1.ok()) return m1.status();
  const ResolvedMix& M0 = *m0;
  const ResolvedMix& M1 = *m1;
  const uint32_t n0 = M0.size(), n1 = M1.size();

  // 3. Supply chains.
  absl::StatusOr<SupplyChain> sc0 = SupplyChain::Build(G0);
  if (!sc0.ok()) return sc0.status();
  std::optional<SupplyChain> sc1_own;
  if (model_changed) {
    absl::StatusOr<SupplyChain> sc1 = SupplyChain::Build(G1);
    if (!sc1.ok()) return sc1.status();
    sc1_own.emplace(std::move(*sc1));
  }
  const SupplyChain& SC1 = sc1_own ? *sc1_own : *sc0;
  std::vector<uint32_t> embargo_nations;
  for (const std::string& n : embargoes) embargo_nations.push_back(*G1.Find(EntityKind::kNation, n));
  std::vector<bool> supplier_removed = SC1.SuppliersIn(embargo_nations);
  for (const std::string& s : removed_suppliers) {
    supplier_removed[*G1.Find(EntityKind::kSupplier, s)] = true;
  }
  const Availability av0 = sc0->Compute({});
  const Availability av1 = SC1.Compute(supplier_removed);

  // 4. Present masks.
  std::vector<bool> removed(n1, false);
  for (const std::string& id : removed_element_ids) {
    for (uint32_t e = 0; e < n1; ++e) {
      if (M1.element_ids[e] == id) removed[e] = true;
    }
  }
  for (const std::string& pid : removed_platforms) {
    const uint32_t p = *G1.Find(EntityKind::kPlatform, pid);
    for (uint32_t e = 0; e < n1; ++e) {
      if (M1.platform[e] == p) removed[e] = true;
    }
  }
  State before{&G0, &M0, std::vector<bool>(n0), nullptr, nullptr};
  State after{&G1, &M1, std::vector<bool>(n1), nullptr, nullptr};
  for (uint32_t e = 0; e < n0; ++e) before.present[e] = av0.platform_sustainable[M0.platform[e]];
  std::vector<bool> grounded(n1, false);
  for (uint32_t e = 0; e < n1; ++e) {
    const bool sustainable = av1.platform_sustainable[M1.platform[e]];
    after.present[e] = !removed[e] && sustainable;
    grounded[e] = !removed[e] && !sustainable && (e >= n0 || before.present[e]);
    if (removed[e]) rep.add_removed_elements(M1.element_ids[e]);
    if (grounded[e]) rep.add_grounded_elements(M1.element_ids[e]);
  }
  for (State* s : {&before, &after}) {
    PolicyLevels levels = ComputePolicyLevels(*s->graph, *s->mix, s->present);
    s->strict = std::make_unique<InteropLevels>(std::move(levels.strict));
    s->relaxed = std::make_unique<InteropLevels>(std::move(levels.relaxed));
  }

  // 5. The diff, one enumeration over the after-mix's pairs (the baseline's pairs are the subset
  // with both ends below n0: selector membership of an old element does not change).
  const size_t limit = options.max_gaps < 0 ? SIZE_MAX : static_cast<size_t>(options.max_gaps);
  std::vector<PairRef> opened, closed, changed;
  int64_t opened_total = 0, closed_total = 0, changed_total = 0;
  for (uint32_t k = 0; k < M1.iers.size(); ++k) {
    const graph::ResolvedIer& ier = M1.iers[k];
    for (uint32_t a : ier.from) {
      for (uint32_t b : ier.to) {
        if (a == b) continue;
        const auto [ach1, cls1] = after.Eval(a, b, ier.min_level);
        const bool old = a < n0 && b < n0;
        std::pair<int, v1::GapClass> st0 = {0, v1::GAP_CLASS_UNSPECIFIED};
        if (old) st0 = before.Eval(a, b, ier.min_level);
        const auto [ach0, cls0] = st0;
        const bool gap0 = old && cls0 != v1::GAP_CLASS_UNSPECIFIED;
        const bool gap1 = cls1 != v1::GAP_CLASS_UNSPECIFIED;
        if (gap1 && !gap0) {
          if (opened.size() < limit) opened.push_back({k, a, b});
          ++opened_total;
        } else if (gap0 && !gap1) {
          if (closed.size() < limit) closed.push_back({k, a, b});
          ++closed_total;
        } else if (gap0 && gap1 && (cls0 != cls1 || ach0 != ach1)) {
          if (changed.size() < limit) changed.push_back({k, a, b});
          ++changed_total;
        }
      }
    }
  }
  for (v1::Gap& g : Detail(after, opened)) *rep.add_gaps_opened() = std::move(g);
  for (v1::Gap& g : Detail(before, closed)) *rep.add_gaps_closed() = std::move(g);
  std::vector<v1::Gap> changed_before = Detail(before, changed);
  std::vector<v1::Gap> changed_after = Detail(after, changed);
  for (size_t i = 0; i < changed.size(); ++i) {
    v1::GapChange* gc = rep.add_gaps_changed();
    *gc->mutable_before() = std::move(changed_before[i]);
    *gc->mutable_after() = std::move(changed_after[i]);
  }
  rep.set_gaps_opened_total(opened_total);
  rep.set_gaps_closed_total(closed_total);
  rep.set_gaps_changed_total(changed_total);

  // 6. Aggregates.
  const int full = options.full_reports ? -1 : 0;
  result.before = AnalyzeGaps(G0, M0, *before.strict, *before.relaxed, {full});
  result.after = AnalyzeGaps(G1, M1, *after.strict, *after.relaxed, {full});
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
  auto totals = [](const TypedGraph& g, const ResolvedMix& m, const std::vector<bool>& present,
                   const std::vector<bool>* removed_mask, const std::vector<bool>* grounded_mask) {
    Totals t;
    for (uint32_t e = 0; e < m.size(); ++e) {
      const double q = static_cast<double>(m.quantity[e]);
      const double c = q * g.platform(m.platform[e]).unit_cost_musd;
      const bool is_removed = removed_mask != nullptr && (*removed_mask)[e];
      const bool is_grounded =
          grounded_mask != nullptr ? (*grounded_mask)[e] : (!present[e] && !is_removed);
      if (present[e]) {
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
  const Totals t0 = totals(G0, M0, before.present, nullptr, nullptr);
  // After: grounded counts every element not removed and unsustainable (the baseline's too).
  std::vector<bool> grounded_after(n1);
  for (uint32_t e = 0; e < n1; ++e) grounded_after[e] = !removed[e] && !after.present[e];
  const Totals t1 = totals(G1, M1, after.present, &removed, &grounded_after);
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
