#include "maplex/search/screen.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <set>

#include "maplex/core/error.hpp"
#include "maplex/search/bayes_opt.hpp"

namespace maplex::search {

namespace {

// At least this many screening batches when the budget's share is small.
constexpr int kMinBatches = 16;
// The first step evaluates this many networks evenly spaced along the order (at most a quarter of
// the screening budget) to see where along it the budget is met.
constexpr int kProbes = 64;
// "Almost sure to meet the budget": the predicted latency's one-sided 99% bound meets it.
constexpr double kSafeChance = 0.99;
// The rungs between the most accurate pick and the almost sure one: an even chance, then 90%.
constexpr std::array<double, 2> kLadder = {0.5, 0.9};
// A promoted network's isomorphic cells evaluated with it (its answer is theirs, free).
constexpr std::size_t kSiblings = 3;
// Evaluations (and measurements) kept for each query promotion will spend: the network's cell
// and its siblings.
constexpr double kPerPromotedQuery = 1 + kSiblings;

}  // namespace

Screen::Screen(double share, int batch, int promote)
    : share_(share), batch_(batch), promote_(promote) {
  if (!(share > 0 && share < 1) || batch < 1 || promote < 1) {
    throw InputError("screen: share " + std::to_string(share) + ", batch " + std::to_string(batch) +
                     ", promote " + std::to_string(promote) +
                     ", expected 0 < share < 1, batch >= 1, promote >= 1");
  }
}

int Screen::batch_for(const Evaluator& evaluator) const {
  const double cells =
      share_ * evaluator.limits().queries / evaluator.problem().low_cost() / kMinBatches;
  return std::clamp(static_cast<int>(cells), 1, batch_);
}

std::vector<std::size_t> Screen::probes(const Evaluator& evaluator, std::size_t cells) const {
  const double most = share_ * evaluator.limits().queries / evaluator.problem().low_cost() / 4;
  const auto count = std::min<std::size_t>(
      cells, static_cast<std::size_t>(std::clamp(static_cast<int>(most), 1, kProbes)));
  const std::size_t spacing = std::max<std::size_t>(1, cells / std::max<std::size_t>(count, 1));
  std::vector<std::size_t> at;
  for (std::size_t k = 0; k < count; ++k) {
    at.push_back(k * spacing);
  }
  return at;
}

std::size_t Screen::start(const std::vector<int>& order, const Evaluator& evaluator) const {
  // Screening can afford `window` evaluations (what the limits leave after the probes and the
  // promotion's reserve) and wants `wanted` networks that meet the budget. Each probe that met it
  // stands for the `spacing` networks around it; screening starts at the highest probe whose
  // window is expected to hold the wanted networks, else at the one whose window holds the most.
  const std::vector<std::size_t> at = probes(evaluator, order.size());
  const Limits& limits = evaluator.limits();
  const double reserve = kPerPromotedQuery * (1 - share_) * limits.queries;
  double window = static_cast<double>(limits.evaluations) - reserve;
  if (limits.measurements > 0) {
    window = std::min(window, limits.measurements - reserve);
  }
  window -= static_cast<double>(at.size());
  const double wanted = share_ * limits.queries / evaluator.problem().low_cost();
  const double spacing = at.size() > 1 ? static_cast<double>(at[1] - at[0]) : 1.0;
  const std::set<int> screened(evaluator.low_queried().begin(), evaluator.low_queried().end());
  if (std::none_of(at.begin(), at.end(),
                   [&](std::size_t k) { return screened.count(order[k]) != 0U; })) {
    // No probe met the budget: what does lies between the probes, most likely among the fewest
    // FLOPs; screening starts at the highest probe whose window reaches the end of the order.
    const auto reaches = std::find_if(at.begin(), at.end(), [&](std::size_t k) {
      return static_cast<double>(order.size() - k) <= window;
    });
    return reaches != at.end() ? *reaches : at.back();
  }
  std::size_t best = 0;
  double best_count = -1;
  for (std::size_t i = 0; i < at.size(); ++i) {
    double count = 0;
    for (std::size_t k = i; k < at.size() && static_cast<double>(at[k] - at[i]) < window; ++k) {
      count += screened.count(order[at[k]]) != 0U ? spacing : 0.0;
    }
    if (count >= wanted) {
      return at[i];
    }
    if (count > best_count) {
      best_count = count;
      best = at[i];
    }
  }
  return best;
}

bool Screen::screening(const Evaluator& evaluator) const {
  // Promotion is left the rest of the query budget and, per query it will spend, a few
  // evaluations and measurements (a network's isomorphic cells are evaluated with it).
  const int b = batch_for(evaluator);
  const Limits& limits = evaluator.limits();
  const Usage& used = evaluator.usage();
  const double reserve = kPerPromotedQuery * (1 - share_) * limits.queries;
  const double spend = evaluator.spent() + b * evaluator.problem().low_cost();
  return spend <= share_ * limits.queries &&
         static_cast<double>(used.evaluations + b) <=
             static_cast<double>(limits.evaluations) - reserve &&
         (limits.measurements == 0 || used.measurements + b <= limits.measurements - reserve);
}

std::vector<int> Screen::along_the_order(const std::vector<int>& order, const Evaluator& evaluator,
                                         std::int64_t step) const {
  const auto b = static_cast<std::size_t>(batch_for(evaluator));
  const std::size_t cursor = start(order, evaluator) + static_cast<std::size_t>(step - 1) * b;
  if (cursor >= order.size()) {
    return {};
  }
  const auto first = order.begin() + static_cast<std::ptrdiff_t>(cursor);
  return {first, first + static_cast<std::ptrdiff_t>(std::min(b, order.size() - cursor))};
}

std::vector<int> Screen::by_the_model(const std::vector<int>& order, const Evaluator& evaluator,
                                      const space::ArchIndex& index) const {
  const objectives::Problem& problem = evaluator.problem();
  const std::vector<int>& screened = evaluator.low_queried();
  std::set<int> screened_networks;
  std::vector<double> accuracy;
  for (int a : screened) {
    screened_networks.insert(problem.query_class(a));
    accuracy.push_back(problem.low_accuracy(a));
  }
  std::vector<int> open;  // networks not yet screened whose bound meets the budget
  for (int a : order) {
    if (screened_networks.count(problem.query_class(a)) == 0U && problem.assess(a).feasible()) {
      open.push_back(a);
    }
  }
  const std::vector<double> predicted = ridge_predictions(index, screened, accuracy, open);
  std::vector<std::size_t> rank(open.size());
  std::iota(rank.begin(), rank.end(), 0);
  const auto b = std::min(rank.size(), static_cast<std::size_t>(batch_for(evaluator)));
  // Only the batch is ordered (ties: the earlier in the order, as a stable sort would).
  std::partial_sort(rank.begin(), rank.begin() + static_cast<std::ptrdiff_t>(b), rank.end(),
                    [&](std::size_t x, std::size_t y) {
                      return predicted[x] != predicted[y] ? predicted[x] > predicted[y] : x < y;
                    });
  std::vector<int> batch;
  for (std::size_t k = 0; k < b; ++k) {
    batch.push_back(open[rank[k]]);
  }
  return batch;
}

void Screen::promote(SearchState& state, Evaluator& evaluator,
                     const space::ArchIndex& index) const {
  const objectives::Problem& problem = evaluator.problem();
  // The screened networks not yet promoted, by the 12-epoch accuracy they were paid for.
  std::vector<int> screened = screened_untrained(evaluator);
  if (screened.empty()) {
    state.finished = true;
    return;
  }
  std::stable_sort(screened.begin(), screened.end(),
                   [&](int a, int b) { return problem.low_accuracy(a) > problem.low_accuracy(b); });
  screened = pick(screened, evaluator);
  // Each promoted network's screened cell, then up to kSiblings of its other connected cells.
  evaluate_into(state, evaluator, with_siblings(problem, index, screened, kSiblings));
}

std::vector<int> Screen::pick(const std::vector<int>& ranked, const Evaluator& evaluator) const {
  const objectives::Problem& problem = evaluator.problem();
  const auto n = std::min(ranked.size(), static_cast<std::size_t>(promote_));
  const objectives::LatencySource& source = problem.source();
  if (source.log_sd.empty() || !problem.budget_ms() || n < 2) {
    return {ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n)};
  }
  // On a predicted source the picks after the first climb a ladder of chances of meeting the
  // budget: each is the best network whose chance is at least its rung (kLadder, then
  // kSafeChance for the last), so that a latency check that fails the riskier ones finds an
  // answer a rung lower instead of far below the budget. A rung no screened network reaches
  // becomes the surest network's chance (the surest is promoted instead, once).
  const auto chance = [&](int a) {
    const auto i = static_cast<std::size_t>(a);
    return objectives::chance_within(source.latency_ms[i], source.log_sd[i], *problem.budget_ms());
  };
  double surest = 0;
  for (int a : evaluator.low_queried()) {
    surest = std::max(surest, chance(a));
  }
  std::vector<int> picked(1, ranked.front());
  const auto unpicked = [&](int a) {
    return std::find(picked.begin(), picked.end(), a) == picked.end();
  };
  for (std::size_t slot = 1; slot < n; ++slot) {
    const double rung = slot + 1 == n ? kSafeChance : kLadder[(slot - 1) % kLadder.size()];
    const double level = std::min(rung, surest);
    auto it = std::find_if(ranked.begin(), ranked.end(),
                           [&](int a) { return unpicked(a) && chance(a) >= level; });
    if (it == ranked.end()) {  // no untried network on this rung: the next by accuracy
      it = std::find_if(ranked.begin(), ranked.end(), unpicked);
    }
    picked.push_back(*it);
  }
  return picked;
}

void Screen::step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const {
  if (!evaluator.problem().has_low_fidelity()) {
    throw InputError(
        "algorithm \"screen\" needs a cheaper fidelity to screen with, expected --fidelity 200 "
        "(it screens at 12 epochs)");
  }
  const std::vector<int> order = networks_by_flops(evaluator.problem(), index);
  if (state.step == 0) {  // the probes: where along the order the budget starts to be met
    std::vector<int> batch;
    for (std::size_t p : probes(evaluator, order.size())) {
      batch.push_back(order[p]);
    }
    evaluator.evaluate(batch, state.step, Fidelity::low);
    return;
  }
  // A predicted source's latencies are free to read: screening chooses among every network
  // whose bound meets the budget; a measured one pays for each, and walks the order.
  std::vector<int> batch;
  if (screening(evaluator)) {
    batch = evaluator.problem().source().measures() ? along_the_order(order, evaluator, state.step)
                                                    : by_the_model(order, evaluator, index);
  }
  if (!batch.empty()) {
    evaluator.evaluate(batch, state.step, Fidelity::low);
    return;
  }
  promote(state, evaluator, index);
}

}  // namespace maplex::search
