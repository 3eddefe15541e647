#include "engine/analysis/compare.h"

#include <array>
#include <cmath>

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;

// The objectives as exact integers (see ParetoFront: cost in dollars, share in 1e-9).
std::array<int64_t, 3> Quantized(const ParetoObjectives& p) {
  return {std::llround(p.cost_musd * 1e6), p.gaps_total,
          std::llround(p.exposure_unit_share * 1e9)};
}

void CopyGaps(const v1::GapReport& g, v1::MixComparison* m) {
  m->set_mix_name(g.mix_name());
  m->set_cost_musd(g.cost_musd());
  m->set_units(g.units());
  m->set_elements(g.elements());
  m->set_iers_satisfied(g.iers_satisfied());
  m->set_iers_total(g.iers_total());
  m->set_pairs_evaluated(g.pairs_evaluated());
  m->set_pairs_satisfied(g.pairs_satisfied());
  int64_t policy = 0, technical = 0, unavailable = 0;
  for (const v1::GapCounts& c : g.by_class()) {
    policy += c.policy();
    technical += c.technical();
    unavailable += c.unavailable();
  }
  m->set_gaps_policy(policy);
  m->set_gaps_technical(technical);
  m->set_gaps_unavailable(unavailable);
  m->set_gaps_total(g.gaps_total());
  for (int k = 0; k < 5; ++k) {
    m->add_level_histogram(k < g.level_histogram_size() ? g.level_histogram(k) : 0);
  }
}

void CopySinglePoints(const v1::SinglePointsReport& s, v1::MixComparison* m) {
  m->set_single_points(s.points_size());
  if (s.points_size() > 0) {
    m->set_top_single_point(s.points(0).element());
    m->set_top_single_point_gaps(s.points(0).gaps_opened());
  }
}

void CopyRisk(const v1::RiskReport& r, v1::RiskHeadline* h) {
  if (r.exposures_size() > 0) *h->mutable_largest_exposure() = r.exposures(0);
  for (const v1::FindingCounts& c : r.by_kind()) {
    if (c.kind() == "ADVERSARY_HIGH") *h->mutable_adversary_high() = c;
    if (c.kind() == "ADVERSARY_CRITICAL") *h->mutable_adversary_critical() = c;
    if (c.kind() == "ITAR_EXPOSURE") *h->mutable_itar_exposure() = c;
  }
  *h->mutable_sourcing() = r.sourcing();
  *h->mutable_unsustainable_elements() = r.unsustainable_elements();
  h->set_us_nation(r.us_nation());
}

}  // namespace

std::vector<bool> ParetoFront(absl::Span<const ParetoObjectives> points) {
  std::vector<std::array<int64_t, 3>> q;
  q.reserve(points.size());
  for (const ParetoObjectives& p : points) q.push_back(Quantized(p));
  auto dominates = [&](size_t j, size_t i) {
    bool strictly = false;
    for (int k = 0; k < 3; ++k) {
      if (q[j][k] > q[i][k]) return false;
      if (q[j][k] < q[i][k]) strictly = true;
    }
    return strictly;
  };
  std::vector<bool> front(points.size(), true);
  for (size_t i = 0; i < points.size(); ++i) {
    for (size_t j = 0; j < points.size() && front[i]; ++j) {
      if (j != i && dominates(j, i)) front[i] = false;
    }
  }
  return front;
}

v1::CompareReport CompareMixes(absl::Span<const MixReports> mixes) {
  v1::CompareReport report;
  std::vector<ParetoObjectives> objectives;
  for (const MixReports& in : mixes) {
    if (report.model_name().empty()) report.set_model_name(in.gaps->model_name());
    v1::MixComparison* m = report.add_mixes();
    CopyGaps(*in.gaps, m);
    CopySinglePoints(*in.single_points, m);
    CopyRisk(*in.risk, m->mutable_risk());
    m->set_budget_musd(in.budget_musd);
    if (in.best_plan != nullptr) *m->mutable_best_plan() = *in.best_plan;
    objectives.push_back({m->cost_musd(), m->gaps_total(),
                          m->risk().largest_exposure().unit_share()});
  }
  const std::vector<bool> front = ParetoFront(objectives);
  for (int i = 0; i < report.mixes_size(); ++i) report.mutable_mixes(i)->set_on_pareto_front(front[i]);
  return report;
}

}  // namespace coalition::analysis
