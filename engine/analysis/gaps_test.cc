#include "engine/analysis/gaps.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/testing/fixtures.h"
#include "engine/testing/random_model.h"
#include "engine/testing/scenario_fixture.h"
#include "engine/testing/slow_interop.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;

struct GapRun {
  std::unique_ptr<coalition::testing::ScenarioFixture> fixture;
  const v1::Model& model;
  const graph::ResolvedMix* mix;
  v1::GapReport report;
};

// The gap report of the model's mix as it stands (every element present unless `present` says
// otherwise: those are removed through the scenario).
GapRun Analyze(v1::Model model, int max_gaps = 100, std::vector<bool> present = {}) {
  auto f = std::make_unique<coalition::testing::ScenarioFixture>(std::move(model), 0,
                                                                  /*with_chain=*/false);
  f->Remove(present);
  PolicyLevels levels = ComputePolicyLevels(*f->scenario);
  v1::GapReport report = AnalyzeGaps(*f->scenario, levels, {max_gaps});
  const v1::Model& m = f->model;
  const graph::ResolvedMix* mix = f->mix.get();
  return GapRun{std::move(f), m, mix, std::move(report)};
}

v1::Model Hand(const std::string& mix) {
  v1::Model m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(coalition::testing::kHandModel, &m));
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(mix, m.add_mixes()));
  return m;
}

const v1::Gap* FindGap(const v1::GapReport& r, const std::string& from, const std::string& to) {
  for (const v1::Gap& g : r.gaps()) {
    if (g.from_element() == from && g.to_element() == to) return &g;
  }
  return nullptr;
}

TEST(GapsTest, ReleasabilityBlockIsAPolicyGapNamingEntryAndNation) {
  // USA F16 -> UKR F16 at min 3: strict level 1 (HF voice; LINK16 is releasable to NATO only),
  // relaxed 4 -> POLICY, blocked by LINK16 for UKR; releasing it alone closes the gap.
  GapRun r = Analyze(Hand(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "F16" nation: "UKR" quantity: 4 }
    iers { name: "air picture" from { nations: "USA" } to { nations: "UKR" } min_level: 3 }
  )pb"));
  ASSERT_EQ(r.report.gaps_size(), 1);
  const v1::Gap& g = r.report.gaps(0);
  EXPECT_EQ(g.gap_class(), v1::POLICY);
  EXPECT_EQ(g.achieved_level(), 1);
  EXPECT_EQ(g.required_level(), 3);
  EXPECT_EQ(g.relaxed_level(), 4);
  EXPECT_EQ(g.layer(), v1::LAYER_POLICY);
  ASSERT_EQ(g.policy_blocks_size(), 1);
  EXPECT_EQ(g.policy_blocks(0).item_kind(), v1::PolicyBlock::LINK);
  EXPECT_EQ(g.policy_blocks(0).item(), "LINK16");
  EXPECT_EQ(g.policy_blocks(0).nation(), "UKR");
  EXPECT_EQ(g.policy_blocks(0).releasable_to(0), "NATO");
  ASSERT_EQ(g.fixes_size(), 1);
  EXPECT_EQ(g.fixes(0).change().release().item_kind(), v1::Release::LINK);
  EXPECT_EQ(g.fixes(0).change().release().item(), "LINK16");
  EXPECT_EQ(g.fixes(0).change().release().party(), "UKR");
  EXPECT_EQ(g.fixes(0).cost_musd(), 0);
  EXPECT_EQ(r.report.pairs_evaluated(), 1);
  EXPECT_EQ(r.report.gaps_total(), 1);
  EXPECT_EQ(r.report.by_class(0).key(), "POLICY");
}

TEST(GapsTest, LevelFourBetweenNationsWithoutSharingIsPolicy) {
  // USA F16 <-> POL F16 at min 4: base 3 over LINK16/J6; USA and POL share only NATO, which does
  // not share information -> achieved 3, relaxed 4 -> POLICY, information-sharing block; the
  // arrangement alone closes it, so it is the fix. Both directions are counted: 2 pairs, 2 gaps.
  GapRun r = Analyze(Hand(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "F16" nation: "POL" quantity: 4 }
    iers { name: "c2" from { all: true } to { all: true } min_level: 4 }
  )pb"));
  EXPECT_EQ(r.report.pairs_evaluated(), 2);
  EXPECT_EQ(r.report.gaps_total(), 2);
  const v1::Gap* g = FindGap(r.report, "USA:F16", "POL:F16");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->gap_class(), v1::POLICY);
  EXPECT_EQ(g->achieved_level(), 3);
  ASSERT_EQ(g->policy_blocks_size(), 1);
  EXPECT_EQ(g->policy_blocks(0).item_kind(), v1::PolicyBlock::INFORMATION_SHARING);
  EXPECT_EQ(g->policy_blocks(0).nation(), "USA");
  EXPECT_EQ(g->policy_blocks(0).item(), "POL");
  ASSERT_EQ(g->fixes_size(), 1);
  EXPECT_EQ(g->fixes(0).change().share_information().nation_a(), "USA");
  EXPECT_EQ(g->fixes(0).change().share_information().nation_b(), "POL");
  ASSERT_EQ(r.report.by_nation_pair_size(), 1);
  EXPECT_EQ(r.report.by_nation_pair(0).key(), "POL");
  EXPECT_EQ(r.report.by_nation_pair(0).second(), "USA");
  EXPECT_EQ(r.report.by_nation_pair(0).policy(), 2);
}

TEST(GapsTest, NoCommonLinkIsTechnicalBearer) {
  // TUR ISLAND (SATX only) -> POL TANK (HF only): no common link even with policy relaxed ->
  // TECHNICAL, layer BEARER, achieved 0. No fit fix: neither side joins a data channel the
  // other could use.
  GapRun r = Analyze(Hand(R"pb(
    name: "m"
    elements { platform: "ISLAND" nation: "TUR" quantity: 1 }
    elements { platform: "TANK" nation: "POL" quantity: 20 }
    iers { name: "voice" from { platforms: "ISLAND" } to { platforms: "TANK" } min_level: 1 }
  )pb"));
  ASSERT_EQ(r.report.gaps_size(), 1);
  EXPECT_EQ(r.report.gaps(0).gap_class(), v1::TECHNICAL);
  EXPECT_EQ(r.report.gaps(0).layer(), v1::LAYER_BEARER);
  EXPECT_EQ(r.report.gaps(0).achieved_level(), 0);
  EXPECT_EQ(r.report.gaps(0).relaxed_level(), 0);
  EXPECT_TRUE(r.report.gaps(0).best_path().empty());
}

TEST(GapsTest, VersionTranslationSyntaxLayersAndFitFix) {
  // 0 USA F16 (LINK16/J6), 1 USA OLDJET (LINK16/J5), 2 USA SHIP (JREAP/J6), 3 USA AEW (gateway
  // J6 LINK16<->JREAP, cap 2), 4 POL TANK (HF/K1).
  GapRun r = Analyze(Hand(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "OLDJET" nation: "USA" quantity: 2 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { platform: "AEW" nation: "USA" quantity: 1 }
    elements { platform: "TANK" nation: "POL" quantity: 20 }
    iers { name: "data" from { elements: "USA:F16" } to { all: true } min_level: 3 }
  )pb"));
  // Pairs: F16->OLDJET (2, version), F16->SHIP (2, translation), F16->AEW (4, ok),
  // F16->TANK (1 via HF, syntax: common link HF, no common standard).
  EXPECT_EQ(r.report.pairs_evaluated(), 4);
  EXPECT_EQ(r.report.gaps_total(), 3);
  const v1::Gap* v = FindGap(r.report, "USA:F16", "USA:OLDJET");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->layer(), v1::LAYER_VERSION);
  EXPECT_EQ(v->gap_class(), v1::TECHNICAL);
  const v1::Gap* t = FindGap(r.report, "USA:F16", "USA:SHIP");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->layer(), v1::LAYER_TRANSLATION);
  ASSERT_EQ(t->best_path_size(), 5);
  EXPECT_EQ(t->best_path(2).kind(), v1::PathStep::GATEWAY);
  EXPECT_EQ(t->best_path(2).element(), "USA:AEW");
  const v1::Gap* s = FindGap(r.report, "USA:F16", "POL:TANK");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->layer(), v1::LAYER_SYNTAX);
  EXPECT_EQ(s->achieved_level(), 1);
  // TANK speaks K1 only: no link the F16 joins carries K1, so no single fit closes it.
  EXPECT_EQ(s->fixes_size(), 0);
  // Worst first: shortfall 2 (TANK) before the shortfall-1 gaps, which keep mix order.
  EXPECT_EQ(r.report.gaps(0).to_element(), "POL:TANK");
  EXPECT_EQ(r.report.gaps(1).to_element(), "USA:OLDJET");
  EXPECT_EQ(r.report.gaps(2).to_element(), "USA:SHIP");
  // Level histogram over the 4 pairs: one each at 1, 2, 2, 4.
  EXPECT_EQ(r.report.level_histogram(1), 1);
  EXPECT_EQ(r.report.level_histogram(2), 2);
  EXPECT_EQ(r.report.level_histogram(4), 1);
}

TEST(GapsTest, FitFixForBearerGap) {
  // USA SHIP (JREAP/J6) -> POL F16 (LINK16/J6, HF): no AEW, no common link -> BEARER. The SHIP
  // speaks J6, and LINK16 carries J6 and is releasable to NATO (USA, POL): fitting LINK16 to
  // SHIP (2 M$ x 1 unit of SHIP in the mix) closes it; fitting JREAP to F16 (0 M$ x 4 units)
  // is cheaper and also works, so it is the fix.
  GapRun r = Analyze(Hand(R"pb(
    name: "m"
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { platform: "F16" nation: "POL" quantity: 4 }
    iers { name: "track" from { platforms: "SHIP" } to { platforms: "F16" } min_level: 3 }
  )pb"));
  ASSERT_EQ(r.report.gaps_size(), 1);
  EXPECT_EQ(r.report.gaps(0).layer(), v1::LAYER_BEARER);
  ASSERT_EQ(r.report.gaps(0).fixes_size(), 1);
  EXPECT_EQ(r.report.gaps(0).fixes(0).change().fit().link(), "JREAP");
  EXPECT_EQ(r.report.gaps(0).fixes(0).change().fit().platform(), "F16");
  EXPECT_EQ(r.report.gaps(0).fixes(0).cost_musd(), 0);
}

TEST(GapsTest, MaxGapsBoundsTheListAndCountsTheRest) {
  GapRun r = Analyze(Hand(R"pb(
    name: "m"
    elements { platform: "ISLAND" nation: "TUR" quantity: 1 }
    elements { platform: "TANK" nation: "POL" quantity: 1 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    iers { name: "all" from { all: true } to { all: true } min_level: 1 }
  )pb"), /*max_gaps=*/2);
  EXPECT_EQ(r.report.gaps_total(), 6);
  EXPECT_EQ(r.report.gaps_size(), 2);
  EXPECT_EQ(r.report.gaps_omitted(), 4);
  // Three nation pairs with 2 gaps each (one per direction); the limit keeps 2 rows, ties by
  // key: POL|TUR, POL|USA (TUR|USA is counted in the total only).
  EXPECT_EQ(r.report.nation_pairs_total(), 3);
  ASSERT_EQ(r.report.by_nation_pair_size(), 2);
  EXPECT_EQ(r.report.by_nation_pair(0).key(), "POL");
  EXPECT_EQ(r.report.by_nation_pair(0).second(), "TUR");
  EXPECT_EQ(r.report.by_nation_pair(1).key(), "POL");
  EXPECT_EQ(r.report.by_nation_pair(1).second(), "USA");
  EXPECT_EQ(r.report.by_nation_pair(1).technical(), 2);
  EXPECT_EQ(r.report.platform_pairs_total(), 3);
}

TEST(GapsTest, AbsentElementGivesUnavailable) {
  GapRun r = Analyze(Hand(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 1 }
    elements { platform: "F16" nation: "GBR" quantity: 1 }
    iers { name: "x" from { all: true } to { all: true } min_level: 1 }
  )pb"), 100, {true, false});
  EXPECT_EQ(r.report.gaps_total(), 2);
  EXPECT_EQ(r.report.gaps(0).gap_class(), v1::UNAVAILABLE);
  EXPECT_EQ(r.report.gaps(0).layer(), v1::LAYER_AVAILABILITY);
}

// Property: per IER, the counts of satisfied / POLICY / TECHNICAL pairs equal those the slow
// widest-path oracle gives when evaluated pair by pair.
class GapsPropertyTest : public ::testing::TestWithParam<int> {};

TEST_P(GapsPropertyTest, CountsEqualSlowOracle) {
  const uint64_t seed = coalition::testing::TestSeed() + 5000 + GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (override with COALITION_SEED)"));
  coalition::testing::RandomModelOptions opt;
  opt.elements = 12;
  opt.iers = 4;
  GapRun r = Analyze(coalition::testing::RandomModel(seed, opt), /*max_gaps=*/-1);
  const v1::ForceMix& mix = r.model.mixes(0);
  coalition::testing::SlowInterop strict(r.model, mix, false), relaxed(r.model, mix, true);
  int64_t total_gaps = 0;
  for (int k = 0; k < mix.iers_size(); ++k) {
    int64_t pairs = 0, sat = 0, pol = 0, tech = 0;
    for (uint32_t a : r.mix->iers[k].from) {
      for (uint32_t b : r.mix->iers[k].to) {
        if (a == b) continue;
        ++pairs;
        const int min = mix.iers(k).min_level();
        if (strict.Level(a, b) >= min) {
          ++sat;
        } else if (relaxed.Level(a, b) >= min) {
          ++pol;
        } else {
          ++tech;
        }
      }
    }
    const v1::GapCounts& c = r.report.by_ier(k);
    EXPECT_EQ(c.pairs(), pairs);
    EXPECT_EQ(c.satisfied(), sat);
    EXPECT_EQ(c.policy(), pol);
    EXPECT_EQ(c.technical(), tech);
    total_gaps += pol + tech;
  }
  EXPECT_EQ(r.report.gaps_total(), total_gaps);
  EXPECT_EQ(r.report.gaps_size(), total_gaps);  // max_gaps -1 lists all
  // Every POLICY gap names at least one block.
  for (const v1::Gap& g : r.report.gaps()) {
    if (g.gap_class() == v1::POLICY) {
      EXPECT_GT(g.policy_blocks_size(), 0) << g.DebugString();
    }
  }
}

// Property: a typed fix, applied to the model proto by hand (independently of the scenario
// overlay), closes its gap as the slow oracle sees it.
TEST_P(GapsPropertyTest, FixesCloseTheirGaps) {
  const uint64_t seed = coalition::testing::TestSeed() + 7000 + GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (override with COALITION_SEED)"));
  coalition::testing::RandomModelOptions opt;
  opt.elements = 10;
  GapRun base = Analyze(coalition::testing::RandomModel(seed, opt), /*max_gaps=*/-1);
  int checked = 0;
  for (const v1::Gap& gap : base.report.gaps()) {
    for (const v1::Fix& fix : gap.fixes()) {
      v1::Model fixed = base.model;
      const v1::Change& c = fix.change();
      if (c.has_release()) {
        bool found = false;
        for (auto& l : *fixed.mutable_links()) {
          if (c.release().item_kind() == v1::Release::LINK && l.id() == c.release().item()) {
            l.add_releasable_to(c.release().party());
            found = true;
          }
        }
        for (auto& st : *fixed.mutable_standards()) {
          if (c.release().item_kind() == v1::Release::STANDARD && st.id() == c.release().item()) {
            st.add_releasable_to(c.release().party());
            found = true;
          }
        }
        ASSERT_TRUE(found) << fix.DebugString();
      } else if (c.has_fit()) {
        for (auto& p : *fixed.mutable_platforms()) {
          if (p.id() == c.fit().platform()) p.add_links(c.fit().link());
        }
      } else {
        ASSERT_TRUE(c.has_share_information()) << fix.DebugString();
        v1::Group* g = fixed.add_groups();
        g->set_id("FIX-SHARING");
        g->set_name("sharing arrangement");
        g->set_shares_information(true);
        for (auto& n : *fixed.mutable_nations()) {
          if (n.id() == c.share_information().nation_a() ||
              n.id() == c.share_information().nation_b()) {
            n.add_groups("FIX-SHARING");
          }
        }
      }
      int a = -1, b = -1;
      for (uint32_t e = 0; e < base.mix->size(); ++e) {
        if (base.mix->element_ids[e] == gap.from_element()) a = static_cast<int>(e);
        if (base.mix->element_ids[e] == gap.to_element()) b = static_cast<int>(e);
      }
      coalition::testing::SlowInterop slow(fixed, fixed.mixes(0), false);
      EXPECT_GE(slow.Level(a, b), gap.required_level())
          << fix.DebugString() << " does not close " << gap.DebugString();
      ++checked;
    }
  }
  RecordProperty("fixes_checked", checked);
}

INSTANTIATE_TEST_SUITE_P(Seeds, GapsPropertyTest, ::testing::Range(0, 40));

}  // namespace
}  // namespace coalition::analysis
