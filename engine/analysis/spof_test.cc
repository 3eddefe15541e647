#include "engine/analysis/spof.h"

#include <map>
#include <random>
#include <memory>
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

// Every element present (no supply chain), as the spof command sees the mix.
std::unique_ptr<ScenarioFixture> Build(const v1::Model& model) {
  return std::make_unique<ScenarioFixture>(model, 0, /*with_chain=*/false);
}

std::string PairText(const v1::IerPair& p) {
  return absl::StrCat(p.ier(), "|", p.from_element(), "|", p.to_element());
}

v1::Model HandModelWith(const std::string& mix_text) {
  v1::Model m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(coalition::testing::kHandModel, &m));
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(mix_text, m.add_mixes()));
  return m;
}

TEST(SpofTest, LoneGatewayIsASinglePointOfFailure) {
  // F16s (LINK16/J6) and the SHIP (JREAP/J6) meet only through the AEW's J6<->J6 gateway (cap
  // 2). Without it they share no link: level 0. Pairs opened (min 2): USA:F16<->SHIP and
  // GBR:F16<->SHIP, both directions = 4; F16-F16 pairs keep LINK16 and are unaffected; pairs
  // with the AEW itself do not count.
  auto b = Build(HandModelWith(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { platform: "AEW" nation: "USA" quantity: 1 }
    elements { platform: "F16" nation: "GBR" quantity: 4 }
    iers { name: "p" from { all: true } to { all: true } min_level: 2 }
  )pb"));
  v1::SinglePointsReport r = FindSinglePointsOfFailure(*b->scenario, {});
  EXPECT_EQ(r.elements(), 4);
  EXPECT_EQ(r.candidates(), 1);  // the only element with a gateway
  ASSERT_EQ(r.points_size(), 1);
  const v1::SinglePointOfFailure& p = r.points(0);
  EXPECT_EQ(p.element(), "USA:AEW");
  EXPECT_EQ(p.gaps_opened(), 4);
  EXPECT_EQ(p.elements_affected(), 3);
  ASSERT_EQ(p.pairs_size(), 4);
  EXPECT_EQ(PairText(p.pairs(0)), "p|USA:F16|USA:SHIP");
  EXPECT_EQ(PairText(p.pairs(1)), "p|USA:SHIP|USA:F16");
  EXPECT_EQ(PairText(p.pairs(2)), "p|USA:SHIP|GBR:F16");
  EXPECT_EQ(PairText(p.pairs(3)), "p|GBR:F16|USA:SHIP");
  EXPECT_EQ(p.pairs_omitted(), 0);

  SpofOptions limited;
  limited.max_pairs = 1;
  v1::SinglePointsReport r1 = FindSinglePointsOfFailure(*b->scenario, limited);
  ASSERT_EQ(r1.points(0).pairs_size(), 1);
  EXPECT_EQ(r1.points(0).pairs_omitted(), 3);
}

TEST(SpofTest, RedundantGatewaysAreNotSinglePoints) {
  // Two AEWs of different nations (two classes): either alone still bridges. Two AEW elements of
  // one class: removing one leaves the class, so neither is a candidate.
  auto b = Build(HandModelWith(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { platform: "AEW" nation: "USA" quantity: 1 }
    elements { platform: "AEW" nation: "GBR" quantity: 1 }
    iers { name: "p" from { all: true } to { all: true } min_level: 2 }
  )pb"));
  v1::SinglePointsReport r = FindSinglePointsOfFailure(*b->scenario, {});
  EXPECT_EQ(r.candidates(), 2);
  EXPECT_EQ(r.points_size(), 0);
  auto b2 = Build(HandModelWith(R"pb(
    name: "m"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    elements { id: "AEW-1" platform: "AEW" nation: "USA" quantity: 1 }
    elements { id: "AEW-2" platform: "AEW" nation: "USA" quantity: 1 }
    iers { name: "p" from { all: true } to { all: true } min_level: 2 }
  )pb"));
  v1::SinglePointsReport r2 = FindSinglePointsOfFailure(*b2->scenario, {});
  EXPECT_EQ(r2.candidates(), 0);
  EXPECT_EQ(r2.points_size(), 0);
}

// Brute force with the slow oracle: remove each element in turn and count every IER pair of
// other elements that was satisfied and no longer is.
std::map<std::string, std::vector<std::string>> BruteForce(const v1::Model& m) {
  const v1::ForceMix& mix = m.mixes(0);
  const int n = mix.elements_size();
  std::map<std::string, std::string> domain;
  for (const auto& p : m.platforms()) domain[p.id()] = v1::Domain_Name(p.domain());
  auto in_to = [&](const v1::Ier& ier, int b) {
    if (ier.to().all()) return true;
    return domain[mix.elements(b).platform()] == v1::Domain_Name(ier.to().domains(0));
  };
  coalition::testing::SlowInterop base(m, mix, false);
  std::map<std::string, std::vector<std::string>> out;
  for (int x = 0; x < n; ++x) {
    std::vector<bool> present(n, true);
    present[x] = false;
    coalition::testing::SlowInterop without(m, mix, false, present);
    std::vector<std::string> pairs;
    for (const auto& ier : mix.iers()) {
      for (int a = 0; a < n; ++a) {
        for (int b = 0; b < n; ++b) {
          if (a == b || a == x || b == x || !in_to(ier, b)) continue;
          if (base.Level(a, b) >= ier.min_level() && without.Level(a, b) < ier.min_level()) {
            pairs.push_back(absl::StrCat(ier.name(), "|", mix.elements(a).id(), "|",
                                         mix.elements(b).id()));
          }
        }
      }
    }
    if (!pairs.empty()) out[mix.elements(x).id()] = pairs;
  }
  return out;
}

// The generator's platforms fit many links, so alternative paths abound and single points of
// failure are rare. Thin it out: each platform fits one link, or two with a gateway between a
// standard of each (so gateways are often the only bridge); half the releasability is lifted.
v1::Model Sparse(v1::Model m, uint64_t seed) {
  std::mt19937_64 rng(seed);
  // Keep releasability on half the links and standards only.
  for (auto& l : *m.mutable_links()) {
    if (rng() % 2 == 0) l.clear_releasable_to();
    if (l.standards_size() == 0) l.add_standards(m.standards(rng() % m.standards_size()).id());
  }
  for (auto& st : *m.mutable_standards()) {
    if (rng() % 2 == 0) st.clear_releasable_to();
  }
  auto speak = [](v1::PlatformType& p, const std::string& s) {
    for (const auto& x : p.standards()) {
      if (x == s) return;
    }
    p.add_standards(s);
  };
  for (auto& p : *m.mutable_platforms()) {
    p.clear_links();
    p.clear_gateways();
    const v1::CommsLink& l1 = m.links(rng() % m.links_size());
    p.add_links(l1.id());
    if (rng() % 2 == 0) {
      // A gateway between a standard of its link and one of a second link.
      const v1::CommsLink& l2 = m.links(rng() % m.links_size());
      if (l2.id() != l1.id()) p.add_links(l2.id());
      const std::string a = l1.standards(rng() % l1.standards_size());
      const std::string b = l2.standards(rng() % l2.standards_size());
      speak(p, a);
      speak(p, b);
      v1::Gateway* gw = p.add_gateways();
      gw->set_standard_a(a);
      gw->set_standard_b(b);
      if (rng() % 2 == 0) gw->set_level_cap(1 + static_cast<int>(rng() % 3));
    }
  }
  return m;
}

TEST(SpofPropertyTest, EqualsBruteForceRemovalOneByOne) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "seed " << seed << " (override with COALITION_SEED)\n";
  int with_points = 0;
  for (int round = 0; round < 150; ++round) {
    coalition::testing::RandomModelOptions opt;
    opt.elements = 10 + round % 6;
    opt.platforms = 6;
    opt.nations = 2 + round % 3;
    opt.links = 5;
    opt.standards = 6;
    opt.families = 4;
    const v1::Model m = Sparse(coalition::testing::RandomModel(seed + round, opt), seed + round);
    auto b = Build(m);
    SpofOptions so;
    so.max_pairs = -1;
    v1::SinglePointsReport r = FindSinglePointsOfFailure(*b->scenario, so);
    const auto expected = BruteForce(m);
    std::map<std::string, std::vector<std::string>> got;
    for (const auto& p : r.points()) {
      std::vector<std::string>& pairs = got[p.element()];
      for (const v1::IerPair& x : p.pairs()) pairs.push_back(PairText(x));
      EXPECT_EQ(p.gaps_opened(), p.pairs_size());
    }
    EXPECT_EQ(got, expected) << "seed " << seed + round;
    for (int i = 1; i < r.points_size(); ++i) {
      EXPECT_GE(r.points(i - 1).gaps_opened(), r.points(i).gaps_opened());
    }
    with_points += r.points_size() > 0;
  }
  std::cout << with_points << " models with single points of failure\n";
  EXPECT_GT(with_points, 10);  // the generator does produce single points of failure
}

}  // namespace
}  // namespace coalition::analysis
