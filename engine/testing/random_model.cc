#include "engine/testing/random_model.h"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/model/element_id.h"

namespace coalition::testing {

uint64_t TestSeed() {
  const char* env = std::getenv("COALITION_SEED");
  if (env != nullptr && *env != '\0') return std::strtoull(env, nullptr, 10);
  return 20261126;
}

coalition::v1::Model RandomModel(uint64_t seed, const RandomModelOptions& o) {
  namespace v1 = ::coalition::v1;
  std::mt19937_64 rng(seed);
  auto uniform = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto nation_id = [](int i) { return absl::StrCat("N", i); };
  auto group_id = [](int i) { return absl::StrCat("G", i); };
  auto link_id = [](int i) { return absl::StrCat("L", i); };
  auto std_id = [](int i) { return absl::StrCat("S", i); };
  auto platform_id = [](int i) { return absl::StrCat("P", i); };

  v1::Model m;
  m.set_name(absl::StrCat("random-", seed));
  for (int i = 0; i < o.groups; ++i) {
    v1::Group* g = m.add_groups();
    g->set_id(group_id(i));
    g->set_name(g->id());
    g->set_shares_information(chance(0.5));
    g->set_itar_exempt(chance(0.3));
  }
  for (int i = 0; i < o.nations; ++i) {
    v1::Nation* n = m.add_nations();
    n->set_id(nation_id(i));
    n->set_name(n->id());
    n->set_partner_category(v1::Nation::FRONTLINE);
    n->set_supply_risk(chance(0.2) ? v1::Nation::ADVERSARY : v1::Nation::NONE);
    for (int g = 0; g < o.groups; ++g) {
      if (chance(0.4)) n->add_groups(group_id(g));
    }
  }
  // Releasability: empty, or 1-3 random nations / groups.
  auto releasability = [&](google::protobuf::RepeatedPtrField<std::string>* out) {
    if (chance(0.5)) return;
    int k = 1 + uniform(3);
    for (int j = 0; j < k; ++j) {
      out->Add(chance(0.5) ? nation_id(uniform(o.nations)) : group_id(uniform(o.groups)));
    }
  };
  for (int i = 0; i < o.standards; ++i) {
    v1::DataStandard* s = m.add_standards();
    s->set_id(std_id(i));
    s->set_name(s->id());
    s->set_family(absl::StrCat("F", i % o.families));
    s->set_version(i / o.families + 1);  // unique (family, version)
    releasability(s->mutable_releasable_to());
    if (chance(0.3)) s->set_designer_nation(nation_id(uniform(o.nations)));
  }
  for (int i = 0; i < o.links; ++i) {
    v1::CommsLink* l = m.add_links();
    l->set_id(link_id(i));
    l->set_name(l->id());
    l->set_kind(v1::TACTICAL_DATA_LINK);
    l->set_export_control(v1::NONE);
    l->set_voice_capable(chance(0.3));
    for (int s = 0; s < o.standards; ++s) {
      if (chance(0.4)) l->add_standards(std_id(s));
    }
    releasability(l->mutable_releasable_to());
    if (chance(0.3)) l->set_designer_nation(nation_id(uniform(o.nations)));
    l->set_retrofit_cost_musd(uniform(5));
  }
  for (int i = 0; i < o.suppliers; ++i) {
    v1::Supplier* s = m.add_suppliers();
    s->set_id(absl::StrCat("SUP", i));
    s->set_name(s->id());
    s->set_nation(nation_id(uniform(o.nations)));
  }
  for (int i = 0; i < o.components; ++i) {
    v1::Component* c = m.add_components();
    c->set_id(absl::StrCat("C", i));
    c->set_name(c->id());
    c->set_kind(v1::AVIONICS);
    c->set_export_control(chance(0.3) ? v1::ITAR : v1::NONE);
    int k = uniform(3);  // 0..2 suppliers: 0 means never available
    for (int j = 0; j < k; ++j) c->add_suppliers(absl::StrCat("SUP", uniform(o.suppliers)));
    // Sub-components only to higher indices: acyclic by construction.
    for (int j = i + 1; j < o.components; ++j) {
      if (chance(0.15)) {
        auto* sub = c->add_sub_components();
        sub->set_component(absl::StrCat("C", j));
        sub->set_critical(chance(0.6));
      }
    }
  }
  const v1::Domain domains[] = {v1::AIR, v1::LAND, v1::MARITIME, v1::C2};
  const char* roles[] = {"fighter", "isr", "c2", "fires"};
  for (int i = 0; i < o.platforms; ++i) {
    v1::PlatformType* p = m.add_platforms();
    p->set_id(platform_id(i));
    p->set_name(p->id());
    p->set_domain(domains[uniform(4)]);
    p->add_roles(roles[uniform(4)]);
    p->set_tier(v1::SECOND_TIER);
    p->set_unit_cost_musd(1 + uniform(100));
    p->set_designer_nation(nation_id(uniform(o.nations)));
    p->add_producer_nations(p->designer_nation());
    p->set_sourcing(v1::THIRD_PARTY);
    for (int l = 0; l < o.links; ++l) {
      if (chance(0.45)) p->add_links(link_id(l));
    }
    std::vector<int> spoken;
    for (int s = 0; s < o.standards; ++s) {
      if (chance(0.45)) {
        p->add_standards(std_id(s));
        spoken.push_back(s);
      }
    }
    if (!spoken.empty() && chance(0.35)) {
      int gws = 1 + uniform(2);
      for (int j = 0; j < gws; ++j) {
        v1::Gateway* gw = p->add_gateways();
        gw->set_standard_a(std_id(spoken[uniform(static_cast<int>(spoken.size()))]));
        gw->set_standard_b(std_id(spoken[uniform(static_cast<int>(spoken.size()))]));
        if (chance(0.6)) gw->set_level_cap(1 + uniform(3));
      }
    }
    for (int c = 0; c < o.components; ++c) {
      if (chance(0.2)) {
        auto* use = p->add_components();
        use->set_component(absl::StrCat("C", c));
        use->set_critical(chance(0.7));
      }
    }
  }
  v1::ForceMix* mix = m.add_mixes();
  mix->set_name("random");
  mix->set_budget_musd(100);
  for (int i = 0; i < o.elements; ++i) {
    v1::ForceElement* e = mix->add_elements();
    e->set_id(absl::StrCat("E", i));
    e->set_platform(platform_id(uniform(o.platforms)));
    e->set_nation(nation_id(uniform(o.nations)));
    e->set_quantity(1 + uniform(20));
  }
  for (int i = 0; i < o.iers; ++i) {
    v1::Ier* ier = mix->add_iers();
    ier->set_name(absl::StrCat("ier", i));
    ier->set_min_level(1 + uniform(4));
    ier->mutable_from()->set_all(true);
    if (chance(0.5)) {
      ier->mutable_to()->set_all(true);
    } else {
      ier->mutable_to()->add_domains(domains[uniform(4)]);
    }
  }
  return m;
}

void AddRandomReleasability(uint64_t seed, coalition::v1::Model* m) {
  namespace v1 = ::coalition::v1;
  std::mt19937_64 rng(seed ^ 0x5eed5eed5eedULL);
  auto uniform = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  if (m->nations_size() == 0) return;
  // Component ids "C<i>" would include "C2", a word of the schema (Domain C2) that every
  // textproto prints: a withheld "C2" could never be kept out of an export. "CMP<i>" keeps the
  // prefix pairs (CMP1 / CMP10) without that clash.
  auto component_id = [](const std::string& id) { return absl::StrCat("CMP", id.substr(1)); };
  for (auto& c : *m->mutable_components()) {
    c.set_id(component_id(c.id()));
    for (auto& sub : *c.mutable_sub_components()) sub.set_component(component_id(sub.component()));
  }
  for (auto& p : *m->mutable_platforms()) {
    for (auto& use : *p.mutable_components()) use.set_component(component_id(use.component()));
  }
  auto nation = [&]() { return m->nations(uniform(m->nations_size())).id(); };
  auto party = [&]() {
    return m->groups_size() > 0 && chance(0.5) ? m->groups(uniform(m->groups_size())).id()
                                               : nation();
  };
  // Lists never name a value twice (the validator's duplicate-entry).
  auto add_unique = [](google::protobuf::RepeatedPtrField<std::string>* out,
                       const std::string& v) {
    if (std::find(out->begin(), out->end(), v) == out->end()) out->Add(std::string(v));
  };
  auto releasability = [&](google::protobuf::RepeatedPtrField<std::string>* out) {
    if (chance(0.5)) return;
    for (int j = 1 + uniform(3); j > 0; --j) add_unique(out, party());
  };
  // RandomModel's own releasability and supplier lists may repeat an entry: keep the first.
  auto dedupe = [](google::protobuf::RepeatedPtrField<std::string>* list) {
    google::protobuf::RepeatedPtrField<std::string> unique;
    for (const std::string& v : *list) {
      if (std::find(unique.begin(), unique.end(), v) == unique.end()) unique.Add(std::string(v));
    }
    list->Swap(&unique);
  };
  for (auto& l : *m->mutable_links()) dedupe(l.mutable_releasable_to());
  for (auto& st : *m->mutable_standards()) dedupe(st.mutable_releasable_to());
  for (auto& c : *m->mutable_components()) dedupe(c.mutable_suppliers());
  // Display names: a shared word (several entities may share it), or the id and a word.
  const char* words[] = {"Radar", "Falcon", "Seeker", "Alpha Bravo", "Mk 2", "Viper"};
  auto rename = [&](auto* entity) {
    const std::string word = words[uniform(6)];
    entity->set_name(chance(0.3) ? word : absl::StrCat(entity->id(), " ", word));
  };
  for (auto& g : *m->mutable_groups()) {
    rename(&g);
    releasability(g.mutable_releasable_to());
  }
  for (auto& p : *m->mutable_platforms()) {
    rename(&p);
    releasability(p.mutable_releasable_to());
  }
  for (auto& c : *m->mutable_components()) {
    rename(&c);
    releasability(c.mutable_releasable_to());
  }
  for (auto& s : *m->mutable_suppliers()) {
    rename(&s);
    releasability(s.mutable_releasable_to());
  }
  for (auto& l : *m->mutable_links()) rename(&l);
  for (auto& s : *m->mutable_standards()) rename(&s);
  // Something that names an entity: an id or a display name of any kind but nations.
  auto mention = [&]() -> std::string {
    switch (uniform(6)) {
      case 0:
        if (m->groups_size() > 0) return m->groups(uniform(m->groups_size())).name();
        break;
      case 1:
        if (m->platforms_size() > 0) return m->platforms(uniform(m->platforms_size())).id();
        break;
      case 2:
        if (m->links_size() > 0) return m->links(uniform(m->links_size())).name();
        break;
      case 3:
        if (m->standards_size() > 0) return m->standards(uniform(m->standards_size())).id();
        break;
      case 4:
        if (m->components_size() > 0) return m->components(uniform(m->components_size())).id();
        break;
      default:
        if (m->suppliers_size() > 0) return m->suppliers(uniform(m->suppliers_size())).name();
        break;
    }
    return "nothing";
  };
  auto text = [&]() {
    return absl::StrCat("per ", mention(), "; see also ", mention(), ", and (", mention(), ").");
  };
  m->set_description(text());
  for (auto& p : *m->mutable_platforms()) {
    if (chance(0.5)) p.set_source(text());
  }
  for (auto& c : *m->mutable_components()) {
    if (chance(0.5)) c.set_source(text());
  }
  for (auto& l : *m->mutable_links()) {
    if (chance(0.5)) l.set_source(text());
  }
  // Supply restrictions.
  for (int i = uniform(4); i > 0; --i) {
    v1::SupplyRestriction* r = m->add_restrictions();
    r->set_id(absl::StrCat("R", m->restrictions_size()));
    r->set_name(absl::StrCat("restriction ", m->restrictions_size(), " on ", mention()));
    if (m->suppliers_size() > 0 && chance(0.6)) {
      r->set_supplier(m->suppliers(uniform(m->suppliers_size())).id());
    } else {
      r->set_supplier_nation(nation());
    }
    for (int j = 1 + uniform(2); j > 0; --j) add_unique(r->mutable_denied_to(), party());
    releasability(r->mutable_releasable_to());
  }
  if (m->mixes_size() == 0) return;
  v1::ForceMix* mix = m->mutable_mixes(0);
  mix->set_description(text());
  mix->set_source(text());
  releasability(mix->mutable_releasable_to());
  // Element ids that embed a link id ("E3-L1"); IERs by elements, platforms and groups.
  for (auto& e : *mix->mutable_elements()) {
    if (m->links_size() > 0 && chance(0.3)) {
      e.set_id(absl::StrCat(e.id(), "-", m->links(uniform(m->links_size())).id()));
    }
  }
  const int ne = mix->elements_size();
  for (int i = 0; i < 4 && ne > 0; ++i) {
    v1::Ier* ier = mix->add_iers();
    ier->set_name(absl::StrCat("by ", mention(), " #", i));
    ier->set_min_level(1 + uniform(4));
    v1::Selector* from = ier->mutable_from();
    for (int j = 1 + uniform(3); j > 0; --j) {
      add_unique(from->mutable_elements(),
                 coalition::EffectiveElementId(mix->elements(uniform(ne))));
    }
    v1::Selector* to = ier->mutable_to();
    for (int j = 1 + uniform(2); j > 0; --j) {
      add_unique(to->mutable_platforms(), mix->elements(uniform(ne)).platform());
    }
    if (m->groups_size() > 0 && chance(0.4)) {
      to->add_groups(m->groups(uniform(m->groups_size())).id());
    }
  }
  // A second mix: a few elements of the first, releasable at random.
  v1::ForceMix second;
  second.set_name("second");
  second.set_description(text());
  for (int i = 0; i < std::min(ne, 4); ++i) *second.add_elements() = mix->elements(i);
  if (second.elements_size() > 0) {
    v1::Ier* ier = second.add_iers();
    ier->set_name(absl::StrCat("all to ", mention()));
    ier->set_min_level(1);
    ier->mutable_from()->set_all(true);
    ier->mutable_to()->add_platforms(second.elements(0).platform());
  }
  releasability(second.mutable_releasable_to());
  *m->add_mixes() = std::move(second);
}

void AddRandomCoverageAndSupply(uint64_t seed, coalition::v1::Model* m) {
  namespace v1 = ::coalition::v1;
  std::mt19937_64 rng(seed ^ 0x5eed0c0e4a6eULL);
  auto uniform = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  for (auto& mix : *m->mutable_mixes()) {
    for (auto& ier : *mix.mutable_iers()) {
      const v1::Coverage kinds[] = {v1::COVERAGE_UNSPECIFIED, v1::ALL_PAIRS, v1::EACH_TO,
                                    v1::EACH_FROM, v1::EACH_TO, v1::EACH_FROM};
      ier.set_coverage(kinds[uniform(6)]);
      const double weights[] = {0.5, 1, 2, 3};
      if (uniform(2) == 0) ier.set_weight(weights[uniform(4)]);
    }
  }
  for (auto& c : *m->mutable_components()) {
    c.set_stock_months(uniform(2) == 0 ? 0 : 1 + uniform(24));
  }
  for (int i = 1 + uniform(3); i > 0; --i) {
    v1::SupplyRestriction* r = m->add_restrictions();
    r->set_id(absl::StrCat("RS", m->restrictions_size()));
    if (m->suppliers_size() > 0 && uniform(2) == 0) {
      r->set_supplier(m->suppliers(uniform(m->suppliers_size())).id());
    } else {
      r->set_supplier_nation(m->nations(uniform(m->nations_size())).id());
    }
    for (int j = 1 + uniform(2); j > 0; --j) {
      const bool group = m->groups_size() > 0 && uniform(3) == 0;
      const std::string& party = group ? m->groups(uniform(m->groups_size())).id()
                                       : m->nations(uniform(m->nations_size())).id();
      if (std::find(r->denied_to().begin(), r->denied_to().end(), party) == r->denied_to().end()) {
        r->add_denied_to(party);
      }
    }
  }
}

}  // namespace coalition::testing
