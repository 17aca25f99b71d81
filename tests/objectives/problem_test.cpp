// The search problem on shipped tables: budgets, sources, the enumerated optimum, bad input.
#include "maplex/objectives/problem.hpp"
#include "maplex/objectives/accuracy.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>

#include "maplex/core/error.hpp"
#include "maplex/tables/catalog.hpp"
#include "shipped_data.hpp"
#include "tables/test_files.hpp"

namespace maplex::objectives {
namespace {

using maplex::tables::testing::error_of;
const auto& catalog = maplex::testing::shipped_catalog;
const auto& lat_of = maplex::testing::shipped_latencies;

Problem titan(std::optional<double> budget) {
  return Problem(test_accuracies(catalog().archs(), space::Dataset::cifar10),
                 table_source("titan_rtx_1", lat_of("titan_rtx_1")), budget, catalog().index());
}

TEST(NormalQuantile, KnownValues) {
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-9);
  EXPECT_NEAR(normal_quantile(0.9), 1.2815515655446004, 1e-8);
  EXPECT_NEAR(normal_quantile(0.95), 1.6448536269514722, 1e-8);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-8);
  EXPECT_NEAR(normal_quantile(0.01), -2.3263478740408408, 1e-8);
}

TEST(PredictedSource, BoundIsPredictionTimesExpZSd) {
  const std::vector<double> pred = {2.0, 4.0};
  const std::vector<double> sd = {0.1, 0.0};
  const LatencySource s = predicted_source("d", pred, sd, 0.95, 3);
  EXPECT_EQ(s.kind, SourceKind::predicted);
  EXPECT_FALSE(s.measures());
  EXPECT_NEAR(s.bound_ms[0], 2.0 * std::exp(1.6448536269514722 * 0.1), 1e-8);
  EXPECT_DOUBLE_EQ(s.bound_ms[1], 4.0);
  EXPECT_DOUBLE_EQ(s.latency_ms[0], 2.0);
  EXPECT_EQ(s.adaptation_measurements, 3);
  const LatencySource median = predicted_source("d", pred, sd, 0.5, 3);
  EXPECT_NEAR(median.bound_ms[0], 2.0, 1e-9);
  EXPECT_NE(error_of([&] { (void)predicted_source("d", pred, sd, 1.0, 3); }).find("confidence"),
            std::string::npos);
  EXPECT_NE(error_of([&] { (void)predicted_source("d", pred, sd, 0.0, 3); }).find("confidence"),
            std::string::npos);
}

TEST(Problem, AssessUsesTheBudget) {
  const auto lat = lat_of("titan_rtx_1");
  const Problem p = titan(6.0);
  for (int i : {0, 5250, 11472, 15624}) {
    const Fitness f = p.assess(i);
    const double l = lat[static_cast<std::size_t>(i)];
    EXPECT_EQ(f.index, i);
    EXPECT_DOUBLE_EQ(f.latency_ms, l);
    EXPECT_TRUE(std::isnan(f.accuracy));  // assessing never queries accuracy
    EXPECT_EQ(f.feasible(), l <= 6.0);
    EXPECT_DOUBLE_EQ(f.violation, l > 6.0 ? l - 6.0 : 0.0);
  }
  EXPECT_DOUBLE_EQ(p.accuracy(0), catalog().archs().records[0].test_acc[0]);
}

TEST(Problem, NegativeZeroAndNonFiniteBudgetsRejected) {
  for (double b : {-3.0, 0.0, std::numeric_limits<double>::infinity(), std::nan("")}) {
    const std::string e = error_of([&] { (void)titan(b); });
    EXPECT_NE(e.find("latency budget"), std::string::npos) << e;
    EXPECT_NE(e.find("expected a finite number of milliseconds > 0"), std::string::npos) << e;
  }
}

TEST(Problem, BudgetBelowEveryArchitectureNamesTheFastest) {
  const auto lat = lat_of("titan_rtx_1");
  int fastest = -1;
  for (std::size_t i = 0; i < lat.size(); ++i) {
    if (!std::isnan(lat[i]) && (fastest < 0 || lat[i] < lat[static_cast<std::size_t>(fastest)])) {
      fastest = static_cast<int>(i);
    }
  }
  ASSERT_GE(fastest, 0);
  const double below = lat[static_cast<std::size_t>(fastest)] * 0.99;
  const std::string e = error_of([&] { (void)titan(below); });
  EXPECT_NE(e.find("no feasible architecture exists"), std::string::npos) << e;
  EXPECT_NE(e.find("the fastest is " + std::to_string(fastest) + " " +
                   catalog().index().arch(fastest).str()),
            std::string::npos)
      << e;
  // Exactly the fastest latency is feasible.
  EXPECT_EQ(error_of([&] { (void)titan(lat[static_cast<std::size_t>(fastest)]); }), "<no error>");
}

TEST(ConstrainedOptimum, AgreesWithAPlainScan) {
  const auto acc = test_accuracies(catalog().archs(), space::Dataset::cifar100);
  const auto lat = lat_of("pixel3");
  for (double budget : {10.0, 20.0, 40.0, 1e9}) {
    int best = -1;
    for (std::size_t i = 0; i < acc.size(); ++i) {
      if (std::isnan(lat[i]) || lat[i] > budget) {
        continue;
      }
      if (best < 0 || acc[i] > acc[static_cast<std::size_t>(best)]) {
        best = static_cast<int>(i);
      }
    }
    const int got = constrained_optimum(acc, lat, budget);
    ASSERT_GE(got, 0);
    // Ties in accuracy may pick another index; the accuracy must match and the pick be feasible.
    EXPECT_DOUBLE_EQ(acc[static_cast<std::size_t>(got)], acc[static_cast<std::size_t>(best)]);
    EXPECT_LE(lat[static_cast<std::size_t>(got)], budget);
  }
  EXPECT_EQ(constrained_optimum(acc, lat, 1e-6), -1);
}

TEST(CostLimits, ViolationOptimumAndMessages) {
  const auto& archs = catalog().archs();
  const auto limits = cost_limits(archs, space::Dataset::cifar10, 50.0, 0.4);
  ASSERT_EQ(limits.size(), 2U);
  const Problem p(test_accuracies(archs, space::Dataset::cifar10),
                  table_source("titan_rtx_1", lat_of("titan_rtx_1")), 6.0, catalog().index(),
                  limits);
  const auto lat = lat_of("titan_rtx_1");
  int checked = 0;
  for (int i = 0; i < 15625; i += 97) {
    const auto& r = archs.records[static_cast<std::size_t>(i)];
    const double l = lat[static_cast<std::size_t>(i)];
    double want = l > 6.0 ? l - 6.0 : 0.0;
    want += r.flops_m[0] > 50.0 ? (r.flops_m[0] - 50.0) / 50.0 : 0.0;
    want += r.params_m[0] > 0.4 ? (r.params_m[0] - 0.4) / 0.4 : 0.0;
    EXPECT_NEAR(p.assess(i).violation, want, 1e-12) << i;
    EXPECT_EQ(p.meets_limits(i), r.flops_m[0] <= 50.0 && r.params_m[0] <= 0.4);
    ++checked;
  }
  EXPECT_GT(checked, 100);
  // The optimum under the limits, against a plain scan.
  const auto acc = test_accuracies(archs, space::Dataset::cifar10);
  int best = -1;
  for (std::size_t i = 0; i < acc.size(); ++i) {
    if (lat[i] <= 6.0 && archs.records[i].flops_m[0] <= 50.0 &&
        archs.records[i].params_m[0] <= 0.4 &&
        (best < 0 || acc[i] > acc[static_cast<std::size_t>(best)])) {
      best = static_cast<int>(i);
    }
  }
  const int got = constrained_optimum(acc, lat, 6.0, limits);
  ASSERT_GE(got, 0);
  EXPECT_DOUBLE_EQ(acc[static_cast<std::size_t>(got)], acc[static_cast<std::size_t>(best)]);
  EXPECT_LE(archs.records[static_cast<std::size_t>(got)].params_m[0], 0.4);
  EXPECT_LT(acc[static_cast<std::size_t>(got)],
            acc[static_cast<std::size_t>(constrained_optimum(acc, lat, 6.0))]);

  const auto none = cost_limits(archs, space::Dataset::cifar10, std::nullopt, 0.01);
  const std::string e = error_of(
      [&] { (void)Problem(acc, table_source("titan_rtx_1", lat), 6.0, catalog().index(), none); });
  EXPECT_NE(e.find("no architecture meets params <= 0.01 M; the smallest by params is"),
            std::string::npos)
      << e;
  const auto bad = cost_limits(archs, space::Dataset::cifar10, -1.0, std::nullopt);
  EXPECT_NE(error_of([&] {
              (void)Problem(acc, table_source("titan_rtx_1", lat), 6.0, catalog().index(), bad);
            }).find("FLOPs limit -1 M, expected a finite number > 0"),
            std::string::npos);
}

TEST(Sources, UnknownSourceNamed) {
  const std::string e = error_of([] { (void)parse_source("guess"); });
  EXPECT_NE(e.find("'guess'"), std::string::npos) << e;
  EXPECT_NE(e.find("predicted"), std::string::npos) << e;
  EXPECT_EQ(parse_source("table"), SourceKind::table);
}

}  // namespace
}  // namespace maplex::objectives
