#include "engine/importers/sipri.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

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

struct Row {
  int line = 0;
  std::string supplier, recipient, designation, description, category, group, order_year,
      comments, source_label;
  std::string supplier_id, recipient_id, platform_id;
  int64_t delivered = 0;
  bool local_production = false;
  bool second_hand = false;
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

std::string LinesList(const std::vector<int>& lines) {
  constexpr size_t kMax = 12;
  std::vector<int> shown(lines.begin(), lines.begin() + std::min(lines.size(), kMax));
  std::string s = absl::StrJoin(shown, ", ");
  if (lines.size() > kMax) absl::StrAppend(&s, " and ", lines.size() - kMax, " more");
  return s;
}

std::string Basename(absl::string_view path) {
  const size_t slash = path.find_last_of('/');
  return std::string(slash == absl::string_view::npos ? path : path.substr(slash + 1));
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

bool CommentMentionsLocalProduction(absl::string_view comment, absl::string_view recipient) {
  const std::string c = absl::AsciiStrToLower(comment);
  for (const char* k : {"licence", "license", "assembled in", "assembly in", "assembly of",
                        "assembled/produced", "assembled from", "local production",
                        "locally produc", "co-produc", "coproduc"}) {
    if (absl::StrContains(c, k)) return true;
  }
  if (!recipient.empty()) {
    std::vector<std::string> names = {absl::AsciiStrToLower(recipient)};
    if (names[0] == "turkiye") names.push_back("turkey");
    if (names[0] == "united kingdom") names.push_back("uk");
    for (const std::string& n : names) {
      if (absl::StrContains(c, absl::StrCat("produced in ", n))) return true;
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
  ASSIGN_OR_RETURN(std::string text, DecodeText(bytes, file));
  std::vector<CsvRecord> records = ParseCsv(text);

  // Header: the first record naming supplier, recipient and designation columns.
  int cols[kNumCols];
  size_t header = records.size();
  int preamble = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (IsBlankRecord(records[i])) continue;
    if (preamble > options.max_preamble_records) break;
    std::fill(std::begin(cols), std::end(cols), -1);
    for (size_t f = 0; f < records[i].fields.size(); ++f) {
      const std::string name = NormalizeHeader(records[i].fields[f]);
      if (name.empty()) continue;
      for (const ColumnAliases& a : kColumns) {
        if (cols[a.col] >= 0) continue;
        for (const char* alias : a.names) {
          if (alias != nullptr && name == alias) cols[a.col] = static_cast<int>(f);
        }
      }
    }
    if (cols[kSupplier] >= 0 && cols[kRecipient] >= 0 && cols[kDesignation] >= 0) {
      header = i;
      break;
    }
    ++preamble;
  }
  if (header == records.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": no header row: expected a line naming Supplier, Recipient and (Weapon) "
              "designation columns after at most ",
        options.max_preamble_records, " non-blank preamble lines; is this a SIPRI trade register?"));
  }
  SipriImport out;
  out.header_line = records[header].line;
  out.preamble_lines = preamble;
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
  const int width = EffectiveWidth(records[header]);

  auto skip = [&](int line, std::string reason) { out.skipped.push_back({line, std::move(reason)}); };
  auto warn = [&](int line, std::string reason) { out.warnings.push_back({line, std::move(reason)}); };

  std::vector<Row> rows;
  // (supplier, recipient, platform, order year) -> index in `rows` of the first row.
  absl::flat_hash_map<std::string, size_t> deals;
  std::map<std::string, std::string> nation_names;  // id -> SIPRI name (first seen)
  std::set<std::string> warned_names;

  auto nation_id = [&](const std::string& name, int line) {
    std::string id(SipriNationId(name));
    if (id.empty()) {
      id = SanitizeId(absl::AsciiStrToUpper(name));
      if (id.size() == 3) absl::StrAppend(&id, "_");  // never collide with an ISO code
      if (warned_names.insert(name).second) {
        warn(line, absl::StrCat("country ", Quote(name),
                                " is not in the importer's ISO 3166 table; id '", id, "' used"));
      }
    }
    nation_names.emplace(id, name);
    return id;
  };

  for (size_t i = header + 1; i < records.size(); ++i) {
    const CsvRecord& r = records[i];
    if (IsBlankRecord(r)) continue;
    ++out.data_rows;
    const int n = static_cast<int>(r.fields.size());
    if (r.unterminated_quote) {
      skip(r.line, "unterminated quoted field (the quote runs to the end of the file)");
      continue;
    }
    if (n < width) {
      skip(r.line, absl::StrCat("has ", n, " field(s), the header (line ", out.header_line,
                                ") has ", width, ": a truncated row, note or footer line"));
      continue;
    }
    if (EffectiveWidth(r) > width) {
      skip(r.line, absl::StrCat("has data in field ", EffectiveWidth(r), " but the header (line ",
                                out.header_line, ") has ", width,
                                " columns: an unquoted comma inside a field?"));
      continue;
    }
    Row row;
    row.line = r.line;
    row.supplier = Field(r, cols[kSupplier]);
    row.recipient = Field(r, cols[kRecipient]);
    row.designation = Field(r, cols[kDesignation]);
    row.description = Field(r, cols[kDescription]);
    row.category = Field(r, cols[kCategory]);
    row.group = Field(r, cols[kGroup]);
    row.order_year = Field(r, cols[kOrderYear]);
    row.comments = Field(r, cols[kComments]);
    row.source_label = Field(r, cols[kSource]);
    if (row.supplier.empty() || row.recipient.empty() || row.designation.empty()) {
      skip(r.line, absl::StrCat("empty ", row.supplier.empty()    ? "supplier"
                                          : row.recipient.empty() ? "recipient"
                                                                  : "designation"));
      continue;
    }
    if (IsUnknownParty(row.supplier) || IsUnknownParty(row.recipient)) {
      skip(r.line, absl::StrCat(IsUnknownParty(row.supplier) ? "supplier " : "recipient ",
                                Quote(IsUnknownParty(row.supplier) ? row.supplier : row.recipient),
                                " is not known to SIPRI; no nation to attach it to"));
      continue;
    }
    if (absl::EndsWith(row.supplier, "*") || absl::EndsWith(row.recipient, "*")) {
      skip(r.line,
           absl::StrCat(Quote(absl::EndsWith(row.supplier, "*") ? row.supplier : row.recipient),
                        " is an organisation or non-state actor (SIPRI marks them with '*'), "
                        "not a nation"));
      continue;
    }
    row.platform_id = SanitizeId(row.designation);
    if (row.platform_id.empty()) {
      skip(r.line, absl::StrCat("designation ", Quote(row.designation), " gives no usable id"));
      continue;
    }
    absl::StatusOr<int64_t> delivered = ParseDeliveredNumber(Field(r, cols[kDelivered]));
    if (!delivered.ok()) {
      skip(r.line, std::string(delivered.status().message()));
      continue;
    }
    row.delivered = *delivered;
    if (cols[kSource] >= 0) {
      const std::string key = absl::StrCat(row.supplier, "\x1f", row.recipient, "\x1f",
                                           row.platform_id, "\x1f", YearDigits(row.order_year));
      auto it = deals.find(key);
      if (it != deals.end() && rows[it->second].source_label != row.source_label) {
        Row& first = rows[it->second];
        skip(r.line, absl::StrCat("same deal (supplier, recipient, designation, order year) as "
                                  "line ", first.line, " from another extract (",
                                  Quote(first.source_label), "); counted once"));
        // The other extract's comment describes the same deal: keep what it says.
        if (first.comments.empty() && !row.comments.empty()) {
          first.comments = row.comments;
          first.second_hand =
              absl::StrContains(absl::AsciiStrToLower(first.comments), "second-hand");
        }
        continue;
      }
      if (it == deals.end()) deals.emplace(key, rows.size());
    }
    // Local production.
    const std::string lp = cols[kLocalProduction] >= 0 ? Field(r, cols[kLocalProduction]) : "";
    const bool have_comments = cols[kComments] >= 0;
    if (std::optional<bool> yn = ParseYesNo(lp); yn.has_value()) {
      row.local_production = *yn;
    } else if (!lp.empty() && CommentMentionsLocalProduction(lp, "")) {
      row.local_production = true;
    } else {
      if (!lp.empty()) {
        warn(r.line, absl::StrCat("local production value ", Quote(lp), " not recognised; ",
                                  have_comments ? "read from the comment" : "taken as no"));
      }
      row.local_production =
          have_comments && CommentMentionsLocalProduction(row.comments, row.recipient);
    }
    row.second_hand = absl::StrContains(absl::AsciiStrToLower(row.comments), "second-hand");
    row.supplier_id = nation_id(row.supplier, r.line);
    row.recipient_id = nation_id(row.recipient, r.line);
    if (row.delivered == 0) {
      warn(r.line, absl::StrCat("no units delivered (", Quote(Field(r, cols[kDelivered])),
                                "); platform type and nations kept, no holdings"));
    }
    rows.push_back(std::move(row));
  }
  out.rows_used = static_cast<int>(rows.size());

  const std::string file_name = Basename(file);
  const std::string assumption_nation =
      "partner_category OTHER, supply_risk NONE: assumption: not in SIPRI data";

  // Nations.
  for (const auto& [id, name] : nation_names) {
    v1::Nation* nat = out.model.add_nations();
    nat->set_id(id);
    nat->set_name(name);
    nat->set_partner_category(v1::Nation::OTHER);
    nat->set_supply_risk(v1::Nation::NONE);
    nat->set_source(absl::StrCat(kSipriAttribution, " (country name ", Quote(name), " in ",
                                 file_name, "). ", assumption_nation, "."));
  }

  // Platforms, grouped by id (std::map: sorted). Sourcing is relative to the fragment's US
  // nation: the default (SIPRI's "United States" maps to it).
  const absl::string_view us_nation = UsNationId(out.model);
  std::map<std::string, std::vector<const Row*>> by_platform;
  for (const Row& row : rows) by_platform[row.platform_id].push_back(&row);
  for (const auto& [pid, prow] : by_platform) {
    std::vector<int> lines;
    for (const Row* r : prow) lines.push_back(r->line);
    // Designer: the supplier of most first-hand rows (all rows if none), then of most units
    // delivered, then the smaller id.
    std::map<std::string, std::pair<int, int64_t>> first_hand, all;  // id -> (rows, units)
    for (const Row* r : prow) {
      all[r->supplier_id].first++;
      all[r->supplier_id].second += r->delivered;
      if (!r->second_hand) {
        first_hand[r->supplier_id].first++;
        first_hand[r->supplier_id].second += r->delivered;
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
      warn(prow.front()->line,
           absl::StrCat("platform '", pid, "': every row is second-hand; designer nation taken "
                                           "as the most frequent supplier, ",
                        designer));
    }
    if (all.size() > 1) {
      std::vector<std::string> others;
      for (const auto& [id, score] : all) {
        if (id != designer) others.push_back(absl::StrCat(id, " (", score.first, ")"));
      }
      warn(prow.front()->line,
           absl::StrCat("platform '", pid, "': designer nation taken as ", designer, " (",
                        best.first, " of ", prow.size(), " rows", first_hand.empty() ? "" : ", first-hand",
                        "); other suppliers ", absl::StrJoin(others, ", "),
                        " treated as re-exporters"));
    }
    std::set<std::string> producers = {designer};  // plus recipients producing locally
    for (const Row* r : prow) {
      if (r->supplier_id == designer && r->local_production) producers.insert(r->recipient_id);
    }
    v1::PlatformType* p = out.model.add_platforms();
    p->set_id(pid);
    p->set_name(prow.front()->designation);
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
    // Domain and roles: description, category, group, then the default.
    const DomainRule* rule = nullptr;
    std::string domain_why;
    for (const Row* r : prow) {
      if ((rule = MatchDescription(r->description)) != nullptr) {
        domain_why = absl::StrCat("from weapon description ", Quote(r->description));
      } else if ((rule = MatchDescription(r->category)) != nullptr) {
        domain_why = absl::StrCat("from armament category ", Quote(r->category));
      } else if ((rule = MatchGroup(r->group)) != nullptr) {
        domain_why = absl::StrCat("from platform group ", Quote(r->group));
      }
      if (rule != nullptr) break;
    }
    if (rule != nullptr) {
      p->set_domain(rule->domain);
      for (absl::string_view role : absl::StrSplit(rule->roles, ',', absl::SkipEmpty())) {
        p->add_roles(std::string(role));
      }
    } else {
      p->set_domain(options.default_domain);
      domain_why = absl::StrCat("assumption: importer default ",
                                v1::Domain_Name(options.default_domain),
                                " (no description, category or known platform group)");
      warn(prow.front()->line,
           absl::StrCat("platform '", pid, "': no weapon description, category or known "
                                           "platform group; domain ",
                        v1::Domain_Name(options.default_domain), " assumed"));
    }
    p->set_tier(options.default_tier);
    p->set_source(absl::StrCat(
        kSipriAttribution, ": designation ", Quote(prow.front()->designation), " in ", file_name,
        " line(s) ", LinesList(lines), ". Derived by coalition import sipri, not by SIPRI: "
        "designer_nation ", designer, " = supplier of most first-hand rows; sourcing ", sourcing_why,
        "; producer_nations = designer plus recipients producing locally; domain ",
        v1::Domain_Name(p->domain()), " ", domain_why, ". tier ",
        v1::Tier_Name(options.default_tier),
        ": assumption: importer default, SIPRI has no tier. unit_cost_musd unset: SIPRI TIVs "
        "are not prices."));
  }

  // Holdings: delivered units summed per (recipient, platform).
  std::map<std::string, std::pair<const Row*, int64_t>> held;
  for (const Row& row : rows) {
    if (row.delivered <= 0) continue;
    auto& h = held[absl::StrCat(row.recipient_id, ":", row.platform_id)];
    if (h.first == nullptr) h.first = &row;
    h.second += row.delivered;
  }
  out.holdings.set_name(options.mix_name);
  out.holdings.set_description(absl::StrCat(
      "Holdings per recipient from the SIPRI trade register ", file_name,
      ": units delivered, summed per recipient and designation."));
  out.holdings.set_source(absl::StrCat(
      kSipriAttribution, ". Quantities are sums of delivered numbers computed by coalition "
                         "import sipri (not SIPRI figures); SIPRI records only international "
                         "transfers, so producers' own fleets and losses, retirements and "
                         "re-exports are not reflected."));
  for (const auto& [id, h] : held) {
    v1::ForceElement* e = out.holdings.add_elements();
    e->set_id(id);
    e->set_platform(h.first->platform_id);
    e->set_nation(h.first->recipient_id);
    e->set_quantity(h.second);
  }

  auto by_line = [](const RowIssue& a, const RowIssue& b) { return a.line < b.line; };
  std::stable_sort(out.skipped.begin(), out.skipped.end(), by_line);
  std::stable_sort(out.warnings.begin(), out.warnings.end(), by_line);
  return out;
}

}  // namespace coalition::importers
