// flops: the simplest fit of the target's own measurements, latency = a + b * FLOPs (relative
// least squares), ignoring the pool; with one measurement, latency proportional to FLOPs + the
// network's fixed part is unknowable, so the measurement scales FLOPs alone.

#include <algorithm>
#include <cmath>

#include "context.hpp"
#include "maplex/predictor/ridge.hpp"

namespace maplex::predictor::detail {

Eigen::VectorXd predict_flops(const Context& c) {
  const Eigen::VectorXd& flops = c.features.flops_m;
  const auto n = static_cast<Eigen::Index>(c.target.archs.size());
  Eigen::MatrixXd xs(n, 2);
  Eigen::VectorXd y(n);
  Eigen::VectorXd w(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    xs(i, 0) = flops(c.target.archs[static_cast<std::size_t>(i)]);
    xs(i, 1) = 1.0;
    y(i) = c.target.latency_ms[static_cast<std::size_t>(i)];
    w(i) = 1.0 / (y(i) * y(i));
  }
  Eigen::VectorXd beta(2);
  if (n < 2 || xs.col(0).maxCoeff() - xs.col(0).minCoeff() < 1e-9) {
    beta << y.mean() / xs.col(0).mean(), 0.0;
  } else {
    beta = ridge_fit(xs, y, w, 0.0);
  }
  const double floor = 0.05 * y.minCoeff();
  return (beta(0) * flops.array() + beta(1)).max(floor).matrix();
}

}  // namespace maplex::predictor::detail
