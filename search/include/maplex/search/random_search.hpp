#pragma once
// Random search: batches of connected architectures drawn uniformly, none twice.

#include <string>

#include "maplex/search/algorithm.hpp"

namespace maplex::search {

class RandomSearch {
 public:
  explicit RandomSearch(int batch = 16);
  std::string name() const { return "random"; }
  Parameters parameters() const { return {{"batch", batch_}}; }
  void step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;

 private:
  int batch_;
};

}  // namespace maplex::search
