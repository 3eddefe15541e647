// Graphs for other tools (SPEC §7): the interoperability graph of a mix and the supply graph of
// a model (or of a mix's platforms), as Graphviz DOT and as GraphML, with the attributes Gephi,
// yEd and Graphviz show (kind, level, nation, sourcing, critical, gap).
//
// Recommended API:
//   scenario::Scenario s(graph, mix, /*chain=*/nullptr);
//   analysis::PolicyLevels lv = analysis::ComputePolicyLevels(s);
//   v1::GapReport gaps = analysis::AnalyzeGaps(s, lv, {/*max_gaps=*/-1});
//   ExportGraph g = InteropGraph(s, lv.strict, &gaps, {});
//   std::string dot = ToDot(g);           // parses with `dot -Tsvg`
//   std::string xml = ToGraphMl(g);       // GraphML: keys declared before the graph
//   ExportGraph supply = SupplyGraph(graph, &mix);   // nullptr: the whole model
//
// Terms.
//   Interoperability graph (SPEC §2): one node per force element (kind "element") and per
//   channel some present element joins (kind "data_channel" (LINK/STANDARD) or "voice_channel"
//   (LINK/voice)); edges element—channel for each join (kind "join", level 3 data, 1 voice),
//   channel—channel for each version bridge (kind "version_bridge", level 2; every pair of
//   joined data channels of one link and family at different versions) and for each gateway
//   bridge (kind "gateway", level = the gateway's cap, `via` the gateway element; one edge per
//   channel pair and gateway element, the highest cap). The rules (who joins, what bridges) are
//   the scenario's (scenario.h); this file only lists them. Channels no present element joins
//   are left out: a path never needs them (a version bridge through one is also a direct one).
//   Gaps marked: with a gap report, each listed gap with both ends sets gap=true on both
//   elements and adds one element—element edge per unordered pair (kind "gap", gap=true, level
//   = the worst achieved level, `required` the highest required level, `gaps` how many gaps,
//   `ier` the IERs in report order, `class` the worst class: TECHNICAL, then UNAVAILABLE, then
//   POLICY). A coverage gap without a counterpart marks its element only. Only the gaps the
//   report lists are marked (run AnalyzeGaps with max_gaps = -1 for all).
//   With options.by_class, element nodes are the element classes (platform, nation) instead
//   (kind "element_class", quantity the class's units): elements of
//   one class join the same channels, so levels are unchanged; gap edges are aggregated per
//   class pair (the picture of a large mix).
//   Supply graph (SPEC §4): platform types (kind "platform"), the components they use and their
//   sub-components ("component"), those components' suppliers ("supplier") and the suppliers'
//   nations ("nation"); directed edges platform→component ("uses"), component→component
//   ("sub_component"), component→supplier ("supplied_by"), supplier→nation ("located_in");
//   critical=true on critical uses and critical sub-components. Given a mix, only the platform
//   types of its elements and what they reach.
//
// Ids are deterministic XML NMTOKENs (GraphML requires them): "element:ID", "platform:ID",
// "component:ID", "supplier:ID", "nation:ID" (model ids are NMTOKENs), and by index where a pair
// of ids would be needed: "channelC" (scenario ChannelIndex, fixed by the model), "classK"
// (scenario ClassIndex, fixed by the mix); the label says "LINK/STANDARD", "LINK/voice",
// "UNITS x PLATFORM (NATION)". Edges "e0", "e1", ... in output order. Output order: nodes as listed above (mix
// order, channel order, model order), edges by kind in the order above then by source. The same
// input gives byte-identical DOT and GraphML.
//
// Complexity: O(elements + joins + bridges + listed gaps) for the interoperability graph,
// O(reachable supply edges) for the supply graph; writing is linear in the graph. No errors.
#ifndef COALITION_ENGINE_REPORT_GRAPH_EXPORT_H_
#define COALITION_ENGINE_REPORT_GRAPH_EXPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "coalition/v1/report.pb.h"
#include "engine/analysis/interop.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/scenario/scenario.h"

namespace coalition::report {

// Attributes a node or edge may carry; empty strings and -1 mean "not set" (left out).
struct ExportNode {
  std::string id;
  std::string label;
  std::string kind;
  std::string nation;    // operating nation (elements), the supplier's nation, designer nation
  std::string platform;  // elements and classes
  std::string sourcing;  // US_BUILT / CO_PRODUCED / THIRD_PARTY for elements and platforms
  std::string detail;    // component kind, link kind, supply risk of a nation
  int64_t quantity = -1;
  bool gap = false;      // an element with a listed gap
  bool gateway = false;  // an element whose platform has a gateway
};

struct ExportEdge {
  std::string source;
  std::string target;
  std::string kind;
  int level = -1;
  bool critical = false;
  bool gap = false;
  std::string via;        // gateway bridges: the gateway element
  std::string ier;        // gap edges: IER names, report order, ", "-joined
  std::string gap_class;  // gap edges: the worst class
  int required = -1;      // gap edges: the highest required level
  int64_t gaps = 0;       // gap edges: gaps on this pair
};

struct ExportGraph {
  std::string name;
  bool directed = false;
  std::vector<ExportNode> nodes;
  std::vector<ExportEdge> edges;
};

struct InteropGraphOptions {
  bool by_class = false;  // nodes per element class instead of per element
};

// The interoperability graph of the scenario's elements under `levels` (strict levels give the
// mix as policy stands); `gaps` may be null (nothing marked).
ExportGraph InteropGraph(const scenario::Scenario& s, const analysis::InteropLevels& levels,
                         const coalition::v1::GapReport* gaps, const InteropGraphOptions& options);

// The supply graph of the model, or of the platform types of `mix` when not null.
ExportGraph SupplyGraph(const graph::TypedGraph& g, const graph::ResolvedMix* mix);

// Graphviz DOT: `graph` (interoperability) or `digraph` (supply), every attribute as a DOT
// attribute (Graphviz keeps unknown ones), plus styling: colour by level (0 red .. 4 dark
// green), gap edges red and dashed, critical edges bold, shapes by kind.
std::string ToDot(const ExportGraph& g);

// GraphML (http://graphml.graphdrawing.org/): every <key> declared (with attr.name and
// attr.type) before the <graph>, nodes before edges; well-formed XML with escaped text.
std::string ToGraphMl(const ExportGraph& g);

// The colour of a level 0..4 in every picture (DOT and HTML): red, orange, yellow, light green,
// dark green (hex "#rrggbb"); grey outside 0..4.
const char* LevelColour(int level);

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_GRAPH_EXPORT_H_
