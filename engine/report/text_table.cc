#include "engine/report/text_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "engine/report/escape.h"

namespace coalition::report {

std::string TextTable(const Rows& raw_rows, const std::string& indent, bool last_left) {
  // Every cell through the text escaper (engine/report/escape.h): a name holding a newline or
  // a direction override cannot break the table.
  Rows rows = raw_rows;
  for (auto& r : rows) {
    for (std::string& c : r) c = TextSafe(c);
  }
  std::vector<size_t> width;
  for (const auto& r : rows) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line = indent;
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string pad(width[i] - r[i].size(), ' ');
      const bool left = i == 0 || (last_left && i + 1 == r.size());
      absl::StrAppend(&line, i == 0 ? "" : "  ", left ? r[i] + pad : pad + r[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string MarkdownTable(const Rows& rows) {
  std::string out;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> cells;
    for (const std::string& c : rows[i]) cells.push_back(MarkdownSafe(c));
    absl::StrAppend(&out, "| ", absl::StrJoin(cells, " | "), " |\n");
    if (i == 0) {
      std::vector<std::string> sep(rows[0].size(), "---:");
      sep[0] = "---";
      absl::StrAppend(&out, "|", absl::StrJoin(sep, "|"), "|\n");
    }
  }
  return out;
}

std::string CsvField(absl::string_view s) { return CsvCell(s); }

std::string CsvRow(std::vector<std::string> fields) {
  for (std::string& f : fields) f = CsvField(f);
  return absl::StrCat(absl::StrJoin(fields, ","), "\n");
}

}  // namespace coalition::report
