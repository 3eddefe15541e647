// Benchmarks of the recommender (recommend.h, SPEC §6) against one full gap evaluation.
//   BM_FullGapEvaluation/EDGES/ELEMENTS  Scenario + ComputePolicyLevels (strict and relaxed) +
//                                        AnalyzeGaps (100 gaps detailed): the unit the
//                                        recommender's cost is measured in (x_full).
//   BM_GenerateCandidates/EDGES/ELEMENTS GenerateCandidates alone (levels + gap report + the
//                                        candidates), on an existing Scenario.
//   BM_MeasureCandidates/EDGES/ELEMENTS  an Evaluation of the baseline, then every generated
//                                        candidate applied and undone once: Recommend's measuring
//                                        phase, and its unit (us/candidate) for the searches.
//   BM_RecommendGreedy/EDGES/ELEMENTS    Scenario + Recommend with max_exact_candidates = 0 (the
//                                        greedy plan), within the mix's budget (500 when the mix
//                                        gives none).
//   BM_RecommendExact/EDGES/ELEMENTS     the same with the default limits (exact branch and bound
//                                        when the useful candidates number <= 40 and it finishes
//                                        within 200k nodes / 10 s, else greedy).
// The scenario is built without a supply chain, as `coalition recommend` builds it, for all four
// (so x_full compares like with like).
//
//   bazel run -c opt //engine/analysis:recommend_benchmark -- --benchmark_filter=/1000000/
//
// Sizes: the generated models (engine/testing/benchmark_models.h) of 10^4 typed edges with a mix
// of 10^2 elements (the smoke test) and 10^6 edges with a mix of 10^3 elements. The issue's
// target: a greedy plan within 30 x one full gap evaluation, with ~10^3 candidates.
//
// Counters: x_full (time / one BM_FullGapEvaluation at the same size, measured once when first
// needed), gaps (baseline gaps), pairs; for the Recommend benchmarks: generated / useful
// (candidates), method (1 EXACT, 2 GREEDY), nodes (exact search nodes), steps, closed (gaps the
// plan closes), bound, cost (USD M), budget; the label says why a search stopped short.
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "coalition/v1/recommend.pb.h"
#include "engine/analysis/evaluation.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/recommend.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/scenario/scenario.h"
#include "engine/testing/benchmark_models.h"

namespace coalition::analysis {
namespace {

using coalition::testing::Since;

namespace v1 = ::coalition::v1;
using graph::TypedGraph;
using scenario::Scenario;
using testing::BenchGraphFor;
using testing::BenchModelFor;

// The graph and resolved mix of one size, built once.
struct Fixture {
  const testing::BenchModel* model = nullptr;
  const TypedGraph* graph = nullptr;
  graph::ResolvedMix mix;
  double full_seconds = 0;  // one full gap evaluation, measured on first use
};

Fixture* FixtureFor(int64_t edges, int elements) {
  static auto* cache = new std::map<std::pair<int64_t, int>, std::unique_ptr<Fixture>>();
  auto& slot = (*cache)[{edges, elements}];
  if (slot == nullptr) {
    auto f = std::make_unique<Fixture>();
    f->model = &BenchModelFor(edges, elements);
    f->graph = &BenchGraphFor(edges, elements);
    auto mix = graph::ResolveMix(*f->graph, f->model->model.mixes(0));
    if (!mix.ok()) return nullptr;
    f->mix = std::move(*mix);
    slot = std::move(f);
  }
  return slot.get();
}

int64_t FullGapEvaluation(const Fixture& f, int64_t* pairs) {
  Scenario s(*f.graph, f.mix, /*chain=*/nullptr);
  const PolicyLevels levels = ComputePolicyLevels(s);
  const v1::GapReport r = AnalyzeGaps(s, levels, {100});
  if (pairs != nullptr) *pairs = r.pairs_evaluated();
  return r.gaps_total();
}

double FullSeconds(Fixture* f) {
  if (f->full_seconds == 0) {
    // The best of 3, so a cold first run does not flatter x_full.
    double best = 1e300;
    for (int i = 0; i < 3; ++i) {
      const auto start = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(FullGapEvaluation(*f, nullptr));
      best = std::min(best, Since(start));
    }
    f->full_seconds = std::max(best, 1e-9);
  }
  return f->full_seconds;
}

double Budget(const Fixture& f) {
  return f.model->model.mixes(0).budget_musd() > 0 ? f.model->model.mixes(0).budget_musd() : 500;
}

// --- Benchmarks -----------------------------------------------------------------------------

void BM_FullGapEvaluation(benchmark::State& state) {
  Fixture* f = FixtureFor(state.range(0), static_cast<int>(state.range(1)));
  if (f == nullptr) return state.SkipWithError("model setup failed");
  int64_t pairs = 0, gaps = 0;
  for (auto _ : state) {
    gaps = FullGapEvaluation(*f, &pairs);
    benchmark::DoNotOptimize(gaps);
  }
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["gaps"] = static_cast<double>(gaps);
  state.counters["x_full"] = 1;
}

void BM_GenerateCandidates(benchmark::State& state) {
  Fixture* f = FixtureFor(state.range(0), static_cast<int>(state.range(1)));
  if (f == nullptr) return state.SkipWithError("model setup failed");
  Scenario s(*f->graph, f->mix, nullptr);
  size_t generated = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    generated = GenerateCandidates(s, RecommendOptions().max_gaps_scanned).size();
    benchmark::DoNotOptimize(generated);
  }
  const double per_iter = Since(start) / static_cast<double>(state.iterations());
  state.counters["generated"] = static_cast<double>(generated);
  state.counters["x_full"] = per_iter / FullSeconds(f);
}

// Recommend's phase 1 without the plan: an Evaluation of the baseline, then every generated
// candidate applied and undone once (its gain alone). us/candidate is the unit of the searches:
// greedy re-measures every useful candidate at each of its steps.
void BM_MeasureCandidates(benchmark::State& state) {
  Fixture* f = FixtureFor(state.range(0), static_cast<int>(state.range(1)));
  if (f == nullptr) return state.SkipWithError("model setup failed");
  Scenario s(*f->graph, f->mix, nullptr);
  const std::vector<v1::Candidate> candidates =
      GenerateCandidates(s, RecommendOptions().max_gaps_scanned);
  int64_t changes = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    Evaluation ev(s);
    changes = 0;
    for (const v1::Candidate& c : candidates) {
      int applied = 0;
      for (const v1::Change& ch : c.changes()) applied += ev.Apply(ch).ok();
      benchmark::DoNotOptimize(ev.tally().gaps());
      for (; applied > 0; --applied) ev.Undo();
      changes += c.changes_size();
    }
  }
  const double per_iter = Since(start) / static_cast<double>(state.iterations());
  state.counters["generated"] = static_cast<double>(candidates.size());
  state.counters["changes"] = static_cast<double>(changes);
  state.counters["us/candidate"] =
      per_iter * 1e6 / static_cast<double>(std::max<size_t>(candidates.size(), 1));
  state.counters["x_full"] = per_iter / FullSeconds(f);
}

void RunRecommend(benchmark::State& state, const RecommendOptions& options) {
  Fixture* f = FixtureFor(state.range(0), static_cast<int>(state.range(1)));
  if (f == nullptr) return state.SkipWithError("model setup failed");
  v1::RecommendReport r;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    Scenario s(*f->graph, f->mix, nullptr);
    absl::StatusOr<v1::RecommendReport> got = Recommend(s, options);
    if (!got.ok()) return state.SkipWithError(got.status().ToString().c_str());
    r = std::move(*got);
    benchmark::DoNotOptimize(r.plan().gaps_closed());
  }
  const double per_iter = Since(start) / static_cast<double>(state.iterations());
  const v1::Plan& p = r.plan();
  state.counters["x_full"] = per_iter / FullSeconds(f);
  state.counters["gaps"] = static_cast<double>(r.gaps_before());
  state.counters["generated"] = static_cast<double>(r.candidates_generated());
  state.counters["useful"] = static_cast<double>(r.candidates_useful());
  state.counters["method"] = static_cast<double>(p.method());
  state.counters["nodes"] = static_cast<double>(p.nodes());
  state.counters["steps"] = static_cast<double>(p.steps_size());
  state.counters["closed"] = static_cast<double>(p.gaps_closed());
  state.counters["bound"] = static_cast<double>(p.bound());
  state.counters["cost"] = p.cost_musd();
  state.counters["budget"] = p.budget_musd();
  state.SetLabel(absl::StrCat(v1::Plan::Method_Name(p.method()),
                              p.stopped_by().empty() ? "" : " stopped by ", p.stopped_by()));
}

void BM_RecommendGreedy(benchmark::State& state) {
  Fixture* f = FixtureFor(state.range(0), static_cast<int>(state.range(1)));
  if (f == nullptr) return state.SkipWithError("model setup failed");
  RecommendOptions o;
  o.budget_musd = Budget(*f);
  o.max_exact_candidates = 0;
  RunRecommend(state, o);
}

void BM_RecommendExact(benchmark::State& state) {
  Fixture* f = FixtureFor(state.range(0), static_cast<int>(state.range(1)));
  if (f == nullptr) return state.SkipWithError("model setup failed");
  RecommendOptions o;
  o.budget_musd = Budget(*f);
  RunRecommend(state, o);
}

// (edges, elements): the smoke-test size, then 10^6 edges with a mix of 10^3 elements.
constexpr std::pair<int64_t, int> kSizes[] = {{10'000, 100}, {1'000'000, 1'000}};

void Sizes(benchmark::internal::Benchmark* b) {
  for (const auto& [edges, elements] : kSizes) b->Args({edges, elements});
}

BENCHMARK(BM_FullGapEvaluation)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GenerateCandidates)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MeasureCandidates)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RecommendGreedy)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RecommendExact)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace coalition::analysis
