#include "maplex/search/nsga2.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>

#include "maplex/core/error.hpp"
#include "maplex/objectives/pareto.hpp"

namespace maplex::search {

Ranking rank_members(const std::vector<Member>& members) {
  Ranking r;
  r.front.assign(members.size(), 0);
  r.crowding.assign(members.size(), 0.0);
  std::vector<objectives::Point> points;
  std::vector<int> feasible;
  std::map<double, std::vector<int>> infeasible;  // by violation, ascending
  for (std::size_t m = 0; m < members.size(); ++m) {
    const Fitness& f = members[m].fitness;
    if (f.feasible()) {
      points.push_back({-f.accuracy, f.latency_ms});
      feasible.push_back(static_cast<int>(m));
    } else {
      infeasible[f.violation].push_back(static_cast<int>(m));
    }
  }
  const auto fronts = objectives::non_dominated_sort(points);
  int number = 0;
  for (const auto& front : fronts) {
    const auto crowd = objectives::crowding_distance(points, front);
    for (std::size_t k = 0; k < front.size(); ++k) {
      const auto m = static_cast<std::size_t>(feasible[static_cast<std::size_t>(front[k])]);
      r.front[m] = number;
      r.crowding[m] = crowd[k];
    }
    ++number;
  }
  for (const auto& [v, group] : infeasible) {
    for (int m : group) {
      r.front[static_cast<std::size_t>(m)] = number;
      r.crowding[static_cast<std::size_t>(m)] = std::numeric_limits<double>::infinity();
    }
    ++number;
  }
  return r;
}

Nsga2::Nsga2(int population, double crossover) : population_(population), crossover_(crossover) {
  if (population < 4 || !(crossover >= 0 && crossover <= 1)) {
    throw InputError("nsga2: population " + std::to_string(population) + " and crossover " +
                     std::to_string(crossover) +
                     ", expected population >= 4 and crossover in [0, 1]");
  }
}

namespace {

// Order: lower front, then larger crowding, then lower index (total and deterministic).
bool fitter(const Ranking& r, const std::vector<Member>& pop, std::size_t a, std::size_t b) {
  if (r.front[a] != r.front[b]) {
    return r.front[a] < r.front[b];
  }
  if (r.crowding[a] != r.crowding[b]) {
    return r.crowding[a] > r.crowding[b];
  }
  return pop[a].fitness.index < pop[b].fitness.index;
}

std::size_t tournament(Rng& rng, const Ranking& r, const std::vector<Member>& pop) {
  const std::size_t a = rng.below(pop.size());
  const std::size_t b = rng.below(pop.size());
  return fitter(r, pop, b, a) ? b : a;
}

}  // namespace

void Nsga2::step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const {
  auto& pop = state.population;
  if (fill_population(state, evaluator, index, population_)) {
    return;
  }
  // Offspring: every draw serial, evaluation of the batch parallel.
  const Ranking ranking = rank_members(pop);
  std::vector<int> children;
  for (int k = 0; k < population_; ++k) {
    const space::Arch& a = index.arch(pop[tournament(state.rng, ranking, pop)].fitness.index);
    const space::Arch& b = index.arch(pop[tournament(state.rng, ranking, pop)].fitness.index);
    space::Arch child = a;
    if (state.rng.uniform() < crossover_) {
      for (int e = 0; e < space::kNumEdges; ++e) {
        if (state.rng.below(2) == 1) {
          child = child.with(e, b.op(e));
        }
      }
    }
    // Always one mutation, so a child differs from a parent copied through (redrawn until the
    // cell is connected; every disconnected cell has a connected one-edit neighbour).
    children.push_back(mutate_connected(state.rng, index.index_of(child), index));
  }
  const auto out = evaluate_into(state, evaluator, children);
  // Merge (one member per architecture), rank, keep the best population_.
  std::vector<Member> merged = pop;
  for (const Fitness& f : out) {
    const bool dup = std::any_of(merged.begin(), merged.end(),
                                 [&](const Member& m) { return m.fitness.index == f.index; });
    if (!dup) {
      merged.push_back(Member{f, state.step});
    }
  }
  const Ranking r = rank_members(merged);
  std::vector<std::size_t> order(merged.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return fitter(r, merged, a, b); });
  std::vector<Member> next;
  for (std::size_t k = 0; k < order.size() && static_cast<int>(next.size()) < population_; ++k) {
    next.push_back(merged[order[k]]);
  }
  pop = std::move(next);
}

}  // namespace maplex::search
