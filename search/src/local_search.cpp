#include "maplex/search/local_search.hpp"

#include "maplex/core/error.hpp"
#include "maplex/space/cell.hpp"
#include "maplex/space/sampling.hpp"

namespace maplex::search {

LocalSearch::LocalSearch(int init) : init_(init) {
  if (init < 1) {
    throw InputError("local search init " + std::to_string(init) + ", expected at least 1");
  }
}

void LocalSearch::step(SearchState& state, Evaluator& evaluator,
                       const space::ArchIndex& index) const {
  auto& pop = state.population;  // holds the current point, or nothing before a (re)start
  if (pop.empty()) {
    std::vector<int> batch;
    batch.reserve(static_cast<std::size_t>(init_));
    for (int k = 0; k < init_; ++k) {
      batch.push_back(draw_fresh(state, index));
    }
    const auto out = evaluate_into(state, evaluator, batch);
    if (out.empty()) {
      return;
    }
    const Fitness* best = &out.front();
    for (const Fitness& f : out) {
      best = objectives::better(f, *best) ? &f : best;
    }
    pop.push_back(Member{*best, state.step});
    return;
  }
  std::vector<int> batch;
  for (const space::Arch& n : space::neighbours(index.arch(pop.front().fitness.index))) {
    if (space::cell_info(n).connected) {
      batch.push_back(index.index_of(n));
    }
  }
  const auto out = evaluate_into(state, evaluator, batch);
  const Fitness* best = nullptr;
  for (const Fitness& f : out) {
    if (best == nullptr || objectives::better(f, *best)) {
      best = &f;
    }
  }
  if (best != nullptr && objectives::better(*best, pop.front().fitness)) {
    pop.front() = Member{*best, state.step};
  } else if (out.size() == batch.size()) {
    pop.clear();  // a local optimum: restart
  }
}

}  // namespace maplex::search
