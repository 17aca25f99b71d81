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

// The unmeasured candidate more accurate than `floor` with the largest expected gain over it under
// the current predictions times r_now: P(within budget) * (accuracy - floor), less what a failure
// would cost, (1 - P) * (floor - floor_if_failed(k)); -1 when none is worth a check.
std::ptrdiff_t most_worth_checking(const std::vector<objectives::Fitness>& ranked,
                                   const std::vector<char>& measured,
                                   const std::vector<double>& log_sd, double floor, double r_now,
                                   double budget_ms,
                                   const std::function<double(std::size_t)>& floor_if_failed) {
  std::ptrdiff_t pick = -1;
  double best_gain = 0;
  for (std::size_t k = 0; k < ranked.size() && ranked[k].accuracy > floor; ++k) {
    if (measured[k] != 0) {
      continue;
    }
    const double sd = log_sd[static_cast<std::size_t>(ranked[k].index)];
    const double chance = chance_within(r_now * ranked[k].latency_ms, sd, budget_ms);
    double gain = chance >= kMinChance ? chance * (ranked[k].accuracy - floor) : 0.0;
    if (gain > best_gain) {  // what a failure costs only lowers it
      gain -= (1 - chance) * (floor - floor_if_failed(k));
    }
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

// A measured check joins the verification: a pass is the answer (the checks left only try more
// accurate ones), a failure raises the ratio the search's own predictions are corrected by.
void record_check(Verification& v, const objectives::Fitness& c, double m, double budget_ms,
                  const objectives::LatencySource& source) {
  v.checks.push_back(Check{c.index, c.latency_ms, m, m <= budget_ms});
  if (m > budget_ms) {
    v.correction = std::max(v.correction, m / source.latency_ms[static_cast<std::size_t>(c.index)]);
    return;
  }
  v.best = c;
  v.best->bound_ms = m;
  v.best->violation = 0;
  v.verified = v.feasible = true;
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
  // ratio r_now the last check showed), and so is what a check must beat once re-adapted. When
  // every check failed, the answer is settled under the predictor adapted with all of them.
  objectives::LatencySource current = source;  // re-adapted after each check
  double r_now = 1;
  const double z = objectives::normal_quantile(confidence);
  std::vector<char> measured(ranked.size(), 0);
  Verification v;
  // The predictor the fallback is taken under and the ratio it is trusted to, both for what a
  // check must beat and for the answer when every check failed: once re-adapted, the predictor
  // adapted with the checks so far, trusted no further than they show; before, the search's own
  // predictions times the largest miss of a failed check.
  const auto fallback_basis = [&]() -> std::pair<const objectives::LatencySource*, double> {
    if (v.readaptations > 0) {
      return {&current, worst_miss(v.checks, current)};
    }
    return {&source, v.correction};
  };
  // What the answer would be if every check left failed, with the predictor off by at least
  // `at_least`.
  const auto fallback = [&](double at_least) {
    const auto [under, r] = fallback_basis();
    return first_fallback(ranked, measured, *under, std::max(r, at_least), z, budget_ms);
  };
  const auto accuracy_of = [&](std::ptrdiff_t k) {
    return k < 0 ? 0.0 : ranked[static_cast<std::size_t>(k)].accuracy;
  };
  while (static_cast<int>(v.checks.size()) < checks) {
    const std::ptrdiff_t f = fallback(1);
    // What a check must beat: the verified answer, else the fallback.
    const double floor = v.verified ? v.best->accuracy : accuracy_of(f);
    // A failed last check shows the predictor off at it by at least budget / prediction, which
    // can take the fallback away: what the answer would then be. (With checks left after it, a
    // failure is not the end.)
    const bool last = static_cast<int>(v.checks.size()) + 1 == checks;
    const auto floor_if_failed = [&](std::size_t k) {
      return v.verified || !last ? floor : accuracy_of(fallback(budget_ms / ranked[k].latency_ms));
    };
    // Check the candidate with the largest expected gain over it.
    std::ptrdiff_t pick = most_worth_checking(ranked, measured, current.log_sd, floor, r_now,
                                              budget_ms, floor_if_failed);
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
    record_check(v, ranked[p], m, budget_ms, source);
    // Every check shows how far the predictor is off near the budget, over or under it: a check
    // with slack makes more accurate candidates worth the checks left.
    r_now = m / ranked[p].latency_ms;
    if (readapt && (static_cast<int>(v.checks.size()) < checks || !v.verified)) {
      r_now = readapt_ranked(readapt, v, ranked, current);
    }
  }
  if (v.verified) {
    v.p_within_budget = 1;
  } else {
    // Once re-adapted, under the predictor adapted with every check: they move every prediction
    // where they disagree with the search's.
    const auto [under, r] = fallback_basis();
    settle_unverified(v, ranked, measured, *under, r, z, budget_ms);
    v.fallback_readapted = v.readaptations > 0 && v.best.has_value();
  }
  return v;
}

}  // namespace maplex::runs
