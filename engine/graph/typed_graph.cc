#include "engine/graph/typed_graph.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/model/sourcing.h"

namespace coalition::graph {
namespace {

namespace v1 = ::coalition::v1;

template <typename T>
size_t VectorBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

size_t StringBytes(const std::string& s) {
  // Heap bytes beyond the inline (SSO) buffer.
  return sizeof(std::string) + (s.capacity() > 15 ? s.capacity() + 1 : 0);
}

// Collects edges in CSR order: sources ascending (callers emit entity by entity in NodeId
// order), kinds ascending within a source.
class EdgeSink {
 public:
  void Add(NodeId src, EdgeKind kind, NodeId dst) {
    edges_.emplace_back(src, dst);
    kinds_.push_back(kind);
  }
  std::vector<std::pair<uint32_t, uint32_t>>& edges() { return edges_; }
  std::vector<EdgeKind>& kinds() { return kinds_; }

 private:
  std::vector<std::pair<uint32_t, uint32_t>> edges_;
  std::vector<EdgeKind> kinds_;
};

}  // namespace

absl::string_view EntityKindName(EntityKind k) {
  static constexpr absl::string_view kNames[] = {"nation",   "group",     "platform", "link",
                                                 "standard", "component", "supplier"};
  return kNames[static_cast<int>(k)];
}

absl::string_view EdgeKindName(EdgeKind k) {
  static constexpr absl::string_view kNames[] = {
      "member_of", "designed_by",   "produced_by",  "fits",         "speaks",
      "uses_critical", "uses",      "carries",      "releasable_to", "supplied_by",
      "sub_critical", "sub",        "located_in"};
  return kNames[static_cast<int>(k)];
}

EntityKind TypedGraph::KindOf(NodeId n) const {
  // base_ is ascending; kinds are few, a linear scan beats a binary search.
  int k = 0;
  while (k + 1 < kNumEntityKinds && n >= base_[k + 1]) ++k;
  return static_cast<EntityKind>(k);
}

std::optional<uint32_t> TypedGraph::Find(EntityKind k, absl::string_view id) const {
  const auto& index = index_[static_cast<int>(k)];
  auto it = index.find(id);
  if (it == index.end()) return std::nullopt;
  return it->second;
}

std::optional<uint32_t> TypedGraph::FindRole(absl::string_view role) const {
  auto it = role_index_.find(std::string(role));
  if (it == role_index_.end()) return std::nullopt;
  return it->second;
}

absl::Span<const NodeId> TypedGraph::Neighbors(NodeId node, EdgeKind kind) const {
  const auto& rowstart = csr_.m_forward.m_rowstart;
  const auto& column = csr_.m_forward.m_column;
  const uint32_t begin = rowstart[node];
  const uint32_t end = rowstart[node + 1];
  const EdgeKind* kb = edge_kinds_.data() + begin;
  const EdgeKind* ke = edge_kinds_.data() + end;
  auto [lo, hi] = std::equal_range(kb, ke, kind);
  return absl::MakeConstSpan(column.data() + (lo - edge_kinds_.data()),
                             static_cast<size_t>(hi - lo));
}

MemoryStats TypedGraph::Memory() const {
  MemoryStats m;
  m.nodes = num_nodes();
  m.edges = num_edges();
  m.topology_bytes = VectorBytes(csr_.m_forward.m_rowstart) +
                     VectorBytes(csr_.m_forward.m_column) + VectorBytes(edge_kinds_);
  m.side_table_bytes = VectorBytes(nations_) + VectorBytes(groups_) + VectorBytes(platforms_) +
                       VectorBytes(links_) + VectorBytes(standards_) + VectorBytes(components_) +
                       VectorBytes(gateways_) + VectorBytes(role_begin_) + VectorBytes(role_ids_);
  for (int k = 0; k < kNumEntityKinds; ++k) {
    for (const std::string& s : ids_[k]) m.id_bytes += StringBytes(s);
    for (const std::string& s : names_[k]) m.id_bytes += StringBytes(s);
    m.id_bytes += index_[k].capacity() *
                  (sizeof(std::pair<absl::string_view, uint32_t>) + 1);  // slots + control bytes
  }
  return m;
}

// kMove: move the id and name strings out of `model` (ModelRef = v1::Model); otherwise copy
// them and only read `model` (ModelRef = const v1::Model), so that other threads may read it too.
template <bool kMove, typename ModelRef>
absl::StatusOr<TypedGraph> BuildGraphImpl(ModelRef& model) {
  TypedGraph g;
  // Read before anything is moved out of the proto (the view may point into it).
  const std::string us_nation(UsNationId(model));
  if constexpr (kMove) {
    g.model_name_ = std::move(*model.mutable_name());
  } else {
    g.model_name_ = model.name();
  }
  const int sizes[kNumEntityKinds] = {model.nations_size(),   model.groups_size(),
                                      model.platforms_size(), model.links_size(),
                                      model.standards_size(), model.components_size(),
                                      model.suppliers_size()};
  for (int k = 0; k < kNumEntityKinds; ++k) {
    g.counts_[k] = static_cast<uint32_t>(sizes[k]);
    g.base_[k + 1] = g.base_[k] + g.counts_[k];
    g.ids_[k].reserve(sizes[k]);
    g.names_[k].reserve(sizes[k]);
    g.index_[k].reserve(sizes[k]);
  }

  // Intern ids (moved out of the proto, or copied) kind by kind.
  absl::Status status;
  auto intern = [&](EntityKind kind, auto& e) {
    const int k = static_cast<int>(kind);
    const uint32_t local = static_cast<uint32_t>(g.ids_[k].size());
    if constexpr (kMove) {
      g.ids_[k].push_back(std::move(*e.mutable_id()));
      g.names_[k].push_back(std::move(*e.mutable_name()));
    } else {
      g.ids_[k].push_back(e.id());
      g.names_[k].push_back(e.name());
    }
    if (!g.index_[k].try_emplace(g.ids_[k].back(), local).second && status.ok()) {
      status = absl::InvalidArgumentError(absl::StrCat("duplicate ", EntityKindName(kind), " id '",
                                                       g.ids_[k].back(), "'"));
    }
  };
  auto each = [&](EntityKind kind, auto& entities) {
    for (auto& e : entities) intern(kind, e);
  };
  if constexpr (kMove) {
    each(EntityKind::kNation, *model.mutable_nations());
    each(EntityKind::kGroup, *model.mutable_groups());
    each(EntityKind::kPlatform, *model.mutable_platforms());
    each(EntityKind::kLink, *model.mutable_links());
    each(EntityKind::kStandard, *model.mutable_standards());
    each(EntityKind::kComponent, *model.mutable_components());
    each(EntityKind::kSupplier, *model.mutable_suppliers());
  } else {
    each(EntityKind::kNation, model.nations());
    each(EntityKind::kGroup, model.groups());
    each(EntityKind::kPlatform, model.platforms());
    each(EntityKind::kLink, model.links());
    each(EntityKind::kStandard, model.standards());
    each(EntityKind::kComponent, model.components());
    each(EntityKind::kSupplier, model.suppliers());
  }
  if (!status.ok()) return status;
  g.us_nation_ = g.Find(EntityKind::kNation, us_nation);

  // Reference resolution: returns the NodeId or records the first dangling reference.
  auto resolve = [&](EntityKind kind, const std::string& ref, absl::string_view where) -> NodeId {
    auto local = g.Find(kind, ref);
    if (!local.has_value()) {
      if (status.ok()) {
        status = absl::InvalidArgumentError(absl::StrCat(
            where, " names unknown ", EntityKindName(kind), " '", ref, "' (run validate)"));
      }
      return 0;
    }
    return g.Node(kind, *local);
  };
  // A releasability entry names a nation or a group (the validator rejects ids that are both).
  auto resolve_party = [&](const std::string& ref, absl::string_view where) -> NodeId {
    if (auto n = g.Find(EntityKind::kNation, ref)) return g.Node(EntityKind::kNation, *n);
    return resolve(EntityKind::kGroup, ref, where);
  };

  EdgeSink sink;
  size_t edge_estimate = 0;
  for (const auto& p : model.platforms()) {
    edge_estimate += 2 + p.producer_nations_size() + p.links_size() + p.standards_size() +
                     p.components_size();
  }
  for (const auto& c : model.components()) {
    edge_estimate += c.suppliers_size() + c.sub_components_size();
  }
  sink.edges().reserve(edge_estimate);
  sink.kinds().reserve(edge_estimate);

  // Nations.
  g.nations_.reserve(sizes[0]);
  for (uint32_t i = 0; i < g.counts_[0]; ++i) {
    const v1::Nation& n = model.nations(static_cast<int>(i));
    g.nations_.push_back({n.partner_category(), n.supply_risk()});
    const NodeId src = g.Node(EntityKind::kNation, i);
    for (const std::string& grp : n.groups()) {
      sink.Add(src, EdgeKind::kMemberOf, resolve(EntityKind::kGroup, grp, "nation group"));
    }
  }
  // Groups.
  for (const v1::Group& gr : model.groups()) {
    g.groups_.push_back({gr.shares_information(), gr.itar_exempt()});
  }
  // Platforms.
  g.platforms_.reserve(sizes[2]);
  g.role_begin_.reserve(sizes[2] + 1);
  g.role_begin_.push_back(0);
  for (uint32_t i = 0; i < g.counts_[2]; ++i) {
    const v1::PlatformType& p = model.platforms(static_cast<int>(i));
    const NodeId src = g.Node(EntityKind::kPlatform, i);
    if (!p.designer_nation().empty()) {
      sink.Add(src, EdgeKind::kDesignedBy,
               resolve(EntityKind::kNation, p.designer_nation(), "platform designer_nation"));
    }
    for (const std::string& n : p.producer_nations()) {
      sink.Add(src, EdgeKind::kProducedBy, resolve(EntityKind::kNation, n, "platform producer"));
    }
    for (const std::string& l : p.links()) {
      sink.Add(src, EdgeKind::kFits, resolve(EntityKind::kLink, l, "platform link"));
    }
    for (const std::string& s : p.standards()) {
      sink.Add(src, EdgeKind::kSpeaks, resolve(EntityKind::kStandard, s, "platform standard"));
    }
    for (const auto& use : p.components()) {
      if (use.critical()) {
        sink.Add(src, EdgeKind::kUsesCritical,
                 resolve(EntityKind::kComponent, use.component(), "platform component"));
      }
    }
    for (const auto& use : p.components()) {
      if (!use.critical()) {
        sink.Add(src, EdgeKind::kUses,
                 resolve(EntityKind::kComponent, use.component(), "platform component"));
      }
    }
    PlatformRow row{p.domain(), p.tier(), p.sourcing(), p.unit_cost_musd(),
                    static_cast<uint32_t>(g.gateways_.size()), 0};
    for (const v1::Gateway& gw : p.gateways()) {
      NodeId a = resolve(EntityKind::kStandard, gw.standard_a(), "gateway standard_a");
      NodeId b = resolve(EntityKind::kStandard, gw.standard_b(), "gateway standard_b");
      g.gateways_.push_back({g.Local(a), g.Local(b), gw.has_level_cap() ? gw.level_cap() : 2});
    }
    row.gateway_end = static_cast<uint32_t>(g.gateways_.size());
    g.platforms_.push_back(row);
    for (const std::string& role : p.roles()) {
      auto [it, inserted] =
          g.role_index_.try_emplace(role, static_cast<uint32_t>(g.role_names_.size()));
      if (inserted) g.role_names_.push_back(role);
      g.role_ids_.push_back(it->second);
    }
    g.role_begin_.push_back(static_cast<uint32_t>(g.role_ids_.size()));
  }
  // Links.
  g.links_.reserve(sizes[3]);
  for (uint32_t i = 0; i < g.counts_[3]; ++i) {
    const v1::CommsLink& l = model.links(static_cast<int>(i));
    const NodeId src = g.Node(EntityKind::kLink, i);
    if (!l.designer_nation().empty()) {
      sink.Add(src, EdgeKind::kDesignedBy,
               resolve(EntityKind::kNation, l.designer_nation(), "link designer_nation"));
    }
    for (const std::string& s : l.standards()) {
      sink.Add(src, EdgeKind::kCarries, resolve(EntityKind::kStandard, s, "link standard"));
    }
    for (const std::string& r : l.releasable_to()) {
      sink.Add(src, EdgeKind::kReleasableTo, resolve_party(r, "link releasable_to"));
    }
    g.links_.push_back({l.kind(), l.export_control(), l.voice_capable(), l.retrofit_cost_musd()});
  }
  // Standards.
  absl::flat_hash_map<std::string, uint32_t> family_index;
  g.standards_.reserve(sizes[4]);
  for (uint32_t i = 0; i < g.counts_[4]; ++i) {
    const v1::DataStandard& s = model.standards(static_cast<int>(i));
    const NodeId src = g.Node(EntityKind::kStandard, i);
    if (!s.designer_nation().empty()) {
      sink.Add(src, EdgeKind::kDesignedBy,
               resolve(EntityKind::kNation, s.designer_nation(), "standard designer_nation"));
    }
    for (const std::string& r : s.releasable_to()) {
      sink.Add(src, EdgeKind::kReleasableTo, resolve_party(r, "standard releasable_to"));
    }
    auto [it, inserted] =
        family_index.try_emplace(s.family(), static_cast<uint32_t>(g.family_names_.size()));
    if (inserted) g.family_names_.push_back(s.family());
    g.standards_.push_back({it->second, s.version(),
                            s.has_upgrade_cost_musd() ? s.upgrade_cost_musd() : -1.0});
  }
  // Components.
  g.components_.reserve(sizes[5]);
  for (uint32_t i = 0; i < g.counts_[5]; ++i) {
    const v1::Component& c = model.components(static_cast<int>(i));
    const NodeId src = g.Node(EntityKind::kComponent, i);
    for (const std::string& s : c.suppliers()) {
      sink.Add(src, EdgeKind::kSuppliedBy, resolve(EntityKind::kSupplier, s, "component supplier"));
    }
    for (const auto& sub : c.sub_components()) {
      if (sub.critical()) {
        sink.Add(src, EdgeKind::kSubCritical,
                 resolve(EntityKind::kComponent, sub.component(), "sub-component"));
      }
    }
    for (const auto& sub : c.sub_components()) {
      if (!sub.critical()) {
        sink.Add(src, EdgeKind::kSub,
                 resolve(EntityKind::kComponent, sub.component(), "sub-component"));
      }
    }
    g.components_.push_back({c.kind(), c.export_control()});
  }
  // Suppliers.
  for (uint32_t i = 0; i < g.counts_[6]; ++i) {
    const v1::Supplier& s = model.suppliers(static_cast<int>(i));
    sink.Add(g.Node(EntityKind::kSupplier, i), EdgeKind::kLocatedIn,
             resolve(EntityKind::kNation, s.nation(), "supplier nation"));
  }
  if (!status.ok()) return status;
  if (sink.edges().size() >= UINT32_MAX) {
    return absl::ResourceExhaustedError("more than 2^32-1 edges; the graph uses 32-bit edge ids");
  }

  g.csr_ = Csr(boost::edges_are_sorted, sink.edges().begin(), sink.edges().end(), g.num_nodes(),
               sink.edges().size());
  std::vector<std::pair<uint32_t, uint32_t>>().swap(sink.edges());
  g.edge_kinds_ = std::move(sink.kinds());
  g.edge_kinds_.shrink_to_fit();
  return g;
}

absl::StatusOr<TypedGraph> BuildGraph(v1::Model&& model) {
  return BuildGraphImpl</*kMove=*/true>(model);
}

absl::StatusOr<TypedGraph> BuildGraph(const v1::Model& model) {
  return BuildGraphImpl</*kMove=*/false>(model);
}

}  // namespace coalition::graph
