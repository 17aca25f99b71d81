// maplex search / maplex resume: the most accurate architecture within a latency budget, as a
// recorded, resumable run.

#include <unistd.h>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "live_device.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/shard.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/runs/batch.hpp"
#include "maplex/runs/run.hpp"
#include "maplex/search/algorithm.hpp"
#include "predictor_options.hpp"
#include "search_options.hpp"

namespace maplex::cli {

namespace {

int finish(const runs::RunSpec& spec, const tables::Catalog& catalog, runs::RunOptions options,
           bool json, bool fresh) {
  if (isatty(STDERR_FILENO) != 0) {
    options.progress = [](const search::SearchState& s, const search::Usage& u) {
      if (s.step % 50 == 0) {
        std::fprintf(stderr, "\rstep %lld: %d queries, %d measurements",
                     static_cast<long long>(s.step), u.queries, u.measurements);
      }
    };
  }
  return run_recorded(
      spec, catalog, std::move(options), json, fresh,
      [](const runs::Prepared&, const runs::RunResult& result, const devices::Session* local) {
        print_search_result(nlohmann::json::parse(result.result_json));
        if (result.reused > 0) {
          std::printf("resumed: %lld evaluations reused from the interrupted run\n",
                      static_cast<long long>(result.reused));
        }
        if (local != nullptr) {
          std::printf("%s; %d new measurements, %d from the store\n",
                      local->live.description.c_str(), local->device->new_measurements(),
                      local->device->stored_hits());
        }
      });
}

// --seeds / --budgets-ms: one recorded run per (budget, seed), in the batch's directory.
int run_search_batch(const cxxopts::ParseResult& args, runs::RunSpec spec,
                     const tables::Catalog& catalog) {
  runs::BatchOptions bo;
  bo.seeds = args.count("seeds") != 0U ? runs::parse_seed_list(args["seeds"].as<std::string>())
                                       : std::vector<std::uint64_t>{spec.seed};
  if (args.count("budgets-ms") != 0U) {
    bo.budgets_ms = runs::parse_budget_list(args["budgets-ms"].as<std::string>());
  } else if (spec.budget_ms) {
    bo.budgets_ms = {*spec.budget_ms};
  } else {
    throw UsageError("expected --budgets-ms L[,L...] or --latency-budget-ms L");
  }
  if (args.count("shard") != 0U) {
    bo.shard = parse_shard(args["shard"].as<std::string>());
  }
  if (args.count("no-records") != 0U) {
    throw UsageError("a search batch keeps every run's records: drop --no-records");
  }
  spec.command = "search";
  bo.base = spec;
  runs::RunSpec named = spec;
  named.command = "search-batch";
  bo.dir = args.count("run-dir") != 0U ? std::filesystem::path(args["run-dir"].as<std::string>())
                                       : runs::default_run_dir(named, runs_root(args));
  const auto features = predictor::FeatureCache::build(catalog.index());
  auto local = open_session(spec, catalog, args.count("fresh") != 0U);
  const std::string doc = runs::run_batch(
      bo, catalog, features, local ? &local->live : nullptr, [](std::size_t done, std::size_t n) {
        std::fprintf(stderr, "search batch: %zu/%zu runs done\n", done, n);
      });
  const std::string record =
      (bo.dir / (bo.shard.whole() ? std::string("batch.json")
                                  : "batch-" + std::to_string(bo.shard.index) + "-of-" +
                                        std::to_string(bo.shard.count) + ".json"))
          .string();
  write_text_file(record, doc + "\n");
  if (args.count("out") != 0U) {
    write_text_file(args["out"].as<std::string>(), doc + "\n");
  }
  if (args.count("json") != 0U) {
    std::cout << doc << '\n';
    return 0;
  }
  const auto summary = nlohmann::json::parse(doc).at("summary");
  std::printf(
      "search batch%s: %s runs, %s answers, %s within the budget on the device's truth, "
      "median test accuracy %s; records in %s\n",
      bo.shard.whole() ? "" : (" shard " + bo.shard.str()).c_str(),
      summary.at("units").dump().c_str(), summary.at("answers").dump().c_str(),
      summary.at("within_budget_on_truth").dump().c_str(),
      summary.at("median_test_accuracy").dump().c_str(), record.c_str());
  return 0;
}

}  // namespace

int run_search(int argc, char** argv) {
  auto options =
      make_options("search", "The most accurate architecture within a latency budget on a device");
  add_search_options(options, "", 300);
  options.add_options()("latency-budget-ms", "The latency budget (required)",
                        cxxopts::value<double>())(
      "throttle-ms", "Wait this long after every step (simulates slow evaluations)",
      cxxopts::value<int>()->default_value("0"));
  options.add_options("batch")(
      "seeds", "A batch: one run per seed (0-9 or 1,3,7), each in its own directory",
      cxxopts::value<std::string>())("budgets-ms",
                                     "A batch: one run per latency budget (5,6.5,8) and seed",
                                     cxxopts::value<std::string>())(
      "shard",
      "Run shard K of N (K/N, 0-based; slurm: this job array task) of the batch's (budget, seed) "
      "runs; maplex merge joins the --out documents",
      cxxopts::value<std::string>())(
      "out", "Write the batch document (every run's result and a summary) here",
      cxxopts::value<std::string>());
  add_run_dir_options(options, "search");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  const bool batch = args->count("seeds") + args->count("budgets-ms") + args->count("shard") > 0U;
  if (args->count("latency-budget-ms") == 0U && !batch) {
    throw UsageError("expected --latency-budget-ms L (see maplex search --help)");
  }
  auto spec = search_spec(*args, "search");
  if (batch) {
    spec.throttle_ms = int_option(*args, "throttle-ms", 0);
    apply_threads(*args);
    return run_search_batch(*args, spec, load_catalog(*args));
  }
  if (args->count("out") != 0U) {
    throw UsageError("--out is the batch document: expected --seeds or --budgets-ms with it");
  }
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
  const bool json = args->count("json") != 0U;
  return spec.command == "pareto" ? finish_pareto(spec, catalog, ro, json, false)
                                  : finish(spec, catalog, ro, json, false);
}

}  // namespace maplex::cli
