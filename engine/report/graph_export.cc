#include "engine/report/graph_export.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_join.h"
#include "coalition/v1/common.pb.h"
#include "coalition/v1/model.pb.h"
#include "engine/report/escape.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;
using graph::EdgeKind;
using graph::EntityKind;
using graph::NodeId;
using scenario::ChannelIndex;
using scenario::ClassIndex;
using scenario::ElementIndex;

std::string SourcingName(v1::Sourcing s) {
  return s == v1::SOURCING_UNSPECIFIED ? "" : v1::Sourcing_Name(s);
}

// Ids are XML NMTOKENs (GraphML): model ids ([A-Za-z0-9._:-]+) are, but a pair of them joined
// by any allowed separator could collide, so channels and classes are named by their index.
std::string ChannelId(ChannelIndex c) { return absl::StrCat("channel", c); }

std::string ChannelLabel(const scenario::Scenario& s, ChannelIndex c) {
  const graph::TypedGraph& g = s.graph();
  const scenario::Channels& ch = s.channels();
  return absl::StrCat(g.Id(EntityKind::kLink, ch.link(c)), "/",
                      ch.is_voice(c) ? "voice" : g.Id(EntityKind::kStandard, ch.standard(c)));
}

// Worse class first: TECHNICAL (needs hardware), UNAVAILABLE, POLICY.
int ClassRank(v1::GapClass c) {
  switch (c) {
    case v1::TECHNICAL:
      return 3;
    case v1::UNAVAILABLE:
      return 2;
    case v1::POLICY:
      return 1;
    default:
      return 0;
  }
}

// The interoperability graph under construction: element (or class) nodes first, then channels.
class InteropBuilder {
 public:
  InteropBuilder(const scenario::Scenario& s, const analysis::InteropLevels& lv, bool by_class)
      : s_(s), lv_(lv), g_(s.graph()), by_class_(by_class) {}

  ExportGraph Build(const v1::GapReport* gaps) {
    out_.name = absl::StrCat("interop ", s_.base_mix().name);
    out_.directed = false;
    AddEndpoints();
    CollectJoins();
    AddChannels();
    for (const ExportEdge& e : joins_) out_.edges.push_back(e);
    AddVersionBridges();
    AddGatewayBridges();
    if (gaps != nullptr) MarkGaps(*gaps);
    return std::move(out_);
  }

 private:
  // A node per element (mix order), or per active class (class order).
  void AddEndpoints() {
    if (!by_class_) {
      for (ElementIndex e = 0; e < s_.num_elements(); ++e) {
        ExportNode n = EndpointNode(s_.platform(e), s_.nation(e));
        n.id = absl::StrCat("element:", s_.element_id(e));
        n.label = std::string(s_.element_id(e));
        n.kind = "element";
        n.quantity = s_.quantity(e);
        endpoint_of_element_.push_back(static_cast<uint32_t>(out_.nodes.size()));
        out_.nodes.push_back(std::move(n));
      }
      return;
    }
    endpoint_of_element_.assign(s_.num_elements(), UINT32_MAX);
    for (ClassIndex c = 0; c < s_.num_classes(); ++c) {
      int64_t units = 0;
      bool any = false;
      for (ElementIndex e : s_.class_elements(c)) {
        units += s_.quantity(e);
        any = true;
      }
      if (!any) continue;
      const uint32_t p = s_.class_platform(c), nat = s_.class_nation(c);
      ExportNode n = EndpointNode(p, nat);
      n.id = absl::StrCat("class", c);
      n.label = absl::StrCat(units, " x ", g_.Id(EntityKind::kPlatform, p), " (",
                             g_.Id(EntityKind::kNation, nat), ")");
      n.kind = "element_class";
      n.quantity = units;
      for (ElementIndex e : s_.class_elements(c)) endpoint_of_element_[e] = out_.nodes.size();
      out_.nodes.push_back(std::move(n));
    }
  }

  ExportNode EndpointNode(uint32_t platform, uint32_t nation) const {
    ExportNode n;
    n.nation = std::string(g_.Id(EntityKind::kNation, nation));
    n.platform = std::string(g_.Id(EntityKind::kPlatform, platform));
    n.sourcing = SourcingName(g_.platform(platform).sourcing);
    n.gateway = !g_.gateways(platform).empty();
    return n;
  }

  // One representative present element per endpoint node (the first), kNone when none.
  std::vector<ElementIndex> Representatives() const {
    std::vector<ElementIndex> rep(out_.nodes.size(), scenario::kNone);
    for (ElementIndex e = 0; e < s_.num_elements(); ++e) {
      const uint32_t node = endpoint_of_element_[e];
      if (node == UINT32_MAX || !lv_.present(e) || rep[node] != scenario::kNone) continue;
      rep[node] = e;
    }
    return rep;
  }

  void CollectJoins() {
    joined_.assign(s_.channels().size(), 0);
    std::vector<ChannelIndex> data, voice;
    const std::vector<ElementIndex> rep = Representatives();
    for (uint32_t node = 0; node < rep.size(); ++node) {
      if (rep[node] == scenario::kNone) continue;
      s_.ClassJoins(s_.class_of(rep[node]), lv_.relaxed(), &data, &voice);
      for (ChannelIndex c : data) AddJoin(node, c, 3);
      for (ChannelIndex c : voice) AddJoin(node, c, 1);
    }
  }

  void AddJoin(uint32_t node, ChannelIndex c, int level) {
    joined_[c] = 1;
    ExportEdge e;
    e.source = out_.nodes[node].id;
    e.target = ChannelId(c);
    e.kind = "join";
    e.level = level;
    joins_.push_back(std::move(e));
  }

  void AddChannels() {
    const scenario::Channels& ch = s_.channels();
    for (ChannelIndex c = 0; c < ch.size(); ++c) {
      if (!joined_[c]) continue;
      ExportNode n;
      n.id = ChannelId(c);
      n.label = ChannelLabel(s_, c);
      n.kind = ch.is_voice(c) ? "voice_channel" : "data_channel";
      n.detail = v1::LinkKind_Name(g_.link(ch.link(c)).kind);
      out_.nodes.push_back(std::move(n));
    }
  }

  void AddVersionBridges() {
    const scenario::Channels& ch = s_.channels();
    for (uint32_t l = 0; l < g_.Count(EntityKind::kLink); ++l) {
      for (ChannelIndex x = ch.data_begin(l); x < ch.data_end(l); ++x) {
        if (!joined_[x]) continue;
        for (ChannelIndex y = x + 1; y < ch.data_end(l); ++y) {
          if (!joined_[y] || !s_.VersionBridged(x, y)) continue;
          ExportEdge e;
          e.source = ChannelId(x);
          e.target = ChannelId(y);
          e.kind = "version_bridge";
          e.level = 2;
          out_.edges.push_back(std::move(e));
        }
      }
    }
  }

  // Gateway bridges of each present endpoint (its first present element stands for its class).
  void AddGatewayBridges() {
    const std::vector<ElementIndex> rep = Representatives();
    std::vector<ChannelIndex> data, voice;
    for (uint32_t node = 0; node < rep.size(); ++node) {
      if (rep[node] == scenario::kNone || !out_.nodes[node].gateway) continue;
      const ClassIndex c = s_.class_of(rep[node]);
      s_.ClassJoins(c, lv_.relaxed(), &data, &voice);
      std::map<std::pair<ChannelIndex, ChannelIndex>, int> caps;  // ordered: deterministic
      s_.ForEachGatewayBridge(c, data, [&](const graph::GatewayRow&, int cap,
                                           absl::Span<const ChannelIndex> a,
                                           absl::Span<const ChannelIndex> b) {
        for (ChannelIndex x : a) {
          for (ChannelIndex y : b) {
            if (x == y) continue;
            int& best = caps[{std::min(x, y), std::max(x, y)}];
            best = std::max(best, cap);
          }
        }
      });
      for (const auto& [pair, cap] : caps) {
        ExportEdge e;
        e.source = ChannelId(pair.first);
        e.target = ChannelId(pair.second);
        e.kind = "gateway";
        e.level = cap;
        e.via = out_.nodes[node].id;
        out_.edges.push_back(std::move(e));
      }
    }
  }

  void MarkGaps(const v1::GapReport& report) {
    struct Agg {
      int achieved = 5, required = -1, rank = 0;
      v1::GapClass cls = v1::GAP_CLASS_UNSPECIFIED;
      int64_t gaps = 0;
      std::vector<std::string> iers;
    };
    std::map<std::pair<uint32_t, uint32_t>, Agg> pairs;
    for (const v1::Gap& gap : report.gaps()) {
      const std::optional<ElementIndex> a = s_.FindElement(gap.from_element());
      const std::optional<ElementIndex> b =
          gap.to_element().empty() ? std::nullopt : s_.FindElement(gap.to_element());
      uint32_t na = a ? endpoint_of_element_[*a] : UINT32_MAX;
      uint32_t nb = b ? endpoint_of_element_[*b] : UINT32_MAX;
      if (na != UINT32_MAX) out_.nodes[na].gap = true;
      if (nb != UINT32_MAX) out_.nodes[nb].gap = true;
      if (na == UINT32_MAX || nb == UINT32_MAX) continue;
      Agg& g = pairs[{std::min(na, nb), std::max(na, nb)}];
      g.achieved = std::min(g.achieved, gap.achieved_level());
      g.required = std::max(g.required, gap.required_level());
      if (ClassRank(gap.gap_class()) > g.rank) {
        g.rank = ClassRank(gap.gap_class());
        g.cls = gap.gap_class();
      }
      ++g.gaps;
      if (std::find(g.iers.begin(), g.iers.end(), gap.ier()) == g.iers.end()) {
        g.iers.push_back(gap.ier());
      }
    }
    for (const auto& [pair, g] : pairs) {
      ExportEdge e;
      e.source = out_.nodes[pair.first].id;
      e.target = out_.nodes[pair.second].id;
      e.kind = "gap";
      e.gap = true;
      e.level = g.achieved;
      e.required = g.required;
      e.gaps = g.gaps;
      e.ier = absl::StrJoin(g.iers, ", ");
      e.gap_class = v1::GapClass_Name(g.cls);
      out_.edges.push_back(std::move(e));
    }
  }

  const scenario::Scenario& s_;
  const analysis::InteropLevels& lv_;
  const graph::TypedGraph& g_;
  const bool by_class_;
  ExportGraph out_;
  std::vector<uint32_t> endpoint_of_element_;  // node of each element (UINT32_MAX: none)
  std::vector<uint8_t> joined_;                // per channel
  std::vector<ExportEdge> joins_;
};

// --- Writers ---------------------------------------------------------------------------------

std::string DotQuote(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}


// (name, value) attributes of a node / edge that are set, in a fixed order.
using Attrs = std::vector<std::pair<const char*, std::string>>;

Attrs NodeAttrs(const ExportNode& n) {
  Attrs a;
  a.emplace_back("label", n.label);
  a.emplace_back("kind", n.kind);
  if (!n.nation.empty()) a.emplace_back("nation", n.nation);
  if (!n.platform.empty()) a.emplace_back("platform", n.platform);
  if (!n.sourcing.empty()) a.emplace_back("sourcing", n.sourcing);
  if (!n.detail.empty()) a.emplace_back("detail", n.detail);
  if (n.quantity >= 0) a.emplace_back("quantity", absl::StrCat(n.quantity));
  if (n.gap) a.emplace_back("gap", "true");
  if (n.gateway) a.emplace_back("gateway", "true");
  return a;
}

Attrs EdgeAttrs(const ExportEdge& e) {
  Attrs a;
  a.emplace_back("kind", e.kind);
  if (e.level >= 0) a.emplace_back("level", absl::StrCat(e.level));
  if (e.critical) a.emplace_back("critical", "true");
  if (e.gap) a.emplace_back("gap", "true");
  if (!e.via.empty()) a.emplace_back("via", e.via);
  if (!e.ier.empty()) a.emplace_back("ier", e.ier);
  if (!e.gap_class.empty()) a.emplace_back("class", e.gap_class);
  if (e.required >= 0) a.emplace_back("required", absl::StrCat(e.required));
  if (e.gaps > 0) a.emplace_back("gaps", absl::StrCat(e.gaps));
  return a;
}

void DotNodeStyle(const ExportNode& n, Attrs* a) {
  if (n.kind == "element" || n.kind == "element_class") {
    a->emplace_back("shape", "box");
    a->emplace_back("style", "rounded,filled");
    a->emplace_back("fillcolor", n.gateway ? "#d9d2f0" : "#f2f2f2");
    a->emplace_back("color", n.gap ? "#d73027" : "#555555");
    if (n.gap) a->emplace_back("penwidth", "2");
  } else if (n.kind == "data_channel" || n.kind == "voice_channel") {
    a->emplace_back("shape", "ellipse");
    a->emplace_back("style", "filled");
    a->emplace_back("fillcolor", n.kind == "data_channel" ? "#dbe8f6" : "#ececec");
  } else if (n.kind == "platform") {
    a->emplace_back("shape", "box");
    a->emplace_back("style", "filled");
    a->emplace_back("fillcolor", "#f2f2f2");
  } else if (n.kind == "component") {
    a->emplace_back("shape", "ellipse");
  } else if (n.kind == "supplier") {
    a->emplace_back("shape", "cds");
  } else if (n.kind == "nation") {
    a->emplace_back("shape", "hexagon");
    if (n.detail == "ADVERSARY") {
      a->emplace_back("style", "filled");
      a->emplace_back("fillcolor", "#f4a6a0");
    }
  }
}

void DotEdgeStyle(const ExportEdge& e, Attrs* a) {
  if (e.kind == "gap") {
    a->emplace_back("color", "#d73027");
    a->emplace_back("style", "dashed");
    a->emplace_back("constraint", "false");
  } else if (e.level >= 0) {
    a->emplace_back("color", LevelColour(e.level));
    a->emplace_back("penwidth", "2");
  }
  if (e.kind == "uses" || e.kind == "sub_component") {
    a->emplace_back("style", e.critical ? "bold" : "dashed");
  }
  if (e.kind == "gateway") {
    absl::string_view via = e.via;
    absl::ConsumePrefix(&via, "element:");
    a->emplace_back("label", absl::StrCat("via ", via));
  }
}

void AppendDotAttrs(const Attrs& a, std::string* out) {
  *out += " [";
  for (size_t i = 0; i < a.size(); ++i) {
    if (i > 0) *out += ", ";
    absl::StrAppend(out, a[i].first, "=", DotQuote(a[i].second));
  }
  *out += "];\n";
}

// GraphML key declarations: (id, for, attr.name, attr.type, default).
struct KeyDecl {
  const char* id;
  const char* domain;
  const char* name;
  const char* type;
  const char* default_value;  // nullptr: none
};
constexpr KeyDecl kKeys[] = {
    {"n_label", "node", "label", "string", nullptr},
    {"n_kind", "node", "kind", "string", nullptr},
    {"n_nation", "node", "nation", "string", nullptr},
    {"n_platform", "node", "platform", "string", nullptr},
    {"n_sourcing", "node", "sourcing", "string", nullptr},
    {"n_detail", "node", "detail", "string", nullptr},
    {"n_quantity", "node", "quantity", "long", nullptr},
    {"n_gap", "node", "gap", "boolean", "false"},
    {"n_gateway", "node", "gateway", "boolean", "false"},
    {"e_kind", "edge", "kind", "string", nullptr},
    {"e_level", "edge", "level", "int", nullptr},
    {"e_critical", "edge", "critical", "boolean", "false"},
    {"e_gap", "edge", "gap", "boolean", "false"},
    {"e_via", "edge", "via", "string", nullptr},
    {"e_ier", "edge", "ier", "string", nullptr},
    {"e_class", "edge", "class", "string", nullptr},
    {"e_required", "edge", "required", "int", nullptr},
    {"e_gaps", "edge", "gaps", "long", nullptr},
};

void AppendGraphMlData(const char* prefix, const Attrs& a, std::string* out) {
  for (const auto& [name, value] : a) {
    absl::StrAppend(out, "      <data key=\"", prefix, name, "\">", XmlSafe(value), "</data>\n");
  }
}

}  // namespace

const char* LevelColour(int level) {
  static constexpr const char* kColours[] = {"#d73027", "#fc8d59", "#fee08b", "#91cf60",
                                             "#1a9850"};
  return level >= 0 && level <= 4 ? kColours[level] : "#999999";
}

ExportGraph InteropGraph(const scenario::Scenario& s, const analysis::InteropLevels& levels,
                         const v1::GapReport* gaps, const InteropGraphOptions& options) {
  return InteropBuilder(s, levels, options.by_class).Build(gaps);
}

ExportGraph SupplyGraph(const graph::TypedGraph& g, const graph::ResolvedMix* mix) {
  ExportGraph out;
  out.name = mix != nullptr ? absl::StrCat("supply ", mix->name) : absl::StrCat("supply ", g.model_name());
  out.directed = true;
  const uint32_t np = g.Count(EntityKind::kPlatform), nc = g.Count(EntityKind::kComponent),
                 ns = g.Count(EntityKind::kSupplier), nn = g.Count(EntityKind::kNation);
  // Reachability from the chosen platforms, in model order per kind.
  std::vector<uint8_t> platforms(np, mix == nullptr), components(nc, 0), suppliers(ns, 0),
      nations(nn, 0);
  if (mix != nullptr) {
    for (uint32_t p : mix->platform) platforms[p] = 1;
  }
  std::vector<uint32_t> stack;
  for (uint32_t p = 0; p < np; ++p) {
    if (!platforms[p]) continue;
    const NodeId pn = g.Node(EntityKind::kPlatform, p);
    for (EdgeKind k : {EdgeKind::kUsesCritical, EdgeKind::kUses}) {
      g.ForEachLocal(pn, k, [&](uint32_t c) {
        if (!components[c]) {
          components[c] = 1;
          stack.push_back(c);
        }
      });
    }
  }
  while (!stack.empty()) {
    const uint32_t c = stack.back();
    stack.pop_back();
    const NodeId cn = g.Node(EntityKind::kComponent, c);
    for (EdgeKind k : {EdgeKind::kSubCritical, EdgeKind::kSub}) {
      g.ForEachLocal(cn, k, [&](uint32_t sub) {
        if (!components[sub]) {
          components[sub] = 1;
          stack.push_back(sub);
        }
      });
    }
    g.ForEachLocal(cn, EdgeKind::kSuppliedBy, [&](uint32_t sup) { suppliers[sup] = 1; });
  }
  for (uint32_t sup = 0; sup < ns; ++sup) {
    if (!suppliers[sup]) continue;
    g.ForEachLocal(g.Node(EntityKind::kSupplier, sup), EdgeKind::kLocatedIn,
                   [&](uint32_t n) { nations[n] = 1; });
  }
  auto id = [&](EntityKind k, uint32_t i) {
    static constexpr const char* kPrefix[] = {"nation:",    "group:",     "platform:", "link:",
                                              "standard:", "component:", "supplier:"};
    return absl::StrCat(kPrefix[static_cast<int>(k)], g.Id(k, i));
  };
  auto first_nation = [&](NodeId node, EdgeKind k) -> std::string {
    absl::Span<const NodeId> t = g.Neighbors(node, k);
    return t.empty() ? "" : std::string(g.IdOf(t[0]));
  };
  for (uint32_t p = 0; p < np; ++p) {
    if (!platforms[p]) continue;
    ExportNode n;
    n.id = id(EntityKind::kPlatform, p);
    n.label = std::string(g.Id(EntityKind::kPlatform, p));
    n.kind = "platform";
    n.nation = first_nation(g.Node(EntityKind::kPlatform, p), EdgeKind::kDesignedBy);
    n.sourcing = SourcingName(g.platform(p).sourcing);
    if (mix != nullptr) {
      int64_t units = 0;
      for (uint32_t e = 0; e < mix->size(); ++e) {
        if (mix->platform[e] == p) units += mix->quantity[e];
      }
      n.quantity = units;
    }
    out.nodes.push_back(std::move(n));
  }
  for (uint32_t c = 0; c < nc; ++c) {
    if (!components[c]) continue;
    ExportNode n;
    n.id = id(EntityKind::kComponent, c);
    n.label = std::string(g.Id(EntityKind::kComponent, c));
    n.kind = "component";
    n.detail = v1::ComponentKind_Name(g.component(c).kind);
    out.nodes.push_back(std::move(n));
  }
  for (uint32_t sup = 0; sup < ns; ++sup) {
    if (!suppliers[sup]) continue;
    ExportNode n;
    n.id = id(EntityKind::kSupplier, sup);
    n.label = std::string(g.Id(EntityKind::kSupplier, sup));
    n.kind = "supplier";
    n.nation = first_nation(g.Node(EntityKind::kSupplier, sup), EdgeKind::kLocatedIn);
    out.nodes.push_back(std::move(n));
  }
  for (uint32_t nat = 0; nat < nn; ++nat) {
    if (!nations[nat]) continue;
    ExportNode n;
    n.id = id(EntityKind::kNation, nat);
    n.label = std::string(g.Id(EntityKind::kNation, nat));
    n.kind = "nation";
    n.nation = n.label;
    n.detail = v1::Nation::SupplyRisk_Name(g.nation(nat).supply_risk);
    out.nodes.push_back(std::move(n));
  }
  auto edge = [&](std::string from, std::string to, const char* kind, bool critical) {
    ExportEdge e;
    e.source = std::move(from);
    e.target = std::move(to);
    e.kind = kind;
    e.critical = critical;
    out.edges.push_back(std::move(e));
  };
  for (uint32_t p = 0; p < np; ++p) {
    if (!platforms[p]) continue;
    const NodeId pn = g.Node(EntityKind::kPlatform, p);
    for (EdgeKind k : {EdgeKind::kUsesCritical, EdgeKind::kUses}) {
      g.ForEachLocal(pn, k, [&](uint32_t c) {
        edge(id(EntityKind::kPlatform, p), id(EntityKind::kComponent, c), "uses",
             k == EdgeKind::kUsesCritical);
      });
    }
  }
  for (uint32_t c = 0; c < nc; ++c) {
    if (!components[c]) continue;
    const NodeId cn = g.Node(EntityKind::kComponent, c);
    for (EdgeKind k : {EdgeKind::kSubCritical, EdgeKind::kSub}) {
      g.ForEachLocal(cn, k, [&](uint32_t sub) {
        edge(id(EntityKind::kComponent, c), id(EntityKind::kComponent, sub), "sub_component",
             k == EdgeKind::kSubCritical);
      });
    }
  }
  for (uint32_t c = 0; c < nc; ++c) {
    if (!components[c]) continue;
    g.ForEachLocal(g.Node(EntityKind::kComponent, c), EdgeKind::kSuppliedBy, [&](uint32_t sup) {
      edge(id(EntityKind::kComponent, c), id(EntityKind::kSupplier, sup), "supplied_by", false);
    });
  }
  for (uint32_t sup = 0; sup < ns; ++sup) {
    if (!suppliers[sup]) continue;
    g.ForEachLocal(g.Node(EntityKind::kSupplier, sup), EdgeKind::kLocatedIn, [&](uint32_t n) {
      edge(id(EntityKind::kSupplier, sup), id(EntityKind::kNation, n), "located_in", false);
    });
  }
  return out;
}

std::string ToDot(const ExportGraph& g) {
  std::string out = absl::StrCat(g.directed ? "digraph " : "graph ", DotQuote(g.name), " {\n");
  out += "  graph [rankdir=\"LR\", fontname=\"Helvetica,Arial,sans-serif\", nodesep=\"0.25\", "
         "ranksep=\"1.2\"];\n"
         "  node [fontname=\"Helvetica,Arial,sans-serif\", fontsize=\"10\"];\n"
         "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=\"8\"];\n";
  const char* arrow = g.directed ? " -> " : " -- ";
  // Force elements (and classes) are grouped in one cluster per operating nation, nations in
  // order of first appearance; every other node is listed as it comes.
  std::vector<std::string> nations;
  std::map<std::string, std::vector<const ExportNode*>> by_nation;
  for (const ExportNode& n : g.nodes) {
    const bool endpoint = n.kind == "element" || n.kind == "element_class";
    if (endpoint && !n.nation.empty()) {
      auto [it, added] = by_nation.try_emplace(n.nation);
      if (added) nations.push_back(n.nation);
      it->second.push_back(&n);
      continue;
    }
    Attrs a = NodeAttrs(n);
    DotNodeStyle(n, &a);
    absl::StrAppend(&out, "  ", DotQuote(n.id));
    AppendDotAttrs(a, &out);
  }
  for (const std::string& nation : nations) {
    absl::StrAppend(&out, "  subgraph ", DotQuote(absl::StrCat("cluster_nation_", nation)),
                    " {\n    label=", DotQuote(nation),
                    "; style=\"rounded\"; color=\"#bbbbbb\"; fontname=\"Helvetica,Arial,sans-serif\";\n");
    for (const ExportNode* n : by_nation[nation]) {
      Attrs a = NodeAttrs(*n);
      DotNodeStyle(*n, &a);
      absl::StrAppend(&out, "    ", DotQuote(n->id));
      AppendDotAttrs(a, &out);
    }
    out += "  }\n";
  }
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const ExportEdge& e = g.edges[i];
    Attrs a = EdgeAttrs(e);
    a.emplace(a.begin(), "id", absl::StrCat("e", i));
    DotEdgeStyle(e, &a);
    absl::StrAppend(&out, "  ", DotQuote(e.source), arrow, DotQuote(e.target));
    AppendDotAttrs(a, &out);
  }
  out += "}\n";
  return out;
}

std::string ToGraphMl(const ExportGraph& g) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  for (const KeyDecl& k : kKeys) {
    absl::StrAppend(&out, "  <key id=\"", k.id, "\" for=\"", k.domain, "\" attr.name=\"", k.name,
                    "\" attr.type=\"", k.type, "\"");
    if (k.default_value != nullptr) {
      absl::StrAppend(&out, "><default>", k.default_value, "</default></key>\n");
    } else {
      out += "/>\n";
    }
  }
  absl::StrAppend(&out, "  <graph id=\"G\" edgedefault=\"",
                  g.directed ? "directed" : "undirected", "\">\n");
  for (const ExportNode& n : g.nodes) {
    absl::StrAppend(&out, "    <node id=\"", XmlSafe(n.id), "\">\n");
    AppendGraphMlData("n_", NodeAttrs(n), &out);
    out += "    </node>\n";
  }
  for (size_t i = 0; i < g.edges.size(); ++i) {
    const ExportEdge& e = g.edges[i];
    absl::StrAppend(&out, "    <edge id=\"e", i, "\" source=\"", XmlSafe(e.source),
                    "\" target=\"", XmlSafe(e.target), "\">\n");
    AppendGraphMlData("e_", EdgeAttrs(e), &out);
    out += "    </edge>\n";
  }
  out += "  </graph>\n</graphml>\n";
  return out;
}

}  // namespace coalition::report
