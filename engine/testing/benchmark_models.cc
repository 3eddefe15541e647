#include "engine/testing/benchmark_models.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <utility>

#include "engine/generate/generator.h"
#include "engine/model/load.h"

namespace coalition::testing {
namespace {

using Key = std::pair<int64_t, int>;

}  // namespace

const BenchModel& BenchModelFor(int64_t edges, int elements) {
  static auto* cache = new std::map<Key, std::unique_ptr<BenchModel>>();
  auto& slot = (*cache)[{edges, elements}];
  if (slot == nullptr) {
    generate::GeneratorOptions o = generate::OptionsForEdges(edges, elements);
    o.seed = kBenchSeed;
    generate::GeneratedStats stats;
    auto model = generate::GenerateModel(o, nullptr, &stats);
    if (!model.ok()) std::abort();
    slot = std::make_unique<BenchModel>();
    slot->model = std::move(*model);
    auto bytes = SerializeMessage(slot->model, Format::kBinary);
    if (!bytes.ok()) std::abort();
    slot->binary = std::move(*bytes);
    slot->edges = stats.edges;
    slot->pairs = stats.pairs;
  }
  return *slot;
}

const graph::TypedGraph& BenchGraphFor(int64_t edges, int elements) {
  static auto* cache = new std::map<Key, std::unique_ptr<graph::TypedGraph>>();
  auto& slot = (*cache)[{edges, elements}];
  if (slot == nullptr) {
    auto g = graph::BuildGraph(coalition::v1::Model(BenchModelFor(edges, elements).model));
    if (!g.ok()) std::abort();
    slot = std::make_unique<graph::TypedGraph>(std::move(*g));
  }
  return *slot;
}

uint32_t PullSweep(const graph::TypedGraph& g, const std::vector<uint32_t>& x,
                   std::vector<uint32_t>* y) {
  // The CSR arrays every graph has (also one mapped from a snapshot, whose csr() is empty).
  const auto rowstart = g.row_starts();
  const auto column = g.targets();
  const uint32_t n = g.num_nodes();
  uint32_t checksum = 0;
  for (uint32_t v = 0; v < n; ++v) {
    uint32_t acc = x[v];
    for (uint32_t e = rowstart[v]; e < rowstart[v + 1]; ++e) acc = std::min(acc, x[column[e]]);
    (*y)[v] = acc;
    checksum += acc;
  }
  return checksum;
}

double PullSweepSeconds(const graph::TypedGraph& g) {
  static auto* cache = new std::map<const graph::TypedGraph*, double>();
  auto it = cache->find(&g);
  if (it != cache->end()) return it->second;
  std::vector<uint32_t> x(g.num_nodes()), y(g.num_nodes());
  for (uint32_t v = 0; v < g.num_nodes(); ++v) x[v] = v * 2654435761u;
  double best = 1e300;
  for (int run = 0; run < 5; ++run) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(PullSweep(g, x, &y));
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  best = std::max(best, 1e-9);
  cache->emplace(&g, best);
  return best;
}

void SetCommonCounters(benchmark::State& state, int64_t edges, double seconds_per_iteration,
                       double sweep_seconds) {
  state.counters["edges"] = static_cast<double>(edges);
  state.counters["edges/s"] = benchmark::Counter(
      static_cast<double>(edges) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
  state.counters["sweeps"] = seconds_per_iteration / sweep_seconds;
}

}  // namespace coalition::testing
