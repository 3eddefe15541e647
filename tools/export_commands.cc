// The `export` subcommand (SPEC §7): graphs for other tools (--graph, tools/graph_export_commands.cc)
// and the filtered export of a model for a recipient nation (--for, issue 14).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/filter_export_commands.h"
#include "tools/graph_export_commands.h"

namespace coalition::tools {
namespace {

absl::Status RunExport(const Args& args, std::ostream& out, std::ostream& err) {
  if (!args.for_nation.empty()) return RunFilteredExport(args, out, err);
  if (!args.graph.empty()) return RunGraphExport(args, out, err);
  return absl::InvalidArgumentError(
      "export: give --for NATION or --graph interop|supply (see 'coalition export --help')");
}

}  // namespace

std::vector<Command> ExportCommands() {
  static const std::string usage =
      absl::StrCat("usage: coalition export MODEL --graph interop|supply ...\n", kGraphExportUsage,
                   "\n", kFilteredExportUsage);
  return {
      {"export",
       "graphs for other tools (DOT / GraphML), or the model filtered for a recipient nation",
       usage.c_str(),
       {"graph", "mix", "format", "out", "max_gaps", "max_pairs", "input_format", "for",
        "output_format"},
       1, 1,
       &RunExport},
  };
}

}  // namespace coalition::tools
