#include "maplex/predictor/plan.hpp"

#include <algorithm>
#include <numeric>

#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"

namespace maplex::predictor {

std::vector<PlannedArch> plan_adaptation(const Pool& pool, const space::ArchIndex& index, int count,
                                         std::uint64_t seed, const NeighbourhoodOptions& options) {
  if (count < 1) {
    throw InputError("plan: count " + std::to_string(count) + ", expected at least 1");
  }
  if (pool.devices.empty()) {
    throw InputError("plan: the training pool is empty, expected at least one device");
  }
  const std::vector<int>& sample = pool.devices.front().archs;
  const auto n = static_cast<Eigen::Index>(sample.size());
  const auto k = static_cast<Eigen::Index>(pool.devices.size());
  Eigen::MatrixXd lat(n, k);
  for (Eigen::Index d = 0; d < k; ++d) {
    const auto& v = pool.devices[static_cast<std::size_t>(d)].latency_ms;
    for (Eigen::Index i = 0; i < n; ++i) {
      lat(i, d) = v[static_cast<std::size_t>(i)];
    }
  }
  const Eigen::VectorXd mean_lat =
      (lat.array().rowwise() / lat.colwise().mean().array()).rowwise().mean();
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (index.cell(sample[static_cast<std::size_t>(i)]).connected) {
      rows.push_back(i);
    }
  }
  if (static_cast<int>(rows.size()) < count) {
    throw InputError("plan: the pool's common sample has " + std::to_string(rows.size()) +
                     " connected architectures, expected at least " + std::to_string(count));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return mean_lat(a) < mean_lat(b); });
  Rng rng(seed);
  std::vector<PlannedArch> plan;
  const std::size_t strata = static_cast<std::size_t>(count);
  for (std::size_t s = 0; s < strata; ++s) {
    std::vector<Eigen::Index> stratum(
        rows.begin() + static_cast<std::ptrdiff_t>(s * rows.size() / strata),
        rows.begin() + static_cast<std::ptrdiff_t>((s + 1) * rows.size() / strata));
    for (std::size_t i = stratum.size(); i > 1; --i) {
      std::swap(stratum[i - 1], stratum[static_cast<std::size_t>(rng.below(i))]);
    }
    PlannedArch best;
    for (Eigen::Index r : stratum) {
      std::vector<double> anchor(static_cast<std::size_t>(k));
      for (Eigen::Index d = 0; d < k; ++d) {
        anchor[static_cast<std::size_t>(d)] = lat(r, d);
      }
      Neighbourhood nb =
          find_neighbourhood(sample[static_cast<std::size_t>(r)], anchor, sample, lat, options);
      if (best.index < 0 || nb.members.size() > best.neighbourhood.members.size()) {
        best = {sample[static_cast<std::size_t>(r)], std::move(nb)};
      }
      if (static_cast<int>(best.neighbourhood.members.size()) >= options.min_size) {
        break;
      }
    }
    plan.push_back(std::move(best));
  }
  return plan;
}

}  // namespace maplex::predictor
