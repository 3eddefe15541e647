#include "engine/testing/slow_risk.h"

namespace coalition::testing {

SlowAvailability SlowSupplyAvailability(const coalition::v1::Model& model,
                                        const std::set<std::string>& removed_suppliers) {
  SlowAvailability r;
  for (const auto& c : model.components()) r.component_available[c.id()] = true;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& c : model.components()) {
      bool supplied = false;
      for (const std::string& s : c.suppliers()) {
        if (removed_suppliers.count(s) == 0) supplied = true;
      }
      bool subs = true;
      for (const auto& sub : c.sub_components()) {
        if (sub.critical() && !r.component_available[sub.component()]) subs = false;
      }
      const bool now = supplied && subs;
      if (now != r.component_available[c.id()]) {
        r.component_available[c.id()] = now;
        changed = true;
      }
    }
  }
  for (const auto& p : model.platforms()) {
    bool ok = true;
    for (const auto& use : p.components()) {
      if (use.critical() && !r.component_available[use.component()]) ok = false;
    }
    r.platform_sustainable[p.id()] = ok;
  }
  return r;
}

std::set<std::string> SlowSuppliersIn(const coalition::v1::Model& model,
                                      const std::string& nation) {
  std::set<std::string> out;
  for (const auto& s : model.suppliers()) {
    if (s.nation() == nation) out.insert(s.id());
  }
  return out;
}

std::set<std::string> SlowDeniedSuppliers(const coalition::v1::Model& model,
                                          const std::string& nation,
                                          const std::set<std::string>& lifted) {
  std::set<std::string> groups;
  for (const auto& n : model.nations()) {
    if (n.id() == nation) groups.insert(n.groups().begin(), n.groups().end());
  }
  std::set<std::string> out;
  for (const auto& r : model.restrictions()) {
    if (lifted.count(r.id()) > 0) continue;
    bool applies = false;
    for (const std::string& d : r.denied_to()) applies = applies || d == nation || groups.count(d);
    if (!applies) continue;
    if (!r.supplier().empty()) out.insert(r.supplier());
    if (!r.supplier_nation().empty()) {
      for (const std::string& s : SlowSuppliersIn(model, r.supplier_nation())) out.insert(s);
    }
  }
  return out;
}

std::set<std::string> SlowCriticalComponents(const coalition::v1::Model& model,
                                             const std::string& platform) {
  std::set<std::string> out;
  for (const auto& p : model.platforms()) {
    if (p.id() != platform) continue;
    for (const auto& use : p.components()) {
      if (use.critical()) out.insert(use.component());
    }
  }
  for (size_t before = 0; before != out.size();) {
    before = out.size();
    for (const auto& c : model.components()) {
      if (out.count(c.id()) == 0) continue;
      for (const auto& sub : c.sub_components()) {
        if (sub.critical()) out.insert(sub.component());
      }
    }
  }
  return out;
}

}  // namespace coalition::testing
