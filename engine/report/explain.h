// The sentences a planner reads about typed results: changes, fixes, paths and gap
// explanations (SPEC §3). The analyses return typed fields only; every renderer that prints a
// sentence about them calls these, so each sentence is written once.
//
//   std::string s = GapExplanation(gap);   // "A reaches B at 2 (STRUCTURED); needs 3 ..."
//   std::string c = ChangeText(change);    // "release LINK16 to UKR"
//
// Deterministic; no errors (unknown or empty fields render as they are).
#ifndef COALITION_ENGINE_REPORT_EXPLAIN_H_
#define COALITION_ENGINE_REPORT_EXPLAIN_H_

#include <string>

#include "absl/strings/string_view.h"

#include "coalition/v1/change.pb.h"
#include "coalition/v1/report.pb.h"
#include "google/protobuf/repeated_field.h"

namespace coalition::report {

// "ISOLATED" .. "SEAMLESS_INFORMATION" ("?" outside 0..4).
const char* LevelName(int level);
// "embargo CHN", "release LINK16 to UKR", "fit JREAP to F16", "add 4 x F16 operated by POL",
// "upgrade F16 from J5 to J6", "share information between POL and UKR", ...
std::string ChangeText(const coalition::v1::Change& change);
// ChangeText plus its cost when it has one: "fit JREAP to F16 (12 M$)", "release LINK16 to UKR".
std::string FixText(const coalition::v1::Fix& fix);
// Fixes joined with "; " (empty when none).
std::string FixesText(const google::protobuf::RepeatedPtrField<coalition::v1::Fix>& fixes);
// "LINK16/J6" for a data channel step, "HF/voice" for a voice channel.
std::string ChannelText(const coalition::v1::PathStep& step);
// "A -> LINK16/J6 -> [version bridge] -> LINK16/J5 -> [gateway G] -> ... -> B".
std::string PathText(const google::protobuf::RepeatedPtrField<coalition::v1::PathStep>& path);
// Policy blocks in short form: "LINK16 not releasable to UKR; no information sharing POL-UKR".
std::string BlocksText(const coalition::v1::Gap& gap);
// The whole explanation of a gap, from its typed fields.
std::string GapExplanation(const coalition::v1::Gap& gap);
// "12 pairs" or "4 elements": a count of units of an IER with that coverage (SPEC §3).
std::string UnitsText(int64_t units, coalition::v1::Coverage coverage);
// "all pairs", "each to", "each from": an IER's coverage as a planner reads it.
const char* CoverageName(coalition::v1::Coverage coverage);
// "3 months", "at once": a time to ground (SPEC §4).
std::string MonthsText(double months);
// "IER|FROM|TO" is never used: an IER pair reads "IER: FROM -> TO".
std::string IerPairText(const coalition::v1::IerPair& pair);
// A risk finding as a sentence: "E (P) needs C, made only by S1 (USA)", "... partly made in
// adversary nations: ...", "C in E (P) is ITAR-controlled and the operator N is neither USA nor
// in an itar_exempt group with it". us_nation: RiskReport.us_nation.
std::string RiskFindingText(const coalition::v1::RiskFinding& finding,
                            absl::string_view us_nation);
// "NO_OP_REASON" as a phrase: "release LINK16 to UKR: already releasable to everyone".
std::string NoOpText(const coalition::v1::NoOp& no_op);
// Why a gap report has nothing to judge, or "" when it has: a mix with no IER evaluates no pair,
// so "no gaps" would wrongly read as success ("No IERs: mix \"M\" states no information exchange
// requirement, ...").
std::string NoIersNote(const coalition::v1::GapReport& report);
// Why most of a risk report is empty, or "" when it is not: when no element's platform lists a
// critical component, single sources, adversary dependency, ITAR and embargo exposure cannot be
// assessed and read zero; only sourcing shares are reported.
std::string NoComponentsNote(const coalition::v1::RiskReport& report);

}  // namespace coalition::report

#endif  // COALITION_ENGINE_REPORT_EXPLAIN_H_
