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

double Share(double part, double whole) { return whole > 0 ? part / whole : 0.0; }

}  // namespace

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

  // The nation each supplier is located in (empty if none), in the order given.
  std::vector<std::string> SupplierNations(const std::vector<uint32_t>& suppliers) const {
    std::vector<std::string> out;
    for (uint32_t s : suppliers) {
      std::string nation;
      for (NodeId n : g_.Neighbors(g_.Node(EntityKind::kSupplier, s), EdgeKind::kLocatedIn)) {
        nation = std::string(g_.IdOf(n));
      }
      out.push_back(std::move(nation));
    }
    return out;
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
std::vector<bool> ItarExposed(const TypedGraph& g, std::optional<uint32_t> us) {
  const uint32_t nn = g.Count(EntityKind::kNation);
  std::vector<bool> exposed(nn, true);
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

  // Supply profiles: the nations a restriction in force denies each see their own baseline; every
  // other nation sees the unrestricted one (profile 0).
  struct Profile {
    std::vector<bool> removed;  // suppliers that do not supply the profile's nation(s)
    Availability baseline;
    std::vector<uint32_t> elements;  // mix order
  };
  std::vector<Profile> profiles(1);
  profiles[0].baseline = chain.Compute({});
  absl::flat_hash_map<uint32_t, uint32_t> profile_of_nation;
  for (uint32_t e = 0; e < n_el; ++e) {
    const uint32_t n = mix.nation[e];
    auto [it, inserted] = profile_of_nation.try_emplace(n, 0);
    if (inserted) {
      std::vector<bool> removed = chain.RestrictedFor(n, {});
      if (!removed.empty()) {
        it->second = static_cast<uint32_t>(profiles.size());
        Profile& p = profiles.emplace_back();
        p.baseline = chain.Compute(removed);
        p.removed = std::move(removed);
      }
    }
    profiles[it->second].elements.push_back(e);
  }
  const Availability& unrestricted = profiles[0].baseline;
  auto sustainable = [&](uint32_t e) {
    const Profile& prof = profiles[profile_of_nation.at(mix.nation[e])];
    return prof.baseline.platform_sustainable[mix.platform[e]] != 0;
  };

  // Every nation's embargo, per profile: the elements of other nations it grounds, each with its
  // time to ground (the smallest stock among the critical components it loses).
  RiskBuilder rb(g, mix, options);
  struct Grounding {
    uint32_t element;
    double months;
    std::vector<uint32_t> components;  // lost critical components with that stock
  };
  std::vector<std::vector<Grounding>> by_nation(g.Count(EntityKind::kNation));
  for (const Profile& prof : profiles) {
    if (prof.elements.empty()) continue;
    absl::flat_hash_map<uint32_t, std::vector<uint32_t>> elements_of;  // platform -> elements
    for (uint32_t e : prof.elements) elements_of[mix.platform[e]].push_back(e);
    chain.ForEachNationEmbargo(
        prof.baseline, prof.removed,
        [&](uint32_t x, absl::Span<const uint32_t> platforms, absl::Span<const uint32_t> lost) {
          for (uint32_t p : platforms) {
            auto it = elements_of.find(p);
            if (it == elements_of.end()) continue;
            Grounding gr{0, 0, {}};
            bool first = true;
            for (const ClosureEntry& ce : rb.Closure(p)) {
              if (!std::binary_search(lost.begin(), lost.end(), ce.component)) continue;
              const double m = g.component(ce.component).stock_months;
              if (first || m < gr.months) {
                gr.months = m;
                gr.components.clear();
                first = false;
              }
              if (m == gr.months) gr.components.push_back(ce.component);
            }
            std::sort(gr.components.begin(), gr.components.end());
            for (uint32_t e : it->second) {
              if (!scenario::EmbargoReaches(x, mix.nation[e])) continue;
              gr.element = e;
              by_nation[x].push_back(gr);
            }
          }
        });
  }
  std::vector<std::vector<std::string>> grounded_by(n_el);
  std::vector<v1::NationExposure> exposures;
  const double horizon = options.horizon_months;
  for (uint32_t x = 0; x < by_nation.size(); ++x) {
    std::vector<Grounding>& grounded = by_nation[x];
    if (grounded.empty()) continue;
    std::sort(grounded.begin(), grounded.end(),
              [](const Grounding& a, const Grounding& b) { return a.element < b.element; });
    v1::NationExposure ex;
    ex.set_nation(std::string(g.Id(EntityKind::kNation, x)));
    int64_t u = 0, uh = 0;
    double c = 0, ch = 0;
    for (const Grounding& gr : grounded) {
      const uint32_t e = gr.element;
      ex.add_grounded_elements(mix.element_ids[e]);
      v1::GroundedElement* ge = ex.add_grounded();
      ge->set_element(mix.element_ids[e]);
      ge->set_months(gr.months);
      for (uint32_t comp : gr.components) {
        ge->add_components(std::string(g.Id(EntityKind::kComponent, comp)));
      }
      u += mix.quantity[e];
      c += cost[e];
      if (gr.months <= horizon) {
        uh += mix.quantity[e];
        ch += cost[e];
      }
      grounded_by[e].push_back(ex.nation());
    }
    ex.set_grounded_units(u);
    ex.set_grounded_cost_musd(c);
    ex.set_unit_share(Share(static_cast<double>(u), static_cast<double>(units)));
    ex.set_cost_share(Share(c, total_cost));
    ex.set_units_within_horizon(uh);
    ex.set_cost_within_horizon_musd(ch);
    ex.set_unit_share_within_horizon(Share(static_cast<double>(uh), static_cast<double>(units)));
    ex.set_cost_share_within_horizon(Share(ch, total_cost));
    exposures.push_back(std::move(ex));
  }
  r.set_nations_evaluated(static_cast<int32_t>(g.Count(EntityKind::kNation)));
  r.set_horizon_months(horizon);
  r.set_restrictions_in_force(static_cast<int32_t>(g.num_restrictions()));
  std::sort(exposures.begin(), exposures.end(),
            [](const v1::NationExposure& a, const v1::NationExposure& b) {
              return std::make_tuple(-a.unit_share_within_horizon(),
                                     -a.cost_share_within_horizon(), -a.unit_share(),
                                     -a.cost_share(), a.nation()) <
                     std::make_tuple(-b.unit_share_within_horizon(),
                                     -b.cost_share_within_horizon(), -b.unit_share(),
                                     -b.cost_share(), b.nation());
            });
  for (auto& x : exposures) *r.add_exposures() = std::move(x);

  // Findings per element.
  const std::optional<uint32_t> us =
      options.us_nation.empty() ? g.us_nation() : g.Find(EntityKind::kNation, options.us_nation);
  const std::string us_id = us ? std::string(g.Id(EntityKind::kNation, *us)) : options.us_nation;
  const std::vector<bool> itar_exposed = ItarExposed(g, us);
  r.set_us_nation(us_id);
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
    er->set_sustainable(sustainable(e));
    er->set_sourcing(g.platform(p).sourcing);
    for (const std::string& n : grounded_by[e]) er->add_grounded_by(n);
    std::sort(er->mutable_grounded_by()->begin(), er->mutable_grounded_by()->end());
    const std::vector<ClosureEntry>& closure = rb.Closure(p);
    if (!sustainable(e)) {
      r.add_unsustainable_elements(eid);
      // The restrictions on its nation that cut a supplier of a critical component it lacks
      // but would have without restrictions.
      const Profile& prof = profiles[profile_of_nation.at(mix.nation[e])];
      for (uint32_t rid : chain.RestrictionsOn(mix.nation[e])) {
        if (!unrestricted.platform_sustainable[p]) break;  // grounded without them too
        auto cut = chain.RestrictionSuppliers(rid);
        bool grounds = false;
        for (const ClosureEntry& ce : closure) {
          if (prof.baseline.component_available[ce.component] ||
              !unrestricted.component_available[ce.component]) {
            continue;
          }
          for (uint32_t sup : chain.Suppliers(ce.component)) {
            grounds = grounds || std::binary_search(cut.begin(), cut.end(), sup);
          }
        }
        if (grounds) er->add_restricted_by(std::string(g.restriction_id(rid)));
      }
    }

    er->set_critical_components(static_cast<int32_t>(closure.size()));
    int32_t single = 0, itar = 0, high = 0, critical = 0;
    auto add = [&](v1::RiskFinding::Kind kind, int32_t entry, int64_t supplier,
                   const std::vector<uint32_t>& suppliers, const std::vector<std::string>& nations,
                   v1::AdversaryDependency severity) {
      ++findings_total;
      if (static_cast<size_t>(r.findings_size()) >= limit) return;
      v1::RiskFinding* f = r.add_findings();
      f->set_kind(kind);
      f->set_element(eid);
      f->set_component(std::string(g.Id(EntityKind::kComponent, closure[entry].component)));
      f->set_severity(severity);
      *f->mutable_chain() = rb.MakeChain(e, closure, entry, supplier);
      f->set_platform(pid);
      f->set_operator_nation(er->nation());
      for (std::string& s : rb.SupplierIds(suppliers)) f->add_suppliers(std::move(s));
      for (std::string& n : rb.SupplierNations(suppliers)) f->add_supplier_nations(std::move(n));
      for (const std::string& n : nations) f->add_nations(n);
    };
    for (int32_t i = 0; i < static_cast<int32_t>(closure.size()); ++i) {
      const uint32_t c = closure[i].component;
      const ComponentFacts& facts = rb.Facts(c);
      if (facts.single_source) {
        ++single;
        add(v1::RiskFinding::SINGLE_SOURCE, i, facts.suppliers[0], facts.suppliers, facts.nations,
            v1::ADVERSARY_DEPENDENCY_UNSPECIFIED);
      }
      if (facts.adversary != v1::ADVERSARY_DEPENDENCY_UNSPECIFIED) {
        (facts.adversary == v1::CRITICAL ? critical : high)++;
        add(v1::RiskFinding::ADVERSARY_DEPENDENCY, i, facts.adversary_suppliers[0],
            facts.adversary_suppliers, facts.adversary_nations, facts.adversary);
      }
      if (facts.itar && itar_exposed[mix.nation[e]]) {
        ++itar;
        add(v1::RiskFinding::ITAR_EXPOSURE, i,
            facts.suppliers.empty() ? -1 : static_cast<int64_t>(facts.suppliers[0]),
            facts.suppliers, facts.nations, v1::ADVERSARY_DEPENDENCY_UNSPECIFIED);
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
    ss->set_sourcing(s);
    ss->set_units(u);
    ss->set_cost_musd(c);
    ss->set_unit_share(Share(static_cast<double>(u), static_cast<double>(units)));
    ss->set_cost_share(Share(c, total_cost));
  }
  return r;
}

}  // namespace coalition::analysis
