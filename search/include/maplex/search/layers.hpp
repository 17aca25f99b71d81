#pragma once
// A Pareto front from the whole space at two fidelities ("layers"). Every network (one cell per
// network: its connected cell with the fewest FLOPs) is screened at the low fidelity (NB201's 12
// epochs, 12/200 of a query; an infeasible one is never queried), a batch per step, as far as
// `share` of the query budget allows: all 6,466 networks cost 388 full queries, so a budget of
// 1,000 screens them all; a smaller budget screens networks evenly spaced along the FLOPs order.
// Then each step trains, for 200 epochs, networks of the first non-dominated layer of the
// screened ones on (latency, 12-epoch accuracy): the whole layer when it has at most `promote`
// members, else `promote` of them evenly spaced along it by latency (both ends included), each
// with its network's other connected cells (they share its answer at no query; a device that runs
// dead ops times them differently, and the front wants the fastest). A trained network leaves the
// screened set, so the next layer comes forward; it finishes when every screened network is
// trained. The front is selected from the 200-epoch answers as for any algorithm.
//
// Why: a front's members are nearly always on or next to the front of the 12-epoch accuracies,
// so once the whole space is screened the full queries go where the front is. With the tables'
// latencies (measured search, 1,000 queries) its fronts reach 99% of the true front's normalised
// hypervolume on 32 of 40 devices, NSGA-II's on 20 (BENCHMARKS.md). On a predicted source the
// layers are on the predicted latency; latencies are read from the source, so a live source
// (measured on demand) is refused.
//
// Nothing is drawn at random, and the state between steps is the evaluator's: the screened
// networks are its low-fidelity queries, the trained ones its full-fidelity answers, the screening
// position the step count. A killed run resumes like the others. Needs a problem with a low
// fidelity (a search at `--fidelity 200`). Its parameters were fixed before any comparison: half
// the budget screens (as `screen`), 64 cells a batch, 8 networks trained a step.

#include <string>
#include <vector>

#include "maplex/search/algorithm.hpp"

namespace maplex::search {

class Layers {
 public:
  // Throws InputError unless 0 < share < 1, batch >= 1 and promote >= 2.
  explicit Layers(double share = 0.5, int batch = 64, int promote = 8);
  std::string name() const { return "layers"; }
  Parameters parameters() const {
    return {{"share", share_}, {"batch", batch_}, {"promote", promote_}};
  }
  void step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;

 private:
  // The cells screening takes, in order: every network, or as many as `share` of the budget (and
  // the cap on evaluations) affords, evenly spaced along the FLOPs order.
  std::vector<int> screening_cells(const Evaluator& evaluator, const space::ArchIndex& index) const;
  // The next batch fits in `share` of the query budget and leaves evaluations for training.
  bool affordable(const Evaluator& evaluator, std::size_t count) const;
  void promote(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const;

  double share_;
  int batch_;
  int promote_;
};

}  // namespace maplex::search
