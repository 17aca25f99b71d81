// Speed of the space primitives and of loading the shipped data.
// Run: build/bench/bench_space --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "maplex/space/cell.hpp"
#include "maplex/space/features.hpp"
#include "maplex/space/network.hpp"
#include "maplex/space/sampling.hpp"
#include "maplex/tables/catalog.hpp"

namespace {

using namespace maplex::space;

std::vector<Arch> all_cells() {
  std::vector<Arch> v;
  v.reserve(kNumArchs);
  for (int c = 0; c < kNumArchs; ++c) {
    v.push_back(Arch::from_code(c));
  }
  return v;
}

void BM_ParseString(benchmark::State& state) {
  const std::string s = Arch::from_code(12345).str();
  for (auto _ : state) {
    benchmark::DoNotOptimize(Arch::parse(s));
  }
}
BENCHMARK(BM_ParseString);

void BM_FormatString(benchmark::State& state) {
  const Arch a = Arch::from_code(12345);
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.str());
  }
}
BENCHMARK(BM_FormatString);

void BM_AnalyzeWithBgl(benchmark::State& state) {
  const Arch a = Arch::from_code(12345);
  for (auto _ : state) {
    benchmark::DoNotOptimize(analyze(a));
  }
}
BENCHMARK(BM_AnalyzeWithBgl);

void BM_EncodeAllFeatures(benchmark::State& state) {
  const auto cells = all_cells();
  std::vector<double> out(static_cast<std::size_t>(FeatureSet::all().size()));
  std::size_t i = 0;
  for (auto _ : state) {
    encode(cells[i++ % cells.size()], FeatureSet::all(), out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_EncodeAllFeatures);

void BM_Mutate(benchmark::State& state) {
  Sampler s(1);
  Arch a = s.sample();
  for (auto _ : state) {
    a = s.mutate(a);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Mutate);

void BM_CostsCifar10(benchmark::State& state) {
  const Arch a = Arch::from_code(12345);
  for (auto _ : state) {
    benchmark::DoNotOptimize(costs(a, Dataset::cifar10));
  }
}
BENCHMARK(BM_CostsCifar10);

// The definition costs() is checked against: MACs and parameters summed over the layer list.
void BM_LayerListCostsCifar10(benchmark::State& state) {
  const Arch a = Arch::from_code(12345);
  for (auto _ : state) {
    std::int64_t macs = 0;
    for (const Layer& layer : network_layers(a, Dataset::cifar10)) {
      macs += layer.macs() + layer.params();
    }
    benchmark::DoNotOptimize(macs);
  }
}
BENCHMARK(BM_LayerListCostsCifar10);

void BM_LoadCatalog(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(maplex::tables::Catalog::load(MAPLEX_BENCH_DATA_DIR));
  }
}
BENCHMARK(BM_LoadCatalog)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
