// Importer for SIPRI Arms Transfers Database trade registers: CSV -> a coalition.v1 model
// fragment (nations, platform types) and a holdings force mix.
//
// Recommended API:
//   ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
//   ASSIGN_OR_RETURN(SipriImport imp, ImportSipri(bytes, path, SipriOptions{}));
//   for (const RowIssue& s : imp.skipped) std::cerr << path << ":" << s.line << ": " << s.reason;
//   // imp.model: nations + platforms (sorted by id); imp.holdings: one element per
//   // (recipient, platform) with the delivered numbers summed.
//
// Terms. The SIPRI data may not be used commercially and calculations made from it must not be
// attributed to SIPRI: every `source` carries kSipriAttribution for the facts and says which
// values this importer derived (sourcing, producers, summed quantities) and which it assumed
// (tier, domain defaults, partner category, supply risk). SIPRI records only international
// transfers, so a producer's own fleet never appears in the holdings.
//
// Input. The bytes may be UTF-8 (with or without a byte-order mark) or latin-1 (see csv.h
// DecodeText); LF, CRLF or CR line ends. Lines before the header are a preamble and ignored
// (title, "Data generated: ...", notes). The header is the first record (after at most
// SipriOptions::max_preamble_records non-blank ones) that names a supplier, a recipient and a
// designation column. Columns are matched by name, case-insensitively, in any order (aliases in
// sipri.cc kColumns); unnamed columns (the old register's "?" estimate markers) are ignored.
// Exports whose every line ends in ';' (the header's last field reads "Local production;") are
// recognised by the header: the trailing ';' of every line is dropped, so "Yes;" reads "Yes" and
// a preamble or blank line ";" is blank. Two layouts, told apart by the header:
//   kNewer  a "Local production" column (also "local_production_flag"): Yes/No decides; an empty
//           value falls back to the comments when the file has a comments column, and a value
//           that itself mentions licence/assembly/local production counts as yes. This is the
//           layout of SIPRI's current exports ("SIPRI AT Database ID,...,Status,...,Local
//           production", one row per deal and delivery year, no comments) and of the project's
//           reference extract (sipri_platform_subset.csv).
//   kOlder  no such column but a "Comments" column: local production is read from the comment
//           (CommentMentionsLocalProduction: only where the comment is about this designation).
// Second-hand: the "Status" column ("New", "Second hand", "Second hand but modernized") when the
// file has one and the row a value there; otherwise "second-hand" in the comment.
// Numbers delivered: a bare count ("12", "(12)", "12?"), "N delivered in window" or
// "X ordered / Y delivered"; empty means none delivered yet.
//
// Rows. Every record after the header is a blank line (ignored: no data), a used row, or a
// skipped row reported in `skipped` with its 1-based line and reason (and counted per reason in
// `skipped_by_reason`): too few fields, extra non-empty fields (extra empty ones, i.e. trailing
// separators, are fine), an unterminated quote, an empty supplier/recipient/designation, a
// supplier SIPRI itself does not know ("unknown supplier(s)"), an organisation or non-state actor
// (SIPRI marks them with '*', e.g. "NATO**"), an unreadable number delivered, or - in a file that
// unions several extracts (a "source" column with different values) - the same deal (supplier,
// recipient, designation, order year) already read from another extract, which would otherwise
// be counted twice. A record too short for the header followed by one that completes it (a line
// break written unquoted inside a comment) is read as one row, with a warning. Footer lines are
// skipped rows like any other (their width is wrong). Used rows with nothing delivered give a
// warning.
//
// Derivations (per platform type = per sanitized designation; a generic designation - one SIPRI
// writes in lower case, "vehicle engine 301-400", "aircraft engine", "ship engine" - names a
// class of items, so it gives one platform type per supplier nation, id "<designation>.<ISO>",
// name "<designation> (<supplier>)", never one type merging every nation's products):
//   designer_nation  the supplier of most of its rows that are not second-hand; all rows when
//                    every row is second-hand (warned). Ties: more units delivered, then the
//                    smaller nation id. Other suppliers give a warning. A duplicate skipped from
//                    another extract lends its comment to the row kept when that row has none
//                    (the reference file's export rows carry no comment).
//   producer_nations the designer plus every recipient of a designer-supplied row with local
//                    production; sorted.
//   sourcing         ExpectedSourcing(designer, producer_nations, the default US nation)
//                    (engine/model/sourcing.h): designer USA: CO_PRODUCED when some recipient
//                    produced locally, else US_BUILT; any other designer: THIRD_PARTY.
//   domain, roles    from the weapon description or armament category when the file has one,
//                    else from the platform group (reference layout), else
//                    SipriOptions::default_domain, marked "assumption:" in the source.
//   tier             SipriOptions::default_tier, marked "assumption:".
// Nations: ISO 3166-1 alpha-3 ids from a built-in table of SIPRI's country names
// (SipriNationId); other names get SanitizeId(upper-cased name) and a warning. partner_category
// OTHER and supply_risk NONE, marked "assumption: not in SIPRI data".
//
// Errors: InvalidArgument (naming `file`) for empty or binary input, no header row, or a header
// with neither a local-production nor a comments column. A file whose rows are all skipped is
// not an error here (the caller decides; `coalition import sipri` exits 2).
// Determinism: entities sorted by id; the same bytes and file name give the same output.
// Complexity: O(bytes + rows log rows) time. Memory: the records are read one at a time; beside
// the input (and its UTF-8 copy when it is latin-1) about 32 bytes per used row plus the output
// (peak resident under 3x the input for a 200 MB register: tools/sipri_memory).
#ifndef COALITION_ENGINE_IMPORTERS_SIPRI_H_
#define COALITION_ENGINE_IMPORTERS_SIPRI_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/common.pb.h"
#include "coalition/v1/mix.pb.h"
#include "coalition/v1/model.pb.h"
#include "engine/importers/csv.h"  // RowIssue

namespace coalition::importers {

// The attribution SIPRI's terms ask for, quoted in every source field the importer writes.
inline constexpr absl::string_view kSipriAttribution =
    "Information from the SIPRI Arms Transfers Database, "
    "https://www.sipri.org/databases/armstransfers";

enum class SipriLayout { kOlder, kNewer };
// "older (Comments column)" / "newer (Local production column)".
absl::string_view SipriLayoutName(SipriLayout layout);

struct SipriOptions {
  // Tier given to every platform type (SIPRI has none).
  coalition::v1::Tier default_tier = coalition::v1::SECOND_TIER;
  // Domain when neither a description, a category nor a platform group says.
  coalition::v1::Domain default_domain = coalition::v1::LAND;
  // Name of the holdings mix.
  std::string mix_name = "sipri-holdings";
  // At most this many non-blank lines may come before the header.
  int max_preamble_records = 50;
};

struct SipriImport {
  SipriLayout layout = SipriLayout::kNewer;
  int header_line = 0;     // 1-based
  int preamble_lines = 0;  // non-blank records before the header
  int data_rows = 0;       // non-blank records after the header
  int rows_used = 0;       // data_rows - skipped.size()
  // Nations and platforms, each sorted by id. No mixes (see holdings).
  coalition::v1::Model model;
  // One element per (recipient, platform) with delivered units, id "<nation>:<platform>",
  // sorted by id.
  coalition::v1::ForceMix holdings;
  std::vector<RowIssue> skipped;   // by line
  std::vector<RowIssue> warnings;  // by line
  // Skipped rows counted per kind of reason ("too few fields", "empty designation", ...), sorted
  // by kind; the counts add up to skipped.size().
  std::vector<std::pair<std::string, int>> skipped_by_reason;
  int second_hand_rows = 0;  // used rows read as second-hand (Status column or comment)
  int generic_rows = 0;      // used rows with a generic designation (kept apart per supplier)
  int joined_rows = 0;       // rows read across a line break inside a field
};

absl::StatusOr<SipriImport> ImportSipri(absl::string_view bytes, absl::string_view file,
                                        const SipriOptions& options = {});

// ISO 3166-1 alpha-3 id for a SIPRI country name ("Turkiye" -> "TUR"), or "" when the built-in
// table lacks it. Case-sensitive on SIPRI's spelling; a few common variants are included.
absl::string_view SipriNationId(absl::string_view sipri_name);

// Whether a SIPRI comment says the recipient produced or assembled this weapon: "licence",
// "license", "assembled in", "assembly in", "assembly of", "assembled/produced", "local(ly)
// produc", "local production", "co-produc", or "produced in <recipient>" (case-insensitive),
// counted only where the phrase is about the designation itself: between the start of its
// clause (after ';', '(' or " and ") and the phrase stand only counts and words such as "incl",
// "some", "most", "probably", "assembled", "under", "designed for" ("44 assembled/produced in
// Australia", "Developed for production under licence in Chile"). A clause naming another
// platform is about that host ("For NASAMS SAM systems produced in Norway", "... diesel engine
// for 515 Piranha APC produced in Switzerland") and does not count. "production of components"
// alone does not count.
bool CommentMentionsLocalProduction(absl::string_view comment, absl::string_view recipient);

// Whether SIPRI writes `designation` as a generic designation (a class of items rather than one
// design): it starts with a lower-case letter ("vehicle engine 301-400", "aircraft engine",
// "ship engine AIP", "air refuel system"). "53-65" (a torpedo) is not generic.
bool IsGenericSipriDesignation(absl::string_view designation);

// Units delivered from a SIPRI number field (see the header comment); InvalidArgument otherwise.
absl::StatusOr<int64_t> ParseDeliveredNumber(absl::string_view text);

}  // namespace coalition::importers

#endif  // COALITION_ENGINE_IMPORTERS_SIPRI_H_
