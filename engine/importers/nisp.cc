#include "engine/importers/nisp.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/base/status_macros.h"
#include "engine/importers/csv.h"

namespace coalition::importers {
namespace {

namespace v1 = ::coalition::v1;

using Key = std::array<int, 3>;  // {edition, version, change}

constexpr int kLetterEditionBase = 1000;  // lettered editions sort after numbered ones

std::string Upper(absl::string_view s) { return absl::AsciiStrToUpper(s); }

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

bool AllLetters(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_isalpha(static_cast<unsigned char>(c));
  });
}

// Leading integer of `s` ("2016" -> 2016, "3)" -> 3), or nullopt.
std::optional<int> LeadingInt(absl::string_view s) {
  size_t n = 0;
  while (n < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[n]))) ++n;
  int v = 0;
  if (n == 0 || n > 6 || !absl::SimpleAtoi(s.substr(0, n), &v)) return std::nullopt;
  return v;
}

// "A" -> 1001, "AJ" -> 1036 (bijective base 26), "8" -> 8; nullopt otherwise.
std::optional<int> EditionValue(absl::string_view s) {
  if (AllDigits(s)) return LeadingInt(s);
  if (AllLetters(s) && s.size() <= 2) {
    int v = 0;
    for (char c : Upper(s)) v = v * 26 + (c - 'A' + 1);
    return kLetterEditionBase + v;
  }
  return std::nullopt;
}

std::optional<int> RomanValue(absl::string_view s) {
  static constexpr const char* kRoman[] = {"I",   "II", "III", "IV", "V",  "VI",
                                           "VII", "VIII", "IX", "X", "XI", "XII"};
  for (int i = 0; i < 12; ++i) {
    if (s == kRoman[i]) return i + 1;
  }
  return std::nullopt;
}

// "03" -> "3", "5.01" -> "5.01", "4778.2" -> "4778.2": leading zeros of the first part only.
std::string NormalizeNumber(absl::string_view s) {
  size_t z = 0;
  while (z + 1 < s.size() && s[z] == '0' && absl::ascii_isdigit(static_cast<unsigned char>(s[z + 1]))) {
    ++z;
  }
  return std::string(s.substr(z));
}

// "2.0.2" / "v2.1" -> key {2, 0, 2}; nullopt unless a dotted number.
std::optional<Key> DottedKey(absl::string_view s) {
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  std::vector<absl::string_view> parts = absl::StrSplit(s, '.');
  if (parts.empty() || parts.size() > 3) return std::nullopt;
  Key k = {0, 0, 0};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!AllDigits(parts[i])) return std::nullopt;
    k[i] = *LeadingInt(parts[i]);
  }
  return k;
}

bool IsVersionWord(const std::string& u) {
  return u == "ED" || u == "ED." || u == "EDITION" || u == "VER" || u == "VER." ||
         u == "VERSION" || u == "V" || u == "REV" || u == "REV." || u == "CHANGE" ||
         u == "CHG";
}

// Reads edition/version/change/volume/part tokens starting at toks[i]; unknown tokens are
// skipped. Volume and part markers are appended to `family`.
void ReadQualifiers(const std::vector<std::string>& toks, size_t i, std::string* family, Key* key,
                    bool* any) {
  for (; i < toks.size(); ++i) {
    const std::string u = Upper(toks[i]);
    const std::string next = i + 1 < toks.size() ? toks[i + 1] : "";
    if ((u == "ED" || u == "ED." || u == "EDITION") && EditionValue(next)) {
      (*key)[0] = *EditionValue(next);
      *any = true;
      ++i;
    } else if ((u == "VER" || u == "VER." || u == "VERSION" || u == "V" || u == "REV" ||
                u == "REV.") &&
               LeadingInt(next)) {
      (*key)[1] = *LeadingInt(next);
      *any = true;
      ++i;
    } else if ((u == "CHANGE" || u == "CHG") && LeadingInt(next)) {
      (*key)[2] = *LeadingInt(next);
      *any = true;
      ++i;
    } else if ((u == "VOL" || u == "VOL." || u == "VOLUME") &&
               (LeadingInt(next) || RomanValue(Upper(next)))) {
      const int v = LeadingInt(next) ? *LeadingInt(next) : *RomanValue(Upper(next));
      absl::StrAppend(family, "-VOL", v);
      ++i;
    } else if (u == "LEVEL" && LeadingInt(next)) {
      absl::StrAppend(family, "-L", *LeadingInt(next));
      ++i;
    } else if ((u == "PART" || u == "PT" || u == "PT.") &&
               (LeadingInt(next) || RomanValue(Upper(next)))) {
      const int v = LeadingInt(next) ? *LeadingInt(next) : *RomanValue(Upper(next));
      absl::StrAppend(family, "-P", v);
      ++i;
    } else if (u.size() >= 2 && u[0] == 'P' && AllDigits(u.substr(1))) {
      absl::StrAppend(family, "-P", *LeadingInt(u.substr(1)));
    } else if (RomanValue(u)) {
      absl::StrAppend(family, "-VOL", *RomanValue(u));
    } else if (absl::StartsWith(u, "BASELINE-") && LeadingInt(u.substr(9))) {
      (*key)[0] = *LeadingInt(u.substr(9));
      *any = true;
    } else if ((u == "BASELINE" || u == "(BL" || u == "BL") && LeadingInt(next)) {
      (*key)[0] = *LeadingInt(next);
      *any = true;
      ++i;
    }
  }
}

// The catalogue's own `version` column: "Ed 8", "(A)(1)", "2", "1.1", "Change 5".
std::optional<Key> KeyFromVersionColumn(absl::string_view v) {
  v = absl::StripAsciiWhitespace(v);
  if (v.empty()) return std::nullopt;
  if (v[0] == '(') {  // "(A)(1)" = edition A, version 1
    std::vector<std::string> parts;
    for (absl::string_view p : absl::StrSplit(v, absl::ByAnyChar("()"), absl::SkipEmpty())) {
      parts.emplace_back(absl::StripAsciiWhitespace(p));
    }
    if (!parts.empty() && EditionValue(parts[0])) {
      Key k = {*EditionValue(parts[0]), 0, 0};
      if (parts.size() > 1 && LeadingInt(parts[1])) k[1] = *LeadingInt(parts[1]);
      return k;
    }
    return std::nullopt;
  }
  if (std::optional<Key> k = DottedKey(v)) return k;
  std::vector<std::string> toks = absl::StrSplit(v, ' ', absl::SkipEmpty());
  Key k = {0, 0, 0};
  bool any = false;
  std::string ignored;
  ReadQualifiers(toks, 0, &ignored, &k, &any);
  if (any) return k;
  return std::nullopt;
}

struct Parsed {
  std::string family;
  Key key = {0, 0, 0};
  bool has_key = false;
};

Parsed Parse(absl::string_view pubnum, absl::string_view org) {
  std::vector<std::string> toks;
  for (absl::string_view t : absl::StrSplit(pubnum, ' ', absl::SkipEmpty())) {
    const std::string l = absl::AsciiStrToLower(t);
    if (l == "(rd)" || l == "(study)" || l == "(fd)" || l == "(inv)" || l == "ft" || l == "-") {
      continue;
    }
    toks.emplace_back(t);
  }
  Parsed p;
  if (toks.empty()) return p;
  const std::string t0 = Upper(toks[0]);
  const std::string t1 = toks.size() > 1 ? toks[1] : "";

  // STANAG 5516 Ed 4
  if (t0 == "STANAG" && LeadingInt(t1)) {
    p.family = absl::StrCat("STANAG-", NormalizeNumber(t1));
    ReadQualifiers(toks, 2, &p.family, &p.key, &p.has_key);
    return p;
  }
  // ACP 113(AJ) Change 5; ACP 100 NS-1(P)
  if (t0 == "ACP" && LeadingInt(t1)) {
    auto split_paren = [](absl::string_view t) {
      const size_t open = t.find('(');
      std::pair<std::string, std::string> r{std::string(t.substr(0, open)), ""};
      if (open != absl::string_view::npos) {
        r.second = std::string(absl::StripSuffix(t.substr(open + 1), ")"));
      }
      return r;
    };
    auto [num, letters] = split_paren(t1);
    p.family = absl::StrCat("ACP-", NormalizeNumber(num));
    size_t next = 2;
    if (toks.size() > 2 && absl::StartsWith(Upper(toks[2]), "NS-")) {
      auto [supp, supp_letters] = split_paren(toks[2]);
      absl::StrAppend(&p.family, "-", Upper(supp));
      letters = supp_letters;
      next = 3;
    }
    if (EditionValue(letters)) {
      p.key[0] = *EditionValue(letters);
      p.has_key = true;
    }
    ReadQualifiers(toks, next, &p.family, &p.key, &p.has_key);
    return p;
  }
  // MIL-STD-6017B
  if (absl::StartsWith(t0, "MIL-STD-")) {
    absl::string_view rest = absl::string_view(t0).substr(8);
    size_t n = 0;
    while (n < rest.size() && (absl::ascii_isdigit(static_cast<unsigned char>(rest[n])) ||
                               rest[n] == '-')) {
      ++n;
    }
    p.family = absl::StrCat("MIL-STD-", absl::StripSuffix(rest.substr(0, n), "-"));
    if (EditionValue(rest.substr(n))) {
      p.key[0] = *EditionValue(rest.substr(n));
      p.has_key = true;
    }
    ReadQualifiers(toks, 1, &p.family, &p.key, &p.has_key);
    return p;
  }
  // RFC 1034
  if (t0 == "RFC" && AllDigits(t1)) {
    p.family = absl::StrCat("RFC-", NormalizeNumber(t1));
    return p;
  }
  // Allied publications: ADatP-03, AComP-4205, ATDLP-5.16, AEDP-04 (letters A...P, a number).
  {
    absl::string_view letters = t0, number;
    size_t qual = 1;
    if (const size_t dash = t0.find('-'); dash != std::string::npos) {
      letters = absl::string_view(t0).substr(0, dash);
      number = absl::string_view(toks[0]).substr(dash + 1);
    } else if (!t1.empty() && LeadingInt(t1)) {
      number = t1;
      qual = 2;
    }
    const bool numeric = !number.empty() && std::all_of(number.begin(), number.end(), [](char c) {
      return absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '.';
    });
    if (letters.size() >= 3 && letters.front() == 'A' && letters.back() == 'P' &&
        AllLetters(letters) && numeric && absl::ascii_isdigit(static_cast<unsigned char>(number[0]))) {
      p.family = absl::StrCat(letters, "-", NormalizeNumber(number));
      ReadQualifiers(toks, qual, &p.family, &p.key, &p.has_key);
      return p;
    }
  }
  // Anything else: strip trailing version tokens; what is left, upper-cased, is the family.
  while (toks.size() > 1) {
    const std::string u = Upper(toks.back());
    if (toks.size() > 2 && IsVersionWord(Upper(toks[toks.size() - 2]))) {
      Key k = {0, 0, 0};
      bool any = false;
      std::string ignored;
      ReadQualifiers({toks[toks.size() - 2], toks.back()}, 0, &ignored, &k, &any);
      if (!any) {
        if (std::optional<Key> d = DottedKey(toks.back())) k = *d, any = true;
      }
      if (!any) break;
      for (int i = 0; i < 3; ++i) p.key[i] = std::max(p.key[i], k[i]);
      p.has_key = true;
      toks.resize(toks.size() - 2);
    } else if (std::optional<Key> d = DottedKey(toks.back()); d && toks.back().find('.') != std::string::npos) {
      p.key = *d;
      p.has_key = true;
      toks.pop_back();
    } else {
      break;
    }
  }
  std::vector<std::string> parts;
  for (const std::string& t : toks) {
    std::string s = SanitizeId(Upper(t));
    if (!s.empty()) parts.push_back(s);
  }
  std::string core = absl::StrJoin(parts, "-");
  const std::string org_id = SanitizeId(Upper(org));
  if (!org_id.empty() && !absl::StartsWith(core, org_id)) core = absl::StrCat(org_id, "-", core);
  p.family = core;
  return p;
}

std::string Field(const CsvRecord& r, int index) {
  if (index < 0 || index >= static_cast<int>(r.fields.size())) return "";
  return std::string(absl::StripAsciiWhitespace(r.fields[index]));
}

std::string Basename(absl::string_view path) {
  const size_t slash = path.find_last_of('/');
  return std::string(slash == absl::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

PublicationNumber ParsePublicationNumber(absl::string_view pubnum, absl::string_view org) {
  Parsed p = Parse(pubnum, org);
  return {p.family, {p.key[0], p.key[1], p.key[2]}};
}

absl::StatusOr<NispImport> ImportNisp(absl::string_view bytes, absl::string_view file) {
  ASSIGN_OR_RETURN(std::string text, DecodeText(bytes, file));
  std::vector<CsvRecord> records = ParseCsv(text);
  enum { kPubnum, kTitle, kId, kOrg, kDate, kVersion, kElement, kNumCols };
  static constexpr const char* kNames[kNumCols] = {"pubnum", "title", "nispid", "org",
                                                   "date", "version", "element"};
  int cols[kNumCols];
  size_t header = records.size();
  int seen = 0;
  for (size_t i = 0; i < records.size() && seen < 50; ++i) {
    if (IsBlankRecord(records[i])) continue;
    ++seen;
    std::fill(std::begin(cols), std::end(cols), -1);
    for (size_t f = 0; f < records[i].fields.size(); ++f) {
      const std::string name = NormalizeHeader(records[i].fields[f]);
      for (int c = 0; c < kNumCols; ++c) {
        if (cols[c] < 0 && (name == kNames[c] || (c == kPubnum && name == "publication number"))) {
          cols[c] = static_cast<int>(f);
        }
      }
    }
    if (cols[kPubnum] >= 0 && cols[kTitle] >= 0) {
      header = i;
      break;
    }
  }
  if (header == records.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": no header row: expected a line naming 'pubnum' and 'title' columns within the "
              "first 50 non-blank lines; is this the flattened NISP catalogue?"));
  }
  NispImport out;
  out.header_line = records[header].line;
  const int width = EffectiveWidth(records[header]);
  const std::string file_name = Basename(file);

  struct Row {
    int line;
    std::string id, pubnum, title, date, element;
    Parsed parsed;
  };
  std::vector<Row> rows;
  absl::flat_hash_map<std::string, int> id_line;
  // family -> edition key -> first row index
  std::map<std::string, std::map<Key, size_t>> families;

  for (size_t i = header + 1; i < records.size(); ++i) {
    const CsvRecord& r = records[i];
    if (IsBlankRecord(r)) continue;
    ++out.data_rows;
    const int n = static_cast<int>(r.fields.size());
    if (r.unterminated_quote) {
      out.skipped.push_back({r.line, "unterminated quoted field (the quote runs to the end of "
                                     "the file)"});
      continue;
    }
    if (n < width) {
      out.skipped.push_back({r.line, absl::StrCat("has ", n, " field(s), the header (line ",
                                                  out.header_line, ") has ", width,
                                                  ": a truncated row, note or footer line")});
      continue;
    }
    if (EffectiveWidth(r) > width) {
      out.skipped.push_back(
          {r.line, absl::StrCat("has data in field ", EffectiveWidth(r), " but the header (line ",
                                out.header_line, ") has ", width,
                                " columns: an unquoted comma inside a field?")});
      continue;
    }
    Row row;
    row.line = r.line;
    row.pubnum = Field(r, cols[kPubnum]);
    row.title = Field(r, cols[kTitle]);
    row.date = Field(r, cols[kDate]);
    row.element = Field(r, cols[kElement]);
    if (row.pubnum.empty() || row.title.empty()) {
      out.skipped.push_back(
          {r.line, absl::StrCat("empty ", row.pubnum.empty() ? "publication number" : "title")});
      continue;
    }
    row.id = SanitizeId(cols[kId] >= 0 && !Field(r, cols[kId]).empty() ? Field(r, cols[kId])
                                                                       : row.pubnum);
    if (row.id.empty()) {
      out.skipped.push_back({r.line, "no usable id (nispid or publication number)"});
      continue;
    }
    row.parsed = Parse(row.pubnum, Field(r, cols[kOrg]));
    if (row.parsed.family.empty()) {
      out.skipped.push_back({r.line, absl::StrCat("publication number '", row.pubnum,
                                                  "' gives no family")});
      continue;
    }
    if (!row.parsed.has_key) {
      if (std::optional<Key> k = KeyFromVersionColumn(Field(r, cols[kVersion]))) {
        row.parsed.key = *k;
        row.parsed.has_key = true;
      }
    }
    if (auto it = id_line.find(row.id); it != id_line.end()) {
      out.skipped.push_back({r.line, absl::StrCat("id '", row.id, "' already used on line ",
                                                  it->second)});
      continue;
    }
    auto& editions = families[row.parsed.family];
    if (auto it = editions.find(row.parsed.key); it != editions.end()) {
      const Row& first = rows[it->second];
      out.skipped.push_back(
          {r.line, absl::StrCat("same family ", row.parsed.family, " and edition as line ",
                                first.line, " ('", first.pubnum, "'); one version per edition")});
      continue;
    }
    id_line.emplace(row.id, r.line);
    editions.emplace(row.parsed.key, rows.size());
    rows.push_back(std::move(row));
  }
  out.rows_used = static_cast<int>(rows.size());

  // Version ordinals: rank of the edition key within the family (std::map is ordered).
  std::vector<int> version(rows.size(), 0);
  for (const auto& [family, editions] : families) {
    int ordinal = 0;
    for (const auto& [key, index] : editions) version[index] = ++ordinal;
  }
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rows[a].id < rows[b].id; });
  for (size_t i : order) {
    const Row& row = rows[i];
    v1::DataStandard* s = out.model.add_standards();
    s->set_id(row.id);
    s->set_name(row.title);
    s->set_family(row.parsed.family);
    s->set_version(version[i]);
    s->set_edition(row.pubnum);
    s->set_source(absl::StrCat(
        kNispAttribution, ": ", file_name, " line ", row.line, " (",
        row.element.empty() ? "entry" : row.element, " '", row.pubnum, "'",
        row.date.empty() ? "" : absl::StrCat(", dated ", row.date),
        "). Family and version ordinal derived by coalition import nisp from the publication "
        "number (ordinal ", version[i], " of ", families[row.parsed.family].size(),
        " editions of ", row.parsed.family,
        " in this file). releasable_to left empty: assumption: the catalogue does not record "
        "releasability."));
  }
  auto by_line = [](const RowIssue& a, const RowIssue& b) { return a.line < b.line; };
  std::stable_sort(out.skipped.begin(), out.skipped.end(), by_line);
  return out;
}

}  // namespace coalition::importers
