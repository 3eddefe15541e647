#include "engine/analysis/interop.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/testing/fixtures.h"
#include "engine/testing/random_model.h"
#include "engine/testing/scenario_fixture.h"
#include "engine/testing/slow_interop.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using graph::ResolvedMix;
using graph::TypedGraph;

using coalition::testing::ScenarioFixture;

v1::Model HandModelWith(const std::string& mix_text) {
  return coalition::testing::HandModelWithMix(coalition::testing::kHandModel, mix_text);
}

// Every element present (no supply chain): interoperability as the mix stands.
ScenarioFixture Build(v1::Model model) {
  return ScenarioFixture(std::move(model), 0, /*with_chain=*/false);
}

std::string ChannelName(const ScenarioFixture& b, uint32_t c) {
  const scenario::Channels& ch = b.scenario->channels();
  return absl::StrCat(b.graph->Id(graph::EntityKind::kLink, ch.link(c)), "/",
                      ch.is_voice(c) ? "voice"
                                     : b.graph->Id(graph::EntityKind::kStandard, ch.standard(c)));
}

// Elements of the hand mix (fixtures.h has the model and kHandMix):
//   0 USA:F16  1 GBR:F16  2 POL:F16  3 USA:OLDJET  4 POL:TANK  5 USA:SHIP  6 USA:AEW
//   7 UKR:F16  8 TUR:ISLAND  9 USA:F35  10 USA:F35 (second id)
using coalition::testing::kHandMix;

TEST(InteropTest, HandWorkedLevels) {
  ScenarioFixture b = Build(HandModelWith(kHandMix));
  InteropLevels lv = InteropLevels::Compute(*b.scenario, false);
  // USA F16 - GBR F16: both join LINK16/J6 (NATO release), FVEY shares information -> 4.
  EXPECT_EQ(lv.Level(0, 1), 4);
  // USA F16 - POL F16: LINK16/J6 -> 3; USA and POL share only NATO (no sharing) -> 3.
  EXPECT_EQ(lv.Level(0, 2), 3);
  // USA F16 (J6) - USA OLDJET (J5): same link, family J, versions 2 vs 1 -> version bridge, 2.
  EXPECT_EQ(lv.Level(0, 3), 2);
  // POL F16 - POL TANK: only HF voice in common -> 1.
  EXPECT_EQ(lv.Level(2, 4), 1);
  // USA F16 (LINK16/J6) - USA SHIP (JREAP/J6): AEW joins both and gateways J6<->J6, cap 2 -> 2.
  EXPECT_EQ(lv.Level(0, 5), 2);
  // UKR F16: LINK16 not releasable to UKR, HF is -> voice with USA F16 -> 1.
  EXPECT_EQ(lv.Level(0, 7), 1);
  // TUR ISLAND: SATX only, no one else fits it -> 0.
  EXPECT_EQ(lv.Level(8, 0), 0);
  // Two USA F35 elements: MADL/MADLMSG and LINK16/J6, same nation -> 4.
  EXPECT_EQ(lv.Level(9, 10), 4);
  // Same element, two units: joins a data channel, same nation -> 4; TANK alone -> voice 1.
  EXPECT_EQ(lv.Level(0, 0), 4);
  EXPECT_EQ(lv.Level(4, 4), 1);
  EXPECT_EQ(lv.Level(8, 8), 0);
  // An AEW is an endpoint, not a relay between F16 (USA) and SHIP for the data path, but its own
  // channels: AEW-SHIP both on JREAP/J6 -> 4 (same nation).
  EXPECT_EQ(lv.Level(6, 5), 4);
  // Symmetric.
  for (uint32_t a = 0; a < b.mix->size(); ++a) {
    for (uint32_t c = 0; c < b.mix->size(); ++c) EXPECT_EQ(lv.Level(a, c), lv.Level(c, a));
  }
}

TEST(InteropTest, PolicyRelaxedLevels) {
  ScenarioFixture b = Build(HandModelWith(kHandMix));
  InteropLevels relaxed = InteropLevels::Compute(*b.scenario, true);
  // UKR F16 with LINK16 released: LINK16/J6 -> 3, and everyone shares -> 4.
  EXPECT_EQ(relaxed.Level(0, 7), 4);
  // USA-POL: 3 -> 4 with sharing relaxed.
  EXPECT_EQ(relaxed.Level(0, 2), 4);
  // Technical limits stay: version bridge still 2, voice still 1, island still 0.
  EXPECT_EQ(relaxed.Level(0, 3), 2);
  EXPECT_EQ(relaxed.Level(2, 4), 1);
  EXPECT_EQ(relaxed.Level(8, 0), 0);
}

TEST(InteropTest, GatewayThatDoesNotJoinOneSideBridgesNothing) {
  // The only AEW is Ukrainian: it may not use LINK16, so it joins JREAP/J6 only and cannot
  // bridge LINK16/J6 to JREAP/J6. USA F16 - USA SHIP -> 0 (no common link, no bridge).
  ScenarioFixture b = Build(HandModelWith(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 1 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { platform: "AEW" nation: "UKR" quantity: 1 }
  )pb"));
  InteropLevels lv = InteropLevels::Compute(*b.scenario, false);
  EXPECT_EQ(lv.Level(0, 1), 0);
  // With policy relaxed the AEW joins both sides: 2.
  EXPECT_EQ(InteropLevels::Compute(*b.scenario, true).Level(0, 1), 2);
  // Removing the gateway element (what-if) also leaves 0; the removed element is at 0.
  b.Remove({true, true, false});
  InteropLevels without = InteropLevels::Compute(*b.scenario, false);
  EXPECT_EQ(without.Level(0, 1), 0);
  EXPECT_EQ(without.Level(0, 2), 0);
}

TEST(InteropTest, GatewayCapThreeGivesSeamless) {
  v1::Model m = HandModelWith(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 1 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { platform: "AEW" nation: "USA" quantity: 1 }
  )pb");
  m.mutable_platforms(4)->mutable_gateways(0)->set_level_cap(3);
  ScenarioFixture b = Build(m);
  // Gateway at cap 3: LINK16/J6 -3- JREAP/J6, both attach at 3 -> base 3, same nation -> 4.
  EXPECT_EQ(InteropLevels::Compute(*b.scenario, false).Level(0, 1), 4);
}

TEST(InteropTest, BestPathNamesChannelsAndGateway) {
  ScenarioFixture b = Build(HandModelWith(kHandMix));
  InteropLevels lv = InteropLevels::Compute(*b.scenario, false);
  std::vector<PathStep> path = lv.BestPath(0, 5);  // USA F16 -> USA SHIP via AEW
  std::vector<std::string> names;
  for (const PathStep& s : path) {
    switch (s.kind) {
      case PathStep::Kind::kElement:
        names.push_back(b.mix->element_ids[s.index]);
        break;
      case PathStep::Kind::kChannel:
        names.push_back(ChannelName(b, s.index));
        break;
      case PathStep::Kind::kGateway:
        names.push_back(absl::StrCat("gateway ", b.mix->element_ids[s.index]));
        break;
      case PathStep::Kind::kVersionBridge:
        names.push_back("version");
        break;
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"USA:F16", "LINK16/J6", "gateway USA:AEW",
                                             "JREAP/J6", "USA:SHIP"}));
  EXPECT_TRUE(lv.BestPath(8, 0).empty());
  // Version path.
  path = lv.BestPath(0, 3);
  ASSERT_EQ(path.size(), 5u);
  EXPECT_EQ(path[2].kind, PathStep::Kind::kVersionBridge);
  EXPECT_EQ(path[2].level, 2);
}

// ---- Property tests against the slow widest-path oracle on seeded random models. -------------

class InteropPropertyTest : public ::testing::TestWithParam<int> {};

TEST_P(InteropPropertyTest, FastEqualsSlowWidestPathOnEveryPair) {
  const uint64_t seed = coalition::testing::TestSeed() + GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (override with COALITION_SEED)"));
  coalition::testing::RandomModelOptions opt;
  opt.elements = 14;
  v1::Model m = coalition::testing::RandomModel(seed, opt);
  for (bool relaxed : {false, true}) {
    // Also with a random element absent.
    for (int absent = -1; absent < 2; ++absent) {
      ScenarioFixture b = Build(m);
      std::vector<bool> present;
      if (absent >= 0) {
        present.assign(b.mix->size(), true);
        present[(seed + absent) % b.mix->size()] = false;
      }
      b.Remove(present);
      InteropLevels fast = InteropLevels::Compute(*b.scenario, relaxed);
      coalition::testing::SlowInterop slow(m, m.mixes(0), relaxed, present);
      for (uint32_t a = 0; a < b.mix->size(); ++a) {
        for (uint32_t c = 0; c < b.mix->size(); ++c) {
          ASSERT_EQ(fast.Level(a, c), slow.Level(a, c))
              << "pair " << a << "," << c << " relaxed=" << relaxed << " absent=" << absent;
          if (fast.BaseLevel(a, c) > 0) {
            // The explanation path exists and ends at the right elements.
            std::vector<PathStep> p = fast.BestPath(a, c);
            ASSERT_GE(p.size(), 3u);
            EXPECT_EQ(p.front().index, a);
            EXPECT_EQ(p.back().index, c);
            // `fast` has memoised the bridges of every channel earlier explanations visited;
            // a fresh level set (nothing memoised) gives the same path step for step.
            const std::vector<PathStep> cold =
                InteropLevels::Compute(*b.scenario, relaxed).BestPath(a, c);
            ASSERT_EQ(cold.size(), p.size()) << "pair " << a << "," << c;
            for (size_t i = 0; i < p.size(); ++i) {
              EXPECT_EQ(cold[i].kind, p[i].kind) << "pair " << a << "," << c << " step " << i;
              EXPECT_EQ(cold[i].index, p[i].index) << "pair " << a << "," << c << " step " << i;
              EXPECT_EQ(cold[i].level, p[i].level) << "pair " << a << "," << c << " step " << i;
            }
          }
        }
      }
    }
  }
}

// The shared membership pass (ComputePolicyLevels: relaxed joins per platform type, strict
// joins filtered from them) gives the levels of the two separate computations, and a row query
// (ClassBaseLevels) gives ClassBaseLevel for every class pair; with an element absent too.
TEST_P(InteropPropertyTest, SharedPassAndRowQueriesEqualPairQueries) {
  const uint64_t seed = coalition::testing::TestSeed() + GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (override with COALITION_SEED)"));
  coalition::testing::RandomModelOptions opt;
  opt.elements = 24;
  v1::Model m = coalition::testing::RandomModel(seed, opt);
  for (int absent = -1; absent < 1; ++absent) {
    ScenarioFixture b = Build(m);
    std::vector<bool> present;
    if (absent >= 0) {
      present.assign(b.mix->size(), true);
      present[seed % b.mix->size()] = false;
    }
    b.Remove(present);
    const PolicyLevels both = ComputePolicyLevels(*b.scenario);
    for (bool relaxed : {false, true}) {
      const InteropLevels apart = InteropLevels::Compute(*b.scenario, relaxed);
      const InteropLevels& shared = relaxed ? both.relaxed : both.strict;
      std::vector<ClassIndex> active;
      for (ClassIndex c = 0; c < apart.num_classes(); ++c) {
        ASSERT_EQ(shared.class_active(c), apart.class_active(c)) << c;
        if (apart.class_active(c)) active.push_back(c);
      }
      std::vector<uint8_t> row(active.size());
      for (ClassIndex a : active) {
        shared.ClassBaseLevels(a, active, row.data());
        for (size_t i = 0; i < active.size(); ++i) {
          ASSERT_EQ(shared.ClassLevel(a, active[i]), apart.ClassLevel(a, active[i]))
              << "classes " << a << "," << active[i] << " relaxed=" << relaxed;
          ASSERT_EQ(row[i], apart.ClassBaseLevel(a, active[i]))
              << "classes " << a << "," << active[i] << " relaxed=" << relaxed;
        }
      }
    }
  }
}

TEST_P(InteropPropertyTest, ReleasingNeverLowersAndAddingAnElementNeverLowers) {
  const uint64_t seed = coalition::testing::TestSeed() + 1000 + GetParam();
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  v1::Model m = coalition::testing::RandomModel(seed, {});
  ScenarioFixture before = Build(m);
  InteropLevels lv0 = InteropLevels::Compute(*before.scenario, false);
  // Release a restricted link (or standard) to one more nation.
  v1::Model released = m;
  bool changed = false;
  for (auto& l : *released.mutable_links()) {
    if (!l.releasable_to().empty()) {
      l.add_releasable_to(absl::StrCat("N", seed % 5));
      changed = true;
      break;
    }
  }
  for (auto& s : *released.mutable_standards()) {
    if (!s.releasable_to().empty()) {
      s.add_releasable_to(absl::StrCat("N", (seed / 5) % 5));
      changed = true;
      break;
    }
  }
  ScenarioFixture after = Build(released);
  InteropLevels lv1 = InteropLevels::Compute(*after.scenario, false);
  for (uint32_t a = 0; a < before.mix->size(); ++a) {
    for (uint32_t c = 0; c < before.mix->size(); ++c) {
      EXPECT_LE(lv0.Level(a, c), lv1.Level(a, c)) << a << "," << c << " changed=" << changed;
      EXPECT_EQ(lv0.Level(a, c), lv0.Level(c, a));
    }
  }
  // Add an element (a copy of a random platform for a random nation) at the end.
  v1::Model added = m;
  auto* e = added.mutable_mixes(0)->add_elements();
  e->set_id("EXTRA");
  e->set_platform(absl::StrCat("P", seed % 8));
  e->set_nation(absl::StrCat("N", seed % 5));
  e->set_quantity(1);
  ScenarioFixture more = Build(added);
  InteropLevels lv2 = InteropLevels::Compute(*more.scenario, false);
  for (uint32_t a = 0; a < before.mix->size(); ++a) {
    for (uint32_t c = 0; c < before.mix->size(); ++c) {
      EXPECT_LE(lv0.Level(a, c), lv2.Level(a, c)) << a << "," << c;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, InteropPropertyTest, ::testing::Range(0, 60));

}  // namespace
}  // namespace coalition::analysis
