#include "prior.hpp"

#include <algorithm>
#include <cmath>

#include "maplex/predictor/ridge.hpp"

namespace maplex::predictor::detail {

Eigen::VectorXd fit_coefficients(const Eigen::MatrixXd& x, const DeviceSamples& device) {
  const auto n = static_cast<Eigen::Index>(device.archs.size());
  Eigen::MatrixXd xs(n, x.cols());
  Eigen::VectorXd y(n);
  Eigen::VectorXd w(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    xs.row(i) = x.row(device.archs[static_cast<std::size_t>(i)]);
    y(i) = device.latency_ms[static_cast<std::size_t>(i)];
    w(i) = 1.0 / (y(i) * y(i));
  }
  // Divide by the mean latency first, so the ridge penalty means the same on every device.
  const double scale = y.mean();
  return ridge_fit(xs, y / scale, w * scale * scale, 1e-4) * scale;
}

namespace {

// The pool's mean, covariance and mean residual from its devices' columns.
void summarise(AdditivePrior& p) {
  const Eigen::Index k = p.devices.cols();
  p.residual_var = p.residual_vars.mean();
  p.mean = p.devices.rowwise().mean();
  const Eigen::MatrixXd centred = p.devices.colwise() - p.mean;
  p.cov = k > 1 ? Eigen::MatrixXd(centred * centred.transpose() / static_cast<double>(k - 1))
                : Eigen::MatrixXd::Zero(p.devices.rows(), p.devices.rows());
}

}  // namespace

AdditivePrior additive_prior(const Eigen::MatrixXd& x, const Pool& pool) {
  const auto k = static_cast<Eigen::Index>(pool.devices.size());
  const Eigen::RowVectorXd x_mean = x.colwise().mean();
  Eigen::MatrixXd b(x.cols(), k);
  AdditivePrior p;
  p.residual_vars.resize(k);
  for (Eigen::Index d = 0; d < k; ++d) {
    const DeviceSamples& dev = pool.devices[static_cast<std::size_t>(d)];
    const Eigen::VectorXd beta = fit_coefficients(x, dev);
    b.col(d) = beta / x_mean.dot(beta);
    double sq = 0;
    for (std::size_t i = 0; i < dev.archs.size(); ++i) {
      const double fit = std::max(x.row(dev.archs[i]).dot(beta), 1e-9);
      const double r = std::log(dev.latency_ms[i] / fit);
      sq += r * r;
    }
    p.residual_vars(d) = sq / static_cast<double>(std::max<std::size_t>(1, dev.archs.size()));
  }
  p.devices = b;
  // A feature whose mean over the space is m contributes about coefficient * m at a typical
  // architecture: D = 1 / m^2 lets it move by tau of the mean latency (1 after normalising).
  p.inflate.resize(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double m = std::max(x_mean(j), 1e-3);
    p.inflate(j) = 1.0 / (m * m);
  }
  summarise(p);
  return p;
}

AdditivePrior prior_subset(const AdditivePrior& prior, const std::vector<Eigen::Index>& keep) {
  AdditivePrior p;
  p.devices.resize(prior.devices.rows(), static_cast<Eigen::Index>(keep.size()));
  p.residual_vars.resize(static_cast<Eigen::Index>(keep.size()));
  for (std::size_t k = 0; k < keep.size(); ++k) {
    p.devices.col(static_cast<Eigen::Index>(k)) = prior.devices.col(keep[k]);
    p.residual_vars(static_cast<Eigen::Index>(k)) = prior.residual_vars(keep[k]);
  }
  p.inflate = prior.inflate;
  summarise(p);
  return p;
}

Eigen::MatrixXd prior_cov(const AdditivePrior& prior, double tau, double scale_var) {
  Eigen::MatrixXd s = prior.cov + scale_var * prior.mean * prior.mean.transpose();
  s.diagonal() += tau * tau * prior.inflate;
  return s;
}

}  // namespace maplex::predictor::detail
