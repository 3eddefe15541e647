// IER coverage and weight (SPEC §1, §3): hand-worked cases on the hand model of fixtures.h, and
// property tests against the slow oracle (engine/testing/slow_gaps.h) on seeded random models
// with coverage, weights and supply restrictions in force, through random typed changes.
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/analysis/evaluation.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/spof.h"
#include "engine/analysis/units.h"
#include "engine/scenario/scenario.h"
#include "engine/testing/apply_changes.h"
#include "engine/testing/fixtures.h"
#include "engine/testing/random_model.h"
#include "engine/testing/scenario_fixture.h"
#include "engine/testing/slow_gaps.h"
#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using coalition::testing::HandModelWithSupply;
using coalition::testing::ParseChange;
using coalition::testing::ScenarioFixture;

// Levels on the hand model used below (fixtures.h):
//   AEW (USA; LINK16 + JREAP, J6) - F16 of USA: 4 (same nation), of GBR: 4 (FVEY shares),
//   of POL: 3 (NATO does not share), of UKR: 0 (UKR may not use LINK16, the AEW has no HF);
//   with policy relaxed UKR reaches 4.
//   SHIP (USA; JREAP, J6) - any F16: 2 through the AEW's J6<->J6 gateway (cap 2); 0 without the
//   AEW (no common link).
// Elements: 0 USA:F16 1 GBR:F16 2 POL:F16 3 USA:OLDJET 4 POL:TANK 5 USA:SHIP 6 USA:AEW
//           7 UKR:F16 8 TUR:ISLAND 9 F35-a 10 F35-b.
std::string Mix(const std::string& iers) {
  return absl::StrCat(coalition::testing::kHandMix, iers);
}

v1::GapReport Gaps(ScenarioFixture& f) {
  return AnalyzeGaps(*f.scenario, ComputePolicyLevels(*f.scenario), {-1});
}

constexpr char kPicture[] = R"pb(
  iers {
    name: "air picture"
    from { platforms: "AEW" platforms: "SHIP" }
    to { platforms: "F16" }
    min_level: 3
    coverage: %s
  }
)pb";

std::string Picture(const char* coverage) {
  std::string s = kPicture;
  s.replace(s.find("%s"), 2, coverage);
  return s;
}

TEST(CoverageTest, OneSourceServesEveryConsumer) {
  // EACH_TO: the units are the 4 F16s. USA, GBR, POL get the picture from the AEW (4, 4, 3 >= 3);
  // UKR gets nothing (0 from both) but would get 4 from the AEW with policy relaxed: one POLICY
  // gap, not one per source, naming the AEW as its counterpart.
  ScenarioFixture f(HandModelWithSupply(Mix(Picture("EACH_TO"))));
  ASSERT_TRUE(f.ok());
  const v1::GapReport r = Gaps(f);
  ASSERT_EQ(r.by_ier_size(), 1);
  EXPECT_EQ(r.by_ier(0).coverage(), v1::EACH_TO);
  EXPECT_EQ(r.by_ier(0).pairs(), 4);  // units: elements of `to`
  EXPECT_EQ(r.by_ier(0).satisfied(), 3);
  EXPECT_EQ(r.by_ier(0).policy(), 1);
  EXPECT_EQ(r.coverage_units(), 4);
  ASSERT_EQ(r.gaps_size(), 1);
  const v1::Gap& g = r.gaps(0);
  EXPECT_EQ(g.coverage(), v1::EACH_TO);
  EXPECT_EQ(g.to_element(), "UKR:F16");
  EXPECT_EQ(g.from_element(), "USA:AEW");
  EXPECT_EQ(g.gap_class(), v1::POLICY);
  EXPECT_EQ(g.achieved_level(), 0);
  EXPECT_EQ(g.relaxed_level(), 4);
  // Histogram over units: the three served at their best (4, 4, 3), UKR at 0.
  EXPECT_EQ(r.level_histogram(4), 2);
  EXPECT_EQ(r.level_histogram(3), 1);
  EXPECT_EQ(r.level_histogram(0), 1);

  // The same requirement as ALL_PAIRS: 2 x 4 pairs; SHIP-F16 is 2 < 3 for all four F16s
  // (TECHNICAL: no policy relaxes a gateway's cap), AEW-UKR is POLICY: 5 gaps.
  ScenarioFixture all(HandModelWithSupply(Mix(Picture("ALL_PAIRS"))));
  const v1::GapReport ra = Gaps(all);
  EXPECT_EQ(ra.by_ier(0).pairs(), 8);
  EXPECT_EQ(ra.gaps_total(), 5);
  EXPECT_EQ(ra.coverage_units(), 0);
}

TEST(CoverageTest, EachFromUnitsAreSenders) {
  // Every F16 must report to some C2 node (the AEW) at level 2: USA, GBR, POL do (4, 4, 3);
  // UKR does not (0; POLICY, relaxed 4). Units: the 4 F16s on the from side.
  ScenarioFixture f(HandModelWithSupply(Mix(R"pb(
    iers { name: "report" from { platforms: "F16" } to { roles: "c2" } min_level: 2 coverage: EACH_FROM weight: 2.5 }
  )pb")));
  const v1::GapReport r = Gaps(f);
  EXPECT_EQ(r.by_ier(0).pairs(), 4);
  EXPECT_EQ(r.by_ier(0).satisfied(), 3);
  ASSERT_EQ(r.gaps_size(), 1);
  EXPECT_EQ(r.gaps(0).from_element(), "UKR:F16");
  EXPECT_EQ(r.gaps(0).to_element(), "USA:AEW");
  EXPECT_DOUBLE_EQ(r.by_ier(0).weight(), 2.5);
  EXPECT_DOUBLE_EQ(r.weighted_gaps(), 2.5);  // one gap x weight 2.5
  Evaluation ev(*f.scenario);
  EXPECT_DOUBLE_EQ(ev.tally().weighted_gaps(), 2.5);
}

TEST(CoverageTest, SoleProviderRemovedOpensAGapPerConsumer) {
  // Without the AEW the F16s' only feed is the SHIP at 0 (its JREAP reached them through the
  // AEW's gateway): USA, GBR and POL become TECHNICAL gaps (a present counterpart, relaxed 0);
  // UKR stays a gap. Removing the AEW opens 3 gaps between other elements, so the AEW is a
  // single point of failure of this IER.
  ScenarioFixture f(HandModelWithSupply(Mix(Picture("EACH_TO"))));
  Evaluation ev(*f.scenario);
  EXPECT_EQ(ev.tally().gaps(), 1);
  ASSERT_OK(ev.Apply(ParseChange(R"pb(remove_element { element: "USA:AEW" })pb")).status());
  EXPECT_EQ(ev.tally().gaps(), 4);
  EXPECT_EQ(ev.tally().iers[0].technical, 4);  // UKR too: relaxed is 0 with the SHIP alone
  ev.Undo();
  EXPECT_EQ(ev.tally().gaps(), 1);

  const v1::SinglePointsReport sp = FindSinglePointsOfFailure(*f.scenario, {-1});
  ASSERT_GE(sp.points_size(), 1);
  EXPECT_EQ(sp.points(0).element(), "USA:AEW");
  EXPECT_EQ(sp.points(0).gaps_opened(), 3);
  ASSERT_EQ(sp.cannot_lose_size(), 1);
  EXPECT_EQ(sp.cannot_lose(0).ier(), "air picture");
  ASSERT_EQ(sp.cannot_lose(0).elements_size(), 1);
  EXPECT_EQ(sp.cannot_lose(0).elements(0), "USA:AEW");
}

TEST(CoverageTest, OnlySourceGroundedIsUnavailable) {
  // The AEW needs AEWRADAR, made only in Turkey; the AEW is American, so a Turkish embargo
  // reaches it. With the AEW as the only source every F16's feed is gone: 4 UNAVAILABLE units.
  ScenarioFixture f(HandModelWithSupply(Mix(R"pb(
    iers { name: "air picture" from { platforms: "AEW" } to { platforms: "F16" } min_level: 3 coverage: EACH_TO }
  )pb")));
  Evaluation ev(*f.scenario);
  EXPECT_EQ(ev.tally().gaps(), 1);  // UKR
  ASSERT_OK(ev.Apply(ParseChange(R"pb(embargo { nation: "TUR" })pb")).status());
  EXPECT_EQ(ev.tally().iers[0].unavailable, 4);
  EXPECT_EQ(ev.tally().iers[0].pairs, 4);
  const v1::GapReport r = AnalyzeGaps(*f.scenario, ev.levels(), {-1});
  EXPECT_EQ(r.by_class_size(), 1);
  EXPECT_EQ(r.by_class(0).key(), "UNAVAILABLE");
  for (const v1::Gap& g : r.gaps()) {
    EXPECT_EQ(g.from_element(), "") << "no present counterpart";
    EXPECT_EQ(g.gap_class(), v1::UNAVAILABLE);
  }
}

// Properties on random models with coverage, weights and restrictions in force.
class CoveragePropertyTest : public ::testing::TestWithParam<int> {};

coalition::v1::Model CoverageModel(uint64_t seed) {
  coalition::testing::RandomModelOptions opt;
  opt.elements = 11;
  opt.iers = 4;
  v1::Model m = coalition::testing::RandomModel(seed, opt);
  coalition::testing::AddRandomCoverageAndSupply(seed, &m);
  return m;
}

void ExpectCounts(const std::vector<coalition::testing::SlowIerCounts>& slow,
                  const GapTally& tally, const v1::GapReport* report, const std::string& where) {
  ASSERT_EQ(slow.size(), tally.iers.size()) << where;
  std::array<int64_t, 5> hist{};
  for (size_t k = 0; k < slow.size(); ++k) {
    const IerTally& t = tally.iers[k];
    EXPECT_EQ(t.pairs, slow[k].units) << where << " ier " << k;
    EXPECT_EQ(t.satisfied, slow[k].satisfied) << where << " ier " << k;
    EXPECT_EQ(t.policy, slow[k].policy) << where << " ier " << k;
    EXPECT_EQ(t.technical, slow[k].technical) << where << " ier " << k;
    EXPECT_EQ(t.unavailable, slow[k].unavailable) << where << " ier " << k;
    for (int l = 0; l < 5; ++l) hist[l] += slow[k].histogram[l];
    if (report != nullptr) {
      const v1::GapCounts& c = report->by_ier(static_cast<int>(k));
      EXPECT_EQ(c.pairs(), slow[k].units) << where << " ier " << k;
      EXPECT_EQ(c.satisfied(), slow[k].satisfied) << where << " ier " << k;
      EXPECT_EQ(c.policy(), slow[k].policy) << where << " ier " << k;
      EXPECT_EQ(c.technical(), slow[k].technical) << where << " ier " << k;
      EXPECT_EQ(c.unavailable(), slow[k].unavailable) << where << " ier " << k;
    }
  }
  EXPECT_EQ(tally.histogram, hist) << where;
  if (report != nullptr) {
    for (int l = 0; l < 5; ++l) EXPECT_EQ(report->level_histogram(l), hist[l]) << where;
  }
}

TEST_P(CoveragePropertyTest, CountsMatchSlowOracleThroughChanges) {
  const uint64_t seed = coalition::testing::TestSeed() + 9100 + GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (override with COALITION_SEED)"));
  const v1::Model m = CoverageModel(seed);
  ScenarioFixture f(m);
  ASSERT_TRUE(f.ok());
  Evaluation ev(*f.scenario);
  coalition::testing::ReferenceState ref = coalition::testing::MakeReference(m, m.mixes(0));
  const v1::GapReport base = Gaps(f);
  ExpectCounts(coalition::testing::SlowGapCounts(ref), ev.tally(), &base, "baseline");
  std::mt19937_64 rng(seed);
  std::vector<coalition::testing::ReferenceState> refs;
  for (int step = 0; step < 12; ++step) {
    const v1::Change c = coalition::testing::RandomValidChange(rng, ref);
    const std::string where = absl::StrCat("step ", step, " ", coalition::testing::ChangeText(c));
    refs.push_back(ref);
    absl::StatusOr<bool> no_op = coalition::testing::ApplyReference(c, &ref);
    absl::StatusOr<scenario::Applied> a = ev.Apply(c);
    ASSERT_EQ(no_op.ok(), a.ok()) << where;
    if (!a.ok()) {
      refs.pop_back();
      continue;
    }
    const v1::GapReport r = AnalyzeGaps(*f.scenario, ev.levels(), {-1});
    ExpectCounts(coalition::testing::SlowGapCounts(ref), ev.tally(), &r, where);
    EXPECT_DOUBLE_EQ(ev.tally().weighted_gaps(), r.weighted_gaps()) << where;
    // Every unit of a coverage IER: the class-level enumeration and the element scan agree.
    for (uint32_t k = 0; k < f.scenario->num_iers(); ++k) {
      if (!IsCoverage(f.scenario->ier(k).coverage)) continue;
      ForEachUnit(*f.scenario, ev.levels(), k, [&](const Unit& u) {
        const Unit v = EvaluateCoverageUnit(*f.scenario, ev.levels(), k,
                                            ServedElement(f.scenario->ier(k).coverage, u));
        EXPECT_EQ(u.from, v.from) << where;
        EXPECT_EQ(u.to, v.to) << where;
        EXPECT_EQ(u.eval.achieved, v.eval.achieved) << where;
        EXPECT_EQ(u.eval.relaxed, v.eval.relaxed) << where;
        EXPECT_EQ(u.eval.cls, v.eval.cls) << where;
      });
    }
    if (step % 3 == 2) {  // undo back one step now and then
      ev.Undo();
      ref = refs.back();
      refs.pop_back();
      ExpectCounts(coalition::testing::SlowGapCounts(ref), ev.tally(), nullptr,
                   absl::StrCat(where, " undone"));
    }
  }
}

// Single points of failure by brute force: remove each present element alone (the reference
// edit), and count the units of *other* elements satisfied before and not after, per IER, with
// the slow oracle. The fast path (gateway and coverage candidates only) must find exactly these.
TEST_P(CoveragePropertyTest, SinglePointsMatchBruteForce) {
  const uint64_t seed = coalition::testing::TestSeed() + 9300 + GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (override with COALITION_SEED)"));
  const v1::Model m = CoverageModel(seed);
  ScenarioFixture f(m);
  ASSERT_TRUE(f.ok());
  const v1::SinglePointsReport sp = FindSinglePointsOfFailure(*f.scenario, {-1});
  const coalition::testing::ReferenceState base =
      coalition::testing::MakeReference(m, m.mixes(0));
  const std::vector<bool> present = coalition::testing::ReferencePresent(base);
  const auto before = coalition::testing::SlowGapCounts(base);
  std::map<std::string, int64_t> expected;                   // element -> gaps opened
  std::map<std::string, std::vector<std::string>> per_ier;   // ier -> elements it cannot lose
  for (int x = 0; x < m.mixes(0).elements_size(); ++x) {
    if (!present[x]) continue;
    coalition::testing::ReferenceState ref = base;
    const std::string id = coalition::testing::ReferenceElementId(m.mixes(0).elements(x));
    ASSERT_OK(coalition::testing::ApplyReference(
                  ParseChange(absl::StrCat("remove_element { element: \"", id, "\" }")), &ref)
                  .status());
    const auto after = coalition::testing::SlowGapCounts(ref);
    int64_t total = 0;
    for (size_t k = 0; k < before.size(); ++k) {
      int64_t opened = 0;
      for (const auto& unit : before[k].satisfied_units) {
        if (unit.first == x || unit.second == x) continue;  // x's own
        opened += after[k].satisfied_units.count(unit) == 0;
      }
      if (opened > 0) per_ier[m.mixes(0).iers(static_cast<int>(k)).name()].push_back(id);
      total += opened;
    }
    if (total > 0) expected[id] = total;
  }
  std::map<std::string, int64_t> got;
  for (const v1::SinglePointOfFailure& p : sp.points()) got[p.element()] = p.gaps_opened();
  EXPECT_EQ(got, expected);
  std::map<std::string, std::vector<std::string>> got_ier;
  for (const v1::IerCannotLose& c : sp.cannot_lose()) {
    got_ier[c.ier()] = {c.elements().begin(), c.elements().end()};
  }
  EXPECT_EQ(got_ier, per_ier);
}

INSTANTIATE_TEST_SUITE_P(Seeds, CoveragePropertyTest, ::testing::Range(0, 12));

}  // namespace
}  // namespace coalition::analysis
