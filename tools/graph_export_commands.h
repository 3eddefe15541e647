// `coalition export MODEL --graph interop|supply --format dot|graphml` (SPEC §7): graphs for
// Graphviz, Gephi and yEd (engine/report/graph_export.h). The `export` command calls
// RunGraphExport when --graph is given (its other mode, --for NATION, is the filtered export).
#ifndef COALITION_TOOLS_GRAPH_EXPORT_COMMANDS_H_
#define COALITION_TOOLS_GRAPH_EXPORT_COMMANDS_H_

#include <ostream>

#include "absl/status/status.h"
#include "tools/args.h"

namespace coalition::tools {

// --graph interop: the interoperability graph of the mix (--mix; the model's only mix when
// empty), the gaps of --max_gaps marked (worst first; -1 all). --graph supply: the supply graph
// of --mix's platform types, or of the whole model when --mix is empty. --format dot (also the
// default "text") or graphml; with the default format an --out ending in .graphml gives GraphML.
// Output to --out (atomically) or stdout. Errors: InvalidArgument for bad values.
absl::Status RunGraphExport(const Args& args, std::ostream& out, std::ostream& err);

// The help lines of the --graph mode, for the `export` command's usage text.
extern const char kGraphExportUsage[];

}  // namespace coalition::tools

#endif  // COALITION_TOOLS_GRAPH_EXPORT_COMMANDS_H_
