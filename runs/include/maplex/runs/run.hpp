#pragma once
// Executing a run: the search of a prepared problem, with its records in a run directory, and
// resuming one that was interrupted. A resumed run reads the checkpoint (engine, population,
// counters), rebuilds the archive from the history, reuses every evaluation the history holds
// (nothing completed is evaluated or lost again) and continues: it ends with the same result as an
// uninterrupted run with the same seed.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "maplex/runs/prepare.hpp"
#include "maplex/runs/refine.hpp"
#include "maplex/runs/spec.hpp"
#include "maplex/runs/verify.hpp"
#include "maplex/search/state.hpp"

namespace maplex::runs {

struct RunOptions {
  std::filesystem::path dir;  // empty = keep no records
  bool resume = false;        // continue the run in `dir`
  // Called once the run directory holds the run (created, or opened to resume); may be empty.
  std::function<void()> started;
  // Sees the state after every step (progress lines); may be empty.
  std::function<void(const search::SearchState&, const search::Usage&)> progress;
};

struct RunResult {
  search::Outcome outcome;
  search::Usage usage;
  // Query budget spent, in queries at the spec's fidelity (low-fidelity queries by their cost).
  double spent = 0;
  std::int64_t steps = 0;
  std::int64_t reused = 0;  // evaluations taken from an interrupted run's history
  // Why the search stopped: the limit reached ("queries", "evaluations", "measurements", "time")
  // or "algorithm" (it finished on its own, e.g. local search at an optimum).
  std::string stopped_by;
  // For the answer and the front: the cell whose query answered each (itself, or an isomorphic
  // cell queried first: one network, one query).
  std::map<int, int> answered_by;
  std::optional<Verification> verification;  // when the answer was verified on the device
  // pareto with --verify on a device maplex can measure: the front refined with measurements.
  std::optional<FrontRefinement> refinement;
  // A live device with a predicted source: the answer (and, for pareto, every front member)
  // measured on the device after the search, by NB201 index, so predicted and measured latency
  // stand side by side.
  std::vector<std::pair<int, double>> measured_after;
  std::string result_json;  // the result document (also result.json in the run directory)
};

// Throws InputError for a run directory that already holds a run (unless resuming), a resume
// without config/history, or a history that does not match the replay.
RunResult execute(const RunSpec& spec, const Prepared& prepared, const tables::Catalog& catalog,
                  const RunOptions& options);

// <UTC timestamp>-<spec.name()> under `root` (a number appended if it exists).
std::filesystem::path default_run_dir(const RunSpec& spec, const std::filesystem::path& root);

// Where run directories go by default, outside any source tree: $MAPLEX_RUNS, else
// $XDG_STATE_HOME/maplex/runs, else ~/.local/state/maplex/runs (runs/ when there is no home).
std::filesystem::path default_runs_root();

// The spec a run directory was created with (its config.json).
RunSpec load_run_spec(const std::filesystem::path& dir);

}  // namespace maplex::runs
