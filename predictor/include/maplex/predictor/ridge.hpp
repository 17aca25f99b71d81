#pragma once
// Weighted ridge regression: minimise sum_i w_i (y_i - x_i b)^2 + lambda * |b|^2, where the last
// column (the bias) is not penalised.

#include <Eigen/Dense>

namespace maplex::predictor {

// Returns b. x: n x p, y: n, w: n (non-negative), lambda >= 0.
Eigen::VectorXd ridge_fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                          const Eigen::VectorXd& w, double lambda);

}  // namespace maplex::predictor
