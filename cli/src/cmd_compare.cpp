// maplex compare: predictor-guided search against measured search (every candidate measured on the
// device), same seeds, same query budget, judged with the true tables. Three arms:
//   verified    maplex's default: the predictor adapted from 3 - verify measurements, the answer
//               checked with `verify` device measurements (runs/verify.hpp);
//   unverified  the predictor adapted from 3 measurements and trusted through its --confidence
//               bound (what a MAPLE-X user would do);
//   measured    the device's table as the latency source.
// On `local` (this machine) the truth is measurement: the measured arm searches with live
// measurements, every answer is measured, budgets at percentiles come from the architectures the
// store holds, and regret is against the most accurate answer measured within the budget by any
// arm (the true optimum would need the whole space measured).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "common.hpp"
#include "live_device.hpp"
#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/runs/run.hpp"
#include "predictor_options.hpp"
#include "search_options.hpp"

namespace maplex::cli {

namespace {

struct Side {
  int index = -1;  // -1: nothing feasible found (or no feasible architecture predicted)
  double accuracy = objectives::kNaN;       // the selection metric (spec.accuracy)
  double test_accuracy = objectives::kNaN;  // 200-epoch test accuracy of the answer
  double true_latency = objectives::kNaN;
  bool truly_feasible = false;
  double regret = objectives::kNaN;
  int measurements = 0;
  int queries = 0;
  int low_queries = 0;
  double spent = 0;  // full query equivalents
  double seconds = 0;
  bool verified = false;   // a device measurement confirmed the answer within the budget
  std::string stopped_by;  // the limit that ended the search (RunResult::stopped_by)
};

struct Case {
  std::string device;
  double percentile = 0;  // 0 when the budget was given in ms
  double budget_ms = 0;
  int trial = 0;
  int optimum = -1;
  double optimum_accuracy = 0;
  double optimum_test_accuracy = objectives::kNaN;
  std::vector<Side> sides;  // one per arm
};

struct Arm {
  std::string name;
  std::string label;
  runs::RunSpec spec;
};

double percentile_of(std::vector<double> v, double p) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  std::sort(v.begin(), v.end());
  const double pos = p / 100 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double median(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) {
    return objectives::kNaN;
  }
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Side run_side(const runs::RunSpec& spec, const runs::Prepared& base, double budget,
              const tables::Catalog& catalog, const std::vector<double>& accuracy,
              const std::vector<double>& test, double optimum_accuracy,
              const std::function<double(int)>& truth_of) {
  Side s;
  try {
    objectives::Problem problem(accuracy, base.problem.source(), budget, catalog.index(),
                                base.problem.limits());
    if (base.problem.has_low_fidelity()) {
      problem.set_low_fidelity(base.problem.low_accuracies(), base.problem.low_cost());
    }
    const runs::Prepared p{
        base.target,   std::move(problem), base.true_latency_ms,    base.predictor_seconds,
        base.verifies, base.measure,       base.device_fingerprint, base.device_description,
        base.readapt};
    runs::RunSpec case_spec = spec;
    case_spec.budget_ms = budget;
    const auto r = runs::execute(case_spec, p, catalog, runs::RunOptions{});
    s.queries = r.usage.queries;
    s.low_queries = r.usage.low_queries;
    s.spent = r.spent * objectives::query_cost(spec.accuracy_choice());
    s.stopped_by = r.stopped_by;
    s.measurements = p.problem.source().adaptation_measurements + r.usage.measurements +
                     (r.verification ? static_cast<int>(r.verification->checks.size()) : 0);
    s.seconds = r.usage.seconds + base.predictor_seconds;
    s.verified = r.verification && r.verification->verified;
    if (r.outcome.best && r.outcome.best_feasible) {
      s.index = r.outcome.best->index;
      s.accuracy = r.outcome.best->accuracy;
      s.test_accuracy = test[static_cast<std::size_t>(s.index)];
      s.true_latency = truth_of(s.index);
      s.truly_feasible = s.true_latency <= budget;
      s.regret = s.truly_feasible ? optimum_accuracy - s.accuracy : objectives::kNaN;
    }
  } catch (const InputError&) {
    // No architecture is predicted within the budget: the search returns nothing (a failure).
    s.measurements = base.problem.source().adaptation_measurements;
  }
  return s;
}

nlohmann::json side_json(const Side& s) {
  return {{"index", s.index},
          {"accuracy", json_or_null(s.accuracy)},
          {"test_accuracy", json_or_null(s.test_accuracy)},
          {"true_latency_ms", json_or_null(s.true_latency)},
          {"truly_feasible", s.truly_feasible},
          {"regret", json_or_null(s.regret)},
          {"device_measurements", s.measurements},
          {"accuracy_queries", s.queries},
          {"low_fidelity_queries", s.low_queries},
          {"full_query_equivalents", s.spent},
          {"stopped_by", s.stopped_by},
          {"verified", s.verified},
          {"seconds", s.seconds}};
}

nlohmann::json summary(const std::vector<const Case*>& cases, std::size_t arm) {
  std::vector<double> regret;
  std::vector<double> test_regret;
  std::vector<double> test;
  std::vector<double> meas;
  std::vector<double> secs;
  int feasible = 0;
  for (const Case* c : cases) {
    const Side& s = c->sides[arm];
    feasible += s.truly_feasible ? 1 : 0;
    regret.push_back(s.regret);
    test.push_back(s.test_accuracy);
    test_regret.push_back(s.truly_feasible ? c->optimum_test_accuracy - s.test_accuracy
                                           : objectives::kNaN);
    meas.push_back(s.measurements);
    secs.push_back(s.seconds);
  }
  double mean_meas = 0;
  for (double m : meas) {
    mean_meas += m / static_cast<double>(meas.size());
  }
  return {{"cases", cases.size()},
          {"feasibility_rate", static_cast<double>(feasible) / static_cast<double>(cases.size())},
          {"median_regret", json_or_null(median(regret))},
          {"median_test_accuracy", json_or_null(median(test))},
          {"median_test_regret", json_or_null(median(test_regret))},
          {"mean_device_measurements", mean_meas},
          {"median_seconds", median(secs)}};
}

}  // namespace

int run_compare(int argc, char** argv) {
  auto options = make_options(
      "compare", "Predictor-guided vs measured search: feasibility, regret, measurements, time",
      true);
  add_search_options(options, "re", 300);
  options.add_options()("latency-budget-ms", "The latency budget", cxxopts::value<double>())(
      "budget-percentiles",
      "Budgets at these percentiles of each device's latencies (instead of --latency-budget-ms)",
      cxxopts::value<std::string>()->default_value("25,50,75"))(
      "trials", "Seeds per case (seed, seed+1, ...)", cxxopts::value<int>()->default_value("3"));
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  apply_threads(*args);
  const tables::Catalog catalog = load_catalog(*args);
  const std::string device_arg = (*args)["device"].as<std::string>();
  if (device_arg.empty()) {
    throw UsageError(
        "expected --device NAME[,NAME...] or --device all (see maplex compare --help)");
  }
  std::vector<std::string> devices;
  const bool on_local = runs::is_live_device_name(device_arg);
  if (on_local) {
    devices.push_back(device_arg);
  } else if (device_arg == "all") {
    for (const auto& d : catalog.devices()) {
      devices.push_back(d.key);
    }
  } else {
    devices = split_list(device_arg, "device");
    for (const auto& d : devices) {
      catalog.device(d);
    }
  }
  std::vector<double> percentiles;
  if (args->count("latency-budget-ms") == 0U) {
    for (const auto& p :
         split_list((*args)["budget-percentiles"].as<std::string>(), "budget-percentiles")) {
      double v = 0;
      try {
        v = std::stod(p);
      } catch (const std::exception&) {
        v = -1;
      }
      if (!(v > 0 && v < 100)) {
        throw InputError("--budget-percentiles item " + quote(p) +
                         ", expected a number in (0, 100)");
      }
      percentiles.push_back(v);
    }
  }
  const int trials = int_option(*args, "trials", 1);
  runs::RunSpec base = search_spec(*args, "search");
  base.measurements.clear();
  base.budget_ms.reset();
  const auto dataset = space::parse_dataset(base.dataset);
  const auto accuracy = objectives::accuracies(catalog.archs(), dataset, base.accuracy_choice());
  const auto test = objectives::test_accuracies(catalog.archs(), dataset);
  const auto limits =
      objectives::cost_limits(catalog.archs(), dataset, base.max_flops_m, base.max_params_m);
  const auto features = predictor::FeatureCache::build(catalog.index());
  std::vector<Arm> arms(3);
  arms[0] = {"verified", "predicted + verified", base};
  arms[0].spec.source = "predicted";
  arms[1] = {"unverified", "predicted, bound only", base};
  arms[1].spec.source = "predicted";
  arms[1].spec.verify = 0;
  arms[1].spec.adapt = 3;
  arms[2] = {"measured", "measured", base};
  arms[2].spec.source = on_local ? "live" : "table";
  std::optional<LocalSession> local;
  if (on_local) {
    runs::RunSpec ls = base;
    ls.device = device_arg;
    local = open_session(ls, catalog, args->count("fresh") != 0U);
  }
  std::vector<Case> cases;
  bool whole_space = false;  // local: the store holds every architecture
  for (const auto& device : devices) {
    std::vector<double> truth;
    std::function<double(int)> truth_of;
    std::vector<double> stored;  // local: the store's latencies by index
    if (on_local) {
      // What the store holds for this machine: the latencies the budget percentiles come from.
      stored.assign(static_cast<std::size_t>(catalog.index().size()), objectives::kNaN);
      for (const auto& [index, ms] : local->device->stored_latencies()) {
        truth.push_back(ms);
        stored[static_cast<std::size_t>(index)] = ms;
      }
      whole_space = truth.size() == stored.size();
      if (!percentiles.empty() && truth.size() < 100) {
        throw InputError(
            "compare --device " + device_arg +
            ": budget percentiles need at least 100 architectures measured on the device, the "
            "store holds " +
            std::to_string(truth.size()) +
            "; expected --latency-budget-ms or a sample first (maplex measure --sample 1000)");
      }
      truth_of = local->live.measure;
    } else {
      const auto col = catalog.latencies(device);
      truth.assign(col.begin(), col.end());
      truth_of = [truth](int i) { return truth[static_cast<std::size_t>(i)]; };
    }
    std::vector<std::pair<double, double>> budgets;  // (percentile, ms)
    if (percentiles.empty()) {
      budgets.emplace_back(0.0, (*args)["latency-budget-ms"].as<double>());
    }
    for (double p : percentiles) {
      budgets.emplace_back(p, percentile_of(truth, p));
    }
    for (int t = 0; t < trials; ++t) {
      // One adaptation per arm serves every budget: prepared under the largest (a budget makes
      // the answer verifiable; each case then poses its own).
      double largest = 0;
      for (const auto& b : budgets) {
        largest = std::max(largest, b.second);
      }
      std::vector<runs::RunSpec> specs;
      std::vector<runs::Prepared> prepared;
      for (const auto& arm : arms) {
        runs::RunSpec spec = arm.spec;
        spec.device = device;
        spec.seed = base.seed + static_cast<std::uint64_t>(t);
        spec.budget_ms = largest;
        prepared.push_back(runs::prepare(spec, catalog, features, local ? &local->live : nullptr));
        specs.push_back(spec);
      }
      for (const auto& [pct, budget] : budgets) {
        Case c;
        c.device = device;
        c.percentile = pct;
        c.budget_ms = budget;
        c.trial = t;
        // On local the optimum is known when the store holds the whole space.
        const bool know_optimum = !on_local || whole_space;
        c.optimum = know_optimum
                        ? objectives::exhaustive_optimum(accuracy, on_local ? stored : truth,
                                                         budget, catalog.index(), limits)
                              .index
                        : -1;
        if (c.optimum < 0 && know_optimum) {
          throw InputError("no architecture on " + quote(device) + " is within " + num(budget) +
                           " ms, expected a budget some architecture meets");
        }
        c.optimum_accuracy =
            know_optimum ? accuracy[static_cast<std::size_t>(c.optimum)] : objectives::kNaN;
        c.optimum_test_accuracy =
            know_optimum ? test[static_cast<std::size_t>(c.optimum)] : objectives::kNaN;
        for (std::size_t a = 0; a < arms.size(); ++a) {
          c.sides.push_back(run_side(specs[a], prepared[a], budget, catalog, accuracy, test,
                                     c.optimum_accuracy, truth_of));
        }
        if (!know_optimum) {
          // Regret against the best answer any arm found within the budget (as measured).
          for (const Side& sd : c.sides) {
            if (sd.truly_feasible &&
                (std::isnan(c.optimum_accuracy) || sd.accuracy > c.optimum_accuracy)) {
              c.optimum_accuracy = sd.accuracy;
              c.optimum_test_accuracy = sd.test_accuracy;
              c.optimum = sd.index;
            }
          }
          for (Side& sd : c.sides) {
            sd.regret = sd.truly_feasible ? c.optimum_accuracy - sd.accuracy : objectives::kNaN;
          }
        }
        cases.push_back(c);
      }
      std::fprintf(stderr, "\rcompare: %s trial %d/%d (%zu cases)      ", device.c_str(), t + 1,
                   trials, cases.size());
    }
  }
  std::fprintf(stderr, "\n");

  auto doc = json_envelope("compare", catalog);
  doc["config"] = nlohmann::json::parse(runs::spec_to_json(base));
  doc["config"]["trials"] = trials;
  doc["config"]["budget_percentiles"] = percentiles;
  doc["config"]["regret"] =
      on_local && !whole_space
          ? "the most accurate answer any arm found within the budget (measured on this "
            "machine) minus the found architecture's, over results measured within the budget"
          : "optimum accuracy (on local: over the whole space as the store holds it) minus the "
            "found architecture's, over truly feasible results";
  if (on_local) {
    doc["config"]["device_description"] = local->live.description;
  }
  nlohmann::json arms_json = nlohmann::json::array();
  for (const auto& arm : arms) {
    arms_json.push_back({{"name", arm.name},
                         {"latency_source", arm.spec.source},
                         {"adapt", arm.spec.adapt},
                         {"verify", arm.spec.source == "predicted" ? arm.spec.verify : 0},
                         {"confidence", arm.spec.confidence},
                         {"search_confidence", arm.spec.search_confidence}});
  }
  doc["config"]["arms"] = arms_json;
  nlohmann::json rows = nlohmann::json::array();
  std::vector<const Case*> all;
  for (const auto& c : cases) {
    all.push_back(&c);
    nlohmann::json row = {{"device", c.device},
                          {"budget_percentile", c.percentile > 0 ? nlohmann::json(c.percentile)
                                                                 : nlohmann::json(nullptr)},
                          {"latency_budget_ms", c.budget_ms},
                          {"trial", c.trial},
                          {"seed", base.seed + static_cast<std::uint64_t>(c.trial)},
                          {"optimum",
                           {{"index", c.optimum},
                            {"accuracy", c.optimum_accuracy},
                            {"test_accuracy", json_or_null(c.optimum_test_accuracy)}}}};
    for (std::size_t a = 0; a < arms.size(); ++a) {
      row[arms[a].name] = side_json(c.sides[a]);
    }
    rows.push_back(row);
  }
  doc["cases"] = rows;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    doc["summary"][arms[a].name] = summary(all, a);
  }
  const auto json = json_target(*args);
  if (json && *json == "-") {
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  if (json) {
    write_json_file(*json, doc);
  }
  const auto cell = [](const nlohmann::json& sm) {
    char buf[64];
    std::snprintf(
        buf, sizeof buf, "%5.2f %6s %5.0f %6.3f", sm["feasibility_rate"].get<double>(),
        sm["median_regret"].is_null() ? "-" : approx(sm["median_regret"].get<double>()).c_str(),
        sm["mean_device_measurements"].get<double>(), sm["median_seconds"].get<double>());
    return std::string(buf);
  };
  std::printf("%-44s %4s %8s", "", "", "");
  for (const auto& arm : arms) {
    std::printf(" | %-26s", arm.label.c_str());
  }
  std::printf("\n%-44s %4s %8s", "device", "pct", "budget");
  for (std::size_t a = 0; a < arms.size(); ++a) {
    std::printf(" | %5s %6s %5s %6s", "feas", "regret", "meas", "s");
  }
  std::printf("\n");
  // One row per (device, budget), over its trials, in first-seen order.
  std::vector<std::pair<std::string, double>> keys;
  for (const auto& c : cases) {
    const std::pair<std::string, double> key{c.device, c.budget_ms};
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(key);
    }
  }
  for (const auto& [device, budget] : keys) {
    std::vector<const Case*> group;
    for (const auto& c : cases) {
      if (c.device == device && c.budget_ms == budget) {
        group.push_back(&c);
      }
    }
    // A budget given in ms has no percentile: shown as "-".
    const double pct = group.front()->percentile;
    std::printf("%-44s %4s %8.4g", device.c_str(),
                pct > 0 ? std::to_string(static_cast<int>(std::lround(pct))).c_str() : "-", budget);
    for (std::size_t a = 0; a < arms.size(); ++a) {
      std::printf(" | %s", cell(summary(group, a)).c_str());
    }
    std::printf("\n");
  }
  std::printf(
      "\nall %zu cases (feasible share, median regret over truly feasible results, mean "
      "device measurements):\n",
      cases.size());
  for (const auto& arm : arms) {
    const auto& sm = doc["summary"][arm.name];
    std::printf(
        "  %-22s feasible %5.1f%%  median regret %-6s  %.1f measurements\n", arm.label.c_str(),
        100 * sm["feasibility_rate"].get<double>(),
        sm["median_regret"].is_null() ? "-" : approx(sm["median_regret"].get<double>()).c_str(),
        sm["mean_device_measurements"].get<double>());
  }
  return 0;
}

}  // namespace maplex::cli
