// Text decoding and CSV records for the public-data importers (sipri.h, nisp.h).
//
// Recommended API:
//   ASSIGN_OR_RETURN(std::string text, DecodeText(bytes, "register.csv"));  // latin-1 -> UTF-8
//   for (const CsvRecord& r : ParseCsv(text)) { ... r.line, r.fields ... }
//   std::string id = SanitizeId("F-35A Lightning-2");                        // "F-35A_Lightning-2"
//
// Terms:
//   record   one CSV row: the fields of one logical line (a quoted field may span lines), with the
//            1-based line it starts on. Blank lines give a record with one empty field.
//   width    the number of fields of a record.
//
// Encoding (DecodeText): valid UTF-8 is kept (a leading byte-order mark is dropped); anything
// else is read as latin-1 (ISO 8859-1), with the bytes 0x80-0x9F read as Windows-1252 (the
// superset spreadsheet exports write), and converted to UTF-8. A NUL byte, or more than 1% of
// bytes being C0 control characters other than tab/CR/LF/form feed, means the input is not text.
//
// CSV dialect (ParseCsv): comma-separated; a field may be enclosed in double quotes, inside which
// commas and line breaks are literal and "" is one quote; LF, CRLF or CR end a record. A quote in
// the middle of an unquoted field is kept literally. An unterminated quoted field runs to the end
// of the input and sets CsvRecord::unterminated_quote.
//
// Errors: DecodeText returns InvalidArgument naming the file for empty or binary input.
// Complexity: linear in the input.
#ifndef COALITION_ENGINE_IMPORTERS_CSV_H_
#define COALITION_ENGINE_IMPORTERS_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace coalition::importers {

// A row an importer skipped or warns about: its 1-based line in the file and why.
struct RowIssue {
  int line = 0;
  std::string reason;
};

struct CsvRecord {
  int line = 0;                     // 1-based line the record starts on
  std::vector<std::string> fields;  // at least one (a blank line gives one empty field)
  bool unterminated_quote = false;  // a quoted field ran to the end of the input
};

// UTF-8 text of `bytes` (see the header comment). `file` only names the input in errors.
absl::StatusOr<std::string> DecodeText(absl::string_view bytes, absl::string_view file);

// As DecodeText, without a copy when `bytes` is already UTF-8: the result views `bytes` (minus a
// byte-order mark); otherwise it views `*storage`, which receives the converted text. For large
// inputs (a 200 MB register) this keeps one copy of the text in memory instead of two.
absl::StatusOr<absl::string_view> DecodeTextView(absl::string_view bytes, absl::string_view file,
                                                 std::string* storage);

// Whether `bytes` is valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool IsValidUtf8(absl::string_view bytes);

// The records of `text`, in order.
std::vector<CsvRecord> ParseCsv(absl::string_view text);

// The records of `text` one at a time, in the dialect of ParseCsv, for inputs too large to hold
// as a vector of records. `text` must outlive the reader. Next() reuses `record`'s storage.
//   CsvReader reader(text);
//   CsvRecord r;
//   while (reader.Next(&r)) { ... }
class CsvReader {
 public:
  explicit CsvReader(absl::string_view text) : text_(text) {}
  // The next record into `*record`; false at the end of the input.
  bool Next(CsvRecord* record);

 private:
  absl::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

// True when every field is empty after trimming ASCII whitespace (a blank or ",,," line).
bool IsBlankRecord(const CsvRecord& record);

// Number of fields once trailing empty (whitespace-only) fields are dropped.
int EffectiveWidth(const CsvRecord& record);

// Lower-cases ASCII, trims, and collapses runs of whitespace to one space: header matching.
std::string NormalizeHeader(absl::string_view name);

// An id in [A-Za-z0-9._:-]+: each run of other characters becomes one '_'; leading and trailing
// '_' and '-' are dropped ("Boxer IFV -" -> "Boxer_IFV"). Empty when nothing usable remains.
std::string SanitizeId(absl::string_view text);

// `text` truncated to at most `max_chars` bytes on a UTF-8 boundary, with "..." when cut.
std::string Abbreviate(absl::string_view text, size_t max_chars);

}  // namespace coalition::importers

#endif  // COALITION_ENGINE_IMPORTERS_CSV_H_
