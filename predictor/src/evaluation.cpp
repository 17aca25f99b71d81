#include "maplex/predictor/evaluation.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <string_view>

#include "maplex/core/error.hpp"
#include "maplex/core/parallel.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/predictor/check.hpp"
#include "maplex/predictor/plan.hpp"
#include "maplex/predictor/ridge.hpp"

namespace maplex::predictor {

namespace {

std::vector<int> draw(std::vector<int> from, std::size_t k, Rng& rng) {
  k = std::min(k, from.size());
  for (std::size_t i = 0; i < k; ++i) {
    std::swap(from[i], from[i + static_cast<std::size_t>(rng.below(from.size() - i))]);
  }
  from.resize(k);
  return from;
}

Metrics ceiling(const FeatureCache& f, const EvalTarget& t, int samples, std::uint64_t seed) {
  const std::vector<int> known = known_archs(t.truth);
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

// The metrics a summary averages (count is carried over).
constexpr double Metrics::*kMetricFields[] = {&Metrics::acc10,    &Metrics::acc5,
                                              &Metrics::spearman, &Metrics::kendall,
                                              &Metrics::mape,     &Metrics::coverage95};

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
  for (double Metrics::*f : kMetricFields) {
    m.*f = stat(f);
  }
  m.count = all.empty() ? 0 : all.front().count;
  return m;
}

// The cases to run: the protocol's, or the user's targets with their pools; either way without
// pool devices that share the target's hardware.
std::vector<EvalCase> make_cases(const tables::Catalog& catalog, const EvalOptions& options) {
  std::vector<EvalCase> cases;
  if (options.targets.empty()) {
    cases = protocol_cases(catalog, options.protocol);
  } else {
    for (const EvalTarget& t : options.targets) {
      std::vector<std::string> pool;
      if (options.protocol == "loo" || options.protocol == "help") {
        pool = protocol_pool(options.protocol, t.name);
      } else {
        for (const auto& d : catalog.devices()) {
          if (d.key != t.name) {
            pool.push_back(d.key);
          }
        }
      }
      cases.push_back({"user", t, std::move(pool)});
    }
  }
  for (EvalCase& c : cases) {
    if (!options.pool.empty()) {
      c.pool = options.pool;
    }
    std::erase_if(c.pool, [&](const std::string& d) {
      return !c.target.hardware.empty() && catalog.device(d).hardware == c.target.hardware;
    });
    if (c.pool.empty()) {
      throw InputError("training pool for target " + quote(c.target.name) +
                       " is empty after excluding the target and devices sharing its hardware, "
                       "expected at least one training device");
    }
  }
  return cases;
}

std::vector<int> adaptation_archs(const EvalOptions& options, const FeatureCache& features,
                                  const Pool& pool, const EvalTarget& target,
                                  const std::vector<int>& known, std::uint64_t trial_seed) {
  Rng rng(Rng::derive(trial_seed, 1));
  std::vector<int> adapt;
  if (options.select == AdaptSelect::plan) {
    // Planned among the architectures the target holds: a measured sample of 1,000 holds almost
    // none of a plan drawn from the whole pool sample, which the loop below then filled at random.
    std::vector<char> within(target.truth.size(), 0);
    for (int a : known) {
      within[static_cast<std::size_t>(a)] = 1;
    }
    for (const auto& p :
         plan_adaptation(pool, *features.index, options.adapt, Rng::derive(trial_seed, 1),
                         options.predictor.neighbourhood, within)) {
      adapt.push_back(p.index);
    }
  }
  while (static_cast<int>(adapt.size()) < options.adapt &&
         adapt.size() < known.size()) {  // random, or to fill a plan
    const int a = known[static_cast<std::size_t>(rng.below(known.size()))];
    if (std::find(adapt.begin(), adapt.end(), a) == adapt.end()) {
      adapt.push_back(a);
    }
  }
  return adapt;
}

Metrics score(const Predictor& predictor, const EvalTarget& target, const std::vector<int>& archs,
              const std::vector<char>& is_adapt) {
  CheckSet checks;
  for (int a : archs) {
    const auto i = static_cast<std::size_t>(a);
    if (is_adapt[i] == 0) {
      checks.archs.push_back(a);
      checks.ms.push_back(target.truth[i]);
    }
  }
  return score_checks(predictor, checks);
}

struct TrialResult {
  Metrics scored;
  Metrics whole;
};

// One trial on one case: the same measurements for every method.
std::vector<TrialResult> run_trial(const EvalOptions& options, const FeatureCache& features,
                                   const EvalCase& c, const Pool& pool, std::uint64_t trial_seed) {
  const EvalTarget& target = c.target;
  const std::vector<int> known = known_archs(target.truth);
  const std::vector<int> adapt =
      adaptation_archs(options, features, pool, target, known, trial_seed);
  // Every method measures `adapt`, and what it needs besides (help: its reference set); none of
  // them is scored, for any method.
  std::vector<char> is_adapt(target.truth.size(), 0);
  for (int a : adapt) {
    is_adapt[static_cast<std::size_t>(a)] = 1;
  }
  for (Method method : options.methods) {
    for (int a : required_archs(method)) {
      is_adapt[static_cast<std::size_t>(a)] = 1;
    }
  }
  const std::vector<int> scored = scored_archs(options.protocol, target.truth);
  std::vector<TrialResult> out;
  for (Method method : options.methods) {
    Adaptation adaptation{adapt, {}, target.spec, target.lut_ms};
    for (int a : required_archs(method)) {
      if (std::find(adapt.begin(), adapt.end(), a) == adapt.end()) {
        adaptation.archs.push_back(a);
      }
    }
    for (int a : adaptation.archs) {
      adaptation.latency_ms.push_back(target.truth[static_cast<std::size_t>(a)]);
    }
    PredictorConfig cfg = options.predictor;
    cfg.method = method;
    cfg.seed = Rng::derive(trial_seed, 2);
    Predictor predictor(features, cfg);
    predictor.train(pool, adaptation);
    out.push_back(
        {score(predictor, target, scored, is_adapt), score(predictor, target, known, is_adapt)});
  }
  return out;
}

Metrics minus(const Metrics& a, const Metrics& b) {
  Metrics d = a;
  for (double Metrics::*f : kMetricFields) {
    d.*f -= b.*f;
  }
  return d;
}

// The standard error of the mean of `per_trial` (each field's sd / sqrt(n)); 0 for one trial.
Metrics standard_error(const std::vector<Metrics>& per_trial) {
  Metrics se = combine(per_trial, true);
  const double root_n = std::sqrt(static_cast<double>(per_trial.size()));
  for (double Metrics::*f : kMetricFields) {
    se.*f /= root_n;
  }
  return se;
}

// Method m's mean over devices in each trial.
std::vector<Metrics> trial_means(const Evaluation& out, std::size_t m) {
  std::vector<Metrics> means;
  for (int t = 0; t < out.options.trials; ++t) {
    std::vector<Metrics> per_device;
    for (const auto& d : out.devices) {
      per_device.push_back(d.methods[m].trials[static_cast<std::size_t>(t)]);
    }
    means.push_back(combine(per_device, false));
  }
  return means;
}

void summarise_trials(Evaluation& out) {
  const auto& methods = out.options.methods;
  const std::vector<Metrics> first = trial_means(out, 0);
  for (std::size_t m = 0; m < methods.size(); ++m) {
    const std::vector<Metrics> means = trial_means(out, m);
    std::vector<Metrics> differences;
    for (std::size_t t = 0; t < means.size(); ++t) {
      differences.push_back(minus(means[t], first[t]));
    }
    out.overall_se[methods[m]] = standard_error(means);
    out.difference_se[methods[m]] = standard_error(differences);
  }
}

void summarise(Evaluation& out) {
  const EvalOptions& o = out.options;
  std::map<std::string, std::vector<const DeviceEvaluation*>> by_group;
  for (const auto& d : out.devices) {
    by_group[d.group].push_back(&d);
  }
  for (std::size_t m = 0; m < o.methods.size(); ++m) {
    std::vector<Metrics> per_device;
    std::vector<Metrics> whole;
    for (const auto& d : out.devices) {
      per_device.push_back(d.methods[m].mean);
      whole.push_back(d.methods[m].whole);
    }
    out.overall[o.methods[m]] = combine(per_device, false);
    out.overall_whole[o.methods[m]] = combine(whole, false);
    double log_sum = 0;
    for (const auto& [group, devices] : by_group) {
      std::vector<Metrics> g;
      for (const auto* d : devices) {
        g.push_back(d->methods[m].mean);
      }
      const Metrics mean = combine(g, false);
      out.groups[group][o.methods[m]] = mean;
      // undefined (NaN) when a group's Spearman is not positive
      log_sum +=
          mean.spearman > 0 ? std::log(mean.spearman) : std::numeric_limits<double>::quiet_NaN();
    }
    out.geomean_spearman[o.methods[m]] = std::exp(log_sum / static_cast<double>(by_group.size()));
  }
  if (o.noise_ceiling) {
    std::vector<Metrics> c;
    for (const auto& d : out.devices) {
      c.push_back(*d.ceiling);
    }
    out.overall_ceiling = combine(c, false);
  }
  summarise_trials(out);
}

}  // namespace

namespace {

void check_options(const EvalOptions& options) {
  scored_description(options.protocol);  // validates the name
  if (options.adapt < 1 || options.trials < 1 || options.methods.empty()) {
    throw InputError("evaluate: adapt " + std::to_string(options.adapt) + ", trials " +
                     std::to_string(options.trials) + ", " +
                     std::to_string(options.methods.size()) +
                     " methods, expected at least 1 of each");
  }
}

// The shard's units, run in parallel; results by unit, so the thread count changes nothing.
std::vector<EvalCell> run_units(const EvalOptions& options, const FeatureCache& features,
                                const std::vector<EvalCase>& cases, const std::vector<Pool>& pools,
                                const std::vector<std::size_t>& units,
                                const std::function<void(int, int)>& progress) {
  const auto n_trials = static_cast<std::size_t>(options.trials);
  std::vector<EvalCell> cells(units.size());
  std::vector<std::exception_ptr> errors(units.size());
  std::mutex progress_lock;
  int done = 0;
  const int total = static_cast<int>(units.size());
  parallel_for(units.size(), [&](std::size_t k) {
    const std::size_t unit = units[k];
    try {
      EvalCell& cell = cells[k];
      cell.case_index = unit / n_trials;
      cell.trial = static_cast<int>(unit % n_trials);
      for (const TrialResult& r : run_trial(options, features, cases[cell.case_index], pools[k],
                                            Rng::derive(options.seed, unit % n_trials))) {
        cell.scored.push_back(r.scored);
        cell.whole.push_back(r.whole);
      }
    } catch (...) {
      errors[k] = std::current_exception();
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
  return cells;
}

}  // namespace

EvalPart evaluate_part(const tables::Catalog& catalog, const FeatureCache& features,
                       EvalOptions options, Shard shard,
                       const std::function<void(int, int)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  check_options(options);
  const std::vector<EvalCase> cases = make_cases(catalog, options);
  const auto n_trials = static_cast<std::size_t>(options.trials);
  EvalPart part;
  part.shard = shard;
  for (const EvalCase& c : cases) {
    part.cases.push_back({c.target.name, c.group, c.pool});
  }
  // The shard's units; their pools are built serially (they validate the device names).
  std::vector<std::size_t> units;
  std::vector<Pool> pools;
  for (std::size_t unit = 0; unit < cases.size() * n_trials; ++unit) {
    if (shard.owns(unit)) {
      PoolOptions po;
      po.devices = cases[unit / n_trials].pool;
      po.samples_per_device = options.pool_samples;
      po.seed = Rng::derive(options.seed, unit % n_trials);
      pools.push_back(build_pool(catalog, cases[unit / n_trials].target.name, po));
      units.push_back(unit);
    }
  }
  part.cells = run_units(options, features, cases, pools, units, progress);
  for (std::size_t t = 0; t < cases.size() && options.noise_ceiling; ++t) {
    if (shard.owns(t)) {
      part.ceilings[t] = ceiling(features, cases[t].target, options.ceiling_samples,
                                 Rng::derive(options.seed, 1000 + t));
    }
  }
  part.options = std::move(options);
  part.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return part;
}

Evaluation assemble(const EvalPart& part) {
  const EvalOptions& options = part.options;
  const auto n_trials = static_cast<std::size_t>(options.trials);
  if (part.cells.size() != part.cases.size() * n_trials ||
      (options.noise_ceiling && part.ceilings.size() != part.cases.size())) {
    throw InputError("evaluate: " + std::to_string(part.cells.size()) + " of " +
                     std::to_string(part.cases.size() * n_trials) +
                     " (case, trial) results (shard " + part.shard.str() +
                     "), expected all of them: merge every shard's part");
  }
  Evaluation out;
  for (std::size_t t = 0; t < part.cases.size(); ++t) {
    DeviceEvaluation dev{part.cases[t].device, part.cases[t].group, part.cases[t].pool, {}, {}};
    for (std::size_t m = 0; m < options.methods.size(); ++m) {
      MethodSummary s{options.methods[m], {}, {}, {}, {}};
      std::vector<Metrics> whole;
      for (std::size_t r = 0; r < n_trials; ++r) {
        s.trials.push_back(part.cells[t * n_trials + r].scored.at(m));
        whole.push_back(part.cells[t * n_trials + r].whole.at(m));
      }
      s.mean = combine(s.trials, false);
      s.std = combine(s.trials, true);
      s.whole = combine(whole, false);
      dev.methods.push_back(std::move(s));
    }
    if (options.noise_ceiling) {
      dev.ceiling = part.ceilings.at(t);
    }
    out.devices.push_back(std::move(dev));
  }
  out.options = options;
  summarise(out);
  out.seconds = part.seconds;
  return out;
}

Evaluation evaluate(const tables::Catalog& catalog, const FeatureCache& features,
                    EvalOptions options, const std::function<void(int, int)>& progress) {
  return assemble(evaluate_part(catalog, features, std::move(options), Shard{}, progress));
}

}  // namespace maplex::predictor
