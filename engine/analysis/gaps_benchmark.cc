// Benchmarks of the gap analysis and, in the same binary, its floors (issue 6):
//   BM_GapAnalysis/EDGES/ELEMENTS  the scenario, strict and policy-relaxed InteropLevels +
//                                  AnalyzeGaps (max_gaps 100) for the generated mix, resolved
//                                  beforehand; scenario_ms (the scenario alone) and
//                                  x_pair_floor_no_scenario (the ratio without it) beside
//   BM_GapPhases/EDGES/ELEMENTS    the same, phase by phase (counters in ms; the levels derive
//                                  a class on its first query, so gaps0_ms includes deriving the
//                                  classes the IERs name), and the mix's classes, those the IERs
//                                  name (asked_classes, their platforms) and gateway classes
//   BM_ResolveMix/EDGES/ELEMENTS   ResolveMix alone (element ids and selectors -> indices)
//   BM_InteropLevels/EDGES/ELEMENTS  one InteropLevels::Compute (strict) alone
//   BM_NestedUnionFind/EDGES/ELEMENTS
//                                  floor: a plain nested union-find over the same element-channel
//                                  edge array (plus the channel-channel bridges), thresholds
//                                  3, 2, 1, and a find for every element after each threshold.
//                                  It ignores the "elements are not relays" rule, so it is a cost
//                                  floor, not a correct answer.
//   BM_PairFloor/EDGES/ELEMENTS    floor that answers the question (issue 15): the nested
//                                  union-find above keeping each element's root after each
//                                  threshold, then every ordered pair the IERs ask answered with
//                                  one comparison per threshold (a find per element, a
//                                  comparison per pair) and counted below min_level. Same
//                                  relaying caveat; strict policy only. Like the union-find
//                                  floor it starts from the element-channel edge array built
//                                  beforehand (input_ms: what building it took, once): the
//                                  analysis derives its joins inside its time.
//   BM_PullSweep/EDGES             floor: one pull sweep over the model's built CSR
//
//   bazel run -c opt //engine/analysis:gaps_benchmark -- --benchmark_repetitions=5
//
// Sizes: models of 10^4 .. 10^7 typed edges with mixes of 10^2 .. 10^5 elements (the mix's
// IERs ask about 20 x elements ordered pairs at most; engine/generate). Counters: pairs/s
// (ordered pairs evaluated), edges/s (typed model edges), uf_edges (element-channel +
// bridge edges of the floor), x_union_find (time / the union-find floor on the same mix),
// sweeps (time / one pull sweep), x_pair_floor (time / the pair-answering floor on the same mix).
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "engine/analysis/gaps.h"
#include "engine/analysis/interop.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/testing/benchmark_models.h"

namespace coalition::analysis {
namespace {

using coalition::testing::Since;

using graph::EdgeKind;
using graph::EntityKind;
using graph::NodeId;
using graph::TypedGraph;
using testing::BenchGraphFor;
using testing::BenchModelFor;

// The element-channel edge array of a mix (SPEC §2 joins, releasability applied) and the
// channel-channel bridges, bucketed by level. Nodes: elements 0..E-1, then channels.
struct UfInput {
  uint32_t nodes = 0;
  uint32_t elements = 0;
  std::vector<std::pair<uint32_t, uint32_t>> by_level[4];  // index = level 1..3
  size_t edges() const { return by_level[1].size() + by_level[2].size() + by_level[3].size(); }
};

UfInput BuildUfInput(const TypedGraph& g, const graph::ResolvedMix& mix) {
  UfInput in;
  const uint32_t num_links = g.Count(EntityKind::kLink);
  std::vector<uint32_t> link_begin(num_links + 1, 0), voice(num_links, UINT32_MAX);
  std::vector<uint32_t> channel_standard;
  for (uint32_t l = 0; l < num_links; ++l) {
    link_begin[l] = static_cast<uint32_t>(channel_standard.size());
    for (NodeId s : g.Neighbors(g.Node(EntityKind::kLink, l), EdgeKind::kCarries)) {
      channel_standard.push_back(g.Local(s));
    }
  }
  link_begin[num_links] = static_cast<uint32_t>(channel_standard.size());
  uint32_t channels = link_begin[num_links];
  for (uint32_t l = 0; l < num_links; ++l) {
    if (g.link(l).voice_capable) voice[l] = channels++;
  }
  in.elements = mix.size();
  in.nodes = mix.size() + channels;
  std::vector<uint32_t> speaks(g.Count(EntityKind::kStandard), UINT32_MAX);
  std::vector<uint32_t> joined;
  for (uint32_t e = 0; e < mix.size(); ++e) {
    const NodeId p = g.Node(EntityKind::kPlatform, mix.platform[e]);
    for (NodeId s : g.Neighbors(p, EdgeKind::kSpeaks)) {
      if (graph::MayUse(g, mix.nation[e], s)) speaks[g.Local(s)] = e;
    }
    joined.clear();
    for (NodeId ln : g.Neighbors(p, EdgeKind::kFits)) {
      if (!graph::MayUse(g, mix.nation[e], ln)) continue;
      const uint32_t l = g.Local(ln);
      for (uint32_t ch = link_begin[l]; ch < link_begin[l + 1]; ++ch) {
        if (speaks[channel_standard[ch]] == e) {
          in.by_level[3].push_back({e, mix.size() + ch});
          joined.push_back(ch);
        }
      }
      if (voice[l] != UINT32_MAX) in.by_level[1].push_back({e, mix.size() + voice[l]});
    }
    // Gateway bridges: the element's channels with the gateway's two standards.
    for (const graph::GatewayRow& gw : g.gateways(mix.platform[e])) {
      const int level = std::min(gw.level_cap, 3);
      uint32_t first = UINT32_MAX;
      for (uint32_t ch : joined) {
        if (channel_standard[ch] != gw.standard_a && channel_standard[ch] != gw.standard_b) {
          continue;
        }
        if (first == UINT32_MAX) {
          first = ch;
        } else {
          in.by_level[level].push_back({mix.size() + first, mix.size() + ch});
        }
      }
    }
  }
  // Version bridges: same link, same family.
  for (uint32_t l = 0; l < num_links; ++l) {
    for (uint32_t x = link_begin[l]; x < link_begin[l + 1]; ++x) {
      for (uint32_t y = x + 1; y < link_begin[l + 1]; ++y) {
        if (g.standard(channel_standard[x]).family == g.standard(channel_standard[y]).family) {
          in.by_level[2].push_back({mix.size() + x, mix.size() + y});
        }
      }
    }
  }
  return in;
}

// Plain union-find: union by size, path halving.
uint64_t NestedUnionFind(const UfInput& in, std::vector<uint32_t>* parent,
                         std::vector<uint32_t>* size, std::vector<uint32_t>* snapshot) {
  std::iota(parent->begin(), parent->end(), 0u);
  std::fill(size->begin(), size->end(), 1u);
  auto find = [&](uint32_t x) {
    while ((*parent)[x] != x) {
      (*parent)[x] = (*parent)[(*parent)[x]];
      x = (*parent)[x];
    }
    return x;
  };
  uint64_t checksum = 0;
  for (int t = 3; t >= 1; --t) {
    for (auto [a, b] : in.by_level[t]) {
      uint32_t ra = find(a), rb = find(b);
      if (ra == rb) continue;
      if ((*size)[ra] < (*size)[rb]) std::swap(ra, rb);
      (*parent)[rb] = ra;
      (*size)[ra] += (*size)[rb];
    }
    for (uint32_t e = 0; e < in.elements; ++e) checksum += (*snapshot)[e] = find(e);
  }
  return checksum;
}

// The pair-answering floor: NestedUnionFind keeping roots[(t - 1) * E + e] (element e's root
// after threshold t), then one comparison per threshold for every ordered pair the IERs ask.
// Returns the number of pairs below their IER's min_level.
uint64_t PairFloor(const UfInput& in, const graph::ResolvedMix& mix, std::vector<uint32_t>* parent,
                   std::vector<uint32_t>* size, std::vector<uint32_t>* roots) {
  std::iota(parent->begin(), parent->end(), 0u);
  std::fill(size->begin(), size->end(), 1u);
  auto find = [&](uint32_t x) {
    while ((*parent)[x] != x) {
      (*parent)[x] = (*parent)[(*parent)[x]];
      x = (*parent)[x];
    }
    return x;
  };
  const uint32_t n = in.elements;
  for (int t = 3; t >= 1; --t) {
    for (auto [a, b] : in.by_level[t]) {
      uint32_t ra = find(a), rb = find(b);
      if (ra == rb) continue;
      if ((*size)[ra] < (*size)[rb]) std::swap(ra, rb);
      (*parent)[rb] = ra;
      (*size)[ra] += (*size)[rb];
    }
    uint32_t* r = roots->data() + static_cast<size_t>(t - 1) * n;
    for (uint32_t e = 0; e < n; ++e) r[e] = find(e);
  }
  const uint32_t* r1 = roots->data();
  const uint32_t* r2 = r1 + n;
  const uint32_t* r3 = r2 + n;
  uint64_t below = 0;
  for (const graph::ResolvedIer& ier : mix.iers) {
    for (uint32_t a : ier.from) {
      for (uint32_t b : ier.to) {
        if (a == b) continue;
        const int level = r3[a] == r3[b] ? 3 : r2[a] == r2[b] ? 2 : r1[a] == r1[b] ? 1 : 0;
        below += level < ier.min_level;
      }
    }
  }
  return below;
}

// One cached union-find input and its floor times per (edges, elements).
struct Floor {
  UfInput input;
  graph::ResolvedMix mix;
  double seconds = 0;       // NestedUnionFind, fastest of 5
  double pair_seconds = 0;  // PairFloor, fastest of 5
  double input_seconds = 0;  // BuildUfInput once (not part of either floor's time)
};

const Floor& FloorFor(int64_t edges, int elements) {
  static auto* cache = new std::map<std::pair<int64_t, int>, std::unique_ptr<Floor>>();
  auto& slot = (*cache)[{edges, elements}];
  if (slot == nullptr) {
    const TypedGraph& g = BenchGraphFor(edges, elements);
    auto mix = graph::ResolveMix(g, BenchModelFor(edges, elements).model.mixes(0));
    if (!mix.ok()) std::abort();
    slot = std::make_unique<Floor>();
    const auto input_start = std::chrono::steady_clock::now();
    slot->input = BuildUfInput(g, *mix);
    slot->input_seconds = Since(input_start);
    slot->mix = *std::move(mix);
    std::vector<uint32_t> parent(slot->input.nodes), size(slot->input.nodes),
        snapshot(slot->input.elements), roots(3 * size_t{slot->input.elements});
    double best = 1e300, best_pairs = 1e300;
    for (int run = 0; run < 5; ++run) {
      auto start = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(NestedUnionFind(slot->input, &parent, &size, &snapshot));
      best = std::min(best, Since(start));
      start = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(PairFloor(slot->input, slot->mix, &parent, &size, &roots));
      best_pairs = std::min(best_pairs, Since(start));
    }
    slot->seconds = std::max(best, 1e-9);
    slot->pair_seconds = std::max(best_pairs, 1e-9);
  }
  return *slot;
}

// What both gap-analysis benchmarks time: the baseline scenario, both level sets, the report.
coalition::v1::GapReport AnalyseMix(const TypedGraph& g, const graph::ResolvedMix& mix) {
  const scenario::Scenario s(g, mix, /*chain=*/nullptr);
  const PolicyLevels levels = ComputePolicyLevels(s);
  return AnalyzeGaps(s, levels, {100});
}

void BM_GapAnalysis(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const int elements = static_cast<int>(state.range(1));
  const testing::BenchModel& m = BenchModelFor(edges, elements);
  const TypedGraph& g = BenchGraphFor(edges, elements);
  const double sweep = testing::PullSweepSeconds(g);
  const Floor& floor = FloorFor(edges, elements);
  int64_t pairs = 0;
  auto mix = graph::ResolveMix(g, m.model.mixes(0));
  if (!mix.ok()) return state.SkipWithError("ResolveMix failed");
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    coalition::v1::GapReport r = AnalyseMix(g, *mix);
    pairs = r.pairs_evaluated();
    benchmark::DoNotOptimize(r);
  }
  const double per_iter = Since(start) / state.iterations();
  // The scenario alone (part of the time above; the floor's edge array is built outside its
  // timing), fastest of 3, so that the ratio without it can be read too.
  double scenario_seconds = 1e300;
  for (int run = 0; run < 3; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    const scenario::Scenario s(g, *mix, /*chain=*/nullptr);
    benchmark::DoNotOptimize(s.num_classes());
    scenario_seconds = std::min(scenario_seconds, Since(t0));
  }
  testing::SetCommonCounters(state, m.edges, per_iter, sweep);
  state.counters["scenario_ms"] = 1e3 * scenario_seconds;
  state.counters["x_pair_floor_no_scenario"] =
      std::max(per_iter - scenario_seconds, 0.0) / floor.pair_seconds;
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["pairs/s"] = benchmark::Counter(
      static_cast<double>(pairs) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
  state.counters["uf_edges"] = static_cast<double>(floor.input.edges());
  state.counters["x_union_find"] = per_iter / floor.seconds;
  state.counters["x_pair_floor"] = per_iter / floor.pair_seconds;
}

// Where BM_GapAnalysis's time goes, phase by phase (ms per phase, counters): the scenario, the
// strict and the relaxed levels computed apart (ComputePolicyLevels shares one membership pass
// between them and costs less than their sum), AnalyzeGaps with no gap listed and with 100.
void BM_GapPhases(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const int elements = static_cast<int>(state.range(1));
  const testing::BenchModel& m = BenchModelFor(edges, elements);
  const TypedGraph& g = BenchGraphFor(edges, elements);
  auto mix = graph::ResolveMix(g, m.model.mixes(0));
  if (!mix.ok()) return state.SkipWithError("ResolveMix failed");
  double t_scn = 0, t_strict = 0, t_relaxed = 0, t_gaps = 0, t_gaps0 = 0;
  int64_t n = 0;
  uint32_t classes = 0, channels = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    const scenario::Scenario s(g, *mix, nullptr);
    t_scn += Since(t0);
    t0 = std::chrono::steady_clock::now();
    InteropLevels strict = InteropLevels::Compute(s, false);
    t_strict += Since(t0);
    t0 = std::chrono::steady_clock::now();
    InteropLevels relaxed = InteropLevels::Compute(s, true);
    t_relaxed += Since(t0);
    PolicyLevels lv{std::move(strict), std::move(relaxed)};
    t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(AnalyzeGaps(s, lv, {0}));
    t_gaps0 += Since(t0);
    t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(AnalyzeGaps(s, lv, {100}));
    t_gaps += Since(t0);
    classes = s.num_classes();
    channels = s.channels().size();
    ++n;
  }
  {
    // The element classes the IERs name (what the analysis needs levels of).
    const scenario::Scenario s(g, *mix, nullptr);
    std::vector<uint8_t> asked(s.num_classes(), 0);
    std::vector<uint8_t> asked_platform(g.Count(EntityKind::kPlatform), 0);
    uint32_t n_asked = 0, n_platforms = 0, n_gateway = 0;
    for (uint32_t k = 0; k < s.num_iers(); ++k) {
      for (int side = 0; side < 2; ++side) {
        s.ForEachMember(k, side, [&](ElementIndex e) {
          const ClassIndex c = s.class_of(e);
          if (asked[c]) return;
          asked[c] = 1;
          ++n_asked;
          if (!asked_platform[s.class_platform(c)]) {
            asked_platform[s.class_platform(c)] = 1;
            ++n_platforms;
          }
        });
      }
    }
    for (ClassIndex c = 0; c < s.num_classes(); ++c) {
      n_gateway += !g.gateways(s.class_platform(c)).empty();
    }
    // Class pairs the analysis evaluates: per IER, distinct from classes x distinct to classes.
    double class_pairs = 0;
    for (uint32_t k = 0; k < s.num_iers(); ++k) {
      std::vector<ClassIndex> side[2];
      for (int x = 0; x < 2; ++x) {
        s.ForEachMember(k, x, [&](ElementIndex e) { side[x].push_back(s.class_of(e)); });
        std::sort(side[x].begin(), side[x].end());
        side[x].erase(std::unique(side[x].begin(), side[x].end()), side[x].end());
      }
      class_pairs += static_cast<double>(side[0].size()) * static_cast<double>(side[1].size());
    }
    state.counters["class_pairs"] = class_pairs;
    state.counters["asked_classes"] = n_asked;
    state.counters["asked_platforms"] = n_platforms;
    state.counters["gateway_classes"] = n_gateway;
  }
  state.counters["classes"] = classes;
  state.counters["channels"] = channels;
  state.counters["scenario_ms"] = 1e3 * t_scn / n;
  state.counters["strict_ms"] = 1e3 * t_strict / n;
  state.counters["relaxed_ms"] = 1e3 * t_relaxed / n;
  state.counters["gaps0_ms"] = 1e3 * t_gaps0 / n;
  state.counters["gaps100_ms"] = 1e3 * t_gaps / n;
}
BENCHMARK(BM_GapPhases)
    ->Args({100'000, 1'000})
    ->Args({1'000'000, 10'000})
    ->Args({1'000'000, 100'000})
    ->Args({10'000'000, 100'000})
    ->Unit(benchmark::kMillisecond);

// The same IERs asked as coverage (SPEC §3): every IER EACH_TO (range 2 = 1) or EACH_FROM (2),
// over the same elements — they ask the same pairs as BM_GapAnalysis and must cost no more.
// Counters: x_all_pairs = this time / the ALL_PAIRS analysis of the same mix (measured here).
void BM_GapAnalysisCoverage(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const int elements = static_cast<int>(state.range(1));
  const testing::BenchModel& m = BenchModelFor(edges, elements);
  const TypedGraph& g = BenchGraphFor(edges, elements);
  coalition::v1::ForceMix covered = m.model.mixes(0);
  for (auto& ier : *covered.mutable_iers()) {
    ier.set_coverage(state.range(2) == 1 ? coalition::v1::EACH_TO : coalition::v1::EACH_FROM);
  }
  auto all_pairs = graph::ResolveMix(g, m.model.mixes(0));
  auto mix = graph::ResolveMix(g, covered);
  if (!mix.ok() || !all_pairs.ok()) return state.SkipWithError("ResolveMix failed");
  double all_pairs_seconds = 1e300;
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(AnalyseMix(g, *all_pairs));
    all_pairs_seconds = std::min(all_pairs_seconds, Since(start));
  }
  int64_t units = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    coalition::v1::GapReport r = AnalyseMix(g, *mix);
    units = r.pairs_evaluated();
    benchmark::DoNotOptimize(r);
  }
  const double per_iter = Since(start) / state.iterations();
  state.counters["units"] = static_cast<double>(units);
  state.counters["x_all_pairs"] = per_iter / std::max(all_pairs_seconds, 1e-9);
}

void CoverageSizes(benchmark::internal::Benchmark* b) {
  for (int kind : {1, 2}) {
    b->Args({10'000, 100, kind});
    b->Args({100'000, 1'000, kind});
    b->Args({1'000'000, 10'000, kind});
    b->Args({10'000'000, 100'000, kind});
  }
}

void BM_ResolveMix(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const int elements = static_cast<int>(state.range(1));
  const testing::BenchModel& m = BenchModelFor(edges, elements);
  const TypedGraph& g = BenchGraphFor(edges, elements);
  const Floor& floor = FloorFor(edges, elements);
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto mix = graph::ResolveMix(g, m.model.mixes(0));
    if (!mix.ok()) return state.SkipWithError("ResolveMix failed");
    benchmark::DoNotOptimize(mix->size());
  }
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, m.edges, per_iter, testing::PullSweepSeconds(g));
  state.counters["x_union_find"] = per_iter / floor.seconds;
}

void BM_InteropLevels(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const int elements = static_cast<int>(state.range(1));
  const testing::BenchModel& m = BenchModelFor(edges, elements);
  const TypedGraph& g = BenchGraphFor(edges, elements);
  const Floor& floor = FloorFor(edges, elements);
  auto mix = graph::ResolveMix(g, m.model.mixes(0));
  if (!mix.ok()) return state.SkipWithError("ResolveMix failed");
  const auto start = std::chrono::steady_clock::now();
  const scenario::Scenario s(g, *mix, /*chain=*/nullptr);
  for (auto _ : state) {
    InteropLevels strict = InteropLevels::Compute(s, /*relax_policy=*/false);
    benchmark::DoNotOptimize(strict.num_classes());
  }
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, m.edges, per_iter, testing::PullSweepSeconds(g));
  state.counters["x_union_find"] = per_iter / floor.seconds;
}

void BM_NestedUnionFind(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const int elements = static_cast<int>(state.range(1));
  const Floor& floor = FloorFor(edges, elements);
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(edges, elements));
  std::vector<uint32_t> parent(floor.input.nodes), size(floor.input.nodes),
      snapshot(floor.input.elements);
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    benchmark::DoNotOptimize(NestedUnionFind(floor.input, &parent, &size, &snapshot));
  }
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, BenchModelFor(edges, elements).edges, per_iter, sweep);
  state.counters["uf_edges"] = static_cast<double>(floor.input.edges());
  state.counters["uf_edges/s"] = benchmark::Counter(
      static_cast<double>(floor.input.edges()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_PairFloor(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const int elements = static_cast<int>(state.range(1));
  const Floor& floor = FloorFor(edges, elements);
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(edges, elements));
  std::vector<uint32_t> parent(floor.input.nodes), size(floor.input.nodes),
      roots(3 * size_t{floor.input.elements});
  uint64_t below = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    below = PairFloor(floor.input, floor.mix, &parent, &size, &roots);
    benchmark::DoNotOptimize(below);
  }
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, BenchModelFor(edges, elements).edges, per_iter, sweep);
  int64_t pairs = 0;
  for (const graph::ResolvedIer& ier : floor.mix.iers) {
    pairs += static_cast<int64_t>(ier.from.size()) * static_cast<int64_t>(ier.to.size());
  }
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["below_min"] = static_cast<double>(below);
  state.counters["input_ms"] = 1e3 * floor.input_seconds;
  state.counters["x_union_find"] = per_iter / floor.seconds;
}

void BM_PullSweep(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const TypedGraph& g = BenchGraphFor(edges, 100);
  std::vector<uint32_t> x(g.num_nodes()), y(g.num_nodes());
  for (uint32_t v = 0; v < g.num_nodes(); ++v) x[v] = v * 2654435761u;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(testing::PullSweep(g, x, &y));
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, g.num_edges(), per_iter, testing::PullSweepSeconds(g));
}

// (edges, elements): the diagonal 10^4/10^2 .. 10^7/10^5, and every mix size on 10^6 edges.
void MixSizes(benchmark::internal::Benchmark* b) {
  b->Args({10'000, 100});
  b->Args({100'000, 1'000});
  b->Args({1'000'000, 100});
  b->Args({1'000'000, 1'000});
  b->Args({1'000'000, 10'000});
  b->Args({1'000'000, 100'000});
  b->Args({10'000'000, 100'000});
}

BENCHMARK(BM_GapAnalysis)->Apply(MixSizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GapAnalysisCoverage)
    ->Apply(CoverageSizes)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ResolveMix)->Apply(MixSizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_InteropLevels)->Apply(MixSizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NestedUnionFind)->Apply(MixSizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PairFloor)->Apply(MixSizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PullSweep)
    ->RangeMultiplier(10)
    ->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace coalition::analysis
