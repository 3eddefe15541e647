#include "engine/graph/typed_graph.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/model/sourcing.h"

namespace coalition::graph {
namespace {

namespace v1 = ::coalition::v1;

template <typename T>
size_t SpanBytes(absl::Span<const T> v) {
  return v.size() * sizeof(T);
}

size_t ColumnBytes(const StringColumn& c) {
  return c.offsets.size() * sizeof(uint32_t) + c.chars.size();
}

// Strings appended end to end (the owned form of a StringColumn).
struct ColumnBuffer {
  std::vector<uint32_t> offsets;
  std::vector<char> chars;
  bool overflow = false;  // more than 2^32-1 bytes
  void Add(absl::string_view s) {
    if (offsets.empty()) offsets.push_back(0);
    if (chars.size() + s.size() >= UINT32_MAX) {
      overflow = true;
      offsets.push_back(offsets.back());
      return;
    }
    chars.insert(chars.end(), s.begin(), s.end());
    offsets.push_back(static_cast<uint32_t>(chars.size()));
  }
};

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

uint64_t StableIdHash(absl::string_view id) { return ::coalition::StableIdHash(id); }

std::optional<uint32_t> FindInIdIndex(absl::Span<const uint32_t> slots, const StringColumn& ids,
                                      absl::string_view id) {
  if (slots.empty()) return std::nullopt;
  const uint64_t mask = slots.size() - 1;
  // At most slots.size() probes, so even an index without an empty slot cannot loop forever.
  for (uint64_t h = StableIdHash(id) & mask, n = 0; n < slots.size(); h = (h + 1) & mask, ++n) {
    const uint32_t s = slots[h];
    if (s == 0) return std::nullopt;
    if (s <= ids.size() && ids[s - 1] == id) return s - 1;
  }
  return std::nullopt;
}

std::optional<uint32_t> TypedGraph::Find(EntityKind k, absl::string_view id) const {
  const int i = static_cast<int>(k);
  return FindInIdIndex(a_.id_index[i], a_.ids[i], id);
}

StringColumn TypedGraph::OwnColumn(const std::vector<std::string>& strings) {
  ColumnBuffer b;
  b.offsets.reserve(strings.size() + 1);
  for (const std::string& str : strings) b.Add(str);
  StringColumn c;
  c.offsets = Own(std::move(b.offsets));
  c.chars = Own(std::move(b.chars));
  return c;
}

void TypedGraph::Freeze() {
  a_.row_start = csr_.m_forward.m_rowstart;
  a_.targets = csr_.m_forward.m_column;
  a_.edge_kinds = edge_kinds_;
  a_.nations = nations_;
  a_.groups = groups_;
  a_.platforms = platforms_;
  a_.links = links_;
  a_.standards = standards_;
  a_.components = components_;
  a_.gateways = gateways_;
  a_.role_begin = role_begin_;
  a_.role_ids = role_ids_;
  a_.role_names = OwnColumn(role_names_);
  a_.family_names = OwnColumn(family_names_);
  a_.restrictions = restrictions_;
  a_.restriction_denied = restriction_denied_;
  a_.restriction_ids = OwnColumn(restriction_ids_);
  a_.restriction_names = OwnColumn(restriction_names_);
}

std::optional<uint32_t> TypedGraph::FindRole(absl::string_view role) const {
  auto it = role_index_.find(std::string(role));
  if (it == role_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<uint32_t> TypedGraph::FindRestriction(absl::string_view id) const {
  for (uint32_t r = 0; r < a_.restriction_ids.size(); ++r) {
    if (a_.restriction_ids[r] == id) return r;
  }
  return std::nullopt;
}

absl::Span<const NodeId> TypedGraph::Neighbors(NodeId node, EdgeKind kind) const {
  const uint32_t begin = a_.row_start[node];
  const uint32_t end = a_.row_start[node + 1];
  const EdgeKind* kb = a_.edge_kinds.data() + begin;
  const EdgeKind* ke = a_.edge_kinds.data() + end;
  auto [lo, hi] = std::equal_range(kb, ke, kind);
  return absl::MakeConstSpan(a_.targets.data() + (lo - a_.edge_kinds.data()),
                             static_cast<size_t>(hi - lo));
}

MemoryStats TypedGraph::Memory() const {
  MemoryStats m;
  m.nodes = num_nodes();
  m.edges = num_edges();
  m.topology_bytes =
      SpanBytes(a_.row_start) + SpanBytes(a_.targets) + SpanBytes(a_.edge_kinds);
  m.side_table_bytes = SpanBytes(a_.nations) + SpanBytes(a_.groups) + SpanBytes(a_.platforms) +
                       SpanBytes(a_.links) + SpanBytes(a_.standards) + SpanBytes(a_.components) +
                       SpanBytes(a_.gateways) + SpanBytes(a_.role_begin) + SpanBytes(a_.role_ids) +
                       SpanBytes(a_.restrictions) + SpanBytes(a_.restriction_denied);
  for (int k = 0; k < kNumEntityKinds; ++k) {
    m.id_bytes += ColumnBytes(a_.ids[k]) + ColumnBytes(a_.names[k]) + SpanBytes(a_.id_index[k]);
  }
  return m;
}

// kMove: move the model's name out of `model` (ModelRef = v1::Model); otherwise only read
// `model` (ModelRef = const v1::Model), so that other threads may read it too. The ids come
// from `index` (shared, not copied); names are copied into the graph's column buffers.
template <bool kMove, typename ModelRef>
absl::StatusOr<TypedGraph> BuildGraphImpl(ModelRef& model, const ModelIndex& index) {
  TypedGraph g;
  const int sizes[kNumEntityKinds] = {model.nations_size(),   model.groups_size(),
                                      model.platforms_size(), model.links_size(),
                                      model.standards_size(), model.components_size(),
                                      model.suppliers_size()};
  for (int k = 0; k < kNumEntityKinds; ++k) {
    if (index.kind(k).size() != static_cast<uint32_t>(sizes[k])) {
      return absl::InvalidArgumentError("BuildGraph: the id index is not this model's");
    }
  }
  // Read before anything is moved out of the proto (the view may point into it).
  const std::string us_nation(UsNationId(model));
  if constexpr (kMove) {
    g.model_name_ = std::move(*model.mutable_name());
  } else {
    g.model_name_ = model.name();
  }
  for (int k = 0; k < kNumEntityKinds; ++k) {
    g.counts_[k] = static_cast<uint32_t>(sizes[k]);
    g.base_[k + 1] = g.base_[k] + g.counts_[k];
  }

  // Ids: the interned columns and id indexes, shared with `index`. Names: each kind's names
  // end to end in one buffer (copied from the proto; no string object per entity). The first
  // duplicate id (kinds in order, then model order) is the error.
  absl::Status status;
  {
    std::array<ColumnBuffer, kNumEntityKinds> names;
    auto each = [&](EntityKind kind, const auto& entities) {
      const int k = static_cast<int>(kind);
      size_t bytes = 0;
      for (const auto& e : entities) bytes += e.name().size();
      names[k].offsets.reserve(sizes[k] + 1);
      names[k].chars.reserve(std::min<size_t>(bytes, UINT32_MAX));
      for (const auto& e : entities) names[k].Add(e.name());
    };
    each(EntityKind::kNation, model.nations());
    each(EntityKind::kGroup, model.groups());
    each(EntityKind::kPlatform, model.platforms());
    each(EntityKind::kLink, model.links());
    each(EntityKind::kStandard, model.standards());
    each(EntityKind::kComponent, model.components());
    each(EntityKind::kSupplier, model.suppliers());
    for (int k = 0; k < kNumEntityKinds; ++k) {
      const InternedKind& ids = index.kind(k);
      if (ids.overflow() || names[k].overflow) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "the ", EntityKindName(static_cast<EntityKind>(k)), " ids or names exceed 4 GiB"));
      }
      g.a_.ids[k].offsets = g.Share(ids.offsets());
      g.a_.ids[k].chars = g.Share(ids.chars());
      g.a_.names[k].offsets = g.Own(std::move(names[k].offsets));
      g.a_.names[k].chars = g.Own(std::move(names[k].chars));
      g.a_.id_index[k] = g.Share(ids.slots());
      if (ids.first_duplicate() >= 0 && status.ok()) {
        status = absl::InvalidArgumentError(
            absl::StrCat("duplicate ", EntityKindName(static_cast<EntityKind>(k)), " id '",
                         ids.Id(static_cast<uint32_t>(ids.first_duplicate())), "'"));
      }
    }
  }
  if (!status.ok()) return status;
  g.us_nation_ = g.Find(EntityKind::kNation, us_nation);

  // Reference resolution: returns the NodeId or records the first dangling reference.
  auto dangling = [&](EntityKind kind, absl::string_view ref, absl::string_view where) {
    if (status.ok()) {
      status = absl::InvalidArgumentError(absl::StrCat(
          where, " names unknown ", EntityKindName(kind), " '", ref, "' (run validate)"));
    }
  };
  auto resolve = [&](EntityKind kind, absl::string_view ref, absl::string_view where) -> NodeId {
    const int32_t local = index.kind(static_cast<int>(kind)).Find(ref);
    if (local < 0) {
      dangling(kind, ref, where);
      return 0;
    }
    return g.Node(kind, static_cast<uint32_t>(local));
  };
  // A releasability entry names a nation or a group (the validator rejects ids that are both).
  auto resolve_party = [&](absl::string_view ref, absl::string_view where) -> NodeId {
    const int32_t n = index[IdKind::kNation].Find(ref);
    if (n >= 0) return g.Node(EntityKind::kNation, static_cast<uint32_t>(n));
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

  // Batched resolution of one repeated reference field (FindMany: prefetched lookups), then
  // edges for the entries `take(j)` accepts, in order.
  std::vector<int32_t> found;
  auto resolve_list = [&](EntityKind kind, int n, const auto& get) {
    found.resize(static_cast<size_t>(n));
    index.kind(static_cast<int>(kind)).FindMany(static_cast<size_t>(n), get, found.data());
  };
  auto add_list = [&](NodeId src, EdgeKind edge, EntityKind kind, int n, const auto& get,
                      absl::string_view where, const auto& take) {
    for (int j = 0; j < n; ++j) {
      if (!take(j)) continue;
      if (found[j] < 0) {
        dangling(kind, get(j), where);
        sink.Add(src, edge, 0);
      } else {
        sink.Add(src, edge, g.Node(kind, static_cast<uint32_t>(found[j])));
      }
    }
  };
  auto all = [](int) { return true; };
  auto strings = [](const auto& field) {
    return [&field](size_t j) -> absl::string_view { return field.Get(static_cast<int>(j)); };
  };
  auto edges_to = [&](NodeId src, EdgeKind edge, EntityKind kind, const auto& field,
                      absl::string_view where) {
    const auto get = strings(field);
    resolve_list(kind, field.size(), get);
    add_list(src, edge, kind, field.size(), get, where, all);
  };

  // Nations.
  g.nations_.reserve(sizes[0]);
  for (uint32_t i = 0; i < g.counts_[0]; ++i) {
    const v1::Nation& n = model.nations(static_cast<int>(i));
    g.nations_.push_back({n.partner_category(), n.supply_risk()});
    edges_to(g.Node(EntityKind::kNation, i), EdgeKind::kMemberOf, EntityKind::kGroup, n.groups(),
             "nation group");
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
    edges_to(src, EdgeKind::kProducedBy, EntityKind::kNation, p.producer_nations(),
             "platform producer");
    edges_to(src, EdgeKind::kFits, EntityKind::kLink, p.links(), "platform link");
    edges_to(src, EdgeKind::kSpeaks, EntityKind::kStandard, p.standards(), "platform standard");
    {
      const auto& uses = p.components();
      const auto get = [&uses](size_t j) -> absl::string_view {
        return uses.Get(static_cast<int>(j)).component();
      };
      resolve_list(EntityKind::kComponent, uses.size(), get);
      add_list(src, EdgeKind::kUsesCritical, EntityKind::kComponent, uses.size(), get,
               "platform component", [&uses](int j) { return uses.Get(j).critical(); });
      add_list(src, EdgeKind::kUses, EntityKind::kComponent, uses.size(), get,
               "platform component", [&uses](int j) { return !uses.Get(j).critical(); });
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
    edges_to(src, EdgeKind::kCarries, EntityKind::kStandard, l.standards(), "link standard");
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
    edges_to(src, EdgeKind::kSuppliedBy, EntityKind::kSupplier, c.suppliers(),
             "component supplier");
    {
      const auto& subs = c.sub_components();
      const auto get = [&subs](size_t j) -> absl::string_view {
        return subs.Get(static_cast<int>(j)).component();
      };
      resolve_list(EntityKind::kComponent, subs.size(), get);
      add_list(src, EdgeKind::kSubCritical, EntityKind::kComponent, subs.size(), get,
               "sub-component", [&subs](int j) { return subs.Get(j).critical(); });
      add_list(src, EdgeKind::kSub, EntityKind::kComponent, subs.size(), get, "sub-component",
               [&subs](int j) { return !subs.Get(j).critical(); });
    }
    g.components_.push_back({c.kind(), c.export_control(), c.stock_months()});
  }
  // Suppliers.
  for (uint32_t i = 0; i < g.counts_[6]; ++i) {
    const v1::Supplier& s = model.suppliers(static_cast<int>(i));
    sink.Add(g.Node(EntityKind::kSupplier, i), EdgeKind::kLocatedIn,
             resolve(EntityKind::kNation, s.nation(), "supplier nation"));
  }
  // Supply restrictions in force.
  for (const v1::SupplyRestriction& r : model.restrictions()) {
    RestrictionRow row{kNoIndex, kNoIndex, static_cast<uint32_t>(g.restriction_denied_.size()), 0};
    if (!r.supplier().empty()) {
      row.supplier = g.Local(resolve(EntityKind::kSupplier, r.supplier(), "restriction supplier"));
    }
    if (!r.supplier_nation().empty()) {
      row.supplier_nation = g.Local(
          resolve(EntityKind::kNation, r.supplier_nation(), "restriction supplier_nation"));
    }
    for (const std::string& d : r.denied_to()) {
      g.restriction_denied_.push_back(resolve_party(d, "restriction denied_to"));
    }
    row.denied_end = static_cast<uint32_t>(g.restriction_denied_.size());
    g.restrictions_.push_back(row);
    g.restriction_ids_.push_back(r.id());
    g.restriction_names_.push_back(r.name());
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
  g.Freeze();
  return g;
}

absl::StatusOr<TypedGraph> BuildGraph(v1::Model&& model) {
  const ModelIndex index = InternModel(model, /*parallel=*/false);
  return BuildGraphImpl</*kMove=*/true>(model, index);
}

absl::StatusOr<TypedGraph> BuildGraph(const v1::Model& model) {
  const ModelIndex index = InternModel(model, /*parallel=*/false);
  return BuildGraphImpl</*kMove=*/false>(model, index);
}

absl::StatusOr<TypedGraph> BuildGraph(const v1::Model& model, const ModelIndex& index) {
  return BuildGraphImpl</*kMove=*/false>(model, index);
}

}  // namespace coalition::graph
