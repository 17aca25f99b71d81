#include "maplex/predictor/similarity.hpp"

#include <array>
#include <cmath>
#include <optional>

namespace maplex::predictor {

namespace {

constexpr int kDims = 4;

std::array<std::optional<double>, kDims> dims(const SpecVector& s, bool with_batch) {
  return {s.cores, s.max_clock_mhz, s.tdp_w, with_batch ? s.batch_size : std::nullopt};
}

}  // namespace

SimilarityWeights hardware_weights(const std::vector<SpecVector>& pool, const SpecVector& target,
                                   bool with_batch) {
  const double used_dims = with_batch ? 4.0 : 3.0;
  const std::size_t n = pool.size();
  SimilarityWeights out{std::vector<double>(n, 0.0), std::vector<double>(n, 1.0)};
  // Standardisation over the pool and the target, per dimension, on log values.
  std::array<double, kDims> mean{};
  std::array<double, kDims> sd{};
  for (int k = 0; k < kDims; ++k) {
    double sum = 0;
    double sum2 = 0;
    int count = 0;
    auto add = [&](const SpecVector& s) {
      if (const auto v = dims(s, with_batch)[static_cast<std::size_t>(k)]) {
        sum += std::log(*v);
        sum2 += std::log(*v) * std::log(*v);
        ++count;
      }
    };
    for (const auto& s : pool) {
      add(s);
    }
    add(target);
    const auto kk = static_cast<std::size_t>(k);
    mean[kk] = count > 0 ? sum / count : 0.0;
    const double var = count > 0 ? sum2 / count - mean[kk] * mean[kk] : 0.0;
    sd[kk] = var > 1e-12 ? std::sqrt(var) : 0.0;
  }
  const auto t = dims(target, with_batch);
  std::vector<char> comparable(n, 0);
  double comparable_sum = 0;
  int comparable_count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto p = dims(pool[i], with_batch);
    double sq = 0;
    int common = 0;
    for (std::size_t k = 0; k < kDims; ++k) {
      if (t[k] && p[k] && sd[k] > 0) {
        const double dz = (std::log(*t[k]) - std::log(*p[k])) / sd[k];
        sq += dz * dz;
        ++common;
      }
    }
    if (common > 0) {
      out.distance[i] = std::sqrt(sq * used_dims / common);
      out.weight[i] = 1.0 / std::sqrt(1.0 + out.distance[i]);
      comparable[i] = 1;
      comparable_sum += out.weight[i];
      ++comparable_count;
    }
  }
  if (comparable_count == 0) {
    return out;  // all 1
  }
  // A device with nothing to compare gets the average weight: neither preferred nor ignored.
  for (std::size_t i = 0; i < n; ++i) {
    if (comparable[i] == 0) {
      out.weight[i] = comparable_sum / comparable_count;
    }
  }
  double total = 0;
  for (double w : out.weight) {
    total += w;
  }
  for (double& w : out.weight) {
    w *= static_cast<double>(n) / total;
  }
  return out;
}

}  // namespace maplex::predictor
