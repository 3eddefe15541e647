// The escaping layer of the report formats: free text from the input (names, ids, IER and mix
// names, sources, and the sentences built from them) passes through the escaper of its output
// format before it is written, so no input can forge report lines, inject markup or plant a
// live spreadsheet formula.
//
//   absl::StrAppend(&text, "Gap report: mix \"", TextSafe(r.mix_name()), "\"\n");
//   rows.push_back({MarkdownSafe(ier_name), ...});   // MarkdownTable does this for its cells
//   line += CsvCell(name);                            // CsvField / CsvRow do this
//
// TextSafe (text output, and the first step of the others): shows escaped, on one line,
//   - C0 controls and DEL as \n \r \t or \xNN (a newline cannot start a forged report line);
//   - C1 controls (U+0080..U+009F) and the invisible or direction-changing format characters
//     (U+061C, U+200B..U+200F, U+2028, U+2029, U+202A..U+202E, U+2060..U+2064, U+2066..U+2069,
//     U+FEFF) as \u{XXXX} (a U+202E cannot reverse what follows);
//   - bytes that are not UTF-8 as \xNN.
//   Everything else (printable ASCII, letters of any script) is kept as is, so ordinary text
//   is unchanged byte for byte.
// MarkdownSafe: TextSafe, then '|' and '`' escaped with a backslash (a backslash just before
//   '|' doubled) and '<' '>' '&' as HTML entities: no tag, no table cell break, no code span.
//   Other backslash escapes are kept (renderers write "\*" themselves); '>' of the "->" arrow
//   is kept, since with newlines escaped a '>' never starts a line.
// CsvCell: TextSafe except line feeds (kept, and quoted), then a cell that a spreadsheet would read as a formula — starting with
//   '=', '+', '-', '@', or (before escaping) a tab or CR — gets a leading apostrophe ("'=1+2"),
//   unless it is a plain number ("-12.5" stays a number); then RFC 4180 quoting (fields with
//   ',', '"', CR or LF are quoted, quotes doubled).
// All are pure functions, O(length), deterministic.
#ifndef COALITION_ENGINE_REPORT_ESCAPE_H_
#define COALITION_ENGINE_REPORT_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace coalition::report {

std::string TextSafe(absl::string_view s);
std::string MarkdownSafe(absl::string_view s);
std::string CsvCell(absl::string_view s);
// XmlSafe: the five XML entities (& < > " ') and control characters other than tab / CR / LF
// (not allowed in XML 1.0) as '?': safe in element text and quoted attributes of XML (GraphML)
// and HTML. Apply TextSafe first for free text shown to people (the HTML report does).
std::string XmlSafe(absl::string_view s);

// Replaces every string field of `m` (recursively, by reflection) with TextSafe of itself. The
// text and markdown renderers work on such a copy (TextSafeCopy), so every sentence they build
// from ids and names is free of control and direction characters, whichever helper builds it.
// TextSafe is idempotent, so text escaped twice reads the same.
void MakeStringsTextSafe(google::protobuf::Message* m);

template <typename M>
M TextSafeCopy(const M& report) {
  M copy = report;
  MakeStringsTextSafe(&copy);
  return copy;
}

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_ESCAPE_H_
