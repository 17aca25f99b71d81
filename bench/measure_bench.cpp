// Speed of the measurement engine: one inference of the NB201 network (batch 1, fp32, 1 thread) for
// the smallest, the reference and the largest cell, and building a network.
// Run: build/bench/bench_measure --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// Single inferences drift with the machine (measure/MEASURING.md); maplex measure times against
// a reference network for that reason. These figures are the engine's raw speed.

#include <benchmark/benchmark.h>

#include "maplex/measure/engine.hpp"
#include "maplex/measure/host.hpp"
#include "maplex/measure/local.hpp"

namespace {

using namespace maplex;

const char* const kArchs[] = {
    "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
    measure::kReferenceArch,
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|"
    "nor_conv_3x3~2|",
};
const char* const kNames[] = {"no cell ops", "reference", "all nor_conv_3x3"};

void BM_Inference(benchmark::State& state) {
  measure::set_threads(1);
  const auto k = static_cast<std::size_t>(state.range(0));
  measure::Engine e(measure::make_weights(space::Arch::parse(kArchs[k]), 1));
  for (int w = 0; w < 5; ++w) {
    e.run();
  }
  for (auto _ : state) {
    e.run();
  }
  state.SetLabel(kNames[k]);
}
BENCHMARK(BM_Inference)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

void BM_BuildNetwork(benchmark::State& state) {
  measure::set_threads(1);
  const auto w = measure::make_weights(space::Arch::parse(kArchs[2]), 1);
  for (auto _ : state) {
    measure::Engine e(w);
    benchmark::DoNotOptimize(e.primitives());
  }
  state.SetLabel(kNames[2]);
}
BENCHMARK(BM_BuildNetwork)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
