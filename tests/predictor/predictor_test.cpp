// Predictors on the shipped data: sanity, reproducibility, thread independence, bad input.

#include "maplex/predictor/predictor.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include "fixtures.hpp"
#include "maplex/core/error.hpp"
#include "maplex/predictor/evaluation.hpp"
#include "maplex/predictor/plan.hpp"
#include "shipped_data.hpp"
#include "tables/test_files.hpp"

namespace maplex::predictor {
namespace {

const auto& catalog = maplex::testing::shipped_catalog;

using testing::features;
using testing::measured;

using maplex::tables::testing::error_of;

Pool loo_pool(const std::string& target, std::uint64_t seed = 1) {
  return testing::protocol_pool_of("loo", target, seed);
}

TEST(Pool, DefaultExcludesTargetAndItsHardware) {
  const Pool pool = build_pool(catalog(), "titan_rtx_256", {});
  const auto names = pool.names();
  EXPECT_EQ(names.size(), 37U);  // 40 minus titan_rtx_1/32/256
  for (const auto& n : names) {
    EXPECT_EQ(n.find("titan_rtx"), std::string::npos) << n;
  }
  // Eagle devices lack the 341 disconnected cells and Snapdragon 450 / 675 a few more, so the
  // common sample holds 15,284 - 32 - (the 675 files' own misses not already counted).
  EXPECT_LT(pool.devices.front().archs.size(), 15284U);
}

TEST(Pool, SampleIsSharedAndSeeded) {
  const Pool a = loo_pool("gold_6226", 5);
  const Pool b = loo_pool("gold_6226", 5);
  const Pool c = loo_pool("gold_6226", 6);
  ASSERT_EQ(a.devices.size(), 5U);
  EXPECT_EQ(a.devices[0].archs.size(), 900U);
  EXPECT_EQ(a.devices[0].archs, a.devices[4].archs);
  EXPECT_EQ(a.devices[0].archs, b.devices[0].archs);
  EXPECT_NE(a.devices[0].archs, c.devices[0].archs);
}

TEST(Predictor, EveryMethodPredictsPositiveLatenciesNearTheTruth) {
  const Pool pool = loo_pool("1080ti_1");
  for (Method m : kAllMethods) {
    std::vector<int> archs = {11982, 431, 55};
    for (int a : required_archs(m)) {
      if (std::find(archs.begin(), archs.end(), a) == archs.end()) {
        archs.push_back(a);
      }
    }
    const Adaptation target = measured("1080ti_1", archs);
    PredictorConfig cfg;
    cfg.method = m;
    cfg.seed = 3;
    cfg.help_meta_iterations = 500;
    Predictor p(features(), cfg);
    EXPECT_FALSE(p.trained());
    p.train(pool, target);
    const auto& pred = p.predictions();
    ASSERT_EQ(pred.size(), 15625U);
    std::vector<double> truth(catalog().latencies("1080ti_1").begin(),
                              catalog().latencies("1080ti_1").end());
    double log_err = 0;
    for (std::size_t i = 0; i < pred.size(); ++i) {
      ASSERT_GT(pred[i], 0.0) << method_name(m);
      log_err += std::abs(std::log(pred[i] / truth[i]));
    }
    // Every method lands within 35% of the truth on average (the GPU latencies span 3.6-17 ms).
    EXPECT_LT(log_err / 15625, 0.30) << method_name(m);
  }
}

// maplex is maplex-posterior's answer stacked in log space with the flops fit of the same
// measurements: m = posterior^w flops^(1 - w), w chosen on the pool (below 1 here).
TEST(Predictor, MaplexIsItsPosteriorStackedWithTheFlopsFit) {
  const Pool pool = loo_pool("pixel3");
  const Adaptation target = measured("pixel3", {100, 2000, 9000});
  const auto fitted = [&](Method m) {
    PredictorConfig cfg;
    cfg.method = m;
    cfg.seed = 4;
    Predictor p(features(), cfg);
    p.train(pool, target);
    return p;
  };
  const Predictor stacked = fitted(Method::maplex);
  const Predictor posterior = fitted(Method::maplex_posterior);
  const Predictor flops = fitted(Method::flops);
  EXPECT_EQ(posterior.report().posterior_weight, 1.0);
  const double w = stacked.report().posterior_weight;
  ASSERT_LT(w, 1.0);
  ASSERT_GE(w, 0.0);
  const double half_fastest =
      0.5 * *std::min_element(target.latency_ms.begin(), target.latency_ms.end());
  int compared = 0;
  for (std::size_t a = 0; a < 15625; a += 7) {
    const double f = flops.predictions()[a];
    if (f <= half_fastest || posterior.predictions()[a] <= half_fastest) {
      continue;  // floored differently by the two
    }
    const double expected = std::pow(posterior.predictions()[a], w) * std::pow(f, 1 - w);
    EXPECT_NEAR(stacked.predictions()[a] / expected, 1.0, 1e-9) << a;
    ++compared;
  }
  EXPECT_GT(compared, 1000);
}

// A live device's own layer-wise table covers every architecture. When the three measurements are
// all among the slowest, the fast architectures must follow the table, not a floor at half the
// fastest measurement (which put them 5-8x too slow: runs 11-13 of bench/runtimes.sh, trial 3).
TEST(Predictor, AnOwnTableKeepsTheFastArchitecturesWhenEveryMeasurementIsSlow) {
  const std::string device = "pixel3";
  const auto& truth = catalog().latencies(device);
  std::vector<int> connected;
  for (int a = 0; a < 15625; ++a) {
    if (catalog().index().cell(a).connected) {
      connected.push_back(a);
    }
  }
  std::sort(connected.begin(), connected.end(), [&](int a, int b) {
    return truth[static_cast<std::size_t>(a)] < truth[static_cast<std::size_t>(b)];
  });
  const std::vector<int> slowest(connected.end() - 3, connected.end());
  Adaptation target = measured(device, slowest);
  target.lut_ms.assign(truth.begin(), truth.end());
  for (Method m : {Method::maplex_posterior, Method::maplex}) {
    PredictorConfig cfg;
    cfg.method = m;
    cfg.seed = 5;
    Predictor p(features(), cfg);
    p.train(loo_pool(device), target);
    const std::size_t tenth = connected.size() / 10;
    std::size_t within = 0;
    for (std::size_t k = 0; k < tenth; ++k) {
      const auto a = static_cast<std::size_t>(connected[k]);
      within += std::abs(p.predictions()[a] / truth[a] - 1) <= 0.10 ? 1U : 0U;
    }
    EXPECT_GE(static_cast<double>(within), 0.9 * static_cast<double>(tenth)) << method_name(m);
    // The table is the posterior's own centre already: a live device's answer is not stacked.
    EXPECT_EQ(p.report().posterior_weight, 1.0) << method_name(m);
  }
}

TEST(Predictor, SameSeedSameBitsAndNearestPicksAGpuForAGpu) {
  const Pool pool = loo_pool("titan_rtx_1");
  const Adaptation target = measured("titan_rtx_1", {100, 2000, 9000});
  PredictorConfig cfg;
  cfg.method = Method::maple_x;
  cfg.seed = 11;
  Predictor a(features(), cfg);
  Predictor b(features(), cfg);
  a.train(pool, target);
  b.train(pool, target);
  EXPECT_EQ(a.predictions(), b.predictions());
  EXPECT_EQ(a.report().neighbourhoods.size(), 3U);
  EXPECT_GT(a.report().virtual_examples, 0);
  cfg.method = Method::nearest;
  Predictor n(features(), cfg);
  n.train(pool, target);
  EXPECT_TRUE(n.report().nearest_device == "1080ti_1" || n.report().nearest_device == "2080ti_1")
      << n.report().nearest_device;
}

// The luck of the trials: the standard error of the mean over devices, from the per-trial means,
// and that of each method's paired difference from the first method.
TEST(Evaluation, StandardErrorsOverTrialsByHand) {
  EvalOptions o;
  o.protocol = "loo";
  o.trials = 4;
  o.methods = {Method::flops, Method::nearest};
  o.noise_ceiling = false;
  o.targets = {shipped_target(catalog(), "gold_6226"), shipped_target(catalog(), "2080ti_1")};
  o.seed = 5;
  const Evaluation e = evaluate(catalog(), features(), o);
  ASSERT_EQ(e.devices.size(), 2U);
  const auto trial_mean = [&](std::size_t m, std::size_t t) {
    return (e.devices[0].methods[m].trials[t].acc10 + e.devices[1].methods[m].trials[t].acc10) / 2;
  };
  const auto se = [](const std::vector<double>& v) {
    double mean = 0;
    for (double x : v) {
      mean += x / static_cast<double>(v.size());
    }
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return std::sqrt(ss / static_cast<double>(v.size() - 1)) /
           std::sqrt(static_cast<double>(v.size()));
  };
  std::vector<double> flops;
  std::vector<double> nearest;
  std::vector<double> difference;
  for (std::size_t t = 0; t < 4; ++t) {
    flops.push_back(trial_mean(0, t));
    nearest.push_back(trial_mean(1, t));
    difference.push_back(nearest.back() - flops.back());
  }
  EXPECT_GT(se(flops), 0.0);
  EXPECT_NEAR(e.overall_se.at(Method::flops).acc10, se(flops), 1e-12);
  EXPECT_NEAR(e.overall_se.at(Method::nearest).acc10, se(nearest), 1e-12);
  EXPECT_NEAR(e.difference_se.at(Method::nearest).acc10, se(difference), 1e-12);
  EXPECT_EQ(e.difference_se.at(Method::flops).acc10, 0.0);
}

TEST(Evaluation, SameResultWithOneAndTwoThreads) {
  EvalOptions o;
  o.protocol = "loo";
  o.trials = 2;
  o.methods = {Method::nearest, Method::maple_x1, Method::maplex};
  o.noise_ceiling = false;
  o.targets = {shipped_target(catalog(), "gold_6226"), shipped_target(catalog(), "2080ti_1")};
  o.predictor.mlp.epochs = 10;
  o.seed = 42;
  Evaluation one;
  Evaluation two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = evaluate(catalog(), features(), o);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    two = evaluate(catalog(), features(), o);
  }
  ASSERT_EQ(one.devices.size(), two.devices.size());
  for (std::size_t d = 0; d < one.devices.size(); ++d) {
    for (std::size_t m = 0; m < one.devices[d].methods.size(); ++m) {
      for (std::size_t t = 0; t < 2; ++t) {
        const Metrics& x = one.devices[d].methods[m].trials[t];
        const Metrics& y = two.devices[d].methods[m].trials[t];
        EXPECT_EQ(x.acc10, y.acc10);
        EXPECT_EQ(x.spearman, y.spearman);
        EXPECT_EQ(x.mape, y.mape);
      }
    }
  }
}

TEST(Plan, AnchorsAreDeterministicConnectedAndHaveNeighbourhoods) {
  const Pool pool = loo_pool("gold_6226");
  const auto a = plan_adaptation(pool, catalog().index(), 3, 9);
  const auto b = plan_adaptation(pool, catalog().index(), 3, 9);
  ASSERT_EQ(a.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(a[i].index, b[i].index);
    EXPECT_TRUE(catalog().index().cell(a[i].index).connected);
    EXPECT_GE(a[i].neighbourhood.members.size(), 5U);
    EXPECT_LE(a[i].neighbourhood.members.size(), 10U);
  }
}

// A target that holds only a sample (a live store's 1,000 networks) is planned within it: the
// plan is what is measured, not a random fill of the plan's misses; too few there, all of them.
TEST(Plan, StaysWithinTheArchitecturesTheTargetHolds) {
  const Pool pool = loo_pool("gold_6226");
  const std::vector<int>& sample = pool.devices.front().archs;
  std::vector<char> within(15625, 0);
  for (std::size_t k = 0; k < sample.size(); k += 15) {  // 60 of the pool's 900
    within[static_cast<std::size_t>(sample[k])] = 1;
  }
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const auto plan = plan_adaptation(pool, catalog().index(), 3, seed, {}, within);
    ASSERT_EQ(plan.size(), 3U);
    for (const auto& p : plan) {
      EXPECT_EQ(within[static_cast<std::size_t>(p.index)], 1) << p.index;
    }
  }
  std::vector<char> two(15625, 0);
  int kept = 0;
  for (int a : sample) {
    if (kept < 2 && catalog().index().cell(a).connected) {
      two[static_cast<std::size_t>(a)] = 1;
      ++kept;
    }
  }
  const auto few = plan_adaptation(pool, catalog().index(), 3, 1, {}, two);
  ASSERT_EQ(few.size(), 2U);
  EXPECT_EQ(two[static_cast<std::size_t>(few[0].index)], 1);
  EXPECT_EQ(two[static_cast<std::size_t>(few[1].index)], 1);
  EXPECT_TRUE(
      plan_adaptation(pool, catalog().index(), 3, 1, {}, std::vector<char>(15625, 0)).empty());
}

TEST(BadInput, RejectedWithOneClearMessage) {
  const Pool pool = loo_pool("gold_6226");
  Predictor p(features(), PredictorConfig{});
  EXPECT_EQ(error_of([&] { p.train(pool, Adaptation{}); }),
            "adaptation: 0 architectures and 0 latencies, expected at least one measured "
            "architecture with its latency");
  EXPECT_EQ(error_of([&] {
              p.train(pool, Adaptation{{20000}, {3.0}, std::nullopt, {}});
            }),
            "arch index 20000 is out of range, expected 0..15624");
  EXPECT_EQ(error_of([&] {
              p.train(pool, Adaptation{{5}, {-1.0}, std::nullopt, {}});
            }),
            "adaptation: latency -1.000000 ms of architecture 5, expected a finite latency > 0");
  EXPECT_EQ(error_of([&] {
              p.train(Pool{}, Adaptation{{5}, {1.0}, std::nullopt, {}});
            }),
            "training pool is empty, expected at least one training device");
  PoolOptions po;
  po.devices = {"titan_rtx_9"};
  EXPECT_NE(error_of([&] {
              build_pool(catalog(), "gold_6226", po);
            }).find("unknown device 'titan_rtx_9'; did you mean 'titan_rtx_1'?"),
            std::string::npos);
  po.devices = {"gold_6226"};
  EXPECT_EQ(error_of([&] { build_pool(catalog(), "gold_6226", po); }),
            "pool device 'gold_6226' is the target device, expected the target left out of its "
            "own pool");
  EXPECT_EQ(error_of([&] { parse_method("maple-y"); }),
            "method 'maple-y' is unknown, expected one of flops, lut, nearest, maple, maple-x1, "
            "maple-x, help, bma, maplex-posterior, maplex");
  EXPECT_EQ(error_of([&] { protocol_cases(catalog(), "hepl"); }),
            "protocol 'hepl' is unknown, expected one of loo, help, family, nasflat");
  EXPECT_EQ(error_of([&] { plan_adaptation(pool, catalog().index(), 0, 1); }),
            "plan: count 0, expected at least 1");
}

TEST(BadInput, PoolSharingTheTargetsHardware) {
  PoolOptions po;
  po.devices = {"gold_6226", "titan_rtx_32"};
  EXPECT_EQ(error_of([&] { build_pool(catalog(), "titan_rtx_1", po); }),
            "pool device 'titan_rtx_32' shares hardware 'NVIDIA Titan RTX' with the target "
            "'titan_rtx_1', expected other chips (it would leak the target's latencies)");
}

TEST(BadInput, PoolEmptyAfterExclusions) {
  // A data folder describing a single device: its default pool is empty.
  const auto dir =
      ::maplex::testing::test_temp_dir() / ("maplex_single_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char* f : {"nb201_archs.csv", "nb201_valid_acc.csv"}) {
    std::filesystem::copy_file(std::filesystem::path(MAPLEX_TEST_DATA_DIR) / f, dir / f,
                               std::filesystem::copy_options::overwrite_existing);
  }
  std::ofstream(dir / "devices.csv")
      << "device_key,data_file,source,category,hardware,soc_or_chip,batch_size,"
         "precision_runtime,input,cores,max_clock_mhz,tdp_w,spec_provenance,notes\n"
         "solo,lat.csv,test,cpu,Solo CPU,,1,,,4,2000,10,,\n";
  std::ofstream(dir / "lat.csv") << "index,arch_str,solo\n0," << catalog().index().arch(0).str()
                                 << ",2.5\n";
  const tables::Catalog single = tables::Catalog::load(dir);
  EXPECT_EQ(error_of([&] { build_pool(single, "solo", {}); }),
            "training pool for target 'solo' is empty after excluding the target and devices "
            "sharing its hardware, expected at least one training device");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace maplex::predictor
