// flops: the simplest fit of the target's own measurements, latency = a + b * FLOPs (relative
// least squares), ignoring the pool; with one measurement, latency proportional to FLOPs + the
// network's fixed part is unknowable, so the measurement scales FLOPs alone.

#include <algorithm>
#include <cmath>

#include "context.hpp"
#include "maplex/predictor/ridge.hpp"

namespace maplex::predictor::detail {

FlopsFit fit_flops(const Eigen::VectorXd& flops, const std::vector<int>& archs,
                   const std::vector<double>& latency_ms) {
  const auto n = static_cast<Eigen::Index>(archs.size());
  Eigen::MatrixXd xs(n, 2);
  Eigen::VectorXd y(n);
  Eigen::VectorXd w(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    xs(i, 0) = flops(archs[static_cast<std::size_t>(i)]);
    xs(i, 1) = 1.0;
    y(i) = latency_ms[static_cast<std::size_t>(i)];
    w(i) = 1.0 / (y(i) * y(i));
  }
  FlopsFit f;
  if (n < 2 || xs.col(0).maxCoeff() - xs.col(0).minCoeff() < 1e-9) {
    f.per_mflop = y.mean() / xs.col(0).mean();
  } else {
    const Eigen::VectorXd beta = ridge_fit(xs, y, w, 0.0);
    f.per_mflop = beta(0);
    f.fixed = beta(1);
  }
  f.floor = 0.05 * y.minCoeff();
  return f;
}

Eigen::VectorXd predict_flops(const Context& c) {
  const FlopsFit f = fit_flops(c.features.flops_m, c.target.archs, c.target.latency_ms);
  return (f.per_mflop * c.features.flops_m.array() + f.fixed).max(f.floor).matrix();
}

}  // namespace maplex::predictor::detail
