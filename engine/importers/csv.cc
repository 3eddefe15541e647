#include "engine/importers/csv.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/base/utf8.h"

namespace coalition::importers {
namespace {

// Windows-1252 code points for the bytes 0x80-0x9F; 0 where the code page leaves a hole (those
// bytes are then read as latin-1, i.e. the C1 control of the same value).
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 88-8F
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 98-9F
};

}  // namespace

bool IsValidUtf8(absl::string_view s) { return coalition::IsValidUtf8(s); }

absl::StatusOr<std::string> DecodeText(absl::string_view bytes, absl::string_view file) {
  std::string storage;
  absl::StatusOr<absl::string_view> text = DecodeTextView(bytes, file, &storage);
  if (!text.ok()) return text.status();
  if (text->data() == storage.data()) return storage;
  return std::string(*text);
}

absl::StatusOr<absl::string_view> DecodeTextView(absl::string_view bytes, absl::string_view file,
                                                 std::string* storage) {
  if (bytes.empty()) return absl::InvalidArgumentError(absl::StrCat(file, ": empty file"));
  size_t controls = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": not a text file (NUL byte at offset ", i, ")"));
    }
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++controls;
  }
  if (controls * 100 > bytes.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": not a text file (", controls, " control bytes in ", bytes.size(), ")"));
  }
  if (IsValidUtf8(bytes)) {
    if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
    return bytes;
  }
  std::string& out = *storage;
  out.clear();
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    uint32_t cp = c;
    if (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80] != 0) cp = kCp1252High[c - 0x80];
    AppendUtf8(cp, &out);
  }
  return absl::string_view(out);
}

std::vector<CsvRecord> ParseCsv(absl::string_view text) {
  std::vector<CsvRecord> records;
  CsvReader reader(text);
  CsvRecord rec;
  while (reader.Next(&rec)) records.push_back(rec);
  return records;
}

bool CsvReader::Next(CsvRecord* rec) {
  const absl::string_view text = text_;
  size_t i = pos_;
  const size_t n = text.size();
  if (i >= n) return false;
  rec->line = line_;
  rec->unterminated_quote = false;
  size_t used = 0;  // fields of rec->fields in use (their storage is reused)
  auto field = [&]() -> std::string& {
    if (used == rec->fields.size()) rec->fields.emplace_back();
    return rec->fields[used];
  };
  field().clear();
  bool in_quotes = false;
  bool record_done = false;
  while (i < n && !record_done) {
    const char c = text[i];
    std::string& f = rec->fields[used];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < n && text[i + 1] == '"') {
          f.push_back('"');
          i += 2;
        } else {
          in_quotes = false;
          ++i;
        }
      } else {
        if (c == '\n' || (c == '\r' && !(i + 1 < n && text[i + 1] == '\n'))) ++line_;
        f.push_back(c);
        ++i;
      }
      continue;
    }
    if (c == '"' && absl::StripAsciiWhitespace(f).empty()) {
      // An opening quote (whitespace before it is dropped).
      f.clear();
      in_quotes = true;
      ++i;
    } else if (c == ',') {
      ++used;
      field().clear();
      ++i;
    } else if (c == '\n' || c == '\r') {
      i += (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
      ++line_;
      record_done = true;
    } else {
      // Copy the run of ordinary characters at once.
      size_t j = i + 1;
      while (j < n && text[j] != ',' && text[j] != '"' && text[j] != '\n' && text[j] != '\r') ++j;
      f.append(text.data() + i, j - i);
      i = j;
    }
  }
  if (in_quotes) rec->unterminated_quote = true;
  rec->fields.resize(used + 1);
  pos_ = i;
  return true;
}

bool IsBlankRecord(const CsvRecord& record) { return EffectiveWidth(record) == 0; }

int EffectiveWidth(const CsvRecord& record) {
  int w = static_cast<int>(record.fields.size());
  while (w > 0 && absl::StripAsciiWhitespace(record.fields[w - 1]).empty()) --w;
  return w;
}

std::string NormalizeHeader(absl::string_view name) {
  std::string out;
  bool space = false;
  for (char c : absl::StripAsciiWhitespace(name)) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string SanitizeId(absl::string_view text) {
  std::string out;
  bool pending = false;
  for (char c : text) {
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                    c == ':' || c == '-';
    if (!ok) {
      pending = true;
      continue;
    }
    if (pending && !out.empty()) out.push_back('_');
    pending = false;
    out.push_back(c);
  }
  while (!out.empty() && (out.back() == '_' || out.back() == '-')) out.pop_back();
  size_t start = 0;
  while (start < out.size() && (out[start] == '_' || out[start] == '-')) ++start;
  return out.substr(start);
}

std::string Abbreviate(absl::string_view text, size_t max_chars) {
  if (text.size() <= max_chars) return std::string(text);
  size_t cut = max_chars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), "...");
}

}  // namespace coalition::importers
