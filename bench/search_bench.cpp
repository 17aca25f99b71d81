// Speed of the search: a whole 300-query search, and batch evaluation of latency + constraint.
// Run: build/bench/bench_search --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// The problem is the README's main job (titan_rtx_1, 6 ms, cifar10) with the latency source built
// once outside the timed loop: the predictor's own cost is in bench_predictor.

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <numeric>

#include "maplex/runs/prepare.hpp"
#include "maplex/search/algorithm.hpp"

namespace {

using namespace maplex;

struct Fixture {
  tables::Catalog catalog = tables::Catalog::load(MAPLEX_BENCH_DATA_DIR);
  predictor::FeatureCache features = predictor::FeatureCache::build(catalog.index());
  runs::Prepared predicted = make("predicted");
  runs::Prepared measured = make("table");

  runs::Prepared make(const std::string& source) const {
    runs::RunSpec spec;
    spec.device = "titan_rtx_1";
    spec.source = source;
    spec.budget_ms = 6.0;
    return runs::prepare(spec, catalog, features);
  }
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

// A whole search with the default limits (300 accuracy queries); arg 0 = algorithm, arg 1 = 1 for
// the predicted source, 0 for the table (measured search).
void BM_Search300(benchmark::State& state) {
  const auto& f = fixture();
  const auto names = search::algorithms();
  const auto algorithm = search::make_algorithm(names.at(state.range(0)));
  const auto& problem = state.range(1) == 1 ? f.predicted.problem : f.measured.problem;
  std::uint64_t seed = 0;
  for (auto _ : state) {
    search::SearchState s(seed++);
    search::Evaluator e(problem, search::Limits{});
    search::run(algorithm, s, e, f.catalog.index(), [](const search::SearchState&) {});
    benchmark::DoNotOptimize(search::summarize(s).best);
  }
  state.SetLabel(names.at(state.range(0)) + (state.range(1) == 1 ? " predicted" : " measured"));
}
// Every registered algorithm on the predicted source, and the default on the table.
void search300_args(benchmark::internal::Benchmark* b) {
  for (std::size_t k = 0; k < search::algorithms().size(); ++k) {
    b->Args({static_cast<std::int64_t>(k), 1});
  }
  b->Args({0, 0});
}
BENCHMARK(BM_Search300)->Apply(search300_args)->Unit(benchmark::kMillisecond);

// Evaluator::evaluate on a batch of the whole space (after a first pass, so every candidate is a
// repeat and the query limit never stops admission): latency and constraint in parallel, serial
// admission, accuracy of the feasible ones. arg 0 = threads.
void BM_BatchEvaluate(benchmark::State& state) {
  const auto& f = fixture();
  const tbb::global_control gc(tbb::global_control::max_allowed_parallelism,
                               static_cast<std::size_t>(state.range(0)));
  std::vector<int> batch(static_cast<std::size_t>(f.catalog.index().size()));
  std::iota(batch.begin(), batch.end(), 0);
  search::Limits limits;
  limits.queries = 1 << 30;
  limits.evaluations = std::int64_t{1} << 60;
  search::Evaluator e(f.predicted.problem, limits);
  e.evaluate(batch, 0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(e.evaluate(batch, 1).data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch.size()));
  state.SetLabel(std::to_string(state.range(0)) + " thread(s), 15,625 per batch");
}
BENCHMARK(BM_BatchEvaluate)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
