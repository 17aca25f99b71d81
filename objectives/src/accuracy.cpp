#include "maplex/objectives/accuracy.hpp"

#include <cmath>
#include <limits>

#include "maplex/core/error.hpp"

namespace maplex::objectives {

AccuracyChoice parse_accuracy(std::string_view split, int epochs) {
  AccuracyChoice c;
  if (split == "valid") {
    c.split = AccuracySplit::valid;
  } else if (split == "test") {
    c.split = AccuracySplit::test;
  } else {
    throw InputError("accuracy " + quote(split) +
                     " is unknown, expected valid (search on validation accuracy) or test");
  }
  if (epochs != 12 && epochs != 200) {
    throw InputError("fidelity " + std::to_string(epochs) +
                     " epochs is unknown, expected 12 or 200 (NB201's two schedules)");
  }
  c.epochs = epochs;
  return c;
}

std::string_view split_name(AccuracySplit split) {
  return split == AccuracySplit::valid ? "valid" : "test";
}

std::string accuracy_name(AccuracyChoice choice) {
  return std::string(split_name(choice.split)) + "@" + std::to_string(choice.epochs);
}

std::vector<double> accuracies(const tables::ArchTable& table, space::Dataset dataset,
                               AccuracyChoice choice) {
  const auto d = static_cast<std::size_t>(dataset);
  const bool valid = choice.split == AccuracySplit::valid;
  const bool full = choice.epochs == 200;
  std::vector<double> out;
  out.reserve(table.records.size());
  for (const auto& r : table.records) {
    if (full) {
      out.push_back(valid ? r.valid_acc[d] : r.test_acc[d]);
    } else {
      out.push_back(valid ? r.valid12_acc[d] : r.test12_acc[d]);
    }
  }
  return out;
}

std::vector<double> test_accuracies(const tables::ArchTable& table, space::Dataset dataset) {
  return accuracies(table, dataset, {AccuracySplit::test, 200});
}

double query_cost(AccuracyChoice choice) { return choice.epochs / 200.0; }

double full_query_equivalents(double spent, AccuracyChoice choice) {
  return std::round(spent * query_cost(choice) * 1e9) / 1e9;
}

int queries_for_budget(int full_equivalents, AccuracyChoice choice) {
  const double q = std::floor(full_equivalents / query_cost(choice) + 1e-9);
  return std::max(1, static_cast<int>(std::min(q, 1e9)));
}

void add_low_fidelity(Problem& problem, const tables::ArchTable& table, space::Dataset dataset,
                      AccuracyChoice choice) {
  if (choice.epochs == 200) {
    const AccuracyChoice low{choice.split, 12};
    problem.set_low_fidelity(accuracies(table, dataset, low), query_cost(low));
  }
}

std::vector<double> connected_only(std::vector<double> latency_ms, const space::ArchIndex& index) {
  for (std::size_t i = 0; i < latency_ms.size(); ++i) {
    if (!index.cell(static_cast<int>(i)).connected) {
      latency_ms[i] = std::numeric_limits<double>::quiet_NaN();
    }
  }
  return latency_ms;
}

}  // namespace maplex::objectives
