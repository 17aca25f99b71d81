#pragma once
// The search problem on one device: maximise accuracy on a dataset, minimise latency, subject to an
// optional latency budget. Accuracy comes from the shipped table (each distinct architecture is
// one expensive query in real NAS); latency from a source:
//   predicted  a predictor adapted from a few measurements: free per candidate; the constraint uses
//              a conservative bound, prediction * exp(z * sd), so a candidate passes only when it
//              meets the budget with the chosen confidence;
//   table      the device's true latency from its shipped table ("measured search"): every
//              distinct candidate costs one device measurement;
//   live       measured on this machine (the measurement issue).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "maplex/core/error.hpp"
#include "maplex/objectives/fitness.hpp"
#include "maplex/space/network.hpp"
#include "maplex/tables/arch_table.hpp"

namespace maplex::objectives {

enum class SourceKind { predicted, table, live };

std::string_view source_name(SourceKind kind);
// Throws InputError naming the value and the known sources.
SourceKind parse_source(std::string_view name);

struct LatencySource {
  SourceKind kind = SourceKind::table;
  std::string device;
  std::vector<double> latency_ms;   // by NB201 index; NaN = unknown
  std::vector<double> bound_ms;     // by NB201 index; what the budget is checked against
  std::vector<double> log_sd;       // predicted: sd of log latency by NB201 index; else empty
  int adaptation_measurements = 0;  // predicted: device measurements spent before the search
  double confidence = 0;            // predicted: confidence of bound_ms (0 = the prediction)
  // live: measures an architecture on the device (ms), called serially, once per candidate the
  // evaluator assesses; latency_ms and bound_ms stay empty.
  std::function<double(int)> measure;

  // Every distinct candidate costs a device measurement (table, live).
  bool measures() const { return kind != SourceKind::predicted; }
};

// The shipped latencies of a device as a source (bound = latency).
LatencySource table_source(std::string device, std::vector<double> latency_ms);

// This machine measured on demand (latency = bound = the measurement).
LatencySource live_source(std::string device, std::function<double(int)> measure);
// A predictor's output as a source: bound = prediction * exp(z * log_sd) with z the one-sided
// normal quantile of `confidence` (0.5 -> 0, 0.9 -> 1.2816, 0.95 -> 1.6449). Throws InputError for
// a confidence outside (0, 1) or mismatched sizes (below 0.5 the bound is optimistic).
LatencySource predicted_source(std::string device, std::vector<double> prediction_ms,
                               const std::vector<double>& log_sd, double confidence,
                               int adaptation_measurements);

// One-sided standard normal quantile for p in (0, 1) (Acklam's rational approximation, |error|
// below 1.2e-9).
double normal_quantile(double p);

// P(latency <= budget) for a log-normal latency with median `median` and log-sd `sd` (a step at
// the budget when sd is 0).
double chance_within(double median, double sd, double budget);

// A further constraint on an exactly known cost of each architecture (FLOPs, parameters).
struct CostLimit {
  std::string name;           // for messages: "FLOPs", "params"
  std::string unit;           // "M"
  std::vector<double> value;  // by NB201 index
  double max = kInf;
};

// FLOPs and parameter limits (millions, on `dataset`'s network); an absent limit adds nothing.
std::vector<CostLimit> cost_limits(const tables::ArchTable& table, space::Dataset dataset,
                                   std::optional<double> max_flops_m,
                                   std::optional<double> max_params_m);

// Architecture `index` meets every limit.
bool meets_limits(const std::vector<CostLimit>& limits, std::size_t index);

// A well-formed budget below every architecture's latency (bound): the question has no answer,
// where other InputErrors say the question is malformed (a comparison records the first as a case
// without an answer and goes on).
class InfeasibleBudget : public InputError {
 public:
  using InputError::InputError;
};

class Problem {
 public:
  // Throws InputError for a budget or limit that is not finite and > 0, size mismatches, cost
  // limits no architecture meets (naming the smallest), or InfeasibleBudget for a budget below
  // every architecture's bound among those meeting the limits ("no feasible architecture exists",
  // naming the fastest).
  Problem(std::vector<double> accuracy, LatencySource latency, std::optional<double> budget_ms,
          const space::ArchIndex& index, std::vector<CostLimit> limits = {});

  // Latency and constraints of a candidate; accuracy left NaN (not queried). The violation is the
  // latency bound's excess over the budget (ms) plus each cost's excess relative to its limit.
  Fitness assess(int index) const;
  // The candidate meets every cost limit.
  bool meets_limits(int index) const;
  // The candidate's accuracy (the expensive query).
  double accuracy(int index) const { return accuracy_.at(static_cast<std::size_t>(index)); }
  // A cheaper, noisier accuracy (NB201's 12-epoch schedule beside the 200-epoch one) for
  // multi-fidelity search; one such query costs `cost` (in (0, 1)) of a query of accuracy().
  // Throws std::invalid_argument for a size mismatch or a cost outside (0, 1).
  void set_low_fidelity(std::vector<double> accuracy, double cost);
  bool has_low_fidelity() const { return !low_accuracy_.empty(); }
  double low_accuracy(int index) const { return low_accuracy_.at(static_cast<std::size_t>(index)); }
  const std::vector<double>& low_accuracies() const { return low_accuracy_; }
  double low_cost() const { return low_cost_; }
  // Candidates of one query class are one network (NB201 cells isomorphic up to NB201's
  // to_unique_str): the first answer of a class serves them all, and costs one query. By default
  // the index's isomorphism classes.
  int query_class(int index) const { return query_class_.at(static_cast<std::size_t>(index)); }
  int num_query_classes() const { return num_query_classes_; }
  // Replaces the classes (ids >= 0, one per candidate); throws std::invalid_argument for a size
  // mismatch or a negative id.
  void set_query_classes(std::vector<int> classes);

  const LatencySource& source() const { return latency_; }
  std::optional<double> budget_ms() const { return budget_; }
  const std::vector<CostLimit>& limits() const { return limits_; }
  int size() const { return static_cast<int>(accuracy_.size()); }

 private:
  void check_limits(const space::ArchIndex& index) const;
  void check_budget(const space::ArchIndex& index, bool live) const;

  std::vector<double> accuracy_;
  std::vector<double> low_accuracy_;  // empty: no cheaper fidelity
  double low_cost_ = 0;
  LatencySource latency_;
  std::optional<double> budget_;
  std::vector<CostLimit> limits_;
  std::vector<int> query_class_;
  int num_query_classes_ = 0;
};

// The true constrained optimum by enumeration: the most accurate architecture whose latency (NaN =
// excluded) is within the budget and that meets every cost limit; ties to the lower latency, then
// index. -1 when none is.
int constrained_optimum(const std::vector<double>& accuracy, const std::vector<double>& latency_ms,
                        double budget_ms, const std::vector<CostLimit>& limits = {});

// The exhaustive answer over connected cells only (a disconnected cell outputs zeros): the
// constrained optimum by `accuracy` (-1 when none), and how many connected cells have a known
// latency / are within the budget and limits.
struct Optimum {
  int index = -1;
  int feasible = 0;
  int with_latency = 0;
};
Optimum exhaustive_optimum(const std::vector<double>& accuracy,
                           const std::vector<double>& latency_ms, double budget_ms,
                           const space::ArchIndex& index,
                           const std::vector<CostLimit>& limits = {});

}  // namespace maplex::objectives
