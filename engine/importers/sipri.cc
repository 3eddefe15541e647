#include "engine/importers/sipri.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/base/status_macros.h"
#include "engine/importers/csv.h"
#include "engine/model/sourcing.h"

namespace coalition::importers {
namespace {

namespace v1 = ::coalition::v1;

// ---- columns ---------------------------------------------------------------------------------

enum Col {
  kSupplier,
  kRecipient,
  kDesignation,
  kDescription,
  kCategory,
  kGroup,
  kOrderYear,
  kDelivered,
  kLocalProduction,
  kComments,
  kSource,
  kStatus,
  kNumCols
};

// Normalized header names (csv.h NormalizeHeader) for each column, first match wins.
struct ColumnAliases {
  Col col;
  const char* names[8];
};
constexpr ColumnAliases kColumns[] = {
    {kSupplier, {"supplier", "seller", "supplier country"}},
    {kRecipient, {"recipient", "buyer", "recipient country"}},
    {kDesignation, {"designation", "weapon designation"}},
    {kDescription, {"weapon description", "description"}},
    {kCategory, {"armament category", "weapon category", "category"}},
    {kGroup, {"platform_group", "platform group"}},
    {kOrderYear, {"order_year", "year of order", "order date", "order year", "year(s) of order"}},
    {kDelivered,
     {"number delivered", "numbers delivered", "no. delivered", "no. delivered/produced",
      "number", "delivered"}},
    {kLocalProduction, {"local production", "local_production_flag", "local production flag"}},
    {kComments, {"comments", "comment", "remarks"}},
    {kSource, {"source"}},
    {kStatus, {"status"}},
};

// ---- nations ---------------------------------------------------------------------------------

// SIPRI country names (as the register spells them, plus common variants) -> ISO 3166-1
// alpha-3. Covers every name in the project's reference extract and the main suppliers.
constexpr std::pair<const char*, const char*> kNations[] = {
    {"Afghanistan", "AFG"},     {"Albania", "ALB"},         {"Algeria", "DZA"},
    {"Angola", "AGO"},          {"Argentina", "ARG"},       {"Armenia", "ARM"},
    {"Australia", "AUS"},       {"Austria", "AUT"},         {"Azerbaijan", "AZE"},
    {"Bahrain", "BHR"},         {"Bangladesh", "BGD"},      {"Belarus", "BLR"},
    {"Belgium", "BEL"},         {"Bolivia", "BOL"},         {"Bosnia-Herzegovina", "BIH"},
    {"Bosnia and Herzegovina", "BIH"},                      {"Botswana", "BWA"},
    {"Brazil", "BRA"},          {"Brunei", "BRN"},          {"Bulgaria", "BGR"},
    {"Burkina Faso", "BFA"},    {"Cambodia", "KHM"},        {"Cameroon", "CMR"},
    {"Canada", "CAN"},          {"Chad", "TCD"},            {"Chile", "CHL"},
    {"China", "CHN"},           {"Colombia", "COL"},        {"Croatia", "HRV"},
    {"Cyprus", "CYP"},          {"Czechia", "CZE"},         {"Czech Republic", "CZE"},
    {"Denmark", "DNK"},         {"Djibouti", "DJI"},        {"DR Congo", "COD"},
    {"Ecuador", "ECU"},         {"Egypt", "EGY"},           {"Estonia", "EST"},
    {"Ethiopia", "ETH"},        {"Finland", "FIN"},         {"France", "FRA"},
    {"Georgia", "GEO"},         {"Germany", "DEU"},         {"Ghana", "GHA"},
    {"Greece", "GRC"},          {"Hungary", "HUN"},         {"Iceland", "ISL"},
    {"India", "IND"},           {"Indonesia", "IDN"},       {"Iran", "IRN"},
    {"Iraq", "IRQ"},            {"Ireland", "IRL"},         {"Israel", "ISR"},
    {"Italy", "ITA"},           {"Japan", "JPN"},           {"Jordan", "JOR"},
    {"Kazakhstan", "KAZ"},      {"Kenya", "KEN"},           {"Kosovo", "XKX"},
    {"Kuwait", "KWT"},          {"Kyrgyzstan", "KGZ"},      {"Latvia", "LVA"},
    {"Lebanon", "LBN"},         {"Libya", "LBY"},           {"Lithuania", "LTU"},
    {"Luxembourg", "LUX"},      {"Malaysia", "MYS"},        {"Maldives", "MDV"},
    {"Mali", "MLI"},            {"Malta", "MLT"},           {"Mexico", "MEX"},
    {"Moldova", "MDA"},         {"Mongolia", "MNG"},        {"Montenegro", "MNE"},
    {"Morocco", "MAR"},         {"Myanmar", "MMR"},         {"Netherlands", "NLD"},
    {"New Zealand", "NZL"},     {"Niger", "NER"},           {"Nigeria", "NGA"},
    {"North Korea", "PRK"},     {"North Macedonia", "MKD"}, {"Norway", "NOR"},
    {"Oman", "OMN"},            {"Pakistan", "PAK"},        {"Peru", "PER"},
    {"Philippines", "PHL"},     {"Poland", "POL"},          {"Portugal", "PRT"},
    {"Qatar", "QAT"},           {"Romania", "ROU"},         {"Russia", "RUS"},
    {"Rwanda", "RWA"},          {"Saudi Arabia", "SAU"},    {"Senegal", "SEN"},
    {"Serbia", "SRB"},          {"Singapore", "SGP"},       {"Slovakia", "SVK"},
    {"Slovenia", "SVN"},        {"Somalia", "SOM"},         {"South Africa", "ZAF"},
    {"South Korea", "KOR"},     {"Spain", "ESP"},           {"Sri Lanka", "LKA"},
    {"Sudan", "SDN"},           {"Sweden", "SWE"},          {"Switzerland", "CHE"},
    {"Syria", "SYR"},           {"Taiwan", "TWN"},          {"Tanzania", "TZA"},
    {"Thailand", "THA"},        {"Togo", "TGO"},            {"Tunisia", "TUN"},
    {"Turkiye", "TUR"},         {"Türkiye", "TUR"},         {"Turkey", "TUR"},
    {"Turkmenistan", "TKM"},    {"UAE", "ARE"},             {"United Arab Emirates", "ARE"},
    {"Uganda", "UGA"},          {"Ukraine", "UKR"},         {"United Kingdom", "GBR"},
    {"United States", "USA"},   {"Uruguay", "URY"},         {"Uzbekistan", "UZB"},
    {"Venezuela", "VEN"},       {"Viet Nam", "VNM"},        {"Vietnam", "VNM"},
    {"Yemen", "YEM"},           {"Zambia", "ZMB"},          {"Zimbabwe", "ZWE"},
};

bool IsUnknownParty(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  return lower == "unknown" || absl::StartsWith(lower, "unknown ");
}

// ---- domains ---------------------------------------------------------------------------------

struct DomainRule {
  const char* keyword;  // lower case, matched as a substring
  v1::Domain domain;
  const char* roles;  // comma-separated
};

// SIPRI weapon descriptions and armament categories. Order matters: ships and aircraft before
// the generic "tank"/"sam" words that also occur inside them ("tanker aircraft", "naval SAM").
constexpr DomainRule kDescriptionRules[] = {
    {"submarine", v1::MARITIME, "submarine"},
    {"destroyer", v1::MARITIME, "surface-combatant"},
    {"frigate", v1::MARITIME, "surface-combatant"},
    {"corvette", v1::MARITIME, "surface-combatant"},
    {"ship", v1::MARITIME, ""},
    {"satellite", v1::SPACE, ""},
    {"aew", v1::AIR, "aew,c2"},
    {"awacs", v1::AIR, "aew,c2"},
    {"asw aircraft", v1::AIR, "asw,maritime-patrol"},
    {"mp aircraft", v1::AIR, "maritime-patrol"},
    {"maritime patrol", v1::AIR, "maritime-patrol"},
    {"uav", v1::AIR, "uav,isr"},
    {"ucav", v1::AIR, "uav,isr,strike"},
    {"fga aircraft", v1::AIR, "fighter,strike"},
    {"fighter", v1::AIR, "fighter"},
    {"combat aircraft", v1::AIR, "fighter"},
    {"tanker", v1::AIR, "tanker"},
    {"transport aircraft", v1::AIR, "transport"},
    {"helicopter", v1::AIR, "helicopter"},
    {"aircraft", v1::AIR, ""},
    {"sam system", v1::LAND, "air-defense"},
    {"air defence system", v1::LAND, "air-defense"},
    {"air defense system", v1::LAND, "air-defense"},
    {"air defence", v1::LAND, "air-defense"},
    {"spaag", v1::LAND, "air-defense"},
    {"tank", v1::LAND, "armor"},
    {"ifv", v1::LAND, "armor,ifv"},
    {"apc", v1::LAND, "armor,apc"},
    {"armoured vehicle", v1::LAND, "armor"},
    {"self-propelled gun", v1::LAND, "fires,artillery"},
    {"self-propelled howitzer", v1::LAND, "fires,artillery"},
    {"mrl", v1::LAND, "fires,artillery"},
    {"rocket launcher", v1::LAND, "fires,artillery"},
    {"artillery", v1::LAND, "fires,artillery"},
};

// Platform groups of the project's reference extract (exact names).
constexpr std::pair<const char*, DomainRule> kGroupRules[] = {
    {"F-35", {"", v1::AIR, "fighter,strike"}},
    {"F-16", {"", v1::AIR, "fighter,strike"}},
    {"Eurofighter Typhoon", {"", v1::AIR, "fighter"}},
    {"Gripen", {"", v1::AIR, "fighter"}},
    {"Rafale", {"", v1::AIR, "fighter,strike"}},
    {"Bayraktar TB2", {"", v1::AIR, "uav,isr,strike"}},
    {"MQ-9 Reaper", {"", v1::AIR, "uav,isr,strike"}},
    {"E-7 / Boeing-737 AEW&C", {"", v1::AIR, "aew,c2"}},
    {"E-3 Sentry", {"", v1::AIR, "aew,c2"}},
    {"P-8 Poseidon", {"", v1::AIR, "asw,maritime-patrol"}},
    {"Leopard 2", {"", v1::LAND, "armor"}},
    {"M1 Abrams", {"", v1::LAND, "armor"}},
    {"K2 Black Panther", {"", v1::LAND, "armor"}},
    {"CV90", {"", v1::LAND, "armor,ifv"}},
    {"Boxer", {"", v1::LAND, "armor,ifv"}},
    {"HIMARS", {"", v1::LAND, "fires,artillery"}},
    {"K9 Thunder", {"", v1::LAND, "fires,artillery"}},
    {"Patriot", {"", v1::LAND, "air-defense"}},
    {"NASAMS", {"", v1::LAND, "air-defense"}},
    {"IRIS-T SLM/SLS/SLX", {"", v1::LAND, "air-defense"}},
    {"Aegis-class (SPY-1 / Hobart / Nansen / KDX-3 / Kongo / Atago)",
     {"", v1::MARITIME, "air-defense,surface-combatant"}},
};

const DomainRule* MatchDescription(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower.empty()) return nullptr;
  for (const DomainRule& r : kDescriptionRules) {
    if (absl::StrContains(lower, r.keyword)) return &r;
  }
  return nullptr;
}

const DomainRule* MatchGroup(absl::string_view group) {
  for (const auto& [name, rule] : kGroupRules) {
    if (group == name) return &rule;
  }
  return nullptr;
}

// ---- rows ------------------------------------------------------------------------------------

// One used row, compact: a 200 MB register has about 10^6 of them (see tools/sipri_memory).
struct Row {
  int32_t line = 0;
  int32_t platform = 0;   // index into Platforms
  int32_t supplier = 0;   // index into Nations
  int32_t recipient = 0;  // index into Nations
  int64_t delivered = 0;
  bool local_production = false;
  bool second_hand = false;
  bool has_comment = false;  // only read when de-duplicating extracts
};

std::string Field(const CsvRecord& r, int index) {
  if (index < 0 || index >= static_cast<int>(r.fields.size())) return "";
  return std::string(absl::StripAsciiWhitespace(r.fields[index]));
}

std::string Quote(absl::string_view s) { return absl::StrCat("'", Abbreviate(s, 60), "'"); }

// The leading digits of an order year ("2009?" -> "2009").
std::string YearDigits(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      out.push_back(c);
    } else if (!out.empty()) {
      break;
    }
  }
  return out;
}

std::optional<bool> ParseYesNo(absl::string_view v) {
  const std::string s = absl::AsciiStrToLower(absl::StripAsciiWhitespace(v));
  if (s == "yes" || s == "y" || s == "true" || s == "1" || s == "x") return true;
  if (s == "no" || s == "n" || s == "false" || s == "0") return false;
  return std::nullopt;
}

constexpr size_t kMaxLinesShown = 12;

std::string LinesList(const std::vector<int>& shown, int total) {
  std::string s = absl::StrJoin(shown, ", ");
  if (total > static_cast<int>(shown.size())) {
    absl::StrAppend(&s, " and ", total - static_cast<int>(shown.size()), " more");
  }
  return s;
}

std::string Basename(absl::string_view path) {
  const size_t slash = path.find_last_of('/');
  return std::string(slash == absl::string_view::npos ? path : path.substr(slash + 1));
}

// Local-production words of SIPRI comments (lower case, matched as substrings).
constexpr const char* kLocalProductionWords[] = {
    "licence",     "license",          "assembled in",    "assembly in",
    "assembly of", "assembled/produced", "assembled from", "local production",
    "locally produc", "co-produc",     "coproduc"};

bool MentionsLocalProductionWord(absl::string_view lower) {
  for (const char* k : kLocalProductionWords) {
    if (absl::StrContains(lower, k)) return true;
  }
  return false;
}

// Words that may stand between the start of a comment clause and a local-production phrase when
// the clause is about the designation itself ("44 assembled/produced in", "incl some produced
// under licence in", "Developed for production under licence in"). A clause about the platform
// the designation is fitted to names that platform ("For 3 Djebel Chenoua FAC produced in
// Algeria", "... diesel engine for 515 Piranha APC produced in Switzerland"): its nouns are not
// in this list.
constexpr const char* kClauseWords[] = {
    "a",        "all",       "also",      "an",        "and",        "are",       "assembled",
    "assembly", "b",         "be",        "bn",        "co-produced", "copied",  "coproduced",
    "deal",     "designed",  "developed", "m",         "million",   "billion",
    "final",    "first",     "for",       "from",      "in",         "incl",      "including",
    "inl",      "is",        "kits",      "last",      "later",      "licence",   "licenced",
    "license",  "licensed",  "local",     "locally",   "many",       "more",      "most",
    "mostly",   "of",        "offset",    "offsets",   "or",         "partly",    "plus",
    "possibly", "probably",  "produced",  "production", "remaining", "rest",      "several",
    "some",     "the",       "them",      "to",        "under",      "was",       "were",
    "with"};

bool IsClauseWord(absl::string_view token) {
  token = absl::StripAsciiWhitespace(token);
  while (!token.empty() && (token.front() == '(' || token.front() == ',')) token.remove_prefix(1);
  while (!token.empty() && (token.back() == ')' || token.back() == ',' || token.back() == '.' ||
                            token.back() == ':')) {
    token.remove_suffix(1);
  }
  if (token.empty()) return true;
  // Money ("$705", "eur195", "aud3.8b"): a deal's value says nothing about the platform.
  for (absl::string_view currency : {"$", "usd", "eur", "gbp", "aud", "cad", "nok", "sek", "dkk",
                                     "inr", "thb", "krw", "jpy", "chf", "bfr", "ffr", "dm"}) {
    if (absl::StartsWith(token, currency) && token.size() > currency.size() &&
        absl::ascii_isdigit(static_cast<unsigned char>(token[currency.size()]))) {
      token.remove_prefix(currency.size());
      while (!token.empty() && absl::ascii_isalpha(static_cast<unsigned char>(token.back()))) {
        token.remove_suffix(1);  // "1.1b", "195m"
      }
      break;
    }
  }
  if (token.empty()) return true;
  if (absl::ascii_isdigit(static_cast<unsigned char>(token.front()))) {  // "44", "65-75", "40%"
    for (char c : token) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-' && c != '+' &&
          c != '?' && c != '%' && c != '~' && c != '.') {
        return false;
      }
    }
    return true;
  }
  for (const char* w : kClauseWords) {
    if (token == w) return true;
  }
  return false;
}

// Whether the phrase at `pos` of the lower-cased comment is about the designation: the text
// since the clause began (after ';', '(' or " and ") holds only kClauseWords and counts.
bool PhraseIsAboutDesignation(absl::string_view lower, size_t pos) {
  size_t begin = 0;
  for (absl::string_view sep : {";", "(", " and "}) {
    const size_t b = lower.rfind(sep, pos == 0 ? 0 : pos - 1);
    if (b != absl::string_view::npos && b < pos) begin = std::max(begin, b + sep.size());
  }
  for (absl::string_view token :
       absl::StrSplit(lower.substr(begin, pos - begin), absl::ByAnyChar(" /"), absl::SkipEmpty())) {
    if (!IsClauseWord(token)) return false;
  }
  return true;
}

// A phrase of `words` (or "produced in <name>") found in `lower` where it is about the
// designation.
bool FindPhraseAboutDesignation(absl::string_view lower, absl::string_view phrase) {
  for (size_t p = lower.find(phrase); p != absl::string_view::npos;
       p = lower.find(phrase, p + 1)) {
    if (PhraseIsAboutDesignation(lower, p)) return true;
  }
  return false;
}

// ---- the import, step by step ----------------------------------------------------------------

// A platform type being built: one per designation (per designation and supplier for generic
// designations).
struct PlatformAcc {
  std::string id;
  std::string name;
  std::vector<int> lines;  // the first kMaxLinesShown
  int rows = 0;
  const DomainRule* rule = nullptr;
  std::string domain_why;
  bool generic = false;  // IsGenericSipriDesignation: id and name carry the supplier
};

struct NationAcc {
  std::string id;
  std::string name;  // first SIPRI spelling seen
};

// Everything the steps share.
struct Importer {
  absl::string_view file;
  const SipriOptions& options;
  SipriImport out;
  int cols[kNumCols];
  int width = 0;                   // effective width of the header
  bool trailing_semicolon = false;  // every line of the export ends in ';'
  std::map<std::string, int> skip_counts;

  std::vector<Row> rows;
  std::vector<PlatformAcc> platforms;
  absl::flat_hash_map<std::string, int32_t> platform_index;  // id -> index
  std::vector<NationAcc> nations;
  absl::flat_hash_map<std::string, int32_t> nation_by_name;  // SIPRI spelling -> index
  absl::flat_hash_map<std::string, int32_t> nation_by_id;
  // (supplier, recipient, platform, order year) -> index in `rows`; only with a source column.
  absl::flat_hash_map<std::string, size_t> deals;
  std::vector<std::string> deal_sources;  // per row, only with a source column

  Importer(absl::string_view f, const SipriOptions& o) : file(f), options(o) {}

  void Skip(int line, absl::string_view kind, std::string reason) {
    ++skip_counts[std::string(kind)];
    out.skipped.push_back({line, std::move(reason)});
  }
  void Warn(int line, std::string reason) { out.warnings.push_back({line, std::move(reason)}); }

  int32_t NationIndex(const std::string& name, int line);
  int32_t PlatformIndex(const std::string& designation, int32_t supplier, int line);
  absl::Status FindHeader(CsvReader& reader, CsvRecord& rec);
  void ReadRow(const CsvRecord& r);
  void BuildNations();
  void BuildPlatforms();
  void BuildHoldings();
};

// Drops the ';' a "trailing separator" export puts after the last field of every line.
void StripTrailingSemicolons(CsvRecord* r) {
  int last = EffectiveWidth(*r) - 1;
  if (last < 0) return;
  std::string& f = r->fields[last];
  while (!f.empty() && (f.back() == ';' || absl::ascii_isspace(static_cast<unsigned char>(f.back())))) {
    f.pop_back();
  }
}

absl::Status Importer::FindHeader(CsvReader& reader, CsvRecord& rec) {
  int preamble = 0;
  while (reader.Next(&rec)) {
    if (IsBlankRecord(rec)) continue;
    if (preamble > options.max_preamble_records) break;
    std::fill(std::begin(cols), std::end(cols), -1);
    const int last = EffectiveWidth(rec) - 1;
    for (size_t f = 0; f < rec.fields.size(); ++f) {
      absl::string_view raw = rec.fields[f];
      if (static_cast<int>(f) == last) raw = absl::StripTrailingAsciiWhitespace(raw);
      if (static_cast<int>(f) == last) {
        while (absl::ConsumeSuffix(&raw, ";")) {
        }
      }
      const std::string name = NormalizeHeader(raw);
      if (name.empty()) continue;
      for (const ColumnAliases& a : kColumns) {
        if (cols[a.col] >= 0) continue;
        for (const char* alias : a.names) {
          if (alias != nullptr && name == alias) cols[a.col] = static_cast<int>(f);
        }
      }
    }
    if (cols[kSupplier] >= 0 && cols[kRecipient] >= 0 && cols[kDesignation] >= 0) {
      trailing_semicolon = absl::EndsWith(
          absl::StripTrailingAsciiWhitespace(rec.fields[last]), ";");
      if (trailing_semicolon) StripTrailingSemicolons(&rec);
      out.header_line = rec.line;
      out.preamble_lines = preamble;
      width = EffectiveWidth(rec);
      break;
    }
    ++preamble;
  }
  if (out.header_line == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": no header row: expected a line naming Supplier, Recipient and (Weapon) "
              "designation columns after at most ",
        options.max_preamble_records, " non-blank preamble lines; is this a SIPRI trade register?"));
  }
  if (cols[kLocalProduction] >= 0) {
    out.layout = SipriLayout::kNewer;
  } else if (cols[kComments] >= 0) {
    out.layout = SipriLayout::kOlder;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ":", out.header_line,
        ": the header has neither a 'Local production' column (newer layout) nor a 'Comments' "
        "column (older layout), so local production cannot be told"));
  }
  if (cols[kDelivered] < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ":", out.header_line, ": the header has no number delivered column"));
  }
  return absl::OkStatus();
}

int32_t Importer::NationIndex(const std::string& name, int line) {
  if (auto it = nation_by_name.find(name); it != nation_by_name.end()) return it->second;
  std::string id(SipriNationId(name));
  if (id.empty()) {
    id = SanitizeId(absl::AsciiStrToUpper(name));
    if (id.size() == 3) absl::StrAppend(&id, "_");  // never collide with an ISO code
    // A name with no id character left (e.g. only bytes outside [A-Za-z0-9._:-]): an id from
    // its bytes, so the nation keeps a valid, deterministic id.
    if (id.empty()) id = absl::StrCat("X-", absl::BytesToHexString(name.substr(0, 24)));
    Warn(line, absl::StrCat("country ", Quote(name), " is not in the importer's ISO 3166 table; id '",
                            id, "' used"));
  }
  auto [it, inserted] = nation_by_id.emplace(id, static_cast<int32_t>(nations.size()));
  if (inserted) nations.push_back({id, name});
  nation_by_name.emplace(name, it->second);
  return it->second;
}

int32_t Importer::PlatformIndex(const std::string& designation, int32_t supplier, int line) {
  std::string id = SanitizeId(designation);
  if (id.empty()) return -1;
  const bool generic = IsGenericSipriDesignation(designation);
  if (generic) absl::StrAppend(&id, ".", nations[supplier].id);
  auto [it, inserted] = platform_index.emplace(id, static_cast<int32_t>(platforms.size()));
  if (inserted) {
    PlatformAcc p;
    p.id = std::move(id);
    p.name = generic ? absl::StrCat(designation, " (", nations[supplier].name, ")") : designation;
    p.generic = generic;
    platforms.push_back(std::move(p));
  }
  PlatformAcc& p = platforms[it->second];
  if (p.lines.size() < kMaxLinesShown) p.lines.push_back(line);
  ++p.rows;
  return it->second;
}

void Importer::ReadRow(const CsvRecord& r) {
  ++out.data_rows;
  const int n = static_cast<int>(r.fields.size());
  if (r.unterminated_quote) {
    Skip(r.line, "unterminated quote",
         "unterminated quoted field (the quote runs to the end of the file)");
    return;
  }
  if (n < width) {
    Skip(r.line, "too few fields",
         absl::StrCat("has ", n, " field(s), the header (line ", out.header_line, ") has ", width,
                      ": a truncated row, note or footer line"));
    return;
  }
  if (EffectiveWidth(r) > width) {
    Skip(r.line, "too many fields",
         absl::StrCat("has data in field ", EffectiveWidth(r), " but the header (line ",
                      out.header_line, ") has ", width,
                      " columns: an unquoted comma inside a field?"));
    return;
  }
  const std::string supplier = Field(r, cols[kSupplier]);
  const std::string recipient = Field(r, cols[kRecipient]);
  const std::string designation = Field(r, cols[kDesignation]);
  if (supplier.empty() || recipient.empty() || designation.empty()) {
    const char* what = supplier.empty() ? "supplier" : recipient.empty() ? "recipient" : "designation";
    Skip(r.line, absl::StrCat("empty ", what), absl::StrCat("empty ", what));
    return;
  }
  if (IsUnknownParty(supplier) || IsUnknownParty(recipient)) {
    const bool s = IsUnknownParty(supplier);
    Skip(r.line, "unknown supplier or recipient",
         absl::StrCat(s ? "supplier " : "recipient ", Quote(s ? supplier : recipient),
                      " is not known to SIPRI; no nation to attach it to"));
    return;
  }
  if (absl::EndsWith(supplier, "*") || absl::EndsWith(recipient, "*")) {
    Skip(r.line, "organisation or non-state actor",
         absl::StrCat(Quote(absl::EndsWith(supplier, "*") ? supplier : recipient),
                      " is an organisation or non-state actor (SIPRI marks them with '*'), "
                      "not a nation"));
    return;
  }
  if (SanitizeId(designation).empty()) {
    Skip(r.line, "unusable designation",
         absl::StrCat("designation ", Quote(designation), " gives no usable id"));
    return;
  }
  absl::StatusOr<int64_t> delivered = ParseDeliveredNumber(Field(r, cols[kDelivered]));
  if (!delivered.ok()) {
    Skip(r.line, "unreadable number delivered", std::string(delivered.status().message()));
    return;
  }
  const std::string comments = Field(r, cols[kComments]);
  const std::string lower_comments = absl::AsciiStrToLower(comments);
  Row row;
  row.line = r.line;
  row.delivered = *delivered;
  row.has_comment = !comments.empty();
  // Second-hand: SIPRI's Status column when it has a value, else the comment.
  const std::string status = absl::AsciiStrToLower(Field(r, cols[kStatus]));
  if (absl::StartsWith(status, "second hand") || absl::StartsWith(status, "second-hand")) {
    row.second_hand = true;
  } else if (status == "new") {
    row.second_hand = false;
  } else {
    row.second_hand = absl::StrContains(lower_comments, "second-hand");
  }
  if (cols[kSource] >= 0) {
    const std::string source = Field(r, cols[kSource]);
    const std::string key = absl::StrCat(supplier, "\x1f", recipient, "\x1f",
                                         SanitizeId(designation), "\x1f",
                                         YearDigits(Field(r, cols[kOrderYear])));
    auto it = deals.find(key);
    if (it != deals.end() && deal_sources[it->second] != source) {
      Row& first = rows[it->second];
      Skip(r.line, "same deal in another extract",
           absl::StrCat("same deal (supplier, recipient, designation, order year) as line ",
                        first.line, " from another extract (", Quote(deal_sources[it->second]),
                        "); counted once"));
      // The other extract's comment describes the same deal: keep what it says.
      if (!first.has_comment && !comments.empty()) {
        first.has_comment = true;
        first.second_hand = absl::StrContains(lower_comments, "second-hand");
      }
      return;
    }
    if (it == deals.end()) deals.emplace(key, rows.size());
    deal_sources.push_back(source);
  }
  // Local production.
  const std::string lp = cols[kLocalProduction] >= 0 ? Field(r, cols[kLocalProduction]) : "";
  const bool have_comments = cols[kComments] >= 0;
  if (std::optional<bool> yn = ParseYesNo(lp); yn.has_value()) {
    row.local_production = *yn;
  } else if (!lp.empty() && MentionsLocalProductionWord(absl::AsciiStrToLower(lp))) {
    row.local_production = true;  // the reference extract's note beside the comment
  } else {
    if (!lp.empty()) {
      Warn(r.line, absl::StrCat("local production value ", Quote(lp), " not recognised; ",
                                have_comments ? "read from the comment" : "taken as no"));
    }
    row.local_production = have_comments && CommentMentionsLocalProduction(comments, recipient);
  }
  row.supplier = NationIndex(supplier, r.line);
  row.recipient = NationIndex(recipient, r.line);
  row.platform = PlatformIndex(designation, row.supplier, r.line);
  if (IsGenericSipriDesignation(designation)) ++out.generic_rows;
  // Domain and roles: the first row whose description, category or group says.
  PlatformAcc& p = platforms[row.platform];
  if (p.rule == nullptr) {
    const std::string description = Field(r, cols[kDescription]);
    const std::string category = Field(r, cols[kCategory]);
    const std::string group = Field(r, cols[kGroup]);
    if ((p.rule = MatchDescription(description)) != nullptr) {
      p.domain_why = absl::StrCat("from weapon description ", Quote(description));
    } else if ((p.rule = MatchDescription(category)) != nullptr) {
      p.domain_why = absl::StrCat("from armament category ", Quote(category));
    } else if ((p.rule = MatchGroup(group)) != nullptr) {
      p.domain_why = absl::StrCat("from platform group ", Quote(group));
    }
  }
  if (row.delivered == 0) {
    Warn(r.line, absl::StrCat("no units delivered (", Quote(Field(r, cols[kDelivered])),
                              "); platform type and nations kept, no holdings"));
  }
  rows.push_back(row);
}

void Importer::BuildNations() {
  std::vector<int32_t> order(nations.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::sort(order.begin(), order.end(),
            [&](int32_t a, int32_t b) { return nations[a].id < nations[b].id; });
  const std::string file_name = Basename(file);
  for (int32_t i : order) {
    v1::Nation* nat = out.model.add_nations();
    nat->set_id(nations[i].id);
    nat->set_name(nations[i].name);
    nat->set_partner_category(v1::Nation::OTHER);
    nat->set_supply_risk(v1::Nation::NONE);
    nat->set_source(absl::StrCat(kSipriAttribution, " (country name ", Quote(nations[i].name),
                                 " in ", file_name, "). partner_category OTHER, supply_risk NONE: "
                                 "assumption: not in SIPRI data."));
  }
}

void Importer::BuildPlatforms() {
  const std::string file_name = Basename(file);
  // Rows grouped by platform (counting sort: stable, so each group keeps file order).
  std::vector<int32_t> start(platforms.size() + 1, 0);
  for (const Row& r : rows) ++start[r.platform + 1];
  for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
  std::vector<int32_t> by_platform(rows.size());
  {
    std::vector<int32_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < rows.size(); ++i) by_platform[next[rows[i].platform]++] = static_cast<int32_t>(i);
  }
  std::vector<int32_t> order(platforms.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::sort(order.begin(), order.end(),
            [&](int32_t a, int32_t b) { return platforms[a].id < platforms[b].id; });
  const absl::string_view us_nation = UsNationId(out.model);
  for (int32_t pi : order) {
    const PlatformAcc& acc = platforms[pi];
    const int first_line = acc.lines.front();
    // Designer: the supplier of most first-hand rows (all rows if none), then of most units
    // delivered, then the smaller id.
    std::map<std::string, std::pair<int, int64_t>> first_hand, all;  // id -> (rows, units)
    for (int32_t k = start[pi]; k < start[pi + 1]; ++k) {
      const Row& r = rows[by_platform[k]];
      const std::string& sid = nations[r.supplier].id;
      all[sid].first++;
      all[sid].second += r.delivered;
      if (!r.second_hand) {
        first_hand[sid].first++;
        first_hand[sid].second += r.delivered;
      }
    }
    const auto& pool = first_hand.empty() ? all : first_hand;
    std::string designer;
    std::pair<int, int64_t> best = {-1, -1};
    for (const auto& [id, score] : pool) {  // ascending id: a tie keeps the smaller id
      if (score > best) {
        designer = id;
        best = score;
      }
    }
    if (first_hand.empty()) {
      Warn(first_line, absl::StrCat("platform '", acc.id, "': every row is second-hand; designer "
                                    "nation taken as the most frequent supplier, ", designer));
    }
    if (all.size() > 1) {
      std::vector<std::string> others;
      for (const auto& [id, score] : all) {
        if (id != designer) others.push_back(absl::StrCat(id, " (", score.first, ")"));
      }
      Warn(first_line,
           absl::StrCat("platform '", acc.id, "': designer nation taken as ", designer, " (",
                        best.first, " of ", acc.rows, " rows",
                        first_hand.empty() ? "" : ", first-hand", "); other suppliers ",
                        absl::StrJoin(others, ", "), " treated as re-exporters"));
    }
    std::set<std::string> producers = {designer};  // plus recipients producing locally
    for (int32_t k = start[pi]; k < start[pi + 1]; ++k) {
      const Row& r = rows[by_platform[k]];
      if (nations[r.supplier].id == designer && r.local_production) {
        producers.insert(nations[r.recipient].id);
      }
    }
    v1::PlatformType* p = out.model.add_platforms();
    p->set_id(acc.id);
    p->set_name(acc.name);
    p->set_designer_nation(designer);
    for (const std::string& id : producers) p->add_producer_nations(id);
    p->set_sourcing(ExpectedSourcing(designer, producers, us_nation));
    std::string sourcing_why;
    switch (p->sourcing()) {
      case v1::US_BUILT:
        sourcing_why = "US_BUILT (US supplier, no local or licence production recorded)";
        break;
      case v1::CO_PRODUCED: {
        std::vector<absl::string_view> abroad;  // the recipients producing locally
        for (const std::string& id : producers) {
          if (id != us_nation) abroad.push_back(id);
        }
        sourcing_why = absl::StrCat("CO_PRODUCED (US supplier; local or licence production in ",
                                    absl::StrJoin(abroad, ", "), ")");
        break;
      }
      default:
        sourcing_why = absl::StrCat("THIRD_PARTY (non-US supplier ", designer, ")");
        break;
    }
    std::string domain_why = acc.domain_why;
    if (acc.rule != nullptr) {
      p->set_domain(acc.rule->domain);
      for (absl::string_view role : absl::StrSplit(acc.rule->roles, ',', absl::SkipEmpty())) {
        p->add_roles(std::string(role));
      }
    } else {
      p->set_domain(options.default_domain);
      domain_why = absl::StrCat("assumption: importer default ",
                                v1::Domain_Name(options.default_domain),
                                " (no description, category or known platform group)");
      Warn(first_line, absl::StrCat("platform '", acc.id, "': no weapon description, category or "
                                    "known platform group; domain ",
                                    v1::Domain_Name(options.default_domain), " assumed"));
    }
    p->set_tier(options.default_tier);
    const bool generic = acc.generic;
    p->set_source(absl::StrCat(
        kSipriAttribution, ": designation ", Quote(acc.name), " in ", file_name, " line(s) ",
        LinesList(acc.lines, acc.rows), ".",
        generic ? " A generic SIPRI designation (a class of items, not one design): kept apart "
                  "per supplier nation, so it may still group several designs of that supplier."
                : "",
        " Derived by coalition import sipri, not by SIPRI: designer_nation ", designer,
        " = supplier of most first-hand rows; sourcing ", sourcing_why,
        "; producer_nations = designer plus recipients producing locally; domain ",
        v1::Domain_Name(p->domain()), " ", domain_why, ". tier ",
        v1::Tier_Name(options.default_tier),
        ": assumption: importer default, SIPRI has no tier. unit_cost_musd unset: SIPRI TIVs "
        "are not prices."));
  }
}

void Importer::BuildHoldings() {
  // Delivered units summed per (recipient, platform).
  absl::flat_hash_map<std::pair<int32_t, int32_t>, int64_t> held;
  for (const Row& r : rows) {
    if (r.delivered > 0) held[{r.recipient, r.platform}] += r.delivered;
  }
  std::vector<std::pair<std::string, std::pair<std::pair<int32_t, int32_t>, int64_t>>> sorted;
  sorted.reserve(held.size());
  for (const auto& [key, units] : held) {
    sorted.push_back({absl::StrCat(nations[key.first].id, ":", platforms[key.second].id),
                      {key, units}});
  }
  held.clear();
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::string file_name = Basename(file);
  out.holdings.set_name(options.mix_name);
  out.holdings.set_description(absl::StrCat(
      "Holdings per recipient from the SIPRI trade register ", file_name,
      ": units delivered, summed per recipient and designation."));
  out.holdings.set_source(absl::StrCat(
      kSipriAttribution, ". Quantities are sums of delivered numbers computed by coalition "
                         "import sipri (not SIPRI figures); SIPRI records only international "
                         "transfers, so producers' own fleets and losses, retirements and "
                         "re-exports are not reflected."));
  for (auto& [id, h] : sorted) {
    v1::ForceElement* e = out.holdings.add_elements();
    e->set_id(std::move(id));
    e->set_platform(platforms[h.first.second].id);
    e->set_nation(nations[h.first.first].id);
    e->set_quantity(h.second);
  }
}

}  // namespace

absl::string_view SipriLayoutName(SipriLayout layout) {
  return layout == SipriLayout::kOlder ? "older (Comments column)"
                                       : "newer (Local production column)";
}

absl::string_view SipriNationId(absl::string_view sipri_name) {
  for (const auto& [name, id] : kNations) {
    if (sipri_name == name) return id;
  }
  return "";
}

bool IsGenericSipriDesignation(absl::string_view designation) {
  designation = absl::StripAsciiWhitespace(designation);
  return !designation.empty() && absl::ascii_islower(static_cast<unsigned char>(designation[0]));
}

bool CommentMentionsLocalProduction(absl::string_view comment, absl::string_view recipient) {
  const std::string c = absl::AsciiStrToLower(comment);
  for (const char* k : kLocalProductionWords) {
    if (FindPhraseAboutDesignation(c, k)) return true;
  }
  if (!recipient.empty()) {
    std::vector<std::string> names = {absl::AsciiStrToLower(recipient)};
    if (names[0] == "turkiye") names.push_back("turkey");
    if (names[0] == "united kingdom") names.push_back("uk");
    for (const std::string& n : names) {
      if (FindPhraseAboutDesignation(c, absl::StrCat("produced in ", n))) return true;
    }
  }
  return false;
}

absl::StatusOr<int64_t> ParseDeliveredNumber(absl::string_view text) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  if (s.empty()) return 0;
  // "... / 40 delivered", "40 delivered in window": the count right before "delivered".
  const size_t d = absl::AsciiStrToLower(s).find("delivered");
  if (d != std::string::npos) s = absl::StripTrailingAsciiWhitespace(s.substr(0, d));
  if (d != std::string::npos) {
    size_t start = s.size();
    while (start > 0 && (absl::ascii_isdigit(static_cast<unsigned char>(s[start - 1])) ||
                         s[start - 1] == '?' || s[start - 1] == '(' || s[start - 1] == ')')) {
      --start;
    }
    s = s.substr(start);
  }
  std::string digits;
  for (char c : s) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != '?' && c != '(' && c != ')' && c != '~' && c != ' ') {
      return absl::InvalidArgumentError(absl::StrCat("cannot read a number delivered from ",
                                                     Quote(text)));
    }
  }
  int64_t v = 0;
  if (digits.empty() || !absl::SimpleAtoi(digits, &v)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read a number delivered from ", Quote(text)));
  }
  return v;
}


absl::StatusOr<SipriImport> ImportSipri(absl::string_view bytes, absl::string_view file,
                                        const SipriOptions& options) {
  std::string storage;  // the UTF-8 text when the input is latin-1
  ASSIGN_OR_RETURN(absl::string_view text, DecodeTextView(bytes, file, &storage));
  Importer imp(file, options);
  CsvReader reader(text);
  CsvRecord rec, next;
  RETURN_IF_ERROR(imp.FindHeader(reader, rec));
  bool have_next = reader.Next(&next);
  while (have_next) {
    std::swap(rec, next);
    have_next = reader.Next(&next);
    if (imp.trailing_semicolon) StripTrailingSemicolons(&rec);
    if (IsBlankRecord(rec)) continue;
    // A line break inside an unquoted comment (exports write the comment's own CRLF into an
    // LF file) splits a deal in two short pieces: join them when together they fill the header.
    const int n = static_cast<int>(rec.fields.size());
    if (have_next && !rec.unterminated_quote && n < imp.width) {
      if (imp.trailing_semicolon) StripTrailingSemicolons(&next);
      const int n2 = static_cast<int>(next.fields.size());
      if (n2 < imp.width && n + n2 - 1 >= imp.width && n + EffectiveWidth(next) - 1 <= imp.width) {
        absl::StrAppend(&rec.fields.back(), "\n", next.fields[0]);
        for (int k = 1; k < n2; ++k) rec.fields.push_back(next.fields[k]);
        rec.unterminated_quote = next.unterminated_quote;
        imp.out.warnings.push_back(
            {rec.line, absl::StrCat("row continues on line ", next.line,
                                    " (a line break inside a field); read as one row")});
        ++imp.out.joined_rows;
        have_next = reader.Next(&next);
      }
    }
    imp.ReadRow(rec);
  }
  imp.out.rows_used = static_cast<int>(imp.rows.size());
  // Counted at the end: a duplicate from another extract may lend a row its comment.
  for (const Row& r : imp.rows) imp.out.second_hand_rows += r.second_hand ? 1 : 0;
  imp.BuildNations();
  imp.BuildPlatforms();
  imp.BuildHoldings();
  for (const auto& [kind, count] : imp.skip_counts) imp.out.skipped_by_reason.push_back({kind, count});
  auto by_line = [](const RowIssue& a, const RowIssue& b) { return a.line < b.line; };
  std::stable_sort(imp.out.skipped.begin(), imp.out.skipped.end(), by_line);
  std::stable_sort(imp.out.warnings.begin(), imp.out.warnings.end(), by_line);
  return std::move(imp.out);
}

}  // namespace coalition::importers
