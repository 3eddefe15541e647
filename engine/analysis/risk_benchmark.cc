// Benchmarks of the dependency-risk analyses (SPEC §4–§5).
//
//   bazel run //engine/analysis:risk_benchmark                       # full sizes
//   bazel run //engine/analysis:risk_benchmark -- --benchmark_filter='/1000$'   # smoke size
//
// BM_EmbargoAllNations/C: the embargo of every nation (SupplyChain::ForEachNationEmbargo) on a
//   generated supply chain of C components, C/10 platform types, C/50 suppliers in 60 nations
//   (seed 20261126). BM_TopologicalPassPerNation/C is the reference it is compared with: one full
//   topological pass (SupplyChain::Compute) per nation. Build of the graph and of the supply
//   chain are timed separately (BM_BuildSupplyChain/C). Counter "x_pass_per_nation" = time of
//   all embargoes / time of one pass per nation (the target is <= 3).
// BM_SinglePointsOfFailure/E: single points of failure of an E-element mix on a RandomModel with
//   300 platform types, 30 nations, 8 links, 12 standards (seed 20261126).
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "engine/analysis/interop.h"
#include "engine/analysis/risk.h"
#include "engine/analysis/spof.h"
#include "engine/scenario/scenario.h"
#include "engine/graph/force_mix.h"
#include "engine/graph/typed_graph.h"
#include "engine/testing/random_model.h"

namespace coalition::analysis {
namespace {

namespace v1 = ::coalition::v1;
constexpr uint64_t kSeed = 20261126;
constexpr int kNations = 60;

// A large supply chain: components with 1-3 suppliers and 0-2 critical sub-components among the
// next 1000 components (acyclic by construction), platforms with 5-15 critical uses.
v1::Model SupplyModel(int components) {
  std::mt19937_64 rng(kSeed);
  auto uniform = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  v1::Model m;
  m.set_name(absl::StrCat("supply-", components));
  for (int i = 0; i < kNations; ++i) {
    v1::Nation* n = m.add_nations();
    n->set_id(absl::StrCat("N", i));
    n->set_supply_risk(i % 10 == 9 ? v1::Nation::ADVERSARY : v1::Nation::NONE);
  }
  const int suppliers = std::max(10, components / 50);
  for (int i = 0; i < suppliers; ++i) {
    v1::Supplier* s = m.add_suppliers();
    s->set_id(absl::StrCat("S", i));
    s->set_nation(absl::StrCat("N", uniform(kNations)));
  }
  for (int i = 0; i < components; ++i) {
    v1::Component* c = m.add_components();
    c->set_id(absl::StrCat("C", i));
    const int k = 1 + uniform(3);
    for (int j = 0; j < k; ++j) c->add_suppliers(absl::StrCat("S", uniform(suppliers)));
    const int subs = uniform(3);
    for (int j = 0; j < subs && i + 1 < components; ++j) {
      auto* sub = c->add_sub_components();
      sub->set_component(absl::StrCat("C", i + 1 + uniform(std::min(1000, components - i - 1))));
      sub->set_critical(uniform(4) != 0);
    }
  }
  for (int i = 0; i < components / 10; ++i) {
    v1::PlatformType* p = m.add_platforms();
    p->set_id(absl::StrCat("P", i));
    p->set_designer_nation("N0");
    p->set_unit_cost_musd(1 + uniform(100));
    const int uses = 5 + uniform(11);
    for (int j = 0; j < uses; ++j) {
      auto* u = p->add_components();
      u->set_component(absl::StrCat("C", uniform(components)));
      u->set_critical(true);
    }
  }
  return m;
}

struct SupplyFixture {
  std::unique_ptr<graph::TypedGraph> graph;
  std::unique_ptr<SupplyChain> chain;
  Availability baseline;
  int64_t edges = 0;
};

const SupplyFixture& SupplyFor(int components) {
  static auto* cache = new std::map<int, SupplyFixture>();
  auto it = cache->find(components);
  if (it != cache->end()) return it->second;
  SupplyFixture f;
  auto g = graph::BuildGraph(SupplyModel(components));
  if (!g.ok()) std::abort();
  f.graph = std::make_unique<graph::TypedGraph>(std::move(*g));
  f.edges = f.graph->num_edges();
  auto chain = SupplyChain::Build(*f.graph);
  if (!chain.ok()) std::abort();
  f.chain = std::make_unique<SupplyChain>(std::move(*chain));
  f.baseline = f.chain->Compute({});
  return cache->emplace(components, std::move(f)).first->second;
}

// Seconds of one full topological pass per nation (the reference), min of 3.
double PassPerNationSeconds(const SupplyFixture& f) {
  double best = 1e30;
  for (int rep = 0; rep < 3; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    for (uint32_t n = 0; n < kNations; ++n) {
      const uint32_t nation[] = {n};
      Availability a = f.chain->Compute(f.chain->SuppliersIn(nation));
      benchmark::DoNotOptimize(a.platform_sustainable.data());
    }
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

void BM_BuildSupplyChain(benchmark::State& state) {
  const SupplyFixture& f = SupplyFor(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto chain = SupplyChain::Build(*f.graph);
    benchmark::DoNotOptimize(chain.ok());
  }
  state.SetItemsProcessed(state.iterations() * f.edges);
}

void BM_TopologicalPassPerNation(benchmark::State& state) {
  const SupplyFixture& f = SupplyFor(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    for (uint32_t n = 0; n < kNations; ++n) {
      const uint32_t nation[] = {n};
      Availability a = f.chain->Compute(f.chain->SuppliersIn(nation));
      benchmark::DoNotOptimize(a.platform_sustainable.data());
    }
  }
  state.counters["nations"] = kNations;
  state.SetItemsProcessed(state.iterations() * f.edges * kNations);
}

void BM_EmbargoAllNations(benchmark::State& state) {
  const SupplyFixture& f = SupplyFor(static_cast<int>(state.range(0)));
  int64_t grounded = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (auto _ : state) {
    grounded = 0;
    f.chain->ForEachNationEmbargo(
        f.baseline, {},
        [&](uint32_t, absl::Span<const uint32_t> p, absl::Span<const uint32_t>) {
      grounded += static_cast<int64_t>(p.size());
    });
    benchmark::DoNotOptimize(grounded);
  }
  const double per_iter =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() /
      static_cast<double>(std::max<int64_t>(1, state.iterations()));
  state.counters["nations"] = kNations;
  state.counters["grounded_platforms"] = static_cast<double>(grounded);
  state.counters["x_pass_per_nation"] = per_iter / PassPerNationSeconds(f);
  state.SetItemsProcessed(state.iterations() * f.edges * kNations);
}

BENCHMARK(BM_BuildSupplyChain)->Arg(1000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TopologicalPassPerNation)->Arg(1000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmbargoAllNations)->Arg(1000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

struct MixFixture {
  v1::Model model;
  std::unique_ptr<graph::TypedGraph> graph;
  std::unique_ptr<graph::ResolvedMix> mix;
};

const MixFixture& MixFor(int elements) {
  static auto* cache = new std::map<int, MixFixture>();
  auto it = cache->find(elements);
  if (it != cache->end()) return it->second;
  coalition::testing::RandomModelOptions opt;
  opt.elements = elements;
  opt.platforms = 300;
  opt.nations = 30;
  opt.links = 8;
  opt.standards = 12;
  opt.families = 4;
  opt.iers = 3;
  MixFixture f;
  f.model = coalition::testing::RandomModel(kSeed, opt);
  v1::Model copy = f.model;
  auto g = graph::BuildGraph(std::move(copy));
  if (!g.ok()) std::abort();
  f.graph = std::make_unique<graph::TypedGraph>(std::move(*g));
  auto mix = graph::ResolveMix(*f.graph, f.model.mixes(0));
  if (!mix.ok()) std::abort();
  f.mix = std::make_unique<graph::ResolvedMix>(std::move(*mix));
  return cache->emplace(elements, std::move(f)).first->second;
}

void BM_SinglePointsOfFailure(benchmark::State& state) {
  const MixFixture& f = MixFor(static_cast<int>(state.range(0)));
  v1::SinglePointsReport r;
  for (auto _ : state) {
    scenario::Scenario s(*f.graph, *f.mix, /*chain=*/nullptr);
    r = FindSinglePointsOfFailure(s, {});
    benchmark::DoNotOptimize(r.points_size());
  }
  state.counters["candidates"] = r.candidates();
  state.counters["points"] = r.points_size();
  state.SetItemsProcessed(state.iterations() * f.mix->size());
}

BENCHMARK(BM_SinglePointsOfFailure)->Arg(1000)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace coalition::analysis
