#include "engine/scenario/scenario.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/analysis/interop.h"
#include "engine/graph/typed_graph.h"
#include "engine/testing/apply_changes.h"
#include "engine/testing/fixtures.h"
#include "engine/testing/random_model.h"
#include "engine/testing/scenario_fixture.h"
#include "engine/testing/slow_interop.h"
#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace coalition::scenario {
namespace {

namespace v1 = ::coalition::v1;
using analysis::ComputePolicyLevels;
using analysis::PolicyLevels;
using graph::EntityKind;
using NoOp = Applied::NoOp;

using coalition::testing::ChangeText;
using coalition::testing::ParseChange;
using coalition::testing::ScenarioFixture;

// The hand model (fixtures.h) plus a supply chain (kHandSupply): AEW needs AEWRADAR, made only in
// TUR; F16 needs F16ENGINE, made in USA and GBR.
//
// Elements of kHandMix (index: effective id):
//   0 USA:F16  1 GBR:F16  2 POL:F16  3 USA:OLDJET  4 POL:TANK  5 USA:SHIP  6 USA:AEW
//   7 UKR:F16  8 TUR:ISLAND  9 F35-a (USA F35)  10 F35-b (USA F35)
// Each element is its own class except 9 and 10 (both USA:F35): class c = element c for c < 10.
// IERs: 0 "air-to-pol"   AIR elements -> POL elements
//       1 "fvey"         FVEY nations' elements -> everyone
//       2 "ukr-fighters" UKR fighters -> the element USA:F16
constexpr char kHandIers[] = R"pb(
  iers { name: "air-to-pol" from { domains: AIR } to { nations: "POL" } min_level: 3 }
  iers { name: "fvey" from { groups: "FVEY" } to { all: true } min_level: 4 }
  iers { name: "ukr-fighters" from { nations: "UKR" roles: "fighter" } to { elements: "USA:F16" } min_level: 3 }
)pb";

v1::Model HandModel() {
  return coalition::testing::HandModelWithSupply(
      absl::StrCat(coalition::testing::kHandMix, kHandIers));
}

class HandScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    built_ = std::make_unique<ScenarioFixture>(HandModel());
    ASSERT_TRUE(built_->ok());
    s_ = built_->scenario.get();
  }
  const graph::TypedGraph& g() const { return *built_->graph; }
  uint32_t Nation(const char* id) const { return *g().Find(EntityKind::kNation, id); }
  uint32_t Platform(const char* id) const { return *g().Find(EntityKind::kPlatform, id); }
  uint32_t LinkLocal(const char* id) const { return *g().Find(EntityKind::kLink, id); }
  uint32_t StandardLocal(const char* id) const { return *g().Find(EntityKind::kStandard, id); }
  graph::NodeId LinkNode(const char* id) const { return g().Node(EntityKind::kLink, LinkLocal(id)); }
  graph::NodeId StandardNode(const char* id) const {
    return g().Node(EntityKind::kStandard, StandardLocal(id));
  }
  Applied MustApply(const std::string& text) {
    absl::StatusOr<Applied> a = s_->Apply(ParseChange(text));
    EXPECT_TRUE(a.ok()) << text << ": " << a.status();
    return a.ok() ? *a : Applied();
  }
  int Level(ElementIndex a, ElementIndex b) const {
    return ComputePolicyLevels(*s_).strict.Level(a, b);
  }
  std::vector<ElementIndex> Members(uint32_t k, int side) const {
    std::vector<ElementIndex> out;
    s_->ForEachMember(k, side, [&](ElementIndex e) { out.push_back(e); });
    return out;
  }
  std::vector<ChannelIndex> DataJoins(ClassIndex c) const {
    std::vector<ChannelIndex> data, voice;
    s_->ClassJoins(c, false, &data, &voice);
    return data;
  }
  std::vector<ChannelIndex> VoiceJoins(ClassIndex c) const {
    std::vector<ChannelIndex> data, voice;
    s_->ClassJoins(c, false, &data, &voice);
    return voice;
  }

  std::unique_ptr<ScenarioFixture> built_;
  Scenario* s_ = nullptr;
};

using Channels = std::vector<ChannelIndex>;

// Channels of the hand model, link by link in model order: LINK16 carries J5 (0) and J6 (1),
// JREAP J6 (2), HF nothing, MADL MADLMSG (3), SATX nothing; then the voice channel of HF (4).
TEST_F(HandScenarioTest, BaselineChannelsAndClasses) {
  ASSERT_EQ(s_->channels().size(), 5u);
  EXPECT_EQ(s_->channels().voice(LinkLocal("HF")), 4u);
  EXPECT_EQ(s_->num_elements(), 11u);
  EXPECT_EQ(s_->num_classes(), 10u);
  EXPECT_EQ(s_->class_of(9), s_->class_of(10));
  EXPECT_EQ(s_->element_id(0), "USA:F16");
  EXPECT_EQ(s_->element_id(9), "F35-a");
  // USA F16 fits LINK16 (NATO) and HF, speaks J6: data {LINK16/J6 = 1}, voice {HF = 4}.
  EXPECT_EQ(DataJoins(s_->class_of(0)), (Channels{1}));
  EXPECT_EQ(VoiceJoins(s_->class_of(0)), (Channels{4}));
  // UKR F16: LINK16 is not releasable to UKR (NATO only, designer USA): voice only.
  EXPECT_EQ(DataJoins(s_->class_of(7)), (Channels{}));
  EXPECT_EQ(VoiceJoins(s_->class_of(7)), (Channels{4}));
  // IER 0 from AIR: F16 x4 (0, 1, 2, 7), OLDJET 3, AEW 6, F35 9 and 10; to POL: 2, 4.
  EXPECT_EQ(Members(0, 0), (std::vector<ElementIndex>{0, 1, 2, 3, 6, 7, 9, 10}));
  EXPECT_EQ(Members(0, 1), (std::vector<ElementIndex>{2, 4}));
  // IER 1 from FVEY (USA, GBR): 0, 1, 3, 5, 6, 9, 10.
  EXPECT_EQ(Members(1, 0), (std::vector<ElementIndex>{0, 1, 3, 5, 6, 9, 10}));
  // IER 2: UKR fighters -> element USA:F16.
  EXPECT_EQ(Members(2, 0), (std::vector<ElementIndex>{7}));
  EXPECT_EQ(Members(2, 1), (std::vector<ElementIndex>{0}));
  for (ElementIndex e = 0; e < s_->num_elements(); ++e) EXPECT_TRUE(s_->present(e)) << e;
}

TEST_F(HandScenarioTest, ReleaseToNationMakesItUsable) {
  const uint32_t ukr = Nation("UKR");
  EXPECT_FALSE(s_->MayUse(ukr, LinkNode("LINK16")));
  EXPECT_TRUE(s_->MayUse(ukr, LinkNode("LINK16"), /*relaxed=*/true));
  // UKR F16 - USA F16: HF voice only -> 1.
  EXPECT_EQ(Level(7, 0), 1);
  Applied a = MustApply(R"pb(release { item_kind: LINK item: "LINK16" party: "UKR" })pb");
  EXPECT_EQ(a.no_op, NoOp::kNone);
  // Touched: the UKR classes whose platform fits LINK16: only UKR:F16.
  EXPECT_EQ(a.touched_classes, (std::vector<ClassIndex>{s_->class_of(7)}));
  EXPECT_TRUE(s_->MayUse(ukr, LinkNode("LINK16")));
  EXPECT_FALSE(s_->MayUse(Nation("TUR"), LinkNode("MADL")));
  // UKR F16 now joins LINK16/J6 (J6 has no releasability list): data {1}, voice {4}.
  EXPECT_EQ(DataJoins(s_->class_of(7)), (Channels{1}));
  EXPECT_EQ(VoiceJoins(s_->class_of(7)), (Channels{4}));
  // UKR - USA over LINK16/J6: base 3, no common sharing group -> 3.
  EXPECT_EQ(Level(7, 0), 3);
  // Releasing it again is a no-op (already listed by a release).
  EXPECT_EQ(MustApply(R"pb(release { item_kind: LINK item: "LINK16" party: "UKR" })pb").no_op,
            NoOp::kAlreadyReleased);
  EXPECT_EQ(s_->depth(), 2u);
  s_->Undo();
  EXPECT_TRUE(s_->MayUse(ukr, LinkNode("LINK16")));
  s_->Undo();
  EXPECT_FALSE(s_->MayUse(ukr, LinkNode("LINK16")));
  EXPECT_EQ(Level(7, 0), 1);
}

TEST_F(HandScenarioTest, ReleaseToGroupReachesItsMembersOnly) {
  // MADL is releasable to USA only. Released to FVEY: GBR (member) may use it, POL may not.
  EXPECT_FALSE(s_->MayUse(Nation("GBR"), LinkNode("MADL")));
  Applied a = MustApply(R"pb(release { item_kind: LINK item: "MADL" party: "FVEY" })pb");
  EXPECT_EQ(a.no_op, NoOp::kNone);
  EXPECT_TRUE(s_->MayUse(Nation("GBR"), LinkNode("MADL")));
  EXPECT_TRUE(s_->MayUse(Nation("USA"), LinkNode("MADL")));
  EXPECT_FALSE(s_->MayUse(Nation("POL"), LinkNode("MADL")));
  EXPECT_FALSE(s_->MayUse(Nation("UKR"), LinkNode("MADL")));
  // Touched: FVEY nations' classes whose platform fits MADL: USA:F35 only (GBR has an F16).
  EXPECT_EQ(a.touched_classes, (std::vector<ClassIndex>{s_->class_of(9)}));
  // A standard released to a group: MADLMSG has no list, so that is a no-op.
  EXPECT_EQ(MustApply(R"pb(release { item_kind: STANDARD item: "MADLMSG" party: "NATO" })pb").no_op,
            NoOp::kAlreadyReleasableToAll);
}

TEST_F(HandScenarioTest, ReleaseNoOps) {
  // JREAP has an empty list: releasable to everyone already.
  Applied a = MustApply(R"pb(release { item_kind: LINK item: "JREAP" party: "UKR" })pb");
  EXPECT_EQ(a.no_op, NoOp::kAlreadyReleasableToAll);
  EXPECT_TRUE(a.touched_classes.empty());
  // LINK16 lists NATO already.
  EXPECT_EQ(MustApply(R"pb(release { item_kind: LINK item: "LINK16" party: "NATO" })pb").no_op,
            NoOp::kAlreadyReleased);
  // A no-op is recorded and undone like any Apply.
  EXPECT_EQ(s_->depth(), 2u);
  s_->Undo();
  s_->Undo();
  EXPECT_EQ(s_->depth(), 0u);
}

TEST_F(HandScenarioTest, FitAddsChannels) {
  // USA F16 - USA SHIP: LINK16/J6 and JREAP/J6 meet through the AEW gateway (cap 2) -> 2.
  EXPECT_EQ(Level(0, 5), 2);
  EXPECT_FALSE(s_->Fits(Platform("F16"), LinkLocal("JREAP")));
  Applied a = MustApply(R"pb(fit { link: "JREAP" platform: "F16" })pb");
  EXPECT_EQ(a.no_op, NoOp::kNone);
  // Touched: every F16 class (USA 0, GBR 1, POL 2, UKR 7).
  EXPECT_EQ(a.touched_classes, (std::vector<ClassIndex>{0, 1, 2, 7}));
  EXPECT_TRUE(s_->Fits(Platform("F16"), LinkLocal("JREAP")));
  std::vector<uint32_t> fits;
  s_->ForEachFit(Platform("F16"), [&](uint32_t l) { fits.push_back(l); });
  EXPECT_EQ(fits, (std::vector<uint32_t>{LinkLocal("LINK16"), LinkLocal("HF"), LinkLocal("JREAP")}));
  // USA F16 joins JREAP/J6 (2) too; UKR F16 as well (JREAP and J6 are releasable to all).
  EXPECT_EQ(DataJoins(s_->class_of(0)), (Channels{1, 2}));
  EXPECT_EQ(DataJoins(s_->class_of(7)), (Channels{2}));
  // USA F16 - USA SHIP: a common data channel, same nation -> 4.
  EXPECT_EQ(Level(0, 5), 4);
  // Already fitted: by the model (LINK16), and by the fit just applied.
  EXPECT_EQ(MustApply(R"pb(fit { link: "LINK16" platform: "F16" })pb").no_op, NoOp::kAlreadyFitted);
  EXPECT_EQ(MustApply(R"pb(fit { link: "JREAP" platform: "F16" })pb").no_op, NoOp::kAlreadyFitted);
  s_->Undo();
  s_->Undo();
  s_->Undo();
  EXPECT_FALSE(s_->Fits(Platform("F16"), LinkLocal("JREAP")));
  EXPECT_EQ(DataJoins(s_->class_of(0)), (Channels{1}));
  EXPECT_EQ(Level(0, 5), 2);
}

TEST_F(HandScenarioTest, UpgradeMovesAPlatformWithinAFamily) {
  const uint32_t oldjet = Platform("OLDJET");
  // USA F16 (J6) - USA OLDJET (J5): version bridge on LINK16 -> 2.
  EXPECT_EQ(Level(0, 3), 2);
  Applied a = MustApply(R"pb(upgrade { platform: "OLDJET" from_standard: "J5" to_standard: "J6" })pb");
  EXPECT_EQ(a.no_op, NoOp::kNone);
  EXPECT_EQ(a.touched_classes, (std::vector<ClassIndex>{s_->class_of(3)}));
  EXPECT_FALSE(s_->Speaks(oldjet, StandardLocal("J5")));
  EXPECT_TRUE(s_->Speaks(oldjet, StandardLocal("J6")));
  // OLDJET now joins LINK16/J6 (1) instead of LINK16/J5 (0); same channel as the F16, USA -> 4.
  EXPECT_EQ(DataJoins(s_->class_of(3)), (Channels{1}));
  EXPECT_EQ(Level(0, 3), 4);
  // Again: it no longer speaks J5 and speaks J6 -> already upgraded.
  EXPECT_EQ(MustApply(R"pb(upgrade { platform: "OLDJET" from_standard: "J5" to_standard: "J6" })pb")
                .no_op,
            NoOp::kAlreadyUpgraded);
  // The F16 never spoke J5 and speaks J6: already upgraded too.
  EXPECT_EQ(
      MustApply(R"pb(upgrade { platform: "F16" from_standard: "J5" to_standard: "J6" })pb").no_op,
      NoOp::kAlreadyUpgraded);
  s_->Undo();
  s_->Undo();
  s_->Undo();
  EXPECT_TRUE(s_->Speaks(oldjet, StandardLocal("J5")));
  EXPECT_FALSE(s_->Speaks(oldjet, StandardLocal("J6")));
  EXPECT_EQ(Level(0, 3), 2);
}

TEST_F(HandScenarioTest, UpgradeBackAndForth) {
  // J5 -> J6 then J6 -> J5 on OLDJET: back to the model's standards; undo both in turn.
  MustApply(R"pb(upgrade { platform: "OLDJET" from_standard: "J5" to_standard: "J6" })pb");
  MustApply(R"pb(upgrade { platform: "OLDJET" from_standard: "J6" to_standard: "J5" })pb");
  std::vector<uint32_t> speaks;
  s_->ForEachSpeaks(Platform("OLDJET"), [&](uint32_t st) { speaks.push_back(st); });
  EXPECT_EQ(speaks, (std::vector<uint32_t>{StandardLocal("J5")}));
  EXPECT_EQ(Level(0, 3), 2);
  s_->Undo();
  EXPECT_EQ(Level(0, 3), 4);
  speaks.clear();
  s_->ForEachSpeaks(Platform("OLDJET"), [&](uint32_t st) { speaks.push_back(st); });
  EXPECT_EQ(speaks, (std::vector<uint32_t>{StandardLocal("J6")}));
  s_->Undo();
  EXPECT_EQ(Level(0, 3), 2);
}

TEST_F(HandScenarioTest, UpgradeThereBackAndThereAgainUndoes) {
  // J5 -> J6, J6 -> J5, J5 -> J6 on OLDJET, then undo all three: each undo restores the
  // standards before its Apply (J6, J5, J6, then the model's J5).
  const char* there = R"pb(upgrade { platform: "OLDJET" from_standard: "J5" to_standard: "J6" })pb";
  const char* back = R"pb(upgrade { platform: "OLDJET" from_standard: "J6" to_standard: "J5" })pb";
  auto speaks = [&] {
    std::vector<uint32_t> out;
    s_->ForEachSpeaks(Platform("OLDJET"), [&](uint32_t st) { out.push_back(st); });
    return out;
  };
  const std::vector<uint32_t> j5{StandardLocal("J5")}, j6{StandardLocal("J6")};
  MustApply(there);
  MustApply(back);
  MustApply(there);
  EXPECT_EQ(speaks(), j6);
  s_->Undo();
  EXPECT_EQ(speaks(), j5);
  s_->Undo();
  EXPECT_EQ(speaks(), j6);
  s_->Undo();
  EXPECT_EQ(speaks(), j5);
  EXPECT_EQ(Level(0, 3), 2);
}

TEST_F(HandScenarioTest, AddedElementsAreMatchedBySelectors) {
  // POL F35: AIR fighter. It fits MADL (USA only: not for POL) and LINK16 (NATO), speaks
  // MADLMSG and J6: joins LINK16/J6 (1).
  Applied a = MustApply(R"pb(add_element { platform: "F35" nation: "POL" quantity: 2 })pb");
  ASSERT_EQ(a.added_elements, (std::vector<ElementIndex>{11}));
  EXPECT_EQ(s_->num_elements(), 12u);
  EXPECT_EQ(s_->element_id(11), "POL:F35");
  EXPECT_EQ(s_->quantity(11), 2);
  EXPECT_EQ(s_->num_classes(), 11u);  // a new class (F35, POL)
  EXPECT_EQ(a.touched_classes, (std::vector<ClassIndex>{10}));
  EXPECT_EQ(s_->FindElement("POL:F35"), std::optional<ElementIndex>(11));
  EXPECT_EQ(DataJoins(10), (Channels{1}));
  // IER 0: AIR -> POL: on both sides. IER 1: not FVEY; to all: yes. IER 2: not UKR; the `to`
  // side lists element USA:F16, which an added element never matches.
  EXPECT_EQ(Members(0, 0), (std::vector<ElementIndex>{0, 1, 2, 3, 6, 7, 9, 10, 11}));
  EXPECT_EQ(Members(0, 1), (std::vector<ElementIndex>{2, 4, 11}));
  EXPECT_EQ(s_->added_members(1, 0).size(), 0u);
  ASSERT_EQ(s_->added_members(1, 1).size(), 1u);
  EXPECT_EQ(s_->added_members(1, 1)[0], 11u);
  EXPECT_TRUE(s_->added_members(2, 0).empty());
  EXPECT_TRUE(s_->added_members(2, 1).empty());
  // POL F35 - POL F16: LINK16/J6, same nation -> 4. POL F35 - USA F35-a: 3 (no sharing).
  EXPECT_EQ(Level(11, 2), 4);
  EXPECT_EQ(Level(11, 9), 3);
  // A second POL F35 without id: "POL:F35:2", same class.
  Applied b = MustApply(R"pb(add_element { platform: "F35" nation: "POL" quantity: 1 })pb");
  EXPECT_EQ(s_->element_id(12), "POL:F35:2");
  EXPECT_EQ(s_->class_of(12), 10u);
  EXPECT_EQ(s_->num_classes(), 11u);
  // A UKR F16 with an id: matched by IER 2's from (UKR fighter).
  MustApply(R"pb(add_element { platform: "F16" nation: "UKR" quantity: 1 id: "ukr-2" })pb");
  EXPECT_EQ(s_->element_id(13), "ukr-2");
  EXPECT_EQ(Members(2, 0), (std::vector<ElementIndex>{7, 13}));
  EXPECT_EQ(s_->class_of(13), s_->class_of(7));
  s_->Undo();
  s_->Undo();
  s_->Undo();
  EXPECT_EQ(s_->num_elements(), 11u);
  EXPECT_EQ(s_->num_classes(), 10u);
  EXPECT_FALSE(s_->FindElement("POL:F35").has_value());
  EXPECT_EQ(Members(0, 1), (std::vector<ElementIndex>{2, 4}));
}

TEST_F(HandScenarioTest, AddGatewayElement) {
  // The only AEW goes (removed); a POL AEW joins: POL may use LINK16 (NATO) and JREAP, so it
  // bridges LINK16/J6 and JREAP/J6 again: USA F16 - USA SHIP back to 2.
  MustApply(R"pb(remove_element { element: "USA:AEW" })pb");
  EXPECT_EQ(Level(0, 5), 0);
  Applied a = MustApply(R"pb(add_gateway_element { platform: "AEW" nation: "POL" })pb");
  ASSERT_EQ(a.added_elements, (std::vector<ElementIndex>{11}));
  EXPECT_EQ(s_->element_id(11), "POL:AEW");
  EXPECT_EQ(s_->quantity(11), 1);
  EXPECT_EQ(Level(0, 5), 2);
  s_->Undo();
  EXPECT_EQ(Level(0, 5), 0);
}

TEST_F(HandScenarioTest, RemoveElementAndPlatform) {
  Applied a = MustApply(R"pb(remove_element { element: "USA:AEW" })pb");
  EXPECT_EQ(a.removed_elements, (std::vector<ElementIndex>{6}));
  EXPECT_TRUE(s_->removed(6));
  EXPECT_FALSE(s_->present(6));
  // Without the gateway USA F16 and USA SHIP have no common link: 0. The absent AEW is at 0.
  EXPECT_EQ(Level(0, 5), 0);
  EXPECT_EQ(Level(6, 5), 0);
  EXPECT_EQ(MustApply(R"pb(remove_element { element: "USA:AEW" })pb").no_op,
            NoOp::kAlreadyRemoved);
  // Remove both F35 elements by platform.
  Applied p = MustApply(R"pb(remove_platform { platform: "F35" })pb");
  EXPECT_EQ(p.removed_elements, (std::vector<ElementIndex>{9, 10}));
  EXPECT_FALSE(s_->present(9));
  EXPECT_FALSE(s_->present(10));
  // A platform with no element in the mix: nothing to remove.
  EXPECT_EQ(MustApply(R"pb(remove_platform { platform: "F35" })pb").no_op, NoOp::kAlreadyRemoved);
  s_->Undo();
  EXPECT_FALSE(s_->present(9));  // removed twice, undone once
  s_->Undo();
  EXPECT_TRUE(s_->present(9));
  EXPECT_TRUE(s_->present(10));
  s_->Undo();
  EXPECT_FALSE(s_->present(6));  // removed twice, undone once
  s_->Undo();
  EXPECT_TRUE(s_->present(6));
  EXPECT_EQ(Level(0, 5), 2);
}

TEST_F(HandScenarioTest, EmbargoGroundsTheirPlatforms) {
  // AEWRADAR is made only by S_TUR: a TUR embargo grounds the AEW (6).
  Applied a = MustApply(R"pb(embargo { nation: "TUR" })pb");
  EXPECT_TRUE(a.supply_changed);
  EXPECT_FALSE(s_->present(6));
  EXPECT_FALSE(s_->removed(6));  // grounded, not removed
  EXPECT_FALSE(s_->sustainable(Platform("AEW"), s_->nation(6)));
  // A nation does not embargo itself: Turkey's own AEW would still be supplied.
  EXPECT_TRUE(s_->sustainable(Platform("AEW"), Nation("TUR")));
  EXPECT_EQ(Level(0, 5), 0);
  // F16ENGINE is made in USA and GBR: a GBR embargo grounds nothing ...
  MustApply(R"pb(embargo { nation: "GBR" })pb");
  for (ElementIndex e : {0, 1, 2, 7}) EXPECT_TRUE(s_->present(e)) << e;
  // ... until S_USA goes too: every F16 is grounded but Britain's own, which S_GBR still
  // supplies (a nation does not embargo itself).
  MustApply(R"pb(remove_supplier { supplier: "S_USA" })pb");
  for (ElementIndex e : {0, 2, 7}) EXPECT_FALSE(s_->present(e)) << e;
  EXPECT_TRUE(s_->present(1));
  EXPECT_TRUE(s_->present(3));  // OLDJET needs nothing
  // Removing S_USA again, or embargoing TUR again, changes nothing.
  EXPECT_EQ(MustApply(R"pb(remove_supplier { supplier: "S_USA" })pb").no_op,
            NoOp::kAlreadyRemoved);
  s_->Undo();
  s_->Undo();
  for (ElementIndex e : {0, 1, 2, 7}) EXPECT_TRUE(s_->present(e)) << e;
  s_->Undo();
  s_->Undo();
  EXPECT_TRUE(s_->present(6));
  EXPECT_EQ(Level(0, 5), 2);
}

TEST(ScenarioSupplyTest, RestrictionInForceIsPerNationAndCanBeLifted) {
  // The hand model with its supply chain and a restriction in force: the Turkish supplier of
  // AEWRADAR does not supply the FVEY group. The USA's AEW (6) is unsustainable at baseline;
  // a Polish AEW (added, 11) is not: availability is per operating nation.
  v1::Model m = coalition::testing::HandModelWithSupply(coalition::testing::kHandMix);
  ASSERT_TRUE(google::protobuf::TextFormat::MergeFromString(
      R"pb(restrictions { id: "TR-FVEY" supplier: "S_TUR" denied_to: "FVEY" })pb", &m));
  ScenarioFixture f(m);
  ASSERT_TRUE(f.ok());
  Scenario& s = *f.scenario;
  EXPECT_FALSE(s.present(6));
  EXPECT_FALSE(s.removed(6));
  ASSERT_OK(s.Apply(ParseChange(R"pb(add_element { platform: "AEW" nation: "POL" quantity: 1 })pb"))
                .status());
  EXPECT_TRUE(s.present(11));
  // Lifting the restriction brings the US AEW back; lifting it twice is a no-op; undo restores.
  ASSERT_OK_AND_ASSIGN(Applied a, s.Apply(ParseChange(R"pb(lift_restriction { restriction: "TR-FVEY" })pb")));
  EXPECT_TRUE(a.supply_changed);
  EXPECT_TRUE(s.present(6));
  ASSERT_OK_AND_ASSIGN(Applied again,
                       s.Apply(ParseChange(R"pb(lift_restriction { restriction: "TR-FVEY" })pb")));
  EXPECT_EQ(again.no_op, Applied::NoOp::kAlreadyLifted);
  s.Undo();
  EXPECT_TRUE(s.present(6));
  s.Undo();
  EXPECT_FALSE(s.present(6));
  EXPECT_EQ(s.Apply(ParseChange(R"pb(lift_restriction { restriction: "NOPE" })pb")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(HandScenarioTest, ShareInformation) {
  const uint32_t usa = Nation("USA"), pol = Nation("POL");
  // USA F16 - POL F16: LINK16/J6, NATO does not share -> 3.
  EXPECT_FALSE(s_->SharesInformation(usa, pol));
  EXPECT_EQ(Level(0, 2), 3);
  Applied a = MustApply(R"pb(share_information { nation_a: "POL" nation_b: "USA" })pb");
  EXPECT_EQ(a.no_op, NoOp::kNone);
  EXPECT_EQ(a.sharing_nations, (std::vector<uint32_t>{std::min(usa, pol), std::max(usa, pol)}));
  EXPECT_TRUE(s_->SharesInformation(usa, pol));
  EXPECT_TRUE(s_->SharesInformation(pol, usa));
  EXPECT_FALSE(s_->SharesInformation(pol, Nation("GBR")));  // not transitive
  EXPECT_EQ(Level(0, 2), 4);
  // USA and GBR share through FVEY already.
  EXPECT_EQ(MustApply(R"pb(share_information { nation_a: "USA" nation_b: "GBR" })pb").no_op,
            NoOp::kAlreadySharing);
  EXPECT_EQ(MustApply(R"pb(share_information { nation_a: "USA" nation_b: "POL" })pb").no_op,
            NoOp::kAlreadySharing);
  s_->Undo();
  s_->Undo();
  s_->Undo();
  EXPECT_FALSE(s_->SharesInformation(usa, pol));
  EXPECT_EQ(Level(0, 2), 3);
}

// Everything a failed Apply could disturb.
struct Snapshot {
  size_t depth;
  uint32_t elements, classes;
  std::vector<int> strict, relaxed;
  std::vector<bool> present;
  bool operator==(const Snapshot& o) const {
    return depth == o.depth && elements == o.elements && classes == o.classes &&
           strict == o.strict && relaxed == o.relaxed && present == o.present;
  }
};

Snapshot Take(const Scenario& s) {
  Snapshot snap{s.depth(), s.num_elements(), s.num_classes(), {}, {}, {}};
  PolicyLevels lv = ComputePolicyLevels(s);
  for (ElementIndex a = 0; a < s.num_elements(); ++a) {
    snap.present.push_back(s.present(a));
    for (ElementIndex b = 0; b < s.num_elements(); ++b) {
      snap.strict.push_back(lv.strict.Level(a, b));
      snap.relaxed.push_back(lv.relaxed.Level(a, b));
    }
  }
  return snap;
}

TEST_F(HandScenarioTest, ErrorsChangeNothing) {
  struct Case {
    const char* change;
    absl::StatusCode code;
  };
  const Case cases[] = {
      {"", absl::StatusCode::kInvalidArgument},  // nothing set
      {R"pb(embargo { nation: "XXX" })pb", absl::StatusCode::kNotFound},
      {R"pb(embargo {})pb", absl::StatusCode::kInvalidArgument},
      {R"pb(remove_supplier { supplier: "S_NONE" })pb", absl::StatusCode::kNotFound},
      {R"pb(remove_element { element: "USA:F35" })pb", absl::StatusCode::kNotFound},
      {R"pb(remove_element {})pb", absl::StatusCode::kInvalidArgument},
      {R"pb(remove_platform { platform: "B52" })pb", absl::StatusCode::kNotFound},
      {R"pb(release { item: "LINK16" party: "UKR" })pb", absl::StatusCode::kInvalidArgument},
      {R"pb(release { item_kind: LINK item: "J6" party: "UKR" })pb", absl::StatusCode::kNotFound},
      {R"pb(release { item_kind: STANDARD item: "J6" party: "MARS" })pb",
       absl::StatusCode::kNotFound},
      {R"pb(release { item_kind: STANDARD item: "J6" })pb", absl::StatusCode::kInvalidArgument},
      {R"pb(fit { link: "LINK99" platform: "F16" })pb", absl::StatusCode::kNotFound},
      {R"pb(fit { link: "JREAP" platform: "F99" })pb", absl::StatusCode::kNotFound},
      {R"pb(upgrade { platform: "TANK" from_standard: "K1" to_standard: "J6" })pb",
       absl::StatusCode::kInvalidArgument},  // across families
      {R"pb(upgrade { platform: "OLDJET" from_standard: "J5" to_standard: "J5" })pb",
       absl::StatusCode::kInvalidArgument},  // not two versions
      {R"pb(upgrade { platform: "TANK" from_standard: "J5" to_standard: "J6" })pb",
       absl::StatusCode::kInvalidArgument},  // speaks neither
      {R"pb(upgrade { platform: "OLDJET" from_standard: "J4" to_standard: "J6" })pb",
       absl::StatusCode::kNotFound},
      {R"pb(add_element { platform: "F16" nation: "POL" quantity: 0 })pb",
       absl::StatusCode::kInvalidArgument},
      {R"pb(add_element { platform: "F16" nation: "POL" quantity: -3 })pb",
       absl::StatusCode::kInvalidArgument},
      {R"pb(add_element { platform: "F16" nation: "POL" quantity: 1 id: "F35-a" })pb",
       absl::StatusCode::kInvalidArgument},  // taken (explicit id)
      {R"pb(add_element { platform: "F16" nation: "POL" quantity: 1 id: "POL:TANK" })pb",
       absl::StatusCode::kInvalidArgument},  // taken (effective id)
      {R"pb(add_element { platform: "F99" nation: "POL" quantity: 1 })pb",
       absl::StatusCode::kNotFound},
      {R"pb(add_element { platform: "F16" nation: "XXX" quantity: 1 })pb",
       absl::StatusCode::kNotFound},
      {R"pb(add_gateway_element { platform: "F16" nation: "POL" })pb",
       absl::StatusCode::kInvalidArgument},  // no gateway
      {R"pb(add_gateway_element { platform: "AEW" nation: "POL" id: "USA:AEW" })pb",
       absl::StatusCode::kInvalidArgument},  // taken
      {R"pb(share_information { nation_a: "USA" nation_b: "USA" })pb",
       absl::StatusCode::kInvalidArgument},
      {R"pb(share_information { nation_a: "USA" nation_b: "XXX" })pb",
       absl::StatusCode::kNotFound},
  };
  // From the baseline, and from a scenario with changes applied.
  for (int round = 0; round < 2; ++round) {
    if (round == 1) {
      MustApply(R"pb(add_element { platform: "F35" nation: "POL" quantity: 1 })pb");
      MustApply(R"pb(embargo { nation: "TUR" })pb");
      MustApply(R"pb(release { item_kind: LINK item: "LINK16" party: "UKR" })pb");
    }
    const Snapshot before = Take(*s_);
    for (const Case& c : cases) {
      absl::StatusOr<Applied> a = s_->Apply(ParseChange(c.change));
      EXPECT_EQ(a.status().code(), c.code) << "round " << round << ": " << c.change << " -> "
                                           << a.status();
      EXPECT_TRUE(Take(*s_) == before) << "round " << round << ": " << c.change;
    }
    // The ids a failed AddElement tried are still free.
    EXPECT_FALSE(s_->FindElement("POL:F16:2").has_value());
  }
}

// --- Property test: the overlay against the reference edit of the protos -----------------------

// Compares the scenario with the reference (element ids, presence, IER members, strict and
// relaxed levels of every ordered pair against SlowInterop on the edited protos). Returns a
// description of the first differences, empty when they agree.
std::string Compare(const Scenario& s, const coalition::testing::ReferenceState& ref) {
  std::string diff;
  int reported = 0;
  auto note = [&](const std::string& what) {
    if (reported++ < 8) absl::StrAppend(&diff, "  ", what, "\n");
  };
  if (s.num_elements() != static_cast<uint32_t>(ref.mix.elements_size())) {
    return absl::StrCat("  elements: scenario ", s.num_elements(), ", reference ",
                        ref.mix.elements_size(), "\n");
  }
  const std::vector<bool> present = coalition::testing::ReferencePresent(ref);
  for (ElementIndex e = 0; e < s.num_elements(); ++e) {
    const std::string id = coalition::testing::ReferenceElementId(ref.mix.elements(static_cast<int>(e)));
    if (s.element_id(e) != id) note(absl::StrCat("element ", e, " id ", s.element_id(e), " vs ", id));
    if (s.present(e) != present[e]) {
      note(absl::StrCat("present(", id, "): scenario ", s.present(e), ", reference ", present[e]));
    }
  }
  for (uint32_t k = 0; k < s.num_iers(); ++k) {
    for (int side = 0; side < 2; ++side) {
      std::vector<int> got;
      s.ForEachMember(k, side, [&](ElementIndex e) { got.push_back(static_cast<int>(e)); });
      if (got != coalition::testing::ReferenceMembers(ref, static_cast<int>(k), side)) {
        note(absl::StrCat("IER ", k, " side ", side, ": members differ"));
      }
    }
  }
  const PolicyLevels lv = ComputePolicyLevels(s);
  const coalition::testing::SlowInterop strict(ref.model, ref.mix, false, present);
  const coalition::testing::SlowInterop relaxed(ref.model, ref.mix, true, present);
  for (ElementIndex a = 0; a < s.num_elements(); ++a) {
    for (ElementIndex b = 0; b < s.num_elements(); ++b) {
      const int sa = strict.Level(a, b), ra = relaxed.Level(a, b);
      if (lv.strict.Level(a, b) != sa) {
        note(absl::StrCat("strict Level(", s.element_id(a), ", ", s.element_id(b), "): got ",
                          lv.strict.Level(a, b), ", want ", sa));
      }
      if (lv.relaxed.Level(a, b) != ra) {
        note(absl::StrCat("relaxed Level(", s.element_id(a), ", ", s.element_id(b), "): got ",
                          lv.relaxed.Level(a, b), ", want ", ra));
      }
    }
  }
  if (reported > 8) absl::StrAppend(&diff, "  ... ", reported - 8, " more\n");
  return diff;
}

std::vector<int> AllLevels(const Scenario& s) {
  const PolicyLevels lv = ComputePolicyLevels(s);
  std::vector<int> out;
  for (ElementIndex a = 0; a < s.num_elements(); ++a) {
    out.push_back(s.present(a));
    for (ElementIndex b = 0; b < s.num_elements(); ++b) {
      out.push_back(lv.strict.Level(a, b));
      out.push_back(lv.relaxed.Level(a, b));
    }
  }
  return out;
}

TEST(ScenarioPropertyTest, MatchesReferenceEditOfTheProtos) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "COALITION_SEED=" << seed << "\n";
  constexpr int kModels = 60;
  int changes_applied = 0, no_ops = 0;
  for (int i = 0; i < kModels; ++i) {
    const uint64_t model_seed = seed + static_cast<uint64_t>(i);
    v1::Model model = coalition::testing::RandomModelForChanges(model_seed);
    // Every other model with supply restrictions in force (lifted by some changes) and coverage.
    if (i % 2 == 1) coalition::testing::AddRandomCoverageAndSupply(model_seed, &model);
    ScenarioFixture b(model);
    ASSERT_TRUE(b.ok()) << "model seed " << model_seed;
    Scenario& s = *b.scenario;
    coalition::testing::ReferenceState ref =
        coalition::testing::MakeReference(b.model, b.model.mixes(0));
    const std::string base_diff = Compare(s, ref);
    ASSERT_TRUE(base_diff.empty()) << "model seed " << model_seed << " baseline:\n" << base_diff;
    const std::vector<int> baseline = AllLevels(s);

    std::mt19937_64 rng(model_seed);
    const int n = 1 + static_cast<int>(rng() % 6);
    std::string trail;
    for (int step = 0; step < n; ++step) {
      const v1::Change change = coalition::testing::RandomValidChange(rng, ref);
      absl::StrAppend(&trail, "  ", ChangeText(change), "\n");
      absl::StatusOr<bool> ref_no_op = coalition::testing::ApplyReference(change, &ref);
      ASSERT_TRUE(ref_no_op.ok()) << ref_no_op.status() << "\n" << trail;
      absl::StatusOr<Applied> applied = s.Apply(change);
      ASSERT_TRUE(applied.ok()) << "model seed " << model_seed << ": " << applied.status()
                                << "\nchanges:\n" << trail;
      ++changes_applied;
      no_ops += *ref_no_op;
      EXPECT_EQ(applied->no_op != NoOp::kNone, *ref_no_op)
          << "model seed " << model_seed << " no-op flag, changes:\n" << trail;
      const std::string diff = Compare(s, ref);
      ASSERT_TRUE(diff.empty()) << "model seed " << model_seed << " (COALITION_SEED=" << seed
                                << ", model " << i << ") after changes:\n"
                                << trail << "differences:\n" << diff;
    }
    while (s.depth() > 0) s.Undo();
    EXPECT_EQ(s.num_elements(), b.mix->size());
    EXPECT_EQ(AllLevels(s), baseline) << "model seed " << model_seed
                                      << ": levels after undoing all of\n" << trail;
  }
  // Not vacuous: most changes did something.
  EXPECT_GT(changes_applied - no_ops, changes_applied / 2);
}

// Level sets derive a class on its first query (interop.h), and the first Update derives the
// classes nobody asked for: incremental levels of a level set that was queried only once, kept
// through random changes (Update) and undone (Undo), equal levels computed from scratch at every
// step, both ways; the classes' members (flat, plus the added elements) follow too.
TEST(ScenarioPropertyTest, IncrementalLevelsDerivedOnDemandMatchFromScratch) {
  const uint64_t seed = coalition::testing::TestSeed() + 7000;
  std::cout << "COALITION_SEED=" << seed << "\n";
  for (int i = 0; i < 40; ++i) {
    const uint64_t model_seed = seed + static_cast<uint64_t>(i);
    v1::Model model = coalition::testing::RandomModelForChanges(model_seed);
    if (i % 2 == 1) coalition::testing::AddRandomCoverageAndSupply(model_seed, &model);
    ScenarioFixture b(model);
    ASSERT_TRUE(b.ok()) << "model seed " << model_seed;
    Scenario& s = *b.scenario;
    coalition::testing::ReferenceState ref =
        coalition::testing::MakeReference(b.model, b.model.mixes(0));
    PolicyLevels lv = ComputePolicyLevels(s);
    if (s.num_elements() > 1) lv.strict.Level(0, 1);  // one class pair derived, no more
    auto check = [&](const std::string& where) {
      const std::vector<int> fresh = AllLevels(s);
      std::vector<int> incremental;
      for (ElementIndex a = 0; a < s.num_elements(); ++a) {
        incremental.push_back(s.present(a));  // AllLevels's layout
        for (ElementIndex c = 0; c < s.num_elements(); ++c) {
          incremental.push_back(lv.strict.Level(a, c));
          incremental.push_back(lv.relaxed.Level(a, c));
        }
      }
      EXPECT_EQ(incremental, fresh) << "model seed " << model_seed << " " << where;
      for (ClassIndex c = 0; c < s.num_classes(); ++c) {
        for (ElementIndex e : s.class_elements(c)) {
          EXPECT_EQ(s.class_of(e), c) << "model seed " << model_seed << " " << where;
        }
      }
    };
    std::mt19937_64 rng(model_seed);
    const int n = 1 + static_cast<int>(rng() % 6);
    std::vector<bool> updated;
    std::string trail;
    for (int step = 0; step < n; ++step) {
      const v1::Change change = coalition::testing::RandomValidChange(rng, ref);
      absl::StrAppend(&trail, "  ", ChangeText(change), "\n");
      ASSERT_TRUE(coalition::testing::ApplyReference(change, &ref).ok()) << trail;
      absl::StatusOr<Applied> applied = s.Apply(change);
      ASSERT_TRUE(applied.ok()) << applied.status() << "\n" << trail;
      std::vector<ClassIndex> affected = applied->touched_classes;
      if (applied->supply_changed) {
        for (ClassIndex c = 0; c < s.num_classes(); ++c) affected.push_back(c);
      }
      for (uint32_t nation : applied->sharing_nations) {
        for (ClassIndex c = 0; c < s.num_classes(); ++c) {
          if (s.class_nation(c) == nation) affected.push_back(c);
        }
      }
      std::sort(affected.begin(), affected.end());
      affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
      const bool update = applied->no_op == NoOp::kNone && !affected.empty();
      if (update) {
        std::vector<ClassIndex> dirty;
        lv.strict.Update(s, affected, applied->sharing_nations, &dirty);
        lv.relaxed.Update(s, affected, {}, &dirty);
      }
      updated.push_back(update);
      check("after changes:\n" + trail);
    }
    while (s.depth() > 0) {
      if (updated.back()) {
        lv.relaxed.Undo();
        lv.strict.Undo();
      }
      updated.pop_back();
      s.Undo();
      check("undoing changes:\n" + trail);
    }
  }
}

}  // namespace
}  // namespace coalition::scenario
