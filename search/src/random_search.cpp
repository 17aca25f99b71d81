#include "maplex/search/random_search.hpp"

#include <algorithm>

#include "maplex/core/error.hpp"

namespace maplex::search {

RandomSearch::RandomSearch(int batch) : batch_(batch) {
  if (batch < 1) {
    throw InputError("random search batch " + std::to_string(batch) + ", expected at least 1");
  }
}

void RandomSearch::step(SearchState& state, Evaluator& evaluator,
                        const space::ArchIndex& index) const {
  std::vector<int> batch;
  for (int k = 0; k < batch_; ++k) {
    const int a = draw_fresh(state, index);
    if (!state.archived(a) && std::find(batch.begin(), batch.end(), a) == batch.end()) {
      batch.push_back(a);
    }
  }
  if (batch.empty()) {
    state.finished = true;  // 100 draws found nothing new: the space is as good as exhausted
    return;
  }
  evaluate_into(state, evaluator, batch);
}

}  // namespace maplex::search
