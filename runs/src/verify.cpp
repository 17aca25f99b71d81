#include "maplex/runs/verify.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace maplex::runs {

namespace {

// A check with less chance than this of passing is not worth a device measurement.
constexpr double kMinChance = 0.01;

using objectives::chance_within;

// The queried candidates, most accurate first (ties: faster, then lower index).
std::vector<objectives::Fitness> by_accuracy(std::span<const objectives::Fitness> archive) {
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
  return ranked;
}

// P(within budget) * (accuracy - floor) under the corrected prediction; 0 below kMinChance (not
// worth a measurement).
double expected_gain(const objectives::Fitness& f, double floor, double correction, double sd,
                     double budget_ms) {
  const double chance = chance_within(correction * f.latency_ms, sd, budget_ms);
  return chance >= kMinChance ? chance * (f.accuracy - floor) : 0.0;
}

// The predictor adapted again with every check becomes `current`, and the candidates' predictions
// its; returns what it still misses at the last check (about 1 when it explains it).
double readapt_ranked(const Readapt& readapt, Verification& v,
                      std::vector<objectives::Fitness>& ranked,
                      objectives::LatencySource& current) {
  std::vector<std::pair<int, double>> measured;
  measured.reserve(v.checks.size());
  for (const Check& c : v.checks) {
    measured.emplace_back(c.index, c.measured_ms);
  }
  current = readapt(measured);
  for (objectives::Fitness& f : ranked) {
    f.latency_ms = current.latency_ms[static_cast<std::size_t>(f.index)];
  }
  ++v.readaptations;
  const Check& last = v.checks.back();
  return last.measured_ms / current.latency_ms[static_cast<std::size_t>(last.index)];
}

// The first unmeasured candidate whose conservative bound on `under`'s prediction, corrected by r,
// meets the budget; -1 when none.
std::ptrdiff_t first_fallback(const std::vector<objectives::Fitness>& ranked,
                              const std::vector<char>& measured,
                              const objectives::LatencySource& under, double r, double z,
                              double budget_ms) {
  for (std::size_t k = 0; k < ranked.size(); ++k) {
    const auto i = static_cast<std::size_t>(ranked[k].index);
    if (measured[k] == 0 && r * under.latency_ms[i] * std::exp(z * under.log_sd[i]) <= budget_ms) {
      return static_cast<std::ptrdiff_t>(k);
    }
  }
  return -1;
}

// The unmeasured candidate more accurate than `floor` with the largest expected gain under the
// current predictions times r_now; -1 when none is worth a check.
std::ptrdiff_t most_worth_checking(const std::vector<objectives::Fitness>& ranked,
                                   const std::vector<char>& measured,
                                   const std::vector<double>& log_sd, double floor, double r_now,
                                   double budget_ms) {
  std::ptrdiff_t pick = -1;
  double best_gain = 0;
  for (std::size_t k = 0; k < ranked.size() && ranked[k].accuracy > floor; ++k) {
    const double sd = log_sd[static_cast<std::size_t>(ranked[k].index)];
    const double gain =
        measured[k] != 0 ? 0.0 : expected_gain(ranked[k], floor, r_now, sd, budget_ms);
    if (gain > best_gain) {
      best_gain = gain;
      pick = static_cast<std::ptrdiff_t>(k);
    }
  }
  return pick;
}

// Every check failed: the answer is the fallback under `under`'s predictions times r, if any.
void settle_unverified(Verification& v, const std::vector<objectives::Fitness>& ranked,
                       const std::vector<char>& measured, const objectives::LatencySource& under,
                       double r, double z, double budget_ms) {
  const std::ptrdiff_t f = first_fallback(ranked, measured, under, r, z, budget_ms);
  if (f >= 0) {
    const auto& c = ranked[static_cast<std::size_t>(f)];
    const double pred = under.latency_ms[static_cast<std::size_t>(c.index)];
    const double sd = under.log_sd[static_cast<std::size_t>(c.index)];
    v.best = c;
    v.best->latency_ms = pred;
    v.best->bound_ms = r * pred * std::exp(z * sd);
    v.feasible = true;
    v.p_within_budget = chance_within(r * pred, sd, budget_ms);
  }
}

// What `under` still misses at the worst check, at least 1: a re-adapted predictor that does not
// explain the failed checks is trusted no further than they show.
double worst_miss(const std::vector<Check>& checks, const objectives::LatencySource& under) {
  double r = 1;
  for (const Check& c : checks) {
    r = std::max(r, c.measured_ms / under.latency_ms[static_cast<std::size_t>(c.index)]);
  }
  return r;
}

}  // namespace

Verification verify_answer(std::span<const objectives::Fitness> archive,
                           const objectives::LatencySource& source, double budget_ms,
                           double confidence, int checks, const std::function<double(int)>& measure,
                           const Readapt& readapt) {
  if (source.log_sd.size() != source.latency_ms.size()) {
    throw std::invalid_argument("verify_answer: the latency source has no log_sd");
  }
  if (checks < 1) {
    throw std::invalid_argument("verify_answer: checks < 1");
  }
  std::vector<objectives::Fitness> ranked = by_accuracy(archive);
  // The checks are chosen on the current predictions (re-adapted after each check, times the
  // ratio r_now the last check showed); while checks are left, what a check must beat stays on the
  // search's own predictions with the largest ratio a failed check showed (v.correction). When
  // every check failed, the answer is settled under the predictor adapted with all of them.
  objectives::LatencySource current = source;  // re-adapted after each check
  double r_now = 1;
  const double z = objectives::normal_quantile(confidence);
  std::vector<char> measured(ranked.size(), 0);
  Verification v;
  const auto fallback = [&] {
    return first_fallback(ranked, measured, source, v.correction, z, budget_ms);
  };
  while (static_cast<int>(v.checks.size()) < checks) {
    const std::ptrdiff_t f = fallback();
    // What a check must beat: the verified answer, else the fallback.
    double floor = f < 0 ? 0.0 : ranked[static_cast<std::size_t>(f)].accuracy;
    if (v.verified) {
      floor = v.best->accuracy;
    }
    // Check the candidate with the largest expected gain over it.
    std::ptrdiff_t pick =
        most_worth_checking(ranked, measured, current.log_sd, floor, r_now, budget_ms);
    if (pick < 0 && !v.verified) {
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
    // Every check shows how far the predictor is off near the budget, over or under it: a check
    // with slack makes more accurate candidates worth the checks left.
    r_now = m / ranked[p].latency_ms;
    if (m > budget_ms) {
      v.correction =
          std::max(v.correction, m / source.latency_ms[static_cast<std::size_t>(ranked[p].index)]);
    }
    if (m <= budget_ms) {
      v.best = ranked[p];
      v.best->bound_ms = m;
      v.best->violation = 0;
      v.verified = v.feasible = true;
    }
    if (readapt && (static_cast<int>(v.checks.size()) < checks || !v.verified)) {
      r_now = readapt_ranked(readapt, v, ranked, current);
    }
  }
  if (v.verified) {
    v.p_within_budget = 1;
  } else if (v.readaptations > 0) {
    // Under the predictor adapted with every check: they move every prediction where they
    // disagree with the search's.
    settle_unverified(v, ranked, measured, current, worst_miss(v.checks, current), z, budget_ms);
    v.fallback_readapted = v.best.has_value();
  } else {
    settle_unverified(v, ranked, measured, source, v.correction, z, budget_ms);
  }
  return v;
}

}  // namespace maplex::runs
