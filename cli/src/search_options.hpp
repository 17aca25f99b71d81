#pragma once
// Options shared by search, pareto and compare: the target, the latency source, the budget, the
// algorithm and its limits; and the text report of a run's result document.

#include <cxxopts.hpp>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "maplex/devices/session.hpp"
#include "maplex/runs/prepare.hpp"
#include "maplex/runs/run.hpp"
#include "maplex/runs/spec.hpp"

namespace maplex::cli {

// --device, --measurements, --dataset, --latency-source, --algorithm, --queries,
// --max-measurements, --time, --seed, --confidence, --method, --pool, --pool-samples, --threads.
// `pareto`: --verify counts the front members measured after the search (see runs/refine.hpp)
// instead of the checks of a budgeted answer.
void add_search_options(cxxopts::Options& options, const std::string& default_algorithm,
                        int default_queries, bool pareto = false);
// Before a run with records: names its directory on stderr once it holds the run, and makes
// SIGINT and SIGTERM end the process with one line saying how to continue (`maplex resume DIR`)
// and exit status 128 + the signal (the records survive any interruption; runs/record.hpp).
void guard_run(runs::RunOptions& options);

// How a command prints a finished run (its result, before "run records in DIR").
using ShowRun = std::function<void(const runs::Prepared&, const runs::RunResult&,
                                   const devices::Session* live)>;

// Runs `spec` (a new run or, with options.resume, the rest of one): guards the run directory,
// opens the live device the spec names, prepares, executes (a progress line on stderr when
// options.progress is set), writes the files the spec records (report/front_files.hpp), then
// prints the result document (`json`) or `show`'s text and where the records are.
int run_recorded(const runs::RunSpec& spec, const tables::Catalog& catalog,
                 runs::RunOptions options, bool json, bool fresh, const ShowRun& show);

// A pareto spec through run_recorded, shown as the front and its hypervolumes. cmd_pareto.cpp.
int finish_pareto(const runs::RunSpec& spec, const tables::Catalog& catalog,
                  runs::RunOptions options, bool json, bool fresh);

// The spec the options describe (budget from --latency-budget-ms when the command has it).
// --run-dir, --runs-root and --no-records for a recorded command.
void add_run_dir_options(cxxopts::Options& options, const std::string& command);

// Where the run's records go: --run-dir, else <runs-root>/<UTC time>-<name> (runs-root: the
// option, else runs::default_runs_root()), or none with --no-records.
runs::RunOptions run_options(const cxxopts::ParseResult& args, const runs::RunSpec& spec);
// --runs-root, else runs::default_runs_root().
std::filesystem::path runs_root(const cxxopts::ParseResult& args);

runs::RunSpec search_spec(const cxxopts::ParseResult& args, const std::string& command);

// Human-readable lines for a result document (best, its latencies, what was spent).
void print_search_result(const nlohmann::json& result);

}  // namespace maplex::cli
