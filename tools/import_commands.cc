// `coalition import sipri|nisp`: public data files -> a coalition.v1 model fragment.
//
// Skipped rows and warnings go to stderr as "FILE:LINE: skipped: REASON" / "FILE:LINE: warning:
// REASON", then a one-line summary. The output is validated before it is written (atomically);
// a validation error there is an importer bug (exit 3). Exit 2 when the input is unusable: not
// text, no header, or no usable row.
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "coalition/v1/model.pb.h"
#include "engine/base/file_io.h"
#include "engine/base/status_macros.h"
#include "engine/importers/csv.h"
#include "engine/importers/nisp.h"
#include "engine/importers/sipri.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "tools/commands.h"
#include "tools/args.h"

namespace coalition::tools {
namespace {

namespace v1 = ::coalition::v1;

void PrintIssues(const std::string& file, const std::vector<importers::RowIssue>& issues,
                 const char* kind, std::ostream& err) {
  for (const importers::RowIssue& i : issues) {
    err << file << ":" << i.line << ": " << kind << ": " << i.reason << "\n";
  }
}

// Validates `model`, then writes it to --out in its format.
absl::Status CheckAndWrite(const Args& args, const v1::Model& model, std::ostream& err) {
  const std::string out_path = args.out;
  const v1::ValidationReport report = Validate(model, SourceInfo(out_path));
  if (report.errors() > 0) {
    for (const v1::Diagnostic& d : report.diagnostics()) err << FormatDiagnostic(d) << "\n";
    return absl::InternalError(
        absl::StrCat("the imported model does not validate (", report.errors(),
                     " error(s)); this is an importer bug, nothing written"));
  }
  std::string format = args.output_format;
  if (out_path == "-" && format.empty()) format = "textproto";  // data on stdout
  ASSIGN_OR_RETURN(Format f, FormatForPath(out_path, format));
  return WriteMessage(model, out_path, f);
}

absl::Status RunImportSipri(const Args& args, const std::string& path, std::ostream& err) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  importers::SipriOptions options;
  ASSIGN_OR_RETURN(importers::SipriImport imp, importers::ImportSipri(bytes, path, options));
  PrintIssues(path, imp.skipped, "skipped", err);
  PrintIssues(path, imp.warnings, "warning", err);
  err << path << ": SIPRI " << importers::SipriLayoutName(imp.layout) << " layout, header on line "
      << imp.header_line << "; " << imp.data_rows << " row(s): " << imp.rows_used << " used ("
      << imp.second_hand_rows << " second-hand, " << imp.generic_rows
      << " with a generic designation kept apart per supplier, " << imp.joined_rows
      << " read across a line break), " << imp.skipped.size() << " skipped, "
      << imp.warnings.size() << " warning(s); " << imp.model.nations_size() << " nation(s), "
      << imp.model.platforms_size() << " platform type(s), " << imp.holdings.elements_size()
      << " holding(s)\n";
  for (const auto& [reason, count] : imp.skipped_by_reason) {
    err << path << ": skipped " << count << " row(s): " << reason << "\n";
  }
  if (imp.rows_used == 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no usable rows; nothing written"));
  }
  v1::Model model = std::move(imp.model);
  model.set_name(absl::StrCat("SIPRI import of ", path));
  model.set_description(std::string(importers::kSipriAttribution));
  *model.add_mixes() = std::move(imp.holdings);
  return CheckAndWrite(args, model, err);
}

absl::Status RunImportNisp(const Args& args, const std::string& path, std::ostream& err) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  ASSIGN_OR_RETURN(importers::NispImport imp, importers::ImportNisp(bytes, path));
  PrintIssues(path, imp.skipped, "skipped", err);
  err << path << ": NISP catalogue, header on line " << imp.header_line << "; " << imp.data_rows
      << " row(s): " << imp.rows_used << " used, " << imp.skipped.size() << " skipped; "
      << imp.model.standards_size() << " data standard(s)\n";
  if (imp.rows_used == 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no usable rows; nothing written"));
  }
  v1::Model model = std::move(imp.model);
  model.set_name(absl::StrCat("NISP import of ", path));
  model.set_description(std::string(importers::kNispAttribution));
  return CheckAndWrite(args, model, err);
}

absl::Status RunImport(const Args& args, std::ostream& out,
                       std::ostream& err) {
  if (args.positional[0] == "sipri") return RunImportSipri(args, args.positional[1], err);
  if (args.positional[0] == "nisp") return RunImportNisp(args, args.positional[1], err);
  return absl::InvalidArgumentError(
      absl::StrCat("unknown import source '", args.positional[0], "' (allowed: sipri, nisp)"));
}

}  // namespace

std::vector<Command> ImportCommands() {
  return {
      {"import", "turn public data (SIPRI trade registers, the NISP catalogue) into a model",
       "usage: coalition import sipri TRADE_REGISTER.csv --out FILE [--output_format F]\n"
       "       coalition import nisp STANDARDS.csv --out FILE [--output_format F]\n"
       "\n"
       "sipri: a SIPRI Arms Transfers Database trade register (older layout with a Comments\n"
       "column, or newer with a Local production column; preamble lines, latin-1 and stray\n"
       "separators are fine) -> nations, platform types (one per designation, sourcing derived\n"
       "from supplier and local production) and a holdings mix 'sipri-holdings' (units delivered\n"
       "per recipient and designation).\n"
       "nisp: the flattened NISP standards catalogue -> data standards with family and edition.\n"
       "Rows that cannot be used are reported on stderr as FILE:LINE: skipped: REASON, never\n"
       "dropped silently; a summary follows (rows used, second-hand, generic designations kept\n"
       "apart per supplier, rows joined across a line break; rows skipped per reason). The output (format from the extension of\n"
       "--out or --output_format) is validated, then written atomically. Attribution: "
       "'Information\n"
       "from the SIPRI Arms Transfers Database, https://www.sipri.org/databases/armstransfers';\n"
       "SIPRI data may not be used commercially.\n"
       "--out defaults to stdout (textproto unless --output_format says otherwise).\n"
       "Exit: 0 written (possibly with skipped rows), 2 unusable input (empty, binary, no header,\n"
       "no usable row) or usage error, 3 internal error.\n",
       {"out", "output_format"}, 2, 2, &RunImport},
  };
}

}  // namespace coalition::tools
