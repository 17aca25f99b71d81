#pragma once
// Search algorithms as copyable values behind one small type-erased wrapper (pagmo's algorithm):
// each knows its name and parameters and advances a SearchState by one step, drawing every random
// number serially from the state's engine and evaluating its batch through the Evaluator (which
// runs in parallel). Same seed, same run, whatever the thread count.

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "maplex/search/evaluator.hpp"
#include "maplex/search/state.hpp"
#include "maplex/space/index.hpp"

namespace maplex::search {

using Parameters = std::vector<std::pair<std::string, double>>;

// What an algorithm value provides.
template <class T>
concept SearchAlgorithm = std::copy_constructible<T> &&
    requires(const T& a, SearchState& s, Evaluator& e, const space::ArchIndex& i) {
  { a.name() } -> std::convertible_to<std::string>;
  { a.parameters() } -> std::convertible_to<Parameters>;
  a.step(s, e, i);
};

class Algorithm {
 public:
  template <SearchAlgorithm T>
  explicit Algorithm(T algorithm) : impl_(std::make_shared<Model<T>>(std::move(algorithm))) {}

  std::string name() const { return impl_->name(); }
  Parameters parameters() const { return impl_->parameters(); }
  // One step: evaluates at least one candidate unless the limits are reached or the state is
  // finished.
  void step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const {
    impl_->step(state, evaluator, index);
  }

 private:
  struct Concept {
    virtual ~Concept() = default;
    virtual std::string name() const = 0;
    virtual Parameters parameters() const = 0;
    virtual void step(SearchState&, Evaluator&, const space::ArchIndex&) const = 0;
  };
  template <class T>
  struct Model final : Concept {
    explicit Model(T a) : algorithm(std::move(a)) {}
    std::string name() const override { return algorithm.name(); }
    Parameters parameters() const override { return algorithm.parameters(); }
    void step(SearchState& s, Evaluator& e, const space::ArchIndex& i) const override {
      algorithm.step(s, e, i);
    }
    T algorithm;
  };
  // Immutable, so sharing between copies keeps value semantics.
  std::shared_ptr<const Concept> impl_;
};

// Runs steps until the evaluator's limits are reached or the algorithm finishes; `after_step` (may
// be empty) sees the state after every step (checkpoints).
template <class AfterStep>
void run(const Algorithm& algorithm, SearchState& state, Evaluator& evaluator,
         const space::ArchIndex& index, AfterStep&& after_step) {
  while (!state.finished && !evaluator.exhausted()) {
    algorithm.step(state, evaluator, index);
    ++state.step;
    after_step(state);
  }
}

// Evaluates `candidates` and archives the results; returns the admitted prefix's fitnesses.
std::vector<Fitness> evaluate_into(SearchState& state, Evaluator& evaluator,
                                   std::span<const int> candidates);

// A connected architecture not yet archived (up to 100 draws; then any connected one).
int draw_fresh(SearchState& state, const space::ArchIndex& index);
// Tops the population up to `size` with fresh connected cells evaluated as one batch, born now;
// false (nothing done) when it is full.
bool fill_population(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index,
                     int size);
// The position in `pop` of the best (constrained ranking) of `sample` distinct members drawn by a
// partial Fisher-Yates over positions: regularized evolution's tournament.
std::size_t tournament(Rng& rng, const std::vector<Member>& pop, int sample);
// A connected one-edit mutation of `parent` that is a different network (redrawn until connected
// and not isomorphic to the parent).
int mutate_connected(Rng& rng, int parent, const space::ArchIndex& index);

// The networks screened at the low fidelity and not yet trained at the full one: the evaluator's
// low-fidelity queries (the first cell of each network) without a full-fidelity answer, in order.
std::vector<int> screened_untrained(const Evaluator& evaluator);
// `cells` (one per network), then for each up to `most` of its network's other connected cells,
// those with the fewest FLOPs (the fewest dead convolutions: the fastest) first (ties: the lower
// index). They share the network's answer at no query; a latency check or a front may prefer one.
std::vector<int> with_siblings(const objectives::Problem& problem, const space::ArchIndex& index,
                               const std::vector<int>& cells, std::size_t most);
// One cell per network (query class): its connected cell with the fewest FLOPs (a dead edge is
// built but adds nothing to what the network computes; ties: the lower index), the networks by
// those FLOPs, most first.
std::vector<int> networks_by_flops(const objectives::Problem& problem,
                                   const space::ArchIndex& index);

// The algorithms by name (search/src/algorithm.cpp's registry: re, random, local, nsga2, bo,
// hyperband), with their default parameters where population or sample is 0. Throws InputError
// naming the value and the known names otherwise.
Algorithm make_algorithm(const std::string& name, int population = 0, int sample = 0);
// Every registered name, in the registry's order; the same comma separated; and with each one's
// description (help texts).
std::vector<std::string> algorithms();
std::string algorithm_names();
std::string algorithm_help();
// What a single-objective search runs when no algorithm is named: kPredictedDefaultAlgorithm at 200
// epochs on a predicted source (latencies free to read), kDefaultAlgorithm otherwise (a measured
// source, where screen would measure thousands of networks; one fidelity, where it cannot screen).
// runs::search_algorithm_for decides; a RunSpec built in code starts with kDefaultAlgorithm.
inline constexpr std::string_view kDefaultAlgorithm = "re";
inline constexpr std::string_view kPredictedDefaultAlgorithm = "screen";
// `layers` screens at 12 epochs and reads latencies from the source: where a run has one
// fidelity, or latencies only by measuring (a live source), its front comes from the fallback
// (runs::front_algorithm_for decides).
inline constexpr std::string_view kDefaultFrontAlgorithm = "layers";
inline constexpr std::string_view kFallbackFrontAlgorithm = "nsga2";

}  // namespace maplex::search
