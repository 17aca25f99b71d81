#include "maplex/runs/prepare.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "maplex/core/error.hpp"
#include "maplex/predictor/predictor.hpp"

namespace maplex::runs {

Prepared prepare(const RunSpec& spec, const tables::Catalog& catalog,
                 const predictor::FeatureCache& features) {
  const auto start = std::chrono::steady_clock::now();
  const auto dataset = space::parse_dataset(spec.dataset);
  const auto kind = objectives::parse_source(spec.source);
  if (spec.device.empty() && spec.measurements.empty()) {
    throw InputError("expected a target: --device NAME or --measurements FILE");
  }
  const std::size_t n = static_cast<std::size_t>(catalog.index().size());
  std::vector<double> truth(n, objectives::kNaN);
  if (catalog.has_device(spec.device)) {
    const auto col = catalog.latencies(spec.device);
    truth.assign(col.begin(), col.end());
  }
  auto accuracy = objectives::accuracies(catalog.archs(), dataset);
  auto limits =
      objectives::cost_limits(catalog.archs(), dataset, spec.max_flops_m, spec.max_params_m);
  if (kind == objectives::SourceKind::live) {
    throw InputError(
        "latency source 'live' needs the measurement engine, expected predicted or "
        "table");
  }
  if (kind == objectives::SourceKind::table) {
    if (!catalog.has_device(spec.device)) {
      catalog.device(spec.device);  // throws: unknown device
    }
    predictor::Target t;
    t.name = spec.device;
    t.source = "table " + catalog.device(spec.device).data_file;
    t.simulated = true;
    return Prepared{
        t,
        objectives::Problem(std::move(accuracy), objectives::table_source(spec.device, truth),
                            spec.budget_ms, catalog.index(), std::move(limits)),
        truth, 0.0, false};
  }
  predictor::PoolOptions po;
  po.devices = spec.pool;
  po.samples_per_device = spec.pool_samples;
  po.seed = spec.seed;
  // Verification needs a device to measure: a shipped device's table simulates it.
  const bool verifies = spec.verify > 0 && spec.budget_ms.has_value() && spec.measurements.empty();
  const int adapt = spec.adapt > 0 ? spec.adapt : std::max(1, 3 - (verifies ? spec.verify : 0));
  predictor::Target target =
      predictor::make_target(catalog, spec.device, spec.measurements, po, adapt);
  po.exclude = target.adaptation.archs;
  const auto pool = predictor::build_pool(catalog, target.name, po);
  predictor::PredictorConfig cfg;
  cfg.method = predictor::parse_method(spec.method);
  cfg.seed = spec.seed;
  predictor::Predictor p(features, cfg);
  p.train(pool, target.adaptation);
  auto source = objectives::predicted_source(target.name, p.predictions(), p.log_sd(),
                                             verifies ? spec.search_confidence : spec.confidence,
                                             static_cast<int>(target.adaptation.archs.size()));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  objectives::Problem problem(std::move(accuracy), std::move(source), spec.budget_ms,
                              catalog.index(), std::move(limits));
  return Prepared{std::move(target), std::move(problem), std::move(truth), seconds, verifies};
}

}  // namespace maplex::runs
