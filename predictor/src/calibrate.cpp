// maplex's spread, calibrated on the pool alone: each pool device in turn plays the target. Its
// family and chip leave the pool (it must be predicted from devices unlike it, as a user's device
// may be), it is "measured" on the target's own architectures, and maplex predicts the rest of
// its samples. The 95% quantile of |log(truth / prediction)| / log-sd over all of them, divided by
// 1.96, scales the target's log-sd: intervals that were too wide (or too narrow) on the pool's
// own devices are narrowed (or widened) by that factor. Nothing of the target is looked at but
// its measured architectures.

#include <algorithm>
#include <cmath>

#include "context.hpp"

namespace maplex::predictor::detail {

namespace {

// Standardised errors are collected on every k-th sample of each pool device, up to this many.
constexpr std::size_t kScoredPerDevice = 200;
// The scale is kept within these bounds (a pool of two devices says little).
constexpr double kMinScale = 0.25;
constexpr double kMaxScale = 4.0;

// The pool without `held` and every device of its family or chip, and the kept devices' positions.
Pool inner_pool(const Pool& pool, const DeviceSamples& held, std::vector<Eigen::Index>& keep) {
  Pool inner;
  for (std::size_t d = 0; d < pool.devices.size(); ++d) {
    const DeviceSamples& dev = pool.devices[d];
    const bool same_family = !held.family.empty() && dev.family == held.family;
    const bool same_chip = !held.hardware.empty() && dev.hardware == held.hardware;
    if (dev.name != held.name && !same_family && !same_chip) {
      inner.devices.push_back(dev);
      keep.push_back(static_cast<Eigen::Index>(d));
    }
  }
  return inner;
}

// `held`'s latencies on the target's measured architectures: its own where it has them, else its
// additive model's (`model`; the target's measurements are usually kept out of the pool).
Adaptation inner_target(const Adaptation& target, const DeviceSamples& held,
                        const Eigen::VectorXd& model) {
  Adaptation a;
  a.spec = held.spec;
  a.archs = target.archs;
  for (int arch : target.archs) {
    const auto it = std::lower_bound(held.archs.begin(), held.archs.end(), arch);
    const bool known = it != held.archs.end() && *it == arch;
    a.latency_ms.push_back(
        known ? held.latency_ms[static_cast<std::size_t>(it - held.archs.begin())] : model(arch));
  }
  return a;
}

// |standardised log error| of `held`'s other samples under maplex adapted to `target`'s archs.
void standardised_errors(const Context& c, const AdditivePrior& prior, std::size_t d,
                         std::vector<double>& out) {
  const DeviceSamples& held = c.pool.devices[d];
  std::vector<Eigen::Index> keep;
  const Pool pool = inner_pool(c.pool, held, keep);
  const Adaptation target = inner_target(c.target, held, c.additive[d]);
  if (pool.devices.empty()) {
    return;
  }
  // The pool's fits serve every sub-pool: the inner context needs only the devices' weights for
  // the held device (hier_posterior reads no per-device model of its context).
  Context inner{c.features, pool, target, c.config, {}, {}, {}, {}};
  weigh(inner);
  const std::vector<PosteriorMember> members = hier_posterior(inner, prior_subset(prior, keep));
  const std::size_t step = std::max<std::size_t>(1, held.archs.size() / kScoredPerDevice);
  std::vector<int> rows;
  std::vector<double> truth;
  for (std::size_t i = 0; i < held.archs.size(); i += step) {
    if (std::find(target.archs.begin(), target.archs.end(), held.archs[i]) == target.archs.end()) {
      rows.push_back(held.archs[i]);
      truth.push_back(held.latency_ms[i]);
    }
  }
  const Moments m = mixture_moments(inner, members, rows);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double sd = std::sqrt(std::max(m.log_var[i], 1e-12));
    out.push_back(std::abs(std::log(truth[i] / m.mean[i])) / sd);
  }
}

}  // namespace

double log_sd_scale(const Context& c, const AdditivePrior& prior) {
  std::vector<double> z;
  for (std::size_t d = 0; d < c.pool.devices.size(); ++d) {
    standardised_errors(c, prior, d, z);
  }
  if (z.size() < 20) {
    return 1.0;
  }
  const auto q = z.begin() + static_cast<std::ptrdiff_t>(0.95 * static_cast<double>(z.size()));
  std::nth_element(z.begin(), q, z.end());
  return std::clamp(*q / 1.959964, kMinScale, kMaxScale);
}

}  // namespace maplex::predictor::detail
