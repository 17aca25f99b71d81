// maplex pareto: the accuracy/latency front found by layers (or NSGA-II) with the predicted (or
// measured) latency, its hypervolume, and for a shipped device the true front's hypervolume and a
// plot.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/core/error.hpp"
#include "maplex/runs/run.hpp"
#include "maplex/search/algorithm.hpp"
#include "predictor_options.hpp"
#include "search_options.hpp"

namespace maplex::cli {

namespace {

cxxopts::Options pareto_options() {
  auto options =
      make_options("pareto", "The accuracy/latency Pareto front on a device (layers, or NSGA-II)");
  add_search_options(options, "", 1000, true);
  options.add_options()("out", "Write the front as CSV", cxxopts::value<std::string>())(
      "plot", "Write an SVG of the found and the true front", cxxopts::value<std::string>())(
      "throttle-ms", "Wait this long after every step (simulates slow evaluations)",
      cxxopts::value<int>()->default_value("0"));
  add_run_dir_options(options, "pareto");
  return options;
}

// Prints the front found and its hypervolumes.
void print_front(const runs::Prepared& prepared, const runs::RunSpec& spec,
                 const tables::Catalog& catalog, const runs::RunResult& result,
                 const nlohmann::json& doc) {
  const auto& judge = doc["judgement"];
  // Each member's latency beside the search's: measured on a live device, else the table's.
  std::vector<double> shown(prepared.true_latency_ms);
  for (const auto& [index, ms] : result.measured_after) {
    shown[static_cast<std::size_t>(index)] = ms;
  }
  std::printf(
      "front on %s (%s, latency %s): %zu architectures from %d accuracy queries, %d device "
      "measurements\n",
      prepared.target.name.c_str(), spec.dataset.c_str(), spec.source.c_str(),
      judge["front_size"].get<std::size_t>(), result.usage.queries,
      doc["spent"]["device_measurements"].get<int>());
  // The arch column as wide as the longest string shown (they range from 41 to 89 characters).
  int width = 4;
  for (const auto& f : result.outcome.front) {
    width = std::max(width, static_cast<int>(catalog.index().arch(f.index).str().size()));
  }
  std::printf("%8s  %-*s %9s %12s %12s\n", "index", width, "arch", "acc_%", "latency_ms",
              result.measured_after.empty() ? "true_ms" : "measured_ms");
  for (const auto& f : result.outcome.front) {
    const double t = shown[static_cast<std::size_t>(f.index)];
    std::printf("%8d  %-*s %9.3f %12.4f %12s\n", f.index, width,
                catalog.index().arch(f.index).str().c_str(), f.accuracy, f.latency_ms,
                std::isnan(t) ? "-" : approx(t).c_str());
  }
  std::printf("hypervolume (reference %.2f %%, %.4g ms): found %.4g",
              judge["reference_accuracy"].get<double>(),
              judge["reference_latency_ms"].get<double>(),
              judge["hypervolume_source"].get<double>());
  if (judge.contains("hypervolume_found_measured_latency")) {
    std::printf("; with the members' latencies measured on the device %.4g",
                judge["hypervolume_found_measured_latency"].get<double>());
  }
  if (judge.contains("hypervolume_true_front")) {
    std::printf("; judged with true latencies %.4g vs true front %.4g: %.1f%%",
                judge["hypervolume_found_true_latency"].get<double>(),
                judge["hypervolume_true_front"].get<double>(),
                100 * judge["hypervolume_ratio"].get<double>());
  }
  std::printf("\n");
}

}  // namespace

int finish_pareto(const runs::RunSpec& spec, const tables::Catalog& catalog,
                  runs::RunOptions options, bool json, bool fresh) {
  return run_recorded(
      spec, catalog, std::move(options), json, fresh,
      [&](const runs::Prepared& prepared, const runs::RunResult& result, const devices::Session*) {
        print_front(prepared, spec, catalog, result, nlohmann::json::parse(result.result_json));
      });
}

int run_pareto(int argc, char** argv) {
  auto options = pareto_options();
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  auto spec = search_spec(*args, "pareto");
  spec.throttle_ms = int_option(*args, "throttle-ms", 0);
  for (const auto& [option, path] :
       {std::pair{"out", &spec.front_csv}, {"plot", &spec.front_plot}}) {
    if (args->count(option) != 0U) {
      *path = std::filesystem::absolute((*args)[option].as<std::string>()).string();
    }
  }
  apply_threads(*args);
  const tables::Catalog catalog = load_catalog(*args);
  return finish_pareto(spec, catalog, run_options(*args, spec), args->count("json") != 0U,
                       args->count("fresh") != 0U);
}

}  // namespace maplex::cli
