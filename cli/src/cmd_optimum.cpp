// maplex optimum: the true constrained optimum by enumerating the shipped tables.

#include <cmath>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/objectives/problem.hpp"

namespace maplex::cli {

int run_optimum(int argc, char** argv) {
  auto options = make_options(
      "optimum", "The true most accurate architecture within a latency budget (exhaustive)");
  options.add_options()("device", "A shipped device", cxxopts::value<std::string>())(
      "latency-budget-ms", "The latency budget", cxxopts::value<double>())(
      "dataset", "cifar10, cifar100 or imagenet16_120",
      cxxopts::value<std::string>()->default_value("cifar10"))(
      "accuracy",
      "Most accurate by: valid (validation accuracy; its test accuracy beside it) or test",
      cxxopts::value<std::string>()->default_value("valid"))(
      "fidelity", "Epochs of that accuracy: 200 or 12",
      cxxopts::value<int>()->default_value("200"));
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
  const auto choice = objectives::parse_accuracy((*args)["accuracy"].as<std::string>(),
                                                 (*args)["fidelity"].as<int>());
  const auto col = catalog.latencies(device);
  const std::vector<double> latency(col.begin(), col.end());
  const auto accuracy = objectives::accuracies(catalog.archs(), dataset, choice);
  const auto test = objectives::test_accuracies(catalog.archs(), dataset);
  // Validates the budget and reports "no feasible architecture" with the fastest one.
  const objectives::Problem problem(accuracy, objectives::table_source(device, latency), budget,
                                    catalog.index());
  const auto o = objectives::exhaustive_optimum(accuracy, latency, budget, catalog.index());
  if (o.index < 0) {
    throw InputError("no connected architecture on " + quote(device) + " is within " + num(budget) +
                     " ms, expected a budget above the fastest connected one");
  }
  const auto b = static_cast<std::size_t>(o.index);
  const std::string metric = objectives::accuracy_name(choice);
  if (args->count("json") != 0U) {
    auto doc = json_envelope("optimum", catalog);
    doc["config"] = {{"device", device},
                     {"latency_budget_ms", budget},
                     {"dataset", space::dataset_name(dataset)},
                     {"accuracy", metric}};
    doc["optimum"] = {{"index", o.index},
                      {"arch_str", catalog.index().arch(o.index).str()},
                      {"accuracy", accuracy[b]},
                      {"test_accuracy", test[b]},
                      {"latency_ms", latency[b]}};
    doc["feasible_architectures"] = o.feasible;
    doc["architectures_with_latency"] = o.with_latency;
    doc["scope"] = "connected cells only (the 341 disconnected ones output zeros)";
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  std::printf("optimum on %s within %s ms (%s, most accurate by %s): %d %s\n", device.c_str(),
              num(budget).c_str(), std::string(space::dataset_name(dataset)).c_str(),
              metric.c_str(), o.index, catalog.index().arch(o.index).str().c_str());
  std::printf(
      "  accuracy %s %% (%s), test accuracy %s %%, latency %s ms; %d of %d connected "
      "architectures are within the budget\n",
      num(accuracy[b]).c_str(), metric.c_str(), num(test[b]).c_str(), num(latency[b]).c_str(),
      o.feasible, o.with_latency);
  return 0;
}

}  // namespace maplex::cli
