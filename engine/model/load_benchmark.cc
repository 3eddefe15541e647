// Benchmarks of loading: binary parse alone (one message and the length-delimited stream), on
// generated models of 10^4 .. 10^7 typed edges (engine/testing/benchmark_models.h).
//
//   bazel run -c opt //engine/model:load_benchmark -- --benchmark_repetitions=5
//
// Counters: edges/s; bytes_per_edge (serialized bytes / typed edges); sweeps (time / one pull
// sweep over the built CSR of the same model).
#include <chrono>
#include <string>

#include "benchmark/benchmark.h"
#include "coalition/v1/model.pb.h"
#include "engine/model/load.h"
#include "engine/testing/benchmark_models.h"

namespace coalition {
namespace {

using testing::BenchGraphFor;
using testing::BenchModelFor;

constexpr int kElements = 100;  // the mix does not matter here; keep it small

void ParseBenchmark(benchmark::State& state, Format format) {
  const int64_t edges = state.range(0);
  const testing::BenchModel& m = BenchModelFor(edges, kElements);
  std::string bytes = m.binary;
  if (format == Format::kBinaryStream) {
    auto s = SerializeStream(m.model);
    if (!s.ok()) return state.SkipWithError("stream serialization failed");
    bytes = std::move(*s);
  }
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(edges, kElements));
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    coalition::v1::Model model;
    SourceInfo source;
    if (!ParseMessage(bytes, format, "bench", &model, &source).ok()) {
      return state.SkipWithError("parse failed");
    }
    benchmark::DoNotOptimize(model.platforms_size());
  }
  const double per_iter =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
      static_cast<double>(state.iterations());
  testing::SetCommonCounters(state, m.edges, per_iter, sweep);
  state.counters["bytes_per_edge"] = static_cast<double>(bytes.size()) / m.edges;
}

void BM_ParseBinary(benchmark::State& state) { ParseBenchmark(state, Format::kBinary); }
void BM_ParseBinaryStream(benchmark::State& state) {
  ParseBenchmark(state, Format::kBinaryStream);
}

BENCHMARK(BM_ParseBinary)
    ->RangeMultiplier(10)
    ->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ParseBinaryStream)
    ->RangeMultiplier(10)
    ->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace coalition
