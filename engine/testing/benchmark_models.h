// Shared pieces of the benchmark suite (`*_benchmark` targets): generated models cached per
// size, and the floors every benchmark is compared with.
//
//   const BenchModel& m = BenchModelFor(1'000'000, /*elements=*/10'000);   // generated once
//   m.model; m.binary; m.edges;                      // proto, its .binpb bytes, typed edges
//   const graph::TypedGraph& g = BenchGraphFor(1'000'000, 10'000);          // built once
//   double floor = PullSweepSeconds(g);              // one pull sweep over the CSR (min of 5)
//   SetCommonCounters(state, m.edges, seconds_per_iteration, floor);
//
// Models come from engine/generate with OptionsForEdges(edges, elements) and seed 20261126, so
// every benchmark at one size sees the same model (the mix is generated last: its size does
// not change the entities). A pull sweep reads every CSR row once: y[v] = min(x[v], x[u] for
// the out-neighbours u of v); "sweeps" = a benchmark's time / one sweep.
#ifndef COALITION_ENGINE_TESTING_BENCHMARK_MODELS_H_
#define COALITION_ENGINE_TESTING_BENCHMARK_MODELS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "coalition/v1/model.pb.h"
#include "engine/graph/typed_graph.h"

namespace coalition::testing {

inline constexpr uint64_t kBenchSeed = 20261126;

struct BenchModel {
  coalition::v1::Model model;  // with the mix as mixes(0)
  std::string binary;          // deterministic .binpb bytes
  int64_t edges = 0;           // typed edges
  int64_t pairs = 0;           // ordered pairs the mix asks
};

const BenchModel& BenchModelFor(int64_t edges, int elements);
const graph::TypedGraph& BenchGraphFor(int64_t edges, int elements);

// One pull sweep over the CSR; returns a checksum (so it cannot be optimised away).
uint32_t PullSweep(const graph::TypedGraph& g, const std::vector<uint32_t>& x,
                   std::vector<uint32_t>* y);
// Seconds of one pull sweep: the minimum of 5 runs, cached per graph.
double PullSweepSeconds(const graph::TypedGraph& g);

// Sets "edges/s" (rate), "sweeps" (seconds_per_iteration / sweep_seconds) and "edges".
void SetCommonCounters(benchmark::State& state, int64_t edges, double seconds_per_iteration,
                       double sweep_seconds);

// Seconds since `start` (the benchmarks time their loops themselves to report ratios).
inline double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace coalition::testing

#endif  // COALITION_ENGINE_TESTING_BENCHMARK_MODELS_H_
