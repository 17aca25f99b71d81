// maplex measure: latency of NB201 networks on this machine (the device `local`), timed with the
// oneDNN engine against a fixed reference network (measure/MEASURING.md), kept in the
// measurement store as each completes, and written as a long-form CSV that `--measurements`
// reads elsewhere.

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include "commands.hpp"
#include "common.hpp"
#include "live_device.hpp"
#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/core/shard.hpp"
#include "maplex/devices/registry.hpp"
#include "maplex/measure/sweep.hpp"
#include "maplex/measure/sweep_csv.hpp"
#include "maplex/measure/timing.hpp"
#include "maplex/tables/measurements.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

namespace {

// The architectures of the --exclude measurement files (already measured elsewhere).
std::set<int> excluded_archs(const cxxopts::ParseResult& args, const tables::Catalog& catalog) {
  std::set<int> out;
  if (args.count("exclude") != 0U) {
    for (const auto& path : args["exclude"].as<std::vector<std::string>>()) {
      for (const auto& m : tables::load_measurements(path, catalog.index()).rows) {
        out.insert(m.index);
      }
    }
  }
  return out;
}

std::vector<int> chosen_archs(const cxxopts::ParseResult& args, const tables::Catalog& catalog,
                              Rng& rng) {
  measure::SweepRequest request;
  if (args.count("arch") != 0U) {
    request.archs = args["arch"].as<std::vector<std::string>>();
  } else if (args.count("sample") != 0U) {
    request.sample = int_option(args, "sample", 1);
  } else if (args.count("all") != 0U) {
    request.all = true;
  } else {
    throw UsageError("expected --arch A[,B...], --sample N or --all (see maplex measure --help)");
  }
  request.excluded = excluded_archs(args, catalog);
  return measure::sweep_archs(request, catalog.index(), rng);
}

// "[#####-----] 12/100, 1m05s left" on one terminal line.
void progress_bar(std::size_t done, std::size_t total, double eta_s) {
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(kWidth * done / std::max<std::size_t>(1, total));
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '-');
  const auto eta = static_cast<int>(std::lround(eta_s));
  std::fprintf(stderr, "\rmeasure [%s] %zu/%zu, %dm%02ds left   ", bar.c_str(), done, total,
               eta / 60, eta % 60);
}

// The --json report: the device, the counts and every measurement.
nlohmann::json measure_report(const measure::SweepResult& sweep, measure::Device& local,
                              const tables::Catalog& catalog, double median_cv,
                              const std::string& out_path,
                              const std::optional<measure::SweepPart>& part) {
  auto doc = json_envelope("measure", catalog);
  doc["device"] = {{"name", local.name()},
                   {"fingerprint", local.fingerprint()},
                   {"description", local.description()}};
  const auto& rows = sweep.rows;
  doc["counts"] = {{"measured", rows.size()},
                   {"new", local.new_measurements()},
                   {"from_store", local.stored_hits()},
                   {"taken_twice", local.remeasured()},
                   {"measured_again_disturbed", sweep.measured_again},
                   {"still_disturbed", sweep.still_disturbed}};
  doc["rounds"] = sweep.rounds;
  doc["counts"]["round_takes"] = sweep.round_takes;
  doc["passes"] = sweep.passes;
  doc["waited_s"] = sweep.waited_s;
  doc["median_ratio_cv"] = median_cv;
  doc["out"] = out_path;
  doc["store"] = {{"path", local.store().path().string()},
                  {"journal", local.store().journal_mode()}};
  if (part) {
    doc["shard"] = {{"index", part->shard.index},
                    {"count", part->shard.count},
                    {"sweep_architectures", part->units}};
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : rows) {
    list.push_back({{"index", r.index},
                    {"arch_str", catalog.index().arch(r.index).str()},
                    {"latency_ms", r.latency_ms},
                    {"ratio_cv", r.timing.ratio_cv},
                    {"takes", measure::take_count(r)},
                    {"from_store", r.from_store}});
  }
  doc["measurements"] = list;
  return doc;
}

cxxopts::Options measure_options() {
  auto options =
      make_options("measure", "Latency of NB201 networks on a live device (batch 1, fp32, CIFAR)");
  options.add_options()("device", "The target: " + devices::live_device_list(),
                        cxxopts::value<std::string>()->default_value("local"))(
      "arch", "Architectures to measure: indices or strings (repeat or comma-separate)",
      cxxopts::value<std::vector<std::string>>())(
      "sample", "Measure this many distinct connected architectures drawn with --seed",
      cxxopts::value<int>())("all", "Measure all 15,625 architectures")(
      "seed", "Seed of the sample and the order (the weights are always drawn from seed 0)",
      cxxopts::value<std::uint64_t>()->default_value("0"))(
      "exclude",
      "Leave out the architectures of these measurement CSVs (already measured; repeat or "
      "comma-separate)",
      cxxopts::value<std::vector<std::string>>())(
      "out", "Write the measurements to this CSV (long form: arch,latency_ms,...)",
      cxxopts::value<std::string>())(
      "shard",
      "Measure shard K of N (K/N, 0-based; slurm: this job array task) of the sweep's "
      "architectures; maplex merge joins the CSVs (and per-shard stores)",
      cxxopts::value<std::string>())(
      "rounds",
      "Takes of each architecture, a whole pass over the sweep apart (each sees the machine in "
      "another state; the ratio is their geometric mean); 0 = the runtime's default (2 for "
      "local and local:opencv, 1 for local:torch)",
      cxxopts::value<int>()->default_value("0"))(
      "passes",
      "Measurement passes: what was measured while the machine was disturbed (its reference more "
      "than 10% slower than the quiet machine's) is measured again in a later pass, the less "
      "disturbed kept; 1 = none again",
      cxxopts::value<int>()->default_value("3"))(
      "max-wait",
      "Seconds a sweep may wait, in all, for a disturbed machine to run quiet again before it "
      "measures again",
      cxxopts::value<double>()->default_value("120"));
  add_local_options(options, "threads");
  return options;
}

// --passes and --max-wait, checked before any device is opened.
measure::SweepOptions sweep_options(const cxxopts::ParseResult& args) {
  measure::SweepOptions options;
  options.passes = int_option(args, "passes", 1);
  options.rounds = int_option(args, "rounds", 0);
  options.wait_budget_s = args["max-wait"].as<double>();
  if (!(options.wait_budget_s >= 0)) {
    throw InputError("--max-wait " + std::to_string(options.wait_budget_s) +
                     ", expected seconds >= 0");
  }
  return options;
}

// The sweep in passes (measure/sweep.hpp), with a progress bar on a terminal.
measure::SweepResult measure_all(measure::Device& device, const std::vector<int>& archs,
                                 measure::SweepOptions options) {
  if (::isatty(STDERR_FILENO) != 0) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t first = archs.size();
    options.on_progress = [&device, start, first](std::size_t done, std::size_t total) {
      // The rate of new timings predicts the rest (stored ones cost nothing); a later pass's are
      // all new.
      const double spent =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double timed = static_cast<double>(device.new_measurements()) +
                           static_cast<double>(done > first ? done - first : 0);
      const double rate = spent / std::max(1.0, timed);
      const double new_share = timed / static_cast<double>(done);
      progress_bar(done, total, rate * new_share * static_cast<double>(total - done));
    };
  }
  auto result = measure::run_sweep(device, archs, options);
  if (options.on_progress) {
    std::fprintf(stderr, "\n");
  }
  return result;
}

}  // namespace

int run_measure(int argc, char** argv) {
  auto options = measure_options();
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  const std::string device = (*args)["device"].as<std::string>();
  if (!runs::is_live_device_name(device)) {
    throw InputError("device " + quote(device) + " cannot be measured from here, expected " +
                     devices::live_device_list());
  }
  if (args->count("out") == 0U) {
    throw UsageError("expected --out FILE.csv (see maplex measure --help)");
  }
  const std::string out_path = (*args)["out"].as<std::string>();
  const tables::Catalog catalog = load_catalog(*args);
  const auto seed = (*args)["seed"].as<std::uint64_t>();
  const auto settings = local_settings(*args, "threads");
  Rng rng(seed);
  auto archs = chosen_archs(*args, catalog, rng);
  std::optional<measure::SweepPart> part;
  if (args->count("shard") != 0U) {
    part = measure::SweepPart{parse_shard((*args)["shard"].as<std::string>()), archs.size(),
                              measure::sweep_selection(archs)};
    archs = measure::shard_of(archs, part->shard);
  }
  const auto passes = sweep_options(*args);
  const auto device_ptr =
      open_live(device, local_options(settings, args->count("fresh") != 0U), catalog);
  measure::Device& local = *device_ptr;
  auto sweep = measure_all(local, archs, passes);
  const auto& rows = sweep.rows;  // at the scale with this sweep's calibration rounds
  const double median_cv =
      measure::write_sweep_csv(out_path, rows, local, catalog.index(), part ? &*part : nullptr);
  if (args->count("json") != 0U) {
    std::cout << measure_report(sweep, local, catalog, median_cv, out_path, part).dump(2) << '\n';
    return 0;
  }
  std::printf(
      "measured %zu architectures%s on %s: %d new, %d from the store, %d more takes in %d "
      "round%s, %d taken twice as unsteady, %d again in %d later pass%s as disturbed (%d still; "
      "%.0f s waited for a quiet machine); median cv of the ratios %.2f%%; written to %s\n",
      rows.size(),
      part ? (" (shard " + part->shard.str() + " of a " + std::to_string(part->units) +
              "-architecture sweep)")
                 .c_str()
           : "",
      local.description().c_str(), local.new_measurements(), local.stored_hits(), sweep.round_takes,
      sweep.rounds, sweep.rounds == 1 ? "" : "s", local.remeasured(), sweep.measured_again,
      sweep.passes - 1, sweep.passes == 2 ? "" : "es", sweep.still_disturbed, sweep.waited_s,
      100 * median_cv, out_path.c_str());
  return 0;
}

}  // namespace maplex::cli
