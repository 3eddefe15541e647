#include "engine/analysis/whatif.h"

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/testing/fixtures.h"
#include "engine/testing/random_model.h"
#include "engine/testing/scenario_fixture.h"
#include "engine/testing/slow_interop.h"
#include "engine/testing/status_matchers.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;

// The hand model (fixtures.h) plus a supply chain (kHandSupply): AEW needs AEWRADAR, made only in
// TUR; F16 needs F16ENGINE, made in USA and GBR.
using coalition::testing::HandModelWithSupply;

// F16 (LINK16/J6) and SHIP (JREAP/J6) meet only through the AEW's J6<->J6 gateway (cap 2):
// F16-SHIP 2, F16-AEW 4 and SHIP-AEW 4 (common channel, all USA). Six ordered pairs, all >= 2.
constexpr char kGatewayMix[] = R"pb(
  name: "gw"
  elements { platform: "F16" nation: "USA" quantity: 4 }
  elements { platform: "SHIP" nation: "USA" quantity: 1 }
  elements { platform: "AEW" nation: "USA" quantity: 1 }
  iers { name: "picture" from { all: true } to { all: true } min_level: 2 }
)pb";

double Aggregate(const v1::WhatIfReport& r, const std::string& name, bool after) {
  for (const v1::AggregateDelta& d : r.aggregates()) {
    if (d.name() == name) return after ? d.after() : d.before();
  }
  ADD_FAILURE() << "no aggregate " << name;
  return -1;
}

// Typed changes, each written as a Change in text format.
v1::WhatIf Changes(std::initializer_list<std::string> list) {
  v1::WhatIf w;
  for (const std::string& text : list) {
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, w.add_changes())) << text;
  }
  return w;
}

v1::WhatIf ReleaseOf(bool link, const std::string& item, const std::string& party) {
  v1::WhatIf w;
  v1::Release* r = w.add_changes()->mutable_release();
  r->set_item_kind(link ? v1::Release::LINK : v1::Release::STANDARD);
  r->set_item(item);
  r->set_party(party);
  return w;
}

// The what-if of the model's first mix, on the frozen graph of the model.
absl::StatusOr<WhatIfResult> WhatIfOf(const v1::Model& m, const v1::WhatIf& w,
                                      const WhatIfOptions& opt = {}) {
  coalition::testing::ScenarioFixture f(m);
  return AnalyzeWhatIf(*f.graph, *f.mix, *f.chain, w, opt);
}

TEST(WhatIfTest, EmbargoGroundsGatewayAndOpensUnavailableGapsForOthers) {
  const v1::Model m = HandModelWithSupply(kGatewayMix);
  ASSERT_OK_AND_ASSIGN(WhatIfResult r,
                       WhatIfOf(m, Changes({R"(embargo { nation: "TUR" })"})));
  const v1::WhatIfReport& w = r.report;
  // TUR's embargo removes S_TUR, the only AEWRADAR supplier: USA:AEW is grounded.
  ASSERT_EQ(w.grounded_elements_size(), 1);
  EXPECT_EQ(w.grounded_elements(0), "USA:AEW");
  // Opened: the 4 pairs with the AEW (UNAVAILABLE) and F16<->SHIP, which lose the gateway and
  // have no common link (level 0, TECHNICAL even with policy relaxed). In IER, from, to order:
  //   F16>SHIP T, F16>AEW U, SHIP>F16 T, SHIP>AEW U, AEW>F16 U, AEW>SHIP U.
  ASSERT_EQ(w.gaps_opened_size(), 6);
  EXPECT_EQ(w.gaps_opened_total(), 6);
  const char* expected[][3] = {{"USA:F16", "USA:SHIP", "TECHNICAL"},
                               {"USA:F16", "USA:AEW", "UNAVAILABLE"},
                               {"USA:SHIP", "USA:F16", "TECHNICAL"},
                               {"USA:SHIP", "USA:AEW", "UNAVAILABLE"},
                               {"USA:AEW", "USA:F16", "UNAVAILABLE"},
                               {"USA:AEW", "USA:SHIP", "UNAVAILABLE"}};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(w.gaps_opened(i).from_element(), expected[i][0]) << i;
    EXPECT_EQ(w.gaps_opened(i).to_element(), expected[i][1]) << i;
    EXPECT_EQ(v1::GapClass_Name(w.gaps_opened(i).gap_class()), expected[i][2]) << i;
  }
  EXPECT_EQ(w.gaps_opened(0).achieved_level(), 0);
  EXPECT_EQ(w.gaps_opened(1).layer(), v1::LAYER_AVAILABILITY);
  EXPECT_EQ(w.gaps_closed_size(), 0);
  // Aggregates: units 6 -> 5, cost 240 + 1000 + 300 = 1540 -> 1240, grounded units 0 -> 1.
  EXPECT_EQ(Aggregate(w, "units_present", false), 6);
  EXPECT_EQ(Aggregate(w, "units_present", true), 5);
  EXPECT_EQ(Aggregate(w, "cost_present_musd", false), 1540);
  EXPECT_EQ(Aggregate(w, "cost_present_musd", true), 1240);
  EXPECT_EQ(Aggregate(w, "grounded_units", true), 1);
  EXPECT_EQ(Aggregate(w, "pairs_satisfied", false), 6);
  EXPECT_EQ(Aggregate(w, "pairs_satisfied", true), 0);
  EXPECT_EQ(Aggregate(w, "gaps_unavailable", true), 4);
  EXPECT_EQ(Aggregate(w, "gaps_technical", true), 2);
  EXPECT_EQ(Aggregate(w, "iers_satisfied", false), 1);
  EXPECT_EQ(Aggregate(w, "iers_satisfied", true), 0);
}

TEST(WhatIfTest, EmbargoWithAlternativeSupplierGroundsNothing) {
  const v1::Model m = HandModelWithSupply(kGatewayMix);
  // F16ENGINE is made in USA and GBR: embargoing GBR leaves S_USA.
  ASSERT_OK_AND_ASSIGN(WhatIfResult r,
                       WhatIfOf(m, Changes({R"(embargo { nation: "GBR" })"})));
  EXPECT_EQ(r.report.grounded_elements_size(), 0);
  EXPECT_EQ(r.report.gaps_opened_total(), 0);
  // Removing both suppliers grounds the F16: its 4 pairs become UNAVAILABLE.
  ASSERT_OK_AND_ASSIGN(WhatIfResult r2,
                       WhatIfOf(m, Changes({R"(embargo { nation: "GBR" })", R"(remove_supplier { supplier: "S_USA" })"})));
  ASSERT_EQ(r2.report.grounded_elements_size(), 1);
  EXPECT_EQ(r2.report.grounded_elements(0), "USA:F16");
  EXPECT_EQ(r2.report.gaps_opened_total(), 4);
}

TEST(WhatIfTest, RemoveElementAndPlatform) {
  const v1::Model m = HandModelWithSupply(kGatewayMix);
  ASSERT_OK_AND_ASSIGN(WhatIfResult r,
                       WhatIfOf(m, Changes({R"(remove_element { element: "USA:AEW" })"})));
  EXPECT_EQ(r.report.removed_elements_size(), 1);
  EXPECT_EQ(r.report.grounded_elements_size(), 0);
  EXPECT_EQ(r.report.gaps_opened_total(), 6);
  EXPECT_EQ(Aggregate(r.report, "removed_elements", true), 1);
  ASSERT_OK_AND_ASSIGN(WhatIfResult r2,
                       WhatIfOf(m, Changes({R"(remove_platform { platform: "SHIP" })"})));
  ASSERT_EQ(r2.report.removed_elements_size(), 1);
  EXPECT_EQ(r2.report.removed_elements(0), "USA:SHIP");
  EXPECT_EQ(r2.report.gaps_opened_total(), 4);  // every pair with the ship
}

TEST(WhatIfTest, ReleaseClosesPolicyGap) {
  // UKR may not use LINK16 (NATO only): USA:F16 - UKR:F16 reach 1 over HF; 3 with policy
  // relaxed (POLICY gap, both directions). Releasing LINK16 to UKR gives 3 (no sharing): closed.
  const v1::Model m = HandModelWithSupply(R"pb(
    name: "rel"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "F16" nation: "UKR" quantity: 4 }
    iers { name: "data" from { all: true } to { all: true } min_level: 3 }
  )pb");
  ASSERT_OK_AND_ASSIGN(WhatIfResult r,
                       WhatIfOf(m, Changes({R"(release { item_kind: LINK item: "LINK16" party: "UKR" })"})));
  EXPECT_EQ(r.report.gaps_closed_total(), 2);
  ASSERT_EQ(r.report.gaps_closed_size(), 2);
  EXPECT_EQ(r.report.gaps_closed(0).gap_class(), v1::POLICY);
  EXPECT_EQ(r.report.gaps_closed(0).achieved_level(), 1);
  EXPECT_EQ(r.report.gaps_opened_total(), 0);
  // Releasing to a group works the same way; releasing HF (releasable to all) is a no-op.
  ASSERT_OK_AND_ASSIGN(WhatIfResult r2,
                       WhatIfOf(m, Changes({R"(release { item_kind: LINK item: "HF" party: "UKR" })"})));
  EXPECT_EQ(r2.report.gaps_closed_total(), 0);
  ASSERT_EQ(r2.report.no_ops_size(), 1);
  EXPECT_EQ(r2.report.no_ops(0).reason(), v1::NoOp::ALREADY_RELEASABLE_TO_ALL);
}

TEST(WhatIfTest, FitAndAddElement) {
  // F16 and SHIP share no link: level 0, TECHNICAL gaps both ways (min 2).
  const v1::Model m = HandModelWithSupply(R"pb(
    name: "fit"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    iers { name: "picture" from { all: true } to { all: true } min_level: 2 }
  )pb");
  // Fitting LINK16 to SHIP gives a common LINK16/J6 channel: level 4, both gaps closed.
  ASSERT_OK_AND_ASSIGN(WhatIfResult fit,
                       WhatIfOf(m, Changes({R"(fit { link: "LINK16" platform: "SHIP" })"})));
  EXPECT_EQ(fit.report.gaps_closed_total(), 2);
  EXPECT_EQ(fit.report.gaps_closed(0).gap_class(), v1::TECHNICAL);
  // Adding an AEW gateway element bridges them at 2: both gaps closed, and its own 4 new pairs
  // are at level 4 (satisfied, so nothing opens).
  ASSERT_OK_AND_ASSIGN(WhatIfResult add,
                       WhatIfOf(m, Changes({R"(add_element { platform: "AEW" nation: "USA" quantity: 1 })"})));
  ASSERT_EQ(add.report.added_elements_size(), 1);
  EXPECT_EQ(add.report.added_elements(0), "USA:AEW");
  EXPECT_EQ(add.report.gaps_closed_total(), 2);
  EXPECT_EQ(add.report.gaps_opened_total(), 0);
  EXPECT_EQ(Aggregate(add.report, "pairs_evaluated", true), 6);
  EXPECT_EQ(Aggregate(add.report, "units_present", true), 6);
  // Adding the same again gets a fresh id.
  ASSERT_OK_AND_ASSIGN(
      WhatIfResult twice,
      WhatIfOf(m, Changes({R"(add_element { platform: "AEW" nation: "USA" quantity: 1 })", R"(add_element { platform: "AEW" nation: "USA" quantity: 2 })"})));
  ASSERT_EQ(twice.report.added_elements_size(), 2);
  EXPECT_EQ(twice.report.added_elements(1), "USA:AEW:2");
}

TEST(WhatIfTest, Errors) {
  const v1::Model m = HandModelWithSupply(kGatewayMix);
  auto code = [&](const std::string& change) {
    return WhatIfOf(m, Changes({change})).status().code();
  };
  EXPECT_EQ(code(R"(embargo { nation: "XXX" })"), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(R"(remove_supplier { supplier: "nope" })"), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(R"(remove_element { element: "nope" })"), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(R"(remove_platform { platform: "nope" })"), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(R"(release { item_kind: LINK item: "LINK16" })"),
            absl::StatusCode::kInvalidArgument);  // no party
  EXPECT_EQ(code(R"(release { item: "LINK16" party: "UKR" })"),
            absl::StatusCode::kInvalidArgument);  // no item kind
  EXPECT_EQ(code(R"(release { item_kind: LINK item: "LINK16" party: "MARS" })"),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(code(R"(release { item_kind: STANDARD item: "LINK16" party: "UKR" })"),
            absl::StatusCode::kNotFound);  // LINK16 is a link, not a standard
  EXPECT_EQ(code(R"(fit { link: "LINK16" platform: "NOPE" })"), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(R"(add_element { platform: "F16" nation: "USA" quantity: 0 })"),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(R"(add_element { platform: "F16" nation: "USA" })"),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(R"(add_element { platform: "F16" nation: "USA" quantity: 1 id: "USA:AEW" })"),
            absl::StatusCode::kInvalidArgument);  // the id is taken
  EXPECT_EQ(code(R"(add_gateway_element { platform: "F16" nation: "USA" })"),
            absl::StatusCode::kInvalidArgument);  // F16 carries no gateway
  v1::WhatIf empty;
  empty.add_changes();
  EXPECT_EQ(WhatIfOf(m, empty).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---- Properties on seeded random models. ----

TEST(WhatIfPropertyTest, NoChangesGivesEmptyDiff) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "seed " << seed << " (override with COALITION_SEED)\n";
  for (int round = 0; round < 20; ++round) {
    const v1::Model m = coalition::testing::RandomModel(seed + round, {});
    ASSERT_OK_AND_ASSIGN(WhatIfResult r, WhatIfOf(m, v1::WhatIf()));
    EXPECT_EQ(r.report.gaps_opened_total() + r.report.gaps_closed_total() +
                  r.report.gaps_changed_total(),
              0)
        << "seed " << seed + round;
    EXPECT_EQ(r.report.grounded_elements_size(), 0);
    for (const v1::AggregateDelta& d : r.report.aggregates()) {
      EXPECT_EQ(d.before(), d.after()) << d.name() << " seed " << seed + round;
    }
  }
}

TEST(WhatIfPropertyTest, ReleaseThenReverseReturnsBaselineExactly) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "seed " << seed << " (override with COALITION_SEED)\n";
  int checked = 0;
  for (int round = 0; round < 40; ++round) {
    const v1::Model full = coalition::testing::RandomModel(seed + 100 + round, {});
    // Items whose releasability has >= 2 entries: dropping the last one is a real restriction,
    // and releasing it again is the change under test.
    struct Item {
      bool link;
      int index;
    };
    std::vector<Item> items;
    for (int i = 0; i < full.links_size(); ++i) {
      if (full.links(i).releasable_to_size() >= 2) items.push_back({true, i});
    }
    for (int i = 0; i < full.standards_size(); ++i) {
      if (full.standards(i).releasable_to_size() >= 2) items.push_back({false, i});
    }
    for (const Item& it : items) {
      v1::Model without = full;
      auto* list = it.link ? without.mutable_links(it.index)->mutable_releasable_to()
                           : without.mutable_standards(it.index)->mutable_releasable_to();
      const std::string target = list->Get(list->size() - 1);
      list->RemoveLast();
      if (std::find(list->begin(), list->end(), target) != list->end()) continue;  // duplicate
      const std::string id = it.link ? full.links(it.index).id() : full.standards(it.index).id();
      WhatIfOptions opt;
      opt.full_reports = true;
      opt.max_gaps = -1;
      ASSERT_OK_AND_ASSIGN(WhatIfResult released,
                           WhatIfOf(without, ReleaseOf(it.link, id, target), opt));
      ASSERT_OK_AND_ASSIGN(WhatIfResult baseline, WhatIfOf(full, v1::WhatIf(), opt));
      std::string diff;
      google::protobuf::util::MessageDifferencer d;
      d.ReportDifferencesToString(&diff);
      EXPECT_TRUE(d.Compare(baseline.before, released.after))
          << "seed " << seed + 100 + round << " release " << id << ":" << target << "\n" << diff;
      // And the reverse direction: from the full model, the same release changes nothing.
      ASSERT_OK_AND_ASSIGN(WhatIfResult again,
                           WhatIfOf(full, ReleaseOf(it.link, id, target), opt));
      EXPECT_EQ(again.report.gaps_opened_total() + again.report.gaps_closed_total() +
                    again.report.gaps_changed_total(),
                0);
      // The diff of the release is the sum of the two states' differences: closed gaps were gaps
      // of `without`, and the totals reconcile.
      EXPECT_EQ(released.before.gaps_total() - released.report.gaps_closed_total() +
                    released.report.gaps_opened_total(),
                released.after.gaps_total());
      ++checked;
    }
  }
  EXPECT_GT(checked, 5);
}

TEST(WhatIfPropertyTest, EmbargoAfterStateMatchesSlowOracles) {
  // The after state of an embargo, checked independently: present = platform sustainable by a
  // naive supply-chain fixed point over the protos; levels by the slow widest-path oracle.
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "seed " << seed << " (override with COALITION_SEED)\n";
  for (int round = 0; round < 15; ++round) {
    const v1::Model m = coalition::testing::RandomModel(seed + 300 + round, {});
    const std::string nation = m.nations(round % m.nations_size()).id();
    ASSERT_OK_AND_ASSIGN(WhatIfResult r,
                         WhatIfOf(m, Changes({absl::StrCat("embargo { nation: \"", nation, "\" }")})));
    // Naive availability.
    std::set<std::string> removed;
    for (const auto& s : m.suppliers()) {
      if (s.nation() == nation) removed.insert(s.id());
    }
    std::map<std::string, bool> avail;
    for (const auto& c : m.components()) avail[c.id()] = true;
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& c : m.components()) {
        bool ok = false;
        for (const auto& s : c.suppliers()) ok = ok || removed.count(s) == 0;
        for (const auto& sub : c.sub_components()) ok = ok && (!sub.critical() || avail[sub.component()]);
        if (ok != avail[c.id()]) {
          avail[c.id()] = ok;
          changed = true;
        }
      }
    }
    const v1::ForceMix& mix = m.mixes(0);
    // A nation does not embargo itself: its own elements see every supplier (an element is
    // present iff its critical components are available with no supplier removed).
    std::map<std::string, bool> all_avail;
    for (const auto& c : m.components()) all_avail[c.id()] = true;
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& c : m.components()) {
        bool ok = c.suppliers_size() > 0;
        for (const auto& sub : c.sub_components()) ok = ok && (!sub.critical() || all_avail[sub.component()]);
        if (ok != all_avail[c.id()]) {
          all_avail[c.id()] = ok;
          changed = true;
        }
      }
    }
    std::vector<bool> present;
    for (const auto& e : mix.elements()) {
      const auto& a = e.nation() == nation ? all_avail : avail;
      bool ok = true;
      for (const auto& p : m.platforms()) {
        if (p.id() != e.platform()) continue;
        for (const auto& u : p.components()) ok = ok && (!u.critical() || a.at(u.component()));
      }
      present.push_back(ok);
    }
    coalition::testing::SlowInterop slow(m, mix, false, present);
    int64_t satisfied = 0;
    for (const auto& ier : mix.iers()) {
      for (int a = 0; a < mix.elements_size(); ++a) {
        for (int b = 0; b < mix.elements_size(); ++b) {
          if (a == b) continue;
          // Random mixes: from is all; to is all or one domain.
          bool to = ier.to().all();
          if (!to) {
            for (const auto& p : m.platforms()) {
              if (p.id() == mix.elements(b).platform()) to = p.domain() == ier.to().domains(0);
            }
          }
          if (!to) continue;
          const int level = present[a] && present[b] ? slow.Level(a, b) : 0;
          satisfied += level >= ier.min_level();
        }
      }
    }
    EXPECT_EQ(r.after.pairs_satisfied(), satisfied) << "seed " << seed + 300 + round;
  }
}

}  // namespace
}  // namespace coalition::analysis
