#include "maplex/search/state.hpp"

#include <algorithm>

#include "maplex/objectives/pareto.hpp"

namespace maplex::search {

void SearchState::archive_add(const Fitness& f) {
  const auto i = static_cast<std::size_t>(f.index);
  if (slot_.size() <= i) {
    slot_.resize(i + 1, -1);
  }
  if (slot_[i] >= 0) {
    Fitness& old = archive_[static_cast<std::size_t>(slot_[i])];
    if (!old.queried() && f.queried()) {
      old.accuracy = f.accuracy;
    }
    return;
  }
  slot_[i] = static_cast<int>(archive_.size());
  archive_.push_back(f);
}

bool SearchState::archived(int index) const {
  const auto i = static_cast<std::size_t>(index);
  return i < slot_.size() && slot_[i] >= 0;
}

Outcome summarize(const SearchState& state) {
  Outcome out;
  std::vector<objectives::Point> points;
  std::vector<const Fitness*> candidates;
  for (const Fitness& f : state.archive()) {
    // A feasible candidate counts only once its accuracy is known.
    if (f.feasible() && !f.queried()) {
      continue;
    }
    if (!out.best || objectives::better(f, *out.best)) {
      out.best = f;
    }
    if (f.feasible()) {
      points.push_back({-f.accuracy, f.latency_ms});
      candidates.push_back(&f);
    }
  }
  out.best_feasible = out.best && out.best->feasible();
  for (int k : objectives::pareto_front(points)) {
    out.front.push_back(*candidates[static_cast<std::size_t>(k)]);
  }
  std::sort(out.front.begin(), out.front.end(), [](const Fitness& a, const Fitness& b) {
    return a.latency_ms < b.latency_ms || (a.latency_ms == b.latency_ms && a.index < b.index);
  });
  return out;
}

}  // namespace maplex::search
