// maplex evaluate: every method on a protocol's held-out devices (loo, help, family, nasflat).

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "common.hpp"
#include "eval_report.hpp"
#include "live_device.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/shard.hpp"
#include "maplex/predictor/evaluation.hpp"
#include "maplex/tables/measurements.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

namespace {

// A --devices item: a shipped device, or a CSV of the user's measurements (one target per device
// column value, or one named after the file).
void add_targets(const tables::Catalog& catalog, const std::string& item,
                 std::vector<predictor::EvalTarget>& out) {
  if (item.size() < 4 || item.substr(item.size() - 4) != ".csv") {
    out.push_back(predictor::shipped_target(catalog, item));
    return;
  }
  const auto set = tables::load_measurements(item, catalog.index());
  for (const std::string& device : set.devices()) {
    predictor::EvalTarget t;
    t.name = device.empty() ? std::filesystem::path(item).stem().string() : device;
    t.truth.assign(static_cast<std::size_t>(space::kNumArchs),
                   std::numeric_limits<double>::quiet_NaN());
    for (const auto& m : set.rows) {
      if (m.device == device) {
        t.truth[static_cast<std::size_t>(m.index)] = m.latency_ms;
      }
    }
    out.push_back(std::move(t));
  }
}

cxxopts::Options evaluate_options() {
  std::string all_methods;
  for (const auto method : predictor::kAllMethods) {
    all_methods += (all_methods.empty() ? "" : ",") + std::string(predictor::method_name(method));
  }
  auto options = make_options("evaluate", "Score latency predictors on held-out devices", true);
  add_pool_options(options);
  options.add_options()("protocol",
                        "loo (MAPLE-X Table 1), help (HELP's split and test set), family (leave "
                        "a device family out) or nasflat (NASFLAT's six tasks)",
                        cxxopts::value<std::string>()->default_value("loo"))(
      "methods",
      "Methods, comma separated: " + predictor::method_list() +
          " (help measures its 10 reference architectures besides --adapt)",
      cxxopts::value<std::string>()->default_value(all_methods))(
      "adapt", "Measured architectures per target", cxxopts::value<int>()->default_value("3"))(
      "trials", "Trials per target (each: a new pool sample and new measurements)",
      cxxopts::value<int>()->default_value("10"))(
      "select", "How the measured architectures are chosen: random or plan",
      cxxopts::value<std::string>()->default_value("random"))(
      "devices", "Targets, comma separated: shipped devices or measurement CSV files",
      cxxopts::value<std::string>())("no-ceiling", "Skip the per-device noise ceiling")(
      "dead-ops",
      "table: maplex reads each pool device's op costs under the target's dead-op handling "
      "(devices.csv's dead_ops, or a local runtime's: runs); default: not used",
      cxxopts::value<std::string>()->default_value(""))("threads", "Worker threads (0 = all cores)",
                                                        cxxopts::value<int>()->default_value("0"))(
      "shard",
      "Do shard K of N (K/N, 0-based; slurm: this job array task) of the (device, trial) cells and "
      "write them as a part to --json; maplex merge joins the parts",
      cxxopts::value<std::string>())(
      "no-lut",
      "A target measured live (local, local:<runtime>, cmd:FILE) gets no per-op table and no "
      "specs");
  add_local_options(options, "measure-threads");
  return options;
}

predictor::EvalOptions eval_options(const cxxopts::ParseResult& args,
                                    const tables::Catalog& catalog) {
  predictor::EvalOptions eo;
  eo.protocol = args["protocol"].as<std::string>();
  predictor::scored_description(eo.protocol);  // validates the name
  eo.methods.clear();
  for (const auto& m : split_list(args["methods"].as<std::string>(), "methods")) {
    eo.methods.push_back(predictor::parse_method(m));
  }
  eo.adapt = int_option(args, "adapt", 1);
  eo.trials = int_option(args, "trials", 1);
  const std::string select = args["select"].as<std::string>();
  if (select != "random" && select != "plan") {
    throw InputError("--select " + quote(select) + " is unknown, expected random or plan");
  }
  eo.select = select == "plan" ? predictor::AdaptSelect::plan : predictor::AdaptSelect::random;
  eo.seed = seed_of(args);
  eo.pool_samples = int_option(args, "pool-samples", 0);
  eo.noise_ceiling = args.count("no-ceiling") == 0U;
  const std::string dead_ops = args["dead-ops"].as<std::string>();
  if (!dead_ops.empty() && dead_ops != "table") {
    throw InputError("--dead-ops " + quote(dead_ops) +
                     ", expected table (devices.csv's, every target here is shipped) or nothing");
  }
  eo.predictor.use_dead_ops = dead_ops == "table";
  if (args.count("pool") != 0U) {
    eo.pool = split_list(args["pool"].as<std::string>(), "pool");
  }
  if (args.count("devices") != 0U) {
    for (const auto& item : split_list(args["devices"].as<std::string>(), "devices")) {
      add_targets(catalog, item, eo.targets);
    }
  }
  return eo;
}

// Measurements of a live device (local, local:<runtime>, cmd:FILE): its specs and its own per-op
// table when it has one, as `--device` with that name uses; the devices stay open in `live`.
// With --no-lut it gets neither, but still its runtime's dead-op handling under --dead-ops table
// (a fact of the runtime, not a measurement).
void attach_live_devices(const cxxopts::ParseResult& args, const tables::Catalog& catalog,
                         predictor::EvalOptions& eo,
                         std::map<std::string, std::unique_ptr<measure::Device>>& live) {
  const bool no_lut = args.count("no-lut") != 0U;
  for (auto& t : eo.targets) {
    if (!runs::is_live_device_name(t.name) || (no_lut && !eo.predictor.use_dead_ops)) {
      continue;
    }
    auto& device = live[t.name];
    if (!device) {
      device =
          open_live(t.name, local_options(local_settings(args, "measure-threads"), false), catalog);
    }
    const auto view = live_view(*device, catalog, !no_lut);
    if (no_lut) {
      t.spec = predictor::SpecVector{};
      t.spec->dead_ops = view.spec.dead_ops;
    } else {
      t.spec = view.spec;
      t.lut_ms = view.lut_ms;
    }
  }
}

void progress_line(int done, int total) {
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::fprintf(stderr, "%sevaluate: %d/%d trials done%s", tty ? "\r" : "", done, total,
               tty ? "" : "\n");
  if (tty && done == total) {
    std::fputc('\n', stderr);
  }
}

// --shard K/N: this shard's cells as a part (maplex merge makes the evaluation of the parts).
int run_evaluate_shard(const cxxopts::ParseResult& args, const tables::Catalog& catalog,
                       const predictor::FeatureCache& features, predictor::EvalOptions eo) {
  const auto json = json_target(args);
  if (!json) {
    throw UsageError("evaluate --shard writes a part: expected --json FILE (or - for stdout)");
  }
  const Shard shard = parse_shard(args["shard"].as<std::string>());
  const auto part =
      predictor::evaluate_part(catalog, features, std::move(eo), shard, progress_line);
  const std::string doc = predictor::part_document(part);
  if (*json == "-") {
    std::cout << doc << '\n';
  } else {
    write_text_file(*json, doc + "\n");
    std::printf("evaluate: shard %s, %zu (device, trial) cells in %.1f s, written to %s\n",
                shard.str().c_str(), part.cells.size(), part.seconds, json->c_str());
  }
  return 0;
}

}  // namespace

int run_evaluate(int argc, char** argv) {
  auto options = evaluate_options();
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  json_target(*args);  // a stray positional is a usage error before any work
  const tables::Catalog catalog = load_catalog(*args);
  predictor::EvalOptions eo = eval_options(*args, catalog);
  std::map<std::string, std::unique_ptr<measure::Device>> live;  // open while evaluating
  attach_live_devices(*args, catalog, eo, live);
  const int threads = apply_threads(*args);
  const auto features = predictor::FeatureCache::build(catalog.index());
  if (args->count("shard") != 0U) {
    return run_evaluate_shard(*args, catalog, features, std::move(eo));
  }
  const auto result = predictor::evaluate(catalog, features, eo, progress_line);
  const auto json = json_target(*args);
  if (json && *json == "-") {
    std::cout << evaluation_json(result, catalog, threads).dump(2) << '\n';
    return 0;
  }
  print_evaluation(result);
  if (json) {
    write_json_file(*json, evaluation_json(result, catalog, threads));
  }
  return 0;
}

}  // namespace maplex::cli
