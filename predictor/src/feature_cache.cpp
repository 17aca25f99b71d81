#include "maplex/predictor/feature_cache.hpp"

namespace maplex::predictor {

FeatureCache FeatureCache::build(const space::ArchIndex& index) {
  FeatureCache c;
  c.index = &index;
  c.additive = feature_matrix(index, FeatureKind::additive);
  c.full = feature_matrix(index, FeatureKind::full);
  constexpr int kOneHot = space::kNumEdges * space::kNumOps;
  c.lut.resize(index.size(), kOneHot + 1);
  c.lut.leftCols(kOneHot) = c.full.leftCols(kOneHot);
  c.lut.col(kOneHot).setOnes();
  return c;
}

}  // namespace maplex::predictor
