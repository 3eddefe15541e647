#include "engine/graph/force_mix.h"

#include <string>
#include <vector>

#include <random>

#include "absl/strings/str_cat.h"
#include "engine/testing/random_model.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace coalition::graph {
namespace {

constexpr char kModel[] = R"pb(
  nations { id: "USA" name: "US" groups: "NATO" groups: "FVEY" }
  nations { id: "POL" name: "PL" groups: "NATO" }
  nations { id: "UKR" name: "UA" }
  groups { id: "NATO" name: "NATO" }
  groups { id: "FVEY" name: "FVEY" shares_information: true }
  platforms { id: "F16" name: "F16" domain: AIR roles: "fighter" }
  platforms { id: "PATRIOT" name: "Patriot" domain: LAND roles: "air-defense" roles: "fires" }
  links { id: "L16" name: "L16" releasable_to: "NATO" designer_nation: "USA" }
  links { id: "OPEN" name: "open" }
  links { id: "UKRLINK" name: "u" releasable_to: "UKR" }
)pb";

constexpr char kMix[] = R"pb(
  name: "m"
  elements { platform: "F16" nation: "POL" quantity: 1 }
  elements { platform: "F16" nation: "USA" quantity: 2 }
  elements { id: "pat" platform: "PATRIOT" nation: "POL" quantity: 3 }
  elements { platform: "PATRIOT" nation: "UKR" quantity: 4 }
  iers { name: "all" from { all: true } to { all: true } min_level: 3 }
  iers { name: "pol-or-usa air" from { nations: "POL" nations: "USA" domains: AIR } to { groups: "NATO" } min_level: 3 }
  iers { name: "fires" from { roles: "fires" } to { elements: "pat" elements: "USA:F16" } min_level: 2 }
  iers { name: "nobody" from { roles: "tanker" } to { platforms: "F16" } min_level: 1 }
)pb";

struct Fixture {
  coalition::v1::Model model;
  coalition::v1::ForceMix mix;
};

TEST(ForceMixTest, SelectorsMatchEveryListedKind) {
  coalition::v1::Model m;
  coalition::v1::ForceMix mix;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kModel, &m));
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kMix, &mix));
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(std::move(m)));
  ASSERT_OK_AND_ASSIGN(ResolvedMix r, ResolveMix(g, mix));
  EXPECT_EQ(r.element_ids, (std::vector<std::string>{"POL:F16", "USA:F16", "pat", "UKR:PATRIOT"}));
  EXPECT_EQ(r.quantity[3], 4);
  ASSERT_EQ(r.iers.size(), 4u);
  EXPECT_EQ(r.iers[0].from, (std::vector<uint32_t>{0, 1, 2, 3}));
  // (POL or USA) and AIR -> the two F16s; to NATO members -> all but the Ukrainian Patriot.
  EXPECT_EQ(r.iers[1].from, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(r.iers[1].to, (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(r.iers[2].from, (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(r.iers[2].to, (std::vector<uint32_t>{1, 2}));
  EXPECT_TRUE(r.iers[3].from.empty());  // unknown role matches nothing
  EXPECT_EQ(r.iers[3].min_level, 1);
}

TEST(ForceMixTest, UnknownReferencesAreErrors) {
  coalition::v1::Model m;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kModel, &m));
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(std::move(m)));
  coalition::v1::ForceMix mix;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(name: "x" elements { platform: "F-16" nation: "POL" quantity: 1 })pb", &mix));
  auto r = ResolveMix(g, mix);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown platform 'F-16'"), std::string::npos);
}

TEST(ForceMixTest, ReleasabilityAndInformationSharing) {
  coalition::v1::Model m;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kModel, &m));
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(std::move(m)));
  const uint32_t usa = 0, pol = 1, ukr = 2;
  NodeId l16 = g.Node(EntityKind::kLink, 0), open = g.Node(EntityKind::kLink, 1),
         ukrlink = g.Node(EntityKind::kLink, 2);
  EXPECT_TRUE(MayUse(g, pol, l16));    // via NATO
  EXPECT_FALSE(MayUse(g, ukr, l16));   // not listed, no group
  EXPECT_TRUE(MayUse(g, ukr, open));   // empty list = everyone
  EXPECT_TRUE(MayUse(g, ukr, ukrlink));
  EXPECT_FALSE(MayUse(g, usa, ukrlink));
  EXPECT_TRUE(SharesInformation(g, pol, pol));
  EXPECT_FALSE(SharesInformation(g, usa, pol));  // NATO does not share in this model
}

// Property: selector expansion equals a naive matcher written straight from SPEC §1 on the
// proto's strings, for random selectors mixing every kind (seeded; COALITION_SEED overrides).
TEST(ForceMixTest, ExpansionEqualsNaiveMatcherOnRandomSelectors) {
  const uint64_t seed = coalition::testing::TestSeed();
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (override with COALITION_SEED)"));
  coalition::testing::RandomModelOptions opt;
  opt.elements = 30;
  coalition::v1::Model m = coalition::testing::RandomModel(seed, opt);
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  coalition::v1::ForceMix& mix = *m.mutable_mixes(0);
  mix.clear_iers();
  const char* roles[] = {"fighter", "isr", "c2", "fires", "no-such-role"};
  const coalition::v1::Domain domains[] = {coalition::v1::AIR, coalition::v1::LAND,
                                           coalition::v1::MARITIME, coalition::v1::C2};
  for (int k = 0; k < 300; ++k) {
    coalition::v1::Ier* ier = mix.add_iers();
    ier->set_name(absl::StrCat("i", k));
    ier->set_min_level(1);
    ier->mutable_to()->set_all(true);
    coalition::v1::Selector* sel = ier->mutable_from();
    const int kinds = 1 + pick(63);  // a non-empty subset of the six kinds
    for (int j = 0, n = 1 + pick(3); (kinds & 1) && j < n; ++j) {
      sel->add_elements(absl::StrCat("E", pick(opt.elements)));
    }
    for (int j = 0, n = 1 + pick(3); (kinds & 2) && j < n; ++j) {
      sel->add_platforms(absl::StrCat("P", pick(opt.platforms)));
    }
    for (int j = 0, n = 1 + pick(3); (kinds & 4) && j < n; ++j) {
      sel->add_nations(absl::StrCat("N", pick(opt.nations)));
    }
    for (int j = 0, n = 1 + pick(2); (kinds & 8) && j < n; ++j) {
      sel->add_groups(absl::StrCat("G", pick(opt.groups)));
    }
    for (int j = 0, n = 1 + pick(2); (kinds & 16) && j < n; ++j) sel->add_domains(domains[pick(4)]);
    for (int j = 0, n = 1 + pick(2); (kinds & 32) && j < n; ++j) sel->add_roles(roles[pick(5)]);
  }
  // The naive matcher, on strings.
  auto naive = [&](const coalition::v1::Selector& sel) {
    std::vector<uint32_t> out;
    auto has = [](const auto& list, const auto& x) {
      return std::find(list.begin(), list.end(), x) != list.end();
    };
    for (int i = 0; i < mix.elements_size(); ++i) {
      const auto& e = mix.elements(i);
      const coalition::v1::PlatformType* p = nullptr;
      for (const auto& q : m.platforms()) if (q.id() == e.platform()) p = &q;
      const coalition::v1::Nation* n = nullptr;
      for (const auto& q : m.nations()) if (q.id() == e.nation()) n = &q;
      bool ok = true;
      if (sel.elements_size()) ok = ok && has(sel.elements(), e.id());
      if (sel.platforms_size()) ok = ok && has(sel.platforms(), e.platform());
      if (sel.nations_size()) ok = ok && has(sel.nations(), e.nation());
      if (sel.groups_size()) {
        bool any = false;
        for (const auto& grp : n->groups()) any = any || has(sel.groups(), grp);
        ok = ok && any;
      }
      if (sel.domains_size()) ok = ok && has(sel.domains(), static_cast<int>(p->domain()));
      if (sel.roles_size()) {
        bool any = false;
        for (const auto& r : p->roles()) any = any || has(sel.roles(), r);
        ok = ok && any;
      }
      if (ok) out.push_back(static_cast<uint32_t>(i));
    }
    return out;
  };
  coalition::v1::ForceMix copy = mix;
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(coalition::v1::Model(m)));
  ASSERT_OK_AND_ASSIGN(ResolvedMix r, ResolveMix(g, copy));
  for (int k = 0; k < copy.iers_size(); ++k) {
    EXPECT_EQ(r.iers[k].from, naive(copy.iers(k).from())) << copy.iers(k).DebugString();
  }
}

}  // namespace
}  // namespace coalition::graph
