#include "engine/report/render_html.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::report {
namespace {

namespace v1 = ::coalition::v1;

template <typename M>
M Parse(const char* text) {
  M m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m)) << text;
  return m;
}

int Count(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (size_t p = 0; (p = hay.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

// Three elements: A (POL), B (UKR), C (POL); displayed grouped by nation: A, C, B.
// Matrix (row-major, mix order A, B, C): A-B 1, A-C 3, B-C 0; diagonal 4, 0, 4.
// One listed gap A -> B (POLICY) of two (one omitted).
constexpr char kGaps[] = R"pb(
  model_name: "m <model>" mix_name: "mix & co" elements: 3 units: 7 cost_musd: 12.5
  pairs_evaluated: 2 pairs_satisfied: 0 gaps_total: 2 iers_total: 1
  by_ier { key: "track" pairs: 2 gaps: 2 policy: 1 technical: 1 }
  by_class { key: "POLICY" gaps: 1 policy: 1 }
  by_class { key: "TECHNICAL" gaps: 1 technical: 1 }
  level_histogram: [1, 1, 0, 0, 0]
  gaps { ier: "track" from_element: "A" to_element: "B" gap_class: POLICY achieved_level: 1
         required_level: 3 relaxed_level: 3 layer: LAYER_POLICY
         policy_blocks { item_kind: LINK item: "LINK16" nation: "UKR" releasable_to: "NATO" }
         fixes { change { release { item: "LINK16" party: "UKR" } } } }
  gaps_omitted: 1 max_gaps: 1
)pb";
constexpr char kMatrix[] = R"pb(
  elements: ["A", "B", "C"] levels: [4, 1, 3, 1, 0, 0, 3, 0, 4]
)pb";

MixPage Page(const v1::GapReport* gaps, const v1::InteropMatrix* matrix) {
  MixPage p;
  p.gaps = gaps;
  p.matrix = matrix;
  p.elements = {{"A", "F16", "POL"}, {"B", "F16", "UKR"}, {"C", "TANK", "POL"}};
  p.network_note = "no picture in this test";
  return p;
}

TEST(RenderMixHtmlTest, HeatMapCellsLevelsGroupingAndGapOutline) {
  const auto gaps = Parse<v1::GapReport>(kGaps);
  const auto matrix = Parse<v1::InteropMatrix>(kMatrix);
  const std::string html = RenderMixHtml(Page(&gaps, &matrix));
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>"));
  EXPECT_EQ(Count(html, "<rect class=\"cell "), 9);
  // Rows in nation order: A, C (POL), then B (UKR).
  const size_t a = html.find("class=\"hm-row\" data-element=\"A\"");
  const size_t c = html.find("class=\"hm-row\" data-element=\"C\"");
  const size_t b = html.find("class=\"hm-row\" data-element=\"B\"");
  ASSERT_NE(a, std::string::npos);
  EXPECT_LT(a, c);
  EXPECT_LT(c, b);
  // Row A, columns A, C, B: levels 4, 3, 1; the A -> B cell is the listed gap.
  const std::string row_a = html.substr(a, c - a);
  const size_t l4 = row_a.find("cell l4\""), l3 = row_a.find("cell l3\""),
               l1 = row_a.find("cell l1 gap\"");
  ASSERT_NE(l1, std::string::npos) << row_a;
  EXPECT_LT(l4, l3);
  EXPECT_LT(l3, l1);
  EXPECT_EQ(Count(html, " gap\" x="), 1);
  // Gap list: one row, its explanation and fix from explain.h, filter data.
  EXPECT_EQ(Count(html, "<tr class=\"gap-row\""), 1);
  EXPECT_TRUE(absl::StrContains(html, "data-ier=\"track\" data-class=\"POLICY\" data-nations=\"POL UKR\""));
  EXPECT_TRUE(absl::StrContains(html, "release LINK16 to UKR"));
  EXPECT_TRUE(absl::StrContains(html, "1 more are counted above but not listed"));
  // Escaped names; nothing fetched.
  EXPECT_TRUE(absl::StrContains(html, "mix &amp; co"));
  EXPECT_TRUE(absl::StrContains(html, "m &lt;model&gt;"));
  EXPECT_FALSE(absl::StrContains(html, "http:") || absl::StrContains(html, "https:"));
  EXPECT_FALSE(absl::StrContains(html, " src="));
  EXPECT_TRUE(absl::StrContains(html, "default-src 'none'"));
  // The filter starts hidden (complete without scripts) and the script is inline.
  EXPECT_TRUE(absl::StrContains(html, "id=\"gap-filters\" hidden"));
  EXPECT_TRUE(absl::StrContains(html, "<script>"));
  EXPECT_EQ(html, RenderMixHtml(Page(&gaps, &matrix)));  // byte-identical
}

TEST(RenderMixHtmlTest, LargeMixGetsNationMapAndCollapsedOrOmittedElementMap) {
  v1::GapReport gaps;
  v1::InteropMatrix matrix;
  MixPage p = Page(&gaps, &matrix);
  p.elements.clear();
  const int n = kHeatMapOpenElements + 1;
  for (int i = 0; i < n; ++i) {
    const std::string id = absl::StrCat("E", i);
    matrix.add_elements(id);
    p.elements.push_back({id, "P", i % 2 ? "AAA" : "BBB"});
  }
  for (int i = 0; i < n * n; ++i) matrix.add_levels(i % 5);
  std::string html = RenderMixHtml(p);
  EXPECT_TRUE(absl::StrContains(html, "id=\"nation-heatmap\""));
  EXPECT_EQ(Count(html, "<rect class=\"ncell "), 4);
  EXPECT_TRUE(absl::StrContains(html, "<details><summary>Every element"));
  EXPECT_EQ(Count(html, "<rect class=\"cell "), n * n);
  p.max_heat_map_elements = 50;
  html = RenderMixHtml(p);
  EXPECT_EQ(Count(html, "<rect class=\"cell "), 0);
  EXPECT_TRUE(absl::StrContains(html, "is not drawn above 50 elements"));
}

TEST(InlineSvgTest, DropsPrologDoctypeCommentsAndNamespaces) {
  const std::string svg =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n "
      "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<!-- Generated by graphviz -->\n"
      "<svg width=\"8pt\" xmlns=\"http://www.w3.org/2000/svg\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<!-- a -->\n<g id=\"graph0\"></g>\n</svg>\n";
  EXPECT_EQ(InlineSvg(svg), "<svg width=\"8pt\">\n<g id=\"graph0\"></g>\n</svg>");
}

TEST(RenderOtherHtmlTest, RiskWhatIfRecommendCompare) {
  const auto risk = Parse<v1::RiskReport>(R"pb(
    mix_name: "m" units: 10 cost_musd: 100 nations_evaluated: 3
    exposures { nation: "CHN" grounded_elements: "A" grounded_units: 4 unit_share: 0.4 cost_share: 0.25 }
    sourcing { sourcing: US_BUILT units: 6 unit_share: 0.6 cost_share: 0.7 }
    sourcing { sourcing: THIRD_PARTY units: 4 unit_share: 0.4 cost_share: 0.3 }
    by_kind { kind: "ITAR_EXPOSURE" findings: 1 elements: 1 units: 4 unit_share: 0.4 }
  )pb");
  std::string html = RenderRiskHtml(risk);
  EXPECT_TRUE(absl::StrContains(html, "CHN"));
  EXPECT_TRUE(absl::StrContains(html, "width:40.00%"));
  EXPECT_FALSE(absl::StrContains(html, "http:") || absl::StrContains(html, "https:"));

  const auto whatif = Parse<v1::WhatIfReport>(R"pb(
    mix_name: "m" changes { embargo { nation: "CHN" } } grounded_elements: "A"
    aggregates { name: "gaps" before: 2 after: 5 } gaps_opened_total: 3
  )pb");
  html = RenderWhatIfHtml(whatif);
  EXPECT_TRUE(absl::StrContains(html, "embargo CHN"));
  EXPECT_TRUE(absl::StrContains(html, "+3"));

  const auto rec = Parse<v1::RecommendReport>(R"pb(
    mix_name: "m" gaps_before: 10
    plan { method: EXACT budget_musd: 50 cost_musd: 12 gaps_closed: 8 bound: 8
      steps { candidate { changes { release { item: "L" party: "UKR" } } } gaps_closed: 6
              cumulative_cost_musd: 0 gaps_left: 4 }
      steps { candidate { changes { fit { link: "L" platform: "P" } } cost_musd: 12 } gaps_closed: 2
              cumulative_cost_musd: 12 gaps_left: 2 } }
  )pb");
  html = RenderRecommendHtml(rec);
  EXPECT_TRUE(absl::StrContains(html, "release L to UKR"));
  EXPECT_TRUE(absl::StrContains(html, "fit L to P"));
  EXPECT_EQ(Count(html, "<circle "), 2);

  const auto cmp = Parse<v1::CompareReport>(R"pb(
    model_name: "m"
    mixes { mix_name: "cheap" cost_musd: 10 gaps_total: 9 on_pareto_front: true }
    mixes { mix_name: "good" cost_musd: 90 gaps_total: 1 on_pareto_front: true }
    mixes { mix_name: "bad" cost_musd: 95 gaps_total: 9 }
  )pb");
  html = RenderCompareHtml(cmp);
  EXPECT_EQ(Count(html, "class=\"pareto\""), 2);
  EXPECT_EQ(Count(html, "class=\"dominated\""), 1);
  EXPECT_TRUE(absl::StrContains(html, "<polyline"));
  EXPECT_EQ(html, RenderCompareHtml(cmp));
}

// The fields of IER coverage, time to ground, restrictions in force and per-IER single points
// are shown when the reports carry them.
TEST(RenderMixHtmlTest, CoverageTimeToGroundRestrictionsAndSinglePoints) {
  auto gaps = Parse<v1::GapReport>(kGaps);
  gaps.mutable_by_ier(0)->set_coverage(v1::EACH_TO);
  gaps.mutable_by_ier(0)->set_weight(2.5);
  gaps.mutable_gaps(0)->set_coverage(v1::EACH_TO);
  gaps.set_weighted_gaps(5);
  const auto matrix = Parse<v1::InteropMatrix>(kMatrix);
  const auto risk = Parse<v1::RiskReport>(R"pb(
    horizon_months: 3 restrictions_in_force: 1 unsustainable_elements: "B"
    elements { element: "B" restricted_by: "RUS-TO-UKR" }
    exposures { nation: "CHN" grounded_elements: ["A", "C"] grounded_units: 5 units_within_horizon: 2
                grounded { element: "A" months: 0 components: "CRYPTO" }
                grounded { element: "C" months: 6 components: "SHELL" } }
  )pb");
  const auto spof = Parse<v1::SinglePointsReport>(R"pb(
    points { element: "A" gaps_opened: 3 by_ier { ier: "track" gaps_opened: 3 } }
    cannot_lose { ier: "track" elements: "A" }
  )pb");
  MixPage p = Page(&gaps, &matrix);
  p.risk = &risk;
  p.spof = &spof;
  const std::string html = RenderMixHtml(p);
  EXPECT_TRUE(absl::StrContains(html, "track (weight 2.5)"));
  EXPECT_TRUE(absl::StrContains(html, "element (EACH_TO)"));
  EXPECT_TRUE(absl::StrContains(html, "track <small>EACH_TO</small>"));
  EXPECT_TRUE(absl::StrContains(html, "weighted gaps"));
  EXPECT_TRUE(absl::StrContains(html, "A (at once: CRYPTO); C (6 months: SHELL)"));
  EXPECT_TRUE(absl::StrContains(html, "within 3 months"));
  EXPECT_TRUE(absl::StrContains(html, "B (restricted by RUS-TO-UKR)"));
  EXPECT_TRUE(absl::StrContains(html, "supply restrictions in force"));
  EXPECT_TRUE(absl::StrContains(html, "id=\"spof\""));
  EXPECT_TRUE(absl::StrContains(html, "<td>track</td><td>A</td>"));  // what the IER cannot lose
}

// Free text passes TextSafe (escape.h) before HTML entities: a direction override or a newline
// from the input cannot reorder or break what the page shows, nor inject markup.
TEST(RenderMixHtmlTest, HostileNamesAreEscaped) {
  auto gaps = Parse<v1::GapReport>(kGaps);
  gaps.set_mix_name("x\xE2\x80\xAE<script>alert(1)</script>\n");
  const auto matrix = Parse<v1::InteropMatrix>(kMatrix);
  const std::string html = RenderMixHtml(Page(&gaps, &matrix));
  EXPECT_FALSE(absl::StrContains(html, "<script>alert"));
  EXPECT_FALSE(absl::StrContains(html, "\xE2\x80\xAE"));
  EXPECT_TRUE(absl::StrContains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
}

}  // namespace
}  // namespace coalition::report
