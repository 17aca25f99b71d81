#include "maplex/search/hyperband.hpp"

#include <algorithm>
#include <set>

#include "maplex/core/error.hpp"

namespace maplex::search {

Hyperband::Hyperband(int population, int sample, int batch, int eta)
    : population_(population), sample_(sample), batch_(batch), eta_(eta) {
  if (population < 2 || sample < 1 || sample > population || batch < 1 || eta < 2) {
    throw InputError("hyperband: population " + std::to_string(population) + ", sample " +
                     std::to_string(sample) + ", batch " + std::to_string(batch) + ", eta " +
                     std::to_string(eta) +
                     ", expected population >= 2, 1 <= sample <= population, batch >= 1, "
                     "eta >= 2");
  }
}

std::vector<int> Hyperband::propose(SearchState& state, const space::ArchIndex& index,
                                    int count) const {
  const bool initial = static_cast<int>(state.population.size()) < population_;
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    if (initial) {
      out.push_back(draw_fresh(state, index));
      continue;
    }
    const auto& pop = state.population;
    int child = -1;
    for (int tries = 0; tries < 10 && (child < 0 || state.archived(child)); ++tries) {
      child = mutate_connected(state.rng, pop[tournament(state.rng, pop, sample_)].fitness.index,
                               index);
    }
    out.push_back(child);
  }
  return out;
}

void Hyperband::step(SearchState& state, Evaluator& evaluator,
                     const space::ArchIndex& index) const {
  if (!evaluator.problem().has_low_fidelity()) {
    throw InputError(
        "algorithm \"hyperband\" needs a cheaper fidelity to screen with, expected --fidelity 200 "
        "(it screens at 12 epochs)");
  }
  auto& pop = state.population;
  const int missing = population_ - static_cast<int>(pop.size());
  const bool screened = missing > 0 || state.step % 2 == 0;
  const int promote = missing > 0 ? missing : batch_;
  std::vector<int> full;
  if (screened) {
    const auto proposals = propose(state, index, eta_ * promote);
    auto low = evaluator.evaluate(proposals, state.step, Fidelity::low);
    std::stable_sort(low.begin(), low.end(),
                     [](const Fitness& a, const Fitness& b) { return objectives::better(a, b); });
    std::set<int> classes;  // promote distinct networks
    for (const Fitness& f : low) {
      if (static_cast<int>(full.size()) < promote &&
          classes.insert(evaluator.problem().query_class(f.index)).second) {
        full.push_back(f.index);
      }
    }
  } else {
    full = propose(state, index, (eta_ - 1) * promote);
  }
  const auto out = evaluate_into(state, evaluator, full);
  for (const Fitness& f : out) {
    pop.push_back(Member{f, state.step});
  }
  const auto excess = static_cast<std::ptrdiff_t>(pop.size()) - population_;
  if (excess > 0) {
    pop.erase(pop.begin(), pop.begin() + excess);  // the oldest: members stay in order of birth
  }
}

}  // namespace maplex::search
