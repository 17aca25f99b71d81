#pragma once
// Surrogate-assisted constrained search ("bo", in the spirit of BANANAS: White, Neiswanger,
// Savani, AAAI 2021). Each step fits an ensemble of ridge regressions, each on a bootstrap sample
// of the queried architectures, from the path encoding of a cell (which op sequence runs along
// each input-to-output path, BANANAS's encoding) plus its one-hot edges to accuracy; scores every
// candidate of the space (15,625 rows) by expected improvement over the best feasible accuracy
// found, with the ensemble's mean and spread, times the probability that it meets the latency
// budget: under the predictor's own log-sd for a predicted source, under a ridge model of log
// latency fitted on what was measured so far for a measured one; and evaluates the `batch`
// best-scoring candidates not archived and of a network not yet queried. The first `initial`
// candidates are drawn at random among those admissible.
//
// The model is refitted from the archive at every step and every random number comes from the
// state's engine, drawn serially, so the search is deterministic for a seed at any thread count
// and resumes from its history like the others.

#include <span>
#include <string>
#include <vector>

#include "maplex/search/algorithm.hpp"

namespace maplex::search {

class BayesOpt {
 public:
  explicit BayesOpt(int initial = 10, int batch = 10, int ensemble = 5);
  std::string name() const { return "bo"; }
  Parameters parameters() const {
    return {{"initial", initial_}, {"batch", batch_}, {"ensemble", ensemble_}};
  }
  void step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;

 private:
  int initial_;
  int batch_;
  int ensemble_;
};

// The encoding the surrogate reads: BANANAS's path encoding of NB201 (for each of the 4 + 16 + 64
// op sequences of length 1, 2 and 3 over skip, conv 1x1, conv 3x3 and pool, how many
// input-to-output paths carry it), the 30 one-hot edge values and a constant.
std::vector<double> surrogate_features(const space::Arch& arch);

// A ridge regression (the ensemble members' penalty) of `values` on the surrogate features of the
// cells `fitted`, around the values' mean, and its predictions for the cells `scored`. With nothing
// fitted every prediction is 0. Deterministic: no draw, and the same order of sums for the same
// inputs.
std::vector<double> ridge_predictions(const space::ArchIndex& index, std::span<const int> fitted,
                                      std::span<const double> values, std::span<const int> scored);

}  // namespace maplex::search
