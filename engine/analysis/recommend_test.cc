// Hand-worked recommendations on the hand model (engine/testing/fixtures.h); each expected plan
// is derived in a comment. The property tests (optimality against brute force, plans replayed as
// what-ifs) are in recommend_property_test.cc.
#include "engine/analysis/recommend.h"

#include <string>

#include "absl/strings/str_cat.h"
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

}  // namespace
}  // namespace coalition::analysis
