// Table layout shared by the renderers: aligned plain-text tables, markdown tables, csv rows.
//
//   Rows rows = {{"nation", "gaps"}, {"POL|UKR", "57"}};
//   std::string t = TextTable(rows, "  ");   // first column left-aligned, the rest right
//   std::string m = MarkdownTable(rows);     // first row is the header; cells MarkdownSafe
#ifndef COALITION_ENGINE_REPORT_TEXT_TABLE_H_
#define COALITION_ENGINE_REPORT_TEXT_TABLE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace coalition::report {

using Rows = std::vector<std::vector<std::string>>;

// Columns padded to their widest cell: the first left-aligned, the others right-aligned except
// the last when `last_left` (a free-text column). Each line starts with `indent`; trailing
// spaces are trimmed.
std::string TextTable(const Rows& rows, const std::string& indent, bool last_left = false);

// Every cell is escaped for its format (engine/report/escape.h): TextSafe, MarkdownSafe,
// CsvCell.
// A markdown table; rows[0] is the header, numeric columns right-aligned.
std::string MarkdownTable(const Rows& rows);

// CsvCell (escape.h): control characters escaped, a formula prefix (= + - @) neutralised with a
// leading apostrophe, then RFC 4180 quoting (fields containing a comma, quote, CR or LF).
std::string CsvField(absl::string_view s);

// One csv line (fields quoted as needed, "\n"-terminated).
std::string CsvRow(std::vector<std::string> fields);

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_TEXT_TABLE_H_
