// An independent, slow, obviously correct supply-chain oracle (GAPBS verifier habit): it reads
// the model proto directly (string ids, std::map, no graph, no topological order) and iterates
// the availability rule of SPEC §4 to a fixed point.
#ifndef COALITION_ENGINE_TESTING_SLOW_RISK_H_
#define COALITION_ENGINE_TESTING_SLOW_RISK_H_

#include <map>
#include <set>
#include <string>

#include "coalition/v1/model.pb.h"

namespace coalition::testing {

struct SlowAvailability {
  std::map<std::string, bool> component_available;
  std::map<std::string, bool> platform_sustainable;
};

// Every component starts available; each sweep sets available = (some supplier not removed) and
// (every critical sub-component available), until nothing changes. On an acyclic model this is
// the unique solution of the rule. Platforms: every critical use available.
SlowAvailability SlowSupplyAvailability(const coalition::v1::Model& model,
                                        const std::set<std::string>& removed_suppliers);

// The ids of the suppliers located in `nation`.
std::set<std::string> SlowSuppliersIn(const coalition::v1::Model& model, const std::string& nation);

// The suppliers that do not supply `nation` under the model's supply restrictions in force
// (SPEC §1, §4), except those whose id is in `lifted`: a restriction applies when it lists the
// nation, or a group whose members (by the nations' own group lists) include it; it cuts its
// supplier, or every supplier located in its supplier nation.
std::set<std::string> SlowDeniedSuppliers(const coalition::v1::Model& model,
                                          const std::string& nation,
                                          const std::set<std::string>& lifted);

// A platform's critical components: critical uses and, recursively, critical sub-components,
// by repeated expansion until the set stops growing.
std::set<std::string> SlowCriticalComponents(const coalition::v1::Model& model,
                                             const std::string& platform);

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_SLOW_RISK_H_
