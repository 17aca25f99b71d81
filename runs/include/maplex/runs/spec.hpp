#pragma once
// RunSpec: everything that determines a run, saved as the run's config.json. The same spec (with
// its seed) gives the same run.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "maplex/objectives/accuracy.hpp"
#include "maplex/search/algorithm.hpp"
#include "maplex/search/evaluator.hpp"

namespace maplex::runs {

inline constexpr int kSchemaVersion = 1;

struct RunSpec {
  std::string command = "search";  // search (best under a budget) or pareto (the front)
  std::string device;              // shipped device, or the file's device
  std::string measurements;        // long-form CSV of the target's measurements, or ""
  std::string dataset = "cifar10";
  // What the search selects on (objectives/accuracy.hpp): "valid" or "test", after `fidelity`
  // epochs (200 or 12); limits.queries counts full (200-epoch) query equivalents.
  std::string accuracy = "valid";
  int fidelity = 200;
  std::string source = "predicted";  // predicted | table
  std::optional<double> budget_ms;
  std::optional<double> max_flops_m;  // further constraints (millions, on the dataset's network)
  std::optional<double> max_params_m;
  std::string algorithm{search::kDefaultAlgorithm};
  int population = 0;  // 0 = the algorithm's default
  int sample = 0;
  search::Limits limits;
  std::uint64_t seed = 0;
  double confidence = 0.95;  // predicted source: confidence of the latency bound
  std::string method = "maplex";
  std::vector<std::string> pool;  // empty = the default pool
  int pool_samples = 900;
  // The default pool also leaves out the target's family (predictor::PoolOptions).
  bool hold_out_family = false;
  // What the target's runtime does with dead ops (predictor::state_dead_ops); "" = devices.csv's.
  std::string dead_ops;
  // Architectures measured on the target to adapt the predictor; 0 = 3 device measurements in
  // all: 3 minus the verification checks when they apply.
  int adapt = 0;
  // Predicted source with a budget: device measurements that verify the answer (see verify.hpp);
  // the search then explores with the bound at `search_confidence`, and only an answer that fails
  // every check falls back to the bound at `confidence`.
  int verify = 2;
  double search_confidence = 0.15;
  // `local` (measured on this machine): how the engine measures, and the store it keeps
  // measurements in ("" = the default store).
  struct Local {
    int threads = 1;
    int repeats = 15;
    // Memory layouts a measurement averages over (measure/timing.hpp); 0 = the runtime's own
    // default (8 for OpenCV DNN, 1 for the others: BENCHMARKS.md, issue 12).
    int layouts = 0;
    // Correct timings for the session's op balance (measure/balance.hpp); unset = the runtime's
    // default.
    std::optional<bool> balance;
    // The reference network every timing alternates with (an NB201 arch string; "" = the
    // default, measure::kReferenceArch; a config written before this field, the reference of
    // that time, measure::kReferenceArchBefore).
    std::string reference;
    int warmup = 3;
    bool lut = true;   // measure the per-op table and give it to the predictor
    int pin_cpu = -1;  // pin the measuring thread to this CPU (-1 = none)
    std::string store;
  } local;
  int throttle_ms = 0;  // wait per step (slow evaluations for demos and the kill-and-resume test)
  // pareto: where the front goes as CSV and as SVG when the run ends, absolute ("" = not written);
  // recorded so that `maplex resume` writes them too (report/front_files.hpp).
  std::string front_csv;
  std::string front_plot;

  // A readable name for the run directory: "<command>-<device>".
  std::string name() const;
  // `accuracy` and `fidelity` as a choice; throws InputError naming a bad value.
  objectives::AccuracyChoice accuracy_choice() const;
};

// JSON text of the spec (with schema_version), and back. parse_spec throws InputError naming the
// field that is missing or malformed, or an unsupported schema version.
std::string spec_to_json(const RunSpec& spec);
RunSpec parse_spec(const std::string& json_text, const std::string& source);

// The front algorithm a pareto run gets when none is named: layers (search/layers.hpp) where it
// can screen, a 200-epoch run whose latencies are read from the source (predicted or table); nsga2
// otherwise (`--fidelity 12`, or a live source that must measure every latency).
std::string front_algorithm_for(const RunSpec& spec);
// The algorithm a search gets when none is named: screen (search/screen.hpp) on a 200-epoch run
// with the predicted source, whose latencies are free to read; re otherwise (a measured source,
// table or live, where screen would measure thousands of networks; `--fidelity 12`, where it
// cannot screen). BENCHMARKS.md, "screen version 8", shows both on the 40 devices.
std::string search_algorithm_for(const RunSpec& spec);
// A run that names no algorithm (empty) gets search_algorithm_for's or front_algorithm_for's, by
// its command; a named one is kept.
void settle_algorithm(RunSpec& spec);

// The spec of `command` ("search": search_algorithm_for's, 300 queries, 2 checks; "pareto":
// front_algorithm_for's, 1,000 queries, 7 front checks, as the CLI's defaults) with the fields of
// `options_json` (an object with config.json's keys, "local" merged key by key) put over it. Throws
// InputError naming an unknown key (with the nearest known one) or a value of the wrong type.
RunSpec spec_from_options(const std::string& command, const std::string& options_json);

}  // namespace maplex::runs
