#include "maplex/search/algorithm.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>

#include "maplex/core/error.hpp"
#include "maplex/search/bayes_opt.hpp"
#include "maplex/search/hyperband.hpp"
#include "maplex/search/layers.hpp"
#include "maplex/search/local_search.hpp"
#include "maplex/search/nsga2.hpp"
#include "maplex/search/random_search.hpp"
#include "maplex/search/regularized_evolution.hpp"
#include "maplex/search/screen.hpp"
#include "maplex/space/cell.hpp"
#include "maplex/space/network.hpp"
#include "maplex/space/sampling.hpp"

namespace maplex::search {

std::vector<Fitness> evaluate_into(SearchState& state, Evaluator& evaluator,
                                   std::span<const int> candidates) {
  auto out = evaluator.evaluate(candidates, state.step);
  for (const Fitness& f : out) {
    state.archive_add(f);
  }
  return out;
}

int draw_fresh(SearchState& state, const space::ArchIndex& index) {
  int a = index.index_of(space::sample_connected(state.rng));
  for (int tries = 1; tries < 100 && state.archived(a); ++tries) {
    a = index.index_of(space::sample_connected(state.rng));
  }
  return a;
}

bool fill_population(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index,
                     int size) {
  auto& pop = state.population;
  if (static_cast<int>(pop.size()) >= size) {
    return false;
  }
  std::vector<int> batch;
  batch.reserve(static_cast<std::size_t>(size) - pop.size());
  for (auto k = static_cast<int>(pop.size()); k < size; ++k) {
    batch.push_back(draw_fresh(state, index));
  }
  for (const Fitness& f : evaluate_into(state, evaluator, batch)) {
    pop.push_back(Member{f, state.step});
  }
  return true;
}

std::size_t tournament(Rng& rng, const std::vector<Member>& pop, int sample) {
  std::vector<std::size_t> positions(pop.size());
  std::iota(positions.begin(), positions.end(), 0);
  std::size_t winner = pop.size();
  for (std::size_t k = 0; k < static_cast<std::size_t>(sample); ++k) {
    const std::size_t pick = k + rng.below(positions.size() - k);
    std::swap(positions[k], positions[pick]);
    const std::size_t p = positions[k];
    if (winner == pop.size() || objectives::better(pop[p].fitness, pop[winner].fitness)) {
      winner = p;
    }
  }
  return winner;
}

int mutate_connected(Rng& rng, int parent, const space::ArchIndex& index) {
  const space::Arch& p = index.arch(parent);
  const int parent_class = index.class_id(parent);
  // A mutation of a dead edge leaves the same network (an isomorphic cell): drawn again, up to a
  // bound (every connected cell has a live edge whose change makes a new network).
  for (int tries = 0;; ++tries) {
    const space::Arch child = space::mutate(rng, p);
    if (!space::cell_info(child).connected) {
      continue;
    }
    const int c = index.index_of(child);
    if (index.class_id(c) != parent_class || tries >= 1000) {
      return c;
    }
  }
}

std::vector<int> screened_untrained(const Evaluator& evaluator) {
  std::vector<int> out;
  for (int a : evaluator.low_queried()) {
    if (evaluator.answered_by(a) < 0) {
      out.push_back(a);
    }
  }
  return out;
}

std::vector<int> with_siblings(const objectives::Problem& problem, const space::ArchIndex& index,
                               const std::vector<int>& cells, std::size_t most) {
  std::map<int, std::vector<std::pair<double, int>>> siblings;  // by query class
  for (int a : cells) {
    siblings[problem.query_class(a)];
  }
  for (int a = 0; a < problem.size(); ++a) {
    const auto it = siblings.find(problem.query_class(a));
    if (it != siblings.end() && index.cell(a).connected &&
        std::find(cells.begin(), cells.end(), a) == cells.end()) {
      it->second.emplace_back(space::costs(index.arch(a), space::Dataset::cifar10).flops_m, a);
    }
  }
  std::vector<int> out = cells;
  for (int a : cells) {
    auto& more = siblings[problem.query_class(a)];
    std::sort(more.begin(), more.end());
    for (std::size_t k = 0; k < more.size() && k < most; ++k) {
      out.push_back(more[k].second);
    }
  }
  return out;
}

std::vector<int> networks_by_flops(const objectives::Problem& problem,
                                   const space::ArchIndex& index) {
  const auto classes = static_cast<std::size_t>(problem.num_query_classes());
  std::vector<int> cell(classes, -1);
  std::vector<double> flops(classes, std::numeric_limits<double>::infinity());
  for (int a = 0; a < problem.size(); ++a) {
    if (index.cell(a).connected) {
      const auto c = static_cast<std::size_t>(problem.query_class(a));
      const double f = space::costs(index.arch(a), space::Dataset::cifar10).flops_m;
      if (f < flops[c]) {
        flops[c] = f;
        cell[c] = a;
      }
    }
  }
  std::vector<int> order;
  for (std::size_t c = 0; c < classes; ++c) {
    if (cell[c] >= 0) {
      order.push_back(static_cast<int>(c));
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return flops[static_cast<std::size_t>(a)] > flops[static_cast<std::size_t>(b)];
  });
  for (int& c : order) {
    c = cell[static_cast<std::size_t>(c)];
  }
  return order;
}

namespace {

// The registry: one line per algorithm (name, what it is, how to make it with the given or
// default population and tournament sizes).
struct AlgorithmEntry {
  std::string_view name;
  std::string_view description;
  Algorithm (*make)(int population, int sample);
};

int or_default(int value, int fallback) { return value > 0 ? value : fallback; }

constexpr AlgorithmEntry kAlgorithms[] = {
    {"re", "regularized evolution",
     [](int population, int sample) {
       return Algorithm(RegularizedEvolution(or_default(population, 40), or_default(sample, 10)));
     }},
    {"random", "", [](int, int) { return Algorithm(RandomSearch()); }},
    {"local", "", [](int, int) { return Algorithm(LocalSearch()); }},
    {"nsga2", "", [](int population, int) { return Algorithm(Nsga2(or_default(population, 40))); }},
    {"bo",
     "surrogate-assisted: an ensemble accuracy model, expected improvement x P(within budget)",
     [](int, int) { return Algorithm(BayesOpt()); }},
    {"hyperband", "multi-fidelity: candidates screened at 12 epochs, the best trained for 200",
     [](int population, int sample) {
       return Algorithm(Hyperband(or_default(population, 40), or_default(sample, 10)));
     }},
    {"screen",
     "multi-fidelity: networks screened at 12 epochs where a model of what it screened points, "
     "the best trained for 200",
     [](int, int) { return Algorithm(Screen()); }},
    {"layers",
     "multi-fidelity fronts: every network screened at 12 epochs, the non-dominated layers of "
     "(latency, 12-epoch accuracy) trained for 200",
     [](int, int) { return Algorithm(Layers()); }},
};

}  // namespace

Algorithm make_algorithm(const std::string& name, int population, int sample) {
  for (const AlgorithmEntry& e : kAlgorithms) {
    if (e.name == name) {
      return e.make(population, sample);
    }
  }
  throw InputError("algorithm " + quote(name) + " is unknown, expected one of " +
                   algorithm_names());
}

std::vector<std::string> algorithms() {
  std::vector<std::string> out;
  for (const AlgorithmEntry& e : kAlgorithms) {
    out.emplace_back(e.name);
  }
  return out;
}

std::string algorithm_names() {
  std::string out;
  for (const AlgorithmEntry& e : kAlgorithms) {
    out += (out.empty() ? "" : ", ") + std::string(e.name);
  }
  return out;
}

std::string algorithm_help() {
  std::string out;
  for (const AlgorithmEntry& e : kAlgorithms) {
    out += (out.empty() ? "" : ", ") + std::string(e.name);
    if (!e.description.empty()) {
      out += " (" + std::string(e.description) + ")";
    }
  }
  return out;
}

}  // namespace maplex::search
