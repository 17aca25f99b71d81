#pragma once
// The one adaptation sequence of `predict`, a run's preparation and the Python module: the pool for
// a target without the target's measured architectures, and a predictor adapted to the
// measurements.
#include <string>

#include "maplex/predictor/feature_cache.hpp"
#include "maplex/predictor/pool.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::predictor {

struct Adapted {
  Pool pool;            // what the predictor learned from (no measured architecture in it)
  Predictor predictor;  // trained
  double fit_rms = 0;   // RMS error of log latency on the measurements (Predictor::train)
};

// Builds the pool for `target` (a catalog device, a device outside it, or "") from `po` with the
// measured architectures excluded, and trains a predictor of `config` on it. `features` must
// outlive the result. Throws InputError as build_pool and Predictor::train do.
Adapted adapt(const tables::Catalog& catalog, const FeatureCache& features,
              const std::string& target, const Adaptation& measurements, PoolOptions po,
              const PredictorConfig& config);

}  // namespace maplex::predictor
