// maplex optimum: the true constrained optimum by enumerating the shipped tables.

#include <cmath>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/core/error.hpp"
#include "maplex/objectives/problem.hpp"

namespace maplex::cli {

int run_optimum(int argc, char** argv) {
  auto options = make_options(
      "optimum", "The true most accurate architecture within a latency budget (exhaustive)");
  options.add_options()("device", "A shipped device", cxxopts::value<std::string>())(
      "latency-budget-ms", "The latency budget", cxxopts::value<double>())(
      "dataset", "cifar10, cifar100 or imagenet16_120",
      cxxopts::value<std::string>()->default_value("cifar10"));
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  if (args->count("device") == 0U || args->count("latency-budget-ms") == 0U) {
    throw UsageError(
        "expected --device NAME and --latency-budget-ms L (see maplex optimum --help)");
  }
  const tables::Catalog catalog = load_catalog(*args);
  const std::string device = (*args)["device"].as<std::string>();
  const double budget = (*args)["latency-budget-ms"].as<double>();
  const auto dataset = space::parse_dataset((*args)["dataset"].as<std::string>());
  const auto col = catalog.latencies(device);
  const std::vector<double> latency(col.begin(), col.end());
  auto accuracy = objectives::accuracies(catalog.archs(), dataset);
  // Validates the budget and reports "no feasible architecture" with the fastest one.
  const objectives::Problem problem(accuracy, objectives::table_source(device, latency), budget,
                                    catalog.index());
  const int best = objectives::constrained_optimum(accuracy, latency, budget);
  int feasible = 0;
  int known = 0;
  for (double l : latency) {
    known += std::isnan(l) ? 0 : 1;
    feasible += !std::isnan(l) && l <= budget ? 1 : 0;
  }
  const auto b = static_cast<std::size_t>(best);
  if (args->count("json") != 0U) {
    auto doc = json_envelope("optimum", catalog);
    doc["config"] = {{"device", device},
                     {"latency_budget_ms", budget},
                     {"dataset", space::dataset_name(dataset)}};
    doc["optimum"] = {{"index", best},
                      {"arch_str", catalog.index().arch(best).str()},
                      {"accuracy", accuracy[b]},
                      {"latency_ms", latency[b]}};
    doc["feasible_architectures"] = feasible;
    doc["architectures_with_latency"] = known;
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  std::printf("optimum on %s within %s ms (%s): %d %s\n", device.c_str(), num(budget).c_str(),
              std::string(space::dataset_name(dataset)).c_str(), best,
              catalog.index().arch(best).str().c_str());
  std::printf("  accuracy %s %%, latency %s ms; %d of %d architectures are within the budget\n",
              num(accuracy[b]).c_str(), num(latency[b]).c_str(), feasible, known);
  return 0;
}

}  // namespace maplex::cli
