// `coalition export MODEL --for NATION [--mix MIX ...] [--out FILE]` (SPEC §7): the model as one
// recipient nation may see it (engine/export/filter.h). The `export` command calls
// RunFilteredExport when --for is given (its other mode, --graph, is tools/graph_export_commands.h).
#ifndef COALITION_TOOLS_FILTER_EXPORT_COMMANDS_H_
#define COALITION_TOOLS_FILTER_EXPORT_COMMANDS_H_

#include <ostream>

#include "absl/status/status.h"
#include "tools/args.h"

namespace coalition::tools {

// Loads MODEL (any model format, or a snapshot), adds the mixes --mix names (each a mix inside
// MODEL or a mix file; none given: every mix inside MODEL), validates them together (errors:
// diagnostics on `err`, InvalidArgument), filters for args.for_nation and writes the result to
// --out (format from its extension, or --output_format; '-' is `out`, textproto by default),
// atomically. The summary (counts by kind, no names) goes to `err`. Errors: NotFound for an
// unknown nation or file, FailedPrecondition when a kept id would carry a withheld name (nothing
// written), Internal when the output would not validate (a bug; nothing written).
absl::Status RunFilteredExport(const Args& args, std::ostream& out, std::ostream& err);

// The help lines of the --for mode, for the `export` command's usage text.
extern const char kFilteredExportUsage[];

}  // namespace coalition::tools

#endif  // COALITION_TOOLS_FILTER_EXPORT_COMMANDS_H_
