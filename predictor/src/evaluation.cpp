#include "maplex/predictor/evaluation.hpp"

#include <tbb/parallel_for.h>

#include <array>
#include <chrono>
#include <cmath>
#include <mutex>
#include <string_view>

#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/predictor/plan.hpp"
#include "maplex/predictor/ridge.hpp"

namespace maplex::predictor {

namespace {

constexpr std::array<std::string_view, 6> kLooDevices = {"silver_4114", "gold_6226", "gold_6240",
                                                         "1080ti_1",    "2080ti_1",  "titan_rtx_1"};
constexpr std::array<std::string_view, 13> kHelpTrain = {
    "1080ti_1",    "1080ti_32",  "1080ti_256",     "silver_4114", "silver_4210r",
    "samsung_a50", "pixel3",     "essential_ph_1", "samsung_s7",  "titanx_1",
    "titanx_32",   "titanx_256", "gold_6240"};
constexpr std::array<std::string_view, 6> kHelpTest = {"titan_rtx_256", "gold_6226", "fpga",
                                                       "pixel2",        "raspi4",    "eyeriss"};

void check_protocol(const std::string& protocol) {
  if (protocol != "loo" && protocol != "help") {
    throw InputError("protocol " + quote(protocol) + " is unknown, expected loo or help");
  }
}

std::vector<int> draw(std::vector<int> from, std::size_t k, Rng& rng) {
  k = std::min(k, from.size());
  for (std::size_t i = 0; i < k; ++i) {
    std::swap(from[i], from[i + static_cast<std::size_t>(rng.below(from.size() - i))]);
  }
  from.resize(k);
  return from;
}

Metrics ceiling(const FeatureCache& f, const EvalTarget& t, int samples, std::uint64_t seed) {
  std::vector<int> known;
  for (std::size_t a = 0; a < t.truth.size(); ++a) {
    if (!std::isnan(t.truth[a])) {
      known.push_back(static_cast<int>(a));
    }
  }
  Rng rng(seed);
  const std::size_t n_train =
      std::min<std::size_t>(static_cast<std::size_t>(samples), known.size() * 2 / 3);
  std::vector<int> shuffled = draw(known, known.size(), rng);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n_train), f.additive.cols());
  Eigen::VectorXd y(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const int a = shuffled[static_cast<std::size_t>(i)];
    x.row(i) = f.additive.row(a);
    y(i) = t.truth[static_cast<std::size_t>(a)];
  }
  const Eigen::VectorXd beta = ridge_fit(x, y, Eigen::VectorXd::Ones(x.rows()), 1e-3);
  std::vector<double> pred;
  std::vector<double> truth;
  for (std::size_t i = n_train; i < shuffled.size(); ++i) {
    const int a = shuffled[i];
    pred.push_back(std::max(f.additive.row(a).dot(beta), 1e-6));
    truth.push_back(t.truth[static_cast<std::size_t>(a)]);
  }
  return evaluate_predictions(pred, truth);
}

Metrics combine(const std::vector<Metrics>& all, bool sd) {
  Metrics m;
  const double n = static_cast<double>(all.size());
  auto stat = [&](double Metrics::*field) {
    double mean = 0;
    for (const auto& x : all) {
      mean += x.*field;
    }
    mean /= n;
    if (!sd) {
      return mean;
    }
    double var = 0;
    for (const auto& x : all) {
      var += (x.*field - mean) * (x.*field - mean);
    }
    return all.size() > 1 ? std::sqrt(var / (n - 1)) : 0.0;
  };
  m.acc10 = stat(&Metrics::acc10);
  m.acc5 = stat(&Metrics::acc5);
  m.spearman = stat(&Metrics::spearman);
  m.kendall = stat(&Metrics::kendall);
  m.mape = stat(&Metrics::mape);
  m.count = all.empty() ? 0 : all.front().count;
  return m;
}

}  // namespace

std::vector<std::string> protocol_targets(const std::string& protocol) {
  check_protocol(protocol);
  std::vector<std::string> out;
  if (protocol == "loo") {
    out.assign(kLooDevices.begin(), kLooDevices.end());
  } else {
    out.assign(kHelpTest.begin(), kHelpTest.end());
  }
  return out;
}

std::vector<std::string> protocol_pool(const std::string& protocol, const std::string& target) {
  check_protocol(protocol);
  std::vector<std::string> out;
  const auto add = [&](const auto& list) {
    for (std::string_view d : list) {
      if (d != target) {
        out.emplace_back(d);
      }
    }
  };
  if (protocol == "loo") {
    add(kLooDevices);
  } else {
    add(kHelpTrain);
  }
  return out;
}

EvalTarget shipped_target(const tables::Catalog& catalog, const std::string& device) {
  const auto& spec = catalog.device(device);
  const auto column = catalog.latencies(device);
  return {
      device, std::vector<double>(column.begin(), column.end()), spec_of(spec), spec.hardware, {}};
}

Evaluation evaluate(const tables::Catalog& catalog, const FeatureCache& features,
                    EvalOptions options, const std::function<void(int, int)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  check_protocol(options.protocol);
  if (options.adapt < 1 || options.trials < 1 || options.methods.empty()) {
    throw InputError("evaluate: adapt " + std::to_string(options.adapt) + ", trials " +
                     std::to_string(options.trials) + ", " +
                     std::to_string(options.methods.size()) +
                     " methods, expected at least 1 of each");
  }
  if (options.targets.empty()) {
    for (const auto& d : protocol_targets(options.protocol)) {
      options.targets.push_back(shipped_target(catalog, d));
    }
  }
  const std::size_t n_targets = options.targets.size();
  const auto n_trials = static_cast<std::size_t>(options.trials);
  const std::size_t n_methods = options.methods.size();
  // Pools are built serially (they validate the device names), one per (target, trial).
  std::vector<Pool> pools(n_targets * n_trials);
  for (std::size_t t = 0; t < n_targets; ++t) {
    const EvalTarget& target = options.targets[t];
    PoolOptions po;
    po.devices = options.pool;
    if (po.devices.empty()) {
      // The protocol's pool, less the devices sharing the target's hardware.
      po.devices = protocol_pool(options.protocol, target.name);
      std::erase_if(po.devices, [&](const std::string& d) {
        return !target.hardware.empty() && catalog.device(d).hardware == target.hardware;
      });
    }
    if (po.devices.empty()) {
      throw InputError("training pool for target " + quote(target.name) +
                       " is empty after excluding the target and devices sharing its hardware, "
                       "expected at least one training device");
    }
    po.samples_per_device = options.pool_samples;
    for (std::size_t r = 0; r < n_trials; ++r) {
      po.seed = Rng::derive(options.seed, r);
      pools[t * n_trials + r] = build_pool(catalog, target.name, po);
    }
  }
  std::vector<Metrics> results(n_targets * n_trials * n_methods);
  std::vector<std::exception_ptr> errors(n_targets * n_trials);
  std::mutex progress_lock;
  int done = 0;
  const int total = static_cast<int>(n_targets * n_trials);
  tbb::parallel_for(std::size_t{0}, n_targets * n_trials, [&](std::size_t task) {
    try {
      const EvalTarget& target = options.targets[task / n_trials];
      const std::size_t trial = task % n_trials;
      const Pool& pool = pools[task];
      const std::uint64_t trial_seed = Rng::derive(options.seed, trial);
      std::vector<int> known;
      for (std::size_t a = 0; a < target.truth.size(); ++a) {
        if (!std::isnan(target.truth[a])) {
          known.push_back(static_cast<int>(a));
        }
      }
      Rng rng(Rng::derive(trial_seed, 1));
      std::vector<int> adapt;
      if (options.select == AdaptSelect::plan) {
        for (const auto& p :
             plan_adaptation(pool, *features.index, options.adapt, Rng::derive(trial_seed, 1),
                             options.predictor.neighbourhood)) {
          if (!std::isnan(target.truth[static_cast<std::size_t>(p.index)])) {
            adapt.push_back(p.index);
          }
        }
      }
      while (static_cast<int>(adapt.size()) < options.adapt) {  // random, or to fill a plan
        const int a = known[static_cast<std::size_t>(rng.below(known.size()))];
        if (std::find(adapt.begin(), adapt.end(), a) == adapt.end()) {
          adapt.push_back(a);
        }
      }
      Adaptation adaptation{adapt, {}, target.spec, target.lut_ms};
      std::vector<char> is_adapt(target.truth.size(), 0);
      for (int a : adapt) {
        adaptation.latency_ms.push_back(target.truth[static_cast<std::size_t>(a)]);
        is_adapt[static_cast<std::size_t>(a)] = 1;
      }
      for (std::size_t m = 0; m < n_methods; ++m) {
        PredictorConfig cfg = options.predictor;
        cfg.method = options.methods[m];
        cfg.seed = Rng::derive(trial_seed, 2);
        Predictor predictor(features, cfg);
        predictor.train(pool, adaptation);
        std::vector<double> pred;
        std::vector<double> truth;
        for (int a : known) {
          if (is_adapt[static_cast<std::size_t>(a)] == 0) {
            pred.push_back(predictor.predictions()[static_cast<std::size_t>(a)]);
            truth.push_back(target.truth[static_cast<std::size_t>(a)]);
          }
        }
        results[task * n_methods + m] = evaluate_predictions(pred, truth);
      }
    } catch (...) {
      errors[task] = std::current_exception();
    }
    if (progress) {
      const std::lock_guard<std::mutex> lock(progress_lock);
      progress(++done, total);
    }
  });
  for (const auto& e : errors) {
    if (e) {
      std::rethrow_exception(e);
    }
  }
  Evaluation out;
  for (std::size_t t = 0; t < n_targets; ++t) {
    DeviceEvaluation dev;
    dev.device = options.targets[t].name;
    dev.pool = pools[t * n_trials].names();
    for (std::size_t m = 0; m < n_methods; ++m) {
      MethodSummary s{options.methods[m], {}, {}, {}};
      for (std::size_t r = 0; r < n_trials; ++r) {
        s.trials.push_back(results[(t * n_trials + r) * n_methods + m]);
      }
      s.mean = combine(s.trials, false);
      s.std = combine(s.trials, true);
      dev.methods.push_back(std::move(s));
    }
    if (options.noise_ceiling) {
      dev.ceiling = ceiling(features, options.targets[t], options.ceiling_samples,
                            Rng::derive(options.seed, 1000 + t));
    }
    out.devices.push_back(std::move(dev));
  }
  for (std::size_t m = 0; m < n_methods; ++m) {
    std::vector<Metrics> per_device;
    for (const auto& d : out.devices) {
      per_device.push_back(d.methods[m].mean);
    }
    out.overall[options.methods[m]] = combine(per_device, false);
  }
  if (options.noise_ceiling) {
    std::vector<Metrics> c;
    for (const auto& d : out.devices) {
      c.push_back(*d.ceiling);
    }
    out.overall_ceiling = combine(c, false);
  }
  out.options = std::move(options);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace maplex::predictor
