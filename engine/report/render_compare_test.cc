#include "engine/report/render_compare.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;

v1::CompareReport Parse(const char* text) {
  v1::CompareReport m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m));
  return m;
}

const v1::CompareReport kTwo = Parse(R"pb(
  model_name: "m"
  mixes {
    mix_name: "cheap" cost_musd: 100 units: 10 elements: 3 iers_satisfied: 1 iers_total: 2
    pairs_evaluated: 12 pairs_satisfied: 9 gaps_policy: 2 gaps_technical: 1 gaps_total: 3
    level_histogram: [ 1, 2, 0, 9, 0 ]
    single_points: 1 top_single_point: "E3" top_single_point_gaps: 4
    risk {
      largest_exposure { nation: "USA" grounded_units: 5 grounded_cost_musd: 50 unit_share: 0.5 cost_share: 0.5 }
      adversary_critical { kind: "ADVERSARY_CRITICAL" elements: 2 units: 7 }
      itar_exposure { kind: "ITAR_EXPOSURE" findings: 6 elements: 1 units: 2 }
      sourcing { sourcing: US_BUILT unit_share: 0.25 cost_share: 0.75 }
      sourcing { sourcing: THIRD_PARTY unit_share: 0.75 cost_share: 0.25 }
    }
    on_pareto_front: true budget_musd: 50
  }
  mixes {
    mix_name: "dear" cost_musd: 120 units: 10 elements: 3 gaps_total: 3 gaps_technical: 3
    level_histogram: [ 0, 0, 0, 0, 0 ]
  }
)pb");

TEST(RenderCompareTest, TextIsSideBySideWithTheFrontMarked) {
  ASSERT_OK_AND_ASSIGN(std::string text, RenderCompareReport(kTwo, ReportFormat::kText));
  EXPECT_EQ(text.find("Comparison of 2 mixes on model \"m\""), 0u) << text;
  EXPECT_NE(text.find("Pareto front: cheap\n"), std::string::npos) << text;
  // One header row: the measure column, then one column per mix, the front marked.
  EXPECT_NE(text.find("measure"), std::string::npos);
  const size_t header = text.find("cheap *");
  ASSERT_NE(header, std::string::npos) << text;
  EXPECT_EQ(text.find("dear *"), std::string::npos) << text;
  EXPECT_NE(text.find("\n* on the Pareto front"), std::string::npos) << text;
  EXPECT_NE(text.find("5 (50.0%)"), std::string::npos) << text;  // units USA grounds
  EXPECT_NE(text.find("E3 (4)"), std::string::npos) << text;
  EXPECT_NE(text.find("25.0% / 75.0%"), std::string::npos) << text;
  EXPECT_NE(text.find("none"), std::string::npos) << text;  // dear: no exposure
  // Byte-identical on a second rendering.
  ASSERT_OK_AND_ASSIGN(std::string again, RenderCompareReport(kTwo, ReportFormat::kText));
  EXPECT_EQ(text, again);
}

TEST(RenderCompareTest, MarkdownTableAndLegend) {
  ASSERT_OK_AND_ASSIGN(std::string md, RenderCompareReport(kTwo, ReportFormat::kMarkdown));
  EXPECT_EQ(md.find("# Comparison of 2 mixes"), 0u) << md;
  EXPECT_NE(md.find("| measure | cheap \\* | dear |"), std::string::npos) << md;
  EXPECT_NE(md.find("| **Risk** |  |  |"), std::string::npos) << md;
  EXPECT_NE(md.find("\\* on the Pareto front"), std::string::npos) << md;
}

TEST(RenderCompareTest, CsvOneRowPerMix) {
  ASSERT_OK_AND_ASSIGN(std::string csv, RenderCompareReport(kTwo, ReportFormat::kCsv));
  std::vector<std::string> lines = absl::StrSplit(csv, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << csv;
  EXPECT_EQ(lines[0].rfind("mix,cost_musd,units,elements,budget_musd,", 0), 0u) << csv;
  EXPECT_NE(lines[0].find(",on_pareto_front"), std::string::npos);
  EXPECT_EQ(lines[1].rfind("cheap,100.0,10,3,50.0,", 0), 0u) << csv;
  EXPECT_EQ(lines[1].substr(lines[1].size() - 5), ",true");
  EXPECT_EQ(lines[2].substr(lines[2].size() - 6), ",false");
  const size_t columns = std::count(lines[0].begin(), lines[0].end(), ',');
  EXPECT_EQ(std::count(lines[1].begin(), lines[1].end(), ','), columns);
  EXPECT_EQ(std::count(lines[2].begin(), lines[2].end(), ','), columns);
}

TEST(RenderCompareTest, LongNamesGetAKey) {
  v1::CompareReport r;
  r.set_model_name("m");
  for (int i = 0; i < 6; ++i) {
    v1::MixComparison* m = r.add_mixes();
    m->set_mix_name(std::string(30, static_cast<char>('a' + i)));
    m->set_on_pareto_front(i == 2);
  }
  ASSERT_OK_AND_ASSIGN(std::string text, RenderCompareReport(r, ReportFormat::kText));
  EXPECT_NE(text.find("  [1] " + std::string(30, 'a') + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[3] *"), std::string::npos) << text;
  for (absl::string_view line : absl::StrSplit(text, '\n')) EXPECT_LE(line.size(), 120u) << line;
}

TEST(RenderCompareTest, ProtoFormats) {
  ASSERT_OK_AND_ASSIGN(std::string json, RenderCompareReport(kTwo, ReportFormat::kJson));
  EXPECT_NE(json.find("\"on_pareto_front\": true"), std::string::npos) << json;
  ASSERT_OK_AND_ASSIGN(std::string bin, RenderCompareReport(kTwo, ReportFormat::kBinary));
  v1::CompareReport back;
  ASSERT_TRUE(back.ParseFromString(bin));
  EXPECT_EQ(back.mixes_size(), 2);
}

}  // namespace
}  // namespace coalition::report
