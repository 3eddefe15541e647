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

void SupplyChain::ForEachNationEmbargo(
    const Availability& baseline,
    absl::FunctionRef<void(uint32_t, absl::Span<const uint32_t>)> f) const {
  const uint32_t nc = static_cast<uint32_t>(sup_begin_.size() - 1);
  const uint32_t np = static_cast<uint32_t>(use_begin_.size() - 1);
  const uint32_t nn = static_cast<uint32_t>(nation_sup_begin_.size() - 1);
  std::vector<uint32_t> lost(nc, 0);           // supplier edges removed, reset via `touched`
  std::vector<uint32_t> dead(nc, 0);           // == epoch: unavailable under this embargo
  std::vector<uint32_t> grounded(np, 0);       // == epoch: unsustainable under this embargo
  std::vector<uint32_t> touched, stack, out;
  for (uint32_t n = 0; n < nn; ++n) {
    const uint32_t epoch = n + 1;
    touched.clear();
    stack.clear();
    out.clear();
    for (uint32_t i = nation_sup_begin_[n]; i < nation_sup_begin_[n + 1]; ++i) {
      const uint32_t s = nation_sup_[i];
      for (uint32_t j = rsup_begin_[s]; j < rsup_begin_[s + 1]; ++j) {
        const uint32_t c = rsup_[j];
        if (!baseline.component_available[c]) continue;
        if (lost[c]++ == 0) touched.push_back(c);
        if (lost[c] == sup_begin_[c + 1] - sup_begin_[c] && dead[c] != epoch) {
          dead[c] = epoch;
          stack.push_back(c);
        }
      }
    }
    while (!stack.empty()) {
      const uint32_t c = stack.back();
      stack.pop_back();
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
    f(n, out);
  }
}

}  // namespace coalition::scenario
