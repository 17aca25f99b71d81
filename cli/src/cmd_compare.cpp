// maplex compare: the command line of runs/compare.hpp (predictor-guided against measured search,
// same seeds, same query budget, judged with the true tables). Three arms:
//   verified    maplex's default: the predictor adapted from 3 - verify measurements, the answer
//               checked with `verify` device measurements (runs/verify.hpp);
//   unverified  the predictor adapted from 3 measurements and trusted through its --confidence
//               bound (what a MAPLE-X user would do);
//   measured    the device's table as the latency source.
// On `local` (this machine) the truth is measurement: the measured arm searches with live
// measurements, every answer is measured, budgets at percentiles come from the architectures the
// store holds, and regret is against the most accurate answer measured within the budget by any
// arm (the true optimum would need the whole space measured).

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "common.hpp"
#include "live_device.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/shard.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/runs/compare.hpp"
#include "maplex/search/algorithm.hpp"
#include "predictor_options.hpp"
#include "search_options.hpp"

namespace maplex::cli {

namespace {

// --device NAME[,NAME...] | all | a live device.
std::vector<std::string> compared_devices(const std::string& arg, const tables::Catalog& catalog) {
  if (arg.empty()) {
    throw UsageError(
        "expected --device NAME[,NAME...] or --device all (see maplex compare --help)");
  }
  if (runs::is_live_device_name(arg)) {
    return {arg};
  }
  std::vector<std::string> devices;
  if (arg == "all") {
    for (const auto& d : catalog.devices()) {
      devices.push_back(d.key);
    }
    return devices;
  }
  devices = split_list(arg, "device");
  for (const auto& d : devices) {
    catalog.device(d);
  }
  return devices;
}

std::vector<double> percentiles_of(const std::string& text) {
  std::vector<double> out;
  for (const auto& p : split_list(text, "budget-percentiles")) {
    double v = 0;
    try {
      v = std::stod(p);
    } catch (const std::exception&) {
      v = -1;
    }
    if (!(v > 0 && v < 100)) {
      throw InputError("--budget-percentiles item " + quote(p) + ", expected a number in (0, 100)");
    }
    out.push_back(v);
  }
  return out;
}

std::string cell(const runs::CompareSummary& sm) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%5.2f %6s %5.0f %6.3f", sm.feasibility_rate,
                std::isnan(sm.median_regret) ? "-" : approx(sm.median_regret).c_str(),
                sm.mean_device_measurements, sm.median_seconds);
  return buf;
}

// One row per (device, budget) over its trials, in first-seen order, then every case per arm.
void print_comparison(const runs::Comparison& cmp) {
  std::printf("%-44s %4s %8s", "", "", "");
  for (const auto& arm : cmp.arms) {
    std::printf(" | %-26s", arm.label.c_str());
  }
  std::printf("\n%-44s %4s %8s", "device", "pct", "budget");
  for (std::size_t a = 0; a < cmp.arms.size(); ++a) {
    std::printf(" | %5s %6s %5s %6s", "feas", "regret", "meas", "s");
  }
  std::printf("\n");
  std::vector<std::pair<std::string, double>> keys;
  for (const auto& c : cmp.cases) {
    const std::pair<std::string, double> key{c.device, c.budget_ms};
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(key);
    }
  }
  for (const auto& [device, budget] : keys) {
    std::vector<const runs::CompareCase*> group;
    for (const auto& c : cmp.cases) {
      if (c.device == device && c.budget_ms == budget) {
        group.push_back(&c);
      }
    }
    // A budget given in ms has no percentile: shown as "-".
    const double pct = group.front()->percentile;
    std::printf("%-44s %4s %8.4g", device.c_str(),
                pct > 0 ? std::to_string(static_cast<int>(std::lround(pct))).c_str() : "-", budget);
    for (std::size_t a = 0; a < cmp.arms.size(); ++a) {
      std::printf(" | %s", cell(runs::summarise(group, a)).c_str());
    }
    std::printf("\n");
  }
  std::vector<const runs::CompareCase*> all;
  for (const auto& c : cmp.cases) {
    all.push_back(&c);
  }
  std::printf(
      "\nall %zu cases (feasible share, median regret over truly feasible results, mean "
      "device measurements):\n",
      cmp.cases.size());
  for (std::size_t a = 0; a < cmp.arms.size(); ++a) {
    const auto sm = runs::summarise(all, a);
    std::printf("  %-22s feasible %5.1f%%  median regret %-6s  %.1f measurements\n",
                cmp.arms[a].label.c_str(), 100 * sm.feasibility_rate,
                std::isnan(sm.median_regret) ? "-" : approx(sm.median_regret).c_str(),
                sm.mean_device_measurements);
  }
}

}  // namespace

int run_compare(int argc, char** argv) {
  auto options = make_options(
      "compare", "Predictor-guided vs measured search: feasibility, regret, measurements, time",
      true);
  add_search_options(options, "", 300);
  options.add_options()("latency-budget-ms", "The latency budget", cxxopts::value<double>())(
      "budget-percentiles",
      "Budgets at these percentiles of each device's latencies (instead of --latency-budget-ms)",
      cxxopts::value<std::string>()->default_value("25,50,75"))(
      "trials", "Seeds per case (seed, seed+1, ...)", cxxopts::value<int>()->default_value("3"))(
      "shard",
      "Run shard K of N (K/N, 0-based; slurm: this job array task) of the (device, trial) units; "
      "maplex merge joins the --json documents",
      cxxopts::value<std::string>());
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  apply_threads(*args);
  const tables::Catalog catalog = load_catalog(*args);
  const std::string device_arg = (*args)["device"].as<std::string>();
  runs::CompareOptions co;
  co.devices = compared_devices(device_arg, catalog);
  if (args->count("latency-budget-ms") == 0U) {
    co.percentiles = percentiles_of((*args)["budget-percentiles"].as<std::string>());
  } else {
    co.budget_ms = (*args)["latency-budget-ms"].as<double>();
  }
  co.trials = int_option(*args, "trials", 1);
  if (args->count("shard") != 0U) {
    co.shard = parse_shard((*args)["shard"].as<std::string>());
    if (!json_target(*args)) {
      throw UsageError("compare --shard writes a part: expected --json FILE (or - for stdout)");
    }
  }
  co.base = search_spec(*args, "search");
  if ((*args)["algorithm"].as<std::string>().empty()) {
    co.base.algorithm.clear();  // each arm gets the default of its source
  }
  co.base.measurements.clear();
  co.base.budget_ms.reset();
  const auto features = predictor::FeatureCache::build(catalog.index());
  std::optional<LocalSession> local;
  std::vector<std::pair<int, double>> stored;
  if (runs::is_live_device_name(device_arg)) {
    runs::RunSpec ls = co.base;
    ls.device = device_arg;
    local = open_session(ls, catalog, args->count("fresh") != 0U);
    stored = local->device->stored_latencies();
  }
  const auto cmp = runs::compare(
      co, catalog, features, local ? &local->live : nullptr, stored,
      [tty = ::isatty(STDERR_FILENO) != 0](const std::string& device, int trial, int trials,
                                           std::size_t cases) {
        // One line rewritten on a terminal, a line per trial in a log or a pipe.
        std::fprintf(stderr, "%scompare: %s trial %d/%d (%zu cases)%s", tty ? "\r" : "",
                     device.c_str(), trial, trials, cases, tty ? "      " : "\n");
      });
  if (::isatty(STDERR_FILENO) != 0) {
    std::fprintf(stderr, "\n");
  }
  auto doc = json_envelope("compare", catalog);
  doc.update(nlohmann::json::parse(
      runs::compare_document(cmp, co, local.has_value(), local ? local->live.description : "")));
  const auto json = json_target(*args);
  if (json && *json == "-") {
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  if (json) {
    write_json_file(*json, doc);
  }
  print_comparison(cmp);
  return 0;
}

}  // namespace maplex::cli
