#pragma once
// A prior over a device's additive latency model, learned from the pool (maplex's method and its
// plan share it).
//
// Every pool device's latency is fitted as x(a) . b (the additive features: op counts, live op
// counts, connected, bias) by relative least squares; b is normalised so its mean prediction over
// the space is 1. The prior of a new device's normalised coefficients is Gaussian: the mean and
// covariance of the pool's, plus an isotropic inflation tau^2 D. D lets each feature contribute
// about tau of the mean latency at a typical architecture, so a device whose fixed overhead or
// per-op costs lie outside the span of the pool is still expressible; tau is not tuned here but
// averaged over a grid with the measurements' marginal likelihood (hier.cpp).

#include <Eigen/Dense>
#include <vector>

#include "maplex/predictor/pool.hpp"

namespace maplex::predictor::detail {

struct AdditivePrior {
  Eigen::MatrixXd devices;        // per pool device (column): its normalised coefficients
  Eigen::VectorXd mean;           // normalised coefficients: the mean of the devices
  Eigen::MatrixXd cov;            // between-device covariance of the normalised coefficients
  Eigen::VectorXd inflate;        // D: per-coefficient variance of the inflation, for tau = 1
  Eigen::VectorXd residual_vars;  // per pool device: the log residual variance of its fit
  double residual_var = 0;        // their mean
};

// Relative least-squares fit of latency on `x` rows of the device's architectures (weights 1/y^2,
// a light ridge so collinear columns stay defined).
Eigen::VectorXd fit_coefficients(const Eigen::MatrixXd& x, const DeviceSamples& device);

// `x`: the additive features of every architecture (rows by NB201 index).
AdditivePrior additive_prior(const Eigen::MatrixXd& x, const Pool& pool);

// The prior of the pool devices `keep` (column indices into prior.devices, in that order): the
// same as additive_prior on that sub-pool, without fitting the devices again.
AdditivePrior prior_subset(const AdditivePrior& prior, const std::vector<Eigen::Index>& keep);

// The prior covariance (in normalised units) for an inflation tau, with a scale term `scale_var`
// along the mean (the device's overall speed is known only up to a factor).
Eigen::MatrixXd prior_cov(const AdditivePrior& prior, double tau, double scale_var);

}  // namespace maplex::predictor::detail
