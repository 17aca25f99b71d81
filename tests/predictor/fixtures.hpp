#pragma once
// What the predictor tests share: the shipped catalog's features, a pool of a protocol's devices,
// and a shipped device's measurements of chosen architectures.

#include <cstdint>
#include <string>
#include <vector>

#include "maplex/predictor/evaluation.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/predictor/pool.hpp"
#include "shipped_data.hpp"

namespace maplex::predictor::testing {

inline const FeatureCache& features() {
  static const FeatureCache f = FeatureCache::build(maplex::testing::shipped_catalog().index());
  return f;
}

// The pool of loo or help for `target`, 900 architectures per device.
inline Pool protocol_pool_of(const std::string& protocol, const std::string& target,
                             std::uint64_t seed) {
  PoolOptions po;
  po.devices = protocol_pool(protocol, target);
  po.samples_per_device = 900;
  po.seed = seed;
  return build_pool(maplex::testing::shipped_catalog(), target, po);
}

inline Adaptation measured(const std::string& device, const std::vector<int>& archs) {
  const auto& catalog = maplex::testing::shipped_catalog();
  Adaptation a{archs, {}, spec_of(catalog.device(device)), {}};
  for (int i : archs) {
    a.latency_ms.push_back(catalog.latencies(device)[static_cast<std::size_t>(i)]);
  }
  return a;
}

}  // namespace maplex::predictor::testing
