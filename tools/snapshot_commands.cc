// `coalition snapshot MODEL OUT`: the frozen typed graph of a validated model as a snapshot file
// (engine/snapshot), which every command then opens in place of the model in milliseconds.
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/base/status_macros.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/snapshot/snapshot.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/session.h"

namespace coalition::tools {
namespace {

namespace v1 = ::coalition::v1;

absl::Status RunSnapshot(const Args& args, std::ostream& out, std::ostream& err) {
  const std::string& in = args.positional[0];
  const std::string& path = args.positional[1];
  if (path == "-") {
    return absl::InvalidArgumentError("a snapshot is written to a file (it is mapped), not to '-'");
  }
  ASSIGN_OR_RETURN(LoadedModel model, LoadModelOrSnapshotModel(in, args.input_format));
  const v1::ValidationReport report = Validate(model.model, model.source);
  for (const v1::Diagnostic& d : report.diagnostics()) err << FormatDiagnostic(d) << "\n";
  if (report.errors() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        in, " is not valid (", report.errors(), " error(s)): nothing written"));
  }
  ASSIGN_OR_RETURN(graph::TypedGraph g, graph::BuildGraph(model.model));
  ASSIGN_OR_RETURN(std::string bytes, snapshot::SerializeSnapshot(g, model.model));
  RETURN_IF_ERROR(EmitOutput(path, bytes, out));
  err << absl::StrFormat("%s: snapshot of %d nodes, %d edges, %d mixes: %d bytes\n", path,
                         g.num_nodes(), g.num_edges(), model.model.mixes_size(), bytes.size());
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> SnapshotCommands() {
  return {
      {"snapshot", "write the frozen graph of a model as a snapshot every command opens in place",
       "usage: coalition snapshot MODEL OUT [--input_format F]\n"
       "\n"
       "Validates MODEL (errors: nothing is written, exit 2), builds the typed graph and writes it\n"
       "to OUT (atomically) as a snapshot: a versioned, checksummed flat file holding the graph's\n"
       "arrays (CSR, side tables, ids, names, id index), the model's mixes and the model itself.\n"
       "Every command that reads a MODEL accepts a snapshot in its place (recognised by its\n"
       "content, whatever the extension; `.snapshot` by convention): it is mapped into memory and\n"
       "used as it is, with no parsing, validation or build, after checking every offset and\n"
       "index in it. `coalition convert SNAPSHOT OUT.binpb` gives the model back, unchanged.\n"
       "A snapshot is a cache, not an exchange format: another build of coalition may refuse it\n"
       "(format version); keep the model files and rebuild the snapshot from them.\n"
       "Exit: 0 written, 2 invalid model or unusable paths.\n",
       {"input_format"}, 2, 2, &RunSnapshot},
  };
}

}  // namespace coalition::tools
