#pragma once
// Budgeted, parallel evaluation of candidates.
//
// A batch is evaluated in three passes: the latency and constraint of every candidate (in
// parallel); then, serially and in order, the admission of each candidate under the limits (a
// feasible candidate not queried before costs an accuracy query; with a measuring latency source, a
// candidate not measured before costs a device measurement); then the accuracy of the admitted
// feasible candidates (in parallel). An infeasible candidate is never queried for accuracy: the
// constrained ranking orders it by violation alone. Results depend only on the candidates, never
// on the thread count.

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <unordered_map>
#include <vector>

#include "maplex/objectives/problem.hpp"

namespace maplex::search {

using objectives::Fitness;

struct Limits {
  int queries = 300;     // distinct architectures whose accuracy is queried
  int measurements = 0;  // distinct device measurements (measuring sources); 0 = no limit
  double seconds = 0;    // wall time; 0 = no limit (the only limit that is not reproducible)
  std::int64_t evaluations = 0;  // candidates evaluated, repeats included; 0 = 50 * queries
};

struct Usage {
  int queries = 0;
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
};

class Evaluator {
 public:
  Evaluator(const objectives::Problem& problem, Limits limits);

  // Evaluates the admitted prefix of `candidates` (NB201 indices); see the file comment.
  std::vector<Fitness> evaluate(std::span<const int> candidates, std::int64_t step);
  // A limit is reached: no further candidate needing a new query/measurement will be admitted.
  bool exhausted() const;

  const Usage& usage() const { return usage_; }
  const Limits& limits() const { return limits_; }
  const objectives::Problem& problem() const { return *problem_; }
  // Architectures queried / measured so far, in order.
  const std::vector<int>& queried() const { return queried_; }
  const std::vector<int>& measured() const { return measured_; }

  // Called with every admitted evaluation, in order (the run's history).
  void set_sink(std::function<void(const Record&)> sink) { sink_ = std::move(sink); }
  // Results known from an earlier, interrupted run: reused instead of evaluated again.
  void preload(std::span<const Fitness> known);
  // Restores the counters saved by a checkpoint.
  void restore(std::vector<int> queried, std::vector<int> measured, std::int64_t evaluations,
               double seconds);

 private:
  double elapsed() const;

  const objectives::Problem* problem_;
  Limits limits_;
  Usage usage_;
  std::vector<int> queried_;
  std::vector<int> measured_;
  std::vector<char> is_queried_;
  std::vector<char> is_measured_;
  std::unordered_map<int, Fitness> known_;
  std::function<void(const Record&)> sink_;
  std::chrono::steady_clock::time_point start_;
  double seconds_before_ = 0;
};

}  // namespace maplex::search
