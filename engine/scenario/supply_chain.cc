#include "engine/scenario/supply_chain.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace coalition::scenario {
namespace {

using graph::EdgeKind;
using graph::EntityKind;
using graph::NodeId;
using graph::TypedGraph;

// Builds a CSR (begin, targets) from per-source lists given as (source, target) pairs, keeping
// the pairs' order within a source.
void BuildRows(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& pairs,
               std::vector<uint32_t>* begin, std::vector<uint32_t>* targets) {
  begin->assign(n + 1, 0);
  for (const auto& [s, t] : pairs) (*begin)[s + 1]++;
  for (uint32_t i = 0; i < n; ++i) (*begin)[i + 1] += (*begin)[i];
  targets->resize(pairs.size());
  std::vector<uint32_t> fill(begin->begin(), begin->end() - 1);
  for (const auto& [s, t] : pairs) (*targets)[fill[s]++] = t;
}

}  // namespace

absl::StatusOr<SupplyChain> SupplyChain::Build(const TypedGraph& g) {
  SupplyChain sc;
  sc.g_ = &g;
  const uint32_t nc = g.Count(EntityKind::kComponent);
  const uint32_t ns = g.Count(EntityKind::kSupplier);
  const uint32_t np = g.Count(EntityKind::kPlatform);
  const uint32_t nn = g.Count(EntityKind::kNation);

  // Forward rows straight from the graph (local indices).
  auto forward = [&](EntityKind kind, uint32_t count, EdgeKind edge, std::vector<uint32_t>* begin,
                     std::vector<uint32_t>* out) {
    begin->assign(count + 1, 0);
    for (uint32_t i = 0; i < count; ++i) {
      for (NodeId t : g.Neighbors(g.Node(kind, i), edge)) out->push_back(g.Local(t));
      (*begin)[i + 1] = static_cast<uint32_t>(out->size());
    }
  };
  forward(EntityKind::kComponent, nc, EdgeKind::kSuppliedBy, &sc.sup_begin_, &sc.sup_);
  forward(EntityKind::kComponent, nc, EdgeKind::kSubCritical, &sc.sub_begin_, &sc.sub_);
  forward(EntityKind::kPlatform, np, EdgeKind::kUsesCritical, &sc.use_begin_, &sc.use_);

  // Reverse rows.
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  pairs.reserve(sc.sup_.size());
  for (uint32_t c = 0; c < nc; ++c) {
    for (uint32_t i = sc.sup_begin_[c]; i < sc.sup_begin_[c + 1]; ++i) pairs.push_back({sc.sup_[i], c});
  }
  BuildRows(ns, pairs, &sc.rsup_begin_, &sc.rsup_);
  pairs.clear();
  for (uint32_t c = 0; c < nc; ++c) {
    for (uint32_t i = sc.sub_begin_[c]; i < sc.sub_begin_[c + 1]; ++i) pairs.push_back({sc.sub_[i], c});
  }
  BuildRows(nc, pairs, &sc.rsub_begin_, &sc.rsub_);
  pairs.clear();
  for (uint32_t p = 0; p < np; ++p) {
    for (uint32_t i = sc.use_begin_[p]; i < sc.use_begin_[p + 1]; ++i) pairs.push_back({sc.use_[i], p});
  }
  BuildRows(nc, pairs, &sc.ruse_begin_, &sc.ruse_);
  pairs.clear();
  for (uint32_t s = 0; s < ns; ++s) {
    for (NodeId n : g.Neighbors(g.Node(EntityKind::kSupplier, s), EdgeKind::kLocatedIn)) {
      pairs.push_back({g.Local(n), s});
    }
  }
  BuildRows(nn, pairs, &sc.nation_sup_begin_, &sc.nation_sup_);

  // Restrictions in force: suppliers cut, nations denied (groups expanded), and the reverse.
  std::vector<std::vector<uint32_t>> group_members(g.Count(EntityKind::kGroup));
  for (uint32_t n = 0; n < nn; ++n) {
    for (NodeId grp : g.Neighbors(g.Node(EntityKind::kNation, n), EdgeKind::kMemberOf)) {
      group_members[g.Local(grp)].push_back(n);
    }
  }
  sc.rs_begin_.push_back(0);
  sc.rn_begin_.push_back(0);
  std::vector<std::pair<uint32_t, uint32_t>> nation_restrictions;
  for (uint32_t r = 0; r < g.num_restrictions(); ++r) {
    const graph::RestrictionRow& row = g.restriction(r);
    std::vector<uint32_t> sup, nat;
    if (row.supplier != graph::kNoIndex) sup.push_back(row.supplier);
    if (row.supplier_nation != graph::kNoIndex) {
      auto of = sc.SuppliersOf(row.supplier_nation);
      sup.insert(sup.end(), of.begin(), of.end());
    }
    for (NodeId party : g.restriction_denied(r)) {
      if (g.KindOf(party) == EntityKind::kNation) {
        nat.push_back(g.Local(party));
      } else {
        const auto& m = group_members[g.Local(party)];
        nat.insert(nat.end(), m.begin(), m.end());
      }
    }
    for (auto* v : {&sup, &nat}) {
      std::sort(v->begin(), v->end());
      v->erase(std::unique(v->begin(), v->end()), v->end());
    }
    sc.rs_.insert(sc.rs_.end(), sup.begin(), sup.end());
    sc.rn_.insert(sc.rn_.end(), nat.begin(), nat.end());
    sc.rs_begin_.push_back(static_cast<uint32_t>(sc.rs_.size()));
    sc.rn_begin_.push_back(static_cast<uint32_t>(sc.rn_.size()));
    for (uint32_t n : nat) nation_restrictions.push_back({n, r});
  }
  BuildRows(nn, nation_restrictions, &sc.nr_begin_, &sc.nr_);

  // Kahn's algorithm, children first: a component is ready once all its critical subs are.
  std::vector<uint32_t> pending(nc);
  sc.order_.reserve(nc);
  for (uint32_t c = 0; c < nc; ++c) {
    pending[c] = sc.sub_begin_[c + 1] - sc.sub_begin_[c];
    if (pending[c] == 0) sc.order_.push_back(c);
  }
  for (size_t head = 0; head < sc.order_.size(); ++head) {
    const uint32_t c = sc.order_[head];
    for (uint32_t i = sc.rsub_begin_[c]; i < sc.rsub_begin_[c + 1]; ++i) {
      if (--pending[sc.rsub_[i]] == 0) sc.order_.push_back(sc.rsub_[i]);
    }
  }
  if (sc.order_.size() != nc) {
    for (uint32_t c = 0; c < nc; ++c) {
      if (pending[c] > 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("critical sub-components form a cycle through component '",
                         g.Id(EntityKind::kComponent, c), "'"));
      }
    }
  }
  return sc;
}

Availability SupplyChain::Compute(const std::vector<bool>& supplier_removed) const {
  const uint32_t nc = static_cast<uint32_t>(sup_begin_.size() - 1);
  const uint32_t np = static_cast<uint32_t>(use_begin_.size() - 1);
  Availability a;
  a.component_available.assign(nc, 0);
  for (uint32_t c : order_) {
    bool supplied = false;
    for (uint32_t i = sup_begin_[c]; i < sup_begin_[c + 1] && !supplied; ++i) {
      supplied = supplier_removed.empty() || !supplier_removed[sup_[i]];
    }
    bool subs = true;
    for (uint32_t i = sub_begin_[c]; i < sub_begin_[c + 1] && subs; ++i) {
      subs = a.component_available[sub_[i]] != 0;
    }
    a.component_available[c] = supplied && subs;
  }
  a.platform_sustainable.assign(np, 0);
  for (uint32_t p = 0; p < np; ++p) {
    bool ok = true;
    for (uint32_t i = use_begin_[p]; i < use_begin_[p + 1] && ok; ++i) {
      ok = a.component_available[use_[i]] != 0;
    }
    a.platform_sustainable[p] = ok;
  }
  return a;
}

std::vector<bool> SupplyChain::SuppliersIn(absl::Span<const uint32_t> nations) const {
  std::vector<bool> removed(rsup_begin_.size() - 1, false);
  for (uint32_t n : nations) {
    for (uint32_t i = nation_sup_begin_[n]; i < nation_sup_begin_[n + 1]; ++i) {
      removed[nation_sup_[i]] = true;
    }
  }
  return removed;
}

std::vector<bool> SupplyChain::RestrictedFor(uint32_t nation,
                                             absl::Span<const uint32_t> lifted) const {
  std::vector<bool> removed;
  for (uint32_t r : RestrictionsOn(nation)) {
    if (!lifted.empty() && lifted[r]) continue;
    if (removed.empty()) removed.assign(rsup_begin_.size() - 1, false);
    for (uint32_t s : RestrictionSuppliers(r)) removed[s] = true;
  }
  return removed;
}

void SupplyChain::ForEachNationEmbargo(
    const Availability& baseline, const std::vector<bool>& baseline_removed,
    absl::FunctionRef<void(uint32_t, absl::Span<const uint32_t>, absl::Span<const uint32_t>)> f)
    const {
  const uint32_t nc = static_cast<uint32_t>(sup_begin_.size() - 1);
  const uint32_t np = static_cast<uint32_t>(use_begin_.size() - 1);
  const uint32_t nn = static_cast<uint32_t>(nation_sup_begin_.size() - 1);
  std::vector<uint32_t> lost(nc, 0);           // supplier edges removed, reset via `touched`
  std::vector<uint32_t> dead(nc, 0);           // == epoch: unavailable under this embargo
  std::vector<uint32_t> grounded(np, 0);       // == epoch: unsustainable under this embargo
  // Supplier edges per component that supply at baseline.
  std::vector<uint32_t> live(nc);
  for (uint32_t c = 0; c < nc; ++c) {
    for (uint32_t i = sup_begin_[c]; i < sup_begin_[c + 1]; ++i) {
      live[c] += baseline_removed.empty() || !baseline_removed[sup_[i]];
    }
  }
  std::vector<uint32_t> touched, stack, out, lost_components;
  for (uint32_t n = 0; n < nn; ++n) {
    const uint32_t epoch = n + 1;
    touched.clear();
    stack.clear();
    out.clear();
    lost_components.clear();
    for (uint32_t i = nation_sup_begin_[n]; i < nation_sup_begin_[n + 1]; ++i) {
      const uint32_t s = nation_sup_[i];
      if (!baseline_removed.empty() && baseline_removed[s]) continue;
      for (uint32_t j = rsup_begin_[s]; j < rsup_begin_[s + 1]; ++j) {
        const uint32_t c = rsup_[j];
        if (!baseline.component_available[c]) continue;
        if (lost[c]++ == 0) touched.push_back(c);
        if (lost[c] == live[c] && dead[c] != epoch) {
          dead[c] = epoch;
          stack.push_back(c);
        }
      }
    }
    while (!stack.empty()) {
      const uint32_t c = stack.back();
      stack.pop_back();
      lost_components.push_back(c);
      for (uint32_t i = rsub_begin_[c]; i < rsub_begin_[c + 1]; ++i) {
        const uint32_t parent = rsub_[i];
        if (baseline.component_available[parent] && dead[parent] != epoch) {
          dead[parent] = epoch;
          stack.push_back(parent);
        }
      }
      for (uint32_t i = ruse_begin_[c]; i < ruse_begin_[c + 1]; ++i) {
        const uint32_t p = ruse_[i];
        if (baseline.platform_sustainable[p] && grounded[p] != epoch) {
          grounded[p] = epoch;
          out.push_back(p);
        }
      }
    }
    for (uint32_t c : touched) lost[c] = 0;
    std::sort(out.begin(), out.end());
    std::sort(lost_components.begin(), lost_components.end());
    f(n, out, lost_components);
  }
}

}  // namespace coalition::scenario
