#pragma once
// Screening where the best networks are ("screen"): successive halving over the whole space.
// Connected cells (one per network) are screened at the low fidelity (NB201's 12 epochs, 12/200 of
// a query; an infeasible one is never queried), a batch per step. The first step probes 64
// networks evenly spaced along the order by FLOPs, most first. What the next batches take depends
// on what a latency costs:
//   - a predicted source (latencies free to read): among every network not yet screened whose
//     bound meets the budget, those a ridge regression of 12-epoch accuracy on the networks
//     screened so far (bo's surrogate features) ranks highest (ties: more FLOPs first). At a loose
//     budget the most accurate networks that meet it are often far from the largest (version 8;
//     version 7 walked down the FLOPs order and missed them);
//   - a measured source (each latency a device measurement): down the FLOPs order from where the
//     probes place the budget, as high as the cap on evaluations allows while still expecting to
//     find the networks it wants to screen (at the top when it can afford to scan it all; when no
//     probe meets the budget, where the cap still reaches the smallest networks).
// Screening stops when the next batch could take it past `share` of the query budget (or of the
// cap on evaluations), or when every network it may screen has been. Then each step promotes the
// `promote` best screened networks, by their 12-epoch accuracy, to the full fidelity. On a
// predicted source the picks after the first climb a ladder of chances of meeting the budget: the
// best network with at least an even chance, the best with at least 90%, and last the best whose
// 99% latency bound meets the budget (a rung no screened network reaches is the surest one's
// chance: the surest is promoted instead, once). A network promoted is its screened cell and up to
// 3 of its network's other connected cells, the fastest (one query per network; its isomorphic
// cells share the answer, and a latency check may prefer one). It finishes when every screened
// network is promoted.
//
// Nothing is drawn at random, and the state between steps is the evaluator's: the screened
// networks are its low-fidelity queries (in order: the regression refitted from them is the same
// after a resume), the promoted ones its full-fidelity answers, and a measured source's screening
// position follows from the probes' answers and the step count. A killed run resumes like
// the others. Needs a problem with a low fidelity (a search at `--fidelity 200`).
//
// Its parameters were fixed before any comparison: half the budget screens (Hyperband's even
// split between its two brackets), 64 cells a batch, 4 networks promoted a step. The probes, the
// safe pick, the ladder and the regression were added after comparisons (BENCHMARKS.md shows
// each version; the regression is bo's, with its penalty, unchanged): without them a search of 100
// queries could end its evaluations above the budget, a predicted search could promote nothing a
// failed check could fall back on, what it could fall back on sat far below the budget (the
// networks between were never trained), and at loose budgets the best networks were never screened.

#include <cstdint>
#include <string>
#include <vector>

#include "maplex/search/algorithm.hpp"

namespace maplex::search {

class Screen {
 public:
  // Throws InputError unless 0 < share < 1, batch >= 1 and promote >= 1.
  explicit Screen(double share = 0.5, int batch = 64, int promote = 4);
  std::string name() const { return "screen"; }
  Parameters parameters() const {
    return {{"share", share_}, {"batch", batch_}, {"promote", promote_}};
  }
  void step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;

 private:
  // The cells a screening step takes: fewer than `batch` when the share of the budget is small, so
  // that screening never spends the query budget it leaves for promotion.
  int batch_for(const Evaluator& evaluator) const;
  // Positions along the order of the first step's probes.
  std::vector<std::size_t> probes(const Evaluator& evaluator, std::size_t cells) const;
  // Where screening starts (a probe's position), from the probes that met the budget (their
  // networks were queried) and what the limits leave for screening.
  std::size_t start(const std::vector<int>& order, const Evaluator& evaluator) const;
  // The next screening batch can be afforded: its low-fidelity queries within `share` of the
  // query budget, its evaluations and measurements within what promotion leaves.
  bool screening(const Evaluator& evaluator) const;
  // A measured source: the next batch along the order from start() (empty past its end).
  std::vector<int> along_the_order(const std::vector<int>& order, const Evaluator& evaluator,
                                   std::int64_t step) const;
  // A predicted source: the networks not yet screened whose bound meets the budget, the highest
  // 12-epoch accuracy a ridge regression on those screened predicts first (ties: the order).
  std::vector<int> by_the_model(const std::vector<int>& order, const Evaluator& evaluator,
                                const space::ArchIndex& index) const;
  void promote(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;
  // The networks a step promotes from those screened (best 12-epoch accuracy first).
  std::vector<int> pick(const std::vector<int>& ranked, const Evaluator& evaluator) const;

  double share_;
  int batch_;
  int promote_;
};

}  // namespace maplex::search
