#include "engine/analysis/compare.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;

// Hand-worked fronts: each case lists (cost M$, gaps, exposure unit share) per mix and the
// expected marks.
struct FrontCase {
  std::string name;
  std::vector<ParetoObjectives> points;
  std::vector<bool> front;
};

class ParetoFrontTest : public ::testing::TestWithParam<FrontCase> {};

TEST_P(ParetoFrontTest, MatchesHandWorkedFront) {
  EXPECT_EQ(ParetoFront(GetParam().points), GetParam().front);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParetoFrontTest,
    ::testing::Values(
        FrontCase{"Empty", {}, {}},
        // One mix: nothing can dominate it.
        FrontCase{"SingleMix", {{6045, 7, 0.987}}, {true}},
        // B is worse than A on every objective: dominated.
        FrontCase{"DominatedOnAll", {{100, 5, 0.2}, {200, 9, 0.5}}, {true, false}},
        // B equals A on cost and gaps, worse on exposure: dominated (<= on all, < on one).
        FrontCase{"DominatedOnOne", {{100, 5, 0.2}, {100, 5, 0.3}}, {true, false}},
        // Each better on one objective: a trade-off, both on the front.
        FrontCase{"TradeOff", {{100, 9, 0.2}, {200, 5, 0.2}}, {true, true}},
        // Equal triples do not dominate each other: both on the front...
        FrontCase{"TieOnFront", {{100, 5, 0.2}, {100, 5, 0.2}}, {true, true}},
        // ... and both off it when a third dominates them.
        FrontCase{"TieOffFront", {{100, 5, 0.2}, {100, 5, 0.2}, {90, 5, 0.2}},
                  {false, false, true}},
        // The three Romanian / frontline-like shapes: equal cost, equal gaps, A more exposed
        // than B (A dominated); C costs more and has more gaps but is least exposed.
        FrontCase{"ThreeMixes",
                  {{6045, 7, 0.987}, {6045, 7, 0.983}, {11490, 135, 0.444}},
                  {false, true, true}},
        // Cost summed in another order (0.1 + 0.2 != 0.3 in binary) still ties.
        FrontCase{"FloatingPointTie", {{0.1 + 0.2, 5, 0.5}, {0.3, 5, 0.5}}, {true, true}},
        // A real difference of one dollar (1e-6 M$) counts.
        FrontCase{"OneDollarCounts", {{100.000001, 5, 0.5}, {100.0, 5, 0.5}}, {false, true}},
        // A chain: A dominates B dominates C; only A is on the front (transitivity is not
        // needed to exclude C, B alone dominates it).
        FrontCase{"Chain", {{1, 1, 0.1}, {2, 2, 0.2}, {3, 3, 0.3}}, {true, false, false}}),
    [](const ::testing::TestParamInfo<FrontCase>& info) { return info.param.name; });

// Two hand-made mixes: every figure is copied from the right report and the front marked.
TEST(CompareMixesTest, CopiesFiguresAndMarksTheFront) {
  v1::GapReport ga;
  ga.set_model_name("m");
  ga.set_mix_name("a");
  ga.set_cost_musd(100);
  ga.set_units(10);
  ga.set_elements(3);
  ga.set_iers_satisfied(1);
  ga.set_iers_total(2);
  ga.set_pairs_evaluated(12);
  ga.set_pairs_satisfied(9);
  ga.set_gaps_total(3);
  v1::GapCounts* pol = ga.add_by_class();
  pol->set_key("POLICY");
  pol->set_gaps(2);
  pol->set_policy(2);
  v1::GapCounts* tech = ga.add_by_class();
  tech->set_key("TECHNICAL");
  tech->set_gaps(1);
  tech->set_technical(1);
  for (int64_t n : {1, 2, 0, 9}) ga.add_level_histogram(n);  // short: padded to five

  v1::GapReport gb = ga;
  gb.set_mix_name("b");
  gb.set_cost_musd(120);  // costs more, same gaps, same exposure: dominated by a

  v1::SinglePointsReport sa;
  v1::SinglePointOfFailure* p = sa.add_points();
  p->set_element("E3");
  p->set_gaps_opened(4);
  sa.add_points()->set_element("GW");
  v1::SinglePointsReport sb;  // none

  v1::RiskReport ra;
  ra.set_us_nation("USA");
  v1::NationExposure* x = ra.add_exposures();
  x->set_nation("USA");
  x->set_grounded_units(5);
  x->set_unit_share(0.5);
  ra.add_exposures()->set_nation("CHN");
  v1::FindingCounts* high = ra.add_by_kind();
  high->set_kind("ADVERSARY_HIGH");
  high->set_elements(1);
  v1::FindingCounts* crit = ra.add_by_kind();
  crit->set_kind("ADVERSARY_CRITICAL");
  crit->set_elements(2);
  crit->set_units(7);
  v1::FindingCounts* itar = ra.add_by_kind();
  itar->set_kind("ITAR_EXPOSURE");
  itar->set_findings(6);
  v1::SourcingShare* us = ra.add_sourcing();
  us->set_sourcing(v1::US_BUILT);
  us->set_unit_share(1.0);
  v1::RiskReport rb = ra;

  std::vector<MixReports> in = {{&ga, &sa, &ra, 50}, {&gb, &sb, &rb, 0}};
  const v1::CompareReport r = CompareMixes(in);
  EXPECT_EQ(r.model_name(), "m");
  ASSERT_EQ(r.mixes_size(), 2);
  const v1::MixComparison& a = r.mixes(0);
  EXPECT_EQ(a.mix_name(), "a");
  EXPECT_EQ(a.cost_musd(), 100);
  EXPECT_EQ(a.units(), 10);
  EXPECT_EQ(a.elements(), 3);
  EXPECT_EQ(a.iers_satisfied(), 1);
  EXPECT_EQ(a.iers_total(), 2);
  EXPECT_EQ(a.pairs_evaluated(), 12);
  EXPECT_EQ(a.pairs_satisfied(), 9);
  EXPECT_EQ(a.gaps_policy(), 2);
  EXPECT_EQ(a.gaps_technical(), 1);
  EXPECT_EQ(a.gaps_unavailable(), 0);
  EXPECT_EQ(a.gaps_total(), 3);
  EXPECT_EQ(std::vector<int64_t>(a.level_histogram().begin(), a.level_histogram().end()),
            (std::vector<int64_t>{1, 2, 0, 9, 0}));
  EXPECT_EQ(a.single_points(), 2);
  EXPECT_EQ(a.top_single_point(), "E3");
  EXPECT_EQ(a.top_single_point_gaps(), 4);
  EXPECT_EQ(a.risk().largest_exposure().nation(), "USA");
  EXPECT_EQ(a.risk().largest_exposure().unit_share(), 0.5);
  EXPECT_EQ(a.risk().adversary_high().elements(), 1);
  EXPECT_EQ(a.risk().adversary_critical().units(), 7);
  EXPECT_EQ(a.risk().itar_exposure().findings(), 6);
  ASSERT_EQ(a.risk().sourcing_size(), 1);
  EXPECT_EQ(a.risk().us_nation(), "USA");
  EXPECT_EQ(a.budget_musd(), 50);
  EXPECT_TRUE(a.on_pareto_front());

  const v1::MixComparison& b = r.mixes(1);
  EXPECT_EQ(b.mix_name(), "b");
  EXPECT_EQ(b.single_points(), 0);
  EXPECT_EQ(b.top_single_point(), "");
  EXPECT_FALSE(b.on_pareto_front());
}

// No exposure at all reads as a share of 0, the best possible.
TEST(CompareMixesTest, NoExposureIsZeroShare) {
  v1::GapReport g;
  g.set_mix_name("calm");
  v1::SinglePointsReport s;
  v1::RiskReport r;
  const v1::CompareReport c = CompareMixes({{&g, &s, &r, 0}});
  ASSERT_EQ(c.mixes_size(), 1);
  EXPECT_FALSE(c.mixes(0).risk().has_largest_exposure());
  EXPECT_EQ(c.mixes(0).risk().largest_exposure().unit_share(), 0);
  EXPECT_TRUE(c.mixes(0).on_pareto_front());
}

}  // namespace
}  // namespace coalition::analysis
