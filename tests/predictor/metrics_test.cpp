#include "maplex/predictor/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace maplex::predictor {
namespace {

TEST(Metrics, ErrorBoundAccuracyCountsTheBoundInclusive) {
  const std::vector<double> truth = {10, 10, 10, 10};
  const std::vector<double> pred = {10.5, 11.0, 8.9, 10.0};  // 5%, 10%, 11%, 0%
  EXPECT_DOUBLE_EQ(error_bound_accuracy(pred, truth, 0.10), 0.75);
  EXPECT_DOUBLE_EQ(error_bound_accuracy(pred, truth, 0.05), 0.5);
}

TEST(Metrics, SpearmanHandComputed) {
  // Ranks a: 1 2 3 4 5, b: 2 1 4 3 5; d^2 sum = 4; rho = 1 - 6*4/(5*24) = 0.8.
  const std::vector<double> a = {1, 2, 3, 4, 5};
  const std::vector<double> b = {20, 10, 40, 30, 50};
  EXPECT_NEAR(spearman(a, b), 0.8, 1e-12);
  EXPECT_NEAR(spearman(a, a), 1.0, 1e-12);
}

TEST(Metrics, KendallHandComputed) {
  // Same data: pairs 10, discordant 2 ((1,2) and (3,4)) -> tau = (8 - 2) / 10 = 0.6.
  const std::vector<double> a = {1, 2, 3, 4, 5};
  const std::vector<double> b = {20, 10, 40, 30, 50};
  EXPECT_NEAR(kendall_tau_b(a, b), 0.6, 1e-12);
}

TEST(Metrics, KendallTauBWithTies) {
  // a = 1 1 2 3, b = 1 2 2 3. n0 = 6, ties in a n1 = 1, ties in b n2 = 1, joint n3 = 0.
  // Pairs: (0,1) tied a; (0,2) C; (0,3) C; (1,2) tied b; (1,3) C; (2,3) C -> C = 4, D = 0.
  // tau_b = 4 / sqrt(5 * 5) = 0.8.
  const std::vector<double> a = {1, 1, 2, 3};
  const std::vector<double> b = {1, 2, 2, 3};
  EXPECT_NEAR(kendall_tau_b(a, b), 0.8, 1e-12);
}

TEST(Metrics, KendallMatchesBruteForceOnRandomData) {
  std::vector<double> a;
  std::vector<double> b;
  unsigned x = 12345;
  for (int i = 0; i < 300; ++i) {
    x = x * 1103515245U + 12345U;
    a.push_back(static_cast<double>((x >> 16) % 50));
    x = x * 1103515245U + 12345U;
    b.push_back(static_cast<double>((x >> 16) % 50));
  }
  double c = 0;
  double d = 0;
  double ta = 0;
  double tb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      const double s = (a[i] - a[j]) * (b[i] - b[j]);
      c += s > 0 ? 1 : 0;
      d += s < 0 ? 1 : 0;
      ta += a[i] == a[j] && b[i] != b[j] ? 1 : 0;
      tb += b[i] == b[j] && a[i] != a[j] ? 1 : 0;
    }
  }
  const double brute = (c - d) / std::sqrt((c + d + ta) * (c + d + tb));
  EXPECT_NEAR(kendall_tau_b(a, b), brute, 1e-12);
}

TEST(Metrics, Mape) {
  const std::vector<double> truth = {10, 20};
  const std::vector<double> pred = {11, 18};  // 10% and 10%
  EXPECT_NEAR(evaluate_predictions(pred, truth).mape, 10.0, 1e-12);
  EXPECT_THROW(evaluate_predictions(std::vector<double>{1}, std::vector<double>{1}),
               std::invalid_argument);
}

}  // namespace
}  // namespace maplex::predictor
