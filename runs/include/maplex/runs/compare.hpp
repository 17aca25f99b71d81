#pragma once
// Predictor-guided search against measured search (every candidate measured on the device), same
// seeds, same query budget, judged with the true tables (`maplex compare`). Three arms:
//   verified    maplex's default: the predictor adapted from 3 - verify measurements, the answer
//               checked with `verify` device measurements (verify.hpp);
//   unverified  the predictor adapted from 3 measurements and trusted through its confidence
//               bound (what a MAPLE-X user would do);
//   measured    the device's table (or, live, the device itself) as the latency source.
// On a live device the truth is measurement: budgets at percentiles come from the architectures
// the store holds, and regret is against the most accurate answer measured within the budget by
// any arm unless the store holds the whole space.

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "maplex/core/shard.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/runs/live.hpp"
#include "maplex/runs/spec.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::runs {

inline constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

struct CompareSide {
  int index = -1;              // -1: nothing feasible found (or no feasible architecture predicted)
  double accuracy = kUnknown;  // the selection metric
  double test_accuracy = kUnknown;  // 200-epoch test accuracy of the answer
  double true_latency = kUnknown;
  bool truly_feasible = false;
  double regret = kUnknown;
  // The same judged by networks: NB201 trains each cell of a network separately, so a cell's
  // accuracy is one draw; a network's is the mean over its connected cells. The optimum network's
  // minus the answer's network's (unknown where regret is against the best found).
  double network_regret = kUnknown;
  int measurements = 0;
  int queries = 0;
  int low_queries = 0;
  double spent = 0;  // full query equivalents
  double seconds = 0;
  bool verified = false;   // a device measurement confirmed the answer within the budget
  std::string stopped_by;  // the limit that ended the search (RunResult::stopped_by)
};

struct CompareCase {
  std::string device;
  double percentile = 0;  // 0 when the budget was given in ms
  double budget_ms = 0;
  int trial = 0;
  int optimum = -1;
  double optimum_accuracy = 0;
  double optimum_test_accuracy = kUnknown;
  // The most accurate network (mean over its cells) with a cell within the budget.
  double optimum_network_accuracy = kUnknown;
  std::vector<CompareSide> sides;  // one per arm
};

struct CompareArm {
  std::string name;
  std::string label;
  RunSpec spec;
};

struct CompareOptions {
  // The search options every arm shares (device, budget unset); an empty algorithm gives each arm
  // what a search with its source runs by default (runs::search_algorithm_for).
  RunSpec base;
  std::vector<std::string> devices;  // shipped devices, or one live device
  std::vector<double> percentiles;   // budgets at these percentiles of each device's latencies
  std::optional<double> budget_ms;   // or this one budget
  int trials = 3;                    // seeds base.seed, base.seed + 1, ...
  // Only the units (device d, trial t), unit d * trials + t, this shard owns (every budget of a
  // unit is one trial's work); merge_compare_documents joins the shards' documents.
  Shard shard;
};

struct Comparison {
  std::vector<CompareArm> arms;
  std::vector<CompareCase> cases;
  bool whole_space = false;  // live: the store holds every architecture
};

// Runs every case. `live` is the live device when options.devices names one (with `stored`, what
// its store holds: (index, ms)); `progress(device, trial, trials, cases)` after each trial.
// Throws InputError for too few stored architectures to take percentiles of, or a budget no
// architecture meets.
Comparison compare(const CompareOptions& options, const tables::Catalog& catalog,
                   const predictor::FeatureCache& features, const LiveDevice* live,
                   const std::vector<std::pair<int, double>>& stored,
                   const std::function<void(const std::string&, int, int, std::size_t)>& progress);

struct CompareSummary {
  std::size_t cases = 0;
  double feasibility_rate = 0;
  double median_regret = 0;  // NaN when nothing was truly feasible
  double median_test_accuracy = 0;
  double median_test_regret = 0;
  double median_network_regret = 0;
  double mean_device_measurements = 0;
  double median_seconds = 0;
};

// Arm `arm` over `cases`.
CompareSummary summarise(const std::vector<const CompareCase*>& cases, std::size_t arm);

// The comparison as JSON text: config (with the devices, the arms and how regret is measured),
// every case, each arm's summary, and the shard (0/1 when whole; no envelope: the
// caller adds schema and context).
std::string compare_document(const Comparison& comparison, const CompareOptions& options, bool live,
                             const std::string& device_description);

// The documents (name, JSON text with its envelope) of every shard of one comparison as the
// document the unsharded comparison writes: cases in unit order, summaries recomputed from them.
// InputError naming a missing, duplicated, unfinished or foreign part.
std::string merge_compare_documents(const std::vector<std::pair<std::string, std::string>>& parts);

}  // namespace maplex::runs
