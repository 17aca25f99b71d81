#include "maplex/search/evaluator.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "maplex/core/parallel.hpp"

namespace maplex::search {

namespace {

// What a full-fidelity query costs of the query budget (a low-fidelity one: the problem's
// low_cost()); the search stops when it no longer fits in what is left.
constexpr double kFullQueryCost = 1.0;
// Sums of low-fidelity costs (0.06 each) are not exact: a query fits when it fits to this.
constexpr double kBudgetSlack = 1e-9;

}  // namespace

Evaluator::Evaluator(const objectives::Problem& problem, Limits limits)
    : problem_(&problem),
      limits_(limits),
      class_answer_(static_cast<std::size_t>(problem.num_query_classes()), -1),
      low_class_answer_(static_cast<std::size_t>(problem.num_query_classes()), -1),
      is_measured_(static_cast<std::size_t>(problem.size()), 0),
      start_(std::chrono::steady_clock::now()) {
  if (limits_.queries < 1) {
    throw std::invalid_argument("Evaluator: query limit " + std::to_string(limits_.queries) +
                                ", expected at least 1");
  }
  if (limits_.evaluations == 0) {
    limits_.evaluations = 50 * static_cast<std::int64_t>(limits_.queries);
  }
}

double Evaluator::elapsed() const {
  return seconds_before_ +
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool Evaluator::exhausted() const { return !stop_reason().empty(); }

double Evaluator::spent() const {
  return usage_.queries + usage_.low_queries * problem_->low_cost();
}

std::string_view Evaluator::stop_reason() const {
  if (spent() + kFullQueryCost > limits_.queries + kBudgetSlack) {
    return "queries";
  }
  if (usage_.evaluations >= limits_.evaluations) {
    return "evaluations";
  }
  if (limits_.measurements > 0 && problem_->source().measures() &&
      usage_.measurements >= limits_.measurements) {
    return "measurements";
  }
  return limits_.seconds > 0 && elapsed() >= limits_.seconds ? "time" : "";
}

void Evaluator::preload(std::span<const Record> known) {
  for (const Record& r : known) {
    if (!r.low_fidelity) {
      known_[r.fitness.index] = r.fitness;
    } else if (known_.count(r.fitness.index) == 0U) {
      Fitness f = r.fitness;
      f.accuracy = objectives::kNaN;  // a low-fidelity answer never stands for a full one
      known_[f.index] = f;
    }
  }
}

void Evaluator::restore(std::vector<int> queried, std::vector<int> low_queried,
                        std::vector<int> measured, std::int64_t evaluations, double seconds) {
  std::fill(class_answer_.begin(), class_answer_.end(), -1);
  std::fill(low_class_answer_.begin(), low_class_answer_.end(), -1);
  std::fill(is_measured_.begin(), is_measured_.end(), 0);
  for (int i : queried) {
    class_answer_.at(static_cast<std::size_t>(problem_->query_class(i))) = i;
  }
  for (int i : low_queried) {
    low_class_answer_.at(static_cast<std::size_t>(problem_->query_class(i))) = i;
  }
  for (int i : measured) {
    is_measured_.at(static_cast<std::size_t>(i)) = 1;
  }
  queried_ = std::move(queried);
  low_queried_ = std::move(low_queried);
  measured_ = std::move(measured);
  usage_.queries = static_cast<int>(queried_.size());
  usage_.low_queries = static_cast<int>(low_queried_.size());
  usage_.measurements = static_cast<int>(measured_.size());
  usage_.evaluations = evaluations;
  seconds_before_ = seconds;
  start_ = std::chrono::steady_clock::now();
}

std::vector<Record> Evaluator::admit(std::span<const int> candidates,
                                     std::span<const Fitness> assessed, std::int64_t step,
                                     Fidelity fidelity) {
  const bool measures = problem_->source().measures();
  const bool low = fidelity == Fidelity::low;
  auto& answers = low ? low_class_answer_ : class_answer_;
  std::vector<Record> records;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const int a = candidates[k];
    const auto ai = static_cast<std::size_t>(a);
    const bool new_measurement = measures && is_measured_[ai] == 0;
    const auto cls = static_cast<std::size_t>(problem_->query_class(a));
    const bool new_query = assessed[k].feasible() && answers[cls] < 0;
    const double cost = low ? problem_->low_cost() : kFullQueryCost;
    if (usage_.evaluations >= limits_.evaluations ||
        (new_query && spent() + cost > limits_.queries + kBudgetSlack) ||
        (new_measurement && limits_.measurements > 0 &&
         usage_.measurements >= limits_.measurements) ||
        (limits_.seconds > 0 && elapsed() >= limits_.seconds)) {
      break;
    }
    if (new_measurement) {
      is_measured_[ai] = 1;
      measured_.push_back(a);
      ++usage_.measurements;
    }
    if (new_query) {
      answers[cls] = a;
      (low ? low_queried_ : queried_).push_back(a);
      ++(low ? usage_.low_queries : usage_.queries);
    }
    ++usage_.evaluations;
    records.push_back(Record{step, {}, new_query, new_measurement, low});
  }
  return records;
}

std::vector<Fitness> Evaluator::evaluate(std::span<const int> candidates, std::int64_t step,
                                         Fidelity fidelity) {
  const bool low = fidelity == Fidelity::low;
  if (low && !problem_->has_low_fidelity()) {
    throw std::logic_error("Evaluator: a low-fidelity evaluation of a problem without one");
  }
  const auto n = candidates.size();
  std::vector<Fitness> out(n);
  // Pass 1: latency and constraint (a known result is reused); serial for a live source, which
  // measures on the device.
  const auto assess = [&](std::size_t k) {
    const auto it = known_.find(candidates[k]);
    out[k] = it != known_.end() ? it->second : problem_->assess(candidates[k]);
    if (it != known_.end()) {
      out[k].accuracy = objectives::kNaN;  // re-queried below if admitted, like a fresh result
    }
  };
  if (problem_->source().kind == objectives::SourceKind::live) {
    for (std::size_t k = 0; k < n; ++k) {
      assess(k);
    }
  } else {
    parallel_for(n, assess);
  }
  // Pass 2: admission, serial and in order.
  auto records = admit(candidates, out, step, fidelity);
  const std::size_t admitted = records.size();
  out.resize(admitted);
  // Pass 3: accuracy of the admitted feasible candidates: their class's first answer.
  const auto& answers = low ? low_class_answer_ : class_answer_;
  parallel_for(admitted, [&](std::size_t k) {
    if (!out[k].feasible()) {
      return;
    }
    const int first = answers[static_cast<std::size_t>(problem_->query_class(out[k].index))];
    if (low) {
      out[k].accuracy = problem_->low_accuracy(first);
      return;
    }
    const auto it = known_.find(first);
    out[k].accuracy = it != known_.end() && it->second.queried() ? it->second.accuracy
                                                                 : problem_->accuracy(first);
  });
  usage_.seconds = elapsed();
  if (sink_) {
    for (std::size_t k = 0; k < admitted; ++k) {
      records[k].fitness = out[k];
      sink_(records[k]);
    }
  }
  return out;
}

}  // namespace maplex::search
