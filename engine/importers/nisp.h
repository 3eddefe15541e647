// Importer for the flattened NISP catalogue (NATO Interoperability Standards and Profiles,
// ADatP-34): CSV -> coalition.v1.DataStandard entries with family, version ordinal and edition.
//
// Recommended API:
//   ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
//   ASSIGN_OR_RETURN(NispImport imp, ImportNisp(bytes, path));
//   // imp.model.standards(): sorted by id; imp.skipped: rows not used, with line and reason.
//
// Terms. The catalogue comes from the NATO Open Systems Working Group and Interoperability
// Profiles Capability Team's published database (MIT licence upstream); every `source` names it
// (kNispAttribution) and says that family and version ordinal are derived by this importer.
//
// Input. UTF-8 or latin-1 (csv.h DecodeText); lines before the header are ignored. The header
// is the first record (within 50 non-blank ones) naming a "pubnum" and a "title" column; also
// read, when present: "nispid" (the standard's id), "org", "date", "version", "element". Both
// "Standard" and "Cover Document" rows are imported.
//
// Family and edition (ParsePublicationNumber). Status markers "(RD)", "(Study)", "(FD)", "(INV)"
// and "FT" are ignored. Recognised series (family upper-cased, leading zeros dropped):
//   STANAG 5516 Ed 4                 -> STANAG-5516,      edition 4
//   ADatP-03 Ed A Ver 1 (any A...P)  -> ADATP-3,          edition A, version 1
//   ATDLP-6.16 II Ed B Ver 1         -> ATDLP-6.16-VOL2   (volumes "Vol N", roman numerals,
//   STANAG 4193 Ed 3 P1              -> STANAG-4193-P1     parts "P1"/"Part 1"/"PT 1" and
//                                                         "LEVEL n" are families)
//   ACP 113(AJ) Change 5, ACP 100 NS-1(P) -> ACP-113 (edition AJ, change 5), ACP-100-NS-1
//   MIL-STD-6017B                    -> MIL-STD-6017,     edition B
//   RFC 1034                         -> RFC-1034
// Anything else: the publication number without its trailing version tokens ("Ed X", "Ver N",
// "Rev N", "Change N", "2.0.2"), prefixed with the org unless it already starts with it:
// "TIFF Rev 6.0" (adobe) -> ADOBE-TIFF, version 6.0. Editions order numbers before letters
// (NATO moved from numbered STANAG editions to lettered AP editions), letters as A < B < ... <
// Z < AA < AB; then version, then change. The version ordinal is the 1-based rank of the
// edition within its family, so it is unique per family. The `edition` label is the
// publication number as written.
//
// Rows skipped (with line and reason): wrong width (too few fields, or data beyond the header),
// an unterminated quote, an empty publication number or title, an id used by an earlier row,
// and the same family and edition as an earlier row (e.g. "STANAG 4294 Ed 2" Part I and II
// share one publication number).
//
// Errors: InvalidArgument for empty or binary input and a missing header.
// Determinism: standards sorted by id. Complexity: O(bytes + rows log rows).
#ifndef COALITION_ENGINE_IMPORTERS_NISP_H_
#define COALITION_ENGINE_IMPORTERS_NISP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "coalition/v1/model.pb.h"
#include "engine/importers/csv.h"  // RowIssue

namespace coalition::importers {

inline constexpr absl::string_view kNispAttribution =
    "NISP catalogue (NATO Interoperability Standards and Profiles, ADatP-34), published by the "
    "NATO Open Systems Working Group and Interoperability Profiles Capability Team (MIT licence)";

struct NispImport {
  int header_line = 0;
  int data_rows = 0;  // non-blank records after the header
  int rows_used = 0;
  coalition::v1::Model model;      // standards only, sorted by id
  std::vector<RowIssue> skipped;  // by line
};

absl::StatusOr<NispImport> ImportNisp(absl::string_view bytes, absl::string_view file);

// A parsed publication number: family, and an edition key ordered as described above
// ({major, version, change}; 0 where absent).
struct PublicationNumber {
  std::string family;
  std::vector<int> edition_key;
};
PublicationNumber ParsePublicationNumber(absl::string_view pubnum, absl::string_view org);

}  // namespace coalition::importers

#endif  // COALITION_ENGINE_IMPORTERS_NISP_H_
