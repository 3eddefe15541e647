// Supply-chain availability (SPEC §4): which components are available and which platform types
// are sustainable when some suppliers stop supplying. The frozen component DAG of one graph,
// built once; every analysis that asks "is this element sustainable?" reads it through the
// scenario (engine/scenario/scenario.h), the one place that applies removed suppliers.
//
//   ASSIGN_OR_RETURN(SupplyChain chain, SupplyChain::Build(graph));   // once per graph
//   Availability a = chain.Compute(chain.SuppliersIn({*graph.Find(EntityKind::kNation, "CHN")}));
//   bool ok = a.platform_sustainable[p];
//
// Terms. A component is *available* iff at least one of its suppliers remains and all its
// critical sub-components are available; a platform type is *sustainable* iff all its critical
// components are (its direct critical uses suffice: they are available only with their critical
// sub-components). A component with no supplier at all is never available.
//
// Algorithms. Compute: one pass over the component DAG in topological order (Kahn's algorithm,
// computed once in Build; sub-components before their parents), then one pass over the
// platforms' critical uses: O(components + supplier edges + critical edges + critical uses).
// ForEachNationEmbargo: the embargo of every nation, each as an incremental propagation over the
// reverse DAG from that nation's suppliers (a supplier-edge counter per component); each nation
// costs O(what its embargo touches); counters are reset through a touched list.
//
// Errors: Build returns InvalidArgument when critical sub-component edges form a cycle
// (Validate() reports every cycle with locations).
#ifndef COALITION_ENGINE_SCENARIO_SUPPLY_CHAIN_H_
#define COALITION_ENGINE_SCENARIO_SUPPLY_CHAIN_H_

#include <cstdint>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "engine/graph/typed_graph.h"

namespace coalition::scenario {

// A nation's embargo cuts its suppliers from every *other* nation: a nation does not embargo
// itself (SPEC §4). The one home of that rule (risk exposure and the scenario's Embargo).
inline bool EmbargoReaches(uint32_t embargoing_nation, uint32_t operating_nation) {
  return embargoing_nation != operating_nation;
}

// Availability of every component and sustainability of every platform type (local indices).
struct Availability {
  std::vector<uint8_t> component_available;
  std::vector<uint8_t> platform_sustainable;
};

// The component dependency DAG of one graph, frozen for repeated embargo queries. Holds a
// pointer to the graph, which must outlive it.
class SupplyChain {
 public:
  static absl::StatusOr<SupplyChain> Build(const graph::TypedGraph& graph);

  // One topological pass with the suppliers flagged in `supplier_removed` (local supplier
  // indices; empty = none removed) gone.
  Availability Compute(const std::vector<bool>& supplier_removed) const;
  // Flags for every supplier located in one of `nations` (local nation indices).
  std::vector<bool> SuppliersIn(absl::Span<const uint32_t> nations) const;
  // The suppliers located in nation n (local indices, model order).
  absl::Span<const uint32_t> SuppliersOf(uint32_t nation) const {
    return absl::MakeConstSpan(nation_sup_).subspan(
        nation_sup_begin_[nation], nation_sup_begin_[nation + 1] - nation_sup_begin_[nation]);
  }

  // For every nation n in index order: calls f(n, platforms, components) with the platform types
  // (local, ascending) sustainable in `baseline` and unsustainable once n's suppliers are removed
  // as well, and the components (local, ascending) available in `baseline` and lost then.
  // `baseline` must be Compute(baseline_removed) (empty flags: nothing removed).
  void ForEachNationEmbargo(
      const Availability& baseline, const std::vector<bool>& baseline_removed,
      absl::FunctionRef<void(uint32_t nation, absl::Span<const uint32_t> platforms,
                             absl::Span<const uint32_t> components)>
          f) const;

  // Supply restrictions in force (SPEC §1, §4; TypedGraph restrictions): the suppliers each one
  // cuts (its supplier, or every supplier of its supplier nation; ascending) and the nations it
  // denies (listed nations and every member of listed groups; ascending).
  uint32_t num_restrictions() const { return static_cast<uint32_t>(rs_begin_.size() - 1); }
  absl::Span<const uint32_t> RestrictionSuppliers(uint32_t r) const {
    return absl::MakeConstSpan(rs_).subspan(rs_begin_[r], rs_begin_[r + 1] - rs_begin_[r]);
  }
  absl::Span<const uint32_t> RestrictionNations(uint32_t r) const {
    return absl::MakeConstSpan(rn_).subspan(rn_begin_[r], rn_begin_[r + 1] - rn_begin_[r]);
  }
  // The restrictions that deny nation n (ascending).
  absl::Span<const uint32_t> RestrictionsOn(uint32_t nation) const {
    return absl::MakeConstSpan(nr_).subspan(nr_begin_[nation],
                                            nr_begin_[nation + 1] - nr_begin_[nation]);
  }
  // Flags of the suppliers that do not supply nation n under the restrictions in force that are
  // not lifted (`lifted`: a count per restriction, > 0 = lifted; empty = none lifted); empty
  // when none applies. The one home of "a restriction denies n".
  std::vector<bool> RestrictedFor(uint32_t nation, absl::Span<const uint32_t> lifted) const;
  // Critical uses of platform p (local components, model order).
  absl::Span<const uint32_t> CriticalUses(uint32_t platform) const {
    return absl::MakeConstSpan(use_).subspan(use_begin_[platform],
                                             use_begin_[platform + 1] - use_begin_[platform]);
  }
  absl::Span<const uint32_t> Suppliers(uint32_t component) const {
    return absl::MakeConstSpan(sup_).subspan(sup_begin_[component],
                                             sup_begin_[component + 1] - sup_begin_[component]);
  }

  // Components, sub-components before their parents.
  absl::Span<const uint32_t> topological_order() const { return order_; }

 private:
  SupplyChain() = default;
  const graph::TypedGraph* g_ = nullptr;
  std::vector<uint32_t> order_;
  // Forward rows (local indices): supplier of each supplier edge, critical subs, critical uses.
  std::vector<uint32_t> sup_begin_, sup_;
  std::vector<uint32_t> sub_begin_, sub_;
  std::vector<uint32_t> use_begin_, use_;
  // Reverse rows: supplier -> components (one entry per supplier edge), component -> parents
  // (critical), component -> platforms (critical use), nation -> suppliers.
  std::vector<uint32_t> rsup_begin_, rsup_;
  std::vector<uint32_t> rsub_begin_, rsub_;
  std::vector<uint32_t> ruse_begin_, ruse_;
  std::vector<uint32_t> nation_sup_begin_, nation_sup_;
  // Restrictions: suppliers cut and nations denied per restriction; restrictions per nation.
  std::vector<uint32_t> rs_begin_, rs_, rn_begin_, rn_, nr_begin_, nr_;
};

}  // namespace coalition::scenario

#endif  // COALITION_ENGINE_SCENARIO_SUPPLY_CHAIN_H_
