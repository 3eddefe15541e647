// Property tests of the recommender (recommend.h, SPEC §6) on seeded small random models, against
// brute force over every subset of the candidates and two independent evaluations of a plan:
//   - the what-if analysis (whatif.h) of the plan's changes (WhatIfOfPlan, render_recommend.h);
//   - the slow oracle (engine/testing/slow_interop.h) on the model and mix protos edited by the
//     reference application of the changes (engine/testing/apply_changes.h): no scenario, no
//     graph, no Evaluation.
// The objective is the recommender's: baseline gaps closed net, weighted by their IERs' weights
// (gaps among the mix's own units that become satisfied, minus satisfied units an upgrade
// opens), so every count below is over the baseline elements' units only: ordered pairs of an
// ALL_PAIRS IER; the baseline served elements of an EACH_TO / EACH_FROM IER, each served by any
// counterpart present after the changes (an added element included), counted here by plain
// loops over the members. Candidates apply all or nothing, in the search order (a
// candidate one of whose changes fails, e.g. a second upgrade of a platform already moved, is
// skipped), as recommend.cc applies them.
//
// RecommendReproTest holds hand-sized reproductions of what these tests found.
//
// The models (RecommendModel): RandomModelForChanges, or RandomModel with few families / a
// version-heavy variant, with an upgrade cost given to some standards (the generators give none,
// so no UPGRADE candidate would be generated) and every platform's component uses dropped, so
// that every element (and every added gateway element) is sustainable: the recommender runs, as
// `coalition recommend` does, on a scenario without a supply chain, and AnalyzeWhatIf (which
// needs one) then sees the same presence. With `coverage`, AddRandomCoverageAndSupply gives the
// IERs random coverage and weights (its supply restrictions ground nothing: no component uses),
// two in three of them re-weighted wider. Models with more than kMaxUseful candidates that close
// something alone are skipped (brute force is 2^n).
//
// The seed is printed; COALITION_SEED overrides it (random_model.h).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "coalition/v1/change.pb.h"
#include "coalition/v1/recommend.pb.h"
#include "coalition/v1/report.pb.h"
#include "engine/analysis/evaluation.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/recommend.h"
#include "engine/analysis/whatif.h"
#include "engine/report/render_recommend.h"
#include "engine/scenario/scenario.h"
#include "engine/testing/apply_changes.h"
#include "engine/testing/random_model.h"
#include "engine/testing/scenario_fixture.h"
#include "engine/testing/slow_interop.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
using coalition::testing::ScenarioFixture;
using scenario::ElementIndex;
using scenario::Scenario;

constexpr int kMaxUseful = 12;
constexpr double kEps = 1e-9;

std::string Text(const v1::Change& c) { return coalition::testing::ChangeText(c); }

std::string Text(const v1::Candidate& c) {
  std::string out = absl::StrCat(v1::Candidate::Kind_Name(c.kind()), " cost ", c.cost_musd(), ":");
  for (const v1::Change& ch : c.changes()) absl::StrAppend(&out, " {", Text(ch), "}");
  return out;
}

std::string Text(const v1::Plan& p) {
  std::string out =
      absl::StrCat(v1::Plan::Method_Name(p.method()), " closed ", p.gaps_closed(), " opened ",
                   p.gaps_opened(), " cost ", p.cost_musd(), " bound ", p.bound(), " nodes ",
                   p.nodes(), p.stopped_by().empty() ? "" : " stopped by ", p.stopped_by(), "\n");
  for (const v1::PlanStep& st : p.steps()) {
    absl::StrAppend(&out, "    step: ", Text(st.candidate()), " -> closes ", st.gaps_closed(),
                    ", opens ", st.gaps_opened(), ", left ", st.gaps_left(), ", cumulative ",
                    st.cumulative_cost_musd(), "\n");
  }
  return out;
}

// A random model for the recommender (see the file comment).
// Odd seeds: RandomModelForChanges (selectors of every kind); even seeds: RandomModel with three
// links and two families of three versions each, or (seeds divisible by 4) a version-heavy model
// of one family of three versions (below), so that version gaps — and so UPGRADE candidates,
// which can lower levels — are common.
v1::Model RecommendModel(uint64_t seed, int elements, int iers, bool coverage = false) {
  v1::Model m;
  if (seed % 2 == 1) {
    m = coalition::testing::RandomModelForChanges(seed, elements, iers);
  } else {
    coalition::testing::RandomModelOptions o;
    o.elements = elements;
    o.iers = iers;
    o.families = seed % 4 == 0 ? 1 : 2;
    o.standards = seed % 4 == 0 ? 3 : 6;
    o.links = 3;
    m = coalition::testing::RandomModel(seed, o);
  }
  if (seed % 4 == 0) {
    // Version-heavy: every data link carries every version, every platform fits the first link
    // and speaks one or two versions, every IER asks level 3: pairs at different versions meet
    // over a version bridge (level 2), and upgrades both close and open gaps.
    std::mt19937_64 rng(seed ^ 0x0f9eULL);
    for (v1::CommsLink& l : *m.mutable_links()) {
      if (l.standards_size() == 0 && l.voice_capable()) continue;
      l.clear_standards();
      for (const v1::DataStandard& st : m.standards()) l.add_standards(st.id());
    }
    for (v1::PlatformType& p : *m.mutable_platforms()) {
      if (std::find(p.links().begin(), p.links().end(), m.links(0).id()) == p.links().end()) {
        p.add_links(m.links(0).id());
      }
      p.clear_standards();
      const int first = static_cast<int>(rng() % m.standards_size());
      p.add_standards(m.standards(first).id());
      if (rng() % 4 == 0) p.add_standards(m.standards((first + 1) % m.standards_size()).id());
    }
    for (v1::Ier& ier : *m.mutable_mixes(0)->mutable_iers()) ier.set_min_level(3);
  }
  std::mt19937_64 rng(seed ^ 0x7ec0ULL);
  for (v1::DataStandard& st : *m.mutable_standards()) {
    if (rng() % 2 == 0) st.set_upgrade_cost_musd(static_cast<double>(rng() % 4));
  }
  for (v1::PlatformType& p : *m.mutable_platforms()) p.clear_components();
  if (coverage) {
    coalition::testing::AddRandomCoverageAndSupply(seed ^ 0xc0feULL, &m);
    // Two models in three: weights spread wider than AddRandomCoverageAndSupply's, so that
    // within a budget the most gaps and the most weighted gaps are different plans more often.
    if (seed % 3 != 0) {
      const double weights[] = {0.25, 1, 3, 10};
      for (v1::Ier& ier : *m.mutable_mixes(0)->mutable_iers()) ier.set_weight(weights[rng() % 4]);
    }
  }
  return m;
}

// The baseline members of every IER (side 0 from, side 1 to), its required level, coverage and
// weight.
struct BaselinePairs {
  std::vector<std::vector<ElementIndex>> from, to;
  std::vector<int> min_level;
  std::vector<std::string> names;
  std::vector<v1::Coverage> coverage;  // EACH_TO, EACH_FROM, or ALL_PAIRS (unset included)
  std::vector<double> weight;
  int64_t gaps_total = 0;
  double weighted_total = 0;
  std::vector<int64_t> gaps;  // per IER, at baseline
};

// Gaps per IER among baseline units, given a level function, a presence function and the
// current members of IER k's side (members(k, side, f) calls f on each: a coverage unit's
// counterparts include added elements).
template <typename LevelFn, typename PresentFn, typename MembersFn>
std::vector<int64_t> CountGaps(const BaselinePairs& bp, LevelFn level, PresentFn present,
                               MembersFn members) {
  std::vector<int64_t> gaps(bp.from.size(), 0);
  for (size_t k = 0; k < bp.from.size(); ++k) {
    const int m = bp.min_level[k];
    if (bp.coverage[k] == v1::EACH_TO || bp.coverage[k] == v1::EACH_FROM) {
      const bool to = bp.coverage[k] == v1::EACH_TO;
      for (ElementIndex u : to ? bp.to[k] : bp.from[k]) {
        bool served = false;
        if (present(u)) {
          members(k, to ? 0 : 1, [&](ElementIndex c) {
            served = served || (c != u && present(c) && (to ? level(c, u) : level(u, c)) >= m);
          });
        }
        gaps[k] += !served;
      }
      continue;
    }
    for (ElementIndex a : bp.from[k]) {
      for (ElementIndex b : bp.to[k]) {
        if (a == b) continue;
        gaps[k] += !(present(a) && present(b) && level(a, b) >= m);
      }
    }
  }
  return gaps;
}

int64_t Sum(const std::vector<int64_t>& v) {
  int64_t s = 0;
  for (int64_t x : v) s += x;
  return s;
}

// Sum of weight x gaps, IER order.
double Weighted(const BaselinePairs& bp, const std::vector<int64_t>& v) {
  double s = 0;
  for (size_t k = 0; k < v.size(); ++k) s += bp.weight[k] * static_cast<double>(v[k]);
  return s;
}

// The members of IER k's side in scenario s (base then added), for CountGaps.
auto ScenarioMembers(const Scenario& s) {
  return [&s](size_t k, int side, const auto& f) {
    s.ForEachMember(static_cast<uint32_t>(k), side, [&](ElementIndex e) { f(e); });
  };
}

std::vector<int64_t> GapsOf(const Scenario& s, const BaselinePairs& bp) {
  const PolicyLevels lv = ComputePolicyLevels(s);
  return CountGaps(
      bp, [&](ElementIndex a, ElementIndex b) { return lv.strict.Level(a, b); },
      [&](ElementIndex e) { return lv.strict.present(e); }, ScenarioMembers(s));
}

// Per-IER baseline gaps after applying the candidates in order to a fresh scenario, levels
// computed from scratch. Each candidate applies all or nothing, as recommend.cc's Objective
// applies it: one whose change fails (e.g. an upgrade from a version another candidate already
// left) is undone and skipped, and counted in *skipped.
std::vector<int64_t> GapsAfterCandidates(const ScenarioFixture& f, const BaselinePairs& bp,
                                         const std::vector<const v1::Candidate*>& candidates,
                                         int* skipped) {
  std::unique_ptr<Scenario> s = f.NewScenario();
  for (const v1::Candidate* c : candidates) {
    int applied = 0;
    for (const v1::Change& ch : c->changes()) {
      if (!s->Apply(ch).ok()) {
        for (; applied > 0; --applied) s->Undo();
        applied = -1;
        break;
      }
      ++applied;
    }
    if (applied < 0) ++*skipped;
  }
  return GapsOf(*s, bp);
}

// Per-IER baseline gaps after applying `changes` in order to a fresh scenario (what a what-if
// does); *failed counts the changes that did not apply.
std::vector<int64_t> GapsAfterChanges(const ScenarioFixture& f, const BaselinePairs& bp,
                                      const std::vector<const v1::Change*>& changes, int* failed) {
  std::unique_ptr<Scenario> s = f.NewScenario();
  for (const v1::Change* c : changes) *failed += !s->Apply(*c).ok();
  return GapsOf(*s, bp);
}

// The same through the slow oracle on the edited protos (independent of the engine): every
// element present (no supply chain, nothing removed).
std::vector<int64_t> SlowGapsAfter(const v1::Model& model, const BaselinePairs& bp,
                                   const std::vector<const v1::Change*>& changes, int* failed) {
  coalition::testing::ReferenceState ref = coalition::testing::MakeReference(model, model.mixes(0));
  for (const v1::Change* c : changes) *failed += !coalition::testing::ApplyReference(*c, &ref).ok();
  const std::vector<bool> present(static_cast<size_t>(ref.mix.elements_size()), true);
  const coalition::testing::SlowInterop strict(ref.model, ref.mix, false, present);
  return CountGaps(
      bp,
      [&](ElementIndex a, ElementIndex b) {
        return strict.Level(static_cast<int>(a), static_cast<int>(b));
      },
      [](ElementIndex) { return true; },
      [&](size_t k, int side, const auto& f) {
        for (int e : coalition::testing::ReferenceMembers(ref, static_cast<int>(k), side)) {
          f(static_cast<ElementIndex>(e));
        }
      });
}

std::vector<const v1::Change*> ChangesOf(const v1::WhatIf& w) {
  std::vector<const v1::Change*> out;
  for (const v1::Change& ch : w.changes()) out.push_back(&ch);
  return out;
}

// A generated candidate and what it closes alone.
struct Measured {
  v1::Candidate candidate;
  double gain = 0;                // baseline weighted gaps closed alone
  int64_t gaps = 0;               // the same counted
  std::vector<int64_t> ier_gain;  // per IER
  bool monotone = true;
  bool applicable = true;  // every change applies to the baseline
  int index = 0;           // generation order
};

// recommend.cc's search order: monotone first, most gaps, cheapest, generation order.
void SortLikeRecommend(std::vector<Measured>* v) {
  std::stable_sort(v->begin(), v->end(), [](const Measured& a, const Measured& b) {
    if (a.monotone != b.monotone) return a.monotone;
    if (a.gain != b.gain) return a.gain > b.gain;
    return a.candidate.cost_musd() < b.candidate.cost_musd();
  });
}

struct BruteBest {
  double closed = 0;  // net weighted: baseline gaps closed minus baseline-satisfied units opened
  double cost = 0;
  uint32_t mask = 0;
  // The net weighted gaps of the best subset by gap count (then cost): below `closed` when the
  // weights decide the optimum.
  double by_count = 0;
};

// Over every subset of `c` (applied in c's order) with cost <= budget in which every candidate
// applies: the most weighted baseline gaps closed net, then the least cost.
BruteBest BruteMaxClosed(const ScenarioFixture& f, const BaselinePairs& bp,
                         const std::vector<Measured>& c, double budget) {
  BruteBest best;
  int64_t best_count = 0;
  double best_count_cost = 0;
  const uint32_t n = static_cast<uint32_t>(c.size());
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    double cost = 0;
    std::vector<const v1::Candidate*> chosen;
    for (uint32_t i = 0; i < n; ++i) {
      if (mask >> i & 1) {
        cost += c[i].candidate.cost_musd();
        chosen.push_back(&c[i].candidate);
      }
    }
    if (cost > budget) continue;
    int skipped = 0;
    const std::vector<int64_t> left = GapsAfterCandidates(f, bp, chosen, &skipped);
    const double closed = bp.weighted_total - Weighted(bp, left);
    const int64_t count = bp.gaps_total - Sum(left);
    if (skipped > 0) continue;  // the same as the subset without it, at a higher cost
    if (closed > best.closed + kEps || (closed >= best.closed - kEps && cost < best.cost - kEps)) {
      best.closed = closed;
      best.cost = cost;
      best.mask = mask;
    }
    if (mask == 0 || count > best_count || (count == best_count && cost < best_count_cost - kEps)) {
      best_count = count;
      best_count_cost = cost;
      best.by_count = closed;
    }
  }
  return best;
}

std::string MaskText(const std::vector<Measured>& c, uint32_t mask) {
  std::string out;
  for (size_t i = 0; i < c.size(); ++i) {
    if (mask >> i & 1) absl::StrAppend(&out, "    ", Text(c[i].candidate), "\n");
  }
  return out.empty() ? "    (none)\n" : out;
}

// One random model set up for the recommender: fixture without a supply chain in the scenario
// (the chain is still built, for AnalyzeWhatIf), baseline pairs, candidates measured alone.
struct Case {
  explicit Case(v1::Model m) : f(std::move(m), 0, /*with_chain=*/false) {}
  ScenarioFixture f;
  BaselinePairs bp;
  std::vector<Measured> generated;
};

void Prepare(Case* c) {
  Scenario& s = *c->f.scenario;
  BaselinePairs& bp = c->bp;
  const uint32_t n0 = s.num_elements();
  for (uint32_t k = 0; k < s.num_iers(); ++k) {
    bp.from.emplace_back();
    bp.to.emplace_back();
    s.ForEachMember(k, 0, [&](ElementIndex e) {
      if (e < n0) bp.from.back().push_back(e);
    });
    s.ForEachMember(k, 1, [&](ElementIndex e) {
      if (e < n0) bp.to.back().push_back(e);
    });
    bp.min_level.push_back(s.ier(k).min_level);
    bp.names.push_back(s.ier(k).name);
    bp.coverage.push_back(s.ier(k).coverage);
    bp.weight.push_back(s.ier(k).weight);
  }
  bp.gaps = GapsOf(s, bp);
  bp.gaps_total = Sum(bp.gaps);
  bp.weighted_total = Weighted(bp, bp.gaps);
  // Each candidate measured alone through an Evaluation (as recommend.cc does), the count of
  // baseline gaps taken from the evaluation's levels.
  const std::vector<v1::Candidate> gen = GenerateCandidates(s, 20'000);
  Evaluation ev(s);
  for (size_t i = 0; i < gen.size(); ++i) {
    int applied = 0;
    bool applicable = true;
    for (const v1::Change& ch : gen[i].changes()) {
      if (!ev.Apply(ch).ok()) {
        applicable = false;
        break;
      }
      ++applied;
    }
    const std::vector<int64_t> left = CountGaps(
        bp, [&](ElementIndex a, ElementIndex b) { return ev.levels().strict.Level(a, b); },
        [&](ElementIndex e) { return ev.levels().strict.present(e); }, ScenarioMembers(s));
    for (; applied > 0; --applied) ev.Undo();
    Measured m;
    m.candidate = gen[i];
    m.gain = bp.weighted_total - Weighted(bp, left);
    m.gaps = bp.gaps_total - Sum(left);
    for (size_t k = 0; k < left.size(); ++k) m.ier_gain.push_back(bp.gaps[k] - left[k]);
    m.monotone = gen[i].kind() != v1::Candidate::UPGRADE;
    m.applicable = applicable;
    if (!applicable) {
      m.gain = 0;
      m.gaps = 0;
      std::fill(m.ier_gain.begin(), m.ier_gain.end(), 0);
    }
    m.index = static_cast<int>(i);
    c->generated.push_back(std::move(m));
  }
}

// The searched candidates at `budget`: gain > 0 and cost <= budget, in the search order.
std::vector<Measured> Useful(const Case& c, double budget) {
  std::vector<Measured> out;
  for (const Measured& m : c.generated) {
    if (m.applicable && m.gain > kEps && m.candidate.cost_musd() <= budget) out.push_back(m);
  }
  SortLikeRecommend(&out);
  return out;
}

int64_t Net(const v1::Plan& p) { return p.gaps_closed() - p.gaps_opened(); }

// Whether some IER's weight is not 1 (then the weighted_* fields are set).
bool IsWeighted(const BaselinePairs& bp) {
  return std::any_of(bp.weight.begin(), bp.weight.end(), [](double w) { return w != 1; });
}

// The plan's net weighted gaps closed (the recommender's objective).
double WeightedNet(const BaselinePairs& bp, const v1::Plan& p) {
  return IsWeighted(bp) ? p.weighted_gaps_closed() - p.weighted_gaps_opened()
                        : static_cast<double>(Net(p));
}
double WeightedBound(const BaselinePairs& bp, const v1::Plan& p) {
  return IsWeighted(bp) ? p.weighted_bound() : static_cast<double>(p.bound());
}

// How a listed or what-if unit is compared: a pair by both ends; a coverage unit by its served
// element (its counterpart is whichever serves it, or served it).
std::tuple<std::string, std::string, std::string> UnitKey(const BaselinePairs& bp,
                                                          const std::string& ier,
                                                          const std::string& from,
                                                          const std::string& to) {
  for (size_t k = 0; k < bp.names.size(); ++k) {
    if (bp.names[k] != ier) continue;
    if (bp.coverage[k] == v1::EACH_TO) return {ier, "", to};
    if (bp.coverage[k] == v1::EACH_FROM) return {ier, from, ""};
  }
  return {ier, from, to};
}

// Checks that `plan`, applied as a what-if, closes exactly the gaps it claims and opens exactly
// the ones it says (plan.gaps_closed: baseline gaps satisfied after the whole plan; gaps_opened:
// baseline-satisfied pairs unsatisfied after it, upgrades only); returns a description of every
// disagreement (empty when none).
std::string CheckPlanApplied(const Case& c, const v1::Plan& plan) {
  std::string bad;
  const v1::WhatIf w = report::WhatIfOfPlan(plan);
  // 1. The steps: net gaps closed add up, gaps_left and cumulative cost follow.
  int64_t steps_closed = 0, steps_opened = 0, left = c.bp.gaps_total;
  double cost = 0, weighted_left = c.bp.weighted_total;
  const bool weighted = IsWeighted(c.bp);
  for (int i = 0; i < plan.steps_size(); ++i) {
    const v1::PlanStep& st = plan.steps(i);
    steps_closed += st.gaps_closed();
    steps_opened += st.gaps_opened();
    left += st.gaps_opened() - st.gaps_closed();
    cost += st.candidate().cost_musd();
    if (std::abs(st.cumulative_cost_musd() - cost) > 1e-6) {
      absl::StrAppend(&bad, "  step ", i, ": cumulative cost ", st.cumulative_cost_musd(),
                      ", sum of step costs ", cost, "\n");
    }
    if (st.gaps_closed() != st.closed_size() + st.closed_omitted()) {
      absl::StrAppend(&bad, "  step ", i, ": gaps_closed ", st.gaps_closed(), " but lists ",
                      st.closed_size(), " + omitted ", st.closed_omitted(), "\n");
    }
    if (st.gaps_left() != left) {
      absl::StrAppend(&bad, "  step ", i, ": gaps_left ", st.gaps_left(), ", but ", c.bp.gaps_total,
                      " - closed + opened so far = ", left, "\n");
    }
    if (weighted) {
      // The weighted figures: the closed ones by IER, times the weights; left follows.
      double w = 0;
      for (const v1::GapCounts& gc : st.closed_by_ier()) {
        for (size_t k = 0; k < c.bp.names.size(); ++k) {
          if (c.bp.names[k] == gc.key()) w += c.bp.weight[k] * static_cast<double>(gc.gaps());
        }
      }
      weighted_left += st.weighted_gaps_opened() - st.weighted_gaps_closed();
      if (std::abs(w - st.weighted_gaps_closed()) > 1e-6 ||
          std::abs(weighted_left - st.weighted_gaps_left()) > 1e-6) {
        absl::StrAppend(&bad, "  step ", i, ": weighted closed ", st.weighted_gaps_closed(),
                        " (by IER x weight: ", w, "), weighted left ", st.weighted_gaps_left(),
                        " (", weighted_left, " from the steps)\n");
      }
    }
    int64_t by_ier = 0;
    for (const v1::GapCounts& gc : st.closed_by_ier()) by_ier += gc.gaps();
    if (by_ier != st.gaps_closed()) {
      absl::StrAppend(&bad, "  step ", i, ": closed_by_ier sums to ", by_ier, ", gaps_closed ",
                      st.gaps_closed(), "\n");
    }
  }
  if (steps_closed - steps_opened != Net(plan)) {
    absl::StrAppend(&bad, "  steps close ", steps_closed, " and open ", steps_opened,
                    "; the plan claims ", plan.gaps_closed(), " closed and ", plan.gaps_opened(),
                    " opened\n");
  }
  if (std::abs(plan.cost_musd() - cost) > 1e-6) {
    absl::StrAppend(&bad, "  plan cost ", plan.cost_musd(), ", sum of step costs ", cost, "\n");
  }
  // 2. A fresh scenario with the what-if's changes, levels from scratch: the net count, and
  // the net weighted gaps.
  int failed = 0;
  const std::vector<int64_t> engine_left = GapsAfterChanges(c.f, c.bp, ChangesOf(w), &failed);
  const int64_t engine_net = c.bp.gaps_total - Sum(engine_left);
  if (engine_net != Net(plan) || failed > 0) {
    absl::StrAppend(&bad, "  a fresh scenario with the plan's changes (", failed,
                    " of which fail) closes net ", engine_net, ", the plan ", Net(plan), "\n");
  }
  const double engine_weighted = c.bp.weighted_total - Weighted(c.bp, engine_left);
  if (std::abs(engine_weighted - WeightedNet(c.bp, plan)) > 1e-6) {
    absl::StrAppend(&bad, "  a fresh scenario with the plan's changes closes net weighted ",
                    engine_weighted, ", the plan ", WeightedNet(c.bp, plan), "\n");
  }
  // 3. The slow oracle on the edited protos.
  failed = 0;
  const int64_t slow_net =
      c.bp.gaps_total - Sum(SlowGapsAfter(c.f.model, c.bp, ChangesOf(w), &failed));
  if (slow_net != Net(plan) || failed > 0) {
    absl::StrAppend(&bad, "  the slow oracle with the plan's changes (", failed,
                    " of which fail) closes net ", slow_net, ", the plan ", Net(plan), "\n");
  }
  // 4. AnalyzeWhatIf: closed, and opened among baseline pairs; and the very pairs listed.
  WhatIfOptions wo;
  wo.max_gaps = -1;
  absl::StatusOr<WhatIfResult> r = AnalyzeWhatIf(*c.f.graph, *c.f.mix, *c.f.chain, w, wo);
  if (!r.ok()) {
    absl::StrAppend(&bad, "  AnalyzeWhatIf of the plan failed: ", r.status().ToString(), "\n");
    return bad;
  }
  std::set<std::string> base_ids;
  for (const std::string& id : c.f.mix->element_ids) base_ids.insert(id);
  base_ids.insert("");  // a coverage unit's key leaves its counterpart empty
  int64_t opened_base = 0;
  for (const v1::Gap& g : r->report.gaps_opened()) {
    const auto key = UnitKey(c.bp, g.ier(), g.from_element(), g.to_element());
    opened_base += base_ids.count(std::get<1>(key)) && base_ids.count(std::get<2>(key));
  }
  if (r->report.gaps_closed_total() != plan.gaps_closed() || opened_base != plan.gaps_opened()) {
    absl::StrAppend(&bad, "  AnalyzeWhatIf: ", r->report.gaps_closed_total(), " closed, ",
                    opened_base, " baseline pairs opened; the plan claims ", plan.gaps_closed(),
                    " closed, ", plan.gaps_opened(), " opened\n");
  }
  std::set<std::tuple<std::string, std::string, std::string>> listed, closed;
  for (const v1::PlanStep& st : plan.steps()) {
    for (const v1::IerPair& p : st.closed()) {
      listed.insert(UnitKey(c.bp, p.ier(), p.from_element(), p.to_element()));
    }
  }
  for (const v1::Gap& g : r->report.gaps_closed()) {
    closed.insert(UnitKey(c.bp, g.ier(), g.from_element(), g.to_element()));
  }
  // Every pair the what-if closes is listed by some step; without reopening, exactly those.
  const bool all_listed = std::includes(listed.begin(), listed.end(), closed.begin(), closed.end());
  if (!all_listed || (steps_opened == 0 && listed != closed)) {
    absl::StrAppend(&bad, "  the pairs the steps list (", listed.size(),
                    ") do not match the pairs AnalyzeWhatIf closes (", closed.size(), ")\n");
  }
  return bad;
}

struct Stats {
  int models = 0, skipped = 0, exact = 0, greedy = 0, upgrades = 0, nontrivial = 0;
  int ier_plans = 0, ier_exact_checked = 0, ier_unclosable = 0;
  int joint_better = 0;  // models where a subset with zero-gain candidates closes more
  int coverage_models = 0, weighted_models = 0;
  int64_t coverage_closed = 0;  // coverage units closed by plan steps
  int weight_decides = 0;       // budgets where the most gaps is not the most weighted gaps
  int generated_by_kind[6] = {};
  int idle_steps = 0;  // plan steps that close and open nothing (listed, not failed)
};

RecommendOptions Options(double budget) {
  RecommendOptions o;
  o.budget_musd = budget;
  o.max_listed = -1;
  o.max_candidates_listed = 1000;
  return o;
}

// --- Plans within a budget: exact is optimal; every plan closes what it claims ---------------

TEST(RecommendPropertyTest, PlansAreOptimalAndCloseWhatTheyClaim) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "COALITION_SEED=" << seed << "\n";
  constexpr int kModels = 120;
  Stats st;
  // The first kModels models all-pairs with weight 1; the next kModels with random coverage and
  // weights (AddRandomCoverageAndSupply).
  for (int i = 0; i < 2 * kModels; ++i) {
    const bool coverage = i >= kModels;
    const uint64_t model_seed = seed + 7000 + static_cast<uint64_t>(i);
    Case c(RecommendModel(model_seed, 5 + i % 6, 2 + i % 2, coverage));
    ASSERT_TRUE(c.f.ok()) << "model seed " << model_seed;
    Prepare(&c);
    Scenario& s = *c.f.scenario;
    for (const Measured& m : c.generated) ++st.generated_by_kind[m.candidate.kind()];
    const std::vector<Measured> all_useful = Useful(c, 1e300);
    if (static_cast<int>(all_useful.size()) > kMaxUseful) {
      ++st.skipped;
      continue;
    }
    ++st.models;
    double total = 0;
    for (const Measured& m : all_useful) total += m.candidate.cost_musd();
    std::vector<double> budgets = {0};
    if (total > 0) budgets.insert(budgets.end(), {total / 2, total});
    // With weights, which affordable subset is best depends more on the budget: more of them.
    if (total > 0 && IsWeighted(c.bp)) {
      budgets.insert(budgets.end(), {total / 5, total / 4, total / 3, 2 * total / 3});
    }
    for (const double budget : budgets) {
      const std::vector<Measured> useful = Useful(c, budget);
      std::string iers;
      for (size_t k = 0; k < c.bp.names.size(); ++k) {
        absl::StrAppend(&iers, " ", c.bp.names[k], " (", v1::Coverage_Name(c.bp.coverage[k]),
                        ", weight ", c.bp.weight[k], ", ", c.bp.gaps[k], " gaps)");
      }
      const std::string where = absl::StrCat(
          "model seed ", model_seed, " (COALITION_SEED=", seed, ", model ", i, "), IERs", iers,
          ", budget ", budget, ", ", useful.size(), " useful candidates:\n",
          MaskText(useful, ~0u));
      st.coverage_models += coverage && budget == 0;
      st.weighted_models += IsWeighted(c.bp) && budget == 0;
      for (const Measured& m : useful) st.upgrades += !m.monotone;
      const BruteBest brute = BruteMaxClosed(c.f, c.bp, useful, budget);
      st.nontrivial += brute.mask != 0 && brute.mask != (1u << useful.size()) - 1;
      st.weight_decides += brute.by_count < brute.closed - kEps;

      for (const bool force_greedy : {false, true}) {
        RecommendOptions o = Options(budget);
        if (force_greedy) o.max_exact_candidates = 0;
        absl::StatusOr<v1::RecommendReport> r = Recommend(s, o);
        ASSERT_TRUE(r.ok()) << where << r.status();
        const v1::Plan& plan = r->plan();
        const std::string what =
            absl::StrCat(where, force_greedy ? "forced greedy" : "default", " plan: ", Text(plan));
        // The scenario is as it was.
        EXPECT_EQ(s.depth(), 0u) << what;
        EXPECT_EQ(s.num_elements(), c.f.mix->element_ids.size()) << what;
        // Counts agree with ours.
        EXPECT_EQ(r->gaps_before(), c.bp.gaps_total) << what;
        if (IsWeighted(c.bp)) {
          EXPECT_DOUBLE_EQ(r->weighted_gaps_before(), c.bp.weighted_total) << what;
        } else {
          EXPECT_EQ(r->weighted_gaps_before(), 0) << what << "  (set only when weighted)";
          EXPECT_EQ(plan.weighted_gaps_closed(), 0) << what << "  (set only when weighted)";
        }
        EXPECT_EQ(r->candidates_generated(), static_cast<int>(c.generated.size())) << what;
        EXPECT_EQ(r->candidates_useful(), static_cast<int>(useful.size())) << what;
        // The best single candidate: the most weighted gaps closed alone.
        double best_alone = 0;
        for (const Measured& m : c.generated) best_alone = std::max(best_alone, m.gain);
        const v1::Candidate& bs = r->best_single();
        EXPECT_NEAR(IsWeighted(c.bp) ? bs.weighted_gaps_closed_alone()
                                     : static_cast<double>(bs.gaps_closed_alone()),
                    best_alone, kEps)
            << what;
        if (r->has_best_single()) {
          // Its count agrees with ours for the same candidate.
          v1::Candidate bare = bs;
          bare.clear_gaps_closed_alone();
          bare.clear_weighted_gaps_closed_alone();
          bool found = false;
          for (const Measured& x : c.generated) {
            if (google::protobuf::util::MessageDifferencer::Equals(x.candidate, bare)) {
              EXPECT_EQ(bs.gaps_closed_alone(), x.gaps) << what;
              found = true;
              break;
            }
          }
          EXPECT_TRUE(found) << what;
        }
        // Within the budget, and closes what it claims.
        EXPECT_LE(plan.cost_musd(), budget + 1e-6) << what;
        EXPECT_EQ(plan.budget_musd(), budget) << what;
        const std::string bad = CheckPlanApplied(c, plan);
        EXPECT_TRUE(bad.empty()) << what << bad;
        for (const v1::PlanStep& step : plan.steps()) {
          for (const v1::GapCounts& gc : step.closed_by_ier()) {
            for (size_t k = 0; k < c.bp.names.size(); ++k) {
              if (c.bp.names[k] == gc.key() && c.bp.coverage[k] != v1::ALL_PAIRS &&
                  c.bp.coverage[k] != v1::COVERAGE_UNSPECIFIED) {
                st.coverage_closed += gc.gaps();
              }
            }
          }
          if (step.gaps_closed() == 0 && step.gaps_opened() == 0 && st.idle_steps++ < 3) {
            std::cout << "note: a step that closes nothing: " << what;
          }
        }
        // Never more than the best subset; the bound is a bound.
        const double net = WeightedNet(c.bp, plan);
        EXPECT_LE(net, brute.closed + kEps) << what;
        EXPECT_GE(WeightedBound(c.bp, plan), net - kEps) << what;
        if (force_greedy && !useful.empty()) {
          EXPECT_EQ(plan.method(), v1::Plan::GREEDY) << what;
          EXPECT_EQ(plan.stopped_by(), "candidates") << what;
          bool monotone = true;
          for (const Measured& m : useful) monotone = monotone && m.monotone;
          if (monotone) {
            EXPECT_GE(WeightedBound(c.bp, plan), brute.closed - kEps) << what;
          }
          ++st.greedy;
        } else if (plan.method() == v1::Plan::EXACT) {
          ++st.exact;
          EXPECT_NEAR(net, brute.closed, kEps)
              << what << "  brute force: closes " << brute.closed << " at cost " << brute.cost
              << " with\n"
              << MaskText(useful, brute.mask);
          EXPECT_NEAR(plan.cost_musd(), brute.cost, 1e-6)
              << what << "  brute force: closes " << brute.closed << " at cost " << brute.cost
              << " with\n"
              << MaskText(useful, brute.mask);
          EXPECT_EQ(plan.bound(), Net(plan)) << what;
          EXPECT_NEAR(WeightedBound(c.bp, plan), net, kEps) << what;
        }
      }
      // Informational: the claim "among the candidates generated" vs "among those that close
      // something alone" — does a subset of every affordable candidate close more?
      std::vector<Measured> affordable;
      for (const Measured& m : c.generated) {
        if (m.applicable && m.candidate.cost_musd() <= budget) affordable.push_back(m);
      }
      SortLikeRecommend(&affordable);
      if (affordable.size() > useful.size() && affordable.size() <= 10) {
        const BruteBest joint = BruteMaxClosed(c.f, c.bp, affordable, budget);
        if (joint.closed > brute.closed + kEps) {
          ++st.joint_better;
          std::cout << "note: " << where << "  a subset of all " << affordable.size()
                    << " affordable generated candidates closes " << joint.closed << " (vs "
                    << brute.closed << " from the useful ones):\n"
                    << MaskText(affordable, joint.mask);
        }
      }
    }
  }
  std::cout << st.models << " models (" << st.skipped << " skipped), " << st.exact
            << " exact plans, " << st.greedy << " greedy plans, " << st.nontrivial
            << " non-trivial optima, " << st.upgrades << " upgrade candidates searched, "
            << st.joint_better << " budgets where zero-gain candidates would help, "
            << st.idle_steps << " plan steps that close nothing, " << st.coverage_models
            << " models with coverage (" << st.weighted_models << " weighted), "
            << st.coverage_closed << " coverage units closed by plans, " << st.weight_decides
            << " budgets where the weights decide the optimum\n"
            << "candidates generated by kind:";
  for (int kind = 1; kind < 6; ++kind) {
    std::cout << " " << v1::Candidate::Kind_Name(static_cast<v1::Candidate::Kind>(kind)) << " "
              << st.generated_by_kind[kind];
  }
  std::cout << "\n";
  EXPECT_GE(st.models, kModels);
  EXPECT_GT(st.exact, 0);
  EXPECT_GT(st.nontrivial, 0);
  EXPECT_GT(st.coverage_models, kModels / 2);
  EXPECT_GT(st.weighted_models, kModels / 4);
  EXPECT_GT(st.coverage_closed, 0);
}

// --- Cheapest plan for one IER ---------------------------------------------------------------

TEST(RecommendPropertyTest, IerPlanSatisfiesTheIerAndIsCheapest) {
  const uint64_t seed = coalition::testing::TestSeed();
  std::cout << "COALITION_SEED=" << seed << "\n";
  constexpr int kModels = 60;
  Stats st;
  // The first kModels all-pairs with weight 1, the next with random coverage and weights.
  for (int i = 0; i < 2 * kModels; ++i) {
    const uint64_t model_seed = seed + 9000 + static_cast<uint64_t>(i);
    Case c(RecommendModel(model_seed, 5 + i % 6, 2 + i % 2, i >= kModels));
    ASSERT_TRUE(c.f.ok()) << "model seed " << model_seed;
    Prepare(&c);
    Scenario& s = *c.f.scenario;
    ++st.models;
    for (uint32_t k = 0; k < c.bp.names.size(); ++k) {
      const std::string where =
          absl::StrCat("model seed ", model_seed, " (COALITION_SEED=", seed, ", model ", i,
                       "), IER ", c.bp.names[k], " (", c.bp.gaps[k], " gaps at baseline)");
      // The relevant candidates: those that apply and close something of this IER alone, in
      // the search order.
      std::vector<Measured> relevant;
      bool monotone = true;
      for (const Measured& m : c.generated) {
        if (m.applicable && m.ier_gain[k] > 0) {
          relevant.push_back(m);
          monotone = monotone && m.monotone;
        }
      }
      SortLikeRecommend(&relevant);
      std::vector<const v1::Candidate*> every;
      for (const Measured& m : relevant) every.push_back(&m.candidate);
      int skipped = 0;
      const int64_t left_all = GapsAfterCandidates(c.f, c.bp, every, &skipped)[k];
      // Brute force: the cheapest subset of the relevant candidates (applied in the search
      // order, each applying) after which the IER has no baseline gap, if any.
      const bool brute = static_cast<int>(relevant.size()) <= kMaxUseful;
      double cheapest = 1e300;
      uint32_t cheapest_mask = 0;
      bool satisfiable = false;
      if (brute && c.bp.gaps[k] > 0) {
        const uint32_t n = static_cast<uint32_t>(relevant.size());
        for (uint32_t mask = 0; mask < (1u << n); ++mask) {
          double cost = 0;
          std::vector<const v1::Candidate*> chosen;
          for (uint32_t j = 0; j < n; ++j) {
            if (mask >> j & 1) {
              cost += relevant[j].candidate.cost_musd();
              chosen.push_back(&relevant[j].candidate);
            }
          }
          if (satisfiable && cost >= cheapest - kEps) continue;
          int skipped_here = 0;
          if (GapsAfterCandidates(c.f, c.bp, chosen, &skipped_here)[k] == 0 && skipped_here == 0) {
            satisfiable = true;
            cheapest = cost;
            cheapest_mask = mask;
          }
        }
      }
      for (const bool force_greedy : {false, true}) {
        RecommendOptions o = Options(-1);
        o.ier = c.bp.names[k];
        if (force_greedy) o.max_exact_candidates = 0;
        absl::StatusOr<v1::RecommendReport> r = Recommend(s, o);
        ASSERT_TRUE(r.ok()) << where << r.status();
        EXPECT_EQ(s.depth(), 0u) << where;
        const v1::Plan& ip = r->ier_plan();
        if (c.bp.gaps[k] == 0) {
          EXPECT_EQ(ip.steps_size(), 0) << where;
          EXPECT_EQ(ip.method(), v1::Plan::EXACT) << where;
          continue;
        }
        const std::string what = absl::StrCat(
            where, force_greedy ? ", forced greedy" : "", ", ", relevant.size(),
            " relevant candidates:\n", MaskText(relevant, ~0u), "  IER plan: ", Text(ip),
            "  ier_gaps_unclosable ", r->ier_gaps_unclosable(), "\n",
            !brute        ? "  (too many relevant candidates for brute force)\n"
            : satisfiable ? absl::StrCat("  brute force: the cheapest satisfying subset costs ",
                                         cheapest, ":\n", MaskText(relevant, cheapest_mask))
                          : "  brute force: no subset satisfies the IER\n");
        // With every relevant candidate monotone, applying all of them is the most that can be
        // done: if that satisfies the IER a plan exists (all of them, pruned), else it is proven
        // unclosable with exactly what they leave.
        if (monotone && left_all == 0) {
          EXPECT_EQ(r->ier_gaps_unclosable(), 0)
              << what << "  every relevant candidate applied satisfies the IER, yet no plan\n";
        }
        if (monotone && left_all > 0) {
          EXPECT_EQ(r->ier_gaps_unclosable(), left_all) << what;
          EXPECT_TRUE(r->ier_unclosable_proven()) << what;
        }
        if (r->ier_gaps_unclosable() > 0) {
          ++st.ier_unclosable;
          EXPECT_EQ(ip.steps_size(), 0) << what;
          // Proven: "no set of the candidates can satisfy it" (recommend.proto) — none of the
          // relevant ones does. Not proven (a search limit, or greedy): no claim to check.
          if (r->ier_unclosable_proven()) {
            EXPECT_FALSE(satisfiable) << what << "  reported unclosable (proven), but this subset"
                                      << " (cost " << cheapest << ") satisfies the IER:\n"
                                      << MaskText(relevant, cheapest_mask);
          }
          continue;
        }
        ++st.ier_plans;
        // Applying the IER plan leaves the IER with no gap (engine from scratch, slow oracle),
        // and the plan closes what it claims.
        const v1::WhatIf w = report::WhatIfOfPlan(ip);
        int failed = 0;
        EXPECT_EQ(GapsAfterChanges(c.f, c.bp, ChangesOf(w), &failed)[k], 0) << what;
        EXPECT_EQ(SlowGapsAfter(c.f.model, c.bp, ChangesOf(w), &failed)[k], 0) << what;
        EXPECT_EQ(failed, 0) << what;
        const std::string bad = CheckPlanApplied(c, ip);
        EXPECT_TRUE(bad.empty()) << what << bad;
        // EXACT: no cheaper subset of the relevant candidates satisfies it.
        if (ip.method() == v1::Plan::EXACT && brute) {
          ++st.ier_exact_checked;
          EXPECT_TRUE(satisfiable) << what;
          EXPECT_LE(ip.cost_musd(), cheapest + 1e-6)
              << what << "  brute force: cost " << cheapest << " with\n"
              << MaskText(relevant, cheapest_mask);
        }
      }
    }
  }
  std::cout << st.models << " models, " << st.ier_plans << " IER plans checked ("
            << st.ier_exact_checked << " exact against brute force), " << st.ier_unclosable
            << " unclosable\n";
  EXPECT_GT(st.ier_plans, 0);
  EXPECT_GT(st.ier_exact_checked, 0);
}

// --- Minimal reproductions of what the property tests found ---------------------------------

// One nation, one link L carrying the J family at versions 1..3 (upgrade cost `upgrade_cost`
// each), platform types speaking one version each; `mix` is appended. Levels: same version 4
// (one nation), different versions 2 (version bridge on L).
v1::Model VersionModel(int upgrade_cost, const std::string& platforms, const std::string& mix) {
  v1::Model m;
  std::string text = R"pb(
    name: "versions"
    nations { id: "USA" name: "USA" partner_category: MOST_CAPABLE supply_risk: NONE }
    links {
      id: "L"
      name: "L"
      kind: TACTICAL_DATA_LINK
      standards: "J1"
      standards: "J2"
      standards: "J3"
      export_control: NONE
    }
  )pb";
  for (int v = 1; v <= 3; ++v) {
    absl::StrAppend(&text, "standards { id: \"J", v, "\" name: \"J", v,
                    "\" family: \"J\" version: ", v, " upgrade_cost_musd: ", upgrade_cost, " }\n");
  }
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text + platforms, &m));
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(mix, m.add_mixes()));
  return m;
}

std::string Platform(const std::string& id, const std::string& standard) {
  return absl::StrCat("platforms { id: \"", id, "\" name: \"", id,
                      "\" domain: AIR roles: \"fighter\" tier: SECOND_TIER unit_cost_musd: 10 "
                      "designer_nation: \"USA\" producer_nations: \"USA\" sourcing: US_BUILT "
                      "links: \"L\" standards: \"",
                      standard, "\" }\n");
}

// A, P speak J1; B, C, D speak J2; one unit each; all -> all at level 3. Baseline gaps: every
// J1-J2 pair, 12 ordered. Budget 1 buys one upgrade: A J1 -> J2 closes A's 6 pairs with B, C, D
// and opens its 2 with P: net 4. (Found by the property test: the step claimed 6 closed while the
// plan claimed 4, and the 2 gaps the what-if opens were mentioned nowhere; the plan now reports
// 6 closed and 2 opened, per step and in total.)
TEST(RecommendReproTest, UpgradeThatOpensGapsIsAccounted) {
  const v1::Model m = VersionModel(1,
                                   Platform("A", "J1") + Platform("P", "J1") + Platform("B", "J2") +
                                       Platform("C", "J2") + Platform("D", "J2"),
                                   R"pb(
                                     name: "m"
                                     budget_musd: 1
                                     elements { id: "a" platform: "A" nation: "USA" quantity: 1 }
                                     elements { id: "p" platform: "P" nation: "USA" quantity: 1 }
                                     elements { id: "b" platform: "B" nation: "USA" quantity: 1 }
                                     elements { id: "c" platform: "C" nation: "USA" quantity: 1 }
                                     elements { id: "d" platform: "D" nation: "USA" quantity: 1 }
                                     iers {
                                       name: "all"
                                       from { all: true }
                                       to { all: true }
                                       min_level: 3
                                     }
                                   )pb");
  Case c(m);
  ASSERT_TRUE(c.f.ok());
  Prepare(&c);
  absl::StatusOr<v1::RecommendReport> r = Recommend(*c.f.scenario, Options(-1));
  ASSERT_TRUE(r.ok()) << r.status();
  const v1::Plan& plan = r->plan();
  ASSERT_EQ(plan.steps_size(), 1) << Text(plan);
  EXPECT_EQ(Net(plan), 4) << Text(plan);
  EXPECT_EQ(plan.gaps_closed(), 6) << Text(plan);
  EXPECT_EQ(plan.gaps_opened(), 2) << Text(plan);
  EXPECT_EQ(plan.steps(0).gaps_closed(), 6) << Text(plan);
  EXPECT_EQ(plan.steps(0).gaps_opened(), 2) << Text(plan);
  const std::string bad = CheckPlanApplied(c, plan);
  EXPECT_TRUE(bad.empty()) << Text(plan) << bad;
}

// A speaks J1, B J2, C J3; one unit each; all -> all at level 3: every ordered pair (6) is a gap
// at level 2. Six upgrades are generated (each platform to each other version), each closing
// one pair (2 gaps) alone; two upgrades to the third platform's version close all 6.
v1::Model ThreeVersions(int upgrade_cost) {
  return VersionModel(upgrade_cost, Platform("A", "J1") + Platform("B", "J2") + Platform("C", "J3"),
                      R"pb(
                        name: "m"
                        budget_musd: 10
                        elements { id: "a" platform: "A" nation: "USA" quantity: 1 }
                        elements { id: "b" platform: "B" nation: "USA" quantity: 1 }
                        elements { id: "c" platform: "C" nation: "USA" quantity: 1 }
                        iers {
                          name: "all"
                          from { all: true }
                          to { all: true }
                          min_level: 3
                        }
                      )pb");
}

std::string Describe(const Case& c, const v1::RecommendReport& r) {
  std::string out = "candidates:\n";
  for (const Measured& x : c.generated) {
    absl::StrAppend(&out, "    ", Text(x.candidate), ", closes ", x.gain, " alone\n");
  }
  absl::StrAppend(&out, "plan: ", Text(r.plan()), "IER plan: ", Text(r.ier_plan()),
                  "ier_gaps_unclosable ", r.ier_gaps_unclosable(), "\n");
  return out;
}

// Upgrades cost 1. The plan: A and C to J2, cost 2, closes 6. With --ier "all" the IER was
// reported unclosable (4 gaps left) — Recommend applied every relevant candidate at once to
// decide that, and with upgrades "all at once" is not the most that can be done (A J1->J2
// applied, then A J1->J3 skipped; B J2->J1, C J3->J1 applied; ...). Expected (and now got):
// unclosable 0 and an IER plan of cost 2.
TEST(RecommendReproTest, IerReportedUnclosableAlthoughTwoUpgradesSatisfyIt) {
  Case c(ThreeVersions(1));
  ASSERT_TRUE(c.f.ok());
  Prepare(&c);
  RecommendOptions o = Options(-1);
  o.ier = "all";
  absl::StatusOr<v1::RecommendReport> r = Recommend(*c.f.scenario, o);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string what = Describe(c, *r);
  EXPECT_EQ(r->plan().gaps_closed(), 6) << what;
  EXPECT_EQ(r->ier_gaps_unclosable(), 0) << what;
  EXPECT_NEAR(r->ier_plan().cost_musd(), 2, 1e-9) << what;
}

// Upgrades cost 0. The EXACT plan closed 6 at cost 0 but also listed a zero-gain, zero-cost step:
// a second upgrade of a platform already moved (A J1->J3 after A J1->J2), which Recommend
// silently skipped but AnalyzeWhatIf rejects ("upgrade A: it does not speak 'J1'"): the plan
// could not be applied as a what-if. Expected (and now got): no step that closes nothing, and
// the what-if of the plan applies and closes 6.
TEST(RecommendReproTest, FreeConflictingUpgradesMakeThePlanInapplicable) {
  Case c(ThreeVersions(0));
  ASSERT_TRUE(c.f.ok());
  Prepare(&c);
  absl::StatusOr<v1::RecommendReport> r = Recommend(*c.f.scenario, Options(-1));
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string what = Describe(c, *r);
  EXPECT_EQ(r->plan().method(), v1::Plan::EXACT) << what;
  EXPECT_EQ(r->plan().gaps_closed(), 6) << what;
  for (const v1::PlanStep& st : r->plan().steps()) {
    EXPECT_GT(st.gaps_closed(), 0) << what;
  }
  const std::string bad = CheckPlanApplied(c, r->plan());
  EXPECT_TRUE(bad.empty()) << what << bad;
}

// A speaks J1, B J2, X speaks K1 (a family L does not carry) and fits L: X is at level 0 with
// everyone and nothing generated can change that (no fit gives a common channel, no gateway), so
// the IER "all" cannot be satisfied; the only candidates that help it are the two upgrades.
// With the exact IER search off (max_exact_candidates = 0; the same path runs when the relevant
// candidates exceed the limit or the search hits a limit), Recommend skips the "everything
// applied" test because upgrades can lower levels, and its greedy fallback returns an IER plan
// that leaves X's 4 gaps, with ier_gaps_unclosable 0. Expected: ier_gaps_unclosable > 0 (or at
// least a plan that satisfies the IER).
TEST(RecommendReproTest, GreedyIerPlanWithUpgradesClaimsAnUnsatisfiableIer) {
  const v1::Model m =
      VersionModel(1,
                   Platform("A", "J1") + Platform("B", "J2") + Platform("X", "K1") +
                       "standards { id: \"K1\" name: \"K1\" family: \"K\" version: 1 }\n",
                   R"pb(
                     name: "m"
                     budget_musd: 10
                     elements { id: "a" platform: "A" nation: "USA" quantity: 1 }
                     elements { id: "b" platform: "B" nation: "USA" quantity: 1 }
                     elements { id: "x" platform: "X" nation: "USA" quantity: 1 }
                     iers {
                       name: "all"
                       from { all: true }
                       to { all: true }
                       min_level: 3
                     }
                   )pb");
  Case c(m);
  ASSERT_TRUE(c.f.ok());
  Prepare(&c);
  for (const bool force_greedy : {false, true}) {
    RecommendOptions o = Options(-1);
    o.ier = "all";
    if (force_greedy) o.max_exact_candidates = 0;
    absl::StatusOr<v1::RecommendReport> r = Recommend(*c.f.scenario, o);
    ASSERT_TRUE(r.ok()) << r.status();
    const std::string what =
        absl::StrCat(force_greedy ? "forced greedy\n" : "default\n", Describe(c, *r));
    int failed = 0;
    const int64_t left =
        GapsAfterChanges(c.f, c.bp, ChangesOf(report::WhatIfOfPlan(r->ier_plan())), &failed)[0];
    EXPECT_TRUE(r->ier_gaps_unclosable() > 0 || left == 0)
        << what << "the IER plan leaves " << left << " gaps of the IER";
    EXPECT_GT(r->ier_gaps_unclosable(), 0) << what;
  }
}

// Fits that only work together. Nations N1, N2, N3 (no groups), one standard J; links (all
// carry J): L1 releasable to N1, L3 to N2, L2 to all (retrofit 10), L4 to N1 and N3 (retrofit
// 1), L5 to N2 and N3 (retrofit 1). a (N1) fits L1, b (N2) fits L3, c (N3) fits L2, L4, L5;
// all -> all at level 3: every pair is a TECHNICAL gap. Candidates: L2 or L4 fitted to A
// (closes a-c), L2 or L5 fitted to B (closes b-c); a-b needs L2 on both. The cheapest plan for
// the IER is L2 to A and to B (cost 20). With the exact IER search off (max_exact_candidates =
// 0, or more relevant candidates than the limit), the greedy picks the cheap L4 -> A and L5 -> B,
// after which L2 -> A and L2 -> B each close nothing alone, so it stops with a-b open and
// reports the IER unclosable (2 gaps, not proven) — although every relevant candidate applied
// together (all monotone) satisfies it. Expected: an IER plan that satisfies it.
TEST(RecommendReproTest, GreedyIerPlanGivesUpOnFitsThatOnlyWorkTogether) {
  v1::Model m;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        name: "together"
        nations { id: "N1" name: "N1" partner_category: FRONTLINE supply_risk: NONE }
        nations { id: "N2" name: "N2" partner_category: FRONTLINE supply_risk: NONE }
        nations { id: "N3" name: "N3" partner_category: FRONTLINE supply_risk: NONE }
        standards { id: "J" name: "J" family: "J" version: 1 }
        links {
          id: "L1"
          name: "L1"
          kind: TACTICAL_DATA_LINK
          standards: "J"
          releasable_to: "N1"
          export_control: NONE
          retrofit_cost_musd: 5
        }
        links {
          id: "L2"
          name: "L2"
          kind: TACTICAL_DATA_LINK
          standards: "J"
          export_control: NONE
          retrofit_cost_musd: 10
        }
        links {
          id: "L3"
          name: "L3"
          kind: TACTICAL_DATA_LINK
          standards: "J"
          releasable_to: "N2"
          export_control: NONE
          retrofit_cost_musd: 5
        }
        links {
          id: "L4"
          name: "L4"
          kind: TACTICAL_DATA_LINK
          standards: "J"
          releasable_to: "N1"
          releasable_to: "N3"
          export_control: NONE
          retrofit_cost_musd: 1
        }
        links {
          id: "L5"
          name: "L5"
          kind: TACTICAL_DATA_LINK
          standards: "J"
          releasable_to: "N2"
          releasable_to: "N3"
          export_control: NONE
          retrofit_cost_musd: 1
        }
        platforms {
          id: "A"
          name: "A"
          domain: AIR
          roles: "fighter"
          tier: SECOND_TIER
          unit_cost_musd: 10
          designer_nation: "N1"
          producer_nations: "N1"
          sourcing: THIRD_PARTY
          links: "L1"
          standards: "J"
        }
        platforms {
          id: "B"
          name: "B"
          domain: AIR
          roles: "fighter"
          tier: SECOND_TIER
          unit_cost_musd: 10
          designer_nation: "N2"
          producer_nations: "N2"
          sourcing: THIRD_PARTY
          links: "L3"
          standards: "J"
        }
        platforms {
          id: "C"
          name: "C"
          domain: AIR
          roles: "fighter"
          tier: SECOND_TIER
          unit_cost_musd: 10
          designer_nation: "N3"
          producer_nations: "N3"
          sourcing: THIRD_PARTY
          links: "L2"
          links: "L4"
          links: "L5"
          standards: "J"
        }
        mixes {
          name: "m"
          budget_musd: 100
          elements { id: "a" platform: "A" nation: "N1" quantity: 1 }
          elements { id: "b" platform: "B" nation: "N2" quantity: 1 }
          elements { id: "c" platform: "C" nation: "N3" quantity: 1 }
          iers {
            name: "all"
            from { all: true }
            to { all: true }
            min_level: 3
          }
        }
      )pb",
      &m));
  Case c(m);
  ASSERT_TRUE(c.f.ok());
  Prepare(&c);
  for (const bool force_greedy : {false, true}) {
    RecommendOptions o = Options(-1);
    o.ier = "all";
    if (force_greedy) o.max_exact_candidates = 0;
    absl::StatusOr<v1::RecommendReport> r = Recommend(*c.f.scenario, o);
    ASSERT_TRUE(r.ok()) << r.status();
    const std::string what =
        absl::StrCat(force_greedy ? "forced greedy\n" : "default\n", Describe(c, *r));
    EXPECT_EQ(r->ier_gaps_unclosable(), 0) << what;
    int failed = 0;
    EXPECT_EQ(
        GapsAfterChanges(c.f, c.bp, ChangesOf(report::WhatIfOfPlan(r->ier_plan())), &failed)[0], 0)
        << what;
    if (!force_greedy) {
      EXPECT_EQ(r->ier_plan().method(), v1::Plan::EXACT) << what;
      EXPECT_NEAR(r->ier_plan().cost_musd(), 20, 1e-9) << what;
    }
  }
}

TEST(RecommendPropertyTest, UnknownIerIsNotFound) {
  Case c(RecommendModel(coalition::testing::TestSeed(), 6, 2));
  ASSERT_TRUE(c.f.ok());
  RecommendOptions o;
  o.ier = "no such IER";
  EXPECT_EQ(Recommend(*c.f.scenario, o).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(c.f.scenario->depth(), 0u);
}

}  // namespace
}  // namespace coalition::analysis
