// Holding up on devices unlike the pool: the protocols' device lists, the plan's span, HELP's
// test set, and a device made by hand that no pool device resembles.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "fixtures.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/predictor/evaluation.hpp"
#include "maplex/predictor/plan.hpp"
#include "maplex/predictor/predictor.hpp"
#include "shipped_data.hpp"
#include "tables/test_files.hpp"

namespace maplex::predictor {
namespace {

const auto& catalog = maplex::testing::shipped_catalog;

using maplex::tables::testing::error_of;
using testing::features;

// Box-Muller: a standard normal from two uniforms.
double normal(Rng& rng) {
  return std::sqrt(-2 * std::log(1 - rng.uniform())) *
         std::cos(2 * 3.141592653589793 * rng.uniform());
}

TEST(Protocols, FamilyPoolsHoldNoRelative) {
  const auto cases = protocol_cases(catalog(), "family");
  ASSERT_EQ(cases.size(), 40U);
  std::set<std::string> families;
  for (const auto& c : cases) {
    const std::string family = device_family(catalog().device(c.target.name));
    EXPECT_EQ(c.group, family);
    families.insert(family);
    EXPECT_FALSE(c.pool.empty());
    for (const auto& d : c.pool) {
      EXPECT_NE(device_family(catalog().device(d)), family) << c.target.name << " pools " << d;
      EXPECT_NE(d, c.target.name);
    }
  }
  // The seven families of the issue.
  EXPECT_EQ(families, (std::set<std::string>{"gpu", "server_cpu", "mobile_cpu", "mobile_gpu", "dsp",
                                             "edge_accelerator", "embedded_gpu"}));
  EXPECT_EQ(device_family(catalog().device("desktop_gpu_gtx_1080ti_fp32")), "gpu");
  EXPECT_EQ(device_family(catalog().device("pixel2")), "mobile_cpu");
  EXPECT_EQ(device_family(catalog().device("mobile_cpu_snapdragon_450_cortex_a53_int8")),
            "mobile_cpu");
  EXPECT_EQ(device_family(catalog().device("fpga")), "edge_accelerator");
}

// The family hold-out a search or a prediction can ask for: pixel3's pool keeps no phone, no
// Raspberry Pi and no int8 mobile CPU (the nine of its family), and keeps everything else.
TEST(Pools, HoldingOutTheFamilyLeavesEveryRelativeOut) {
  PoolOptions po;
  po.samples_per_device = 50;
  const auto with_family = build_pool(catalog(), "pixel3", po).names();
  EXPECT_NE(std::find(with_family.begin(), with_family.end(), "pixel2"), with_family.end());
  po.hold_out_family = true;
  const auto names = build_pool(catalog(), "pixel3", po).names();
  EXPECT_EQ(names.size(), 31U);
  for (const char* relative :
       {"pixel2", "pixel3", "samsung_a50", "samsung_s7", "essential_ph_1", "raspi4",
        "mobile_cpu_snapdragon_450_cortex_a53_int8", "mobile_cpu_snapdragon_675_kryo_460_int8",
        "mobile_cpu_snapdragon_855_kryo_485_int8"}) {
    EXPECT_EQ(std::find(names.begin(), names.end(), relative), names.end()) << relative;
  }
  for (const char* other : {"1080ti_1", "gold_6226", "eyeriss", "embedded_gpu_jetson_nano_fp16",
                            "mobile_gpu_snapdragon_855_adreno_640_int8",
                            "mobile_dsp_snapdragon_675_hexagon_685_int8"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), other), names.end()) << other;
  }
  // A named pool is checked against the hold-out, and a device of unknown family cannot hold
  // its family out.
  po.devices = {"1080ti_1", "samsung_a50"};
  EXPECT_EQ(error_of([&] { build_pool(catalog(), "pixel3", po); }),
            "pool device 'samsung_a50' is of the target 'pixel3''s family 'mobile_cpu', expected "
            "devices of other families (the family is held out)");
  po.devices.clear();
  EXPECT_EQ(error_of([&] { build_pool(catalog(), "my_board", po); }),
            "holding out the family of target 'my_board' needs a shipped device (devices.csv "
            "gives its family), expected one of `maplex devices`");
}

TEST(Protocols, NasflatTasksAreTheirPublishedLists) {
  const auto cases = protocol_cases(catalog(), "nasflat");
  std::map<std::string, std::vector<std::string>> tests;
  for (const auto& c : cases) {
    tests[c.group].push_back(c.target.name);
    for (const auto& d : c.pool) {
      EXPECT_NE(d, c.target.name);
    }
  }
  ASSERT_EQ(tests.size(), 6U);
  EXPECT_EQ(tests["task0"], (std::vector<std::string>{"titan_rtx_256", "gold_6226", "fpga",
                                                      "pixel2", "raspi4", "eyeriss"}));
  EXPECT_EQ(tests["task4"], (std::vector<std::string>{"1080ti_1", "2080ti_1", "titan_rtx_1"}));
  EXPECT_EQ(tests["task5"], (std::vector<std::string>{"eyeriss", "desktop_gpu_gtx_1080ti_fp32",
                                                      "embedded_tpu_edge_tpu_int8"}));
  const auto task2 = std::find_if(cases.begin(), cases.end(),
                                  [](const EvalCase& c) { return c.group == "task2"; });
  EXPECT_EQ(task2->pool, (std::vector<std::string>{"1080ti_1", "1080ti_32", "titanx_32",
                                                   "titanxp_1", "titanxp_32"}));
}

TEST(Protocols, HelpScoresItsOwnTestSet) {
  const auto truth = shipped_target(catalog(), "pixel2").truth;
  const auto scored = scored_archs("help", truth);
  // 1,000 indices, less 100 at each end.
  ASSERT_EQ(scored.size(), 800U);
  EXPECT_TRUE(std::is_sorted(scored.begin(), scored.end()));
  EXPECT_GE(scored.front(), 900);
  EXPECT_LT(scored.back(), 1900);
  std::vector<double> range;
  for (int a = 900; a < 1900; ++a) {
    range.push_back(truth[static_cast<std::size_t>(a)]);
  }
  std::sort(range.begin(), range.end());
  for (int a : scored) {
    EXPECT_GE(truth[static_cast<std::size_t>(a)], range[100]);
    EXPECT_LE(truth[static_cast<std::size_t>(a)], range[899]);
  }
  EXPECT_EQ(scored_archs("loo", truth).size(), 15625U);
}

// On every shipped device as the target (the pool: every device of another family), the three
// planned architectures straddle its median latency. (The issue asks for one of the very fastest
// and one of the very slowest: on 8 GPU settings the slowest planned one falls short of the 90th
// percentile, and on the Jetson Nano fp16 the plan spans less than half of the 5th-95th
// percentile range; not reached yet.)
TEST(Plan, StraddlesTheMedianOnEveryDevice) {
  for (const auto& c : protocol_cases(catalog(), "family")) {
    PoolOptions po;
    po.devices = c.pool;
    po.samples_per_device = 900;
    const Pool pool = build_pool(catalog(), c.target.name, po);
    const auto plan = plan_adaptation(pool, catalog().index(), 3, 4);
    std::vector<double> connected;
    for (int a = 0; a < space::kNumArchs; ++a) {
      const double t = c.target.truth[static_cast<std::size_t>(a)];
      if (!std::isnan(t) && catalog().index().cell(a).connected) {
        connected.push_back(t);
      }
    }
    std::sort(connected.begin(), connected.end());
    double lo = 1e300;
    double hi = 0;
    for (const auto& p : plan) {
      const double t = c.target.truth[static_cast<std::size_t>(p.index)];
      lo = std::min(lo, t);
      hi = std::max(hi, t);
    }
    EXPECT_LE(lo, connected[connected.size() / 2]) << c.target.name;
    EXPECT_GE(hi, connected[connected.size() / 2]) << c.target.name;
  }
}

// A runtime that prunes dead ops (Eagle's TF GTX 1080 Ti) adapted from a pool whose runtimes all
// run them (HELP's, its own chip out): told how its runtime treats dead ops (devices.csv,
// PredictorConfig::use_dead_ops), maplex
// reads each pool device's op costs as paid on live edges only, and the cells with two or more
// dead convolutions, which the pool's devices pay for and the target does not, stop being
// predicted too slow.
TEST(Generalisation, ARuntimeThatPrunesDeadOpsLearnsFromRuntimesThatRunThem) {
  const std::string target = "desktop_gpu_gtx_1080ti_fp32";
  PoolOptions po;
  po.devices = {"2080ti_1",    "titan_rtx_1", "titanx_1",   "gold_6226",
                "silver_4114", "pixel2",      "samsung_a50"};
  po.samples_per_device = 900;
  const Pool pool = build_pool(catalog(), target, po);
  const auto column = catalog().latencies(target);
  Adaptation adaptation;
  for (const auto& p : plan_adaptation(pool, catalog().index(), 3, 1)) {
    adaptation.archs.push_back(p.index);
    adaptation.latency_ms.push_back(column[static_cast<std::size_t>(p.index)]);
  }
  adaptation.spec = spec_of(catalog().device(target));
  ASSERT_EQ(adaptation.spec->dead_ops, "prunes");
  const auto& x = features().additive;  // count(4), live(4), connected, bias
  // (share within 10%, median log(true / predicted)) over the cells with >= 2 dead convolutions
  const auto score = [&](const Adaptation& a, bool use_dead_ops) {
    PredictorConfig config;
    config.use_dead_ops = use_dead_ops;
    Predictor predictor(features(), config);
    predictor.train(pool, a);
    std::vector<double> logs;
    int within = 0;
    for (int i = 0; i < space::kNumArchs; ++i) {
      const double dead_convs = x(i, 1) + x(i, 2) - x(i, 5) - x(i, 6);
      const double t = column[static_cast<std::size_t>(i)];
      if (dead_convs >= 2 && !std::isnan(t) && catalog().index().cell(i).connected) {
        const double p = predictor.predictions()[static_cast<std::size_t>(i)];
        logs.push_back(std::log(t / p));
        within += std::abs(p / t - 1) <= 0.1 ? 1 : 0;
      }
    }
    std::sort(logs.begin(), logs.end());
    return std::pair{static_cast<double>(within) / static_cast<double>(logs.size()),
                     logs[logs.size() / 2]};
  };
  const auto [told, told_median] = score(adaptation, true);
  const auto [untold, untold_median] = score(adaptation, false);  // the default
  Adaptation unknown = adaptation;
  unknown.spec->dead_ops.clear();
  EXPECT_EQ(score(unknown, true), score(adaptation, false));  // nothing known, nothing converted
  // Measured: within 10% 0.197 told against 0.076 not told; median -0.07 against -0.54.
  EXPECT_LT(untold_median, -0.3);  // the pool's dead-op costs: predicted too slow
  EXPECT_LT(std::abs(told_median), 0.15);
  EXPECT_GT(told, untold + 0.08);
}

// A device no pool device resembles: a large fixed overhead and per-op costs in proportions of
// its own, with a 25x range between its fastest and slowest connected architectures, and 3%
// multiplicative noise, adapted to from 3 planned measurements.
TEST(Generalisation, HandMadeDeviceWithLargeOverhead) {
  const auto& x = features().additive;  // count(4), live(4), connected, bias
  Eigen::VectorXd beta(10);
  //       skip  c1x1  c3x3  pool | live: skip c1x1 c3x3 pool | conn  bias
  beta << 0.02, 0.9, 4.1, 0.05, 0.01, 0.6, 2.9, 0.3, 0.2, 1.0;
  std::vector<double> truth(static_cast<std::size_t>(space::kNumArchs));
  Rng rng(11);
  double lo = 1e300;
  double hi = 0;
  for (int a = 0; a < space::kNumArchs; ++a) {
    const double noise = std::exp(0.03 * normal(rng));
    truth[static_cast<std::size_t>(a)] = x.row(a).dot(beta) * noise;
    if (catalog().index().cell(a).connected) {
      lo = std::min(lo, truth[static_cast<std::size_t>(a)]);
      hi = std::max(hi, truth[static_cast<std::size_t>(a)]);
    }
  }
  ASSERT_GT(hi / lo, 25.0);
  ASSERT_LT(hi / lo, 40.0);
  PoolOptions po;
  po.samples_per_device = 900;
  const Pool pool = build_pool(catalog(), "", po);
  Adaptation adaptation;
  for (const auto& p : plan_adaptation(pool, catalog().index(), 3, 2)) {
    adaptation.archs.push_back(p.index);
    adaptation.latency_ms.push_back(truth[static_cast<std::size_t>(p.index)]);
  }
  const auto score = [&](Method method, int& within, int& covered) {
    PredictorConfig config;
    config.method = method;
    Predictor predictor(features(), config);
    predictor.train(pool, adaptation);
    within = 0;
    covered = 0;
    for (int a = 0; a < space::kNumArchs; ++a) {
      const double t = truth[static_cast<std::size_t>(a)];
      const double p = predictor.predictions()[static_cast<std::size_t>(a)];
      within += std::abs(p / t - 1) <= 0.1;
      covered +=
          std::abs(std::log(t / p)) <= 1.96 * predictor.log_sd()[static_cast<std::size_t>(a)];
    }
  };
  int within = 0;
  int covered = 0;
  score(Method::maplex, within, covered);
  int bma_within = 0;
  int bma_covered = 0;
  score(Method::bma, bma_within, bma_covered);
  // Round 1's method (bma) cannot leave the span of the pool; maplex can, and says it is unsure.
  EXPECT_GT(within, bma_within + space::kNumArchs / 20);
  EXPECT_GE(covered, space::kNumArchs * 95 / 100);
  // Never worse than the FLOPs-linear fit of the same three measurements (8,547 against 8,305
  // within 10% when written). Not reached yet (issue 10 stays open): >= 80% within 10%.
  int flops_within = 0;
  int flops_covered = 0;
  score(Method::flops, flops_within, flops_covered);
  EXPECT_GE(within, flops_within);
}

// The family protocol on the shipped devices, one trial, 3 planned measurements: maplex against
// the flops fit of the same measurements. When written: maplex +-10% 0.58 (0.575 before its
// posterior was stacked with the flops fit), flops 0.37; 95% coverage 0.95; below flops on 4 of
// 40 settings (5 before). The bounds leave room for the trial's draw, not for a regression to the
// pool-only answer or to intervals that no longer cover.
TEST(Generalisation, FamilyProtocolAgainstTheSimplestFit) {
  EvalOptions options;
  options.protocol = "family";
  options.methods = {Method::flops, Method::maplex};
  options.trials = 1;
  options.select = AdaptSelect::plan;
  options.noise_ceiling = false;
  const Evaluation e = evaluate(catalog(), features(), options);
  ASSERT_EQ(e.devices.size(), 40U);
  const Metrics& flops = e.overall.at(Method::flops);
  const Metrics& maplex = e.overall.at(Method::maplex);
  EXPECT_GT(maplex.acc10, flops.acc10 + 0.15);
  EXPECT_GT(maplex.acc10, 0.55);
  EXPECT_GT(maplex.coverage95, 0.90);
  EXPECT_LT(maplex.coverage95, 0.99);
  int below = 0;
  for (const DeviceEvaluation& d : e.devices) {
    below += d.methods[1].mean.acc10 < d.methods[0].mean.acc10 ? 1 : 0;
  }
  EXPECT_LE(below, 6);
}

// Calibration: devices drawn from one known distribution (per-op costs each a random factor
// e^N(0, 0.5^2) off a base, 6% log-normal noise, no specs). With the pool and the target from
// the same distribution, a calibrated 95% interval covers about 95% of the targets'
// architectures; the spread is calibrated on the pool alone (each pool device predicted from the
// others), so this holds without looking at the target.
Eigen::VectorXd random_costs(Rng& rng) {
  Eigen::VectorXd beta(10);
  //       skip  c1x1  c3x3  pool | live: skip c1x1 c3x3 pool | conn  bias
  beta << 0.02, 0.5, 2.0, 0.2, 0.01, 0.3, 1.5, 0.3, 0.2, 3.0;
  for (Eigen::Index j = 0; j < beta.size(); ++j) {
    beta(j) *= std::exp(0.5 * normal(rng));
  }
  return beta;
}

std::vector<double> synthetic_latencies(const Eigen::VectorXd& beta, Rng& rng) {
  const auto& x = features().additive;
  std::vector<double> out(static_cast<std::size_t>(space::kNumArchs));
  for (int a = 0; a < space::kNumArchs; ++a) {
    out[static_cast<std::size_t>(a)] = x.row(a).dot(beta) * std::exp(0.06 * normal(rng));
  }
  return out;
}

TEST(Generalisation, SpreadIsCalibratedOnAPoolFromTheTargetsDistribution) {
  Rng rng(5);
  std::vector<int> sample;
  for (int a = 0; a < space::kNumArchs; a += 17) {
    sample.push_back(a);
  }
  Pool pool;
  for (int d = 0; d < 12; ++d) {
    const std::vector<double> all = synthetic_latencies(random_costs(rng), rng);
    DeviceSamples dev;
    dev.name = "synthetic" + std::to_string(d);
    dev.hardware = "chip" + std::to_string(d);
    dev.archs = sample;
    for (int a : sample) {
      dev.latency_ms.push_back(all[static_cast<std::size_t>(a)]);
    }
    pool.devices.push_back(std::move(dev));
  }
  int covered = 0;
  int total = 0;
  for (int t = 0; t < 12; ++t) {
    const std::vector<double> truth = synthetic_latencies(random_costs(rng), rng);
    Adaptation adaptation;
    for (const auto& p : plan_adaptation(pool, catalog().index(), 3, static_cast<unsigned>(t))) {
      adaptation.archs.push_back(p.index);
      adaptation.latency_ms.push_back(truth[static_cast<std::size_t>(p.index)]);
    }
    Predictor predictor(features(), PredictorConfig{});
    predictor.train(pool, adaptation);
    for (int a = 0; a < space::kNumArchs; ++a) {
      const double ratio =
          truth[static_cast<std::size_t>(a)] / predictor.predictions()[static_cast<std::size_t>(a)];
      covered +=
          std::abs(std::log(ratio)) <= 1.96 * predictor.log_sd()[static_cast<std::size_t>(a)];
      ++total;
    }
  }
  const double coverage = static_cast<double>(covered) / total;
  // Within 2 points of the nominal 95% over 12 targets (0.943 when written; 0.974 without the
  // calibration).
  EXPECT_GE(coverage, 0.93);
  EXPECT_LE(coverage, 0.97);
}

}  // namespace
}  // namespace maplex::predictor
