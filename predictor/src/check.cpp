#include "maplex/predictor/check.hpp"

#include <algorithm>
#include <cmath>

#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/space/sampling.hpp"
#include "maplex/tables/measurements.hpp"

namespace maplex::predictor {

namespace {

bool adapted_on(const Target& target, int a) {
  const auto& archs = target.adaptation.archs;
  return std::find(archs.begin(), archs.end(), a) != archs.end();
}

}  // namespace

CheckSet table_checks(const Target& target, const tables::Catalog& catalog) {
  CheckSet checks;
  const auto column = catalog.latencies(target.name);
  for (int i = 0; i < catalog.index().size(); ++i) {
    const double t = column[static_cast<std::size_t>(i)];
    if (std::isnan(t)) {
      continue;
    }
    if (adapted_on(target, i)) {
      ++checks.adaptation_rows_left_out;
      continue;
    }
    checks.archs.push_back(i);
    checks.ms.push_back(t);
  }
  return checks;
}

CheckSet file_checks(const Target& target, const std::string& path,
                     const tables::Catalog& catalog) {
  const auto set = tables::load_measurements(path, catalog.index());
  CheckSet checks;
  for (const auto& m : set.rows) {
    if (set.has_device_column && m.device != target.name) {
      continue;
    }
    if (adapted_on(target, m.index)) {
      ++checks.adaptation_rows_left_out;
      continue;
    }
    checks.archs.push_back(m.index);
    checks.ms.push_back(m.latency_ms);
  }
  if (checks.archs.size() < 2) {
    const auto n = checks.archs.size();
    throw InputError("--check-against " + quote(path) + ": " + std::to_string(n) +
                     (n == 1 ? " measurement of " : " measurements of ") + quote(target.name) +
                     " besides the adaptation's, expected at least 2 to score the prediction on");
  }
  return checks;
}

CheckSet live_checks(const Target& target, int n, std::uint64_t seed, const space::ArchIndex& index,
                     const std::function<double(int)>& measure) {
  Rng rng(Rng::derive(seed, 3));
  CheckSet checks;
  checks.archs = space::sample_distinct_connected(
      rng, n, index, {target.adaptation.archs.begin(), target.adaptation.archs.end()});
  for (int a : checks.archs) {
    checks.ms.push_back(measure(a));
  }
  return checks;
}

Metrics score_checks(const Predictor& p, const CheckSet& checks) {
  std::vector<double> predicted;
  predicted.reserve(checks.archs.size());
  int covered = 0;
  for (std::size_t k = 0; k < checks.archs.size(); ++k) {
    const auto a = static_cast<std::size_t>(checks.archs[k]);
    predicted.push_back(p.predictions()[a]);
    covered += std::abs(std::log(checks.ms[k] / p.predictions()[a])) <= 1.96 * p.log_sd()[a];
  }
  auto m = evaluate_predictions(predicted, checks.ms);
  m.coverage95 = static_cast<double>(covered) / static_cast<double>(checks.archs.size());
  return m;
}

}  // namespace maplex::predictor
