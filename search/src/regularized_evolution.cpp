#include "maplex/search/regularized_evolution.hpp"

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
  const std::size_t winner = tournament(state.rng, pop, sample_);
  const int child = mutate_connected(state.rng, pop[winner].fitness.index, index);
  const int batch[] = {child};
  const auto out = evaluate_into(state, evaluator, batch);
  if (!out.empty()) {
    pop.push_back(Member{out.front(), state.step});
    pop.erase(pop.begin());  // the oldest: members stay in order of birth
  }
}

}  // namespace maplex::search
