#include "maplex/predictor/ridge.hpp"

namespace maplex::predictor {

Eigen::VectorXd ridge_fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                          const Eigen::VectorXd& w, double lambda) {
  const Eigen::MatrixXd xw = x.array().colwise() * w.array();
  Eigen::MatrixXd a = x.transpose() * xw;
  for (Eigen::Index j = 0; j + 1 < a.cols(); ++j) {
    a(j, j) += lambda;
  }
  a(a.cols() - 1, a.cols() - 1) += 1e-9;  // keeps the system definite when the bias is collinear
  return a.ldlt().solve(xw.transpose() * y);
}

}  // namespace maplex::predictor
