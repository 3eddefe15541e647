#include "engine/testing/apply_changes.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/testing/random_model.h"
#include "engine/testing/slow_risk.h"

namespace coalition::testing {
namespace {

namespace v1 = ::coalition::v1;
using google::protobuf::RepeatedPtrField;

bool Contains(const RepeatedPtrField<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

template <typename T>
T* FindById(RepeatedPtrField<T>* list, const std::string& id) {
  for (T& x : *list) {
    if (x.id() == id) return &x;
  }
  return nullptr;
}
template <typename T>
const T* FindById(const RepeatedPtrField<T>& list, const std::string& id) {
  for (const T& x : list) {
    if (x.id() == id) return &x;
  }
  return nullptr;
}

// An id that must name an entity of `list`: InvalidArgument when empty, NotFound when unknown.
template <typename T>
absl::Status Require(const RepeatedPtrField<T>& list, const std::string& id,
                     const char* what) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(what, ": empty id"));
  if (FindById(list, id) == nullptr) {
    return absl::NotFoundError(absl::StrCat(what, ": unknown '", id, "'"));
  }
  return absl::OkStatus();
}

bool IdTaken(const v1::ForceMix& mix, const std::string& id) {
  for (const v1::ForceElement& e : mix.elements()) {
    if (ReferenceElementId(e) == id) return true;
  }
  return false;
}

bool Shares(const v1::Model& m, const std::string& a, const std::string& b) {
  if (a == b) return true;
  const v1::Nation* x = FindById(m.nations(), a);
  const v1::Nation* y = FindById(m.nations(), b);
  for (const std::string& g : x->groups()) {
    if (!Contains(y->groups(), g)) continue;
    const v1::Group* grp = FindById(m.groups(), g);
    if (grp != nullptr && grp->shares_information()) return true;
  }
  return false;
}

// Adds every supplier in `ids` to the removed set; true iff one was new.
bool RemoveSuppliers(const std::set<std::string>& ids, ReferenceState* s) {
  bool any = false;
  for (const std::string& id : ids) any = s->removed_suppliers.insert(id).second || any;
  return any;
}

absl::StatusOr<bool> AddElement(const std::string& platform, const std::string& nation,
                                int64_t quantity, const std::string& id, bool gateway,
                                ReferenceState* s) {
  const char* what = gateway ? "add_gateway_element" : "add_element";
  if (absl::Status st = Require(s->model.platforms(), platform, what); !st.ok()) return st;
  if (absl::Status st = Require(s->model.nations(), nation, what); !st.ok()) return st;
  if (quantity < 1 || quantity > 1000000000) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": quantity not in 1..10^9"));
  }
  if (gateway && FindById(s->model.platforms(), platform)->gateways().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": no gateway on ", platform));
  }
  std::string eid = id;
  if (eid.empty()) {
    eid = absl::StrCat(nation, ":", platform);
    for (int k = 2; IdTaken(s->mix, eid); ++k) eid = absl::StrCat(nation, ":", platform, ":", k);
  } else if (IdTaken(s->mix, eid)) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": id '", eid, "' taken"));
  }
  v1::ForceElement* e = s->mix.add_elements();
  e->set_id(eid);
  e->set_platform(platform);
  e->set_nation(nation);
  e->set_quantity(quantity);
  return false;
}

absl::StatusOr<bool> Release(const v1::Release& r, ReferenceState* s) {
  if (r.item_kind() != v1::Release::LINK && r.item_kind() != v1::Release::STANDARD) {
    return absl::InvalidArgumentError("release: item_kind");
  }
  RepeatedPtrField<std::string>* list = nullptr;
  if (r.item_kind() == v1::Release::LINK) {
    if (absl::Status st = Require(s->model.links(), r.item(), "release"); !st.ok()) return st;
    list = FindById(s->model.mutable_links(), r.item())->mutable_releasable_to();
  } else {
    if (absl::Status st = Require(s->model.standards(), r.item(), "release"); !st.ok()) return st;
    list = FindById(s->model.mutable_standards(), r.item())->mutable_releasable_to();
  }
  if (r.party().empty()) return absl::InvalidArgumentError("release: empty party");
  const bool nation = FindById(s->model.nations(), r.party()) != nullptr;
  const bool group = FindById(s->model.groups(), r.party()) != nullptr;
  if (nation && group) return absl::InvalidArgumentError("release: party is nation and group");
  if (!nation && !group) return absl::NotFoundError("release: unknown party");
  if (list->empty() || Contains(*list, r.party())) return true;
  list->Add(std::string(r.party()));
  return false;
}

absl::StatusOr<bool> Upgrade(const v1::Upgrade& u, ReferenceState* s) {
  if (absl::Status st = Require(s->model.platforms(), u.platform(), "upgrade"); !st.ok()) {
    return st;
  }
  for (const std::string* id : {&u.from_standard(), &u.to_standard()}) {
    if (absl::Status st = Require(s->model.standards(), *id, "upgrade"); !st.ok()) return st;
  }
  const v1::DataStandard* from = FindById(s->model.standards(), u.from_standard());
  const v1::DataStandard* to = FindById(s->model.standards(), u.to_standard());
  if (from->family() != to->family() || from->id() == to->id()) {
    return absl::InvalidArgumentError("upgrade: not two versions of one family");
  }
  RepeatedPtrField<std::string>* speaks =
      FindById(s->model.mutable_platforms(), u.platform())->mutable_standards();
  const bool speaks_from = Contains(*speaks, from->id());
  const bool speaks_to = Contains(*speaks, to->id());
  if (!speaks_from && speaks_to) return true;
  if (!speaks_from) return absl::InvalidArgumentError("upgrade: does not speak from");
  RepeatedPtrField<std::string> kept;
  for (const std::string& x : *speaks) {
    if (x != from->id()) kept.Add(std::string(x));
  }
  if (!speaks_to) kept.Add(std::string(to->id()));
  *speaks = std::move(kept);
  return false;
}

}  // namespace

std::string ReferenceElementId(const v1::ForceElement& element) {
  return element.id().empty() ? absl::StrCat(element.nation(), ":", element.platform())
                              : element.id();
}

ReferenceState MakeReference(const v1::Model& model, const v1::ForceMix& mix) {
  ReferenceState s;
  s.model = model;
  s.mix = mix;
  s.base_elements = mix.elements_size();
  return s;
}

absl::StatusOr<bool> ApplyReference(const v1::Change& change, ReferenceState* s) {
  switch (change.change_case()) {
    case v1::Change::kEmbargo: {
      const std::string& n = change.embargo().nation();
      if (absl::Status st = Require(s->model.nations(), n, "embargo"); !st.ok()) return st;
      return !s->embargoes.insert(n).second;
    }
    case v1::Change::kLiftRestriction: {
      const std::string& id = change.lift_restriction().restriction();
      if (absl::Status st = Require(s->model.restrictions(), id, "lift_restriction"); !st.ok()) {
        return st;
      }
      return !s->lifted_restrictions.insert(id).second;
    }
    case v1::Change::kRemoveSupplier: {
      const std::string& id = change.remove_supplier().supplier();
      if (absl::Status st = Require(s->model.suppliers(), id, "remove_supplier"); !st.ok()) {
        return st;
      }
      return !RemoveSuppliers({id}, s);
    }
    case v1::Change::kRemoveElement: {
      const std::string& id = change.remove_element().element();
      if (id.empty()) return absl::InvalidArgumentError("remove_element: empty id");
      if (!IdTaken(s->mix, id)) return absl::NotFoundError("remove_element: unknown element");
      return !s->removed_elements.insert(id).second;
    }
    case v1::Change::kRemovePlatform: {
      const std::string& p = change.remove_platform().platform();
      if (absl::Status st = Require(s->model.platforms(), p, "remove_platform"); !st.ok()) {
        return st;
      }
      bool any = false;
      for (const v1::ForceElement& e : s->mix.elements()) {
        if (e.platform() == p) any = s->removed_elements.insert(ReferenceElementId(e)).second || any;
      }
      return !any;
    }
    case v1::Change::kRelease:
      return Release(change.release(), s);
    case v1::Change::kFit: {
      const v1::Fit& f = change.fit();
      if (absl::Status st = Require(s->model.links(), f.link(), "fit"); !st.ok()) return st;
      if (absl::Status st = Require(s->model.platforms(), f.platform(), "fit"); !st.ok()) return st;
      v1::PlatformType* p = FindById(s->model.mutable_platforms(), f.platform());
      if (Contains(p->links(), f.link())) return true;
      p->add_links(f.link());
      return false;
    }
    case v1::Change::kUpgrade:
      return Upgrade(change.upgrade(), s);
    case v1::Change::kAddElement: {
      const v1::AddElement& a = change.add_element();
      return AddElement(a.platform(), a.nation(), a.quantity(), a.id(), /*gateway=*/false, s);
    }
    case v1::Change::kAddGatewayElement: {
      const v1::AddGatewayElement& a = change.add_gateway_element();
      return AddElement(a.platform(), a.nation(), 1, a.id(), /*gateway=*/true, s);
    }
    case v1::Change::kShareInformation: {
      const v1::ShareInformation& sh = change.share_information();
      for (const std::string* id : {&sh.nation_a(), &sh.nation_b()}) {
        if (absl::Status st = Require(s->model.nations(), *id, "share_information"); !st.ok()) {
          return st;
        }
      }
      if (sh.nation_a() == sh.nation_b()) {
        return absl::InvalidArgumentError("share_information: one nation");
      }
      if (Shares(s->model, sh.nation_a(), sh.nation_b())) return true;
      const std::string gid = absl::StrCat("__share:", s->shares_added++);
      v1::Group* g = s->model.add_groups();
      g->set_id(gid);
      g->set_name(gid);
      g->set_shares_information(true);
      FindById(s->model.mutable_nations(), sh.nation_a())->add_groups(gid);
      FindById(s->model.mutable_nations(), sh.nation_b())->add_groups(gid);
      return false;
    }
    case v1::Change::CHANGE_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("a change sets nothing");
}

std::vector<bool> ReferencePresent(const ReferenceState& s) {
  std::vector<bool> present;
  for (const v1::ForceElement& e : s.mix.elements()) {
    std::set<std::string> gone = s.removed_suppliers;
    for (const std::string& x : s.embargoes) {
      if (x == e.nation()) continue;  // a nation does not embargo itself
      for (const std::string& sup : SlowSuppliersIn(s.model, x)) gone.insert(sup);
    }
    for (const std::string& sup : SlowDeniedSuppliers(s.model, e.nation(), s.lifted_restrictions)) {
      gone.insert(sup);
    }
    present.push_back(s.removed_elements.count(ReferenceElementId(e)) == 0 &&
                      SlowSupplyAvailability(s.model, gone).platform_sustainable.at(e.platform()));
  }
  return present;
}

std::vector<int> ReferenceMembers(const ReferenceState& s, int ier, int side) {
  const v1::Selector& sel = side == 0 ? s.mix.iers(ier).from() : s.mix.iers(ier).to();
  std::vector<int> out;
  for (int i = 0; i < s.mix.elements_size(); ++i) {
    const v1::ForceElement& e = s.mix.elements(i);
    const v1::PlatformType* p = FindById(s.model.platforms(), e.platform());
    const v1::Nation* n = FindById(s.model.nations(), e.nation());
    bool ok = true;
    if (!sel.elements().empty()) {
      ok = ok && i < s.base_elements && Contains(sel.elements(), ReferenceElementId(e));
    }
    if (!sel.platforms().empty()) ok = ok && Contains(sel.platforms(), e.platform());
    if (!sel.nations().empty()) ok = ok && Contains(sel.nations(), e.nation());
    if (!sel.groups().empty()) {
      bool any = false;
      for (const std::string& g : n->groups()) any = any || Contains(sel.groups(), g);
      ok = ok && any;
    }
    if (!sel.domains().empty()) {
      ok = ok && std::find(sel.domains().begin(), sel.domains().end(), p->domain()) !=
                     sel.domains().end();
    }
    if (!sel.roles().empty()) {
      bool any = false;
      for (const std::string& r : p->roles()) any = any || Contains(sel.roles(), r);
      ok = ok && any;
    }
    if (sel.all() || ok) out.push_back(i);
  }
  return out;
}

v1::Change RandomValidChange(std::mt19937_64& rng, const ReferenceState& s) {
  auto uniform = [&](size_t n) { return static_cast<int>(rng() % n); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const v1::Model& m = s.model;
  const v1::ForceMix& mix = s.mix;
  auto any_nation = [&]() -> const std::string& { return m.nations(uniform(m.nations_size())).id(); };
  auto mix_nation = [&]() -> const std::string& {
    return mix.elements_size() > 0 && chance(0.7) ? mix.elements(uniform(mix.elements_size())).nation()
                                                  : any_nation();
  };
  auto mix_platform = [&]() -> const std::string& {
    return mix.elements_size() > 0 && chance(0.8)
               ? mix.elements(uniform(mix.elements_size())).platform()
               : m.platforms(uniform(m.platforms_size())).id();
  };
  v1::Change c;
  for (;;) {
    switch (uniform(11)) {
      case 0:
        c.mutable_embargo()->set_nation(any_nation());
        return c;
      case 10:
        if (m.restrictions_size() == 0) continue;
        c.mutable_lift_restriction()->set_restriction(
            m.restrictions(uniform(m.restrictions_size())).id());
        return c;
      case 1:
        if (m.suppliers_size() == 0) continue;
        c.mutable_remove_supplier()->set_supplier(m.suppliers(uniform(m.suppliers_size())).id());
        return c;
      case 2:
        if (mix.elements_size() == 0) continue;
        c.mutable_remove_element()->set_element(
            ReferenceElementId(mix.elements(uniform(mix.elements_size()))));
        return c;
      case 3:
        c.mutable_remove_platform()->set_platform(mix_platform());
        return c;
      case 4: {
        const bool link = chance(0.5);
        std::vector<std::string> restricted, all;
        if (link) {
          for (const auto& l : m.links()) {
            all.push_back(l.id());
            if (!l.releasable_to().empty()) restricted.push_back(l.id());
          }
        } else {
          for (const auto& x : m.standards()) {
            all.push_back(x.id());
            if (!x.releasable_to().empty()) restricted.push_back(x.id());
          }
        }
        if (all.empty()) continue;
        const std::vector<std::string>& from = !restricted.empty() && chance(0.85) ? restricted : all;
        v1::Release* r = c.mutable_release();
        r->set_item_kind(link ? v1::Release::LINK : v1::Release::STANDARD);
        r->set_item(from[uniform(from.size())]);
        // Groups of the model as given (not those standing for applied shares).
        std::vector<std::string> groups;
        for (const auto& g : m.groups()) {
          if (g.id().rfind("__share:", 0) != 0) groups.push_back(g.id());
        }
        r->set_party(!groups.empty() && chance(0.25) ? groups[uniform(groups.size())]
                                                     : mix_nation());
        return c;
      }
      case 5: {
        if (m.links_size() == 0) continue;
        const std::string& p = mix_platform();
        const v1::PlatformType* pt = FindById(m.platforms(), p);
        std::vector<std::string> unfitted;
        for (const auto& l : m.links()) {
          if (!Contains(pt->links(), l.id())) unfitted.push_back(l.id());
        }
        c.mutable_fit()->set_platform(p);
        c.mutable_fit()->set_link(!unfitted.empty() && chance(0.85)
                                      ? unfitted[uniform(unfitted.size())]
                                      : m.links(uniform(m.links_size())).id());
        return c;
      }
      case 6: {
        v1::AddElement* a = c.mutable_add_element();
        a->set_platform(mix_platform());
        a->set_nation(mix_nation());
        a->set_quantity(1 + uniform(5));
        if (chance(0.5)) {
          std::string id;
          do {
            id = absl::StrCat("X", uniform(1000));
          } while (IdTaken(mix, id));
          a->set_id(id);
        }
        return c;
      }
      case 7: {
        // (platform, from, to) with the platform speaking `from`, preferring mix platforms.
        std::set<std::string> in_mix;
        for (const auto& e : mix.elements()) in_mix.insert(e.platform());
        std::vector<std::array<std::string, 3>> options, preferred;
        for (const auto& p : m.platforms()) {
          for (const std::string& from : p.standards()) {
            const v1::DataStandard* f = FindById(m.standards(), from);
            for (const auto& to : m.standards()) {
              if (to.family() != f->family() || to.id() == from) continue;
              options.push_back({p.id(), from, to.id()});
              if (in_mix.count(p.id())) preferred.push_back(options.back());
            }
          }
        }
        if (options.empty()) continue;
        const auto& pick = !preferred.empty() && chance(0.8) ? preferred[uniform(preferred.size())]
                                                             : options[uniform(options.size())];
        c.mutable_upgrade()->set_platform(pick[0]);
        c.mutable_upgrade()->set_from_standard(pick[1]);
        c.mutable_upgrade()->set_to_standard(pick[2]);
        return c;
      }
      case 8: {
        std::vector<std::string> gateways;
        for (const auto& p : m.platforms()) {
          if (!p.gateways().empty()) gateways.push_back(p.id());
        }
        if (gateways.empty()) continue;
        v1::AddGatewayElement* a = c.mutable_add_gateway_element();
        a->set_platform(gateways[uniform(gateways.size())]);
        a->set_nation(mix_nation());
        return c;
      }
      case 9: {
        if (m.nations_size() < 2) continue;
        const std::string a = mix_nation();
        std::string b = mix_nation();
        for (int tries = 0; b == a && tries < 10; ++tries) b = any_nation();
        if (a == b) continue;
        c.mutable_share_information()->set_nation_a(a);
        c.mutable_share_information()->set_nation_b(b);
        return c;
      }
    }
  }
}

v1::Model RandomModelForChanges(uint64_t seed, int elements, int iers) {
  RandomModelOptions o;
  o.elements = elements;
  o.iers = iers;
  v1::Model m = RandomModel(seed, o);
  std::mt19937_64 rng(seed ^ 0x5eed5eedULL);
  auto uniform = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  for (v1::Component& c : *m.mutable_components()) {
    if (c.suppliers_size() == 0 && m.suppliers_size() > 0 && uniform(5) != 0) {
      c.add_suppliers(m.suppliers(uniform(m.suppliers_size())).id());
    }
  }
  v1::ForceMix* mix = m.mutable_mixes(0);
  // Some elements without an id (effective id "<nation>:<platform>") where that is unique.
  std::map<std::string, int> effective;
  for (const auto& e : mix->elements()) ++effective[absl::StrCat(e.nation(), ":", e.platform())];
  for (auto& e : *mix->mutable_elements()) {
    if (effective[absl::StrCat(e.nation(), ":", e.platform())] == 1 && uniform(3) == 0) e.clear_id();
  }
  // Selectors of every kind: half the IERs get a `from` of one or two listed kinds.
  const v1::Domain domains[] = {v1::AIR, v1::LAND, v1::MARITIME, v1::C2};
  const char* roles[] = {"fighter", "isr", "c2", "fires"};
  for (v1::Ier& ier : *mix->mutable_iers()) {
    if (uniform(2) == 0 || mix->elements_size() == 0) continue;
    v1::Selector* from = ier.mutable_from();
    from->Clear();
    for (int kinds = 1 + uniform(2); kinds > 0; --kinds) {
      switch (uniform(6)) {
        case 0:
          for (int j = 0; j < 3; ++j) {
            from->add_elements(ReferenceElementId(mix->elements(uniform(mix->elements_size()))));
          }
          break;
        case 1:
          from->add_platforms(m.platforms(uniform(m.platforms_size())).id());
          from->add_platforms(m.platforms(uniform(m.platforms_size())).id());
          break;
        case 2:
          from->add_nations(m.nations(uniform(m.nations_size())).id());
          from->add_nations(m.nations(uniform(m.nations_size())).id());
          break;
        case 3:
          if (m.groups_size() > 0) from->add_groups(m.groups(uniform(m.groups_size())).id());
          break;
        case 4:
          from->add_domains(domains[uniform(4)]);
          from->add_domains(domains[uniform(4)]);
          break;
        case 5:
          from->add_roles(roles[uniform(4)]);
          break;
      }
    }
  }
  return m;
}

}  // namespace coalition::testing
