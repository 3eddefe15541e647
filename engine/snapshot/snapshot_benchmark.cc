// Benchmarks of the snapshot (issue 15):
//   BM_WriteSnapshot/EDGES   SerializeSnapshot of the built graph and its model (bytes in memory)
//   BM_OpenSnapshot/EDGES    OpenSnapshot of the file (mmap, every checksum and index check, on
//                            two threads when large); the file is in the page cache after the
//                            first run, so this is "open + page-in from the cache"
//   BM_OpenAndSweep/EDGES    OpenSnapshot + one pull sweep over the mapped CSR (the graph used
//                            in place)
//
//   bazel run -c opt //engine/snapshot:snapshot_benchmark -- --benchmark_repetitions=5
//
// Models: engine/generate via engine/testing/benchmark_models (seed 20261126, a 100-element mix).
// Counters: edges/s, bytes_per_edge (file bytes per typed edge), sweeps (time / one pull sweep
// over the built graph).
#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "engine/base/file_io.h"
#include "engine/snapshot/snapshot.h"
#include "engine/testing/benchmark_models.h"

namespace coalition::snapshot {
namespace {

using coalition::testing::Since;

// The snapshot file of the benchmark model with `edges` edges, written once per process.
const std::string& SnapshotFileFor(int64_t edges, uint64_t* bytes) {
  static auto* files = new std::map<int64_t, std::pair<std::string, uint64_t>>();
  auto& slot = (*files)[edges];
  if (slot.first.empty()) {
    const char* dir = std::getenv("TEST_TMPDIR");
    slot.first = absl::StrCat(dir != nullptr ? dir : "/tmp", "/coalition_bench_", edges, ".snapshot");
    const auto& m = testing::BenchModelFor(edges, 100);
    auto s = SerializeSnapshot(testing::BenchGraphFor(edges, 100), m.model);
    if (!s.ok() || !WriteFileAtomically(slot.first, *s).ok()) std::abort();
    slot.second = s->size();
  }
  *bytes = slot.second;
  return slot.first;
}

void BM_WriteSnapshot(benchmark::State& state) {
  const int64_t edges = state.range(0);
  const auto& m = testing::BenchModelFor(edges, 100);
  const graph::TypedGraph& g = testing::BenchGraphFor(edges, 100);
  size_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto s = SerializeSnapshot(g, m.model);
    if (!s.ok()) return state.SkipWithError("SerializeSnapshot failed");
    bytes = s->size();
    benchmark::DoNotOptimize(s->data());
  }
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, m.edges, per_iter, testing::PullSweepSeconds(g));
  state.counters["bytes_per_edge"] = static_cast<double>(bytes) / static_cast<double>(m.edges);
}

void BM_OpenSnapshot(benchmark::State& state) {
  const int64_t edges = state.range(0);
  uint64_t bytes = 0;
  const std::string& path = SnapshotFileFor(edges, &bytes);
  const auto& m = testing::BenchModelFor(edges, 100);
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto s = OpenSnapshot(path);
    if (!s.ok()) return state.SkipWithError(std::string(s.status().message()).c_str());
    benchmark::DoNotOptimize(s->graph->num_edges());
  }
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, m.edges, per_iter,
                             testing::PullSweepSeconds(testing::BenchGraphFor(edges, 100)));
  state.counters["bytes_per_edge"] = static_cast<double>(bytes) / static_cast<double>(m.edges);
}

void BM_OpenAndSweep(benchmark::State& state) {
  const int64_t edges = state.range(0);
  uint64_t bytes = 0;
  const std::string& path = SnapshotFileFor(edges, &bytes);
  const auto& m = testing::BenchModelFor(edges, 100);
  std::vector<uint32_t> x, y;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto s = OpenSnapshot(path);
    if (!s.ok()) return state.SkipWithError(std::string(s.status().message()).c_str());
    const graph::TypedGraph& g = *s->graph;
    x.assign(g.num_nodes(), 1);
    y.resize(g.num_nodes());
    benchmark::DoNotOptimize(testing::PullSweep(g, x, &y));
  }
  const double per_iter = Since(start) / state.iterations();
  testing::SetCommonCounters(state, m.edges, per_iter,
                             testing::PullSweepSeconds(testing::BenchGraphFor(edges, 100)));
}

BENCHMARK(BM_WriteSnapshot)->RangeMultiplier(10)->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_OpenSnapshot)->RangeMultiplier(10)->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_OpenAndSweep)->RangeMultiplier(10)->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace coalition::snapshot
