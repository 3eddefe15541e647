#include "tools/graph_export_commands.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "coalition/v1/report.pb.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/base/status_macros.h"
#include "engine/report/graph_export.h"
#include "engine/scenario/scenario.h"
#include "tools/session.h"

namespace coalition::tools {

const char kGraphExportUsage[] =
    "       coalition export MODEL --graph interop|supply [--mix MIX] [--format dot|graphml]\n"
    "                              [--max_gaps N] [--out FILE]\n"
    "\n"
    "--graph writes a graph for other tools (Graphviz, Gephi, yEd): interop is the\n"
    "interoperability graph of the mix (force elements, channels LINK/STANDARD and LINK/voice,\n"
    "joins at level 3 or 1, version bridges at 2, gateway bridges at their cap with the gateway\n"
    "element; the --max_gaps worst gaps (-1: all) drawn as element-element 'gap' edges and\n"
    "marked on their elements); supply is the supply graph (platform types, components,\n"
    "suppliers, nations; critical uses and sub-components marked), of the mix's platform types\n"
    "with --mix, else of the whole model. Attributes: kind, level, nation, sourcing, critical,\n"
    "gap (and label, platform, quantity, via, ier, class, required, gaps). --format dot\n"
    "(default; renders with `dot -Tsvg`) or graphml (an --out ending in .graphml picks it too).\n";

absl::Status RunGraphExport(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.graph != "interop" && args.graph != "supply") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown --graph '", args.graph, "' (allowed: interop, supply)"));
  }
  bool graphml = false;
  if (args.format == "graphml") {
    graphml = true;
  } else if (args.format == "text") {  // the flag's default
    graphml = absl::EndsWith(args.out, ".graphml");
  } else if (args.format != "dot") {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown --format '", args.format, "' for export --graph (allowed: dot, graphml)"));
  }
  const bool interop = args.graph == "interop";
  ASSIGN_OR_RETURN(auto s, OpenSession(args, /*need_mix=*/interop || !args.mix.empty(), err));
  report::ExportGraph g;
  if (interop) {
    RETURN_IF_ERROR(CheckPairBudget(*s->resolved, args.max_pairs, "export --graph interop"));
    // As `gaps` sees the mix (the supply restrictions in force applied).
    ASSIGN_OR_RETURN(const scenario::SupplyChain* chain, SupplyChainOf(*s));
    const scenario::Scenario baseline(*s->graph, *s->resolved, chain);
    const analysis::PolicyLevels levels = analysis::ComputePolicyLevels(baseline);
    const coalition::v1::GapReport gaps = analysis::AnalyzeGaps(baseline, levels, {args.max_gaps});
    g = report::InteropGraph(baseline, levels.strict, &gaps, {});
    if (gaps.gaps_omitted() > 0) {
      err << "export: " << gaps.gaps_size() << " of " << gaps.gaps_total()
          << " gaps marked (--max_gaps " << args.max_gaps << "; -1 marks all)\n";
    }
  } else {
    g = report::SupplyGraph(*s->graph, s->resolved.get());
  }
  return EmitOutput(args.out, graphml ? report::ToGraphMl(g) : report::ToDot(g), out);
}

}  // namespace coalition::tools
