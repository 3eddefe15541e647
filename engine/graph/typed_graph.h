// The frozen typed graph of a coalition model (SPEC §1): dense integer ids per entity kind,
// one CSR adjacency over all typed edges, and side tables for attributes.
//
// Recommended API:
//   ASSIGN_OR_RETURN(TypedGraph g, BuildGraph(std::move(loaded.model)));  // after Validate()
//   std::optional<uint32_t> p = g.Find(EntityKind::kPlatform, "F-16C");
//   for (NodeId link : g.Neighbors(g.Node(EntityKind::kPlatform, *p), EdgeKind::kFits)) ...
//   g.platform(*p).unit_cost_musd;
//   if (std::optional<uint32_t> us = g.us_nation()) ...  // the US nation (sourcing, ITAR)
//
// Terms.
//   local index  dense 0..Count(kind)-1 per entity kind, in model order.
//   NodeId       one dense id over all kinds: Node(kind, local) = base(kind) + local, kinds in
//                EntityKind order. Analyses work on these integers and never touch strings.
//   edges        directed, typed (EdgeKind), stored in a boost::compressed_sparse_row_graph with
//                32-bit vertex and edge indices; within a node's row, edges are grouped by
//                EdgeKind (ascending) and keep the model's order inside a kind, so
//                Neighbors(node, kind) is one contiguous span.
//   US nation    the nation sourcing and ITAR exposure are relative to: UsNationId(model)
//                (engine/model/sourcing.h: Model.us_nation, default "USA"), interned like any
//                reference; us_nation() is its local nation index, nullopt when the model has
//                no such nation.
//
// BuildGraph consumes the model: ids are moved out of the proto (no second copy), and the
// caller may drop the proto afterwards. It expects a model that passed Validate(); on a
// dangling reference it returns InvalidArgument instead of crashing.
//
// Memory: 4 bytes per node (row start) + 5 bytes per edge (target + kind) of topology, plus the
// side tables and the id strings; Memory() reports each part.
#ifndef COALITION_ENGINE_GRAPH_TYPED_GRAPH_H_
#define COALITION_ENGINE_GRAPH_TYPED_GRAPH_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "boost/graph/compressed_sparse_row_graph.hpp"
#include "coalition/v1/model.pb.h"

namespace coalition::graph {

enum class EntityKind : uint8_t {
  kNation = 0,
  kGroup,
  kPlatform,
  kLink,
  kStandard,
  kComponent,
  kSupplier,
};
inline constexpr int kNumEntityKinds = 7;
absl::string_view EntityKindName(EntityKind k);

// Edge kinds, grouped by source kind; the order is the row order within a node.
enum class EdgeKind : uint8_t {
  kMemberOf = 0,   // nation -> group
  kDesignedBy,     // platform / link / standard -> nation
  kProducedBy,     // platform -> nation
  kFits,           // platform -> link
  kSpeaks,         // platform -> standard
  kUsesCritical,   // platform -> component, critical use
  kUses,           // platform -> component, non-critical use
  kCarries,        // link -> standard
  kReleasableTo,   // link / standard -> nation or group
  kSuppliedBy,     // component -> supplier
  kSubCritical,    // component -> component, critical sub-component
  kSub,            // component -> component, non-critical sub-component
  kLocatedIn,      // supplier -> nation
};
inline constexpr int kNumEdgeKinds = 13;
absl::string_view EdgeKindName(EdgeKind k);

using NodeId = uint32_t;

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                               boost::no_property, boost::no_property,
                                               /*Vertex=*/uint32_t, /*EdgeIndex=*/uint32_t>;

// Side tables, one row per local index.
struct NationRow {
  coalition::v1::Nation::PartnerCategory partner_category;
  coalition::v1::Nation::SupplyRisk supply_risk;
};
struct GroupRow {
  bool shares_information;
  bool itar_exempt;
};
struct PlatformRow {
  coalition::v1::Domain domain;
  coalition::v1::Tier tier;
  coalition::v1::Sourcing sourcing;
  double unit_cost_musd;
  uint32_t gateway_begin;  // [gateway_begin, gateway_end) in gateways()
  uint32_t gateway_end;
};
struct LinkRow {
  coalition::v1::LinkKind kind;
  coalition::v1::ExportControl export_control;
  bool voice_capable;
  double retrofit_cost_musd;
};
struct StandardRow {
  uint32_t family;  // dense family index, see family_name()
  int32_t version;
  double upgrade_cost_musd;  // per platform unit moved to this standard; < 0: none offered
};
struct ComponentRow {
  coalition::v1::ComponentKind kind;
  coalition::v1::ExportControl export_control;
};
struct GatewayRow {
  uint32_t standard_a;  // local standard indices
  uint32_t standard_b;
  int32_t level_cap;    // 1..3 (2 when unset in the model)
};

struct MemoryStats {
  size_t nodes = 0;
  size_t edges = 0;
  size_t topology_bytes = 0;    // CSR row starts + targets + edge kinds
  size_t side_table_bytes = 0;  // attribute rows, gateways, roles
  size_t id_bytes = 0;          // id strings and the id -> index maps
  size_t total_bytes() const { return topology_bytes + side_table_bytes + id_bytes; }
};

class TypedGraph {
 public:
  TypedGraph(TypedGraph&&) = default;
  TypedGraph& operator=(TypedGraph&&) = default;

  uint32_t Count(EntityKind k) const { return counts_[static_cast<int>(k)]; }
  uint32_t num_nodes() const { return base_[kNumEntityKinds]; }
  uint32_t num_edges() const { return static_cast<uint32_t>(edge_kinds_.size()); }

  NodeId Node(EntityKind k, uint32_t local) const { return base_[static_cast<int>(k)] + local; }
  EntityKind KindOf(NodeId n) const;
  uint32_t Local(NodeId n) const { return n - base_[static_cast<int>(KindOf(n))]; }

  // The string id of an entity; Find is its inverse (nullopt when absent).
  absl::string_view Id(EntityKind k, uint32_t local) const {
    return ids_[static_cast<int>(k)][local];
  }
  absl::string_view IdOf(NodeId n) const { return Id(KindOf(n), Local(n)); }
  std::optional<uint32_t> Find(EntityKind k, absl::string_view id) const;

  // Targets of `node`'s edges of kind `kind`, in model order.
  absl::Span<const NodeId> Neighbors(NodeId node, EdgeKind kind) const;
  // Local indices of the targets, for edges whose targets are all of kind `target` (e.g.
  // kFits -> links). For mixed-target kinds (kReleasableTo), use Neighbors.
  template <typename F>
  void ForEachLocal(NodeId node, EdgeKind kind, F&& f) const {
    for (NodeId t : Neighbors(node, kind)) f(Local(t));
  }

  const Csr& csr() const { return csr_; }
  absl::Span<const EdgeKind> edge_kinds() const { return edge_kinds_; }

  const NationRow& nation(uint32_t i) const { return nations_[i]; }
  const GroupRow& group(uint32_t i) const { return groups_[i]; }
  const PlatformRow& platform(uint32_t i) const { return platforms_[i]; }
  const LinkRow& link(uint32_t i) const { return links_[i]; }
  const StandardRow& standard(uint32_t i) const { return standards_[i]; }
  const ComponentRow& component(uint32_t i) const { return components_[i]; }
  absl::Span<const GatewayRow> gateways(uint32_t platform) const {
    const PlatformRow& p = platforms_[platform];
    return absl::MakeConstSpan(gateways_).subspan(p.gateway_begin, p.gateway_end - p.gateway_begin);
  }
  // Role tags of a platform (dense role indices, see role_name()).
  absl::Span<const uint32_t> roles(uint32_t platform) const {
    return absl::MakeConstSpan(role_ids_).subspan(role_begin_[platform],
                                                  role_begin_[platform + 1] - role_begin_[platform]);
  }
  std::optional<uint32_t> FindRole(absl::string_view role) const;
  absl::string_view role_name(uint32_t r) const { return role_names_[r]; }
  absl::string_view family_name(uint32_t f) const { return family_names_[f]; }
  uint32_t num_families() const { return static_cast<uint32_t>(family_names_.size()); }

  // Display names (model order), kept for reports.
  absl::string_view Name(EntityKind k, uint32_t local) const {
    return names_[static_cast<int>(k)][local];
  }
  const std::string& model_name() const { return model_name_; }
  // Local nation index of the US nation (UsNationId(model)), nullopt when the model has none.
  std::optional<uint32_t> us_nation() const { return us_nation_; }

  MemoryStats Memory() const;

 private:
  template <bool kMove, typename ModelRef>
  friend absl::StatusOr<TypedGraph> BuildGraphImpl(ModelRef& model);
  TypedGraph() = default;

  std::string model_name_;
  std::optional<uint32_t> us_nation_;
  std::array<uint32_t, kNumEntityKinds> counts_{};
  std::array<uint32_t, kNumEntityKinds + 1> base_{};
  std::array<std::vector<std::string>, kNumEntityKinds> ids_;
  std::array<std::vector<std::string>, kNumEntityKinds> names_;
  std::array<absl::flat_hash_map<absl::string_view, uint32_t>, kNumEntityKinds> index_;

  Csr csr_;
  std::vector<EdgeKind> edge_kinds_;

  std::vector<NationRow> nations_;
  std::vector<GroupRow> groups_;
  std::vector<PlatformRow> platforms_;
  std::vector<LinkRow> links_;
  std::vector<StandardRow> standards_;
  std::vector<ComponentRow> components_;
  std::vector<GatewayRow> gateways_;
  std::vector<uint32_t> role_begin_;
  std::vector<uint32_t> role_ids_;
  std::vector<std::string> role_names_;
  absl::flat_hash_map<std::string, uint32_t> role_index_;
  std::vector<std::string> family_names_;
};

// Builds the frozen graph, consuming `model` (its id and name strings are moved out; mixes are
// left in place for the caller). Errors: InvalidArgument on duplicate ids or dangling references
// (run Validate() first for the full list with locations).
absl::StatusOr<TypedGraph> BuildGraph(coalition::v1::Model&& model);

// The same, copying the strings and only reading `model`: other threads may read the model
// meanwhile (the CLI validates it on one core while it builds the graph on the other).
absl::StatusOr<TypedGraph> BuildGraph(const coalition::v1::Model& model);

}  // namespace coalition::graph

#endif  // COALITION_ENGINE_GRAPH_TYPED_GRAPH_H_
