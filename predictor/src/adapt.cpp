#include "maplex/predictor/adapt.hpp"

#include <utility>

namespace maplex::predictor {

Adapted adapt(const tables::Catalog& catalog, const FeatureCache& features,
              const std::string& target, const Adaptation& measurements, PoolOptions po,
              const PredictorConfig& config) {
  po.exclude = measurements.archs;
  Adapted a{build_pool(catalog, target, po), Predictor(features, config), 0.0};
  a.fit_rms = a.predictor.train(a.pool, measurements);
  return a;
}

}  // namespace maplex::predictor
