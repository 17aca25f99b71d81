#pragma once
// Budgeted, parallel evaluation of candidates.
//
// A batch is evaluated in three passes: the latency and constraint of every candidate (in
// parallel); then, serially and in order, the admission of each candidate under the limits (a
// feasible candidate whose network (query class: isomorphic cells are one network) was not queried
// before costs an accuracy query, and every cell of a class gets the class's first answer; with a
// measuring latency source, a
// candidate not measured before costs a device measurement); then the accuracy of the admitted
// feasible candidates (in parallel). An infeasible candidate is never queried for accuracy: the
// constrained ranking orders it by violation alone. Results depend only on the candidates, never
// on the thread count.
//
// Multi-fidelity: a problem with a low fidelity (NB201's 12-epoch accuracy) can be asked at it; a
// low-fidelity query costs the problem's low_cost() of a full one, is shared within a query class
// like a full one, and spends the same query budget. A query is admitted only when its cost fits in
// what is left of the budget (the spend never exceeds it), and the budget counts as spent once a
// full query no longer fits (what is left is less than 1).

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "maplex/objectives/problem.hpp"

namespace maplex::search {

using objectives::Fitness;

enum class Fidelity { full, low };

struct Limits {
  int queries = 300;  // query budget in full queries (distinct networks queried; low-fidelity ones
                      // count their cost)
  int measurements = 0;  // distinct device measurements (measuring sources); 0 = no limit
  double seconds = 0;    // wall time; 0 = no limit (the only limit that is not reproducible)
  std::int64_t evaluations = 0;  // candidates evaluated, repeats included; 0 = 50 * queries
};

struct Usage {
  int queries = 0;
  int low_queries = 0;   // at the low fidelity
  int measurements = 0;  // during the search; a predicted source's adaptation is counted apart
  std::int64_t evaluations = 0;
  double seconds = 0;
};

// One admitted evaluation, as the history records it.
struct Record {
  std::int64_t step = 0;
  Fitness fitness;
  bool new_query = false;
  bool new_measurement = false;
  bool low_fidelity = false;  // the accuracy is the low fidelity's
};

class Evaluator {
 public:
  Evaluator(const objectives::Problem& problem, Limits limits);

  // Evaluates the admitted prefix of `candidates` (NB201 indices); see the file comment.
  // At Fidelity::low the accuracies are the low fidelity's and nothing is archived by the caller's
  // convention (see search/hyperband.hpp); throws std::logic_error when the problem has none.
  std::vector<Fitness> evaluate(std::span<const int> candidates, std::int64_t step,
                                Fidelity fidelity = Fidelity::full);
  // A limit is reached: no further candidate needing a new query/measurement will be admitted.
  bool exhausted() const;
  // Which limit is reached: "queries", "evaluations" (the cap on candidates evaluated, repeats
  // and isomorphic cells included), "measurements" or "time"; empty when none is.
  std::string_view stop_reason() const;

  const Usage& usage() const { return usage_; }
  // Query budget spent, in full queries: queries + low_queries * the problem's low_cost().
  double spent() const;
  const Limits& limits() const { return limits_; }
  const objectives::Problem& problem() const { return *problem_; }
  // The cell whose query answers `index` (the first of its class queried), or -1.
  int answered_by(int index) const {
    return class_answer_.at(static_cast<std::size_t>(problem_->query_class(index)));
  }
  // Architectures queried (the first of each class; at the low fidelity) / measured so far, in
  // order.
  const std::vector<int>& queried() const { return queried_; }
  const std::vector<int>& low_queried() const { return low_queried_; }
  const std::vector<int>& measured() const { return measured_; }

  // Called with every admitted evaluation, in order (the run's history).
  void set_sink(std::function<void(const Record&)> sink) { sink_ = std::move(sink); }
  // Results known from an earlier, interrupted run: reused instead of evaluated again (their
  // latency always; their accuracy when it is a full-fidelity one).
  void preload(std::span<const Record> known);
  // Restores the counters saved by a checkpoint.
  void restore(std::vector<int> queried, std::vector<int> low_queried, std::vector<int> measured,
               std::int64_t evaluations, double seconds);

 private:
  double elapsed() const;

  // Pass 2 of evaluate(): the admitted prefix's records.
  std::vector<Record> admit(std::span<const int> candidates, std::span<const Fitness> assessed,
                            std::int64_t step, Fidelity fidelity);

  const objectives::Problem* problem_;
  Limits limits_;
  Usage usage_;
  std::vector<int> queried_;
  std::vector<int> low_queried_;
  std::vector<int> measured_;
  std::vector<int> class_answer_;      // by query class: the candidate queried first, or -1
  std::vector<int> low_class_answer_;  // the same at the low fidelity
  std::vector<char> is_measured_;
  std::unordered_map<int, Fitness> known_;
  std::function<void(const Record&)> sink_;
  std::chrono::steady_clock::time_point start_;
  double seconds_before_ = 0;
};

}  // namespace maplex::search
