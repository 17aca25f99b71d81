#pragma once
// Regularized evolution (aging evolution), Real, Aggarwal, Huang, Le, "Regularized Evolution for
// Image Classifier Architecture Search", AAAI 2019.
//
// A population of P architectures starts random (connected cells). Each cycle samples S members
// uniformly without replacement, mutates the best of them by constrained ranking (one edge to a
// different op, redrawn until the cell is connected), adds the child and removes the oldest member.
// Defaults P = 40, S = 10: with a 300-query budget the paper's P = 100 spends a third of the
// budget on random initialisation. Over every shipped device at three budgets and three seeds
// (`maplex compare --device all`, BENCHMARKS.md), P = 40, S = 10 gave the lowest median regret of
// predictor-guided search among (20, 5), (40, 10), (40, 20) and (60, 15), 0.39 against 0.42 for
// (20, 5), and lowered measured search's from 0.17 to 0.13.

#include <string>

#include "maplex/search/algorithm.hpp"

namespace maplex::search {

class RegularizedEvolution {
 public:
  // Throws InputError unless population >= 2 and 1 <= sample <= population.
  explicit RegularizedEvolution(int population = 40, int sample = 10);
  std::string name() const { return "re"; }
  Parameters parameters() const { return {{"population", population_}, {"sample", sample_}}; }
  void step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;

 private:
  int population_;
  int sample_;
};

}  // namespace maplex::search
