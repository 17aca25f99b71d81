#pragma once
// What a search carries from one step to the next, and all a checkpoint must save: the engine,
// the population, the archive of every distinct architecture evaluated, the step count.

#include <cstdint>
#include <optional>
#include <vector>

#include "maplex/core/rng.hpp"
#include "maplex/objectives/fitness.hpp"

namespace maplex::search {

using objectives::Fitness;

struct Member {
  Fitness fitness;
  std::int64_t born = 0;  // step that created it; regularized evolution removes the oldest
};

class SearchState {
 public:
  explicit SearchState(std::uint64_t seed) : rng(seed) {}

  Rng rng;
  std::vector<Member> population;
  std::int64_t step = 0;
  bool finished = false;  // the algorithm has nothing more to try

  // Adds `f` unless its architecture is already archived (a known architecture keeps its first,
  // identical, result but gains an accuracy if this evaluation queried one).
  void archive_add(const Fitness& f);
  bool archived(int index) const;
  const std::vector<Fitness>& archive() const { return archive_; }

 private:
  std::vector<Fitness> archive_;  // in first-evaluation order
  std::vector<int> slot_;         // by NB201 index: position in archive_, -1 = absent
};

// The outcome of a search: the best by constrained ranking (feasible and queried if any), and the
// feasible, queried, non-dominated architectures on (accuracy, latency) by ascending latency.
struct Outcome {
  std::optional<Fitness> best;  // the top-ranked archived candidate
  bool best_feasible = false;
  std::vector<Fitness> front;
};

Outcome summarize(const SearchState& state);

}  // namespace maplex::search
