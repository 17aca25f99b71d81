// maplex search / maplex resume: the most accurate architecture within a latency budget, as a
// recorded, resumable run.

#include <unistd.h>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "live_device.hpp"
#include "maplex/core/error.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/runs/run.hpp"
#include "predictor_options.hpp"
#include "search_options.hpp"

namespace maplex::cli {

namespace {

int finish(const runs::RunSpec& spec, const tables::Catalog& catalog, runs::RunOptions options,
           bool json, bool fresh) {
  guard_run(options);
  const auto features = predictor::FeatureCache::build(catalog.index());
  auto local = open_session(spec, catalog, fresh);
  const runs::Prepared prepared =
      runs::prepare(spec, catalog, features, local ? &local->live : nullptr);
  if (isatty(STDERR_FILENO) != 0) {
    options.progress = [](const search::SearchState& s, const search::Usage& u) {
      if (s.step % 50 == 0) {
        std::fprintf(stderr, "\rstep %lld: %d queries, %d measurements",
                     static_cast<long long>(s.step), u.queries, u.measurements);
      }
    };
  }
  const auto result = runs::execute(spec, prepared, catalog, options);
  if (options.progress) {
    std::fprintf(stderr, "\n");
  }
  if (json) {
    std::cout << result.result_json << '\n';
    return 0;
  }
  print_search_result(nlohmann::json::parse(result.result_json));
  if (result.reused > 0) {
    std::printf("resumed: %lld evaluations reused from the interrupted run\n",
                static_cast<long long>(result.reused));
  }
  if (local) {
    std::printf("%s; %d new measurements, %d from the store\n", local->live.description.c_str(),
                local->device->new_measurements(), local->device->stored_hits());
  }
  if (!options.dir.empty()) {
    std::printf("run records in %s\n", options.dir.string().c_str());
  }
  return 0;
}

}  // namespace

int run_search(int argc, char** argv) {
  auto options =
      make_options("search", "The most accurate architecture within a latency budget on a device");
  add_search_options(options, "re", 300);
  options.add_options()("latency-budget-ms", "The latency budget (required)",
                        cxxopts::value<double>())(
      "throttle-ms", "Wait this long after every step (simulates slow evaluations)",
      cxxopts::value<int>()->default_value("0"));
  add_run_dir_options(options, "search");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  if (args->count("latency-budget-ms") == 0U) {
    throw UsageError("expected --latency-budget-ms L (see maplex search --help)");
  }
  auto spec = search_spec(*args, "search");
  spec.throttle_ms = int_option(*args, "throttle-ms", 0);
  apply_threads(*args);
  const tables::Catalog catalog = load_catalog(*args);
  runs::RunOptions ro = run_options(*args, spec);
  return finish(spec, catalog, ro, args->count("json") != 0U, args->count("fresh") != 0U);
}

int run_resume(int argc, char** argv) {
  auto options = make_options("resume", "Continue an interrupted run from its directory");
  options.add_options()("run-dir", "The run directory", cxxopts::value<std::string>())(
      "threads", "Worker threads (0 = all cores)", cxxopts::value<int>()->default_value("0"))(
      "throttle-ms",
      "Wait this long after every step instead of the recorded value (timing only: the result "
      "is the same)",
      cxxopts::value<int>());
  options.parse_positional({"run-dir"});
  options.positional_help("<run-dir>");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  if (args->count("run-dir") == 0U) {
    throw UsageError("expected the run directory: maplex resume <run-dir>");
  }
  apply_threads(*args);
  runs::RunOptions ro;
  ro.dir = (*args)["run-dir"].as<std::string>();
  ro.resume = true;
  auto spec = runs::load_run_spec(ro.dir);
  if (args->count("throttle-ms") != 0U) {
    spec.throttle_ms = int_option(*args, "throttle-ms", 0);
  }
  const tables::Catalog catalog = load_catalog(*args);
  return finish(spec, catalog, ro, args->count("json") != 0U, false);
}

}  // namespace maplex::cli
