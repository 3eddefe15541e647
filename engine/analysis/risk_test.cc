#include "engine/analysis/risk.h"

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "engine/testing/random_model.h"
#include "engine/testing/slow_risk.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using graph::EntityKind;
using graph::ResolvedMix;
using graph::TypedGraph;

// A supply-chain model worked by hand.
//   RADARJET (US_BUILT, 100 M$) -crit-> RADAR [S_US1 USA, S_DEU DEU]
//                                        -crit-> TRM [S_US1 USA, S_POL POL]
//                                                 -crit-> GAN [S_US2 USA] (ITAR)
//   TANK     (THIRD_PARTY, 5)   -crit-> ENGINE  [S_DEU DEU, S_POL POL];  GAN non-critical
//   TANK2    (THIRD_PARTY, 10)  -crit-> ENGINE2 [S_DEU DEU, S_DEU2 DEU]
//   DRONE    (THIRD_PARTY, 1)   -crit-> MOTOR   [S_CHN CHN, S_RUS RUS]  (both ADVERSARY)
//                               -crit-> CAMERA  [S_CHN CHN, S_US1 USA]
//   MISSILE  (CO_PRODUCED, 2)   -crit-> SEEKER  [S_US1 USA, S_GBR GBR] (ITAR)
// Groups: NATO (not itar_exempt), FVEY (itar_exempt; USA, GBR).
constexpr char kRiskModel[] = R"pb(
  name: "risk-hand"
  nations { id: "USA" name: "US" groups: "NATO" groups: "FVEY" partner_category: MOST_CAPABLE supply_risk: NONE }
  nations { id: "GBR" name: "UK" groups: "NATO" groups: "FVEY" partner_category: MOST_CAPABLE supply_risk: NONE }
  nations { id: "POL" name: "Poland" groups: "NATO" partner_category: FRONTLINE supply_risk: NONE }
  nations { id: "DEU" name: "Germany" groups: "NATO" partner_category: MOST_CAPABLE supply_risk: NONE }
  nations { id: "CHN" name: "China" partner_category: OTHER supply_risk: ADVERSARY }
  nations { id: "RUS" name: "Russia" partner_category: OTHER supply_risk: ADVERSARY }
  groups { id: "NATO" name: "NATO" }
  groups { id: "FVEY" name: "Five Eyes" shares_information: true itar_exempt: true }
  suppliers { id: "S_US1" name: "US one" nation: "USA" }
  suppliers { id: "S_US2" name: "US two" nation: "USA" }
  suppliers { id: "S_DEU" name: "DE one" nation: "DEU" }
  suppliers { id: "S_DEU2" name: "DE two" nation: "DEU" }
  suppliers { id: "S_POL" name: "PL one" nation: "POL" }
  suppliers { id: "S_GBR" name: "UK one" nation: "GBR" }
  suppliers { id: "S_CHN" name: "CN one" nation: "CHN" }
  suppliers { id: "S_RUS" name: "RU one" nation: "RUS" }
  components { id: "RADAR" name: "radar" kind: SENSOR suppliers: "S_US1" suppliers: "S_DEU" sub_components { component: "TRM" critical: true } export_control: NONE }
  components { id: "TRM" name: "T/R module" kind: SENSOR suppliers: "S_US1" suppliers: "S_POL" sub_components { component: "GAN" critical: true } export_control: NONE }
  components { id: "GAN" name: "GaN chip" kind: OTHER suppliers: "S_US2" export_control: ITAR }
  components { id: "ENGINE" name: "engine" kind: PROPULSION suppliers: "S_DEU" suppliers: "S_POL" export_control: NONE }
  components { id: "ENGINE2" name: "engine 2" kind: PROPULSION suppliers: "S_DEU" suppliers: "S_DEU2" export_control: NONE }
  components { id: "MOTOR" name: "motor" kind: PROPULSION suppliers: "S_CHN" suppliers: "S_RUS" export_control: NONE }
  components { id: "CAMERA" name: "camera" kind: SENSOR suppliers: "S_CHN" suppliers: "S_US1" export_control: NONE }
  components { id: "SEEKER" name: "seeker" kind: SENSOR suppliers: "S_US1" suppliers: "S_GBR" export_control: ITAR }
  platforms { id: "RADARJET" name: "radar jet" domain: AIR tier: EXQUISITE unit_cost_musd: 100 designer_nation: "USA" producer_nations: "USA" sourcing: US_BUILT components { component: "RADAR" critical: true } }
  platforms { id: "TANK" name: "tank" domain: LAND tier: SECOND_TIER unit_cost_musd: 5 designer_nation: "POL" producer_nations: "POL" sourcing: THIRD_PARTY components { component: "ENGINE" critical: true } components { component: "GAN" } }
  platforms { id: "TANK2" name: "tank 2" domain: LAND tier: SECOND_TIER unit_cost_musd: 10 designer_nation: "DEU" producer_nations: "DEU" sourcing: THIRD_PARTY components { component: "ENGINE2" critical: true } }
  platforms { id: "DRONE" name: "drone" domain: AIR tier: ALTERNATIVE unit_cost_musd: 1 designer_nation: "POL" producer_nations: "POL" sourcing: THIRD_PARTY components { component: "MOTOR" critical: true } components { component: "CAMERA" critical: true } }
  platforms { id: "MISSILE" name: "missile" domain: LAND tier: SECOND_TIER unit_cost_musd: 2 designer_nation: "USA" producer_nations: "POL" sourcing: CO_PRODUCED components { component: "SEEKER" critical: true } }
  mixes {
    name: "m"
    elements { id: "E1" platform: "RADARJET" nation: "USA" quantity: 2 }
    elements { id: "E2" platform: "TANK" nation: "POL" quantity: 10 }
    elements { id: "E3" platform: "TANK2" nation: "POL" quantity: 4 }
    elements { id: "E4" platform: "DRONE" nation: "POL" quantity: 20 }
    elements { id: "E5" platform: "MISSILE" nation: "POL" quantity: 5 }
    elements { id: "E6" platform: "MISSILE" nation: "GBR" quantity: 5 }
    elements { id: "E7" platform: "MISSILE" nation: "USA" quantity: 5 }
  }
)pb";
// Units 2+10+4+20+5+5+5 = 51; cost 200+50+40+20+10+10+10 = 340 M$.

struct Built {
  v1::Model model;
  std::unique_ptr<TypedGraph> graph;
  std::unique_ptr<ResolvedMix> mix;
  std::unique_ptr<SupplyChain> chain;
};

Built Build(const v1::Model& model) {
  Built b;
  b.model = model;
  v1::Model copy = model;
  auto g = graph::BuildGraph(std::move(copy));
  EXPECT_TRUE(g.ok()) << g.status();
  b.graph = std::make_unique<TypedGraph>(std::move(*g));
  auto mix = graph::ResolveMix(*b.graph, b.model.mixes(0));
  EXPECT_TRUE(mix.ok()) << mix.status();
  b.mix = std::make_unique<ResolvedMix>(std::move(*mix));
  auto chain = SupplyChain::Build(*b.graph);
  EXPECT_TRUE(chain.ok()) << chain.status();
  b.chain = std::make_unique<SupplyChain>(std::move(*chain));
  return b;
}

v1::Model HandModel() {
  v1::Model m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kRiskModel, &m));
  return m;
}

std::string ChainText(const v1::RiskFinding& f) { return absl::StrJoin(f.chain().ids(), " > "); }

uint32_t Platform(const Built& b, const std::string& id) {
  return *b.graph->Find(EntityKind::kPlatform, id);
}
uint32_t Nation(const Built& b, const std::string& id) {
  return *b.graph->Find(EntityKind::kNation, id);
}

TEST(SupplyChainTest, SingleSourceChainThreeTiersDeep) {
  Built b = Build(HandModel());
  // Baseline: everything has a supplier, so everything is available.
  Availability base = b.chain->Compute({});
  for (uint8_t ok : base.platform_sustainable) EXPECT_TRUE(ok);
  // Embargo USA: GAN loses its only supplier S_US2; TRM and RADAR still have suppliers but need
  // GAN critically, so RADAR is unavailable and RADARJET is grounded three tiers up.
  Availability usa = b.chain->Compute(b.chain->SuppliersIn({Nation(b, "USA")}));
  const auto comp = [&](const char* id) {
    return usa.component_available[*b.graph->Find(EntityKind::kComponent, id)];
  };
  EXPECT_FALSE(comp("GAN"));
  EXPECT_FALSE(comp("TRM"));
  EXPECT_FALSE(comp("RADAR"));
  EXPECT_TRUE(comp("SEEKER"));  // S_GBR remains
  EXPECT_TRUE(comp("CAMERA"));  // S_CHN remains
  EXPECT_FALSE(usa.platform_sustainable[Platform(b, "RADARJET")]);
  // TANK uses GAN only non-critically: still sustainable.
  EXPECT_TRUE(usa.platform_sustainable[Platform(b, "TANK")]);
  EXPECT_TRUE(usa.platform_sustainable[Platform(b, "MISSILE")]);
}

TEST(SupplyChainTest, AlternativeSupplierInAnotherNationKeepsPlatformSustainable) {
  Built b = Build(HandModel());
  // Embargo DEU: ENGINE keeps S_POL (another nation) -> TANK sustainable; ENGINE2's two
  // suppliers are both German -> TANK2 grounded.
  Availability deu = b.chain->Compute(b.chain->SuppliersIn({Nation(b, "DEU")}));
  EXPECT_TRUE(deu.platform_sustainable[Platform(b, "TANK")]);
  EXPECT_FALSE(deu.platform_sustainable[Platform(b, "TANK2")]);
  EXPECT_TRUE(deu.platform_sustainable[Platform(b, "RADARJET")]);  // RADAR keeps S_US1
  // Removing both of ENGINE's suppliers grounds TANK too.
  std::vector<bool> removed = b.chain->SuppliersIn({Nation(b, "DEU"), Nation(b, "POL")});
  EXPECT_FALSE(b.chain->Compute(removed).platform_sustainable[Platform(b, "TANK")]);
}

TEST(SupplyChainTest, CycleIsInvalidArgument) {
  v1::Model m = HandModel();
  auto* sub = m.mutable_components(2)->add_sub_components();  // GAN -> RADAR closes a cycle
  sub->set_component("RADAR");
  sub->set_critical(true);
  auto g = graph::BuildGraph(std::move(m));
  ASSERT_OK(g);
  auto chain = SupplyChain::Build(*g);
  EXPECT_EQ(chain.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RiskReportTest, HandWorked) {
  Built b = Build(HandModel());
  v1::RiskReport r = AnalyzeRisk(*b.graph, *b.mix, *b.chain, {});
  EXPECT_EQ(r.units(), 51);
  EXPECT_DOUBLE_EQ(r.cost_musd(), 340);
  EXPECT_EQ(r.unsustainable_elements_size(), 0);

  // Exposures: DEU grounds E3 (POL's TANK2: 4 units, 40 M$). The US embargo would ground E1
  // (RADARJET: GAN has only S_US2), but E1 is American and a nation does not embargo itself:
  // USA grounds nothing. CHN alone grounds nothing (MOTOR keeps S_RUS, CAMERA keeps S_US1); POL,
  // GBR, RUS nothing.
  ASSERT_EQ(r.exposures_size(), 1);
  EXPECT_EQ(r.exposures(0).nation(), "DEU");
  EXPECT_EQ(r.exposures(0).grounded_units(), 4);
  EXPECT_DOUBLE_EQ(r.exposures(0).grounded_cost_musd(), 40);
  EXPECT_DOUBLE_EQ(r.exposures(0).unit_share(), 4.0 / 51);
  EXPECT_DOUBLE_EQ(r.exposures(0).cost_share(), 40.0 / 340);
  ASSERT_EQ(r.exposures(0).grounded_elements_size(), 1);
  EXPECT_EQ(r.exposures(0).grounded_elements(0), "E3");
  // No stock_months anywhere: grounded at once, so all of it is within the default horizon.
  ASSERT_EQ(r.exposures(0).grounded_size(), 1);
  EXPECT_EQ(r.exposures(0).grounded(0).months(), 0);
  EXPECT_EQ(r.exposures(0).units_within_horizon(), 4);
  EXPECT_TRUE(r.elements(0).grounded_by().empty());  // E1: not by its own nation
  EXPECT_EQ(r.nations_evaluated(), 6);

  // Findings, element order then DFS order then kind:
  //   E1 SINGLE_SOURCE GAN (one supplier, three tiers down; GAN is ITAR but E1's operator is USA)
  //   E3 SINGLE_SOURCE ENGINE2 (two suppliers, both in DEU)
  //   E4 ADVERSARY MOTOR CRITICAL (CHN and RUS only), ADVERSARY CAMERA HIGH (CHN and US)
  //   E5 ITAR SEEKER (POL: NATO is not itar_exempt); E6 (GBR, FVEY) and E7 (USA) not exposed.
  ASSERT_EQ(r.findings_size(), 5);
  EXPECT_EQ(r.findings_total(), 5);
  EXPECT_EQ(r.findings_omitted(), 0);
  const v1::RiskFinding& f0 = r.findings(0);
  EXPECT_EQ(f0.kind(), v1::RiskFinding::SINGLE_SOURCE);
  EXPECT_EQ(f0.element(), "E1");
  EXPECT_EQ(f0.component(), "GAN");
  EXPECT_EQ(ChainText(f0), "E1 > RADARJET > RADAR > TRM > GAN > S_US2 > USA");
  const v1::RiskFinding& f1 = r.findings(1);
  EXPECT_EQ(f1.kind(), v1::RiskFinding::SINGLE_SOURCE);
  EXPECT_EQ(ChainText(f1), "E3 > TANK2 > ENGINE2 > S_DEU > DEU");
  ASSERT_EQ(f1.suppliers_size(), 2);
  EXPECT_EQ(f1.suppliers(1), "S_DEU2");
  ASSERT_EQ(f1.nations_size(), 1);
  EXPECT_EQ(f1.nations(0), "DEU");
  const v1::RiskFinding& f2 = r.findings(2);
  EXPECT_EQ(f2.kind(), v1::RiskFinding::ADVERSARY_DEPENDENCY);
  EXPECT_EQ(f2.component(), "MOTOR");
  EXPECT_EQ(f2.severity(), v1::CRITICAL);
  EXPECT_EQ(ChainText(f2), "E4 > DRONE > MOTOR > S_CHN > CHN");
  EXPECT_EQ(absl::StrJoin(f2.nations(), ","), "CHN,RUS");
  const v1::RiskFinding& f3 = r.findings(3);
  EXPECT_EQ(f3.component(), "CAMERA");
  EXPECT_EQ(f3.severity(), v1::HIGH);
  const v1::RiskFinding& f4 = r.findings(4);
  EXPECT_EQ(f4.kind(), v1::RiskFinding::ITAR_EXPOSURE);
  EXPECT_EQ(f4.element(), "E5");
  EXPECT_EQ(ChainText(f4), "E5 > MISSILE > SEEKER > S_US1 > USA");

  // Per element.
  ASSERT_EQ(r.elements_size(), 7);
  EXPECT_EQ(r.elements(0).critical_components(), 3);  // RADAR, TRM, GAN
  EXPECT_EQ(r.elements(0).single_source(), 1);
  EXPECT_EQ(absl::StrJoin(r.elements(0).grounded_by(), ","), "");  // only USA could, its own
  EXPECT_EQ(r.elements(1).critical_components(), 1);  // ENGINE; GAN is non-critical
  EXPECT_EQ(r.elements(1).grounded_by_size(), 0);
  EXPECT_EQ(r.elements(3).adversary(), v1::CRITICAL);
  EXPECT_EQ(r.elements(4).itar_exposed(), 1);
  EXPECT_EQ(r.elements(5).itar_exposed(), 0);
  EXPECT_EQ(r.elements(6).itar_exposed(), 0);

  // By kind: SINGLE_SOURCE E1 + E3 = 6 units, 240 M$; ADVERSARY_HIGH: no element whose worst is
  // HIGH (E4's worst is CRITICAL) but one HIGH finding; ADVERSARY_CRITICAL E4 = 20 units, 20 M$;
  // ITAR E5 = 5 units, 10 M$.
  ASSERT_EQ(r.by_kind_size(), 4);
  EXPECT_EQ(r.by_kind(0).kind(), "SINGLE_SOURCE");
  EXPECT_EQ(r.by_kind(0).findings(), 2);
  EXPECT_EQ(r.by_kind(0).elements(), 2);
  EXPECT_EQ(r.by_kind(0).units(), 6);
  EXPECT_DOUBLE_EQ(r.by_kind(0).cost_musd(), 240);
  EXPECT_EQ(r.by_kind(1).findings(), 1);
  EXPECT_EQ(r.by_kind(1).elements(), 0);
  EXPECT_EQ(r.by_kind(2).units(), 20);
  EXPECT_DOUBLE_EQ(r.by_kind(3).cost_share(), 10.0 / 340);

  // Sourcing: US_BUILT E1 (2, 200); CO_PRODUCED E5-E7 (15, 30); THIRD_PARTY E2-E4 (34, 110).
  ASSERT_EQ(r.sourcing_size(), 3);
  EXPECT_EQ(r.sourcing(0).sourcing(), v1::US_BUILT);
  EXPECT_EQ(r.sourcing(0).units(), 2);
  EXPECT_DOUBLE_EQ(r.sourcing(0).cost_share(), 200.0 / 340);
  EXPECT_EQ(r.sourcing(1).units(), 15);
  EXPECT_DOUBLE_EQ(r.sourcing(1).cost_musd(), 30);
  EXPECT_EQ(r.sourcing(2).units(), 34);
  EXPECT_DOUBLE_EQ(r.sourcing(2).unit_share(), 34.0 / 51);
}

TEST(RiskReportTest, ItarExposureSwitchesOffWhenOperatorJoinsItarExemptGroup) {
  v1::Model m = HandModel();
  m.mutable_nations(2)->add_groups("FVEY");  // POL joins FVEY, itar_exempt with USA
  Built b = Build(m);
  v1::RiskReport r = AnalyzeRisk(*b.graph, *b.mix, *b.chain, {});
  EXPECT_EQ(r.findings_total(), 4);
  for (const v1::RiskFinding& f : r.findings()) EXPECT_NE(f.kind(), v1::RiskFinding::ITAR_EXPOSURE);
  EXPECT_EQ(r.elements(4).itar_exposed(), 0);
  // A group that is not itar_exempt does not help: FVEY loses the flag -> GBR and POL exposed.
  m.mutable_groups(1)->set_itar_exempt(false);
  Built b2 = Build(m);
  v1::RiskReport r2 = AnalyzeRisk(*b2.graph, *b2.mix, *b2.chain, {});
  EXPECT_EQ(r2.by_kind(3).elements(), 2);  // E5, E6; E7 is operated by the USA itself
}

TEST(RiskReportTest, FindingsLimitCountsTheRest) {
  Built b = Build(HandModel());
  RiskOptions opt;
  opt.max_findings = 2;
  v1::RiskReport r = AnalyzeRisk(*b.graph, *b.mix, *b.chain, opt);
  EXPECT_EQ(r.findings_size(), 2);
  EXPECT_EQ(r.findings_omitted(), 3);
  EXPECT_EQ(r.by_kind(0).findings(), 2);
}

// ---- Property tests against the slow fixed-point oracle. ----

TEST(SupplyChainPropertyTest, AvailabilityEqualsNaiveFixedPoint) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "seed " << seed << " (override with COALITION_SEED)\n";
  for (int round = 0; round < 40; ++round) {
    coalition::testing::RandomModelOptions opt;
    opt.components = 12 + round % 10;
    opt.suppliers = 4 + round % 5;
    opt.platforms = 8;
    const v1::Model m = coalition::testing::RandomModel(seed + round, opt);
    Built b = Build(m);
    std::mt19937_64 rng(seed + 1000 + round);
    // No removal, each nation's embargo, and a few random supplier sets.
    std::vector<std::set<std::string>> removals = {{}};
    for (const auto& n : m.nations()) removals.push_back(coalition::testing::SlowSuppliersIn(m, n.id()));
    for (int k = 0; k < 5; ++k) {
      std::set<std::string> s;
      for (const auto& sup : m.suppliers()) {
        if (rng() % 3 == 0) s.insert(sup.id());
      }
      removals.push_back(s);
    }
    for (const auto& removed : removals) {
      std::vector<bool> flags(b.graph->Count(EntityKind::kSupplier), false);
      for (const std::string& s : removed) flags[*b.graph->Find(EntityKind::kSupplier, s)] = true;
      Availability fast = b.chain->Compute(flags);
      coalition::testing::SlowAvailability slow =
          coalition::testing::SlowSupplyAvailability(m, removed);
      for (const auto& [id, ok] : slow.component_available) {
        ASSERT_EQ(fast.component_available[*b.graph->Find(EntityKind::kComponent, id)], ok)
            << "seed " << seed + round << " component " << id;
      }
      for (const auto& [id, ok] : slow.platform_sustainable) {
        ASSERT_EQ(fast.platform_sustainable[Platform(b, id)], ok)
            << "seed " << seed + round << " platform " << id;
      }
    }
    // Every nation's embargo at once (incremental) equals the oracle per nation.
    const Availability base = b.chain->Compute({});
    const auto slow_base = coalition::testing::SlowSupplyAvailability(m, {});
    std::map<std::string, std::set<std::string>> fast_grounded;
    b.chain->ForEachNationEmbargo(
        base, {},
        [&](uint32_t n, absl::Span<const uint32_t> platforms, absl::Span<const uint32_t>) {
      for (uint32_t p : platforms) {
        fast_grounded[std::string(b.graph->Id(EntityKind::kNation, n))].insert(
            std::string(b.graph->Id(EntityKind::kPlatform, p)));
      }
    });
    for (const auto& n : m.nations()) {
      const auto after =
          coalition::testing::SlowSupplyAvailability(m, coalition::testing::SlowSuppliersIn(m, n.id()));
      std::set<std::string> expected;
      for (const auto& [id, ok] : after.platform_sustainable) {
        if (slow_base.platform_sustainable.at(id) && !ok) expected.insert(id);
      }
      ASSERT_EQ(fast_grounded[n.id()], expected) << "seed " << seed + round << " nation " << n.id();
    }
  }
}

TEST(RiskReportTest, RestrictionsInForceAndTimeToGround) {
  // The hand model plus:
  //   stock_months RADAR 12, TRM 3, GAN 9, ENGINE2 6;
  //   E8: one POL RADARJET (100 M$); E9: 3 DRONEs of India (IND, no group);
  //   R-RU: every Russian supplier denies POL; R-CN: S_CHN denies NATO.
  // Units 51 + 1 + 3 = 55; cost 340 + 100 + 3 = 443 M$.
  v1::Model m = HandModel();
  for (auto& c : *m.mutable_components()) {
    if (c.id() == "RADAR") c.set_stock_months(12);
    if (c.id() == "TRM") c.set_stock_months(3);
    if (c.id() == "GAN") c.set_stock_months(9);
    if (c.id() == "ENGINE2") c.set_stock_months(6);
  }
  ASSERT_TRUE(google::protobuf::TextFormat::MergeFromString(R"pb(
    nations { id: "IND" name: "India" partner_category: OTHER supply_risk: NONE }
    restrictions { id: "R-RU" supplier_nation: "RUS" denied_to: "POL" }
    restrictions { id: "R-CN" supplier: "S_CHN" denied_to: "NATO" }
  )pb", &m));
  ASSERT_TRUE(google::protobuf::TextFormat::MergeFromString(R"pb(
    elements { id: "E8" platform: "RADARJET" nation: "POL" quantity: 1 }
    elements { id: "E9" platform: "DRONE" nation: "IND" quantity: 3 }
  )pb", m.mutable_mixes(0)));
  Built b = Build(m);
  v1::RiskReport r = AnalyzeRisk(*b.graph, *b.mix, *b.chain, {.horizon_months = 4});
  EXPECT_EQ(r.restrictions_in_force(), 2);
  EXPECT_EQ(r.horizon_months(), 4);
  // Baseline: POL's DRONE (E4) loses MOTOR (S_CHN denied to NATO, S_RUS to POL): unsustainable,
  // grounded by both restrictions (model order). India's DRONE (E9) is untouched.
  ASSERT_EQ(r.unsustainable_elements_size(), 1);
  EXPECT_EQ(r.unsustainable_elements(0), "E4");
  EXPECT_FALSE(r.elements(3).sustainable());
  EXPECT_EQ(absl::StrJoin(r.elements(3).restricted_by(), ","), "R-RU,R-CN");
  EXPECT_TRUE(r.elements(8).sustainable());
  EXPECT_TRUE(r.elements(8).restricted_by().empty());
  // Exposures. USA: E8 (POL's RADARJET) loses GAN (S_US2 only), hence TRM and RADAR: time to
  // ground = min(9, 3, 12) = 3 months (TRM); E1 and E7 are American (not grounded by their own
  // nation). DEU: E3 (TANK2) loses ENGINE2: 6 months. Horizon 4: USA grounds 1 unit (100 M$)
  // within it, DEU none; USA ranks first although DEU grounds more units in all (4 > 1).
  ASSERT_EQ(r.exposures_size(), 2);
  const v1::NationExposure& us = r.exposures(0);
  EXPECT_EQ(us.nation(), "USA");
  ASSERT_EQ(us.grounded_size(), 1);
  EXPECT_EQ(us.grounded(0).element(), "E8");
  EXPECT_EQ(us.grounded(0).months(), 3);
  EXPECT_EQ(absl::StrJoin(us.grounded(0).components(), ","), "TRM");
  EXPECT_EQ(us.units_within_horizon(), 1);
  EXPECT_DOUBLE_EQ(us.unit_share_within_horizon(), 1.0 / 55);
  EXPECT_DOUBLE_EQ(us.cost_within_horizon_musd(), 100);
  const v1::NationExposure& de = r.exposures(1);
  EXPECT_EQ(de.nation(), "DEU");
  EXPECT_EQ(de.grounded(0).element(), "E3");
  EXPECT_EQ(de.grounded(0).months(), 6);
  EXPECT_EQ(de.grounded_units(), 4);
  EXPECT_EQ(de.units_within_horizon(), 0);
  // At horizon 0 (at once) neither grounds anything within it; DEU's 4 units then rank first.
  v1::RiskReport r0 = AnalyzeRisk(*b.graph, *b.mix, *b.chain, {});
  ASSERT_EQ(r0.exposures_size(), 2);
  EXPECT_EQ(r0.exposures(0).nation(), "DEU");
  // CHN cannot ground E9 (MOTOR keeps S_RUS for India, CAMERA keeps S_US1).
  for (const v1::NationExposure& x : r0.exposures()) EXPECT_NE(x.nation(), "CHN");
}

TEST(RiskReportPropertyTest, FindingsAndExposuresMatchOracle) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "seed " << seed << " (override with COALITION_SEED)\n";
  for (int round = 0; round < 25; ++round) {
    coalition::testing::RandomModelOptions opt;
    opt.components = 15;
    opt.elements = 12;
    v1::Model m = coalition::testing::RandomModel(seed + 7 * round, opt);
    // Half the rounds with supply restrictions in force and stock (time to ground).
    if (round % 2 == 1) coalition::testing::AddRandomCoverageAndSupply(seed + 7 * round, &m);
    Built b = Build(m);
    v1::RiskReport r = AnalyzeRisk(*b.graph, *b.mix, *b.chain, {.us_nation = "N0", .max_findings = -1});
    std::map<std::string, const v1::Component*> comps;
    std::map<std::string, std::string> supplier_nation;
    std::map<std::string, bool> adversary;
    for (const auto& c : m.components()) comps[c.id()] = &c;
    for (const auto& s : m.suppliers()) supplier_nation[s.id()] = s.nation();
    for (const auto& n : m.nations()) adversary[n.id()] = n.supply_risk() == v1::Nation::ADVERSARY;
    const auto base = coalition::testing::SlowSupplyAvailability(m, {});
    int64_t findings = 0;
    for (int e = 0; e < m.mixes(0).elements_size(); ++e) {
      const auto& el = m.mixes(0).elements(e);
      std::set<std::string> crit = coalition::testing::SlowCriticalComponents(m, el.platform());
      int single = 0, adv = 0;
      for (const std::string& c : crit) {
        std::set<std::string> nations;
        int adv_suppliers = 0;
        std::set<std::string> distinct(comps[c]->suppliers().begin(), comps[c]->suppliers().end());
        for (const std::string& s : distinct) {
          nations.insert(supplier_nation[s]);
          adv_suppliers += adversary[supplier_nation[s]];
        }
        single += nations.size() == 1;
        adv += adv_suppliers > 0;
      }
      const v1::ElementRisk& er = r.elements(e);
      ASSERT_EQ(er.critical_components(), static_cast<int>(crit.size())) << "seed " << seed + 7 * round;
      ASSERT_EQ(er.single_source(), single) << "seed " << seed + 7 * round;
      findings += single + adv + er.itar_exposed();
      // Baseline for the operating nation: the restrictions in force on it applied.
      const std::set<std::string> denied =
          coalition::testing::SlowDeniedSuppliers(m, el.nation(), {});
      const auto own_base = coalition::testing::SlowSupplyAvailability(m, denied);
      const bool sustainable = own_base.platform_sustainable.at(el.platform());
      ASSERT_EQ(er.sustainable(), sustainable) << "seed " << seed + 7 * round;
      ASSERT_EQ(er.restricted_by_size() > 0,
                !sustainable && base.platform_sustainable.at(el.platform()))
          << "seed " << seed + 7 * round << " element " << el.id();
      // Grounded-by nations: other nations whose embargo grounds it, with its time to ground.
      std::vector<std::string> expected;
      for (const auto& n : m.nations()) {
        if (n.id() == el.nation()) continue;  // a nation does not embargo itself
        std::set<std::string> gone = denied;
        for (const std::string& sup : coalition::testing::SlowSuppliersIn(m, n.id())) {
          gone.insert(sup);
        }
        const auto after = coalition::testing::SlowSupplyAvailability(m, gone);
        if (!sustainable || after.platform_sustainable.at(el.platform())) continue;
        expected.push_back(n.id());
        double months = -1;
        for (const std::string& c : crit) {
          if (!own_base.component_available.at(c) || after.component_available.at(c)) continue;
          const double stock = comps[c]->stock_months();
          if (months < 0 || stock < months) months = stock;
        }
        bool found = false;
        for (const v1::NationExposure& x : r.exposures()) {
          if (x.nation() != n.id()) continue;
          for (const v1::GroundedElement& ge : x.grounded()) {
            if (ge.element() != er.element()) continue;
            found = true;
            EXPECT_EQ(ge.months(), months) << "seed " << seed + 7 * round << " " << el.id();
          }
        }
        EXPECT_TRUE(found) << "seed " << seed + 7 * round << " " << el.id() << " by " << n.id();
      }
      std::sort(expected.begin(), expected.end());
      ASSERT_EQ(std::vector<std::string>(er.grounded_by().begin(), er.grounded_by().end()), expected)
          << "seed " << seed + 7 * round << " element " << el.id();
    }
    ASSERT_EQ(r.findings_total(), findings);
    ASSERT_EQ(r.findings_size(), findings);
  }
}

}  // namespace
}  // namespace coalition::analysis
