// Benchmarks of scenario evaluation: a full gap evaluation against one incremental change.
//   BM_FullEvaluation/EDGES/ELEMENTS   Scenario + ComputePolicyLevels (strict and relaxed) +
//                                      AnalyzeGaps (100 gaps detailed): what `coalition gaps`
//                                      does in-process once the graph is built, the mix resolved
//                                      and the supply chain frozen (those are timed elsewhere).
//   BM_EvaluationBuild/EDGES/ELEMENTS  constructing an Evaluation (levels + gap counts of the
//                                      baseline) on an existing Scenario.
//   BM_ApplyUndo/EDGES/ELEMENTS/KIND   one Evaluation::Apply + reading tally().gaps() + Undo,
//                                      on an Evaluation built once, for one typed change:
//     release  a link (or else a standard) with a releasability list, released to a nation that
//              operates a class whose platform fits (speaks) it and that may not use it yet;
//     fit      a link to a platform type of the mix that does not fit it and speaks a standard
//              the link carries;
//     embargo  the first nation (nation order) whose embargo grounds between one element and a
//              tenth of the mix (a partial embargo; else the first that grounds any).
//   Release and fit candidates are listed in model order (links, then standards; platforms in
//   mix order, then links); the first of the first 200 whose Apply changes the gap count is
//   used, else the first. The change is the benchmark's label.
//
//   bazel run -c opt //engine/analysis:scenario_benchmark -- --benchmark_filter=/1000000/
//
// Sizes: the generated models of 10^4 (mix of 10^2, for the smoke test), 10^6 and 10^7 typed
// edges (mixes of 10^5 elements), engine/testing/benchmark_models.h. Counters: edges/s and
// sweeps (time / one pull sweep over the CSR), pairs (ordered pairs the mix asks), gaps;
// for ApplyUndo: gaps_before / gaps_after (the tally before and after the change), touched
// (classes the scenario reports touched), level_changes (asked class pairs whose strict level
// changed), presence_changes (elements that became absent or present), classes, and
// x_full (time / one BM_FullEvaluation on the same size, measured once when first needed).
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "coalition/v1/change.pb.h"
#include "engine/analysis/evaluation.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/scenario/scenario.h"
#include "engine/scenario/supply_chain.h"
#include "engine/testing/benchmark_models.h"

namespace coalition::analysis {
namespace {

using coalition::testing::Since;

namespace v1 = ::coalition::v1;
using graph::EdgeKind;
using graph::EntityKind;
using graph::NodeId;
using graph::TypedGraph;
using scenario::ClassIndex;
using scenario::Scenario;
using scenario::SupplyChain;
using testing::BenchGraphFor;
using testing::BenchModelFor;

// The graph, resolved mix and supply chain of one size, built once.
struct Fixture {
  const testing::BenchModel* model = nullptr;
  const TypedGraph* graph = nullptr;
  graph::ResolvedMix mix;
  std::unique_ptr<SupplyChain> chain;
  double full_seconds = 0;  // one full evaluation, measured on first use
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
    auto chain = SupplyChain::Build(*f->graph);
    if (!chain.ok()) return nullptr;
    f->chain = std::make_unique<SupplyChain>(std::move(*chain));
    slot = std::move(f);
  }
  return slot.get();
}

int64_t FullEvaluation(const Fixture& f, int64_t* pairs) {
  Scenario s(*f.graph, f.mix, f.chain.get());
  const PolicyLevels levels = ComputePolicyLevels(s);
  const v1::GapReport r = AnalyzeGaps(s, levels, {100});
  if (pairs != nullptr) *pairs = r.pairs_evaluated();
  return r.gaps_total();
}

double FullSeconds(Fixture* f) {
  if (f->full_seconds == 0) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(FullEvaluation(*f, nullptr));
    f->full_seconds = std::max(Since(start), 1e-9);
  }
  return f->full_seconds;
}

// --- The changes ---------------------------------------------------------------------------

// Whether class c would join a channel of link l if its nation could use l.
bool WouldJoin(const Scenario& s, ClassIndex c, uint32_t l) {
  const TypedGraph& g = s.graph();
  if (g.link(l).voice_capable) return true;
  const scenario::Channels& ch = s.channels();
  for (scenario::ChannelIndex x = ch.data_begin(l); x < ch.data_end(l); ++x) {
    const uint32_t st = ch.standard(x);
    if (s.Speaks(s.class_platform(c), st) &&
        s.MayUse(s.class_nation(c), g.Node(EntityKind::kStandard, st))) {
      return true;
    }
  }
  return false;
}

// Release candidates, in order: links (model order) with a releasability list that a class's
// nation may not use although its platform fits the link and would join a channel of it, each
// with the first such nation (nation order); then standards likewise (the class speaks the
// standard and fits a link carrying it that its nation may use).
std::vector<v1::Change> ReleaseCandidates(const Scenario& s) {
  const TypedGraph& g = s.graph();
  const scenario::Channels& ch = s.channels();
  const uint32_t none = UINT32_MAX;
  std::vector<uint32_t> link_nation(g.Count(EntityKind::kLink), none);
  std::vector<uint32_t> standard_nation(g.Count(EntityKind::kStandard), none);
  for (ClassIndex c = 0; c < s.num_classes(); ++c) {
    const uint32_t n = s.class_nation(c), p = s.class_platform(c);
    s.ForEachFit(p, [&](uint32_t l) {
      const NodeId ln = g.Node(EntityKind::kLink, l);
      if (g.Neighbors(ln, EdgeKind::kReleasableTo).empty()) return;
      if (n < link_nation[l] && !s.MayUse(n, ln) && WouldJoin(s, c, l)) link_nation[l] = n;
    });
    s.ForEachFit(p, [&](uint32_t l) {
      if (!s.MayUse(n, g.Node(EntityKind::kLink, l))) return;
      for (scenario::ChannelIndex x = ch.data_begin(l); x < ch.data_end(l); ++x) {
        const uint32_t st = ch.standard(x);
        const NodeId sn = g.Node(EntityKind::kStandard, st);
        if (g.Neighbors(sn, EdgeKind::kReleasableTo).empty()) continue;
        if (n < standard_nation[st] && s.Speaks(p, st) && !s.MayUse(n, sn)) standard_nation[st] = n;
      }
    });
  }
  std::vector<v1::Change> out;
  auto add = [&](v1::Release::ItemKind kind, absl::string_view item, uint32_t n) {
    v1::Release* r = out.emplace_back().mutable_release();
    r->set_item_kind(kind);
    r->set_item(std::string(item));
    r->set_party(std::string(g.Id(EntityKind::kNation, n)));
  };
  for (uint32_t l = 0; l < link_nation.size(); ++l) {
    if (link_nation[l] != none) add(v1::Release::LINK, g.Id(EntityKind::kLink, l), link_nation[l]);
  }
  for (uint32_t st = 0; st < standard_nation.size(); ++st) {
    if (standard_nation[st] != none) {
      add(v1::Release::STANDARD, g.Id(EntityKind::kStandard, st), standard_nation[st]);
    }
  }
  return out;
}

// Fit candidates, in order: the platforms of the mix (first-appearance order), each with the
// links (model order) it does not fit that carry a standard it speaks.
std::vector<v1::Change> FitCandidates(const Scenario& s) {
  const TypedGraph& g = s.graph();
  const scenario::Channels& ch = s.channels();
  std::vector<uint8_t> seen(g.Count(EntityKind::kPlatform));
  std::vector<v1::Change> out;
  for (scenario::ElementIndex e = 0; e < s.num_elements() && out.size() < 1000; ++e) {
    const uint32_t p = s.platform(e);
    if (seen[p]++) continue;
    for (uint32_t l = 0; l < g.Count(EntityKind::kLink); ++l) {
      if (s.Fits(p, l)) continue;
      for (scenario::ChannelIndex x = ch.data_begin(l); x < ch.data_end(l); ++x) {
        if (!s.Speaks(p, ch.standard(x))) continue;
        v1::Fit* fit = out.emplace_back().mutable_fit();
        fit->set_link(std::string(g.Id(EntityKind::kLink, l)));
        fit->set_platform(std::string(g.Id(EntityKind::kPlatform, p)));
        break;
      }
    }
  }
  return out;
}

// The first candidate (of the first 200) whose Apply changes the gap count, else the first.
bool PickChange(Evaluation& ev, const std::vector<v1::Change>& candidates, v1::Change* out) {
  if (candidates.empty()) return false;
  *out = candidates[0];
  const int64_t before = ev.tally().gaps();
  for (size_t i = 0; i < candidates.size() && i < 200; ++i) {
    if (!ev.Apply(candidates[i]).ok()) continue;
    const bool changed = ev.tally().gaps() != before;
    ev.Undo();
    if (changed) {
      *out = candidates[i];
      return true;
    }
  }
  return true;
}

// The first nation (nation order) whose embargo grounds some of the mix's elements but at most
// a tenth of them (a partial embargo; else the first that grounds any, else the first nation
// with suppliers).
bool EmbargoChange(const Fixture& f, v1::Change* out) {
  std::vector<int64_t> elements_of(f.graph->Count(EntityKind::kPlatform));
  for (uint32_t p : f.mix.platform) ++elements_of[p];
  const uint32_t none = UINT32_MAX;
  uint32_t pick = none, any = none, fallback = none;
  for (uint32_t n = 0; n < f.graph->Count(EntityKind::kNation); ++n) {
    if (fallback == none && !f.chain->SuppliersOf(n).empty()) fallback = n;
  }
  const scenario::Availability baseline = f.chain->Compute({});
  f.chain->ForEachNationEmbargo(
        baseline, {},
        [&](uint32_t n, absl::Span<const uint32_t> platforms, absl::Span<const uint32_t>) {
    int64_t grounded = 0;
    for (uint32_t p : platforms) grounded += elements_of[p];
    if (grounded == 0) return;
    if (any == none) any = n;
    if (pick == none && grounded * 10 <= static_cast<int64_t>(f.mix.size())) pick = n;
  });
  if (pick == none) pick = any != none ? any : fallback;
  if (pick == none) return false;
  out->mutable_embargo()->set_nation(std::string(f.graph->Id(EntityKind::kNation, pick)));
  return true;
}

enum Kind { kRelease = 0, kFit = 1, kEmbargo = 2 };
const char* const kKindNames[] = {"release", "fit", "embargo"};

// --- Benchmarks -----------------------------------------------------------------------------

void BM_FullEvaluation(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const int elements = static_cast<int>(state.range(1));
  Fixture* f = FixtureFor(edges, elements);
  if (f == nullptr) return state.SkipWithError("model setup failed");
  const double sweep = testing::PullSweepSeconds(*f->graph);
  int64_t pairs = 0, gaps = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    gaps = FullEvaluation(*f, &pairs);
    benchmark::DoNotOptimize(gaps);
  }
  const double per_iter = Since(start) / state.iterations();
  if (f->full_seconds == 0) f->full_seconds = per_iter;
  testing::SetCommonCounters(state, f->model->edges, per_iter, sweep);
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["gaps"] = static_cast<double>(gaps);
  state.counters["pairs/s"] = benchmark::Counter(
      static_cast<double>(pairs) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_EvaluationBuild(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const int elements = static_cast<int>(state.range(1));
  Fixture* f = FixtureFor(edges, elements);
  if (f == nullptr) return state.SkipWithError("model setup failed");
  const double sweep = testing::PullSweepSeconds(*f->graph);
  Scenario s(*f->graph, f->mix, f->chain.get());
  int64_t gaps = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    Evaluation ev(s);
    gaps = ev.tally().gaps();
    benchmark::DoNotOptimize(gaps);
  }
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, f->model->edges, per_iter, sweep);
  state.counters["gaps"] = static_cast<double>(gaps);
  state.counters["classes"] = static_cast<double>(s.num_classes());
  state.counters["x_full"] = per_iter / FullSeconds(f);
}

void BM_ApplyUndo(benchmark::State& state, Kind kind, int64_t edges, int elements) {
  Fixture* f = FixtureFor(edges, elements);
  if (f == nullptr) return state.SkipWithError("model setup failed");
  Scenario s(*f->graph, f->mix, f->chain.get());
  Evaluation ev(s);
  v1::Change change;
  const bool found = kind == kRelease ? PickChange(ev, ReleaseCandidates(s), &change)
                     : kind == kFit   ? PickChange(ev, FitCandidates(s), &change)
                                      : EmbargoChange(*f, &change);
  if (!found) return state.SkipWithError("no suitable change in this model");
  state.SetLabel(change.ShortDebugString());

  // One Apply outside the timing, for the counters.
  const int64_t gaps_before = ev.tally().gaps();
  std::vector<uint8_t> present(s.num_elements());
  for (scenario::ElementIndex e = 0; e < s.num_elements(); ++e) present[e] = s.present(e);
  absl::StatusOr<scenario::Applied> applied = ev.Apply(change);
  if (!applied.ok()) return state.SkipWithError(applied.status().ToString().c_str());
  const int64_t gaps_after = ev.tally().gaps();
  int64_t presence_changes = 0;
  for (scenario::ElementIndex e = 0; e < present.size(); ++e) {
    presence_changes += present[e] != s.present(e);
  }
  const size_t touched = applied->touched_classes.size();
  const size_t level_changes = ev.last_level_changes().size();
  ev.Undo();
  if (ev.tally().gaps() != gaps_before) return state.SkipWithError("Undo did not restore the tally");

  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    absl::StatusOr<scenario::Applied> a = ev.Apply(change);
    benchmark::DoNotOptimize(a.ok());
    benchmark::DoNotOptimize(ev.tally().gaps());
    ev.Undo();
  }
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, f->model->edges, per_iter,
                             testing::PullSweepSeconds(*f->graph));
  state.counters["gaps_before"] = static_cast<double>(gaps_before);
  state.counters["gaps_after"] = static_cast<double>(gaps_after);
  state.counters["touched"] = static_cast<double>(touched);
  state.counters["level_changes"] = static_cast<double>(level_changes);
  state.counters["presence_changes"] = static_cast<double>(presence_changes);
  state.counters["classes"] = static_cast<double>(s.num_classes());
  state.counters["x_full"] = per_iter / FullSeconds(f);
}

// (edges, elements): the smoke-test size, then 10^6 and 10^7 edges with 10^5 elements.
constexpr std::pair<int64_t, int> kSizes[] = {
    {10'000, 100}, {1'000'000, 100'000}, {10'000'000, 100'000}};

void Sizes(benchmark::internal::Benchmark* b) {
  for (const auto& [edges, elements] : kSizes) b->Args({edges, elements});
}

BENCHMARK(BM_FullEvaluation)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EvaluationBuild)->Apply(Sizes)->Unit(benchmark::kMillisecond)->UseRealTime();

// BM_ApplyUndo/EDGES/ELEMENTS/KIND, registered by name so that KIND reads as a word.
const bool kApplyUndoRegistered = [] {
  for (const auto& [edges, elements] : kSizes) {
    for (Kind kind : {kRelease, kFit, kEmbargo}) {
      const std::string name =
          absl::StrCat("BM_ApplyUndo/", edges, "/", elements, "/", kKindNames[kind]);
      benchmark::RegisterBenchmark(name.c_str(), BM_ApplyUndo, kind, edges, elements)
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
    }
  }
  return true;
}();

}  // namespace
}  // namespace coalition::analysis
