#pragma once
// Multi-fidelity search ("hyperband"): Hyperband's brackets (Li, Jamieson, DeSalvo, Rostamizadeh,
// Talwalkar, JMLR 2018) over NB201's two training schedules, 12 and 200 epochs, with candidates
// proposed by regularized evolution's tournament instead of at random (as BOHB proposes them from
// a model and DEHB by evolution).
//
// With two fidelities and eta = 3, Hyperband has two brackets: the screened one evaluates
// 3 * batch candidates at 12 epochs (each 12/200 of a full query) and promotes the best `batch` of
// them (constrained ranking on the 12-epoch accuracy) to 200 epochs; the direct one evaluates
// 2 * batch candidates at 200 epochs (Hyperband's bracket sizes for s_max = 1). Steps alternate
// between them. The initial population is one screened bracket of random connected cells:
// 3 * population at 12 epochs, the best `population` promoted. Only 200-epoch answers enter the
// population, the archive and the answer; a bracket lives within one step, so the state between
// steps is regularized evolution's (population, engine) and a run resumes like the others.
// Needs a problem with a low fidelity (a search at `--fidelity 200`).
//
// Parameters were set before any comparison (RE's population and tournament; Hyperband's
// eta = 3), not tuned on the reported figures.

#include <string>

#include "maplex/search/algorithm.hpp"

namespace maplex::search {

class Hyperband {
 public:
  // Throws InputError unless population >= 2, 1 <= sample <= population, batch >= 1, eta >= 2.
  explicit Hyperband(int population = 40, int sample = 10, int batch = 5, int eta = 3);
  std::string name() const { return "hyperband"; }
  Parameters parameters() const {
    return {{"population", population_}, {"sample", sample_}, {"batch", batch_}, {"eta", eta_}};
  }
  void step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;

 private:
  // `count` proposals: fresh random cells while the population is short, else mutations of
  // tournament winners; either way not archived yet when a few draws find one.
  std::vector<int> propose(SearchState& state, const space::ArchIndex& index, int count) const;

  int population_;
  int sample_;
  int batch_;
  int eta_;
};

}  // namespace maplex::search
