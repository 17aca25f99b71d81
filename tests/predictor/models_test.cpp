#include <gtest/gtest.h>

#include "maplex/predictor/mlp.hpp"
#include "maplex/predictor/ridge.hpp"

namespace maplex::predictor {
namespace {

TEST(Ridge, RecoversALinearModel) {
  Eigen::MatrixXd x(50, 3);
  Eigen::VectorXd y(50);
  for (int i = 0; i < 50; ++i) {
    x(i, 0) = i % 7;
    x(i, 1) = (i * 3) % 5;
    x(i, 2) = 1.0;
    y(i) = 2.0 * x(i, 0) - 0.5 * x(i, 1) + 3.0;
  }
  const Eigen::VectorXd b = ridge_fit(x, y, Eigen::VectorXd::Ones(50), 0.0);
  EXPECT_NEAR(b(0), 2.0, 1e-8);
  EXPECT_NEAR(b(1), -0.5, 1e-8);
  EXPECT_NEAR(b(2), 3.0, 1e-6);
}

TEST(Ridge, WeightsSelectTheRowsThatCount) {
  // Two inconsistent rows for a constant model: the weighted mean wins.
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(2, 1);
  Eigen::VectorXd y(2);
  y << 1.0, 4.0;
  Eigen::VectorXd w(2);
  w << 2.0, 1.0;
  EXPECT_NEAR(ridge_fit(x, y, w, 0.0)(0), 2.0, 1e-6);
}

TEST(Mlp, FitsASmoothFunctionReproducibly) {
  Eigen::MatrixXd x(200, 2);
  Eigen::VectorXd y(200);
  for (int i = 0; i < 200; ++i) {
    x(i, 0) = (i % 20) / 10.0 - 1.0;
    x(i, 1) = (i / 20) / 5.0 - 1.0;
    y(i) = x(i, 0) * x(i, 0) + 0.5 * x(i, 1);
  }
  MlpConfig cfg;
  cfg.hidden = {32};
  cfg.epochs = 300;
  cfg.batch = 32;
  Mlp a(cfg, 7);
  Mlp b(cfg, 7);
  const double mse = a.train(x, y, Eigen::VectorXd::Ones(200));
  b.train(x, y, Eigen::VectorXd::Ones(200));
  // The target's variance is about 0.17; a working fit explains nearly all of it.
  EXPECT_LT(mse, 0.005);
  EXPECT_EQ(a.predict(x), b.predict(x));  // same seed, same bits
  Mlp c(cfg, 8);
  c.train(x, y, Eigen::VectorXd::Ones(200));
  EXPECT_NE(a.predict(x), c.predict(x));
  EXPECT_THROW(Mlp().predict(x), std::logic_error);
}

}  // namespace
}  // namespace maplex::predictor
