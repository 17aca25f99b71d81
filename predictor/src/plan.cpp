#include "maplex/predictor/plan.hpp"

#include <algorithm>
#include <numeric>

#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/predictor/features.hpp"
#include "prior.hpp"

namespace maplex::predictor {

namespace {

// "One of the fastest / slowest": drawn from this share of the candidates at each end.
constexpr double kEndShare = 0.05;
// The prior the informative choice assumes: the middle of maplex's width grid (hier.cpp), a
// measurement noise of 4% and the device's scale known to a factor e.
constexpr double kPlanTau = 0.2;
constexpr double kPlanScaleVar = 1.0;
constexpr double kMeasurementVar = 0.04 * 0.04;

// The candidate whose measurement most reduces the posterior variance of relative latency summed
// over all candidates (integrated variance), given the coefficients' covariance p; big_m is
// sum x x^T / m^2 over the candidates.
int most_informative(const Eigen::MatrixXd& x, const std::vector<int>& candidates,
                     const Eigen::VectorXd& m, const Eigen::MatrixXd& p,
                     const Eigen::MatrixXd& big_m, double noise_var,
                     const std::vector<int>& taken) {
  const Eigen::MatrixXd pmp = p * big_m * p;
  int best = -1;
  double best_gain = -1;
  for (int a : candidates) {
    if (std::find(taken.begin(), taken.end(), a) != taken.end()) {
      continue;
    }
    const Eigen::VectorXd xa = x.row(a).transpose();
    const double gain = xa.dot(pmp * xa) / (xa.dot(p * xa) + m(a) * m(a) * noise_var);
    if (gain > best_gain) {
      best_gain = gain;
      best = a;
    }
  }
  return best;
}

// `candidates` ordered fast to slow on the pool: with two or more to choose, one of the fastest
// and one of the slowest (seeded), then greedily the most informative under the pool's prior.
std::vector<int> choose(const Pool& pool, const space::ArchIndex& index,
                        const std::vector<int>& candidates, int count, std::uint64_t seed) {
  std::vector<int> taken;
  Rng rng(seed);
  if (count >= 2) {
    const std::size_t end = std::max<std::size_t>(
        1, static_cast<std::size_t>(kEndShare * static_cast<double>(candidates.size())));
    taken.push_back(candidates[static_cast<std::size_t>(rng.below(end))]);
    taken.push_back(candidates[candidates.size() - 1 - static_cast<std::size_t>(rng.below(end))]);
  }
  const Eigen::MatrixXd x = feature_matrix(index, FeatureKind::additive);
  const detail::AdditivePrior prior = detail::additive_prior(x, pool);
  const double noise_var = kMeasurementVar + prior.residual_var;
  const Eigen::VectorXd m = (x * prior.mean).cwiseMax(1e-3);
  Eigen::MatrixXd big_m = Eigen::MatrixXd::Zero(x.cols(), x.cols());
  for (int a : candidates) {
    big_m += x.row(a).transpose() * x.row(a) / (m(a) * m(a));
  }
  Eigen::MatrixXd p = detail::prior_cov(prior, kPlanTau, kPlanScaleVar);
  const auto condition = [&](int a) {
    const Eigen::VectorXd xa = x.row(a).transpose();
    const Eigen::VectorXd px = p * xa;
    p -= px * px.transpose() / (xa.dot(px) + m(a) * m(a) * noise_var);
  };
  for (int a : taken) {
    condition(a);
  }
  while (static_cast<int>(taken.size()) < count) {
    taken.push_back(most_informative(x, candidates, m, p, big_m, noise_var, taken));
    condition(taken.back());
  }
  return taken;
}

}  // namespace

std::vector<PlannedArch> plan_adaptation(const Pool& pool, const space::ArchIndex& index, int count,
                                         std::uint64_t seed, const NeighbourhoodOptions& options,
                                         const std::vector<char>& within) {
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
    const int a = sample[static_cast<std::size_t>(i)];
    if (index.cell(a).connected && (within.empty() || within[static_cast<std::size_t>(a)] != 0)) {
      rows.push_back(i);
    }
  }
  if (static_cast<int>(rows.size()) < count) {
    if (within.empty()) {
      throw InputError("plan: the pool's common sample has " + std::to_string(rows.size()) +
                       " connected architectures, expected at least " + std::to_string(count));
    }
    count = static_cast<int>(rows.size());  // the few the target holds; the caller adds more
  }
  if (count == 0) {
    return {};
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return mean_lat(a) < mean_lat(b); });
  std::vector<int> candidates;
  candidates.reserve(rows.size());
  for (Eigen::Index r : rows) {
    candidates.push_back(sample[static_cast<std::size_t>(r)]);
  }
  const std::vector<int> chosen = choose(pool, index, candidates, count, seed);
  std::vector<PlannedArch> plan;
  for (int a : chosen) {
    const auto r = std::lower_bound(sample.begin(), sample.end(), a) - sample.begin();
    std::vector<double> anchor(static_cast<std::size_t>(k));
    for (Eigen::Index d = 0; d < k; ++d) {
      anchor[static_cast<std::size_t>(d)] = lat(r, d);
    }
    plan.push_back({a, find_neighbourhood(a, anchor, sample, lat, options)});
  }
  return plan;
}

}  // namespace maplex::predictor
