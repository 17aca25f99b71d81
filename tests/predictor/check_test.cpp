// Checking a prediction: which latencies it is scored on and the score itself.

#include "maplex/predictor/check.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "fixtures.hpp"
#include "maplex/core/error.hpp"
#include "shipped_data.hpp"

namespace maplex::predictor {
namespace {

const auto& catalog = maplex::testing::shipped_catalog;

Target target_on(const std::string& device, const std::vector<int>& archs) {
  return Target{device, testing::measured(device, archs), true, "table"};
}

TEST(Check, TheTableLeavesOutTheAdaptationsArchitectures) {
  const Target t = target_on("pixel3", {7, 42, 15000});
  const CheckSet c = table_checks(t, catalog());
  // pixel3's table has every architecture: all but the 3 measured are scored.
  EXPECT_EQ(c.archs.size(), 15625U - 3);
  EXPECT_EQ(c.adaptation_rows_left_out, 3);
  for (int a : {7, 42, 15000}) {
    EXPECT_EQ(std::count(c.archs.begin(), c.archs.end(), a), 0) << a;
  }
  EXPECT_EQ(c.ms[0], catalog().latencies("pixel3")[0]);
  EXPECT_EQ(c.ms[7], catalog().latencies("pixel3")[8]);  // 7 is skipped
}

TEST(Check, LiveChecksAreNewDistinctSeededAndMeasuredInOrder) {
  const Target t = target_on("pixel3", {7, 42, 15000});
  std::vector<int> asked;
  const auto measure = [&](int a) {
    asked.push_back(a);
    return 1.0 + a;
  };
  const CheckSet c = live_checks(t, 20, 5, catalog().index(), measure);
  ASSERT_EQ(c.archs.size(), 20U);
  EXPECT_EQ(asked, c.archs);
  const std::set<int> distinct(c.archs.begin(), c.archs.end());
  EXPECT_EQ(distinct.size(), 20U);
  EXPECT_EQ(distinct.count(7) + distinct.count(42) + distinct.count(15000), 0U);
  for (std::size_t k = 0; k < c.archs.size(); ++k) {
    EXPECT_EQ(c.ms[k], 1.0 + c.archs[k]);
  }
  const auto again = [](int a) { return 1.0 + a; };
  EXPECT_EQ(live_checks(t, 20, 5, catalog().index(), again).archs, c.archs);
  EXPECT_NE(live_checks(t, 20, 6, catalog().index(), again).archs, c.archs);
}

TEST(Check, ScoreCountsTheLatenciesInsideThe95PercentInterval) {
  const Target t = target_on("1080ti_1", {100, 2000, 9000});
  PredictorConfig cfg;
  cfg.method = Method::maplex;
  cfg.seed = 2;
  Predictor p(testing::features(), cfg);
  p.train(testing::protocol_pool_of("loo", "1080ti_1", 2), t.adaptation);
  // Three checks by hand: one at the prediction, one just inside its interval, one far outside.
  CheckSet c;
  for (int a : {1, 2, 3}) {
    c.archs.push_back(a);
  }
  const auto& m = p.predictions();
  const auto& s = p.log_sd();
  c.ms = {m[1], m[2] * std::exp(1.9 * s[2]), m[3] * std::exp(5 * s[3])};
  const Metrics score = score_checks(p, c);
  EXPECT_EQ(score.count, 3);
  EXPECT_DOUBLE_EQ(score.coverage95, 2.0 / 3.0);
  // MAPE is |predicted / measured - 1|.
  EXPECT_NEAR(score.mape, 100 * (2 - std::exp(-1.9 * s[2]) - std::exp(-5 * s[3])) / 3, 1e-9);
}

TEST(Check, AFileWithTooFewRowsToScoreIsRefusedByName) {
  const auto path = ::maplex::testing::test_temp_dir() / "maplex_check_one_row.csv";
  std::ofstream(path) << "arch,latency_ms\n7,1.5\n8,1.7\n";
  const Target t = target_on("pixel3", {7, 42, 15000});
  try {
    file_checks(t, path.string(), catalog());
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1 measurement of 'pixel3'"), std::string::npos)
        << e.what();
  }
  std::ofstream(path) << "arch,latency_ms\n7,1.5\n8,1.7\n9,2.5\n";
  const CheckSet c = file_checks(t, path.string(), catalog());
  EXPECT_EQ(c.archs, (std::vector<int>{8, 9}));
  EXPECT_EQ(c.ms, (std::vector<double>{1.7, 2.5}));
  EXPECT_EQ(c.adaptation_rows_left_out, 1);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace maplex::predictor
