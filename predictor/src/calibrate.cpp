// maplex calibrated on the pool alone: each pool device in turn plays the target. It leaves the
// pool with its chip and, when the target's own family is absent from the pool (or unknown, as a
// user's device is), with its whole family: the inner targets face the pool the way the target
// does. Each is "measured" on the target's own architectures, and maplex predicts the rest of its
// samples. On those inner predictions the pool chooses
// - the stacking weight w of the posterior against the simplest fit of the measurements (stack):
//   the w of 0, 0.1, ..., 1 with the most predictions within 10% (ties: the larger w), so the
//   answer leans on the simplest fit exactly as far as the pool's own devices, predicted from
//   devices unlike them, were better served by it. The simplest fit is the flops fit. A target
//   with its own layer-wise table (a live device) is not stacked (w = 1): the table is already
//   the posterior's dominant centre, and the inner targets' stand-in tables (each device's per-op
//   fit on its own samples) are more faithful than a table of timed op chains, so a w chosen on
//   them leaned on a real table too far (BENCHMARKS.md, "A live device's predictor"); its inner
//   targets still carry such a table for the spread's calibration;
// - the factor the stacked log-sd is scaled by: the 95% quantile of |log(truth / prediction)| /
//   log-sd, divided by 1.96.
// Nothing of the target is looked at but its measured architectures.

#include <algorithm>
#include <cmath>

#include "context.hpp"

namespace maplex::predictor::detail {

namespace {

// Inner predictions are scored on every k-th sample of each pool device, up to this many.
constexpr std::size_t kScoredPerDevice = 200;
// The scale is kept within these bounds (a pool of two devices says little).
constexpr double kMinScale = 0.25;
constexpr double kMaxScale = 4.0;
constexpr int kWeightSteps = 10;  // w = 0, 0.1, ..., 1
constexpr double kWithin = 0.10;  // the stacking weight maximises the share within 10%

// Whether the inner targets leave their family out: the target's family is unknown or absent
// from the pool.
bool family_out(const Context& c) {
  const std::string family = c.target.spec ? c.target.spec->family : std::string();
  return family.empty() || std::none_of(c.pool.devices.begin(), c.pool.devices.end(),
                                        [&](const DeviceSamples& d) { return d.family == family; });
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

// One inner prediction: the truth, the posterior's moments and the simplest fit.
struct InnerPoint {
  double truth;
  double mean;
  double log_var;
  double simple;
};

// `held`'s stand-in for a layer-wise table measured on it: its per-op fit on its own samples.
std::vector<double> inner_table(const Context& c, const DeviceSamples& held) {
  const Eigen::VectorXd fit = fit_device(c.features.lut, held, 1e-3);
  return {fit.data(), fit.data() + fit.size()};
}

// maplex adapted to `target`'s archs on pool device d, at d's other samples.
void inner_points(const Context& c, const AdditivePrior& prior, std::size_t d, bool leave_family,
                  std::vector<InnerPoint>& out) {
  const DeviceSamples& held = c.pool.devices[d];
  std::vector<Eigen::Index> keep;
  const Pool pool = pool_without(c.pool, held, leave_family, keep);
  Adaptation target = inner_target(c.target, held, c.additive[d]);
  if (pool.devices.empty()) {
    return;
  }
  if (!c.target.lut_ms.empty()) {
    target.lut_ms = inner_table(c, held);
  }
  // The pool's fits serve every sub-pool: the inner context needs only the devices' weights for
  // the held device (hier_posterior reads no per-device model of its context).
  Context inner{c.features, pool, target, c.config, {}, {}, {}, {}};
  weigh(inner);
  const std::vector<PosteriorMember> members = hier_posterior(inner, prior_subset(prior, keep));
  const Eigen::VectorXd simple = simplest_fit(inner);
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
    out.push_back({truth[i], m.mean[i], m.log_var[i], simple(rows[i])});
  }
}

// The w with the most stacked predictions within kWithin of the truth (ties: the larger w).
double best_weight(const std::vector<InnerPoint>& points) {
  double best_w = 1;
  int best_hits = -1;
  for (int s = kWeightSteps; s >= 0; --s) {
    const double w = s / static_cast<double>(kWeightSteps);
    int hits = 0;
    for (const InnerPoint& p : points) {
      const double m = stack(w, p.mean, p.simple);
      hits += std::abs(m - p.truth) <= kWithin * p.truth ? 1 : 0;
    }
    if (hits > best_hits) {
      best_hits = hits;
      best_w = w;
    }
  }
  return best_w;
}

}  // namespace

Eigen::VectorXd prediction_floor(const Context& c) {
  const std::vector<double>& measured = c.target.latency_ms;
  const double fastest = *std::min_element(measured.begin(), measured.end());
  const Eigen::VectorXd floor =
      Eigen::VectorXd::Constant(c.features.additive.rows(), 0.5 * fastest);
  return c.target.lut_ms.empty() ? floor : floor.cwiseMin(0.5 * predict_lut(c));
}

double stack(double w, double posterior_mean, double simple) {
  return std::exp(w * std::log(posterior_mean) + (1 - w) * std::log(simple));
}

Eigen::VectorXd simplest_fit(const Context& c) {
  return predict_flops(c).cwiseMax(prediction_floor(c));
}

Pool pool_without(const Pool& pool, const DeviceSamples& held, bool family_out,
                  std::vector<Eigen::Index>& keep) {
  Pool inner;
  for (std::size_t d = 0; d < pool.devices.size(); ++d) {
    const DeviceSamples& dev = pool.devices[d];
    const bool same_family = family_out && !held.family.empty() && dev.family == held.family;
    const bool same_chip = !held.hardware.empty() && dev.hardware == held.hardware;
    if (dev.name != held.name && !same_family && !same_chip) {
      inner.devices.push_back(dev);
      keep.push_back(static_cast<Eigen::Index>(d));
    }
  }
  return inner;
}

Calibration calibrate(const Context& c, const AdditivePrior& prior, bool stacked) {
  std::vector<InnerPoint> points;
  Calibration out;
  const bool leave_family = family_out(c);
  for (std::size_t d = 0; d < c.pool.devices.size(); ++d) {
    inner_points(c, prior, d, leave_family, points);
  }
  if (points.size() < 20) {
    return out;
  }
  out.posterior_weight = stacked && c.target.lut_ms.empty() ? best_weight(points) : 1.0;
  std::vector<double> z;
  z.reserve(points.size());
  for (const InnerPoint& p : points) {
    const double m = stack(out.posterior_weight, p.mean, p.simple);
    z.push_back(std::abs(std::log(p.truth / m)) / std::sqrt(std::max(p.log_var, 1e-12)));
  }
  const auto q = z.begin() + static_cast<std::ptrdiff_t>(0.95 * static_cast<double>(z.size()));
  std::nth_element(z.begin(), q, z.end());
  out.log_sd_scale = std::clamp(*q / 1.959964, kMinScale, kMaxScale);
  return out;
}

}  // namespace maplex::predictor::detail
