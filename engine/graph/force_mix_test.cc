#include "engine/graph/force_mix.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

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

// Each IER side keeps its compiled selector: sorted, deduplicated local indices per listed kind,
// and an unknown role kept as kUnknownRole (still listed, matches nothing).
TEST(ForceMixTest, IersKeepTheirCompiledSelectors) {
  coalition::v1::Model m;
  coalition::v1::ForceMix mix;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kModel, &m));
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kMix, &mix));
  mix.mutable_iers(1)->mutable_from()->add_nations("POL");  // a repeat
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(std::move(m)));
  ASSERT_OK_AND_ASSIGN(ResolvedMix r, ResolveMix(g, mix));
  EXPECT_TRUE(r.iers[0].from_selector.all);
  const CompiledSelector& air = r.iers[1].from_selector;  // nations POL, USA (+POL); AIR
  EXPECT_FALSE(air.all);
  EXPECT_EQ(air.nations, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(air.domains, (std::vector<int>{coalition::v1::AIR}));
  EXPECT_TRUE(air.elements.empty() && air.platforms.empty() && air.groups.empty() &&
              air.roles.empty());
  EXPECT_EQ(r.iers[2].to_selector.elements, (std::vector<uint32_t>{1, 2}));  // "pat", "USA:F16"
  EXPECT_EQ(r.iers[3].from_selector.roles, (std::vector<uint32_t>{kUnknownRole}));  // "tanker"
}

// An element appended after resolution (a what-if; index >= the base mix size) is matched with
// Matches: by platform, nation, group, domain and role like any element, never by `elements`.
TEST(ForceMixTest, MatchesAnElementNotInTheBaseMix) {
  coalition::v1::Model m;
  coalition::v1::ForceMix mix;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kModel, &m));
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kMix, &mix));
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(std::move(m)));
  ASSERT_OK_AND_ASSIGN(ResolvedMix r, ResolveMix(g, mix));
  const uint32_t added = r.size();  // 4
  const uint32_t f16 = *g.Find(EntityKind::kPlatform, "F16");
  const uint32_t patriot = *g.Find(EntityKind::kPlatform, "PATRIOT");
  const uint32_t usa = *g.Find(EntityKind::kNation, "USA");
  const uint32_t pol = *g.Find(EntityKind::kNation, "POL");
  const uint32_t ukr = *g.Find(EntityKind::kNation, "UKR");
  auto from = [&](int k) { return r.iers[k].from_selector; };
  auto to = [&](int k) { return r.iers[k].to_selector; };
  // all
  EXPECT_TRUE(Matches(g, from(0), added, patriot, ukr));
  // nations {POL, USA} and domains {AIR}: a new Polish F16, not a Polish Patriot (LAND) nor a
  // Ukrainian F16.
  EXPECT_TRUE(Matches(g, from(1), added, f16, pol));
  EXPECT_FALSE(Matches(g, from(1), added, patriot, pol));
  EXPECT_FALSE(Matches(g, from(1), added, f16, ukr));
  // groups {NATO}: through the operating nation's memberships.
  EXPECT_TRUE(Matches(g, to(1), added, patriot, usa));
  EXPECT_FALSE(Matches(g, to(1), added, f16, ukr));
  // roles {fires}: through the platform type.
  EXPECT_TRUE(Matches(g, from(2), added, patriot, ukr));
  EXPECT_FALSE(Matches(g, from(2), added, f16, usa));
  // elements {"pat", "USA:F16"}: a new USA F16 is not the base mix's "USA:F16".
  EXPECT_FALSE(Matches(g, to(2), added, f16, usa));
  EXPECT_TRUE(Matches(g, to(2), 1, f16, usa));  // the base element itself
  // platforms {F16}; roles {tanker}, a role no platform has.
  EXPECT_TRUE(Matches(g, to(3), added, f16, ukr));
  EXPECT_FALSE(Matches(g, from(3), added, f16, ukr));
  EXPECT_FALSE(Matches(g, from(3), added, patriot, pol));
  // Consistent with expansion on every base element.
  for (size_t k = 0; k < r.iers.size(); ++k) {
    for (uint32_t e = 0; e < r.size(); ++e) {
      const bool in_from =
          std::find(r.iers[k].from.begin(), r.iers[k].from.end(), e) != r.iers[k].from.end();
      EXPECT_EQ(Matches(g, from(k), e, r.platform[e], r.nation[e]), in_from) << k << " " << e;
    }
  }
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
  // The naive matcher, on strings: one element given by its id, platform and nation.
  auto naive_one = [&](const coalition::v1::Selector& sel, const std::string& id,
                       const std::string& platform, const std::string& nation) {
    auto has = [](const auto& list, const auto& x) {
      return std::find(list.begin(), list.end(), x) != list.end();
    };
    const coalition::v1::PlatformType* p = nullptr;
    for (const auto& q : m.platforms()) if (q.id() == platform) p = &q;
    const coalition::v1::Nation* n = nullptr;
    for (const auto& q : m.nations()) if (q.id() == nation) n = &q;
    bool ok = true;
    if (sel.elements_size()) ok = ok && has(sel.elements(), id);
    if (sel.platforms_size()) ok = ok && has(sel.platforms(), platform);
    if (sel.nations_size()) ok = ok && has(sel.nations(), nation);
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
    return ok;
  };
  auto naive = [&](const coalition::v1::Selector& sel) {
    std::vector<uint32_t> out;
    for (int i = 0; i < mix.elements_size(); ++i) {
      const auto& e = mix.elements(i);
      if (naive_one(sel, e.id(), e.platform(), e.nation())) out.push_back(static_cast<uint32_t>(i));
    }
    return out;
  };
  coalition::v1::ForceMix copy = mix;
  ASSERT_OK_AND_ASSIGN(TypedGraph g, BuildGraph(coalition::v1::Model(m)));
  ASSERT_OK_AND_ASSIGN(ResolvedMix r, ResolveMix(g, copy));
  for (int k = 0; k < copy.iers_size(); ++k) {
    EXPECT_EQ(r.iers[k].from, naive(copy.iers(k).from())) << copy.iers(k).DebugString();
  }
  // An element appended past the base mix, of every (platform, nation): Matches agrees with the
  // naive matcher for an element no `elements` value names.
  for (int k = 0; k < copy.iers_size(); ++k) {
    for (uint32_t p = 0; p < g.Count(EntityKind::kPlatform); ++p) {
      for (uint32_t n = 0; n < g.Count(EntityKind::kNation); ++n) {
        EXPECT_EQ(Matches(g, r.iers[k].from_selector, r.size(), p, n),
                  naive_one(copy.iers(k).from(), "", std::string(g.Id(EntityKind::kPlatform, p)),
                            std::string(g.Id(EntityKind::kNation, n))))
            << copy.iers(k).DebugString() << " platform " << p << " nation " << n;
      }
    }
  }
}

}  // namespace
}  // namespace coalition::graph
