// Expected values below were worked out by hand from the extracts in testdata/ (see
// testdata/README.md for which reference rows each file holds and how the hand-made layouts were
// made), not by running the importer.
#include "engine/importers/sipri.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "coalition/v1/model.pb.h"
#include "engine/base/file_io.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coalition::importers {
namespace {

namespace v1 = ::coalition::v1;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

constexpr char kDir[] = "engine/importers/testdata/";

absl::StatusOr<SipriImport> Import(const std::string& name) {
  absl::StatusOr<std::string> bytes = ReadFile(absl::StrCat(kDir, name));
  if (!bytes.ok()) return bytes.status();
  return ImportSipri(*bytes, name);
}

const v1::PlatformType* Platform(const SipriImport& imp, const std::string& id) {
  for (const v1::PlatformType& p : imp.model.platforms()) {
    if (p.id() == id) return &p;
  }
  return nullptr;
}

std::map<std::string, int64_t> Holdings(const SipriImport& imp) {
  std::map<std::string, int64_t> h;
  for (const v1::ForceElement& e : imp.holdings.elements()) {
    EXPECT_EQ(e.id(), absl::StrCat(e.nation(), ":", e.platform()));
    h[e.id()] = e.quantity();
  }
  return h;
}

std::vector<int> Lines(const std::vector<RowIssue>& issues) {
  std::vector<int> lines;
  for (const RowIssue& i : issues) lines.push_back(i.line);
  return lines;
}

std::string ReasonAt(const std::vector<RowIssue>& issues, int line) {
  std::string all;
  for (const RowIssue& i : issues) {
    if (i.line == line) absl::StrAppend(&all, i.reason, "\n");
  }
  return all;
}

std::vector<std::string> Ids(const SipriImport& imp) {
  std::vector<std::string> ids;
  for (const v1::Nation& n : imp.model.nations()) ids.push_back(n.id());
  return ids;
}

// The imported model (with the holdings as a mix file) validates with no errors and no warnings.
void ExpectValid(const SipriImport& imp) {
  SourceInfo model_source("import.textproto"), mix_source("holdings.textproto");
  const v1::ValidationReport r =
      Validate(imp.model, model_source, {{&imp.holdings, &mix_source}});
  std::string diags;
  for (const v1::Diagnostic& d : r.diagnostics()) absl::StrAppend(&diags, FormatDiagnostic(d), "\n");
  EXPECT_EQ(r.errors(), 0) << diags;
  EXPECT_EQ(r.warnings(), 0) << diags;
}

void ExpectSourced(const SipriImport& imp) {
  for (const v1::Nation& n : imp.model.nations()) {
    EXPECT_THAT(n.source(), HasSubstr(std::string(kSipriAttribution)));
    EXPECT_THAT(n.source(), HasSubstr("assumption: not in SIPRI data"));
    EXPECT_EQ(n.partner_category(), v1::Nation::OTHER);
    EXPECT_EQ(n.supply_risk(), v1::Nation::NONE);
  }
  for (const v1::PlatformType& p : imp.model.platforms()) {
    EXPECT_THAT(p.source(), HasSubstr(std::string(kSipriAttribution)));
    EXPECT_THAT(p.source(), HasSubstr("not by SIPRI"));
    EXPECT_THAT(p.source(), HasSubstr("tier SECOND_TIER: assumption:"));
    EXPECT_EQ(p.tier(), v1::SECOND_TIER);
  }
  EXPECT_THAT(imp.holdings.source(), HasSubstr(std::string(kSipriAttribution)));
}

// ---- the reference layout (rows copied verbatim from sipri_platform_subset.csv) -------------

TEST(ImportSipriTest, ReferenceExtract) {
  ASSERT_OK_AND_ASSIGN(SipriImport imp, Import("sipri_reference_extract.csv"));
  EXPECT_EQ(imp.layout, SipriLayout::kNewer);
  EXPECT_EQ(imp.header_line, 1);
  EXPECT_EQ(imp.preamble_lines, 0);
  EXPECT_EQ(imp.data_rows, 32);
  EXPECT_EQ(imp.rows_used, 26);

  // Four deals appear in both extracts the reference file unions; the later copy is skipped.
  EXPECT_THAT(Lines(imp.skipped), ElementsAre(9, 10, 13, 17, 26, 28));
  EXPECT_THAT(ReasonAt(imp.skipped, 9), HasSubstr("same deal (supplier, recipient, designation, "
                                                  "order year) as line 8 from another extract"));
  EXPECT_THAT(ReasonAt(imp.skipped, 17), HasSubstr("as line 14"));
  EXPECT_THAT(ReasonAt(imp.skipped, 26), HasSubstr("'unknown supplier(s)' is not known to SIPRI"));
  EXPECT_THAT(ReasonAt(imp.skipped, 28), HasSubstr("'NATO**' is an organisation"));

  EXPECT_THAT(Lines(imp.warnings), ElementsAre(11, 12, 14, 18, 23, 30, 30));
  EXPECT_THAT(ReasonAt(imp.warnings, 11), HasSubstr("no units delivered ('88 ordered / 0 delivered')"));
  // Line 14 (Netherlands -> Chile F-16C) is second-hand per its duplicate's comment (line 17).
  EXPECT_THAT(ReasonAt(imp.warnings, 14), HasSubstr("'F-16C': every row is second-hand"));
  EXPECT_THAT(ReasonAt(imp.warnings, 18), HasSubstr("other suppliers DEU (1), ROU (1)"));

  EXPECT_THAT(Ids(imp), ElementsAreArray({"ARE", "AUS", "BEL", "CAN", "CHL", "DEU", "GBR", "ISR",
                                          "ITA", "JPN", "KOR", "LTU", "NLD", "POL", "ROU", "TUR",
                                          "UKR", "USA"}));
  ASSERT_EQ(imp.model.platforms_size(), 12);

  const v1::PlatformType* f35 = Platform(imp, "F-35A_Lightning-2");
  ASSERT_NE(f35, nullptr);
  EXPECT_EQ(f35->name(), "F-35A Lightning-2");
  EXPECT_EQ(f35->designer_nation(), "USA");
  EXPECT_EQ(f35->sourcing(), v1::CO_PRODUCED);
  // Local production "Yes" on lines 2 (NLD), 6 (ITA), 7 (JPN), 8 (AUS); line 12 (JPN, flag
  // "comment mentions licence...") adds nothing new. BEL and POL are "No".
  EXPECT_THAT(f35->producer_nations(), ElementsAre("AUS", "ITA", "JPN", "NLD", "USA"));
  EXPECT_EQ(f35->domain(), v1::AIR);
  EXPECT_THAT(f35->roles(), ElementsAre("fighter", "strike"));
  EXPECT_THAT(f35->source(), HasSubstr("platform group 'F-35'"));

  const v1::PlatformType* b50 = Platform(imp, "F-16C_Block-50");
  ASSERT_NE(b50, nullptr);
  EXPECT_EQ(b50->sourcing(), v1::US_BUILT);
  EXPECT_THAT(b50->producer_nations(), ElementsAre("USA"));

  const v1::PlatformType* tb2 = Platform(imp, "Bayraktar_TB2");
  ASSERT_NE(tb2, nullptr);
  EXPECT_EQ(tb2->sourcing(), v1::THIRD_PARTY);
  EXPECT_EQ(tb2->designer_nation(), "TUR");
  EXPECT_THAT(tb2->producer_nations(), ElementsAre("TUR", "UKR"));  // licence in Ukraine

  const v1::PlatformType* pac3 = Platform(imp, "Patriot-3_SAMS");
  ASSERT_NE(pac3, nullptr);
  EXPECT_EQ(pac3->designer_nation(), "USA");  // 3 of 5 rows; DEU and ROU re-export
  EXPECT_EQ(pac3->sourcing(), v1::CO_PRODUCED);
  EXPECT_THAT(pac3->producer_nations(), ElementsAre("DEU", "USA"));
  EXPECT_EQ(pac3->domain(), v1::LAND);

  // Boxer: one row each from DEU (89 delivered) and AUS (0 delivered): DEU wins on units.
  const v1::PlatformType* boxer = Platform(imp, "Boxer");
  ASSERT_NE(boxer, nullptr);
  EXPECT_EQ(boxer->designer_nation(), "DEU");
  EXPECT_THAT(boxer->producer_nations(), ElementsAre("DEU"));

  const std::map<std::string, int64_t> h = Holdings(imp);
  EXPECT_EQ(h.size(), 21u);
  EXPECT_EQ(h.at("AUS:F-35A_Lightning-2"), 72);  // not 144: line 9 repeats line 8
  EXPECT_EQ(h.at("UKR:Patriot-3_SAMS"), 7);      // 3 (DEU) + 1 (ROU) + 3 (USA)
  EXPECT_EQ(h.at("DEU:MIM-104A_Patriot"), 1800);
  EXPECT_EQ(h.at("POL:K-9_155mm"), 132);
  EXPECT_EQ(h.at("POL:K-9_Thunder_155mm"), 132);  // designations differ: not merged
  EXPECT_EQ(h.count("CAN:F-35A_Lightning-2"), 0u);  // none delivered
  EXPECT_EQ(imp.holdings.name(), "sipri-holdings");

  ExpectSourced(imp);
  ExpectValid(imp);
}

// ---- the older layout (hand-made from the reference's full-register rows) -------------------

TEST(ImportSipriTest, OlderLayout) {
  ASSERT_OK_AND_ASSIGN(SipriImport imp, Import("sipri_older_layout.csv"));
  EXPECT_EQ(imp.layout, SipriLayout::kOlder);
  EXPECT_EQ(imp.header_line, 5);
  EXPECT_EQ(imp.preamble_lines, 3);
  EXPECT_EQ(imp.data_rows, 17);  // 16 deals and the footer
  EXPECT_EQ(imp.rows_used, 14);
  EXPECT_THAT(Lines(imp.skipped), ElementsAre(17, 19, 25));
  EXPECT_THAT(ReasonAt(imp.skipped, 25), HasSubstr("has 1 field(s), the header (line 5) has 16"));
  EXPECT_THAT(Lines(imp.warnings), ElementsAre(8, 9, 12, 13, 13, 20, 20));
  EXPECT_THAT(ReasonAt(imp.warnings, 13), HasSubstr("domain LAND assumed"));  // "SAM": a missile

  const v1::PlatformType* f35 = Platform(imp, "F-35A_Lightning-2");
  ASSERT_NE(f35, nullptr);
  // Only line 9 ("Produced under licence in Japan") mentions local production; line 6's
  // "production of components in Australia" does not count.
  EXPECT_EQ(f35->sourcing(), v1::CO_PRODUCED);
  EXPECT_THAT(f35->producer_nations(), ElementsAre("JPN", "USA"));
  EXPECT_THAT(f35->source(), HasSubstr("weapon description 'FGA aircraft'"));

  const v1::PlatformType* mim = Platform(imp, "MIM-104A_Patriot");
  ASSERT_NE(mim, nullptr);
  EXPECT_EQ(mim->domain(), v1::LAND);
  EXPECT_THAT(mim->source(), HasSubstr("assumption: importer default LAND"));
  EXPECT_THAT(mim->producer_nations(), ElementsAre("JPN", "USA"));

  const v1::PlatformType* k9 = Platform(imp, "K-9_Thunder_155mm");
  ASSERT_NE(k9, nullptr);
  EXPECT_EQ(k9->sourcing(), v1::THIRD_PARTY);
  EXPECT_THAT(k9->producer_nations(), ElementsAre("KOR", "POL"));
  EXPECT_THAT(k9->roles(), ElementsAre("fires", "artillery"));

  const std::map<std::string, int64_t> h = Holdings(imp);
  EXPECT_EQ(h.size(), 11u);
  EXPECT_EQ(h.at("ISR:MIM-104A_Patriot"), 128);
  EXPECT_EQ(h.at("LTU:Boxer"), 89);  // line 22, after a quoted line break on lines 20-21
  EXPECT_EQ(h.at("UKR:Bayraktar_TB2"), 60);

  ExpectSourced(imp);
  ExpectValid(imp);
}

// ---- the newer layout (hand-made from the reference's export rows) --------------------------

TEST(ImportSipriTest, NewerLayout) {
  ASSERT_OK_AND_ASSIGN(SipriImport imp, Import("sipri_newer_layout.csv"));
  EXPECT_EQ(imp.layout, SipriLayout::kNewer);
  EXPECT_EQ(imp.header_line, 5);
  EXPECT_EQ(imp.data_rows, 18);
  EXPECT_EQ(imp.rows_used, 16);
  EXPECT_THAT(Lines(imp.skipped), ElementsAre(20, 24));
  EXPECT_THAT(Lines(imp.warnings), ElementsAre(15));

  const v1::PlatformType* f35 = Platform(imp, "F-35A_Lightning-2");
  ASSERT_NE(f35, nullptr);
  EXPECT_EQ(f35->sourcing(), v1::CO_PRODUCED);
  EXPECT_THAT(f35->producer_nations(), ElementsAre("AUS", "ITA", "JPN", "NLD", "USA"));
  const v1::PlatformType* pac3 = Platform(imp, "Patriot-3_SAMS");
  ASSERT_NE(pac3, nullptr);
  EXPECT_EQ(pac3->domain(), v1::LAND);
  EXPECT_THAT(pac3->roles(), ElementsAre("air-defense"));
  const v1::PlatformType* boxer = Platform(imp, "Boxer_IFV");
  ASSERT_NE(boxer, nullptr);
  EXPECT_THAT(boxer->producer_nations(), ElementsAre("AUS", "DEU"));

  const std::map<std::string, int64_t> h = Holdings(imp);
  EXPECT_EQ(h.size(), 14u);
  EXPECT_EQ(h.at("UKR:Patriot-3_SAMS"), 7);
  EXPECT_EQ(h.at("GBR:F-35B_Lightning-2"), 37);

  ExpectSourced(imp);
  ExpectValid(imp);
}

// The same F-35A deals read from all three files agree on the derived sourcing.
TEST(ImportSipriTest, LayoutsAgreeOnSourcing) {
  for (const char* f : {"sipri_reference_extract.csv", "sipri_older_layout.csv",
                        "sipri_newer_layout.csv"}) {
    ASSERT_OK_AND_ASSIGN(SipriImport imp, Import(f));
    const v1::PlatformType* f35 = Platform(imp, "F-35A_Lightning-2");
    ASSERT_NE(f35, nullptr) << f;
    EXPECT_EQ(f35->sourcing(), v1::CO_PRODUCED) << f;
    EXPECT_EQ(f35->designer_nation(), "USA") << f;
  }
}

TEST(ImportSipriTest, Deterministic) {
  ASSERT_OK_AND_ASSIGN(SipriImport a, Import("sipri_reference_extract.csv"));
  ASSERT_OK_AND_ASSIGN(SipriImport b, Import("sipri_reference_extract.csv"));
  EXPECT_EQ(a.model.SerializeAsString(), b.model.SerializeAsString());
  EXPECT_EQ(a.holdings.SerializeAsString(), b.holdings.SerializeAsString());
}

// ---- real exports (rows copied from published SIPRI trade registers; testdata/README.md) ------

// The newer export layout as SIPRI writes it today: every line (preamble, header, rows) ends in
// ';', CRLF, a Status column, one row per deal and delivery year, no comments.
TEST(ImportSipriTest, NewerExportWithSemicolonsAndStatus) {
  ASSERT_OK_AND_ASSIGN(SipriImport imp, Import("sipri_newer_semicolons.csv"));
  EXPECT_EQ(imp.layout, SipriLayout::kNewer);  // the header's last field "Local production;"
  EXPECT_EQ(imp.header_line, 12);
  EXPECT_EQ(imp.preamble_lines, 11);  // line 9 is ";" (not blank before the header is known)
  EXPECT_EQ(imp.data_rows, 26);       // lines 13-38
  EXPECT_EQ(imp.rows_used, 26);
  EXPECT_THAT(imp.skipped, ::testing::IsEmpty());
  // Status "Second hand" / "Second hand but modernized": Patriot 7 (lines 13-19), M-109A1 5
  // (23-27), AIFV 2 (30-31), Dash-8 1 (34).
  EXPECT_EQ(imp.second_hand_rows, 15);
  EXPECT_EQ(imp.generic_rows, 4);  // lines 35-38

  // MIM-104A: 7 German second-hand rows against 3 US new ones. The designer comes from the
  // first-hand rows only: USA; "Yes;" on lines 20-21 (Japan) makes it co-produced. Reading
  // every row alike would give DEU (7 rows of 10) and THIRD_PARTY.
  const v1::PlatformType* mim = Platform(imp, "MIM-104A_Patriot");
  ASSERT_NE(mim, nullptr);
  EXPECT_EQ(mim->designer_nation(), "USA");
  EXPECT_EQ(mim->sourcing(), v1::CO_PRODUCED);
  EXPECT_THAT(mim->producer_nations(), ElementsAre("JPN", "USA"));
  EXPECT_THAT(ReasonAt(imp.warnings, 13), HasSubstr("other suppliers DEU (7)"));
  // M-109A1: Belgium 5 second-hand rows, USA 2 new with local production in Belgium (28-29).
  const v1::PlatformType* m109 = Platform(imp, "M-109A1_155mm");
  ASSERT_NE(m109, nullptr);
  EXPECT_EQ(m109->designer_nation(), "USA");
  EXPECT_THAT(m109->producer_nations(), ElementsAre("BEL", "USA"));
  // AIFV: Belgium 2 second-hand rows, USA 1 new with local production in Belgium (32).
  const v1::PlatformType* aifv = Platform(imp, "AIFV");
  ASSERT_NE(aifv, nullptr);
  EXPECT_EQ(aifv->designer_nation(), "USA");
  EXPECT_EQ(aifv->sourcing(), v1::CO_PRODUCED);
  // Dash-8: Canada 1 new row (1 unit), USA 1 second-hand row (4 units): Canadian, not US.
  const v1::PlatformType* dash8 = Platform(imp, "Dash-8");
  ASSERT_NE(dash8, nullptr);
  EXPECT_EQ(dash8->designer_nation(), "CAN");
  EXPECT_EQ(dash8->sourcing(), v1::THIRD_PARTY);
  // "vehicle engine 301-400" from Germany and from the USA: two types, never one merged type.
  const v1::PlatformType* deu_engine = Platform(imp, "vehicle_engine_301-400.DEU");
  const v1::PlatformType* usa_engine = Platform(imp, "vehicle_engine_301-400.USA");
  ASSERT_NE(deu_engine, nullptr);
  ASSERT_NE(usa_engine, nullptr);
  EXPECT_EQ(Platform(imp, "vehicle_engine_301-400"), nullptr);
  EXPECT_EQ(deu_engine->designer_nation(), "DEU");
  EXPECT_EQ(deu_engine->sourcing(), v1::THIRD_PARTY);
  EXPECT_EQ(deu_engine->name(), "vehicle engine 301-400 (Germany)");
  EXPECT_THAT(deu_engine->source(), HasSubstr("generic SIPRI designation"));
  EXPECT_EQ(usa_engine->sourcing(), v1::US_BUILT);
  EXPECT_EQ(imp.model.platforms_size(), 6);

  // Holdings summed over delivery-year rows: 82 + 83 + 83 + 83 + 69 = 400 to South Korea.
  const std::map<std::string, int64_t> h = Holdings(imp);
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(h.at("KOR:MIM-104A_Patriot"), 400);
  EXPECT_EQ(h.at("ISR:MIM-104A_Patriot"), 253);
  EXPECT_EQ(h.at("JPN:MIM-104A_Patriot"), 170);
  EXPECT_EQ(h.at("BRA:M-109A1_155mm"), 37);
  EXPECT_EQ(h.at("BEL:M-109A1_155mm"), 127);
  EXPECT_EQ(h.at("DNK:vehicle_engine_301-400.DEU"), 22);
  EXPECT_EQ(h.at("ARE:vehicle_engine_301-400.USA"), 193);
  EXPECT_EQ(imp.model.nations_size(), 15);

  ExpectSourced(imp);
  ExpectValid(imp);
}

// The older export layout: a comment's own CRLF written unquoted into an LF file, comments about
// the host platform, generic designations, the status column.
TEST(ImportSipriTest, OlderExportQuirks) {
  ASSERT_OK_AND_ASSIGN(SipriImport imp, Import("sipri_older_quirks.csv"));
  EXPECT_EQ(imp.layout, SipriLayout::kOlder);
  EXPECT_EQ(imp.header_line, 12);
  EXPECT_EQ(imp.preamble_lines, 10);  // line 9 is blank
  // Lines 13-27: 15 lines, 13 records once 16-17 and 18-19 are joined.
  EXPECT_EQ(imp.data_rows, 13);
  EXPECT_EQ(imp.joined_rows, 2);
  EXPECT_THAT(ReasonAt(imp.warnings, 16), HasSubstr("row continues on line 17"));
  EXPECT_THAT(ReasonAt(imp.warnings, 18), HasSubstr("row continues on line 19"));
  // The joined line 18 is a deal to "United Nations**": an organisation, skipped as such (not
  // as two truncated halves).
  EXPECT_THAT(Lines(imp.skipped), ElementsAre(18));
  EXPECT_THAT(ReasonAt(imp.skipped, 18), HasSubstr("organisation or non-state actor"));
  ASSERT_EQ(imp.skipped_by_reason.size(), 1u);
  EXPECT_EQ(imp.skipped_by_reason[0].first, "organisation or non-state actor");
  EXPECT_EQ(imp.skipped_by_reason[0].second, 1);
  EXPECT_EQ(imp.rows_used, 12);

  // AIM-120C to Norway "For NASAMS SAM systems produced in Norway": the host is produced in
  // Norway, not the missile: US_BUILT.
  const v1::PlatformType* amraam = Platform(imp, "AIM-120C_AMRAAM");
  ASSERT_NE(amraam, nullptr);
  EXPECT_EQ(amraam->sourcing(), v1::US_BUILT);
  EXPECT_THAT(amraam->producer_nations(), ElementsAre("USA"));
  // P-2H "Produced under licence in Japan": about the designation.
  const v1::PlatformType* p2 = Platform(imp, "P-2H_Neptune");
  ASSERT_NE(p2, nullptr);
  EXPECT_THAT(p2->producer_nations(), ElementsAre("JPN", "USA"));
  // BTR-3 read from the joined lines 16-17: 13 delivered (field 9 of line 16) to Thailand.
  const std::map<std::string, int64_t> h = Holdings(imp);
  EXPECT_EQ(h.at("THA:BTR-3"), 13);
  // Generic "aircraft engine": one type per supplier (Canada 20 + 6, Russia 6, USA none yet).
  EXPECT_EQ(h.at("AFG:aircraft_engine.CAN"), 26);
  EXPECT_EQ(h.at("AFG:aircraft_engine.RUS"), 6);
  const v1::PlatformType* us_engine = Platform(imp, "aircraft_engine.USA");
  ASSERT_NE(us_engine, nullptr);
  // "...for SH-60L helicopter produced in Japan; produced under licence in Japan": the second
  // clause is about the engine.
  EXPECT_EQ(us_engine->sourcing(), v1::CO_PRODUCED);
  // "MTU ... diesel engine for 3 Djebel Chenoua FAC produced in Algeria": the FAC's production.
  const v1::PlatformType* ship_engine = Platform(imp, "ship_engine.DEU");
  ASSERT_NE(ship_engine, nullptr);
  EXPECT_THAT(ship_engine->producer_nations(), ElementsAre("DEU"));
  // K-8: "... and some assembled in Pakistan" counts.
  const v1::PlatformType* k8 = Platform(imp, "K-8");
  ASSERT_NE(k8, nullptr);
  EXPECT_THAT(k8->producer_nations(), ElementsAre("CHN", "PAK"));
  // Status decides over the comment: An-26 "New" although the comment says "Possibly some
  // second-hand"; PA-28 "Second hand" with an empty comment.
  EXPECT_THAT(ReasonAt(imp.warnings, 25), ::testing::Not(HasSubstr("second-hand")));
  EXPECT_THAT(ReasonAt(imp.warnings, 27), HasSubstr("'PA-28_Cherokee': every row is second-hand"));
  EXPECT_EQ(imp.second_hand_rows, 1);
  EXPECT_EQ(imp.generic_rows, 5);
  EXPECT_EQ(h.size(), 9u);

  ExpectSourced(imp);
  ExpectValid(imp);
}

// Byte-identical output for the same input, for every fixture.
TEST(ImportSipriTest, SameInputSameBytes) {
  for (const char* f : {"sipri_newer_semicolons.csv", "sipri_older_quirks.csv",
                        "sipri_older_layout.csv", "sipri_newer_layout.csv"}) {
    ASSERT_OK_AND_ASSIGN(SipriImport a, Import(f));
    ASSERT_OK_AND_ASSIGN(SipriImport b, Import(f));
    std::string sa, sb;
    ASSERT_TRUE(a.model.SerializeToString(&sa));
    ASSERT_TRUE(b.model.SerializeToString(&sb));
    EXPECT_EQ(sa, sb) << f;
    EXPECT_EQ(a.holdings.SerializeAsString(), b.holdings.SerializeAsString()) << f;
  }
}

// Variants of the line-end quirks, in memory: a byte-order mark with CRLF, ';' at the end of
// every line, and a spreadsheet's ";;;;" padding.
TEST(ImportSipriTest, LineEndVariants) {
  const std::string header =
      "Supplier,Recipient,Designation,Description,Numbers delivered,Status,Local production";
  const std::string row = "United States,Japan,MIM-104A Patriot,SAM,150,New,Yes";
  for (const std::string& text : std::vector<std::string>{
           "\xEF\xBB\xBF" + header + "\r\n" + row + "\r\n",
           header + ";\r\n;\r\n" + row + ";\r\n",
           header + ";;;;\n" + row + ";;;;\n",
       }) {
    ASSERT_OK_AND_ASSIGN(SipriImport imp, ImportSipri(text, "inline.csv"));
    EXPECT_EQ(imp.rows_used, 1);
    EXPECT_THAT(imp.skipped, ::testing::IsEmpty());
    const v1::PlatformType* mim = Platform(imp, "MIM-104A_Patriot");
    ASSERT_NE(mim, nullptr);
    EXPECT_THAT(mim->producer_nations(), ElementsAre("JPN", "USA"));
  }
}

// ---- malformed input ------------------------------------------------------------------------

TEST(ImportSipriTest, MalformedRowsAreReportedWithLines) {
  ASSERT_OK_AND_ASSIGN(SipriImport imp, Import("sipri_malformed.csv"));
  EXPECT_EQ(imp.data_rows, 8);
  EXPECT_EQ(imp.rows_used, 3);
  EXPECT_THAT(Lines(imp.skipped), ElementsAre(3, 4, 5, 6, 10));
  EXPECT_THAT(ReasonAt(imp.skipped, 3), HasSubstr("has 7 field(s), the header (line 1) has 11"));
  EXPECT_THAT(ReasonAt(imp.skipped, 4), HasSubstr("has data in field 12"));
  EXPECT_THAT(ReasonAt(imp.skipped, 5),
              HasSubstr("cannot read a number delivered from 'several delivered in window'"));
  EXPECT_THAT(ReasonAt(imp.skipped, 6), HasSubstr("empty designation"));
  EXPECT_THAT(ReasonAt(imp.skipped, 10), HasSubstr("unterminated quoted field"));
  EXPECT_THAT(Lines(imp.warnings), ElementsAre(8, 9));
  EXPECT_THAT(ReasonAt(imp.warnings, 8),
              HasSubstr("country 'Freedonia' is not in the importer's ISO 3166 table; id "
                        "'FREEDONIA' used"));
  EXPECT_THAT(ReasonAt(imp.warnings, 9), HasSubstr("local production value 'maybe'"));
  EXPECT_THAT(Ids(imp), ElementsAre("AUS", "FREEDONIA", "TUR", "UKR", "USA"));
  using Count = std::pair<std::string, int>;
  EXPECT_THAT(imp.skipped_by_reason,
              ElementsAre(Count{"empty designation", 1}, Count{"too few fields", 1},
                          Count{"too many fields", 1}, Count{"unreadable number delivered", 1},
                          Count{"unterminated quote", 1}));
  ExpectValid(imp);
}

TEST(ImportSipriTest, UnusableInputIsAnError) {
  struct Case {
    const char* file;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"empty.csv", "empty.csv: empty file"},
           {"binary_junk.bin", "binary_junk.bin: not a text file"},
           {"sipri_no_header.csv", "sipri_no_header.csv: no header row"},
           {"sipri_no_local_production.csv",
            "sipri_no_local_production.csv:1: the header has neither a 'Local production'"},
           {"nisp_extract.csv", "no header row"},
       }) {
    absl::StatusOr<SipriImport> imp = Import(c.file);
    ASSERT_FALSE(imp.ok()) << c.file;
    EXPECT_EQ(imp.status().code(), absl::StatusCode::kInvalidArgument) << c.file;
    EXPECT_THAT(imp.status().message(), HasSubstr(c.message));
  }
}

TEST(ImportSipriTest, HeaderBeyondThePreambleLimit) {
  std::string text;
  for (int i = 0; i < 3; ++i) text += "note\n";
  text += "Supplier,Recipient,Designation,Number delivered,Comments\nUSA,Japan,X,1,\n";
  SipriOptions options;
  options.max_preamble_records = 2;
  EXPECT_FALSE(ImportSipri(text, "t.csv", options).ok());
  options.max_preamble_records = 3;
  ASSERT_OK_AND_ASSIGN(SipriImport imp, ImportSipri(text, "t.csv", options));
  EXPECT_EQ(imp.header_line, 4);
  EXPECT_EQ(imp.layout, SipriLayout::kOlder);
  // "USA" is not SIPRI's spelling: an unknown name, id "USA_" (never an ISO code by accident),
  // the domain defaults and sourcing is THIRD_PARTY (the designer is not "USA").
  EXPECT_THAT(Ids(imp), ElementsAre("JPN", "USA_"));
  EXPECT_EQ(imp.model.platforms(0).sourcing(), v1::THIRD_PARTY);
  EXPECT_EQ(imp.model.platforms(0).domain(), v1::LAND);
}

// ---- pieces -----------------------------------------------------------------------------------

TEST(ParseDeliveredNumberTest, Cases) {
  struct Case {
    const char* text;
    int64_t want;
  };
  for (const Case& c : std::vector<Case>{{"12", 12},
                                         {" (12) ", 12},
                                         {"12?", 12},
                                         {"", 0},
                                         {"4 delivered in window", 4},
                                         {"72 ordered / 72 delivered", 72},
                                         {"308? ordered / 0 delivered", 0},
                                         {"35? ordered / 8? delivered", 8},
                                         {"? ordered / 60 delivered", 60}}) {
    ASSERT_OK_AND_ASSIGN(int64_t got, ParseDeliveredNumber(c.text));
    EXPECT_EQ(got, c.want) << c.text;
  }
  for (const char* bad : {"several", "n.a.", "12 units", "ordered / delivered"}) {
    EXPECT_FALSE(ParseDeliveredNumber(bad).ok()) << bad;
  }
}

TEST(CommentMentionsLocalProductionTest, Cases) {
  EXPECT_TRUE(CommentMentionsLocalProduction("Produced under licence in Japan", "Japan"));
  EXPECT_TRUE(CommentMentionsLocalProduction("incl production under license", ""));
  EXPECT_TRUE(CommentMentionsLocalProduction("offsets incl assembly in Netherlands", "Netherlands"));
  EXPECT_TRUE(CommentMentionsLocalProduction("36 assembled in Turkey", "Turkiye"));
  // About the host platform, not the designation (issue 12): the destroyers were built in Japan.
  EXPECT_FALSE(CommentMentionsLocalProduction("For 2 Atago destroyers produced in Japan", "Japan"));
  EXPECT_FALSE(CommentMentionsLocalProduction("For NASAMS SAM systems produced in Norway; delivery "
                                              "planned from 2026", "Norway"));
  EXPECT_FALSE(CommentMentionsLocalProduction(
      "AIM-120C-8 version; for NASAMS SAM systems produced in Norway and F-35 combat aircraft",
      "Norway"));
  EXPECT_FALSE(CommentMentionsLocalProduction(
      "Cummins ISL-450 (455hp) diesel engine for Pandur-EVO APC/IFV produced in Austria", "Austria"));
  EXPECT_FALSE(CommentMentionsLocalProduction(
      "For 2 Type-052B (Luyang-1); 2 Type-052C (Luyang-2) destroyers produced in China", "China"));
  // About the designation: only counts and words like "incl", "some", "assembled" before it.
  EXPECT_TRUE(CommentMentionsLocalProduction("Bell-206B-1 version; 44 assembled/produced in "
                                             "Australia", "Australia"));
  EXPECT_TRUE(CommentMentionsLocalProduction(
      "IHI-General Electric T-700 turboshaft for SH-60L helicopter produced in Japan; produced "
      "under licence in Japan", "Japan"));
  EXPECT_TRUE(CommentMentionsLocalProduction(
      "Incl some components produced in Pakistan and some assembled in Pakistan", "Pakistan"));
  EXPECT_TRUE(CommentMentionsLocalProduction("Developed for assembly/production under licence in "
                                             "Chile", "Chile"));
  EXPECT_TRUE(CommentMentionsLocalProduction(
      "Part of BFR14 b deal (offsets 40% incl assembly of 45 in Belgium)", "Belgium"));
  // A deal's value in the clause does not make it about another platform.
  EXPECT_TRUE(CommentMentionsLocalProduction(
      "Part of $1.1 b deal (offsets $705 m incl production under licence in Turkey)", "Turkiye"));
  EXPECT_FALSE(CommentMentionsLocalProduction("For 2 A330 tankers produced in Spain", "Spain"));
  EXPECT_TRUE(CommentMentionsLocalProduction("110 produced in Turkey", "Turkiye"));
  EXPECT_FALSE(CommentMentionsLocalProduction(
      "German design produced in Australia for Germany", "Germany"));
  EXPECT_FALSE(CommentMentionsLocalProduction("incl production of components in Denmark",
                                              "Denmark"));
  EXPECT_FALSE(CommentMentionsLocalProduction("Second-hand; aid", "Ukraine"));
}

TEST(IsGenericSipriDesignationTest, Cases) {
  EXPECT_TRUE(IsGenericSipriDesignation("vehicle engine"));
  EXPECT_TRUE(IsGenericSipriDesignation("aircraft engine 1001-2000"));
  EXPECT_TRUE(IsGenericSipriDesignation("ship engine AIP"));
  EXPECT_TRUE(IsGenericSipriDesignation(" air refuel system"));
  EXPECT_FALSE(IsGenericSipriDesignation("53-65"));  // a torpedo
  EXPECT_FALSE(IsGenericSipriDesignation("MIM-104A Patriot"));
  EXPECT_FALSE(IsGenericSipriDesignation(""));
}

TEST(SipriNationIdTest, Cases) {
  EXPECT_EQ(SipriNationId("United States"), "USA");
  EXPECT_EQ(SipriNationId("Turkiye"), "TUR");
  EXPECT_EQ(SipriNationId("UAE"), "ARE");
  EXPECT_EQ(SipriNationId("Bosnia-Herzegovina"), "BIH");
  EXPECT_EQ(SipriNationId("Kosovo"), "XKX");
  EXPECT_EQ(SipriNationId("NATO**"), "");
  EXPECT_EQ(SipriNationId("Freedonia"), "");
}

}  // namespace
}  // namespace coalition::importers
