#include "tools/filter_export_commands.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/base/status_macros.h"
#include "engine/export/filter.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "tools/message_types.h"
#include "tools/session.h"

namespace coalition::tools {

namespace v1 = ::coalition::v1;

const char kFilteredExportUsage[] =
    "       coalition export MODEL --for NATION [--mix MIX ...] [--out FILE]\n"
    "                            [--input_format F] [--output_format F]\n"
    "\n"
    "--for NATION: the model as NATION may see it (SPEC s7). Only the entities releasable to\n"
    "NATION remain (an empty releasability list is everyone; a link or standard is also\n"
    "releasable to its designer nation); every reference to a removed entity goes with it\n"
    "(fits, spoken and carried standards, gateways, component uses, sub-components, suppliers,\n"
    "group memberships, supply restrictions); a component left without a supplier goes too;\n"
    "mixes keep the elements whose platform remains and the IERs whose meaning on them is\n"
    "unchanged (never widened to all); names, descriptions, sources and editions naming a\n"
    "removed entity's id or name are redacted to [redacted]. Nations always remain. Textproto\n"
    "comments are not carried. --mix (repeatable; a mix inside MODEL or a mix file) chooses the\n"
    "mixes to include; none: every mix inside MODEL. The output (any model format, from the\n"
    "--out extension or --output_format; '-' is stdout, textproto by default) validates, and\n"
    "exporting it again for NATION changes nothing. stderr gets a summary counted by kind that\n"
    "names nothing removed. An export that cannot keep a withheld name out (a kept id or role\n"
    "that contains one) is refused and writes nothing.\n"
    "Exit: 0 written, 2 invalid input, unknown nation or refused export, 3 internal error.\n"
    "Example: coalition export datasets/coalition.textproto --for UKR \\\n"
    "           --mix datasets/mixes/frontline_air_defence.textproto --out for_ukr.textproto\n";

namespace {

// The model with exactly the mixes asked for (none: its own), validated together.
absl::StatusOr<v1::Model> LoadForExport(const Args& args, std::ostream& err) {
  ASSIGN_OR_RETURN(LoadedModel loaded,
                   LoadModelOrSnapshotModel(args.positional[0], args.input_format));
  std::vector<std::string> names = args.mixes;
  if (names.empty() && !args.mix.empty()) names.push_back(args.mix);  // in-process callers
  std::vector<std::optional<LoadedMix>> files(names.size());
  std::vector<const v1::ForceMix*> chosen;
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!seen.insert(names[i]).second) {
      return absl::InvalidArgumentError(absl::StrCat("--mix '", names[i], "' given twice"));
    }
    ASSIGN_OR_RETURN(const v1::ForceMix* mix, FindFlaggedMix(names[i], loaded.model, &files[i]));
    chosen.push_back(mix);
  }
  std::vector<MixInput> extra;
  for (std::optional<LoadedMix>& f : files) {
    if (f.has_value()) extra.push_back({&f->mix, &f->source});
  }
  const v1::ValidationReport report = Validate(loaded.model, loaded.source, extra);
  if (report.errors() > 0) {
    for (const v1::Diagnostic& d : report.diagnostics()) err << FormatDiagnostic(d) << "\n";
    return absl::InvalidArgumentError(absl::StrCat(args.positional[0], " is not valid: ",
                                                   report.errors(), " error(s)"));
  }
  if (names.empty()) return std::move(loaded.model);
  v1::Model model = loaded.model;
  model.clear_mixes();
  for (const v1::ForceMix* mix : chosen) *model.add_mixes() = *mix;
  return model;
}

}  // namespace

absl::Status RunFilteredExport(const Args& args, std::ostream& out, std::ostream& err) {
  if (!args.graph.empty()) {
    return absl::InvalidArgumentError("export: give --for or --graph, not both");
  }
  if (args.format != "text") {
    return absl::InvalidArgumentError(
        "export --for writes a model: its format comes from the --out extension or "
        "--output_format (textproto, binpb, json, binpbs), not --format");
  }
  const std::string& target = args.out;
  ASSIGN_OR_RETURN(Format format,
                   FormatForPath(target, target == "-" && args.output_format.empty()
                                             ? "textproto"
                                             : args.output_format));
  ASSIGN_OR_RETURN(v1::Model model, LoadForExport(args, err));
  ASSIGN_OR_RETURN(exports::FilterResult r, exports::FilterForRecipient(model, args.for_nation));
  // The filter guarantees a valid output (engine/export/filter_property_test); a failure here is
  // a bug, and nothing is written.
  const v1::ValidationReport check = Validate(r.model, SourceInfo());
  if (check.errors() > 0) {
    return absl::InternalError(absl::StrCat("the filtered model would not validate (",
                                            check.errors(), " error(s)); nothing written"));
  }
  ASSIGN_OR_RETURN(std::string bytes, SerializeMessage(r.model, format));
  if (format == Format::kTextProto) bytes = TextHeader(r.model) + bytes;  // as `convert` writes
  RETURN_IF_ERROR(EmitOutput(target, bytes, out));
  err << exports::SummaryText(r.summary);
  return absl::OkStatus();
}

}  // namespace coalition::tools
