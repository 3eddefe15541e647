#include "engine/analysis/evaluation.h"

#include <array>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/scenario/scenario.h"
#include "engine/testing/apply_changes.h"
#include "engine/testing/fixtures.h"
#include "engine/testing/random_model.h"
#include "engine/testing/scenario_fixture.h"
#include "engine/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using scenario::Applied;
using scenario::Scenario;

using coalition::testing::ParseChange;
using coalition::testing::ScenarioFixture;

// The hand model (fixtures.h) plus a supply chain (kHandSupply): AEW needs AEWRADAR, made only in
// TUR; F16 needs F16ENGINE, made in USA and GBR.
using coalition::testing::HandModelWithSupply;

std::string Text(const v1::Change& c) { return coalition::testing::ChangeText(c); }

std::string Text(const GapTally& t) {
  std::string out;
  for (size_t k = 0; k < t.iers.size(); ++k) {
    const IerTally& x = t.iers[k];
    absl::StrAppend(&out, "ier ", k, ": pairs ", x.pairs, " satisfied ", x.satisfied, " policy ",
                    x.policy, " technical ", x.technical, " unavailable ", x.unavailable, "\n");
  }
  absl::StrAppend(&out, "histogram");
  for (int64_t h : t.histogram) absl::StrAppend(&out, " ", h);
  return out;
}

// The tally of a full gap report.
GapTally TallyOf(const v1::GapReport& r) {
  GapTally t;
  for (const v1::GapCounts& c : r.by_ier()) {
    IerTally x;
    x.pairs = c.pairs();
    x.satisfied = c.satisfied();
    x.policy = c.policy();
    x.technical = c.technical();
    x.unavailable = c.unavailable();
    t.iers.push_back(x);
  }
  for (int l = 0; l < r.level_histogram_size() && l < 5; ++l) t.histogram[l] = r.level_histogram(l);
  return t;
}

GapTally FreshReportTally(const Scenario& s) {
  return TallyOf(AnalyzeGaps(s, ComputePolicyLevels(s), {0}));
}

// --- Brute-force class-pair levels, for last_level_changes() --------------------------------

// For every IER, ordered class pair (x, y): the ordered element pairs it asks with both ends
// present (x's present from-members times y's present to-members, minus the elements on both
// sides when x == y); and the strict achieved level of every class pair.
struct ClassView {
  uint32_t classes = 0;
  std::vector<std::vector<int64_t>> pairs;  // [ier][x * classes + y]
  std::vector<int> level;                   // [x * classes + y], -1 for an inactive class
};

ClassView ViewClasses(const Scenario& s) {
  ClassView v;
  v.classes = s.num_classes();
  const uint32_t nc = v.classes;
  for (uint32_t k = 0; k < s.num_iers(); ++k) {
    std::vector<int64_t> from(nc), to(nc), both(nc);
    std::vector<uint8_t> in_from(s.num_elements());
    s.ForEachMember(k, 0, [&](scenario::ElementIndex e) {
      in_from[e] = 1;
      if (s.present(e)) ++from[s.class_of(e)];
    });
    s.ForEachMember(k, 1, [&](scenario::ElementIndex e) {
      if (!s.present(e)) return;
      ++to[s.class_of(e)];
      if (in_from[e]) ++both[s.class_of(e)];
    });
    std::vector<int64_t>& p = v.pairs.emplace_back(size_t{nc} * nc);
    for (uint32_t x = 0; x < nc; ++x) {
      for (uint32_t y = 0; y < nc; ++y) p[x * nc + y] = from[x] * to[y] - (x == y ? both[x] : 0);
    }
  }
  std::vector<uint8_t> active(nc);
  for (scenario::ElementIndex e = 0; e < s.num_elements(); ++e) {
    if (s.present(e)) active[s.class_of(e)] = 1;
  }
  const PolicyLevels lv = ComputePolicyLevels(s);
  v.level.assign(size_t{nc} * nc, -1);
  for (uint32_t x = 0; x < nc; ++x) {
    for (uint32_t y = 0; y < nc; ++y) {
      if (active[x] && active[y]) v.level[x * nc + y] = lv.strict.ClassLevel(x, y);
    }
  }
  return v;
}

using LevelChangeTuple = std::tuple<uint32_t, uint32_t, int, int>;

// The class pairs (a <= b) that some IER asks about, in one orientation, both before and after,
// whose level changed.
std::vector<LevelChangeTuple> BruteLevelChanges(const ClassView& before, const ClassView& after) {
  std::vector<LevelChangeTuple> out;
  const uint32_t nb = before.classes, na = after.classes;
  for (uint32_t a = 0; a < nb; ++a) {
    for (uint32_t b = a; b < nb; ++b) {
      bool asked = false;
      for (size_t k = 0; k < before.pairs.size() && !asked; ++k) {
        for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
          asked = asked || (before.pairs[k][x * nb + y] > 0 && after.pairs[k][x * na + y] > 0);
        }
      }
      if (!asked) continue;
      const int l0 = before.level[a * nb + b], l1 = after.level[a * na + b];
      if (l0 != l1) out.emplace_back(a, b, l0, l1);
    }
  }
  return out;
}

std::vector<LevelChangeTuple> Reported(const Evaluation& ev) {
  std::vector<LevelChangeTuple> out;
  for (const Evaluation::LevelChange& c : ev.last_level_changes()) {
    out.emplace_back(c.a, c.b, c.before, c.after);
  }
  return out;
}

std::string Text(const std::vector<LevelChangeTuple>& v) {
  std::string out;
  for (const auto& [a, b, l0, l1] : v) absl::StrAppend(&out, " (", a, ",", b, ": ", l0, "->", l1, ")");
  return out.empty() ? " none" : out;
}

// Every element pair's strict and relaxed level, from the evaluation's incrementally kept
// levels and from a fresh computation, as "differences" text (empty when equal).
std::string CompareLevels(const Evaluation& ev, const Scenario& s) {
  const PolicyLevels fresh = ComputePolicyLevels(s);
  std::string diff;
  int n = 0;
  for (scenario::ElementIndex a = 0; a < s.num_elements(); ++a) {
    for (scenario::ElementIndex b = 0; b < s.num_elements(); ++b) {
      for (bool relaxed : {false, true}) {
        const int got = (relaxed ? ev.levels().relaxed : ev.levels().strict).Level(a, b);
        const int want = (relaxed ? fresh.relaxed : fresh.strict).Level(a, b);
        if (got != want && n++ < 6) {
          absl::StrAppend(&diff, "  ", relaxed ? "relaxed" : "strict", " Level(", s.element_id(a),
                          ", ", s.element_id(b), "): incremental ", got, ", fresh ", want, "\n");
        }
      }
    }
  }
  return diff;
}

// --- Property test: incremental tally = full report = rebuild ----------------------------------

TEST(EvaluationPropertyTest, TallyMatchesFullReportAndRebuild) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "COALITION_SEED=" << seed << "\n";
  constexpr int kModels = 50;
  int applied_total = 0, level_changes_total = 0;
  for (int i = 0; i < kModels; ++i) {
    const uint64_t model_seed = seed + static_cast<uint64_t>(i);
    const v1::Model model = coalition::testing::RandomModelForChanges(model_seed, 8 + i % 8, 3);
    const ScenarioFixture b(model);
    ASSERT_TRUE(b.ok()) << "model seed " << model_seed;
    Scenario* s = b.scenario.get();
    Evaluation ev(*s);
    const GapTally baseline = ev.tally();
    ASSERT_EQ(baseline, FreshReportTally(*s)) << "model seed " << model_seed << " baseline\n"
                                              << Text(baseline);
    std::mt19937_64 rng(model_seed);
    // Two rounds on the same Evaluation: apply a sequence, undo it all; then another.
    for (int round = 0; round < 2; ++round) {
      coalition::testing::ReferenceState ref =
          coalition::testing::MakeReference(b.model, b.model.mixes(0));
      const int n = 1 + static_cast<int>(rng() % 6);
      std::vector<v1::Change> changes;
      std::vector<GapTally> tallies = {ev.tally()};
      std::string trail;
      for (int step = 0; step < n; ++step) {
        const v1::Change change = coalition::testing::RandomValidChange(rng, ref);
        ASSERT_OK(coalition::testing::ApplyReference(change, &ref));
        changes.push_back(change);
        absl::StrAppend(&trail, "  ", Text(change), "\n");
        const std::string where = absl::StrCat("model seed ", model_seed, " (COALITION_SEED=", seed,
                                               ", model ", i, ", round ", round,
                                               ") after changes:\n", trail);
        const ClassView before = ViewClasses(*s);
        absl::StatusOr<Applied> applied = ev.Apply(change);
        ASSERT_TRUE(applied.ok()) << where << applied.status();
        ++applied_total;
        tallies.push_back(ev.tally());

        // 1. The full gap report of the scenario as it now stands.
        const GapTally report = FreshReportTally(*s);
        ASSERT_EQ(ev.tally(), report) << where << "incremental:\n" << Text(ev.tally())
                                      << "\nfull report:\n" << Text(report);
        // 2. A fresh Evaluation on a fresh Scenario with the same changes.
        std::unique_ptr<Scenario> s2 = b.NewScenario();
        for (const v1::Change& c : changes) ASSERT_OK(s2->Apply(c));
        Evaluation ev2(*s2);
        ASSERT_EQ(ev.tally(), ev2.tally()) << where << "incremental:\n" << Text(ev.tally())
                                           << "\nrebuilt:\n" << Text(ev2.tally());
        // 3. The levels it keeps incrementally.
        const std::string diff = CompareLevels(ev, *s);
        ASSERT_TRUE(diff.empty()) << where << diff;
        // 4. The class pairs whose level changed.
        const std::vector<LevelChangeTuple> want = BruteLevelChanges(before, ViewClasses(*s));
        level_changes_total += static_cast<int>(want.size());
        EXPECT_EQ(Reported(ev), want) << where << "reported:" << Text(Reported(ev))
                                      << "\nbrute force:" << Text(want);
      }
      // Undo step by step: each tally as it was.
      for (int step = n; step > 0; --step) {
        ev.Undo();
        ASSERT_EQ(ev.tally(), tallies[step - 1])
            << "model seed " << model_seed << " round " << round << " undo to depth " << step - 1
            << " of:\n" << trail << "got:\n" << Text(ev.tally()) << "\nwant:\n"
            << Text(tallies[step - 1]);
      }
      ASSERT_EQ(ev.depth(), 0u);
      ASSERT_EQ(s->depth(), 0u);
      ASSERT_EQ(ev.tally(), baseline) << "model seed " << model_seed << " after undoing:\n" << trail;
      ASSERT_TRUE(CompareLevels(ev, *s).empty()) << "model seed " << model_seed
                                                 << " levels after undoing:\n" << trail;
    }
  }
  std::cout << applied_total << " changes applied, " << level_changes_total
            << " class-pair level changes\n";
  EXPECT_GT(applied_total, kModels);
  EXPECT_GT(level_changes_total, 0);  // not vacuous
}

// --- Typed fixes close their gaps ------------------------------------------------------------

// Applies every fix of every gap of `s` (after `prefix`) to a fresh scenario with the same
// prefix, and checks the pair then reaches the required level. Returns the fixes checked.
int CheckFixes(const ScenarioFixture& b, const std::vector<v1::Change>& prefix,
               const std::string& where) {
  std::unique_ptr<Scenario> s = b.NewScenario();
  for (const v1::Change& c : prefix) {
    EXPECT_OK(s->Apply(c));
  }
  const v1::GapReport report = AnalyzeGaps(*s, ComputePolicyLevels(*s), {-1});
  int checked = 0;
  for (const v1::Gap& gap : report.gaps()) {
    for (const v1::Fix& fix : gap.fixes()) {
      std::unique_ptr<Scenario> t = b.NewScenario();
      for (const v1::Change& c : prefix) {
        EXPECT_OK(t->Apply(c));
      }
      const std::string what = absl::StrCat(where, "gap ", gap.ier(), " ", gap.from_element(),
                                            " -> ", gap.to_element(), " (",
                                            v1::GapClass_Name(gap.gap_class()), ", achieved ",
                                            gap.achieved_level(), ", required ",
                                            gap.required_level(), "), fix ", Text(fix.change()));
      absl::StatusOr<Applied> a = t->Apply(fix.change());
      EXPECT_TRUE(a.ok()) << what << ": " << a.status();
      if (!a.ok()) continue;
      EXPECT_EQ(a->no_op, Applied::NoOp::kNone) << what;
      const auto from = t->FindElement(gap.from_element());
      const auto to = t->FindElement(gap.to_element());
      EXPECT_TRUE(from.has_value() && to.has_value()) << what;
      if (!from || !to) continue;
      const int level = ComputePolicyLevels(*t).strict.Level(*from, *to);
      EXPECT_GE(level, gap.required_level()) << what << ": level after the fix " << level;
      ++checked;
    }
  }
  return checked;
}

TEST(EvaluationFixTest, EveryFixClosesItsGapOnRandomModels) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "COALITION_SEED=" << seed << "\n";
  int checked = 0;
  for (int i = 0; i < 40; ++i) {
    const uint64_t model_seed = seed + 1000 + static_cast<uint64_t>(i);
    const ScenarioFixture b(coalition::testing::RandomModelForChanges(model_seed, 10, 3));
    ASSERT_TRUE(b.ok());
    // At baseline, and after a random sequence of changes.
    checked += CheckFixes(b, {}, absl::StrCat("model seed ", model_seed, " baseline: "));
    coalition::testing::ReferenceState ref =
        coalition::testing::MakeReference(b.model, b.model.mixes(0));
    std::mt19937_64 rng(model_seed);
    std::vector<v1::Change> prefix;
    std::string trail;
    for (int n = 1 + static_cast<int>(rng() % 4); n > 0; --n) {
      prefix.push_back(coalition::testing::RandomValidChange(rng, ref));
      ASSERT_OK(coalition::testing::ApplyReference(prefix.back(), &ref));
      absl::StrAppend(&trail, "  ", Text(prefix.back()), "\n");
    }
    checked += CheckFixes(b, prefix, absl::StrCat("model seed ", model_seed, " after\n", trail));
  }
  std::cout << checked << " fixes checked\n";
  EXPECT_GT(checked, 0);
}

// Hand mix for fixes: 0 USA:F16, 1 POL:F16, 2 UKR:F16, 3 USA:SHIP (no AEW: no gateway).
//   UKR F16 -> USA F16, min 3: voice only (LINK16 not releasable to UKR) -> POLICY, one block
//     (LINK16 for UKR; J6 has no list) -> fix: release LINK16 to UKR.
//   USA F16 -> POL F16, min 4: LINK16/J6 = 3, NATO does not share -> POLICY, only the sharing
//     block -> fix: share_information POL/USA.
//   USA SHIP -> USA F16, min 3: no common link (JREAP vs LINK16/HF) -> TECHNICAL, BEARER ->
//     fix: fit JREAP (retrofit 0) to F16 (rather than LINK16 to SHIP, 2 x 1 unit).
TEST(EvaluationFixTest, HandFixesCloseTheirGaps) {
  const ScenarioFixture b(HandModelWithSupply(R"pb(
    name: "fixes"
    elements { platform: "F16" nation: "USA" quantity: 4 }
    elements { platform: "F16" nation: "POL" quantity: 4 }
    elements { platform: "F16" nation: "UKR" quantity: 4 }
    elements { platform: "SHIP" nation: "USA" quantity: 1 }
    iers { name: "ukr" from { nations: "UKR" } to { elements: "USA:F16" } min_level: 3 }
    iers { name: "share" from { elements: "USA:F16" } to { elements: "POL:F16" } min_level: 4 }
    iers { name: "ship" from { elements: "USA:SHIP" } to { elements: "USA:F16" } min_level: 3 }
  )pb"));
  ASSERT_TRUE(b.ok());
  Scenario* s = b.scenario.get();
  const v1::GapReport r = AnalyzeGaps(*s, ComputePolicyLevels(*s), {-1});
  ASSERT_EQ(r.gaps_size(), 3);
  std::map<std::string, std::string> fixes;
  for (const v1::Gap& gap : r.gaps()) {
    ASSERT_EQ(gap.fixes_size(), 1) << gap.ier();
    fixes[gap.ier()] = Text(gap.fixes(0).change());
  }
  EXPECT_EQ(fixes["ukr"], Text(ParseChange(
                              R"pb(release { item_kind: LINK item: "LINK16" party: "UKR" })pb")));
  EXPECT_EQ(fixes["share"],
            Text(ParseChange(R"pb(share_information { nation_a: "USA" nation_b: "POL" })pb")));
  EXPECT_EQ(fixes["ship"], Text(ParseChange(R"pb(fit { link: "JREAP" platform: "F16" })pb")));
  EXPECT_EQ(CheckFixes(b, {}, "hand: "), 3);
}

// --- Hand-worked counts -------------------------------------------------------------------------

// Elements (each its own class): 0 USA:F16, 1 POL:F16, 2 UKR:F16, 3 USA:SHIP, 4 USA:AEW. One IER,
// all -> all, min 3: 20 ordered pairs. Strict (relaxed) levels of the 10 unordered pairs:
//   USA F16 - POL F16   LINK16/J6, NATO does not share               3 (4)  satisfied
//   USA F16 - UKR F16   HF voice (LINK16 not releasable to UKR)      1 (4)  POLICY
//   USA F16 - SHIP      LINK16/J6 -gateway J6<->J6 cap 2- JREAP/J6   2 (2)  TECHNICAL
//   USA F16 - AEW       LINK16/J6, both USA                          4 (4)  satisfied
//   POL F16 - UKR F16   HF voice                                     1 (4)  POLICY
//   POL F16 - SHIP      through the AEW gateway                      2 (2)  TECHNICAL
//   POL F16 - AEW       LINK16/J6, USA and POL do not share          3 (4)  satisfied
//   UKR F16 - SHIP      UKR has HF only, the SHIP no HF              0 (2)  TECHNICAL
//   UKR F16 - AEW       the AEW fits no HF                           0 (4)  POLICY
//   SHIP - AEW          JREAP/J6, both USA                           4 (4)  satisfied
// Each counts twice (both orders): satisfied 8, policy 6, technical 6, unavailable 0;
// histogram (levels 0..4): 4, 4, 4, 4, 4.
constexpr char kCountMix[] = R"pb(
  name: "counts"
  elements { platform: "F16" nation: "USA" quantity: 4 }
  elements { platform: "F16" nation: "POL" quantity: 4 }
  elements { platform: "F16" nation: "UKR" quantity: 4 }
  elements { platform: "SHIP" nation: "USA" quantity: 1 }
  elements { platform: "AEW" nation: "USA" quantity: 1 }
  iers { name: "picture" from { all: true } to { all: true } min_level: 3 }
)pb";

GapTally Tally(int64_t satisfied, int64_t policy, int64_t technical, int64_t unavailable,
               std::array<int64_t, 5> histogram) {
  GapTally t;
  t.iers.push_back({20, satisfied, policy, technical, unavailable});
  t.histogram = histogram;
  return t;
}

TEST(EvaluationTest, HandWorkedCounts) {
  const ScenarioFixture b(HandModelWithSupply(kCountMix));
  ASSERT_TRUE(b.ok());
  Scenario* s = b.scenario.get();
  Evaluation ev(*s);
  const GapTally baseline = Tally(8, 6, 6, 0, {4, 4, 4, 4, 4});
  EXPECT_EQ(ev.tally(), baseline) << Text(ev.tally());
  EXPECT_EQ(ev.tally().gaps(), 12);
  EXPECT_EQ(ev.tally().satisfied(), 8);
  EXPECT_EQ(ev.tally().iers_satisfied(), 0);

  // Embargo TUR: S_TUR makes the only AEWRADAR, so the AEW is grounded. Its 8 ordered pairs are
  // UNAVAILABLE (level 0). Without its gateway, USA F16 - SHIP and POL F16 - SHIP drop to 0
  // (relaxed 0: TECHNICAL); UKR F16 - SHIP is 0 (relaxed 0 now: still TECHNICAL). Left:
  // USA-POL F16 3 satisfied (2); USA-UKR and POL-UKR F16 1, POLICY (4); the three SHIP pairs
  // TECHNICAL (6). Histogram: 0: 8 + 6 = 14, 1: 4, 3: 2.
  ASSERT_OK(ev.Apply(ParseChange(R"pb(embargo { nation: "TUR" })pb")));
  EXPECT_EQ(ev.tally(), Tally(2, 4, 6, 8, {14, 4, 0, 2, 0})) << Text(ev.tally());
  ev.Undo();
  EXPECT_EQ(ev.tally(), baseline) << Text(ev.tally());

  // Release LINK16 to UKR: the UKR F16 joins LINK16/J6. USA-UKR and POL-UKR F16 3 (no sharing)
  // and UKR F16 - AEW 3: satisfied; UKR F16 - SHIP 2 through the gateway (relaxed 2): TECHNICAL.
  // Satisfied: 7 pairs x 2 = 14; technical: the three SHIP-F16 pairs x 2 = 6.
  // Histogram: 2: 6; 3: F16 USA-POL, USA-UKR, POL-UKR, POL-AEW, UKR-AEW = 10; 4: 4.
  ASSERT_OK(ev.Apply(ParseChange(R"pb(release { item_kind: LINK item: "LINK16" party: "UKR" })pb")));
  EXPECT_EQ(ev.tally(), Tally(14, 0, 6, 0, {0, 0, 6, 10, 4})) << Text(ev.tally());
  // Class levels that changed: (USA F16, UKR F16) 1 -> 3, (POL F16, UKR F16) 1 -> 3,
  // (UKR F16, SHIP) 0 -> 2, (UKR F16, AEW) 0 -> 3.
  EXPECT_EQ(Reported(ev), (std::vector<LevelChangeTuple>{
                              {0, 2, 1, 3}, {1, 2, 1, 3}, {2, 3, 0, 2}, {2, 4, 0, 3}}));

  // Then fit JREAP to F16: every F16 joins JREAP/J6 with the SHIP. USA F16 - SHIP 4 (USA),
  // POL and UKR F16 - SHIP 3: all 20 pairs satisfied. Histogram: 3: 7 pairs x 2 = 14
  // (F16 USA-POL, USA-UKR, POL-UKR, POL-AEW, UKR-AEW, POL-SHIP, UKR-SHIP); 4: 6 (USA F16-AEW,
  // SHIP-AEW, USA F16-SHIP).
  ASSERT_OK(ev.Apply(ParseChange(R"pb(fit { link: "JREAP" platform: "F16" })pb")));
  EXPECT_EQ(ev.tally(), Tally(20, 0, 0, 0, {0, 0, 0, 14, 6})) << Text(ev.tally());
  EXPECT_EQ(ev.tally().iers_satisfied(), 1);
  EXPECT_EQ(Reported(ev),
            (std::vector<LevelChangeTuple>{{0, 3, 2, 4}, {1, 3, 2, 3}, {2, 3, 2, 3}}));
  ev.Undo();
  ev.Undo();
  EXPECT_EQ(ev.tally(), baseline) << Text(ev.tally());
  EXPECT_EQ(ev.tally(), FreshReportTally(*s));
}

}  // namespace
}  // namespace coalition::analysis
