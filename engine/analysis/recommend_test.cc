// Hand-worked recommendations on the hand model (engine/testing/fixtures.h); each expected plan
// is derived in a comment. The property tests (optimality against brute force, plans replayed as
// what-ifs) are in recommend_property_test.cc.
#include "engine/analysis/recommend.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "engine/analysis/whatif.h"
#include "engine/report/render_recommend.h"
#include "engine/testing/fixtures.h"
#include "engine/testing/scenario_fixture.h"
#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using coalition::testing::ScenarioFixture;

v1::Model Hand(const std::string& mix) {
  return coalition::testing::HandModelWithMix(coalition::testing::kHandModel, mix);
}


TEST(RecommendTest, LinkAndStandardReleasedTogetherAsOnePackage) {
  // J6 made releasable to NATO only (like LINK16). USA:F16 <-> UKR:F16 at min 3: UKR may use
  // neither LINK16 nor J6, so HF voice (1) only; with policy relaxed 4 -> POLICY, blocked by
  // LINK16 *and* J6 for UKR. Releasing one of them alone closes nothing; the package of both to
  // UKR closes both directions: 2 gaps, cost 0. UKR belongs to no group, so the package is
  // generated once (to UKR), and it is the whole plan.
  v1::Model m = Hand(R"pb(
    name: "m" budget_musd: 0
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "F16" nation: "UKR" quantity: 4 }
    iers { name: "track" from { all: true } to { all: true } min_level: 3 }
  )pb");
  for (auto& s : *m.mutable_standards()) {
    if (s.id() == "J6") s.add_releasable_to("NATO");
  }
  ScenarioFixture f(m, 0, /*with_chain=*/false);
  ASSERT_OK_AND_ASSIGN(v1::RecommendReport r, Recommend(*f.scenario, {}));
  EXPECT_EQ(r.gaps_before(), 2);
  ASSERT_TRUE(r.has_best_single());
  EXPECT_EQ(r.best_single().kind(), v1::Candidate::RELEASE_PACKAGE);
  ASSERT_EQ(r.best_single().changes_size(), 2);
  EXPECT_EQ(r.best_single().changes(0).release().item(), "LINK16");
  EXPECT_EQ(r.best_single().changes(1).release().item(), "J6");
  EXPECT_EQ(r.best_single().changes(1).release().party(), "UKR");
  EXPECT_EQ(r.best_single().gaps_closed_alone(), 2);
  EXPECT_EQ(r.plan().method(), v1::Plan::EXACT);
  ASSERT_EQ(r.plan().steps_size(), 1);
  EXPECT_EQ(r.plan().gaps_closed(), 2);
  EXPECT_EQ(r.plan().steps(0).gaps_left(), 0);
  EXPECT_EQ(r.plan().steps(0).closed_by_ier(0).policy(), 2);
  EXPECT_EQ(f.scenario->depth(), 0u);  // restored
}

TEST(RecommendTest, BudgetBuysTheCheaperFitOnly) {
  // USA:SHIP (JREAP/J6) and USA:F16 (LINK16/J6) share no link: BEARER gaps both ways (min 3).
  // Fits: JREAP to F16 (retrofit 7 M$ x 4 units = 28 M$) or LINK16 to SHIP (2 M$ x 1 = 2 M$);
  // either gives the common channel J6 -> level 4 (same nation): both gaps closed.
  // Budget 10: only LINK16 to SHIP is affordable -> the plan, 2 M$, 2 gaps.
  // Budget 1: nothing affordable -> empty plan.
  v1::Model m = Hand(R"pb(
    name: "m" budget_musd: 10
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { platform: "F16" nation: "USA" quantity: 4 }
    iers { name: "track" from { all: true } to { all: true } min_level: 3 }
  )pb");
  for (auto& l : *m.mutable_links()) {
    if (l.id() == "JREAP") l.set_retrofit_cost_musd(7);
  }
  ScenarioFixture f(m, 0, /*with_chain=*/false);
  ASSERT_OK_AND_ASSIGN(v1::RecommendReport r, Recommend(*f.scenario, {}));
  EXPECT_EQ(r.plan().budget_musd(), 10);
  ASSERT_EQ(r.plan().steps_size(), 1);
  const v1::Candidate& c = r.plan().steps(0).candidate();
  EXPECT_EQ(c.kind(), v1::Candidate::FIT);
  EXPECT_EQ(c.changes(0).fit().link(), "LINK16");
  EXPECT_EQ(c.changes(0).fit().platform(), "SHIP");
  EXPECT_EQ(c.cost_musd(), 2);
  EXPECT_EQ(r.plan().gaps_closed(), 2);
  EXPECT_EQ(r.plan().cost_musd(), 2);
  // The 28 M$ fit is generated but above the budget: not searched.
  EXPECT_EQ(r.candidates_useful(), 1);
  RecommendOptions poor;
  poor.budget_musd = 1;
  ASSERT_OK_AND_ASSIGN(v1::RecommendReport r1, Recommend(*f.scenario, poor));
  EXPECT_EQ(r1.plan().steps_size(), 0);
  EXPECT_EQ(r1.plan().gaps_closed(), 0);
}

TEST(RecommendTest, GatewayElementClosesMoreThanAnyFit) {
  // Two ships (USA, GBR; JREAP/J6) and two F16s (USA, POL; LINK16/J6), IER all -> all, min 2.
  // Gaps: every F16-SHIP pair both ways = 2 x 2 x 2 = 8 (BEARER). F16-F16 (LINK16/J6: 3) and
  // SHIP-SHIP (JREAP/J6: 3) are satisfied. Retrofits made dear (500 M$ per unit), budget 400:
  // no fit is affordable. One AEW (300 M$, gateway J6<->J6 cap 2), operated by USA, joins
  // LINK16/J6 and JREAP/J6 and bridges them at 2: all 8 gaps closed. (Operated by POL it may use
  // LINK16 and JREAP too: also 8, same cost; the USA one is generated first.) Its own new pairs
  // do not count.
  v1::Model m = Hand(R"pb(
    name: "m" budget_musd: 400
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { platform: "SHIP" nation: "GBR" quantity: 1 }
    elements { platform: "F16" nation: "USA" quantity: 1 }
    elements { platform: "F16" nation: "POL" quantity: 1 }
    iers { name: "picture" from { all: true } to { all: true } min_level: 2 }
  )pb");
  for (auto& l : *m.mutable_links()) l.set_retrofit_cost_musd(500);
  ScenarioFixture f(m, 0, /*with_chain=*/false);
  ASSERT_OK_AND_ASSIGN(v1::RecommendReport r, Recommend(*f.scenario, {}));
  EXPECT_EQ(r.gaps_before(), 8);
  ASSERT_TRUE(r.has_best_single());
  EXPECT_EQ(r.best_single().kind(), v1::Candidate::GATEWAY_ELEMENT);
  EXPECT_EQ(r.best_single().changes(0).add_gateway_element().platform(), "AEW");
  EXPECT_EQ(r.best_single().gaps_closed_alone(), 8);
  ASSERT_EQ(r.plan().steps_size(), 1);
  EXPECT_EQ(r.plan().gaps_closed(), 8);
  EXPECT_EQ(r.plan().cost_musd(), 300);
  // With a budget for fits too, fitting LINK16 to SHIP (500 x 2 units = 1000) also closes all 8;
  // the cheaper gateway still wins.
  RecommendOptions rich;
  rich.budget_musd = 5000;
  ASSERT_OK_AND_ASSIGN(v1::RecommendReport r2, Recommend(*f.scenario, rich));
  EXPECT_EQ(r2.plan().gaps_closed(), 8);
  EXPECT_EQ(r2.plan().cost_musd(), 300);
}

TEST(RecommendTest, IerThatNoCandidateCanSatisfyIsReported) {
  // TUR:ISLAND (SATX, no standard) -> POL:TANK (HF voice, K1) at min 1: no common link; no fit
  // gives a common data channel (SATX carries nothing, TANK's K1 is on no link), no gateway
  // speaks K1: no candidate at all. The IER "island" keeps its 1 gap; reported, not looped on.
  // The IER "voice" (TANK -> TANK-less POL F16 over HF) is already satisfied: empty plan.
  v1::Model m = Hand(R"pb(
    name: "m" budget_musd: 100
    elements { platform: "ISLAND" nation: "TUR" quantity: 1 }
    elements { platform: "TANK" nation: "POL" quantity: 1 }
    elements { platform: "F16" nation: "POL" quantity: 1 }
    iers { name: "island" from { platforms: "ISLAND" } to { platforms: "TANK" } min_level: 1 }
    iers { name: "voice" from { platforms: "TANK" } to { platforms: "F16" } min_level: 1 }
  )pb");
  ScenarioFixture f(m, 0, /*with_chain=*/false);
  RecommendOptions opt;
  opt.ier = "island";
  ASSERT_OK_AND_ASSIGN(v1::RecommendReport r, Recommend(*f.scenario, opt));
  EXPECT_EQ(r.gaps_before(), 1);
  EXPECT_EQ(r.ier(), "island");
  EXPECT_EQ(r.ier_gaps_unclosable(), 1);
  EXPECT_EQ(r.ier_plan().steps_size(), 0);
  opt.ier = "voice";
  ASSERT_OK_AND_ASSIGN(v1::RecommendReport r2, Recommend(*f.scenario, opt));
  EXPECT_EQ(r2.ier_gaps_unclosable(), 0);
  EXPECT_EQ(r2.ier_plan().steps_size(), 0);
  opt.ier = "nope";
  EXPECT_EQ(Recommend(*f.scenario, opt).status().code(), absl::StatusCode::kNotFound);
}

TEST(RecommendTest, CheapestPlanForOneIer) {
  // IER "ship" (USA:F16 -> USA:SHIP, min 3): BEARER, fixed by LINK16 to SHIP (2 M$ x 1) or
  // JREAP to F16 (3 M$ x 4 = 12 M$): the cheapest plan satisfying it is LINK16 to SHIP, 2 M$.
  // IER "ukr" (USA:F16 -> UKR:F16, min 3): POLICY (LINK16 for UKR). Budget 0: the plan within
  // the budget takes the free release only.
  v1::Model m = Hand(R"pb(
    name: "m" budget_musd: 0
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { platform: "F16" nation: "UKR" quantity: 4 }
    iers { name: "ship" from { elements: "USA:F16" } to { elements: "USA:SHIP" } min_level: 3 }
    iers { name: "ukr" from { elements: "USA:F16" } to { elements: "UKR:F16" } min_level: 3 }
  )pb");
  for (auto& l : *m.mutable_links()) {
    if (l.id() == "JREAP") l.set_retrofit_cost_musd(3);
  }
  ScenarioFixture f(m, 0, /*with_chain=*/false);
  RecommendOptions opt;
  opt.ier = "ship";
  ASSERT_OK_AND_ASSIGN(v1::RecommendReport r, Recommend(*f.scenario, opt));
  EXPECT_EQ(r.gaps_before(), 2);
  ASSERT_EQ(r.plan().steps_size(), 1);
  EXPECT_EQ(r.plan().steps(0).candidate().kind(), v1::Candidate::RELEASE_PACKAGE);
  EXPECT_EQ(r.plan().gaps_closed(), 1);
  EXPECT_EQ(r.ier_gaps_unclosable(), 0);
  EXPECT_EQ(r.ier_plan().method(), v1::Plan::EXACT);
  ASSERT_EQ(r.ier_plan().steps_size(), 1);
  EXPECT_EQ(r.ier_plan().steps(0).candidate().changes(0).fit().link(), "LINK16");
  EXPECT_EQ(r.ier_plan().cost_musd(), 2);
}

TEST(RecommendTest, GreedyWhenTheExactSearchIsOffAndItsBound) {
  // The package case again with the exact search disabled: greedy finds the same single step;
  // its bound (all searched candidates applied, budget ignored) is 2.
  v1::Model m = Hand(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "F16" nation: "UKR" quantity: 4 }
    iers { name: "track" from { all: true } to { all: true } min_level: 3 }
  )pb");
  ScenarioFixture f(m, 0, /*with_chain=*/false);
  RecommendOptions opt;
  opt.max_exact_candidates = 0;
  ASSERT_OK_AND_ASSIGN(v1::RecommendReport r, Recommend(*f.scenario, opt));
  EXPECT_EQ(r.plan().method(), v1::Plan::GREEDY);
  EXPECT_EQ(r.plan().stopped_by(), "candidates");
  EXPECT_EQ(r.plan().gaps_closed(), 2);
  EXPECT_EQ(r.plan().bound(), 2);
}

TEST(RecommendTest, CoverageGapClosedByAPlan) {
  // Elements 0 USA:AEW, 1 GBR:AEW, 2 USA:F16, 3 POL:F16, 4 UKR:F16. IER "picture": every F16
  // needs the air picture from some AEW (EACH_TO, min 3). LINK16 is releasable to NATO only,
  // J6 to everyone (the hand model), so UKR may not use LINK16: UKR:F16 has only LINK16 and HF,
  // the AEWs LINK16 and JREAP: no usable common link, level 0 from either AEW; with policy
  // relaxed, LINK16/J6 gives >= 3: one POLICY unit (UKR:F16), blocked by LINK16 for UKR.
  // USA:F16 is served by USA:AEW (same nation, 4), POL:F16 by either AEW (NATO, no sharing: 3).
  // So 3 units, 1 gap (ALL_PAIRS would count 2 for UKR:F16, one per AEW: checked below).
  // The only candidate: the package LINK16 to UKR (UKR is in no group), cost 0; after it both
  // AEWs reach UKR:F16 at 3, the best counterpart is the lowest index: USA:AEW. The plan: that
  // release, 1 unit closed, listed as USA:AEW -> UKR:F16. EACH_FROM mirrored (F16 -> AEW) gives
  // the same with the ends swapped. Applied as a what-if, the plan closes exactly that unit.
  for (const char* coverage : {"EACH_TO", "EACH_FROM", "ALL_PAIRS"}) {
    SCOPED_TRACE(coverage);
    const bool each_from = std::string(coverage) == "EACH_FROM";
    const bool all_pairs = std::string(coverage) == "ALL_PAIRS";
    const std::string sides = each_from ? R"(from { platforms: "F16" } to { platforms: "AEW" })"
                                        : R"(from { platforms: "AEW" } to { platforms: "F16" })";
    v1::Model m = Hand(absl::StrCat(R"pb(
      name: "m" budget_musd: 0
      elements { platform: "AEW" nation: "USA" quantity: 1 }
      elements { platform: "AEW" nation: "GBR" quantity: 1 }
      elements { platform: "F16" nation: "USA" quantity: 4 }
      elements { platform: "F16" nation: "POL" quantity: 4 }
      elements { platform: "F16" nation: "UKR" quantity: 4 }
      iers { name: "picture" )pb", sides, " min_level: 3 coverage: ", coverage, " }"));
    ScenarioFixture f(m, 0, /*with_chain=*/false);
    ASSERT_TRUE(f.ok());
    ASSERT_OK_AND_ASSIGN(v1::RecommendReport r, Recommend(*f.scenario, {}));
    EXPECT_EQ(r.gaps_before(), all_pairs ? 2 : 1);
    EXPECT_EQ(r.weighted_gaps_before(), 0);  // every weight 1: not set
    ASSERT_TRUE(r.has_best_single());
    ASSERT_EQ(r.best_single().changes_size(), 1);
    EXPECT_EQ(r.best_single().changes(0).release().item(), "LINK16");
    EXPECT_EQ(r.best_single().changes(0).release().party(), "UKR");
    EXPECT_EQ(r.best_single().gaps_closed_alone(), all_pairs ? 2 : 1);
    EXPECT_EQ(r.plan().method(), v1::Plan::EXACT);
    ASSERT_EQ(r.plan().steps_size(), 1);
    EXPECT_EQ(r.plan().gaps_closed(), all_pairs ? 2 : 1);
    EXPECT_EQ(r.plan().cost_musd(), 0);
    const v1::PlanStep& step = r.plan().steps(0);
    EXPECT_EQ(step.gaps_left(), 0);
    ASSERT_EQ(step.closed_by_ier_size(), 1);
    EXPECT_EQ(step.closed_by_ier(0).policy(), all_pairs ? 2 : 1);
    ASSERT_EQ(step.closed_size(), all_pairs ? 2 : 1);
    EXPECT_EQ(step.closed(0).from_element(), each_from ? "UKR:F16" : "USA:AEW");
    EXPECT_EQ(step.closed(0).to_element(), each_from ? "USA:AEW" : "UKR:F16");
    EXPECT_EQ(f.scenario->depth(), 0u);
    // The plan as a what-if closes exactly the unit(s) claimed.
    v1::WhatIf w;
    for (const v1::Change& ch : step.candidate().changes()) *w.add_changes() = ch;
    WhatIfOptions wo;
    wo.max_gaps = -1;
    ASSERT_OK_AND_ASSIGN(WhatIfResult wr, AnalyzeWhatIf(*f.graph, *f.mix, *f.chain, w, wo));
    EXPECT_EQ(wr.report.gaps_closed_total(), r.plan().gaps_closed());
    EXPECT_EQ(wr.report.gaps_opened_total(), 0);
    ASSERT_GE(wr.report.gaps_closed_size(), 1);
    EXPECT_EQ(each_from ? wr.report.gaps_closed(0).from_element()
                        : wr.report.gaps_closed(0).to_element(),
              "UKR:F16");
  }
}

TEST(RecommendTest, WeightsPreferTheHeavierGapsWithinTheBudget) {
  // USA:SHIP (JREAP/J6), three F16s (USA, GBR, POL; LINK16/HF, J6), F35-a (USA, 2 units;
  // MADL/LINK16, J6). IER "fighters" SHIP -> F16 (min 2, weight 1): 3 BEARER gaps; IER "stealth"
  // SHIP -> F35 (min 2, weight w): 1 BEARER gap. LINK16 retrofit made dear (1000 M$), JREAP
  // 1 M$ a unit: JREAP to F16 costs 3 (3 units) and closes the 3 "fighters" gaps (JREAP/J6: USA 4,
  // GBR 4 (FVEY), POL 3); JREAP to F35 costs 2 and closes the "stealth" gap (4). Budget 3: one of
  // them (5 > 3). The AEW gateway (300 M$) and LINK16 to SHIP are above the budget; both close
  // all 4 gaps alone (the gateway bridges JREAP and LINK16 at J6), so the best single candidate
  // (budget ignored) is the cheaper, the gateway: 4 gaps, weighted 3 + w.
  //   w = 1: the F16 fit, 3 gaps (3 > 1), 3 M$.
  //   w = 5: weighted gaps 3 x 1 + 1 x 5 = 8 before; the F16 fit closes 3, the F35 fit 5: the
  //          F35 fit, 1 gap, weighted 5, 2 M$; left 3 (weighted 3). Greedy agrees (5/2 > 3/3);
  //          its bound: both searched fits together close everything, 8 (4 gaps).
  for (const double w : {1.0, 5.0}) {
    SCOPED_TRACE(w);
    v1::Model m = Hand(absl::StrCat(R"pb(
      name: "m" budget_musd: 3
      elements { platform: "SHIP" nation: "USA" quantity: 1 }
      elements { platform: "F16" nation: "USA" quantity: 1 }
      elements { platform: "F16" nation: "GBR" quantity: 1 }
      elements { platform: "F16" nation: "POL" quantity: 1 }
      elements { id: "F35-a" platform: "F35" nation: "USA" quantity: 2 }
      iers { name: "fighters" from { platforms: "SHIP" } to { platforms: "F16" } min_level: 2 }
      iers { name: "stealth" from { platforms: "SHIP" } to { platforms: "F35" } min_level: 2
             weight: )pb", w, " }"));
    for (auto& l : *m.mutable_links()) {
      if (l.id() == "LINK16") l.set_retrofit_cost_musd(1000);
      if (l.id() == "JREAP") l.set_retrofit_cost_musd(1);
    }
    ScenarioFixture f(m, 0, /*with_chain=*/false);
    ASSERT_TRUE(f.ok());
    for (const bool greedy : {false, true}) {
      SCOPED_TRACE(greedy ? "greedy" : "exact");
      RecommendOptions opt;
      if (greedy) opt.max_exact_candidates = 0;
      ASSERT_OK_AND_ASSIGN(v1::RecommendReport r, Recommend(*f.scenario, opt));
      EXPECT_EQ(r.gaps_before(), 4);
      EXPECT_EQ(r.candidates_useful(), 2);
      const v1::Plan& p = r.plan();
      EXPECT_EQ(p.method(), greedy ? v1::Plan::GREEDY : v1::Plan::EXACT);
      ASSERT_EQ(p.steps_size(), 1);
      const v1::Candidate& c = p.steps(0).candidate();
      ASSERT_EQ(c.kind(), v1::Candidate::FIT);
      EXPECT_EQ(c.changes(0).fit().link(), "JREAP");
      EXPECT_EQ(r.best_single().kind(), v1::Candidate::GATEWAY_ELEMENT);
      EXPECT_EQ(r.best_single().gaps_closed_alone(), 4);
      if (w == 1) {
        EXPECT_EQ(c.changes(0).fit().platform(), "F16");
        EXPECT_EQ(p.gaps_closed(), 3);
        EXPECT_EQ(p.cost_musd(), 3);
        EXPECT_EQ(r.weighted_gaps_before(), 0);  // not set
        EXPECT_EQ(p.weighted_gaps_closed(), 0);
        EXPECT_EQ(r.best_single().weighted_gaps_closed_alone(), 0);  // not set
        continue;
      }
      EXPECT_EQ(c.changes(0).fit().platform(), "F35");
      EXPECT_EQ(p.gaps_closed(), 1);
      EXPECT_DOUBLE_EQ(p.weighted_gaps_closed(), 5);
      EXPECT_DOUBLE_EQ(p.weighted_gaps_opened(), 0);
      EXPECT_EQ(p.cost_musd(), 2);
      EXPECT_DOUBLE_EQ(r.weighted_gaps_before(), 8);
      EXPECT_EQ(p.steps(0).gaps_left(), 3);
      EXPECT_DOUBLE_EQ(p.steps(0).weighted_gaps_left(), 3);
      EXPECT_DOUBLE_EQ(p.steps(0).weighted_gaps_closed(), 5);
      EXPECT_DOUBLE_EQ(r.best_single().weighted_gaps_closed_alone(), 8);
      EXPECT_EQ(p.bound(), greedy ? 4 : 1);
      EXPECT_DOUBLE_EQ(p.weighted_bound(), greedy ? 8 : 5);
      // The text report shows both figures.
      ASSERT_OK_AND_ASSIGN(std::string text,
                           report::RenderRecommendReport(r, report::ReportFormat::kText));
      EXPECT_NE(text.find("Gaps now: 4 (weighted 8)"), std::string::npos) << text;
      EXPECT_NE(text.find("closes 1 gap(s) (weighted 5)"), std::string::npos) << text;
    }
  }
}

}  // namespace
}  // namespace coalition::analysis
