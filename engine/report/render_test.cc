#include "engine/report/render.h"

#include "engine/report/explain.h"

#include <string>

#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;

constexpr char kReport[] = R"pb(
  model_name: "m" mix_name: "x" elements: 2 units: 8 cost_musd: 480
  pairs_evaluated: 2 pairs_satisfied: 1 gaps_total: 1 iers_satisfied: 0 iers_total: 1
  by_ier { key: "air, picture" pairs: 2 satisfied: 1 gaps: 1 policy: 1 }
  by_class { key: "POLICY" gaps: 1 policy: 1 }
  by_nation_pair { key: "UKR" second: "USA" gaps: 1 policy: 1 }
  by_platform_pair { key: "F16" second: "F16" gaps: 1 policy: 1 }
  level_histogram: [0, 1, 0, 0, 1]
  gaps {
    ier: "air, picture" from_element: "USA:F16" to_element: "UKR:F16" gap_class: POLICY
    achieved_level: 1 required_level: 3 relaxed_level: 4 layer: LAYER_POLICY
    policy_blocks { item_kind: LINK item: "LINK16" nation: "UKR" releasable_to: "NATO" }
    best_path { kind: ELEMENT element: "USA:F16" }
    best_path { kind: CHANNEL link: "LINK16" standard: "J6" level: 4 }
    best_path { kind: ELEMENT element: "UKR:F16" level: 3 }
    fixes { change { release { item_kind: LINK item: "LINK16" party: "UKR" } } }
  }
  max_gaps: 100
)pb";

v1::GapReport Report() {
  v1::GapReport r;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kReport, &r));
  return r;
}

TEST(RenderTest, FormatsParse) {
  EXPECT_EQ(*ParseReportFormat("TEXT"), ReportFormat::kText);
  EXPECT_EQ(*ParseReportFormat("md"), ReportFormat::kMarkdown);
  EXPECT_EQ(*ParseReportFormat("binpb"), ReportFormat::kBinary);
  EXPECT_EQ(ParseReportFormat("xml").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RenderTest, CsvQuotesFields) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"x\""), "\"say \"\"x\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(RenderTest, GapCsvHasOneRowPerGap) {
  ASSERT_OK_AND_ASSIGN(std::string csv, RenderGapReport(Report(), ReportFormat::kCsv));
  EXPECT_EQ(csv,
            "ier,from,to,class,achieved,required,relaxed,layer,policy_blocks,best_path,"
            "fixes,explanation\n"
            "\"air, picture\",USA:F16,UKR:F16,POLICY,1,3,4,policy,LINK16 not releasable to UKR,"
            "USA:F16 -> LINK16/J6 -> UKR:F16,release LINK16 to UKR,USA:F16 reaches UKR:F16 at 1 "
            "(UNSTRUCTURED); needs 3 (SEAMLESS_DATA). With policy relaxed it reaches 4 via USA:F16 "
            "-> LINK16/J6 -> UKR:F16; blocked by policy: LINK16 is not releasable to UKR "
            "(releasable to NATO)\n");
}

TEST(RenderTest, TextSummaryFirstThenGaps) {
  ASSERT_OK_AND_ASSIGN(std::string text, RenderGapReport(Report(), ReportFormat::kText));
  EXPECT_EQ(text.find("Gap report: mix \"x\" on model \"m\"\n"), 0u) << text;
  EXPECT_NE(text.find("Pairs evaluated: 2, satisfied 1 (50.0%), gaps 1: 1 policy, 0 technical"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("   1. [POLICY] air, picture: USA:F16 -> UKR:F16  achieved 1, required 3"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("fix: release LINK16 to UKR"), std::string::npos) << text;
  EXPECT_NE(text.find("UKR|USA"), std::string::npos) << text;
  EXPECT_LT(text.find("By IER"), text.find("Gaps, worst first"));
}

// Issue 12: a mix without IERs evaluates nothing; the report says so instead of "No gaps: every
// IER is satisfied".
TEST(RenderTest, MixWithoutIersSaysSo) {
  v1::GapReport r;
  r.set_model_name("m");
  r.set_mix_name("sipri-holdings");
  r.set_elements(3);
  r.add_level_histogram(0);
  for (ReportFormat f : {ReportFormat::kText, ReportFormat::kMarkdown}) {
    ASSERT_OK_AND_ASSIGN(std::string text, RenderGapReport(r, f));
    EXPECT_EQ(text.find("No gaps"), std::string::npos) << text;
    EXPECT_EQ(text.find("None listed"), std::string::npos) << text;
    EXPECT_NE(text.find("No IERs: mix \"sipri-holdings\" states no information exchange "
                        "requirement, so no pair of its 3 element(s) was evaluated"),
              std::string::npos)
        << text;
  }
  r.set_iers_total(1);  // with an IER and no gap, success may be claimed
  ASSERT_OK_AND_ASSIGN(std::string text, RenderGapReport(r, ReportFormat::kText));
  EXPECT_NE(text.find("No gaps: every IER is satisfied."), std::string::npos) << text;
}

TEST(RenderTest, ProtoFormatsRoundTripAndAreDeterministic) {
  const v1::GapReport r = Report();
  for (ReportFormat f : {ReportFormat::kJson, ReportFormat::kTextProto, ReportFormat::kBinary}) {
    ASSERT_OK_AND_ASSIGN(std::string a, RenderGapReport(r, f));
    ASSERT_OK_AND_ASSIGN(std::string b, RenderGapReport(r, f));
    EXPECT_EQ(a, b);
  }
  ASSERT_OK_AND_ASSIGN(std::string bin, RenderGapReport(r, ReportFormat::kBinary));
  v1::GapReport back;
  ASSERT_TRUE(back.ParseFromString(bin));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(r, back));
  ASSERT_OK_AND_ASSIGN(std::string md, RenderGapReport(r, ReportFormat::kMarkdown));
  EXPECT_NE(md.find("| air, picture | 2 pairs | 1 (50.0%) | 1 | 1 | 0 | 0 |"), std::string::npos) << md;
}

TEST(RenderTest, MatrixCsvAndText) {
  v1::InteropMatrix m;
  m.set_mix_name("x");
  m.add_elements("A");
  m.add_elements("B,1");
  for (int l : {4, 1, 1, 3}) m.add_levels(l);
  ASSERT_OK_AND_ASSIGN(std::string csv, RenderMatrix(m, ReportFormat::kCsv));
  EXPECT_EQ(csv, "element,A,\"B,1\"\nA,4,1\n\"B,1\",1,3\n");
  ASSERT_OK_AND_ASSIGN(std::string text, RenderMatrix(m, ReportFormat::kText));
  EXPECT_NE(text.find("\n1 A      4.   1\n2 B,1     1  3.\n"), std::string::npos) << text;
  EXPECT_FALSE(RenderMatrix(m, ReportFormat::kMarkdown).ok());
}

}  // namespace
}  // namespace coalition::report

namespace coalition::report {
namespace {

// Coverage gaps (SPEC §3) name the unserved element; the sentence says which case it is.
TEST(ExplainTest, CoverageGapSentences) {
  v1::Gap g;
  g.set_ier("air picture");
  g.set_coverage(v1::EACH_TO);
  g.set_to_element("UKR:F16");
  g.set_gap_class(v1::UNAVAILABLE);
  g.set_required_level(3);
  // No present counterpart: every feed is gone.
  EXPECT_EQ(GapExplanation(g),
            "UKR:F16 is unserved: it needs a feed from some source and every one it could use is "
            "absent (removed or grounded)");
  // The served element itself absent.
  g.add_absent_elements("UKR:F16");
  EXPECT_EQ(GapExplanation(g), "UKR:F16 is absent (removed or grounded)");
  // A technical gap with no counterpart at all.
  g.clear_absent_elements();
  g.set_gap_class(v1::TECHNICAL);
  EXPECT_EQ(GapExplanation(g),
            "UKR:F16 is unserved: it needs a feed from some source and the IER selects none");
  // With its best counterpart: the pair sentence follows.
  g.set_from_element("USA:AEW");
  g.set_layer(v1::LAYER_BEARER);
  EXPECT_EQ(GapExplanation(g).rfind("UKR:F16 is unserved (it needs a feed from some source at "
                                    "level 3); its best counterpart: USA:AEW reaches UKR:F16 at 0",
                                    0),
            0u)
      << GapExplanation(g);
  EXPECT_EQ(UnitsText(1, v1::EACH_FROM), "1 element");
  EXPECT_EQ(UnitsText(12, v1::COVERAGE_UNSPECIFIED), "12 pairs");
  EXPECT_EQ(MonthsText(0), "at once");
  EXPECT_EQ(MonthsText(6), "6 months");
}

}  // namespace
}  // namespace coalition::report
