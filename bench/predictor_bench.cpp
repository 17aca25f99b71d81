// Speed of adapting a predictor and predicting the whole space.
// Run: build/bench/bench_predictor --benchmark_repetitions=5
// --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <numeric>

#include "maplex/predictor/evaluation.hpp"
#include "maplex/predictor/plan.hpp"
#include "maplex/predictor/predictor.hpp"

namespace {

using namespace maplex;

struct Fixture {
  tables::Catalog catalog = tables::Catalog::load(MAPLEX_BENCH_DATA_DIR);
  predictor::FeatureCache features = predictor::FeatureCache::build(catalog.index());
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

predictor::Adaptation measured(const std::string& device, const predictor::Pool& pool) {
  const auto& f = fixture();
  predictor::Adaptation a{{}, {}, predictor::spec_of(f.catalog.device(device)), {}};
  for (const auto& p : predictor::plan_adaptation(pool, f.catalog.index(), 3, 0)) {
    a.archs.push_back(p.index);
    a.latency_ms.push_back(f.catalog.latencies(device)[static_cast<std::size_t>(p.index)]);
  }
  return a;
}

// Adapt (train) and predict all 15,625 architectures; arg 0 = method, arg 1 = 1 for the loo pool
// of 5 devices, 0 for the default pool of every other shipped device.
void BM_TrainAndPredictAll(benchmark::State& state) {
  const auto& f = fixture();
  const auto method = static_cast<predictor::Method>(state.range(0));
  predictor::PoolOptions po;
  po.samples_per_device = 900;
  if (state.range(1) == 1) {
    po.devices = predictor::protocol_pool("loo", "titan_rtx_1");
  }
  const auto pool = predictor::build_pool(f.catalog, "titan_rtx_1", po);
  const auto target = measured("titan_rtx_1", pool);
  predictor::PredictorConfig cfg;
  cfg.method = method;
  for (auto _ : state) {
    predictor::Predictor p(f.features, cfg);
    p.train(pool, target);
    benchmark::DoNotOptimize(p.predictions().data());
  }
  state.SetLabel(std::string(predictor::method_name(method)) +
                 (state.range(1) == 1
                      ? " loo pool (5)"
                      : " default pool (" + std::to_string(pool.devices.size()) + ")"));
}
BENCHMARK(BM_TrainAndPredictAll)
    ->ArgsProduct({{0, 1, 2, 4, 5}, {1, 0}})
    ->Unit(benchmark::kMillisecond);

// Batch prediction of the whole space from a trained predictor.
void BM_PredictWholeSpaceBatch(benchmark::State& state) {
  const auto& f = fixture();
  predictor::PoolOptions po;
  po.samples_per_device = 900;
  const auto pool = predictor::build_pool(f.catalog, "titan_rtx_1", po);
  predictor::Predictor p(f.features, predictor::PredictorConfig{});
  p.train(pool, measured("titan_rtx_1", pool));
  std::vector<int> all(15625);
  std::iota(all.begin(), all.end(), 0);
  std::vector<double> out(all.size());
  for (auto _ : state) {
    p.predict(all, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(all.size()));
}
BENCHMARK(BM_PredictWholeSpaceBatch)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
