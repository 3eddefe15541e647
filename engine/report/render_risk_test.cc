#include "engine/report/render_risk.h"

#include <string>

#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;

template <typename M>
M Parse(const char* text) {
  M m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m));
  return m;
}

const v1::RiskReport kRisk = Parse<v1::RiskReport>(R"pb(
  model_name: "m" mix_name: "x" units: 6 cost_musd: 240 elements_count: 2
  exposures { nation: "DEU" grounded_elements: "E3" grounded_units: 4 grounded_cost_musd: 40 unit_share: 0.5 cost_share: 0.25 grounded { element: "E3" months: 6 components: "ENGINE2" } units_within_horizon: 4 unit_share_within_horizon: 0.5 }
  findings { kind: SINGLE_SOURCE element: "E1" platform: "JET" operator_nation: "POL" component: "GAN" chain { ids: "E1" ids: "JET" ids: "GAN" ids: "S1" ids: "USA" } suppliers: "S1" supplier_nations: "USA" nations: "USA" }
  findings { kind: ADVERSARY_DEPENDENCY severity: CRITICAL element: "E3" platform: "D" operator_nation: "POL" component: "M" chain { ids: "E3" ids: "D" ids: "M" ids: "S2" ids: "CHN" } suppliers: "S2" supplier_nations: "CHN" suppliers: "S3" supplier_nations: "CHN" nations: "CHN" }
  findings { kind: ITAR_EXPOSURE element: "E1" platform: "JET" operator_nation: "POL" component: "RADAR" }
  us_nation: "USA"
  elements { element: "E1" platform: "JET" nation: "USA" quantity: 2 cost_musd: 200 sustainable: true critical_components: 3 single_source: 1 }
  by_kind { kind: "SINGLE_SOURCE" findings: 1 elements: 1 units: 2 cost_musd: 200 unit_share: 0.33 cost_share: 0.8 }
  sourcing { sourcing: US_BUILT units: 2 cost_musd: 200 unit_share: 0.33 cost_share: 0.8 }
  findings_total: 3 findings_omitted: 1 nations_evaluated: 5
)pb");

TEST(RenderRiskTest, TextSummaryFirstAndEveryFormat) {
  ASSERT_OK_AND_ASSIGN(std::string text, RenderRiskReport(kRisk, ReportFormat::kText));
  EXPECT_EQ(text.find("Risk report: mix \"x\""), 0u);
  EXPECT_NE(text.find("Largest embargo exposure (at once): DEU would ground 4 units (50.0%) at once"), std::string::npos);
  EXPECT_NE(text.find("E3 (6 months)"), std::string::npos) << text;  // time to ground
  EXPECT_NE(text.find("E1 -> JET -> GAN -> S1 -> USA"), std::string::npos);
  // Sentences are written here, from the typed fields.
  EXPECT_NE(text.find("E1 (JET) needs GAN, made only by S1 (USA)"), std::string::npos) << text;
  EXPECT_NE(text.find("1 more not listed"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(std::string csv, RenderRiskReport(kRisk, ReportFormat::kCsv));
  EXPECT_NE(csv.find("ADVERSARY_DEPENDENCY,CRITICAL,E3,M,E3 > D > M > S2 > CHN,S2 S3,CHN,\"E3 (D) needs "
                     "M, made only in adversary nations: S2 (CHN), S3 (CHN)\""),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("RADAR in E1 (JET) is ITAR-controlled and the operator POL is neither USA nor "
                     "in an itar_exempt group with it"),
            std::string::npos)
      << csv;
  ASSERT_OK_AND_ASSIGN(std::string md, RenderRiskReport(kRisk, ReportFormat::kMarkdown));
  EXPECT_NE(md.find("## Embargo exposure"), std::string::npos);
  for (ReportFormat f : {ReportFormat::kJson, ReportFormat::kTextProto, ReportFormat::kBinary}) {
    ASSERT_OK_AND_ASSIGN(std::string a, RenderRiskReport(kRisk, f));
    ASSERT_OK_AND_ASSIGN(std::string b, RenderRiskReport(kRisk, f));
    EXPECT_EQ(a, b);
  }
  ASSERT_OK_AND_ASSIGN(std::string bin, RenderRiskReport(kRisk, ReportFormat::kBinary));
  v1::RiskReport back;
  ASSERT_TRUE(back.ParseFromString(bin));
  EXPECT_EQ(back.findings_size(), 3);
}

// Issue 12: a model whose platforms list no components gets only sourcing shares; the report
// says why the rest is empty.
TEST(RenderRiskTest, NoComponentsSaysSo) {
  const v1::RiskReport r = Parse<v1::RiskReport>(R"pb(
    model_name: "m" mix_name: "sipri-holdings" units: 5 elements_count: 2
    elements { element: "E1" platform: "P" nation: "POL" quantity: 2 sustainable: true }
    elements { element: "E2" platform: "Q" nation: "UKR" quantity: 3 sustainable: true }
    sourcing { sourcing: US_BUILT units: 5 unit_share: 1 }
    us_nation: "USA"
  )pb");
  for (ReportFormat f : {ReportFormat::kText, ReportFormat::kMarkdown}) {
    ASSERT_OK_AND_ASSIGN(std::string text, RenderRiskReport(r, f));
    EXPECT_NE(text.find("No critical components: none of the 2 element(s) of mix "
                        "\"sipri-holdings\" has a platform listing a critical component"),
              std::string::npos)
        << text;
  }
  // kRisk's E1 has critical components: no such note.
  ASSERT_OK_AND_ASSIGN(std::string text, RenderRiskReport(kRisk, ReportFormat::kText));
  EXPECT_EQ(text.find("No critical components"), std::string::npos) << text;
}

TEST(RenderRiskTest, WhatIf) {
  const v1::WhatIfReport w = Parse<v1::WhatIfReport>(R"pb(
    model_name: "m" mix_name: "x"
    changes { embargo { nation: "TUR" } }
    changes { release { item_kind: LINK item: "LINK16" party: "UKR" } }
    grounded_elements: "USA:AEW"
    gaps_opened { ier: "p" from_element: "A" to_element: "B" gap_class: UNAVAILABLE achieved_level: 0 required_level: 2 absent_elements: "A" }
    gaps_opened_total: 3
    aggregates { name: "units_present" before: 6 after: 5 }
    aggregates { name: "iers_satisfied" before: 1 after: 1 }
    no_ops { change { release { item_kind: LINK item: "HF" party: "UKR" } } reason: ALREADY_RELEASABLE_TO_ALL }
  )pb");
  ASSERT_OK_AND_ASSIGN(std::string text, RenderWhatIfReport(w, ReportFormat::kText));
  EXPECT_NE(text.find("Changes: embargo TUR; release LINK16 to UKR"), std::string::npos) << text;
  EXPECT_NE(text.find("Note: release HF to UKR: the item is already releasable to everyone"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Gaps opened 3, closed 0"), std::string::npos);
  EXPECT_NE(text.find("units_present        6      5      -1"), std::string::npos) << text;
  EXPECT_NE(text.find("Gaps opened (1 of 3 listed: raise --max_gaps)"), std::string::npos);
  // Element lists are bounded by max_gaps like the gap lists.
  v1::WhatIfReport many = w;
  many.set_max_gaps(2);
  for (const char* e : {"E1", "E2"}) many.add_grounded_elements(e);
  ASSERT_OK_AND_ASSIGN(std::string bounded, RenderWhatIfReport(many, ReportFormat::kText));
  EXPECT_NE(bounded.find("Grounded: USA:AEW, E1, ... (2 of 3 listed: raise --max_gaps)"),
            std::string::npos)
      << bounded;
  ASSERT_OK_AND_ASSIGN(std::string csv, RenderWhatIfReport(w, ReportFormat::kCsv));
  EXPECT_NE(csv.find("opened,p,A,B,,UNAVAILABLE,,0,2,A is absent (removed or grounded by the what-if)"),
            std::string::npos)
      << csv;
  ASSERT_OK(RenderWhatIfReport(w, ReportFormat::kMarkdown));
  ASSERT_OK(RenderWhatIfReport(w, ReportFormat::kJson));
}

TEST(RenderRiskTest, SinglePoints) {
  const v1::SinglePointsReport r = Parse<v1::SinglePointsReport>(R"pb(
    model_name: "m" mix_name: "x" elements: 4 candidates: 1
    points { element: "USA:AEW" platform: "AEW" nation: "USA" gaps_opened: 4 elements_affected: 3
             pairs { ier: "p" from_element: "USA:F16" to_element: "USA:SHIP" } pairs_omitted: 3 }
  )pb");
  ASSERT_OK_AND_ASSIGN(std::string text, RenderSinglePoints(r, ReportFormat::kText));
  EXPECT_NE(text.find("1 single point(s) of failure"), std::string::npos);
  EXPECT_NE(text.find("p  USA:F16  USA:SHIP"), std::string::npos) << text;
  EXPECT_NE(text.find("3 more (raise --max_pairs)"), std::string::npos);
  ASSERT_OK_AND_ASSIGN(std::string csv, RenderSinglePoints(r, ReportFormat::kCsv));
  EXPECT_NE(csv.find("USA:AEW,AEW,USA,4,3,p: USA:F16 -> USA:SHIP,3"), std::string::npos) << csv;
  ASSERT_OK(RenderSinglePoints(r, ReportFormat::kMarkdown));
  ASSERT_OK(RenderSinglePoints(v1::SinglePointsReport(), ReportFormat::kText));
}

}  // namespace
}  // namespace coalition::report
