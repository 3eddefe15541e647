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

struct GraphBuilder::State {
  explicit State(const ModelIndex& index) : index(index) {}
  const ModelIndex& index;
  TypedGraph g;
  std::string us_nation;
  absl::Status status;  // the first error: out of order, overflow, dangling reference
  int kind = 0;         // the kind being added
  std::array<uint32_t, kNumEntityKinds> added{};
  std::array<ColumnBuffer, kNumEntityKinds> names;
  EdgeSink sink;
  std::vector<int32_t> found;  // batched lookups of one reference list
  absl::flat_hash_map<std::string, uint32_t> family_index;
  std::vector<v1::SupplyRestriction> restrictions;

  void Dangling(EntityKind kind, absl::string_view ref, absl::string_view where) {
    if (status.ok()) {
      status = absl::InvalidArgumentError(absl::StrCat(
          where, " names unknown ", EntityKindName(kind), " '", ref, "' (run validate)"));
    }
  }
  NodeId Resolve(EntityKind kind, absl::string_view ref, absl::string_view where) {
    const int32_t local = index.kind(static_cast<int>(kind)).Find(ref);
    if (local < 0) {
      Dangling(kind, ref, where);
      return 0;
    }
    return g.Node(kind, static_cast<uint32_t>(local));
  }
  // A releasability entry names a nation or a group (the validator rejects ids that are both).
  NodeId ResolveParty(absl::string_view ref, absl::string_view where) {
    const int32_t n = index[IdKind::kNation].Find(ref);
    if (n >= 0) return g.Node(EntityKind::kNation, static_cast<uint32_t>(n));
    return Resolve(EntityKind::kGroup, ref, where);
  }
  // Batched resolution of one repeated reference field (FindMany: prefetched lookups) into
  // `found`; then AddList adds edges for the entries `take(j)` accepts, in order.
  template <typename Get>
  void ResolveList(EntityKind kind, int n, const Get& get) {
    found.resize(static_cast<size_t>(n));
    index.kind(static_cast<int>(kind)).FindMany(static_cast<size_t>(n), get, found.data());
  }
  template <typename Get, typename Take>
  void AddList(NodeId src, EdgeKind edge, EntityKind kind, int n, const Get& get,
               absl::string_view where, const Take& take) {
    for (int j = 0; j < n; ++j) {
      if (!take(j)) continue;
      if (found[j] < 0) {
        Dangling(kind, get(j), where);
        sink.Add(src, edge, 0);
      } else {
        sink.Add(src, edge, g.Node(kind, static_cast<uint32_t>(found[j])));
      }
    }
  }
  void EdgesTo(NodeId src, EdgeKind edge, EntityKind kind,
               const google::protobuf::RepeatedPtrField<std::string>& field,
               absl::string_view where) {
    const auto get = [&field](size_t j) -> absl::string_view {
      return field.Get(static_cast<int>(j));
    };
    ResolveList(kind, field.size(), get);
    AddList(src, edge, kind, field.size(), get, where, [](int) { return true; });
  }
};

GraphBuilder::GraphBuilder(const v1::Model& skeleton, const ModelIndex& index, size_t edge_hint)
    : s_(std::make_unique<State>(index)) {
  TypedGraph& g = s_->g;
  s_->us_nation = std::string(UsNationId(skeleton));
  g.model_name_ = skeleton.name();
  for (int k = 0; k < kNumEntityKinds; ++k) {
    g.counts_[k] = index.kind(k).size();
    g.base_[k + 1] = g.base_[k] + g.counts_[k];
  }
  // Ids: the interned columns and id indexes, shared with `index`.
  for (int k = 0; k < kNumEntityKinds; ++k) {
    const InternedKind& ids = index.kind(k);
    if (ids.overflow()) {
      if (s_->status.ok()) {
        s_->status = absl::ResourceExhaustedError(absl::StrCat(
            "the ", EntityKindName(static_cast<EntityKind>(k)), " ids or names exceed 4 GiB"));
      }
      continue;
    }
    g.a_.ids[k].offsets = g.Share(ids.offsets());
    g.a_.ids[k].chars = g.Share(ids.chars());
    g.a_.id_index[k] = g.Share(ids.slots());
    s_->names[k].offsets.reserve(g.counts_[k] + 1);
  }
  if (s_->status.ok()) g.us_nation_ = g.Find(EntityKind::kNation, s_->us_nation);
  s_->sink.edges().reserve(edge_hint);
  s_->sink.kinds().reserve(edge_hint);
  g.nations_.reserve(g.counts_[0]);
  g.groups_.reserve(g.counts_[1]);
  g.platforms_.reserve(g.counts_[2]);
  g.role_begin_.reserve(g.counts_[2] + 1);
  g.role_begin_.push_back(0);
  g.links_.reserve(g.counts_[3]);
  g.standards_.reserve(g.counts_[4]);
  g.components_.reserve(g.counts_[5]);
  s_->restrictions.assign(skeleton.restrictions().begin(), skeleton.restrictions().end());
}

GraphBuilder::~GraphBuilder() = default;

bool GraphBuilder::Next(EntityKind kind, uint32_t i) {
  const int k = static_cast<int>(kind);
  if (k < s_->kind || i != s_->added[k] || i >= s_->g.counts_[k]) {
    if (s_->status.ok() || s_->status.code() != absl::StatusCode::kInternal) {
      s_->status = absl::InternalError(absl::StrCat(
          "GraphBuilder: ", EntityKindName(kind), " ", i, " added out of model order"));
    }
    return false;
  }
  s_->kind = k;
  ++s_->added[k];
  return true;
}

void GraphBuilder::Add(uint32_t i, const v1::Nation& n) {
  if (!Next(EntityKind::kNation, i)) return;
  State& s = *s_;
  s.names[0].Add(n.name());
  s.g.nations_.push_back({n.partner_category(), n.supply_risk()});
  s.EdgesTo(s.g.Node(EntityKind::kNation, i), EdgeKind::kMemberOf, EntityKind::kGroup, n.groups(),
            "nation group");
}

void GraphBuilder::Add(uint32_t i, const v1::Group& gr) {
  if (!Next(EntityKind::kGroup, i)) return;
  s_->names[1].Add(gr.name());
  s_->g.groups_.push_back({gr.shares_information(), gr.itar_exempt()});
}

void GraphBuilder::Add(uint32_t i, const v1::PlatformType& p) {
  if (!Next(EntityKind::kPlatform, i)) return;
  State& s = *s_;
  TypedGraph& g = s.g;
  s.names[2].Add(p.name());
  const NodeId src = g.Node(EntityKind::kPlatform, i);
  if (!p.designer_nation().empty()) {
    s.sink.Add(src, EdgeKind::kDesignedBy,
               s.Resolve(EntityKind::kNation, p.designer_nation(), "platform designer_nation"));
  }
  s.EdgesTo(src, EdgeKind::kProducedBy, EntityKind::kNation, p.producer_nations(),
            "platform producer");
  s.EdgesTo(src, EdgeKind::kFits, EntityKind::kLink, p.links(), "platform link");
  s.EdgesTo(src, EdgeKind::kSpeaks, EntityKind::kStandard, p.standards(), "platform standard");
  {
    const auto& uses = p.components();
    const auto get = [&uses](size_t j) -> absl::string_view {
      return uses.Get(static_cast<int>(j)).component();
    };
    s.ResolveList(EntityKind::kComponent, uses.size(), get);
    s.AddList(src, EdgeKind::kUsesCritical, EntityKind::kComponent, uses.size(), get,
              "platform component", [&uses](int j) { return uses.Get(j).critical(); });
    s.AddList(src, EdgeKind::kUses, EntityKind::kComponent, uses.size(), get,
              "platform component", [&uses](int j) { return !uses.Get(j).critical(); });
  }
  PlatformRow row{p.domain(), p.tier(), p.sourcing(), p.unit_cost_musd(),
                  static_cast<uint32_t>(g.gateways_.size()), 0};
  for (const v1::Gateway& gw : p.gateways()) {
    NodeId a = s.Resolve(EntityKind::kStandard, gw.standard_a(), "gateway standard_a");
    NodeId b = s.Resolve(EntityKind::kStandard, gw.standard_b(), "gateway standard_b");
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

void GraphBuilder::Add(uint32_t i, const v1::CommsLink& l) {
  if (!Next(EntityKind::kLink, i)) return;
  State& s = *s_;
  s.names[3].Add(l.name());
  const NodeId src = s.g.Node(EntityKind::kLink, i);
  if (!l.designer_nation().empty()) {
    s.sink.Add(src, EdgeKind::kDesignedBy,
               s.Resolve(EntityKind::kNation, l.designer_nation(), "link designer_nation"));
  }
  s.EdgesTo(src, EdgeKind::kCarries, EntityKind::kStandard, l.standards(), "link standard");
  for (const std::string& r : l.releasable_to()) {
    s.sink.Add(src, EdgeKind::kReleasableTo, s.ResolveParty(r, "link releasable_to"));
  }
  s.g.links_.push_back({l.kind(), l.export_control(), l.voice_capable(), l.retrofit_cost_musd()});
}

void GraphBuilder::Add(uint32_t i, const v1::DataStandard& st) {
  if (!Next(EntityKind::kStandard, i)) return;
  State& s = *s_;
  TypedGraph& g = s.g;
  s.names[4].Add(st.name());
  const NodeId src = g.Node(EntityKind::kStandard, i);
  if (!st.designer_nation().empty()) {
    s.sink.Add(src, EdgeKind::kDesignedBy,
               s.Resolve(EntityKind::kNation, st.designer_nation(), "standard designer_nation"));
  }
  for (const std::string& r : st.releasable_to()) {
    s.sink.Add(src, EdgeKind::kReleasableTo, s.ResolveParty(r, "standard releasable_to"));
  }
  auto [it, inserted] =
      s.family_index.try_emplace(st.family(), static_cast<uint32_t>(g.family_names_.size()));
  if (inserted) g.family_names_.push_back(st.family());
  g.standards_.push_back(
      {it->second, st.version(), st.has_upgrade_cost_musd() ? st.upgrade_cost_musd() : -1.0});
}

void GraphBuilder::Add(uint32_t i, const v1::Component& c) {
  if (!Next(EntityKind::kComponent, i)) return;
  State& s = *s_;
  s.names[5].Add(c.name());
  const NodeId src = s.g.Node(EntityKind::kComponent, i);
  s.EdgesTo(src, EdgeKind::kSuppliedBy, EntityKind::kSupplier, c.suppliers(),
            "component supplier");
  {
    const auto& subs = c.sub_components();
    const auto get = [&subs](size_t j) -> absl::string_view {
      return subs.Get(static_cast<int>(j)).component();
    };
    s.ResolveList(EntityKind::kComponent, subs.size(), get);
    s.AddList(src, EdgeKind::kSubCritical, EntityKind::kComponent, subs.size(), get,
              "sub-component", [&subs](int j) { return subs.Get(j).critical(); });
    s.AddList(src, EdgeKind::kSub, EntityKind::kComponent, subs.size(), get, "sub-component",
              [&subs](int j) { return !subs.Get(j).critical(); });
  }
  s.g.components_.push_back({c.kind(), c.export_control(), c.stock_months()});
}

void GraphBuilder::Add(uint32_t i, const v1::Supplier& su) {
  if (!Next(EntityKind::kSupplier, i)) return;
  State& s = *s_;
  s.names[6].Add(su.name());
  s.sink.Add(s.g.Node(EntityKind::kSupplier, i), EdgeKind::kLocatedIn,
             s.Resolve(EntityKind::kNation, su.nation(), "supplier nation"));
}

absl::StatusOr<TypedGraph> GraphBuilder::Finish(std::string* model_name) && {
  State& s = *s_;
  TypedGraph& g = s.g;
  if (model_name != nullptr) g.model_name_ = std::move(*model_name);
  if (s.status.code() == absl::StatusCode::kInternal ||
      s.status.code() == absl::StatusCode::kResourceExhausted) {
    return s.status;
  }
  for (int k = 0; k < kNumEntityKinds; ++k) {
    if (s.added[k] != g.counts_[k]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "GraphBuilder: ", s.added[k], " ", EntityKindName(static_cast<EntityKind>(k)),
          "(s) added, the id index has ", g.counts_[k], " (the index is not this model's)"));
    }
  }
  // Names, then the first duplicate id (kinds in order, then model order): that is the error
  // before any dangling reference.
  for (int k = 0; k < kNumEntityKinds; ++k) {
    if (s.names[k].overflow) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the ", EntityKindName(static_cast<EntityKind>(k)), " ids or names exceed 4 GiB"));
    }
    if (s.names[k].offsets.empty()) s.names[k].offsets.push_back(0);
    if (g.counts_[k] == 0) s.names[k].offsets.clear();
    g.a_.names[k].offsets = g.Own(std::move(s.names[k].offsets));
    g.a_.names[k].chars = g.Own(std::move(s.names[k].chars));
  }
  for (int k = 0; k < kNumEntityKinds; ++k) {
    const InternedKind& ids = s.index.kind(k);
    if (ids.first_duplicate() >= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("duplicate ", EntityKindName(static_cast<EntityKind>(k)), " id '",
                       ids.Id(static_cast<uint32_t>(ids.first_duplicate())), "'"));
    }
  }
  // Supply restrictions in force.
  for (const v1::SupplyRestriction& r : s.restrictions) {
    RestrictionRow row{kNoIndex, kNoIndex, static_cast<uint32_t>(g.restriction_denied_.size()), 0};
    if (!r.supplier().empty()) {
      row.supplier =
          g.Local(s.Resolve(EntityKind::kSupplier, r.supplier(), "restriction supplier"));
    }
    if (!r.supplier_nation().empty()) {
      row.supplier_nation = g.Local(
          s.Resolve(EntityKind::kNation, r.supplier_nation(), "restriction supplier_nation"));
    }
    for (const std::string& d : r.denied_to()) {
      g.restriction_denied_.push_back(s.ResolveParty(d, "restriction denied_to"));
    }
    row.denied_end = static_cast<uint32_t>(g.restriction_denied_.size());
    g.restrictions_.push_back(row);
    g.restriction_ids_.push_back(r.id());
    g.restriction_names_.push_back(r.name());
  }
  if (!s.status.ok()) return s.status;
  if (s.sink.edges().size() >= UINT32_MAX) {
    return absl::ResourceExhaustedError("more than 2^32-1 edges; the graph uses 32-bit edge ids");
  }
  g.csr_ = Csr(boost::edges_are_sorted, s.sink.edges().begin(), s.sink.edges().end(),
               g.num_nodes(), s.sink.edges().size());
  std::vector<std::pair<uint32_t, uint32_t>>().swap(s.sink.edges());
  g.edge_kinds_ = std::move(s.sink.kinds());
  g.edge_kinds_.shrink_to_fit();
  g.Freeze();
  return std::move(g);
}

namespace {

// GraphBuilder fed from the model's lists; `name` (optional) is moved into the graph.
absl::StatusOr<TypedGraph> BuildFromLists(const v1::Model& model, const ModelIndex& index,
                                          std::string* name) {
  const int sizes[kNumEntityKinds] = {model.nations_size(),   model.groups_size(),
                                      model.platforms_size(), model.links_size(),
                                      model.standards_size(), model.components_size(),
                                      model.suppliers_size()};
  for (int k = 0; k < kNumEntityKinds; ++k) {
    if (index.kind(k).size() != static_cast<uint32_t>(sizes[k])) {
      return absl::InvalidArgumentError("BuildGraph: the id index is not this model's");
    }
  }
  size_t edge_estimate = 0;
  for (const auto& n : model.nations()) edge_estimate += n.groups_size();
  for (const auto& p : model.platforms()) {
    edge_estimate += 1 + p.producer_nations_size() + p.links_size() + p.standards_size() +
                     p.components_size();
  }
  for (const auto& l : model.links()) edge_estimate += 1 + l.standards_size() + l.releasable_to_size();
  for (const auto& s : model.standards()) edge_estimate += 1 + s.releasable_to_size();
  for (const auto& c : model.components()) {
    edge_estimate += c.suppliers_size() + c.sub_components_size();
  }
  edge_estimate += model.suppliers_size();
  GraphBuilder b(model, index, edge_estimate);
  auto each = [&b](const auto& list) {
    for (int i = 0; i < list.size(); ++i) b.Add(static_cast<uint32_t>(i), list.Get(i));
  };
  each(model.nations());
  each(model.groups());
  each(model.platforms());
  each(model.links());
  each(model.standards());
  each(model.components());
  each(model.suppliers());
  return std::move(b).Finish(name);
}

}  // namespace

absl::StatusOr<TypedGraph> BuildGraph(v1::Model&& model) {
  const ModelIndex index = InternModel(model, /*parallel=*/false);
  return BuildFromLists(model, index, model.mutable_name());
}

absl::StatusOr<TypedGraph> BuildGraph(const v1::Model& model) {
  const ModelIndex index = InternModel(model, /*parallel=*/false);
  return BuildFromLists(model, index, nullptr);
}

absl::StatusOr<TypedGraph> BuildGraph(const v1::Model& model, const ModelIndex& index) {
  return BuildFromLists(model, index, nullptr);
}

}  // namespace coalition::graph
