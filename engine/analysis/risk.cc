#include "engine/analysis/risk.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
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

double Share(double part, double whole) { return whole > 0 ? part / whole : 0.0; }

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

namespace {

// What the risk report needs to know about one component, computed once.
struct ComponentFacts {
  bool known = false;
  std::vector<uint32_t> suppliers;            // distinct, model order (local)
  std::vector<uint32_t> adversary_suppliers;  // those in ADVERSARY nations
  std::vector<std::string> nations;           // distinct supplier nations, sorted ids
  std::vector<std::string> adversary_nations;
  bool single_source = false;
  v1::AdversaryDependency adversary = v1::ADVERSARY_DEPENDENCY_UNSPECIFIED;
  bool itar = false;
};

// A platform's critical components in depth-first preorder (uses, then sub-components, in model
// order), each with the index of the entry it was reached from (-1 for a direct use).
struct ClosureEntry {
  uint32_t component;
  int32_t parent;
};

class RiskBuilder {
 public:
  RiskBuilder(const TypedGraph& g, const graph::ResolvedMix& mix, const RiskOptions& options)
      : g_(g), mix_(mix), options_(options), facts_(g.Count(EntityKind::kComponent)) {}

  const ComponentFacts& Facts(uint32_t c) {
    ComponentFacts& f = facts_[c];
    if (f.known) return f;
    f.known = true;
    const NodeId node = g_.Node(EntityKind::kComponent, c);
    for (NodeId s : g_.Neighbors(node, EdgeKind::kSuppliedBy)) {
      const uint32_t sl = g_.Local(s);
      if (std::find(f.suppliers.begin(), f.suppliers.end(), sl) != f.suppliers.end()) continue;
      f.suppliers.push_back(sl);
      for (NodeId n : g_.Neighbors(s, EdgeKind::kLocatedIn)) {
        const std::string nid(g_.IdOf(n));
        if (std::find(f.nations.begin(), f.nations.end(), nid) == f.nations.end()) {
          f.nations.push_back(nid);
        }
        if (g_.nation(g_.Local(n)).supply_risk == v1::Nation::ADVERSARY) {
          f.adversary_suppliers.push_back(sl);
          if (std::find(f.adversary_nations.begin(), f.adversary_nations.end(), nid) ==
              f.adversary_nations.end()) {
            f.adversary_nations.push_back(nid);
          }
        }
      }
    }
    std::sort(f.nations.begin(), f.nations.end());
    std::sort(f.adversary_nations.begin(), f.adversary_nations.end());
    f.single_source = !f.suppliers.empty() && f.nations.size() == 1;
    if (!f.adversary_suppliers.empty()) {
      f.adversary = f.adversary_suppliers.size() == f.suppliers.size() ? v1::CRITICAL : v1::HIGH;
    }
    f.itar = g_.component(c).export_control == v1::ITAR;
    return f;
  }

  const std::vector<ClosureEntry>& Closure(uint32_t platform) {
    auto [it, inserted] = closures_.try_emplace(platform);
    if (!inserted) return it->second;
    std::vector<ClosureEntry>& out = it->second;
    if (seen_.empty()) seen_.assign(g_.Count(EntityKind::kComponent), 0);
    ++epoch_;
    std::vector<std::pair<uint32_t, int32_t>> stack;  // (component, parent entry)
    auto uses = g_.Neighbors(g_.Node(EntityKind::kPlatform, platform), EdgeKind::kUsesCritical);
    for (size_t i = uses.size(); i-- > 0;) stack.push_back({g_.Local(uses[i]), -1});
    while (!stack.empty()) {
      auto [c, parent] = stack.back();
      stack.pop_back();
      if (seen_[c] == epoch_) continue;
      seen_[c] = epoch_;
      const int32_t self = static_cast<int32_t>(out.size());
      out.push_back({c, parent});
      auto subs = g_.Neighbors(g_.Node(EntityKind::kComponent, c), EdgeKind::kSubCritical);
      for (size_t i = subs.size(); i-- > 0;) stack.push_back({g_.Local(subs[i]), self});
    }
    return out;
  }

  // element -> platform -> component -> ... -> (supplier -> nation).
  v1::Chain MakeChain(uint32_t e, const std::vector<ClosureEntry>& closure, int32_t entry,
                      int64_t supplier) const {
    v1::Chain chain;
    chain.add_ids(mix_.element_ids[e]);
    chain.add_ids(std::string(g_.Id(EntityKind::kPlatform, mix_.platform[e])));
    std::vector<uint32_t> path;
    for (int32_t i = entry; i >= 0; i = closure[i].parent) path.push_back(closure[i].component);
    for (size_t i = path.size(); i-- > 0;) {
      chain.add_ids(std::string(g_.Id(EntityKind::kComponent, path[i])));
    }
    if (supplier >= 0) {
      const uint32_t s = static_cast<uint32_t>(supplier);
      chain.add_ids(std::string(g_.Id(EntityKind::kSupplier, s)));
      for (NodeId n : g_.Neighbors(g_.Node(EntityKind::kSupplier, s), EdgeKind::kLocatedIn)) {
        chain.add_ids(std::string(g_.IdOf(n)));
      }
    }
    return chain;
  }

  std::string SupplierList(const std::vector<uint32_t>& suppliers) const {
    std::vector<std::string> parts;
    for (uint32_t s : suppliers) {
      std::string nation;
      for (NodeId n : g_.Neighbors(g_.Node(EntityKind::kSupplier, s), EdgeKind::kLocatedIn)) {
        nation = std::string(g_.IdOf(n));
      }
      parts.push_back(absl::StrCat(g_.Id(EntityKind::kSupplier, s), " (", nation, ")"));
    }
    return absl::StrJoin(parts, ", ");
  }

  std::vector<std::string> SupplierIds(const std::vector<uint32_t>& suppliers) const {
    std::vector<std::string> out;
    for (uint32_t s : suppliers) out.emplace_back(g_.Id(EntityKind::kSupplier, s));
    return out;
  }

 private:
  const TypedGraph& g_;
  const graph::ResolvedMix& mix_;
  const RiskOptions& options_;
  std::vector<ComponentFacts> facts_;
  absl::flat_hash_map<uint32_t, std::vector<ClosureEntry>> closures_;
  std::vector<uint32_t> seen_;
  uint32_t epoch_ = 0;
};

// ITAR exposure per nation: neither the US nor in an itar_exempt group with it.
std::vector<bool> ItarExposed(const TypedGraph& g, const std::string& us_id) {
  const uint32_t nn = g.Count(EntityKind::kNation);
  std::vector<bool> exposed(nn, true);
  const std::optional<uint32_t> us = g.Find(EntityKind::kNation, us_id);
  if (!us) return exposed;
  exposed[*us] = false;
  std::vector<bool> us_exempt_group(g.Count(EntityKind::kGroup), false);
  for (NodeId grp : g.Neighbors(g.Node(EntityKind::kNation, *us), EdgeKind::kMemberOf)) {
    if (g.group(g.Local(grp)).itar_exempt) us_exempt_group[g.Local(grp)] = true;
  }
  for (uint32_t n = 0; n < nn; ++n) {
    for (NodeId grp : g.Neighbors(g.Node(EntityKind::kNation, n), EdgeKind::kMemberOf)) {
      if (us_exempt_group[g.Local(grp)]) exposed[n] = false;
    }
  }
  return exposed;
}

std::string SourcingName(v1::Sourcing s) {
  return s == v1::SOURCING_UNSPECIFIED ? "SOURCING_UNSPECIFIED" : v1::Sourcing_Name(s);
}

}  // namespace

v1::RiskReport AnalyzeRisk(const TypedGraph& g, const graph::ResolvedMix& mix,
                           const SupplyChain& chain, const RiskOptions& options) {
  v1::RiskReport r;
  r.set_model_name(g.model_name());
  r.set_mix_name(mix.name);
  r.set_elements_count(static_cast<int32_t>(mix.size()));
  r.set_max_findings(options.max_findings);
  const uint32_t n_el = mix.size();
  std::vector<double> cost(n_el);
  int64_t units = 0;
  double total_cost = 0;
  for (uint32_t e = 0; e < n_el; ++e) {
    cost[e] = static_cast<double>(mix.quantity[e]) * g.platform(mix.platform[e]).unit_cost_musd;
    units += mix.quantity[e];
    total_cost += cost[e];
  }
  r.set_units(units);
  r.set_cost_musd(total_cost);

  // Baseline and every nation's embargo.
  const Availability baseline = chain.Compute({});
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> elements_of;  // platform -> elements
  for (uint32_t e = 0; e < n_el; ++e) elements_of[mix.platform[e]].push_back(e);
  std::vector<std::vector<std::string>> grounded_by(n_el);
  std::vector<v1::NationExposure> exposures;
  chain.ForEachNationEmbargo(baseline, [&](uint32_t n, absl::Span<const uint32_t> platforms) {
    std::vector<uint32_t> grounded;
    for (uint32_t p : platforms) {
      auto it = elements_of.find(p);
      if (it != elements_of.end()) grounded.insert(grounded.end(), it->second.begin(), it->second.end());
    }
    if (grounded.empty()) return;
    std::sort(grounded.begin(), grounded.end());
    v1::NationExposure x;
    x.set_nation(std::string(g.Id(EntityKind::kNation, n)));
    int64_t u = 0;
    double c = 0;
    for (uint32_t e : grounded) {
      x.add_grounded_elements(mix.element_ids[e]);
      u += mix.quantity[e];
      c += cost[e];
      grounded_by[e].push_back(x.nation());
    }
    x.set_grounded_units(u);
    x.set_grounded_cost_musd(c);
    x.set_unit_share(Share(static_cast<double>(u), static_cast<double>(units)));
    x.set_cost_share(Share(c, total_cost));
    exposures.push_back(std::move(x));
  });
  r.set_nations_evaluated(static_cast<int32_t>(g.Count(EntityKind::kNation)));
  std::sort(exposures.begin(), exposures.end(),
            [](const v1::NationExposure& a, const v1::NationExposure& b) {
              return std::make_tuple(-a.unit_share(), -a.cost_share(), a.nation()) <
                     std::make_tuple(-b.unit_share(), -b.cost_share(), b.nation());
            });
  for (auto& x : exposures) *r.add_exposures() = std::move(x);

  // Findings per element.
  const std::vector<bool> itar_exposed = ItarExposed(g, options.us_nation);
  RiskBuilder rb(g, mix, options);
  const size_t limit =
      options.max_findings < 0 ? SIZE_MAX : static_cast<size_t>(options.max_findings);
  struct KindTotals {
    int64_t findings = 0;
    int32_t elements = 0;
    int64_t units = 0;
    double cost = 0;
  };
  KindTotals kinds[4];  // SINGLE_SOURCE, ADVERSARY_HIGH, ADVERSARY_CRITICAL, ITAR_EXPOSURE
  int64_t findings_total = 0;
  for (uint32_t e = 0; e < n_el; ++e) {
    const uint32_t p = mix.platform[e];
    const std::string& eid = mix.element_ids[e];
    const std::string pid(g.Id(EntityKind::kPlatform, p));
    v1::ElementRisk* er = r.add_elements();
    er->set_element(eid);
    er->set_platform(pid);
    er->set_nation(std::string(g.Id(EntityKind::kNation, mix.nation[e])));
    er->set_quantity(mix.quantity[e]);
    er->set_cost_musd(cost[e]);
    er->set_sustainable(baseline.platform_sustainable[p] != 0);
    er->set_sourcing(SourcingName(g.platform(p).sourcing));
    for (const std::string& n : grounded_by[e]) er->add_grounded_by(n);
    std::sort(er->mutable_grounded_by()->begin(), er->mutable_grounded_by()->end());
    if (!baseline.platform_sustainable[p]) r.add_unsustainable_elements(eid);

    const std::vector<ClosureEntry>& closure = rb.Closure(p);
    er->set_critical_components(static_cast<int32_t>(closure.size()));
    int32_t single = 0, itar = 0, high = 0, critical = 0;
    auto add = [&](v1::RiskFinding::Kind kind, int32_t entry, int64_t supplier,
                   const std::vector<uint32_t>& suppliers, const std::vector<std::string>& nations,
                   v1::AdversaryDependency severity, std::string explanation) {
      ++findings_total;
      if (static_cast<size_t>(r.findings_size()) >= limit) return;
      v1::RiskFinding* f = r.add_findings();
      f->set_kind(kind);
      f->set_element(eid);
      f->set_component(std::string(g.Id(EntityKind::kComponent, closure[entry].component)));
      f->set_severity(severity);
      *f->mutable_chain() = rb.MakeChain(e, closure, entry, supplier);
      f->set_explanation(std::move(explanation));
      for (std::string& s : rb.SupplierIds(suppliers)) f->add_suppliers(std::move(s));
      for (const std::string& n : nations) f->add_nations(n);
    };
    for (int32_t i = 0; i < static_cast<int32_t>(closure.size()); ++i) {
      const uint32_t c = closure[i].component;
      const ComponentFacts& facts = rb.Facts(c);
      const std::string cid(g.Id(EntityKind::kComponent, c));
      if (facts.single_source) {
        ++single;
        add(v1::RiskFinding::SINGLE_SOURCE, i, facts.suppliers[0], facts.suppliers, facts.nations,
            v1::ADVERSARY_DEPENDENCY_UNSPECIFIED,
            facts.suppliers.size() == 1
                ? absl::StrCat(eid, " (", pid, ") needs ", cid, ", made only by ",
                               rb.SupplierList(facts.suppliers))
                : absl::StrCat(eid, " (", pid, ") needs ", cid, ", whose suppliers ",
                               rb.SupplierList(facts.suppliers), " are all in ", facts.nations[0]));
      }
      if (facts.adversary != v1::ADVERSARY_DEPENDENCY_UNSPECIFIED) {
        (facts.adversary == v1::CRITICAL ? critical : high)++;
        add(v1::RiskFinding::ADVERSARY_DEPENDENCY, i, facts.adversary_suppliers[0],
            facts.adversary_suppliers, facts.adversary_nations, facts.adversary,
            absl::StrCat(eid, " (", pid, ") needs ", cid, ", ",
                         facts.adversary == v1::CRITICAL ? "made only" : "partly made",
                         " in adversary nations: ", rb.SupplierList(facts.adversary_suppliers)));
      }
      if (facts.itar && itar_exposed[mix.nation[e]]) {
        ++itar;
        add(v1::RiskFinding::ITAR_EXPOSURE, i,
            facts.suppliers.empty() ? -1 : static_cast<int64_t>(facts.suppliers[0]),
            facts.suppliers, facts.nations, v1::ADVERSARY_DEPENDENCY_UNSPECIFIED,
            absl::StrCat(cid, " in ", eid, " (", pid, ") is ITAR-controlled and the operator ",
                         er->nation(), " is neither ", options.us_nation,
                         " nor in an itar_exempt group with it"));
      }
    }
    er->set_single_source(single);
    er->set_itar_exposed(itar);
    er->set_adversary(critical > 0 ? v1::CRITICAL
                                   : (high > 0 ? v1::HIGH : v1::ADVERSARY_DEPENDENCY_UNSPECIFIED));
    const int32_t per_kind[4] = {single, critical == 0 ? high : 0, critical, itar};
    const int64_t kind_findings[4] = {single, high, critical, itar};
    for (int k = 0; k < 4; ++k) {
      kinds[k].findings += kind_findings[k];
      if (per_kind[k] == 0) continue;
      kinds[k].elements++;
      kinds[k].units += mix.quantity[e];
      kinds[k].cost += cost[e];
    }
  }
  r.set_findings_total(findings_total);
  r.set_findings_omitted(findings_total - r.findings_size());
  const char* kind_names[4] = {"SINGLE_SOURCE", "ADVERSARY_HIGH", "ADVERSARY_CRITICAL",
                               "ITAR_EXPOSURE"};
  for (int k = 0; k < 4; ++k) {
    v1::FindingCounts* fc = r.add_by_kind();
    fc->set_kind(kind_names[k]);
    fc->set_findings(kinds[k].findings);
    fc->set_elements(kinds[k].elements);
    fc->set_units(kinds[k].units);
    fc->set_cost_musd(kinds[k].cost);
    fc->set_unit_share(Share(static_cast<double>(kinds[k].units), static_cast<double>(units)));
    fc->set_cost_share(Share(kinds[k].cost, total_cost));
  }

  // Sourcing shares.
  for (v1::Sourcing s : {v1::US_BUILT, v1::CO_PRODUCED, v1::THIRD_PARTY}) {
    int64_t u = 0;
    double c = 0;
    for (uint32_t e = 0; e < n_el; ++e) {
      if (g.platform(mix.platform[e]).sourcing != s) continue;
      u += mix.quantity[e];
      c += cost[e];
    }
    v1::SourcingShare* ss = r.add_sourcing();
    ss->set_sourcing(v1::Sourcing_Name(s));
    ss->set_units(u);
    ss->set_cost_musd(c);
    ss->set_unit_share(Share(static_cast<double>(u), static_cast<double>(units)));
    ss->set_cost_share(Share(c, total_cost));
  }
  return r;
}

}  // namespace coalition::analysis
