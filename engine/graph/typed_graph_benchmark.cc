// Benchmarks of the load pipeline on generated models of 10^4 .. 10^7 typed edges:
//   BM_Validate           Validate() alone on the parsed model
//   BM_BuildGraph         BuildGraph() alone (the model copy it consumes is made untimed)
//   BM_Intern             InternModel() alone: every entity id -> dense index (issue 15), the
//                         components on the second core
//   BM_InternValidateBuild  what the CLI does after parsing (tools/session.cc ValidateAndBuild):
//                         intern once, then Validate(model, index) on a second thread while
//                         BuildGraph(model, index) runs on this one
//   BM_StreamValidateBuild  what the CLI does with a .binpb (tools/session.cc,
//                         StreamValidateAndBuild; issue 15): split the bytes into entities
//                         (engine/model/binary_stream.h), intern the ids, then EntityValidator on
//                         a second thread while GraphBuilder runs on this one, each parsing the
//                         entities one at a time into reused messages. x_parse: its time over
//                         protobuf's parse of the whole model from the same bytes (fastest of 3,
//                         freeing it untimed), measured in the same process
//   BM_LoadValidateBuild  binary bytes -> parse -> Validate -> BuildGraph -> proto released
//                         (what `coalition gaps` does before its analysis; issue 2's benchmark
//                         at 10^6 edges)
//
//   bazel run -c opt //engine/graph:typed_graph_benchmark -- --benchmark_repetitions=5
//
// Counters: edges/s; bytes_per_edge (built graph, all of it: topology + side tables + ids);
// topo_bytes_per_edge (CSR row starts + targets + kinds, per edge); sweeps (time / one pull
// sweep over the built CSR).
#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "coalition/v1/model.pb.h"
#include "engine/graph/typed_graph.h"
#include "engine/model/binary_stream.h"
#include "engine/model/interner.h"
#include "engine/model/load.h"
#include "engine/model/validate.h"
#include "engine/testing/benchmark_models.h"

namespace coalition::graph {
namespace {

using coalition::testing::Since;

using testing::BenchGraphFor;
using testing::BenchModelFor;

constexpr int kElements = 100;

void SetGraphCounters(benchmark::State& state, const TypedGraph& g) {
  const MemoryStats mem = g.Memory();
  state.counters["bytes_per_edge"] = static_cast<double>(mem.total_bytes()) / mem.edges;
  state.counters["topo_bytes_per_edge"] = static_cast<double>(mem.topology_bytes) / mem.edges;
}

void BM_Validate(benchmark::State& state) {
  const testing::BenchModel& m = BenchModelFor(state.range(0), kElements);
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(state.range(0), kElements));
  const SourceInfo source("bench");
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    coalition::v1::ValidationReport r = Validate(m.model, source);
    if (r.errors() != 0) return state.SkipWithError("generated model is invalid");
    benchmark::DoNotOptimize(r);
  }
  testing::SetCommonCounters(state, m.edges, Since(start) / state.iterations(), sweep);
}

void BM_BuildGraph(benchmark::State& state) {
  const testing::BenchModel& m = BenchModelFor(state.range(0), kElements);
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(state.range(0), kElements));
  double timed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = std::make_unique<coalition::v1::Model>(m.model);
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    auto g = BuildGraph(std::move(*copy));
    copy.reset();
    timed += Since(start);
    if (!g.ok()) return state.SkipWithError("BuildGraph failed");
    benchmark::DoNotOptimize(g->num_edges());
    state.PauseTiming();
    SetGraphCounters(state, *g);
    g = absl::InternalError("");  // free the graph untimed
    state.ResumeTiming();
  }
  testing::SetCommonCounters(state, m.edges, timed / state.iterations(), sweep);
}

void BM_Intern(benchmark::State& state) {
  const testing::BenchModel& m = BenchModelFor(state.range(0), kElements);
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(state.range(0), kElements));
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const ModelIndex index = InternModel(m.model);
    benchmark::DoNotOptimize(index[IdKind::kComponent].size());
  }
  testing::SetCommonCounters(state, m.edges, Since(start) / state.iterations(), sweep);
}

void BM_InternValidateBuild(benchmark::State& state) {
  const testing::BenchModel& m = BenchModelFor(state.range(0), kElements);
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(state.range(0), kElements));
  const SourceInfo source("bench");
  double timed = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<TypedGraph> g;
    {
      const ModelIndex index = InternModel(m.model);
      coalition::v1::ValidationReport r;
      std::thread validator([&] { r = Validate(m.model, source, {}, index); });
      g = BuildGraph(m.model, index);
      validator.join();
      if (r.errors() != 0) return state.SkipWithError("generated model is invalid");
    }
    timed += Since(start);
    if (!g.ok()) return state.SkipWithError("BuildGraph failed");
    benchmark::DoNotOptimize(g->num_edges());
    state.PauseTiming();
    g = absl::InternalError("");  // free the graph untimed
    state.ResumeTiming();
  }
  testing::SetCommonCounters(state, m.edges, timed / state.iterations(), sweep);
}

void BM_StreamValidateBuild(benchmark::State& state) {
  const testing::BenchModel& m = BenchModelFor(state.range(0), kElements);
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(state.range(0), kElements));
  const SourceInfo source("bench");
  double parse = 1e300;
  for (int k = 0; k < 3; ++k) {
    auto model = std::make_unique<coalition::v1::Model>();
    const auto start = std::chrono::steady_clock::now();
    if (!model->ParseFromString(m.binary)) return state.SkipWithError("parse failed");
    parse = std::min(parse, Since(start));
  }
  double timed = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<TypedGraph> g;
    {
      std::unique_ptr<BinaryModelStream> stream = BinaryModelStream::FromBytes(m.binary);
      if (stream == nullptr) return state.SkipWithError("the stream declined the model");
      const ModelIndex index = stream->Intern();
      coalition::v1::ValidationReport r;
      bool validated = false;
      std::thread validator([&] {
        const std::vector<MixInput> no_mix_files;  // outlives `v` (it keeps a reference)
        EntityValidator v(stream->skeleton(), source, no_mix_files, index);
        validated = stream->ForEach(v, index, /*verify=*/false);
        r = v.Finish();
      });
      GraphBuilder b(stream->skeleton(), index, stream->edge_bound());
      const bool built = stream->ForEach(b, index);
      g = std::move(b).Finish();
      validator.join();
      if (!validated || !built) return state.SkipWithError("an entity did not parse");
      if (r.errors() != 0) return state.SkipWithError("generated model is invalid");
    }
    timed += Since(start);
    if (!g.ok()) return state.SkipWithError("GraphBuilder failed");
    benchmark::DoNotOptimize(g->num_edges());
    state.PauseTiming();
    g = absl::InternalError("");  // free the graph untimed
    state.ResumeTiming();
  }
  testing::SetCommonCounters(state, m.edges, timed / state.iterations(), sweep);
  state.counters["x_parse"] = timed / state.iterations() / parse;
}

void BM_LoadValidateBuild(benchmark::State& state) {
  const testing::BenchModel& m = BenchModelFor(state.range(0), kElements);
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(state.range(0), kElements));
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    LoadedModel loaded;
    loaded.source = SourceInfo("bench");
    if (!ParseMessage(m.binary, Format::kBinary, "bench", &loaded.model, &loaded.source).ok()) {
      return state.SkipWithError("parse failed");
    }
    if (Validate(loaded.model, loaded.source).errors() != 0) {
      return state.SkipWithError("invalid model");
    }
    auto g = BuildGraph(std::move(loaded.model));
    loaded.model = coalition::v1::Model();  // the parsed proto is released
    if (!g.ok()) return state.SkipWithError("BuildGraph failed");
    benchmark::DoNotOptimize(g->num_edges());
  }
  testing::SetCommonCounters(state, m.edges, Since(start) / state.iterations(), sweep);
  SetGraphCounters(state, BenchGraphFor(state.range(0), kElements));
}

BENCHMARK(BM_Validate)
    ->RangeMultiplier(10)
    ->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_BuildGraph)
    ->RangeMultiplier(10)
    ->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Intern)
    ->RangeMultiplier(10)
    ->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_InternValidateBuild)
    ->RangeMultiplier(10)
    ->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_StreamValidateBuild)
    ->RangeMultiplier(10)
    ->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LoadValidateBuild)
    ->RangeMultiplier(10)
    ->Range(10'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace coalition::graph
