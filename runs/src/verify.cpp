#include "maplex/runs/verify.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace maplex::runs {

namespace {

// A check with less chance than this of passing is not worth a device measurement.
constexpr double kMinChance = 0.01;

}  // namespace

double chance_within(double median, double sd, double budget) {
  if (!(sd > 0)) {
    return median <= budget ? 1.0 : 0.0;
  }
  return 0.5 * std::erfc(-(std::log(budget) - std::log(median)) / (sd * std::sqrt(2.0)));
}

Verification verify_answer(std::span<const objectives::Fitness> archive,
                           const objectives::LatencySource& source, double budget_ms,
                           double confidence, int checks,
                           const std::function<double(int)>& measure) {
  if (source.log_sd.size() != source.latency_ms.size()) {
    throw std::invalid_argument("verify_answer: the latency source has no log_sd");
  }
  if (checks < 1) {
    throw std::invalid_argument("verify_answer: checks < 1");
  }
  std::vector<objectives::Fitness> ranked;
  for (const auto& f : archive) {
    if (f.queried()) {
      ranked.push_back(f);
    }
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.accuracy != b.accuracy) {
      return a.accuracy > b.accuracy;
    }
    if (a.latency_ms != b.latency_ms) {
      return a.latency_ms < b.latency_ms;
    }
    return a.index < b.index;
  });
  const auto sd_of = [&](const objectives::Fitness& f) {
    return source.log_sd[static_cast<std::size_t>(f.index)];
  };
  const double z = objectives::normal_quantile(confidence);
  std::vector<char> measured(ranked.size(), 0);
  Verification v;
  // The fallback: the first unmeasured candidate whose corrected conservative bound passes.
  const auto fallback = [&]() -> std::ptrdiff_t {
    for (std::size_t k = 0; k < ranked.size(); ++k) {
      const double bound = v.correction * ranked[k].latency_ms * std::exp(z * sd_of(ranked[k]));
      if (measured[k] == 0 && bound <= budget_ms) {
        return static_cast<std::ptrdiff_t>(k);
      }
    }
    return -1;
  };
  while (static_cast<int>(v.checks.size()) < checks) {
    const std::ptrdiff_t f = fallback();
    const double floor = f < 0 ? 0.0 : ranked[static_cast<std::size_t>(f)].accuracy;
    // Check the candidate with the largest expected gain over the fallback.
    std::ptrdiff_t pick = -1;
    double best_gain = 0;
    for (std::size_t k = 0; k < ranked.size() && ranked[k].accuracy > floor; ++k) {
      if (measured[k] != 0) {
        continue;
      }
      const double chance =
          chance_within(v.correction * ranked[k].latency_ms, sd_of(ranked[k]), budget_ms);
      const double gain = chance * (ranked[k].accuracy - floor);
      if (chance >= kMinChance && gain > best_gain) {
        best_gain = gain;
        pick = static_cast<std::ptrdiff_t>(k);
      }
    }
    if (pick < 0) {
      pick = f;  // nothing can beat the fallback: confirm the fallback itself
    }
    if (pick < 0) {
      break;
    }
    const auto p = static_cast<std::size_t>(pick);
    measured[p] = 1;
    const double m = measure(ranked[p].index);
    if (std::isnan(m)) {
      continue;  // the device cannot run it; not a measurement
    }
    v.checks.push_back(Check{ranked[p].index, ranked[p].latency_ms, m, m <= budget_ms});
    if (m <= budget_ms) {
      v.best = ranked[p];
      v.best->bound_ms = m;
      v.best->violation = 0;
      v.verified = v.feasible = true;
      return v;
    }
    v.correction = m / ranked[p].latency_ms;
  }
  const std::ptrdiff_t f = fallback();
  if (f >= 0) {
    const auto& c = ranked[static_cast<std::size_t>(f)];
    v.best = c;
    v.best->bound_ms = v.correction * c.latency_ms * std::exp(z * sd_of(c));
    v.feasible = true;
  }
  return v;
}

}  // namespace maplex::runs
