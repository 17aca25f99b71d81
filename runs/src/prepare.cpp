#include "maplex/runs/prepare.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "maplex/core/error.hpp"
#include "maplex/predictor/predictor.hpp"

namespace maplex::runs {

Prepared prepare(const RunSpec& spec, const tables::Catalog& catalog,
                 const predictor::FeatureCache& features, const LiveDevice* live) {
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
  const bool is_live = live != nullptr && spec.device == live->name;
  if ((spec.device == kLocalDevice || kind == objectives::SourceKind::live) && !is_live) {
    throw InputError("device " + quote(spec.device) + " with latency source " + quote(spec.source) +
                     ": a live measurement needs this machine, expected --device local");
  }
  if (is_live && !spec.measurements.empty()) {
    throw InputError("--measurements " + quote(spec.measurements) +
                     " with --device local, expected one of them (local is measured live)");
  }
  if (kind == objectives::SourceKind::live) {
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    Prepared p{
        predictor::Target{live->name, {}, false, "measured live"},
        objectives::Problem(std::move(accuracy), objectives::live_source(live->name, live->measure),
                            spec.budget_ms, catalog.index(), std::move(limits)),
        truth,
        seconds.count(),
        false,
        live->measure,
        live->fingerprint,
        live->description};
    return p;
  }
  if (kind == objectives::SourceKind::table) {
    if (!catalog.has_device(spec.device)) {
      catalog.device(spec.device);  // throws: unknown device
    }
    predictor::Target t;
    t.name = spec.device;
    t.source = "table " + catalog.device(spec.device).data_file;
    t.simulated = true;
    auto measure = [truth](int i) { return truth[static_cast<std::size_t>(i)]; };
    return Prepared{
        t,
        objectives::Problem(std::move(accuracy), objectives::table_source(spec.device, truth),
                            spec.budget_ms, catalog.index(), std::move(limits)),
        truth,
        0.0,
        false,
        measure,
        "",
        ""};
  }
  predictor::PoolOptions po;
  po.devices = spec.pool;
  po.samples_per_device = spec.pool_samples;
  po.seed = spec.seed;
  // Verification needs a device to measure: a shipped device's table simulates it; `local` is
  // measured.
  const bool verifies = spec.verify > 0 && spec.budget_ms.has_value() && spec.measurements.empty();
  const int adapt = spec.adapt > 0 ? spec.adapt : std::max(1, 3 - (verifies ? spec.verify : 0));
  predictor::Target target =
      is_live ? predictor::make_measured_target(
                    catalog, live->name, "measured on this machine (" + live->fingerprint + ")", po,
                    adapt, live->measure, live->spec, live->lut_ms)
              : predictor::make_target(catalog, spec.device, spec.measurements, po, adapt);
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
  std::function<double(int)> measure;
  if (is_live) {
    measure = live->measure;
  } else if (spec.measurements.empty()) {
    measure = [truth](int i) { return truth[static_cast<std::size_t>(i)]; };
  }
  return Prepared{std::move(target),
                  std::move(problem),
                  truth,
                  seconds,
                  verifies,
                  std::move(measure),
                  is_live ? live->fingerprint : "",
                  is_live ? live->description : ""};
}

}  // namespace maplex::runs
