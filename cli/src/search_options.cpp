#include "search_options.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "common.hpp"
#include "live_device.hpp"
#include "maplex/core/error.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/report/front_files.hpp"
#include "maplex/search/algorithm.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

void add_search_options(cxxopts::Options& options, const std::string& default_algorithm,
                        int default_queries, bool pareto) {
  add_pool_options(options);
  add_hold_out_option(options);
  add_dead_ops_option(options);
  options.add_options()("device",
                        "Target: a shipped device (its table simulates the measurements), or "
                        "local (this machine, measured live)",
                        cxxopts::value<std::string>()->default_value(""))(
      "measurements", "Target: a long-form CSV of its measurements (arch,latency_ms)",
      cxxopts::value<std::string>()->default_value(""))(
      "dataset", "Accuracy on cifar10, cifar100 or imagenet16_120",
      cxxopts::value<std::string>()->default_value("cifar10"))(
      "accuracy",
      "What the search selects on: valid (validation accuracy; the answer's test accuracy is "
      "reported beside it) or test",
      cxxopts::value<std::string>()->default_value("valid"))(
      "fidelity",
      "Training epochs behind a query: 200 (full) or 12 (NB201's short schedule; a query costs "
      "12/200 of a full one against --queries)",
      cxxopts::value<int>()->default_value("200"))(
      "latency-source",
      "predicted (MAPLE-X adapted from --adapt measurements), table (measured search: every "
      "candidate is a device measurement from the shipped table) or live (measured search on "
      "this machine, --device local)",
      cxxopts::value<std::string>()->default_value("predicted"))(
      "algorithm",
      search::algorithm_help() +
          (!default_algorithm.empty() ? std::string()
           : pareto ? ". Default (empty): " + std::string(search::kDefaultFrontAlgorithm) +
                          ", or " + std::string(search::kFallbackFrontAlgorithm) +
                          " with --fidelity 12 or --latency-source live"
                    : ". Default (empty): " + std::string(search::kPredictedDefaultAlgorithm) +
                          " on the predicted source, " + std::string(search::kDefaultAlgorithm) +
                          " with --fidelity 12 or a measured source (table, live)"),
      cxxopts::value<std::string>()->default_value(default_algorithm))(
      "population", "Population size (0 = the algorithm's default)",
      cxxopts::value<int>()->default_value("0"))(
      "sample", "Tournament size of regularized evolution (0 = default)",
      cxxopts::value<int>()->default_value("0"))(
      "queries",
      "Budget of accuracy queries in full (200-epoch) query equivalents; isomorphic cells are one "
      "network and share one query",
      cxxopts::value<int>()->default_value(std::to_string(default_queries)))(
      "max-measurements", "Budget of device measurements during the search (0 = none)",
      cxxopts::value<int>()->default_value("0"))(
      "time", "Wall-time budget in seconds (0 = none; not reproducible)",
      cxxopts::value<double>()->default_value("0"))(
      "confidence",
      "predicted source: a candidate is feasible when its latency is within the budget with this "
      "probability (bound = prediction * exp(z * sd))",
      cxxopts::value<double>()->default_value("0.95"))(
      "method", "Latency predictor: " + predictor::method_list(),
      cxxopts::value<std::string>()->default_value("maplex"))(
      "adapt",
      "Architectures measured on the target to adapt the predictor (0 = 3 device measurements "
      "in all: 3 minus the --verify checks when they apply)",
      cxxopts::value<int>()->default_value("0"))(
      "verify",
      pareto ? "predicted source on a device maplex can measure: front members measured after the "
               "search, each the one the predictor is least sure of, the predictor adapted again "
               "with each and the front selected again (0 = none; 7 + 3 adaptation = 10 "
               "measurements)"
             : "predicted source with a budget on a shipped device: device measurements that "
               "check the answer (0 = trust the --confidence bound)",
      cxxopts::value<int>()->default_value(pareto ? "7" : "2"))(
      "search-confidence",
      "with --verify: confidence of the bound the search explores with; below 0.5 it is "
      "optimistic, so candidates predicted a little over the budget are queried too (the checks "
      "guard the answer; --confidence is the fallback when every check fails)",
      cxxopts::value<double>()->default_value("0.15"))(
      "max-flops-m", "Further constraint: at most this many million FLOPs (MACs) on the dataset",
      cxxopts::value<double>())(
      "max-params-m", "Further constraint: at most this many million parameters on the dataset",
      cxxopts::value<double>())("threads",
                                "Worker threads (0 = all cores); results do not depend on it",
                                cxxopts::value<int>()->default_value("0"));
  add_local_options(options, "measure-threads");
  options.add_options("local (this machine)")(
      "no-lut", "Do not measure the per-op latency table of this machine for the predictor");
}

namespace {

// What a signal handler writes (async-signal-safe: prepared before, checked with access() and
// written with write()): how to continue, or that the run had not started.
std::array<char, 1024> config_path{};
std::array<char, 1024> resume_line{};
std::array<char, 1024> not_started_line{};
std::size_t resume_length = 0;
std::size_t not_started_length = 0;

extern "C" void on_interrupt(int signal) {
  const bool started = ::access(config_path.data(), F_OK) == 0;
  (void)!::write(STDERR_FILENO, started ? resume_line.data() : not_started_line.data(),
                 started ? resume_length : not_started_length);
  ::_exit(128 + signal);
}

std::size_t format_into(std::array<char, 1024>& buf, const char* format, const std::string& dir) {
  const int n = std::snprintf(buf.data(), buf.size(), format, dir.c_str());
  return static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(buf.size()) - 1));
}

}  // namespace

void guard_run(runs::RunOptions& options) {
  const std::filesystem::path dir = options.dir;
  if (dir.empty()) {
    return;
  }
  options.started = [dir] { std::fprintf(stderr, "run records in %s\n", dir.string().c_str()); };
  format_into(config_path, "%s", (dir / "config.json").string());
  resume_length = format_into(
      resume_line, "\nmaplex: interrupted; continue with `maplex resume %s`\n", dir.string());
  not_started_length = format_into(
      not_started_line, "\nmaplex: interrupted before the run started; nothing written in %s\n",
      dir.string());
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

int run_recorded(const runs::RunSpec& spec, const tables::Catalog& catalog,
                 runs::RunOptions options, bool json, bool fresh, const ShowRun& show) {
  guard_run(options);
  const auto features = predictor::FeatureCache::build(catalog.index());
  auto local = open_session(spec, catalog, fresh);
  const runs::Prepared prepared =
      runs::prepare(spec, catalog, features, local ? &local->live : nullptr);
  const auto result = runs::execute(spec, prepared, catalog, options);
  if (options.progress) {
    std::fprintf(stderr, "\n");
  }
  report::write_front_files(spec, prepared, catalog, result);
  if (json) {
    std::cout << result.result_json << '\n';
    return 0;
  }
  show(prepared, result, local ? &*local : nullptr);
  if (!options.dir.empty()) {
    std::printf("run records in %s\n", options.dir.string().c_str());
  }
  return 0;
}

std::filesystem::path runs_root(const cxxopts::ParseResult& args) {
  return args.count("runs-root") != 0U ? std::filesystem::path(args["runs-root"].as<std::string>())
                                       : runs::default_runs_root();
}

void add_run_dir_options(cxxopts::Options& options, const std::string& command) {
  options.add_options()(
      "run-dir",
      "Directory for the run's records (default <runs-root>/<UTC time>-" + command + "-<device>)",
      cxxopts::value<std::string>())(
      "runs-root",
      "Where run directories go by default ($MAPLEX_RUNS, else $XDG_STATE_HOME/maplex/runs, "
      "else ~/.local/state/maplex/runs)",
      cxxopts::value<std::string>())("no-records", "Keep no run directory");
}

runs::RunOptions run_options(const cxxopts::ParseResult& args, const runs::RunSpec& spec) {
  runs::RunOptions ro;
  if (args.count("no-records") == 0U) {
    ro.dir = args.count("run-dir") != 0U ? std::filesystem::path(args["run-dir"].as<std::string>())
                                         : runs::default_run_dir(spec, runs_root(args));
  }
  return ro;
}

runs::RunSpec search_spec(const cxxopts::ParseResult& args, const std::string& command) {
  runs::RunSpec s;
  s.command = command;
  s.device = args["device"].as<std::string>();
  s.measurements = args["measurements"].as<std::string>();
  if (s.device.empty() && s.measurements.empty()) {
    throw UsageError("expected --device NAME or --measurements FILE (see maplex " + command +
                     " --help)");
  }
  s.dataset = args["dataset"].as<std::string>();
  s.accuracy = args["accuracy"].as<std::string>();
  s.fidelity = args["fidelity"].as<int>();
  s.source = args["latency-source"].as<std::string>();
  s.algorithm = args["algorithm"].as<std::string>();
  runs::settle_algorithm(s);  // the default depends on the command, fidelity and source
  s.population = int_option(args, "population", 0);
  s.sample = int_option(args, "sample", 0);
  s.limits.queries = int_option(args, "queries", 1);
  s.limits.measurements = int_option(args, "max-measurements", 0);
  s.limits.seconds = args["time"].as<double>();
  if (!(s.limits.seconds >= 0)) {
    throw InputError("--time " + std::to_string(s.limits.seconds) +
                     ", expected seconds >= 0 (0 = no limit)");
  }
  s.seed = seed_of(args);
  s.confidence = args["confidence"].as<double>();
  s.method = args["method"].as<std::string>();
  const auto po = pool_options(args);
  s.pool = po.devices;
  s.pool_samples = po.samples_per_device;
  s.hold_out_family = po.hold_out_family;
  s.dead_ops = args["dead-ops"].as<std::string>();
  s.adapt = int_option(args, "adapt", 0);
  s.verify = int_option(args, "verify", 0);
  s.search_confidence = args["search-confidence"].as<double>();
  if (args.count("max-flops-m") != 0U) {
    s.max_flops_m = args["max-flops-m"].as<double>();
  }
  if (args.count("max-params-m") != 0U) {
    s.max_params_m = args["max-params-m"].as<double>();
  }
  if (args.count("latency-budget-ms") != 0U) {
    s.budget_ms = args["latency-budget-ms"].as<double>();
  }
  s.local = local_settings(args, "measure-threads");
  s.local.lut = args.count("no-lut") == 0U;
  return s;
}

namespace {

// The answer's latencies: predicted (with its bound) or measured, the checks, the chance of
// meeting the budget, and the truth where a table knows it.
void print_latencies(const nlohmann::json& r, const nlohmann::json& best, bool predicted) {
  const auto& cfg = r["config"];
  const char* key = predicted ? "predicted_latency_ms" : "measured_latency_ms";
  std::printf("  %s latency  %s ms", predicted ? "predicted" : "measured ",
              best[key].is_null() ? "-" : approx(best[key].get<double>()).c_str());
  const bool verified = best.value("verified", false);
  if (predicted && !verified && !best["latency_bound_ms"].is_null()) {
    std::printf(" (%.0f%% bound %s ms)", 100 * cfg["confidence"].get<double>(),
                approx(best["latency_bound_ms"].get<double>()).c_str());
  }
  if (r.contains("verification")) {
    const auto& v = r["verification"];
    if (verified) {
      std::printf("\n  checked on device  %s ms, within budget",
                  approx(best["measured_latency_ms"].get<double>()).c_str());
    } else if (v.value("fallback_readapted", false)) {
      std::printf(
          "\n  checked on device  %zu check(s) over budget; the bound is the predictor's "
          "adapted again with them",
          v["checks"].size());
    } else {
      std::printf("\n  checked on device  %zu check(s) over budget; the bound is corrected x%s",
                  v["checks"].size(), approx(v["correction"].get<double>()).c_str());
    }
  }
  if (predicted && !verified && best.contains("measured_latency_ms")) {
    std::printf("\n  measured on device %s ms%s",
                approx(best["measured_latency_ms"].get<double>()).c_str(),
                best.value("measured_within_budget", true) ? ", within budget" : ", OVER budget");
  }
  if (best.contains("p_within_budget")) {
    std::printf("\n  P(within budget)   %.3f", best["p_within_budget"].get<double>());
  }
  std::printf(
      "\n  true latency       %s\n",
      best["true_latency_ms"].is_null()
          ? (runs::is_live_device_name(r["target"]["device"].get<std::string>())
                 ? "no table: the device is measured live"
                 : "unknown (not a shipped device)")
          : (num(best["true_latency_ms"].get<double>()) + " ms" +
             (best.contains("truly_feasible") && !best["truly_feasible"].is_null()
                  ? (best["truly_feasible"].get<bool>() ? ", within budget" : ", OVER budget")
                  : ""))
                .c_str());
}

// Why a search has no answer: its limits, or (after latency checks) every check measured over the
// budget and nothing trained is within it under what they showed.
void print_no_answer(const nlohmann::json& r) {
  const nlohmann::json& v = r.contains("verification") ? r["verification"] : nlohmann::json();
  if (!v.is_object() || v["checks"].empty()) {
    std::printf("no feasible architecture found within the limits\n");
    return;
  }
  std::printf("no answer: every latency check measured over the budget (");
  const char* sep = "";
  for (const auto& c : v["checks"]) {
    std::printf("%s%d: %s ms, predicted %s", sep, c["index"].get<int>(),
                approx(c["measured_latency_ms"].get<double>()).c_str(),
                approx(c["predicted_latency_ms"].get<double>()).c_str());
    sep = "; ";
  }
  std::printf(
      "), and no network trained is within it under the predictor adapted with them; more checks "
      "(--verify N) or a looser budget may settle one\n");
}

}  // namespace

void print_search_result(const nlohmann::json& r) {
  const auto& spent = r["spent"];
  const auto& cfg = r["config"];
  const auto& best = r["best"];
  const bool predicted = cfg["latency_source"] == "predicted";
  const std::string how =
      predicted ? "predicted by " + cfg["method"].get<std::string>() + " adapted from " +
                      std::to_string(r["target"]["measurements"].size()) +
                      (r["target"]["measurements"].size() == 1 ? " measurement" : " measurements") +
                      " and a pool of " + std::to_string(r["target"]["pool"].size()) + " devices" +
                      (cfg["pool_hold_out"] == "family" ? " (its family held out)" : "")
                : "measured (" + cfg["latency_source"].get<std::string>() + ")";
  std::printf("target %s (%s), %s accuracy, latency %s, budget %s ms\n",
              r["target"]["device"].get<std::string>().c_str(),
              r["target"]["source"].get<std::string>().c_str(),
              cfg["dataset"].get<std::string>().c_str(), how.c_str(),
              cfg["latency_budget_ms"].is_null()
                  ? "none"
                  : num(cfg["latency_budget_ms"].get<double>()).c_str());
  if (best.is_null() || !r["best_feasible"].get<bool>()) {
    print_no_answer(r);
  }
  if (!best.is_null()) {
    std::printf("best: %d %s\n", best["index"].get<int>(),
                best["arch_str"].get<std::string>().c_str());
    std::printf("  accuracy           %s %% (%s, what the search selected on)\n",
                best["accuracy"].is_null() ? "-" : num(best["accuracy"].get<double>()).c_str(),
                r["accuracy_metric"].get<std::string>().c_str());
    std::printf("  test accuracy      %s %% (200 epochs)\n",
                num(best["test_accuracy"].get<double>()).c_str());
    print_latencies(r, best, predicted);
  }
  std::printf(
      "spent: %d accuracy queries (%s full-query equivalents), %d device measurements (%d to "
      "adapt, %d in search, %d to check), %lld evaluations, %.3f s search + %.3f s predictor\n",
      spent["accuracy_queries"].get<int>(),
      num(spent["full_query_equivalents"].get<double>()).c_str(),
      spent["device_measurements"].get<int>(), spent["adaptation_measurements"].get<int>(),
      spent["search_measurements"].get<int>(), spent["verification_measurements"].get<int>(),
      static_cast<long long>(spent["evaluations"].get<std::int64_t>()),
      r["seconds"]["search"].get<double>(), r["seconds"]["predictor"].get<double>());
  const std::string stopped = spent["stopped_by"].get<std::string>();
  if (stopped == "evaluations") {
    std::printf(
        "stopped early: the cap of %lld candidate evaluations was reached before the query "
        "budget (raise --queries or loosen the budget)\n",
        static_cast<long long>(spent["evaluations"].get<std::int64_t>()));
  } else if (stopped != "queries") {
    std::printf("stopped by: %s\n", stopped.c_str());
  }
}

}  // namespace maplex::cli
