// Embedding maplex: plan 3 measurements on a device, adapt the predictor to them, then search for
// the most accurate architecture within a latency budget with that predictor, all through the
// installed libraries (find_package(maplex)). The "measurements" are read from the device's shipped
// table, so the prediction can be scored against the truth.
// Run: embed [device] [budget_ms]

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "maplex/core/error.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/predictor/metrics.hpp"
#include "maplex/predictor/plan.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/runs/prepare.hpp"
#include "maplex/runs/run.hpp"
#include "maplex/tables/catalog.hpp"
#include "maplex/tables/data_dir.hpp"

namespace {

using namespace maplex;

// Predicts every architecture from 3 planned "measurements" and scores it against the table.
void predict(const tables::Catalog& catalog, const predictor::FeatureCache& features,
             const std::string& device) {
  const auto pool = predictor::build_pool(catalog, device, {});
  const auto truth = catalog.latencies(device);
  predictor::Adaptation target{{}, {}, predictor::spec_of(catalog.device(device)), {}};
  for (const auto& p : predictor::plan_adaptation(pool, catalog.index(), 3, 0)) {
    target.archs.push_back(p.index);
    target.latency_ms.push_back(truth[static_cast<std::size_t>(p.index)]);
  }
  predictor::Predictor p(features, predictor::PredictorConfig{});
  p.train(pool, target);
  std::vector<double> pred;
  std::vector<double> known;
  for (int i = 0; i < catalog.index().size(); ++i) {
    if (!std::isnan(truth[static_cast<std::size_t>(i)])) {
      pred.push_back(p.predictions()[static_cast<std::size_t>(i)]);
      known.push_back(truth[static_cast<std::size_t>(i)]);
    }
  }
  const auto m = predictor::evaluate_predictions(pred, known);
  std::cout << "predicted " << device << " from 3 measurements: Spearman " << m.spearman
            << ", within 10% " << m.acc10 << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string device = argc > 1 ? argv[1] : "pixel3";
  const std::string budget = argc > 2 ? argv[2] : "20";
  try {
    const auto catalog = tables::Catalog::load(tables::find_data_dir(MAPLEX_DATA_DIR));
    const auto features = predictor::FeatureCache::build(catalog.index());
    predict(catalog, features, device);
    const runs::RunSpec spec = runs::spec_from_options(
        "search", R"({"device": ")" + device + R"(", "latency_budget_ms": )" + budget + "}");
    const runs::Prepared prepared = runs::prepare(spec, catalog, features);
    const auto result = runs::execute(spec, prepared, catalog, {});
    const auto doc = nlohmann::json::parse(result.result_json);
    std::cout << "search within " << budget << " ms: index " << doc["best"]["index"] << ", "
              << doc["accuracy_metric"].get<std::string>() << " accuracy "
              << doc["best"]["accuracy"] << "%, true latency " << doc["best"]["true_latency_ms"]
              << " ms\n";
  } catch (const InputError& e) {
    std::cerr << "embed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
