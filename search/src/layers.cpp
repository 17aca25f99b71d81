#include "maplex/search/layers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "maplex/core/error.hpp"

namespace maplex::search {

namespace {

// Training keeps this many evaluations per full query it will spend (a network's cell and its
// isomorphic cells: the cap on evaluations must not end a run before its training does).
constexpr double kEvaluationsPerTrainedQuery = 4;

// The first non-dominated layer of `screened` on (latency: less is better, 12-epoch accuracy: more
// is better), by ascending latency (ties: the more accurate, then the lower index).
std::vector<int> first_layer(std::vector<int> screened, const objectives::Problem& problem) {
  const auto& latency = problem.source().latency_ms;
  const auto key = [&](int a) {
    return std::make_tuple(latency[static_cast<std::size_t>(a)], -problem.low_accuracy(a), a);
  };
  std::sort(screened.begin(), screened.end(), [&](int a, int b) { return key(a) < key(b); });
  std::vector<int> layer;
  double best = -std::numeric_limits<double>::infinity();
  for (int a : screened) {
    if (problem.low_accuracy(a) > best) {
      layer.push_back(a);
      best = problem.low_accuracy(a);
    }
  }
  return layer;
}

// `count` members of `layer` evenly spaced along it, both ends included (all when it is short).
std::vector<int> spread(const std::vector<int>& layer, int count) {
  const auto n = layer.size();
  const auto k = static_cast<std::size_t>(count);
  if (n <= k) {
    return layer;
  }
  std::vector<int> out;
  for (std::size_t i = 0; i < k; ++i) {
    out.push_back(layer[i * (n - 1) / (k - 1)]);
  }
  return out;
}

}  // namespace

Layers::Layers(double share, int batch, int promote)
    : share_(share), batch_(batch), promote_(promote) {
  if (!(share > 0 && share < 1) || batch < 1 || promote < 2) {
    throw InputError("layers: share " + std::to_string(share) + ", batch " + std::to_string(batch) +
                     ", promote " + std::to_string(promote) +
                     ", expected 0 < share < 1, batch >= 1, promote >= 2");
  }
}

std::vector<int> Layers::screening_cells(const Evaluator& evaluator,
                                         const space::ArchIndex& index) const {
  std::vector<int> order = networks_by_flops(evaluator.problem(), index);
  const double by_budget = share_ * evaluator.limits().queries / evaluator.problem().low_cost();
  const auto n = order.size();
  const auto count = std::min(n, static_cast<std::size_t>(std::max(1.0, std::floor(by_budget))));
  if (count == n) {
    return order;
  }
  std::vector<int> cells;
  for (std::size_t k = 0; k < count; ++k) {
    cells.push_back(order[k * n / count]);
  }
  return cells;
}

bool Layers::affordable(const Evaluator& evaluator, std::size_t count) const {
  const Limits& limits = evaluator.limits();
  const double reserve = kEvaluationsPerTrainedQuery * (1 - share_) * limits.queries;
  const double spend =
      evaluator.spent() + static_cast<double>(count) * evaluator.problem().low_cost();
  return spend <= share_ * limits.queries + 1e-9 &&
         static_cast<double>(evaluator.usage().evaluations) + static_cast<double>(count) <=
             static_cast<double>(limits.evaluations) - reserve &&
         (limits.measurements == 0 || evaluator.usage().measurements + static_cast<double>(count) <=
                                          limits.measurements - reserve);
}

void Layers::promote(SearchState& state, Evaluator& evaluator,
                     const space::ArchIndex& index) const {
  const objectives::Problem& problem = evaluator.problem();
  std::vector<int> screened = screened_untrained(evaluator);
  if (screened.empty()) {
    state.finished = true;
    return;
  }
  const std::vector<int> train = spread(first_layer(std::move(screened), problem), promote_);
  // Each trained network's screened cell, then all its other connected cells (free: they share
  // the answer; a device that runs dead ops times each cell of a network differently, and the
  // front wants the fastest).
  evaluate_into(state, evaluator,
                with_siblings(problem, index, train, std::numeric_limits<std::size_t>::max()));
}

void Layers::step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const {
  const objectives::Problem& problem = evaluator.problem();
  if (!problem.has_low_fidelity()) {
    throw InputError(
        "algorithm \"layers\" needs a cheaper fidelity to screen with, expected --fidelity 200 "
        "(it screens at 12 epochs)");
  }
  if (problem.source().latency_ms.empty()) {
    throw InputError(
        "algorithm \"layers\" reads the screened networks' latencies from the source, "
        "expected a predicted or table latency source, not " +
        std::string(objectives::source_name(problem.source().kind)));
  }
  const std::vector<int> cells = screening_cells(evaluator, index);
  const auto cursor = static_cast<std::size_t>(state.step) * static_cast<std::size_t>(batch_);
  if (cursor < cells.size()) {
    const auto count = std::min(static_cast<std::size_t>(batch_), cells.size() - cursor);
    if (affordable(evaluator, count)) {
      const std::span<const int> batch(cells.data() + cursor, count);
      evaluator.evaluate(batch, state.step, Fidelity::low);
      return;
    }
  }
  promote(state, evaluator, index);
}

}  // namespace maplex::search
