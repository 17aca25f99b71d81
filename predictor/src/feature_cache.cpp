#include "maplex/predictor/feature_cache.hpp"

#include "maplex/space/network.hpp"

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
  c.flops_m.resize(index.size());
  for (int a = 0; a < index.size(); ++a) {
    c.flops_m(a) = space::costs(index.arch(a), space::Dataset::cifar10).flops_m;
  }
  return c;
}

}  // namespace maplex::predictor
