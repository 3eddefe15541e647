// Expected values below were worked out by hand from testdata/nisp_extract.csv (37 rows of the
// flattened NISP catalogue; testdata/README.md lists them), not by running the importer.
#include "engine/importers/nisp.h"

#include <map>
#include <set>
#include <string>
#include <utility>
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
using ::testing::HasSubstr;

constexpr char kDir[] = "engine/importers/testdata/";

absl::StatusOr<NispImport> Import(const std::string& name) {
  absl::StatusOr<std::string> bytes = ReadFile(absl::StrCat(kDir, name));
  if (!bytes.ok()) return bytes.status();
  return ImportNisp(*bytes, name);
}

std::vector<int> Lines(const std::vector<RowIssue>& issues) {
  std::vector<int> lines;
  for (const RowIssue& i : issues) lines.push_back(i.line);
  return lines;
}

std::string ReasonAt(const std::vector<RowIssue>& issues, int line) {
  for (const RowIssue& i : issues) {
    if (i.line == line) return i.reason;
  }
  return "";
}

// id -> (family, version)
std::map<std::string, std::pair<std::string, int>> Versions(const NispImport& imp) {
  std::map<std::string, std::pair<std::string, int>> m;
  for (const v1::DataStandard& s : imp.model.standards()) m[s.id()] = {s.family(), s.version()};
  return m;
}

TEST(ImportNispTest, Extract) {
  ASSERT_OK_AND_ASSIGN(NispImport imp, Import("nisp_extract.csv"));
  EXPECT_EQ(imp.header_line, 1);
  EXPECT_EQ(imp.data_rows, 37);
  EXPECT_EQ(imp.rows_used, 34);
  // "ADatP-03 Baseline-11 (Future)" repeats (Current)'s family and edition; STANAG 4294 Part I
  // and Part II share one publication number per edition.
  EXPECT_THAT(Lines(imp.skipped), ElementsAre(13, 27, 29));
  EXPECT_THAT(ReasonAt(imp.skipped, 13),
              HasSubstr("same family ADATP-3 and edition as line 12 ('ADatP-03 Baseline-11 "
                        "(Current)')"));
  EXPECT_THAT(ReasonAt(imp.skipped, 27), HasSubstr("same family STANAG-4294 and edition as line 26"));
  ASSERT_EQ(imp.model.standards_size(), 34);

  const auto v = Versions(imp);
  using P = std::pair<std::string, int>;
  // STANAG 5516: editions 4, 6, 7, 8 and the cover document of edition 9 ("STANAG FT (Study)").
  EXPECT_EQ(v.at("nato-stanag5516ed4"), P("STANAG-5516", 1));
  EXPECT_EQ(v.at("nato-stanag5516ed6"), P("STANAG-5516", 2));
  EXPECT_EQ(v.at("nato-stanag5516ed7"), P("STANAG-5516", 3));
  EXPECT_EQ(v.at("nato-stanag5516ed8"), P("STANAG-5516", 4));  // "STANAG 5516 FT Ed 8"
  EXPECT_EQ(v.at("nato-e-stanag5516ed9"), P("STANAG-5516", 5));
  EXPECT_EQ(v.at("nato-stanag5511ed7"), P("STANAG-5511", 1));  // "STANAG (RD) 5511 Ed 7"
  EXPECT_EQ(v.at("nato-stanag5511ed8"), P("STANAG-5511", 2));
  EXPECT_EQ(v.at("nato-atdlp-5.16-ed.a-v1"), P("ATDLP-5.16", 1));
  EXPECT_EQ(v.at("nato-atdlp-5.16-ed.b-v1"), P("ATDLP-5.16", 2));
  EXPECT_EQ(v.at("nato-e-atdlp-5.16-ed.c-v1"), P("ATDLP-5.16", 3));
  // ADatP-3: baseline 11, baseline 13 (Ver 4), then lettered edition A versions 1 and 4.
  EXPECT_EQ(v.at("nato-adatp-03-bl11-current"), P("ADATP-3", 1));
  EXPECT_EQ(v.at("nato-adatp-03-v4"), P("ADATP-3", 2));
  EXPECT_EQ(v.at("nato-adatp-03-ed.a-v1"), P("ADATP-3", 3));
  EXPECT_EQ(v.at("nato-adatp-03-ed.a-v4"), P("ADATP-3", 4));
  EXPECT_EQ(v.at("nato-atdlp-6.16-vol1-ed.b-v1"), P("ATDLP-6.16-VOL1", 1));  // "I"
  EXPECT_EQ(v.at("nato-atdlp-6.16-vol2-ed.b-v1"), P("ATDLP-6.16-VOL2", 1));  // "II"
  EXPECT_EQ(v.at("nato-stanag4193ed.3-p2"), P("STANAG-4193-P2", 1));
  EXPECT_EQ(v.at("nato-stanag4294ed2-part1"), P("STANAG-4294", 1));
  EXPECT_EQ(v.at("nato-stanag4294ed3-part1"), P("STANAG-4294", 2));
  EXPECT_EQ(v.at("us-dod-mil-std6017b"), P("MIL-STD-6017", 1));
  EXPECT_EQ(v.at("us-dod-mil-std6017d"), P("MIL-STD-6017", 2));
  EXPECT_EQ(v.at("cceb-acp113ad"), P("ACP-113", 1));
  EXPECT_EQ(v.at("cceb-acp113aj"), P("ACP-113", 2));
  EXPECT_EQ(v.at("nato-acp100ns-1q"), P("ACP-100-NS-1", 2));
  EXPECT_EQ(v.at("ietf-rfc1034"), P("RFC-1034", 1));
  EXPECT_EQ(v.at("bluetooth-bluetooth5"), P("BLUETOOTH", 2));
  EXPECT_EQ(v.at("adobe-tiff"), P("ADOBE-TIFF", 1));
  EXPECT_EQ(v.at("act-nvg-2.0.2"), P("NATO-NVG", 1));
  EXPECT_EQ(v.at("nato-acomp-5651-vol3-ed.a-v1"), P("ACOMP-5651-VOL3", 1));

  // (family, version) is unique; every standard is named, labelled and sourced.
  std::set<std::pair<std::string, int>> seen;
  for (const v1::DataStandard& s : imp.model.standards()) {
    EXPECT_TRUE(seen.insert({s.family(), s.version()}).second) << s.id();
    EXPECT_FALSE(s.name().empty());
    EXPECT_THAT(s.source(), HasSubstr(std::string(kNispAttribution)));
    EXPECT_THAT(s.source(), HasSubstr("MIT licence"));
  }
  for (const v1::DataStandard& s : imp.model.standards()) {
    if (s.id() == "nato-stanag5516ed8") {
      EXPECT_EQ(s.name(), "Tactical Data Exchange - Link 16 - ATDLP-5.16 Edition B Version 1");
      EXPECT_EQ(s.edition(), "STANAG 5516 FT Ed 8");
      EXPECT_THAT(s.source(), HasSubstr("nisp_extract.csv line 38 (Cover Document"));
    }
    if (s.id() == "nato-acomp-5651-vol3-ed.a-v1") {  // Windows-1252 en dash, decoded
      EXPECT_EQ(s.name(), "NATO HDRWF (ESSOR) System Specification \xE2\x80\x93 Restricted Volume");
    }
  }

  v1::ValidationReport r = Validate(imp.model, SourceInfo("nisp.textproto"));
  EXPECT_EQ(r.errors(), 0);
  EXPECT_EQ(r.warnings(), 0);
}

TEST(ImportNispTest, MalformedRowsAreReportedWithLines) {
  ASSERT_OK_AND_ASSIGN(NispImport imp, Import("nisp_malformed.csv"));
  EXPECT_EQ(imp.data_rows, 7);
  EXPECT_EQ(imp.rows_used, 2);
  EXPECT_THAT(Lines(imp.skipped), ElementsAre(3, 4, 5, 6, 8));
  EXPECT_THAT(ReasonAt(imp.skipped, 3), HasSubstr("has 5 field(s), the header (line 1) has 10"));
  EXPECT_THAT(ReasonAt(imp.skipped, 4), HasSubstr("has data in field 11"));
  EXPECT_THAT(ReasonAt(imp.skipped, 5), HasSubstr("empty publication number"));
  EXPECT_THAT(ReasonAt(imp.skipped, 6), HasSubstr("id 'nato-stanag5516ed4' already used on line 2"));
  EXPECT_THAT(ReasonAt(imp.skipped, 8), HasSubstr("has 1 field(s)"));
  ASSERT_EQ(imp.model.standards_size(), 2);
  EXPECT_EQ(imp.model.standards(1).version(), 2);  // ed 6 after ed 4
}

TEST(ImportNispTest, UnusableInputIsAnError) {
  for (const char* f : {"empty.csv", "binary_junk.bin", "sipri_reference_extract.csv"}) {
    absl::StatusOr<NispImport> imp = Import(f);
    ASSERT_FALSE(imp.ok()) << f;
    EXPECT_EQ(imp.status().code(), absl::StatusCode::kInvalidArgument) << f;
    EXPECT_THAT(imp.status().message(), HasSubstr(f));
  }
}

TEST(ParsePublicationNumberTest, Cases) {
  struct Case {
    const char* pubnum;
    const char* org;
    const char* family;
    std::vector<int> key;
  };
  for (const Case& c : std::vector<Case>{
           {"STANAG 5516 Ed 4", "nato", "STANAG-5516", {4, 0, 0}},
           {"STANAG FT (Study) 5516 Ed 9", "nato-e", "STANAG-5516", {9, 0, 0}},
           {"STANAG 4193 Ed 3 P1", "nato", "STANAG-4193-P1", {3, 0, 0}},
           {"AMP-11 VOL 04 LEVEL 1 PT 2", "nato", "AMP-11-VOL4-L1-P2", {0, 0, 0}},
           {"ADatP-03 Ed A Ver 1", "nato", "ADATP-3", {1001, 1, 0}},
           {"AComp-4787 Ed A Ver 1", "nato", "ACOMP-4787", {1001, 1, 0}},
           {"AEDP-04 Ed 2 Ver 1", "nato", "AEDP-4", {2, 1, 0}},
           {"ADatP-4778.2 Ed A Ver 2", "nato", "ADATP-4778.2", {1001, 2, 0}},
           {"ATDLP-5.18 (RD) Ed B Ver 2", "nato", "ATDLP-5.18", {1002, 2, 0}},
           {"ADatP-12 Vol 1 Ed E Ver 1", "nato", "ADATP-12-VOL1", {1005, 1, 0}},
           {"AComP-5651 (Study) Ed A Ver 1 - Vol 10", "nato", "ACOMP-5651-VOL10", {1001, 1, 0}},
           {"ACP 113(AJ) Change 5", "cceb", "ACP-113", {1036, 0, 5}},
           {"ACP 190 NS-1(C) ", "nato", "ACP-190-NS-1", {1003, 0, 0}},
           {"MIL-STD-6017D", "us-dod", "MIL-STD-6017", {1004, 0, 0}},
           {"MIL-STD-2411", "nga", "MIL-STD-2411", {0, 0, 0}},
           {"RFC 1883", "ietf", "RFC-1883", {0, 0, 0}},
           {"TIFF Rev 6.0", "adobe", "ADOBE-TIFF", {0, 6, 0}},
           {"Bluetooth 4.2", "bluetooth", "BLUETOOTH", {4, 2, 0}},
           {"14496-10", "iso-iec", "ISO-IEC-14496-10", {0, 0, 0}},
       }) {
    const PublicationNumber p = ParsePublicationNumber(c.pubnum, c.org);
    EXPECT_EQ(p.family, c.family) << c.pubnum;
    EXPECT_EQ(p.edition_key, c.key) << c.pubnum;
  }
}

}  // namespace
}  // namespace coalition::importers
