#include "maplex/search/regularized_evolution.hpp"

#include <numeric>

#include "maplex/core/error.hpp"

namespace maplex::search {

RegularizedEvolution::RegularizedEvolution(int population, int sample)
    : population_(population), sample_(sample) {
  if (population < 2 || sample < 1 || sample > population) {
    throw InputError("regularized evolution: population " + std::to_string(population) +
                     " and sample " + std::to_string(sample) +
                     ", expected population >= 2 and 1 <= sample <= population");
  }
}

void RegularizedEvolution::step(SearchState& state, Evaluator& evaluator,
                                const space::ArchIndex& index) const {
  auto& pop = state.population;
  if (fill_population(state, evaluator, index, population_)) {
    return;  // the initial population (or its remainder) was this step
  }
  // Tournament: S distinct members (partial Fisher-Yates over positions).
  std::vector<int> positions(pop.size());
  std::iota(positions.begin(), positions.end(), 0);
  int winner = -1;
  for (int k = 0; k < sample_; ++k) {
    const auto pick =
        k + static_cast<int>(state.rng.below(positions.size() - static_cast<std::size_t>(k)));
    std::swap(positions[static_cast<std::size_t>(k)], positions[static_cast<std::size_t>(pick)]);
    const int p = positions[static_cast<std::size_t>(k)];
    if (winner < 0 || objectives::better(pop[static_cast<std::size_t>(p)].fitness,
                                         pop[static_cast<std::size_t>(winner)].fitness)) {
      winner = p;
    }
  }
  const int child =
      mutate_connected(state.rng, pop[static_cast<std::size_t>(winner)].fitness.index, index);
  const int batch[] = {child};
  const auto out = evaluate_into(state, evaluator, batch);
  if (!out.empty()) {
    pop.push_back(Member{out.front(), state.step});
    pop.erase(pop.begin());  // the oldest: members stay in order of birth
  }
}

}  // namespace maplex::search
