#include "engine/testing/random_model.h"

#include <cstdlib>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"

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

}  // namespace coalition::testing
