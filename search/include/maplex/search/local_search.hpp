#pragma once
// Best-improvement local search with restarts (White, Nolen, Savani, "Exploring the Loss Landscape
// in Neural Architecture Search", UAI 2021, found it strong on NB201): start from the best of
// `init` random connected cells; each step evaluates every connected one-edit neighbour and moves
// to the best one if it ranks better; at a local optimum, restart.

#include <string>

#include "maplex/search/algorithm.hpp"

namespace maplex::search {

class LocalSearch {
 public:
  explicit LocalSearch(int init = 10);
  std::string name() const { return "local"; }
  Parameters parameters() const { return {{"init", init_}}; }
  void step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;

 private:
  int init_;
};

}  // namespace maplex::search
