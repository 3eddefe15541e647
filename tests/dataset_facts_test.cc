// Facts the public sources state, pinned by querying the shipped dataset and the gap analysis.
// Each test names the source file in datasets/reference/ that states the fact.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/scenario/scenario.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition {
namespace {

namespace v1 = ::coalition::v1;
using graph::EntityKind;

class DatasetFactsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = LoadModel("datasets/coalition.textproto");
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    model_ = new v1::Model(loaded->model);
    v1::ValidationReport r = Validate(loaded->model, loaded->source);
    ASSERT_EQ(r.errors(), 0);
    ASSERT_EQ(r.warnings(), 0) << r.DebugString();
    auto g = graph::BuildGraph(std::move(loaded->model));
    ASSERT_TRUE(g.ok()) << g.status();
    graph_ = new graph::TypedGraph(std::move(*g));
  }
  static const v1::PlatformType& Platform(const std::string& id) {
    for (const auto& p : model_->platforms()) {
      if (p.id() == id) return p;
    }
    ADD_FAILURE() << "no platform " << id;
    return model_->platforms(0);
  }
  // Achieved level between the two elements of a two-element mix (plus extra elements).
  static int Level(const std::string& mix_text, int a, int b) {
    v1::ForceMix mix;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(mix_text, &mix));
    auto resolved = graph::ResolveMix(*graph_, mix);
    EXPECT_TRUE(resolved.ok()) << resolved.status();
    const scenario::Scenario s(*graph_, *resolved, /*chain=*/nullptr);
    return analysis::InteropLevels::Compute(s, /*relax_policy=*/false).Level(a, b);
  }
  static v1::Model* model_;
  static graph::TypedGraph* graph_;
};
v1::Model* DatasetFactsTest::model_ = nullptr;
graph::TypedGraph* DatasetFactsTest::graph_ = nullptr;

TEST_F(DatasetFactsTest, SizesMeetTheIssue) {
  EXPECT_GE(model_->nations_size(), 30);
  EXPECT_GE(model_->platforms_size(), 80);
  EXPECT_GE(model_->links_size(), 15);
  EXPECT_GE(model_->standards_size(), 25);
  for (const auto& p : model_->platforms()) EXPECT_FALSE(p.source().empty()) << p.id();
  for (const auto& n : model_->nations()) EXPECT_FALSE(n.source().empty()) << n.id();
  for (const auto& c : model_->components()) EXPECT_FALSE(c.source().empty()) << c.id();
}

// 02_programmes_coproduction_suppliers.md: F-35 final assembly at Cameri (Italy) and Nagoya
// (Japan) — a US design produced partly abroad is CO_PRODUCED.
TEST_F(DatasetFactsTest, F35AIsCoProducedWithItalyAndJapan) {
  const v1::PlatformType& f35 = Platform("F-35A");
  EXPECT_EQ(f35.sourcing(), v1::CO_PRODUCED);
  EXPECT_EQ(f35.designer_nation(), "USA");
  std::vector<std::string> producers(f35.producer_nations().begin(), f35.producer_nations().end());
  EXPECT_NE(std::find(producers.begin(), producers.end(), "ITA"), producers.end());
  EXPECT_NE(std::find(producers.begin(), producers.end(), "JPN"), producers.end());
}

// 02/03: the Bayraktar TB2 is a Turkish design: THIRD_PARTY relative to the US.
TEST_F(DatasetFactsTest, Tb2IsThirdParty) {
  EXPECT_EQ(Platform("TB2").sourcing(), v1::THIRD_PARTY);
  EXPECT_EQ(Platform("TB2").designer_nation(), "TUR");
}

// 01/05: MADL is an F-35 programme link: not releasable outside the programme's partners and
// buyers. Ukraine (outside it) may not use it; the UK (a partner) may.
TEST_F(DatasetFactsTest, MadlNotReleasableOutsideTheF35Programme) {
  const graph::NodeId madl =
      graph_->Node(EntityKind::kLink, *graph_->Find(EntityKind::kLink, "MADL"));
  EXPECT_FALSE(graph::MayUse(*graph_, *graph_->Find(EntityKind::kNation, "UKR"), madl));
  EXPECT_FALSE(graph::MayUse(*graph_, *graph_->Find(EntityKind::kNation, "TUR"), madl));
  EXPECT_TRUE(graph::MayUse(*graph_, *graph_->Find(EntityKind::kNation, "GBR"), madl));
  // Every nation that may use MADL belongs to an F-35 programme group (or designed it).
  for (uint32_t n = 0; n < graph_->Count(EntityKind::kNation); ++n) {
    if (!graph::MayUse(*graph_, n, madl)) continue;
    bool in_programme = graph_->Id(EntityKind::kNation, n) == "USA";
    for (graph::NodeId g :
         graph_->Neighbors(graph_->Node(EntityKind::kNation, n), graph::EdgeKind::kMemberOf)) {
      in_programme = in_programme || absl::StartsWith(graph_->IdOf(g), "F35-");
    }
    EXPECT_TRUE(in_programme) << graph_->Id(EntityKind::kNation, n);
  }
}

// 01: the F-22's IFDL is not compatible with the F-35's MADL; Project Hydra's U-2 gateway
// bridged them. Without the U-2 the pair has no data path (at most voice, 1); with it, 2.
TEST_F(DatasetFactsTest, F22AndF35NeedAGateway) {
  const int without = Level(R"pb(
    name: "x"
    elements { platform: "F-22A" nation: "USA" quantity: 1 }
    elements { platform: "F-35A" nation: "USA" quantity: 1 }
  )pb", 0, 1);
  EXPECT_LE(without, 1);
  const int with = Level(R"pb(
    name: "x"
    elements { platform: "F-22A" nation: "USA" quantity: 1 }
    elements { platform: "F-35A" nation: "USA" quantity: 1 }
    elements { platform: "U-2S" nation: "USA" quantity: 1 }
  )pb", 0, 1);
  EXPECT_EQ(with, 2);
}

// 01/05 (press report): Link 16 had not been released to Ukraine — a Ukrainian Patriot and a
// Polish one reach only voice, and the gap is a POLICY one naming LINK16 for UKR.
TEST_F(DatasetFactsTest, Link16ReleaseToUkraineIsAPolicyGap) {
  v1::ForceMix mix;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    name: "x"
    elements { platform: "PATRIOT-PAC3" nation: "POL" quantity: 1 }
    elements { platform: "PATRIOT-PAC3" nation: "UKR" quantity: 1 }
    iers { name: "track" from { nations: "POL" } to { nations: "UKR" } min_level: 3 }
  )pb", &mix));
  ASSERT_OK_AND_ASSIGN(graph::ResolvedMix resolved, graph::ResolveMix(*graph_, mix));
  const scenario::Scenario s(*graph_, resolved, /*chain=*/nullptr);
  const analysis::PolicyLevels levels = analysis::ComputePolicyLevels(s);
  v1::GapReport r = analysis::AnalyzeGaps(s, levels, {10});
  ASSERT_EQ(r.gaps_size(), 1);
  EXPECT_EQ(r.gaps(0).gap_class(), v1::POLICY);
  bool names_link16 = false;
  for (const auto& b : r.gaps(0).policy_blocks()) {
    names_link16 = names_link16 || (b.item() == "LINK16" && b.nation() == "UKR");
  }
  EXPECT_TRUE(names_link16) << r.gaps(0).DebugString();
}

// ---- issue 12: the fact audit (datasets/reference/dataset_audit.md) ---------------------------

// dataset_audit.md (defencesentinel.com, aresdifesa.it, key.aero/DSCA): the ex-Norwegian F-16AM/BM
// MLU jets are brought to M6.5.2 with Link 16 and modern crypto, so they carry the second-tier
// J-series set [C, D] and meet a D-capable C2 node at SEAMLESS_DATA (3), not at the version
// bridge (2) of a C-only fleet.
TEST_F(DatasetFactsTest, F16MluFleetsAreM65WithModernEdition) {
  const v1::PlatformType& mlu = Platform("F-16AM-MLU");
  std::vector<std::string> standards(mlu.standards().begin(), mlu.standards().end());
  EXPECT_NE(std::find(standards.begin(), standards.end(), "J-6016D"), standards.end());
  EXPECT_GE(Level(R"pb(
              name: "x"
              elements { platform: "IBCS" nation: "POL" quantity: 1 }
              elements { platform: "F-16AM-MLU" nation: "ROU" quantity: 1 }
            )pb",
                  0, 1),
            3);
}

// 05 s4.1 and dataset_audit.md: a platform's Link 16 needs its MIDS terminal and the terminal's
// US crypto; every use of a MIDS terminal is critical, and the terminal holds the ITAR crypto.
TEST_F(DatasetFactsTest, MidsTerminalsAreCriticalUses) {
  int uses = 0;
  for (const auto& p : model_->platforms()) {
    for (const auto& u : p.components()) {
      if (absl::StartsWith(u.component(), "MIDS-")) {
        ++uses;
        EXPECT_TRUE(u.critical()) << p.id() << " uses " << u.component();
      }
    }
  }
  EXPECT_GT(uses, 20);
  for (const auto& c : model_->components()) {
    if (!absl::StartsWith(c.id(), "MIDS-")) continue;
    bool crypto = false;
    for (const auto& sub : c.sub_components()) {
      crypto = crypto || (sub.component() == "LINK16-LCM" && sub.critical());
    }
    EXPECT_TRUE(crypto) << c.id();
  }
}

// dataset_audit.md (flightglobal, alojapan): Japan's FACO assembles F-35A only; its F-35Bs come
// from the US line. Italy (Cameri) did assemble F-35Bs.
TEST_F(DatasetFactsTest, JapanIsNotAnF35BProducer) {
  const v1::PlatformType& f35b = Platform("F-35B");
  std::vector<std::string> producers(f35b.producer_nations().begin(), f35b.producer_nations().end());
  EXPECT_EQ(std::find(producers.begin(), producers.end(), "JPN"), producers.end());
  EXPECT_NE(std::find(producers.begin(), producers.end(), "ITA"), producers.end());
  EXPECT_EQ(f35b.sourcing(), v1::CO_PRODUCED);
}

// dataset_audit.md (22 CFR 126.5): Canada's exemption is an itar_exempt group of the US and Canada.
TEST_F(DatasetFactsTest, CanadaIsItarExemptWithTheUs) {
  std::string group;
  for (const auto& g : model_->groups()) {
    if (g.itar_exempt() && g.id() == "ITAR-CANADA") group = g.id();
  }
  ASSERT_EQ(group, "ITAR-CANADA");
  int members = 0;
  for (const auto& n : model_->nations()) {
    const bool in = std::find(n.groups().begin(), n.groups().end(), group) != n.groups().end();
    if (n.id() == "USA" || n.id() == "CAN") {
      EXPECT_TRUE(in) << n.id();
    } else {
      EXPECT_FALSE(in) << n.id();
    }
    members += in;
  }
  EXPECT_EQ(members, 2);
}

// dataset_audit.md (naval-technology, cityam, militaryembedded, virginiabusiness): AUKUS Pillar
// 1 rests on the naval reactors (S9G, PWR2) and the submarine yards (Electric Boat, Newport
// News, Barrow): critical uses on the Virginia and Astute SSNs.
TEST_F(DatasetFactsTest, AukusSubmarinesNeedReactorsAndYards) {
  auto uses = [](const v1::PlatformType& p, const std::string& c) {
    for (const auto& u : p.components()) {
      if (u.component() == c) return u.critical();
    }
    return false;
  };
  EXPECT_TRUE(uses(Platform("VIRGINIA-SSN"), "S9G-REACTOR"));
  EXPECT_TRUE(uses(Platform("VIRGINIA-SSN"), "VIRGINIA-SHIPYARDS"));
  EXPECT_TRUE(uses(Platform("ASTUTE-SSN"), "PWR2-REACTOR"));
  EXPECT_TRUE(uses(Platform("ASTUTE-SSN"), "BARROW-SHIPYARD"));
  std::map<std::string, std::string> nation_of;
  for (const auto& s : model_->suppliers()) nation_of[s.id()] = s.nation();
  EXPECT_EQ(nation_of["BWXT"], "USA");
  EXPECT_EQ(nation_of["RR-SUBMARINES"], "GBR");
  EXPECT_EQ(nation_of["BAE-BARROW"], "GBR");
  EXPECT_EQ(nation_of["GD-ELECTRIC-BOAT"], "USA");
  EXPECT_EQ(nation_of["HII-NEWPORT-NEWS"], "USA");
}

}  // namespace
}  // namespace coalition
