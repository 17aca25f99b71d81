// Example 2: load the shipped tables and find, by exhaustive enumeration, the most accurate
// cifar10 architecture whose measured latency on a device stays within a budget.
// Run: build/examples/example_02_budgeted_best [device] [budget_ms]

#include <cmath>
#include <iostream>
#include <string>

#include "maplex/core/error.hpp"
#include "maplex/tables/catalog.hpp"
#include "maplex/tables/data_dir.hpp"

int main(int argc, char** argv) {
  const std::string device = argc > 1 ? argv[1] : "titan_rtx_1";
  const double budget = argc > 2 ? std::stod(argv[2]) : 6.0;
  try {
    const auto catalog = maplex::tables::Catalog::load(maplex::tables::find_data_dir(std::nullopt));
    const auto latency = catalog.latencies(device);
    int best = -1;
    for (int i = 0; i < catalog.index().size(); ++i) {
      const double ms = latency[static_cast<std::size_t>(i)];
      if (std::isnan(ms) || ms > budget) {
        continue;
      }
      if (best < 0 || catalog.archs().at(i).test_acc[0] > catalog.archs().at(best).test_acc[0]) {
        best = i;
      }
    }
    if (best < 0) {
      std::cerr << "no architecture within " << budget << " ms on " << device << "\n";
      return 1;
    }
    std::cout << "best within " << budget << " ms on " << device << ": index " << best << " "
              << catalog.index().arch(best).str() << " acc " << catalog.archs().at(best).test_acc[0]
              << "% latency " << latency[static_cast<std::size_t>(best)] << " ms\n";
  } catch (const maplex::InputError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
