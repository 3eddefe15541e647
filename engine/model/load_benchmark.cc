// Benchmarks of loading: binary parse alone (one message and the length-delimited stream), on
// generated models of 10^4 .. 10^7 typed edges (engine/testing/benchmark_models.h), serial and
// on both cores (load.h ParseOptions), into heap or arena messages, from memory and from a file.
//
//   bazel run -c opt //engine/model:load_benchmark -- --benchmark_repetitions=5
//
// BM_ParseBinary is "the protobuf parse alone" of issue 15 (one thread, heap message, from
// memory); the others are read beside it. Each iteration parses into a fresh message and frees
// it, both timed (as before: the figure includes the free).
// Counters: edges/s; bytes_per_edge (serialized bytes / typed edges); sweeps (time / one pull
// sweep over the built CSR of the same model); parse_s and free_s (seconds per iteration of
// each); parse_cpu_s (CPU seconds of the parse, every thread: on a shared machine, where the
// second thread may not get a core, parse_cpu_s / parse_s shows how far it overlapped);
// heap_per_edge (bytes the parsed message holds / typed edges: malloc'd bytes for a heap
// message, SpaceAllocated for an arena).
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "coalition/v1/model.pb.h"
#include "engine/base/file_io.h"
#include "engine/model/json_reader.h"
#include "engine/model/load.h"
#include "engine/testing/benchmark_models.h"
#include "google/protobuf/arena.h"

namespace coalition {
namespace {

using testing::BenchGraphFor;
using testing::BenchModelFor;
using testing::Since;

constexpr int kElements = 100;  // the mix does not matter here; keep it small

// CPU seconds of the whole process (every thread), user + system.
double ProcessCpuSeconds() {
  struct rusage u;
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

size_t HeapInUse() {
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

enum class Source { kMemory, kFile };

struct Setup {
  Format format;
  int threads;  // ParseOptions::threads (1: serial)
  bool arena;
  Source source;
};

// The input files of the benchmarks: written once per size and format, removed at exit.
struct InputFiles {
  std::map<std::pair<int64_t, int>, std::string> paths;
  ~InputFiles() {
    for (const auto& [key, path] : paths) ::unlink(path.c_str());
  }
};

const std::string& FileFor(int64_t edges, Format format, const std::string& bytes) {
  static InputFiles files;
  std::string& path = files.paths[{edges, static_cast<int>(format)}];
  if (path.empty()) {
    const char* dir = std::getenv("TEST_TMPDIR");
    path = absl::StrCat(dir != nullptr ? dir : "/tmp", "/load_benchmark_", ::getpid(), "_", edges,
                        format == Format::kBinary ? ".binpb" : ".binpbs");
    if (!WriteFileAtomically(path, bytes).ok()) path.clear();
  }
  return path;
}

void ParseBenchmark(benchmark::State& state, Setup setup) {
  const int64_t edges = state.range(0);
  const testing::BenchModel& m = BenchModelFor(edges, kElements);
  std::string bytes = m.binary;
  if (setup.format == Format::kBinaryStream) {
    auto s = SerializeStream(m.model);
    if (!s.ok()) return state.SkipWithError("stream serialization failed");
    bytes = std::move(*s);
  }
  std::string path;
  if (setup.source == Source::kFile) {
    path = FileFor(edges, setup.format, bytes);
    if (path.empty()) return state.SkipWithError("cannot write the input file");
  }
  ParseOptions options;
  options.threads = setup.threads;
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(edges, kElements));
  double parse_s = 0, free_s = 0, cpu_s = 0;
  size_t held = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = ProcessCpuSeconds();
    const size_t before = HeapInUse();
    std::unique_ptr<google::protobuf::Arena> arena;
    std::unique_ptr<coalition::v1::Model> heap_model;
    coalition::v1::Model* model;
    if (setup.arena) {
      google::protobuf::ArenaOptions o;
      o.start_block_size = size_t{1} << 20;
      o.max_block_size = size_t{64} << 20;
      arena = std::make_unique<google::protobuf::Arena>(o);
      model = google::protobuf::Arena::CreateMessage<coalition::v1::Model>(arena.get());
    } else {
      heap_model = std::make_unique<coalition::v1::Model>();
      model = heap_model.get();
    }
    SourceInfo source;
    const absl::Status status =
        setup.source == Source::kFile
            ? LoadMessage(path, "", model, &source, options)
            : ParseMessage(bytes, setup.format, "bench", model, &source, options);
    if (!status.ok()) return state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(model->platforms_size());
    const auto t1 = std::chrono::steady_clock::now();
    cpu_s += ProcessCpuSeconds() - cpu0;
    held = setup.arena ? arena->SpaceAllocated() : HeapInUse() - before;
    heap_model.reset();
    arena.reset();
    parse_s += std::chrono::duration<double>(t1 - t0).count();
    free_s += Since(t1);
  }
  const double n = static_cast<double>(state.iterations());
  testing::SetCommonCounters(state, m.edges, Since(start) / n, sweep);
  state.counters["bytes_per_edge"] = static_cast<double>(bytes.size()) / m.edges;
  state.counters["parse_s"] = parse_s / n;
  state.counters["free_s"] = free_s / n;
  state.counters["parse_cpu_s"] = cpu_s / n;
  state.counters["heap_per_edge"] = static_cast<double>(held) / m.edges;
}

void BM_ParseBinary(benchmark::State& state) {
  ParseBenchmark(state, {Format::kBinary, 1, false, Source::kMemory});
}
void BM_ParseBinaryParallel(benchmark::State& state) {
  ParseBenchmark(state, {Format::kBinary, 2, false, Source::kMemory});
}
void BM_ParseBinaryArena(benchmark::State& state) {
  ParseBenchmark(state, {Format::kBinary, 1, true, Source::kMemory});
}
void BM_ParseBinaryParallelArena(benchmark::State& state) {
  ParseBenchmark(state, {Format::kBinary, 2, true, Source::kMemory});
}
void BM_ParseBinaryStream(benchmark::State& state) {
  ParseBenchmark(state, {Format::kBinaryStream, 1, false, Source::kMemory});
}
void BM_ParseBinaryStreamParallel(benchmark::State& state) {
  ParseBenchmark(state, {Format::kBinaryStream, 2, false, Source::kMemory});
}
// LoadMessage's path for a .binpb / .binpbs on disk (pread), on both cores.
void BM_LoadBinaryFile(benchmark::State& state) {
  ParseBenchmark(state, {Format::kBinary, 0, false, Source::kFile});
}
void BM_LoadBinaryStreamFile(benchmark::State& state) {
  ParseBenchmark(state, {Format::kBinaryStream, 0, false, Source::kFile});
}

#define COALITION_PARSE_BENCHMARK(fn) \
  BENCHMARK(fn)                        \
      ->RangeMultiplier(10)            \
      ->Range(10'000, 10'000'000)      \
      ->Unit(benchmark::kMillisecond)  \
      ->UseRealTime()

COALITION_PARSE_BENCHMARK(BM_ParseBinary);
COALITION_PARSE_BENCHMARK(BM_ParseBinaryParallel);
COALITION_PARSE_BENCHMARK(BM_ParseBinaryArena);
COALITION_PARSE_BENCHMARK(BM_ParseBinaryParallelArena);
COALITION_PARSE_BENCHMARK(BM_ParseBinaryStream);
COALITION_PARSE_BENCHMARK(BM_ParseBinaryStreamParallel);
COALITION_PARSE_BENCHMARK(BM_LoadBinaryFile);
COALITION_PARSE_BENCHMARK(BM_LoadBinaryStreamFile);

// JSON (issue 15: reading the JSON form <= 2x reading .binpb): the JSON the CLI writes
// (SerializeMessage: indented, proto field names) parsed from memory into a heap message, by
// the fast reader (ParseMessage's path, engine/model/json_reader.h) and by protobuf's own
// JsonStringToMessage (the reader before it). x_binary = JSON seconds / BM_ParseBinary's parse
// (serial, heap, from memory) of the same model timed in this process (min of 3), so the ratio
// holds on a shared machine; x_binary_cpu the same ratio of CPU seconds (steadier when other
// jobs share the cores); json_bytes_per_edge beside bytes_per_edge.
const std::string& JsonFor(int64_t edges) {
  static std::map<int64_t, std::string>* cache = new std::map<int64_t, std::string>();
  std::string& json = (*cache)[edges];
  if (json.empty()) {
    auto s = SerializeMessage(BenchModelFor(edges, kElements).model, Format::kJson);
    if (s.ok()) json = std::move(*s);
  }
  return json;
}

// {wall, CPU} seconds of the serial binary parse (each the min of 3).
std::pair<double, double> BinaryParseSeconds(int64_t edges) {
  static std::map<int64_t, std::pair<double, double>>* cache =
      new std::map<int64_t, std::pair<double, double>>();
  std::pair<double, double>& best = (*cache)[edges];
  if (best.first == 0) {
    const testing::BenchModel& m = BenchModelFor(edges, kElements);
    ParseOptions serial;
    serial.threads = 1;
    for (int i = 0; i < 3; ++i) {
      coalition::v1::Model model;
      SourceInfo source;
      const auto t0 = std::chrono::steady_clock::now();
      const double cpu0 = ProcessCpuSeconds();
      if (!ParseMessage(m.binary, Format::kBinary, "bench", &model, &source, serial).ok()) {
        return {0, 0};
      }
      const double t = Since(t0), cpu = ProcessCpuSeconds() - cpu0;
      if (best.first == 0 || t < best.first) best.first = t;
      if (best.second == 0 || cpu < best.second) best.second = cpu;
    }
  }
  return best;
}

void JsonBenchmark(benchmark::State& state, bool fast) {
  const int64_t edges = state.range(0);
  const testing::BenchModel& m = BenchModelFor(edges, kElements);
  const std::string& json = JsonFor(edges);
  if (json.empty()) return state.SkipWithError("JSON serialization failed");
  const auto [binary_s, binary_cpu_s] = BinaryParseSeconds(edges);
  if (binary_s == 0) return state.SkipWithError("binary parse failed");
  {
    coalition::v1::Model check;
    if (fast && !TryParseJsonFast(json, &check)) {
      return state.SkipWithError("the fast path did not read the generated model");
    }
  }
  const double sweep = testing::PullSweepSeconds(BenchGraphFor(edges, kElements));
  double parse_s = 0, cpu_s = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = ProcessCpuSeconds();
    coalition::v1::Model model;
    SourceInfo source;
    const absl::Status status = fast ? ParseMessage(json, Format::kJson, "bench", &model, &source)
                                     : ParseJsonWithProtobuf(json, &model);
    if (!status.ok()) return state.SkipWithError("JSON parse failed");
    benchmark::DoNotOptimize(model.platforms_size());
    cpu_s += ProcessCpuSeconds() - cpu0;
    parse_s += Since(t0);
  }
  const double n = static_cast<double>(state.iterations());
  testing::SetCommonCounters(state, m.edges, Since(start) / n, sweep);
  state.counters["json_bytes_per_edge"] = static_cast<double>(json.size()) / m.edges;
  state.counters["bytes_per_edge"] = static_cast<double>(m.binary.size()) / m.edges;
  state.counters["parse_s"] = parse_s / n;
  state.counters["parse_cpu_s"] = cpu_s / n;
  state.counters["binary_parse_s"] = binary_s;
  state.counters["binary_parse_cpu_s"] = binary_cpu_s;
  state.counters["x_binary"] = parse_s / n / binary_s;
  state.counters["x_binary_cpu"] = binary_cpu_s > 0 ? cpu_s / n / binary_cpu_s : 0;
}

void BM_ParseJson(benchmark::State& state) { JsonBenchmark(state, /*fast=*/true); }
void BM_ParseJsonProtobuf(benchmark::State& state) { JsonBenchmark(state, /*fast=*/false); }

COALITION_PARSE_BENCHMARK(BM_ParseJson);
COALITION_PARSE_BENCHMARK(BM_ParseJsonProtobuf);

}  // namespace
}  // namespace coalition
