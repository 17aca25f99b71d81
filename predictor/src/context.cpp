#include "context.hpp"

#include <algorithm>
#include <cmath>

#include "maplex/predictor/ridge.hpp"
#include "maplex/predictor/similarity.hpp"

namespace maplex::predictor::detail {

Eigen::VectorXd fit_device(const Eigen::MatrixXd& x, const DeviceSamples& device, double lambda) {
  const auto n = static_cast<Eigen::Index>(device.archs.size());
  Eigen::MatrixXd xs(n, x.cols());
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    xs.row(i) = x.row(device.archs[static_cast<std::size_t>(i)]);
    y(i) = device.latency_ms[static_cast<std::size_t>(i)];
  }
  const Eigen::VectorXd beta = ridge_fit(xs, y, Eigen::VectorXd::Ones(n), lambda);
  const double floor = 0.5 * y.minCoeff();
  return (x * beta).cwiseMax(floor);
}

Context make_context(const FeatureCache& features, const Pool& pool, const Adaptation& target,
                     const PredictorConfig& config) {
  Context c{features, pool, target, config, {}, {}, {}, {}};
  for (const DeviceSamples& d : pool.devices) {
    c.additive.push_back(fit_device(features.additive, d, 1e-3));
    double sq = 0;
    for (std::size_t k = 0; k < d.archs.size(); ++k) {
      const double r = std::log(d.latency_ms[k] / c.additive.back()(d.archs[k]));
      sq += r * r;
    }
    c.residual_sd.push_back(
        std::sqrt(sq / static_cast<double>(std::max<std::size_t>(1, d.archs.size()))));
  }
  weigh(c);
  return c;
}

void weigh(Context& c) {
  std::vector<SpecVector> specs;
  specs.reserve(c.pool.devices.size());
  for (const DeviceSamples& d : c.pool.devices) {
    specs.push_back(d.spec);
  }
  const SpecVector target = c.target.spec.value_or(SpecVector{});
  c.hardware_weight = hardware_weights(specs, target).weight;
  c.setting_weight = hardware_weights(specs, target, true).weight;
}

double pooled_residual_var(const Context& c) {
  double sum = 0;
  double total = 0;
  for (std::size_t d = 0; d < c.residual_sd.size(); ++d) {
    const double w = std::pow(c.setting_weight[d], c.config.hardware_sharpness);
    sum += w * c.residual_sd[d] * c.residual_sd[d];
    total += w;
  }
  return total > 0 ? sum / total : 0.0;
}

double log_ratio_scale(const Eigen::VectorXd& model, const Adaptation& target) {
  double sum = 0;
  for (std::size_t k = 0; k < target.archs.size(); ++k) {
    sum += std::log(target.latency_ms[k] / model(target.archs[k]));
  }
  return std::exp(sum / static_cast<double>(target.archs.size()));
}

Eigen::VectorXd own_table(const Context& c) {
  return Eigen::Map<const Eigen::VectorXd>(c.target.lut_ms.data(),
                                           static_cast<Eigen::Index>(c.target.lut_ms.size()));
}

Eigen::VectorXd predict_lut(const Context& c) {
  if (!c.target.lut_ms.empty()) {
    const Eigen::VectorXd own = own_table(c);
    return own * log_ratio_scale(own, c.target);
  }
  // Normalised per-device tables, averaged with the hardware weights.
  Eigen::VectorXd mix = Eigen::VectorXd::Zero(c.features.lut.rows());
  double total = 0;
  for (std::size_t d = 0; d < c.pool.devices.size(); ++d) {
    const Eigen::VectorXd table = fit_device(c.features.lut, c.pool.devices[d], 1e-3);
    mix += c.hardware_weight[d] * table / table.mean();
    total += c.hardware_weight[d];
  }
  mix /= total;
  return mix * log_ratio_scale(mix, c.target);
}

Eigen::VectorXd predict_nearest(const Context& c, TrainReport& report) {
  std::size_t best = 0;
  double best_err = 0;
  for (std::size_t d = 0; d < c.additive.size(); ++d) {
    const double s = std::log(log_ratio_scale(c.additive[d], c.target));
    double err = 0;
    for (std::size_t k = 0; k < c.target.archs.size(); ++k) {
      const double r = std::log(c.target.latency_ms[k] / c.additive[d](c.target.archs[k])) - s;
      err += r * r;
    }
    // Ties (one measurement fits every device) go to the most similar hardware.
    const bool better =
        d == 0 || err < best_err - 1e-12 ||
        (std::abs(err - best_err) <= 1e-12 && c.hardware_weight[d] > c.hardware_weight[best]);
    if (better) {
      best = d;
      best_err = err;
    }
  }
  report.nearest_device = c.pool.devices[best].name;
  report.nearest_scale = log_ratio_scale(c.additive[best], c.target);
  return c.additive[best] * report.nearest_scale;
}

}  // namespace maplex::predictor::detail
