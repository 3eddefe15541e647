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
// Storage. Every accessor reads flat arrays (spans): over buffers the graph owns (BuildGraph), or
// over a snapshot file mapped into memory and used in place (engine/snapshot). Ids and names are
// stored end to end per kind (StringColumn) with an open-addressing id index, so a graph holds
// no string objects per entity and a mapped graph needs no rebuilding. Moving a graph keeps
// every span valid.
//
// BuildGraph interns the ids (engine/model/interner.h, or takes an index already built) and
// copies the names into those buffers; the caller may drop the proto afterwards. It expects a
// model that passed Validate(); on a dangling reference it returns InvalidArgument instead of
// crashing.
//
// Memory: 4 bytes per node (row start) + 5 bytes per edge (target + kind) of topology, plus the
// side tables, the id and name bytes (4-byte offsets) and the id index (4 bytes per slot, at most
// 4 slots per entity); Memory() reports each part.
#ifndef COALITION_ENGINE_GRAPH_TYPED_GRAPH_H_
#define COALITION_ENGINE_GRAPH_TYPED_GRAPH_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "boost/graph/compressed_sparse_row_graph.hpp"
#include "coalition/v1/model.pb.h"
#include "engine/model/interner.h"

namespace coalition::snapshot {
class GraphAccess;  // engine/snapshot: writes and maps the arrays of a TypedGraph
}  // namespace coalition::snapshot

namespace coalition::graph {

// The entity kinds in Model field order: the interner's (engine/model/interner.h), one enum
// for the ids the interner indexes and the nodes the graph holds.
using EntityKind = coalition::IdKind;
inline constexpr int kNumEntityKinds = coalition::kNumIdKinds;
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
  double stock_months;  // >= 0; 0 = grounded at once when supply stops (SPEC §4)
};
// A supply restriction in force (Model.restrictions): `supplier`, or every supplier located in
// `supplier_nation`, does not supply the parties restriction_denied() lists.
inline constexpr uint32_t kNoIndex = UINT32_MAX;
struct RestrictionRow {
  uint32_t supplier;         // local supplier index, or kNoIndex
  uint32_t supplier_nation;  // local nation index, or kNoIndex
  uint32_t denied_begin;     // [denied_begin, denied_end) in restriction_denied storage
  uint32_t denied_end;
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

// A column of strings stored end to end: entry i is chars[offsets[i], offsets[i + 1]).
struct StringColumn {
  absl::Span<const uint32_t> offsets;  // size() + 1 ascending entries; empty when size() == 0
  absl::Span<const char> chars;
  uint32_t size() const {
    return offsets.empty() ? 0 : static_cast<uint32_t>(offsets.size() - 1);
  }
  absl::string_view operator[](uint32_t i) const {
    return absl::string_view(chars.data() + offsets[i], offsets[i + 1] - offsets[i]);
  }
};

// The id index of one entity kind: open addressing with linear probing over a power-of-two
// number of slots, each 0 (empty) or local index + 1, probed from StableIdHash(id). Stable
// across processes and builds because snapshots store it: changing the hash or the probing
// changes the snapshot format (bump engine/snapshot's version).
uint64_t StableIdHash(absl::string_view id);
// The local index of `id` in `ids` through `slots`, nullopt when absent. Never reads outside
// the spans when every slot is <= ids.size() and some slot is empty (the snapshot checks both).
std::optional<uint32_t> FindInIdIndex(absl::Span<const uint32_t> slots, const StringColumn& ids,
                                      absl::string_view id);

class TypedGraph {
 public:
  TypedGraph(TypedGraph&&) = default;
  TypedGraph& operator=(TypedGraph&&) = default;

  uint32_t Count(EntityKind k) const { return counts_[static_cast<int>(k)]; }
  uint32_t num_nodes() const { return base_[kNumEntityKinds]; }
  uint32_t num_edges() const { return static_cast<uint32_t>(a_.edge_kinds.size()); }

  NodeId Node(EntityKind k, uint32_t local) const { return base_[static_cast<int>(k)] + local; }
  EntityKind KindOf(NodeId n) const;
  uint32_t Local(NodeId n) const { return n - base_[static_cast<int>(KindOf(n))]; }

  // The string id of an entity; Find is its inverse (nullopt when absent).
  absl::string_view Id(EntityKind k, uint32_t local) const {
    return a_.ids[static_cast<int>(k)][local];
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

  // The Boost CSR of a built graph. A graph mapped from a snapshot has an empty one: use
  // row_starts() and targets(), which every graph has (the same arrays).
  const Csr& csr() const { return csr_; }
  absl::Span<const uint32_t> row_starts() const { return a_.row_start; }  // num_nodes() + 1
  absl::Span<const NodeId> targets() const { return a_.targets; }         // num_edges()
  absl::Span<const EdgeKind> edge_kinds() const { return a_.edge_kinds; }

  const NationRow& nation(uint32_t i) const { return a_.nations[i]; }
  const GroupRow& group(uint32_t i) const { return a_.groups[i]; }
  const PlatformRow& platform(uint32_t i) const { return a_.platforms[i]; }
  const LinkRow& link(uint32_t i) const { return a_.links[i]; }
  const StandardRow& standard(uint32_t i) const { return a_.standards[i]; }
  const ComponentRow& component(uint32_t i) const { return a_.components[i]; }
  absl::Span<const GatewayRow> gateways(uint32_t platform) const {
    const PlatformRow& p = a_.platforms[platform];
    return a_.gateways.subspan(p.gateway_begin, p.gateway_end - p.gateway_begin);
  }
  // Role tags of a platform (dense role indices, see role_name()).
  absl::Span<const uint32_t> roles(uint32_t platform) const {
    return a_.role_ids.subspan(a_.role_begin[platform],
                               a_.role_begin[platform + 1] - a_.role_begin[platform]);
  }
  std::optional<uint32_t> FindRole(absl::string_view role) const;
  // Supply restrictions in force, model order (not an entity kind: no NodeId, no edges).
  uint32_t num_restrictions() const { return static_cast<uint32_t>(a_.restrictions.size()); }
  const RestrictionRow& restriction(uint32_t r) const { return a_.restrictions[r]; }
  absl::string_view restriction_id(uint32_t r) const { return a_.restriction_ids[r]; }
  absl::string_view restriction_name(uint32_t r) const { return a_.restriction_names[r]; }
  // Denied parties of restriction r: nation or group NodeIds, model order.
  absl::Span<const NodeId> restriction_denied(uint32_t r) const {
    const RestrictionRow& row = a_.restrictions[r];
    return a_.restriction_denied.subspan(row.denied_begin, row.denied_end - row.denied_begin);
  }
  std::optional<uint32_t> FindRestriction(absl::string_view id) const;
  absl::string_view role_name(uint32_t r) const { return a_.role_names[r]; }
  absl::string_view family_name(uint32_t f) const { return a_.family_names[f]; }
  uint32_t num_families() const { return a_.family_names.size(); }

  // Display names (model order), kept for reports.
  absl::string_view Name(EntityKind k, uint32_t local) const {
    return a_.names[static_cast<int>(k)][local];
  }
  const std::string& model_name() const { return model_name_; }
  // Local nation index of the US nation (UsNationId(model)), nullopt when the model has none.
  std::optional<uint32_t> us_nation() const { return us_nation_; }

  MemoryStats Memory() const;

  // Every array the accessors read. The snapshot (engine/snapshot) writes and maps exactly the
  // members ForEachArray lists: a member added here must be listed there too (the snapshot's
  // tests fail otherwise), and a graph member the accessors read must live here (not in a
  // vector of its own) for snapshots to carry it.
  struct Arrays {
    absl::Span<const uint32_t> row_start;   // num_nodes() + 1 (the CSR's row starts)
    absl::Span<const NodeId> targets;       // num_edges() (the CSR's column)
    absl::Span<const EdgeKind> edge_kinds;  // num_edges()
    std::array<StringColumn, kNumEntityKinds> ids;
    std::array<StringColumn, kNumEntityKinds> names;
    std::array<absl::Span<const uint32_t>, kNumEntityKinds> id_index;  // FindInIdIndex slots
    absl::Span<const NationRow> nations;
    absl::Span<const GroupRow> groups;
    absl::Span<const PlatformRow> platforms;
    absl::Span<const LinkRow> links;
    absl::Span<const StandardRow> standards;
    absl::Span<const ComponentRow> components;
    absl::Span<const GatewayRow> gateways;
    absl::Span<const uint32_t> role_begin;  // num platforms + 1
    absl::Span<const uint32_t> role_ids;
    StringColumn role_names;
    StringColumn family_names;
    absl::Span<const RestrictionRow> restrictions;
    absl::Span<const NodeId> restriction_denied;
    StringColumn restriction_ids;
    StringColumn restriction_names;
  };
  // Calls f(name, member) for every member of `a` (a span or a StringColumn), in snapshot order.
  template <typename A, typename F>
  static void ForEachArray(A& a, F&& f) {
    f("row_start", a.row_start);
    f("targets", a.targets);
    f("edge_kinds", a.edge_kinds);
    for (int k = 0; k < kNumEntityKinds; ++k) f("ids", a.ids[k]);
    for (int k = 0; k < kNumEntityKinds; ++k) f("names", a.names[k]);
    for (int k = 0; k < kNumEntityKinds; ++k) f("id_index", a.id_index[k]);
    f("nations", a.nations);
    f("groups", a.groups);
    f("platforms", a.platforms);
    f("links", a.links);
    f("standards", a.standards);
    f("components", a.components);
    f("gateways", a.gateways);
    f("role_begin", a.role_begin);
    f("role_ids", a.role_ids);
    f("role_names", a.role_names);
    f("family_names", a.family_names);
    f("restrictions", a.restrictions);
    f("restriction_denied", a.restriction_denied);
    f("restriction_ids", a.restriction_ids);
    f("restriction_names", a.restriction_names);
  }
  const Arrays& arrays() const { return a_; }

 private:
  friend class GraphBuilder;
  friend class coalition::snapshot::GraphAccess;
  TypedGraph() = default;
  // BuildGraph's last step: points a_ at the vectors below and the string columns.
  void Freeze();
  // Keeps `v` alive as long as the graph and returns a span over it.
  template <typename T>
  absl::Span<const T> Own(std::vector<T> v) {
    auto p = std::make_shared<const std::vector<T>>(std::move(v));
    absl::Span<const T> span(*p);
    owners_.push_back(std::move(p));
    return span;
  }
  // Keeps a buffer shared with its producer (the interner) alive as long as the graph.
  template <typename T>
  absl::Span<const T> Share(std::shared_ptr<const std::vector<T>> v) {
    absl::Span<const T> span(*v);
    owners_.push_back(std::move(v));
    return span;
  }
  StringColumn OwnColumn(const std::vector<std::string>& strings);

  Arrays a_;
  // Buffers a_ points into that are not vectors below: string columns, id indexes, a mapped
  // snapshot. Held by pointer, so moving the graph moves no buffer.
  std::vector<std::shared_ptr<const void>> owners_;

  std::string model_name_;
  std::optional<uint32_t> us_nation_;
  std::array<uint32_t, kNumEntityKinds> counts_{};
  std::array<uint32_t, kNumEntityKinds + 1> base_{};

  // Built graphs only (empty in a mapped graph): what BuildGraph fills, a_'s storage.
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
  std::vector<RestrictionRow> restrictions_;
  std::vector<NodeId> restriction_denied_;
  std::vector<std::string> restriction_ids_;
  std::vector<std::string> restriction_names_;
};

// The typed graph built one entity at a time (issue 15), for readers that never hold the whole
// model (engine/model/binary_stream.h); BuildGraph is this class fed from the model's lists, so
// both give the same graph.
//
//   GraphBuilder b(skeleton, index);          // index = the whole model's ids
//   b.Add(0, nation0); ... b.Add(0, platform0); ...
//   ASSIGN_OR_RETURN(TypedGraph g, std::move(b).Finish());
//
// `skeleton` is the model without its entity lists (its name, us_nation and restrictions are
// read; it is not kept). `index` interns the ids of the whole model (engine/model/interner.h);
// the graph shares its id buffers. Entities are added in model order within each kind and kinds
// in Model field order (the CSR is filled source by source), `i` being the entity's index in
// its list; an added message may be reused after the call. `edge_hint` reserves that many edges
// up front (an upper bound costs only address space until used; 0: grow as needed).
// Errors (from Finish): InvalidArgument on duplicate ids, dangling references (the first one;
// run Validate() for the full list), entities added out of order or a count that differs from
// the index's; ResourceExhausted past 4 GiB of ids or names of a kind, or 2^32-1 edges.
class GraphBuilder {
 public:
  GraphBuilder(const coalition::v1::Model& skeleton, const coalition::ModelIndex& index,
               size_t edge_hint = 0);
  ~GraphBuilder();
  GraphBuilder(const GraphBuilder&) = delete;
  GraphBuilder& operator=(const GraphBuilder&) = delete;

  void Add(uint32_t i, const coalition::v1::Nation& n);
  void Add(uint32_t i, const coalition::v1::Group& g);
  void Add(uint32_t i, const coalition::v1::PlatformType& p);
  void Add(uint32_t i, const coalition::v1::CommsLink& l);
  void Add(uint32_t i, const coalition::v1::DataStandard& s);
  void Add(uint32_t i, const coalition::v1::Component& c);
  void Add(uint32_t i, const coalition::v1::Supplier& s);
  // Call once, after the last Add. `model_name` replaces the skeleton's name when given (the
  // rvalue BuildGraph moves it instead of copying).
  absl::StatusOr<TypedGraph> Finish(std::string* model_name = nullptr) &&;

 private:
  struct State;
  // Checks that entity i of kind k comes next; false (and the error recorded) otherwise.
  bool Next(EntityKind k, uint32_t i);
  std::unique_ptr<State> s_;
};

// Builds the frozen graph, consuming `model` (its name is moved out; ids and names are copied
// into the graph's columns; mixes are left in place for the caller). Errors: InvalidArgument on duplicate ids or dangling references
// (run Validate() first for the full list with locations).
absl::StatusOr<TypedGraph> BuildGraph(coalition::v1::Model&& model);

// The same, copying the strings and only reading `model`: other threads may read the model
// meanwhile (the CLI validates it on one core while it builds the graph on the other).
absl::StatusOr<TypedGraph> BuildGraph(const coalition::v1::Model& model);

// The same with the model's ids already interned (InternModel, engine/model/interner.h): the
// graph shares the index's id columns and id indexes instead of hashing every id again, so the
// CLI interns once and then validates (Validate with the index) on one core while it builds on
// the other. `index` must be InternModel(model); InvalidArgument when its sizes differ.
absl::StatusOr<TypedGraph> BuildGraph(const coalition::v1::Model& model,
                                      const coalition::ModelIndex& index);

}  // namespace coalition::graph

#endif  // COALITION_ENGINE_GRAPH_TYPED_GRAPH_H_
