// maplex pareto: the accuracy/latency front found by NSGA-II with the predicted (or measured)
// latency, its hypervolume, and for a shipped device the true front's hypervolume and a plot.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "live_device.hpp"
#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/objectives/pareto.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/report/figures.hpp"
#include "maplex/runs/judge.hpp"
#include "maplex/runs/run.hpp"
#include "predictor_options.hpp"
#include "search_options.hpp"

namespace maplex::cli {

namespace {

void write_front_csv(const std::string& path, const nlohmann::json& front,
                     const nlohmann::json& ctx) {
  std::ofstream out(path);
  out << "# maplex pareto front schema_version=" << kJsonSchemaVersion << '\n'
      << "# " << ctx.dump() << '\n'
      << "index,arch_str,accuracy,latency_ms,true_latency_ms,measured_latency_ms\n";
  for (const auto& f : front) {
    const char* key =
        f.contains("predicted_latency_ms") ? "predicted_latency_ms" : "measured_latency_ms";
    out << f["index"].get<int>() << ',' << f["arch_str"].get<std::string>() << ','
        << num(f["accuracy"].get<double>()) << ',' << num(f[key].get<double>()) << ','
        << (f["true_latency_ms"].is_null() ? "" : num(f["true_latency_ms"].get<double>())) << ','
        << (f.contains("predicted_latency_ms") && f.contains("measured_latency_ms")
                ? num(f["measured_latency_ms"].get<double>())
                : "")
        << '\n';
  }
  if (!out) {
    throw InputError("--out " + quote(path) + ": cannot write, expected a writable file path");
  }
}

// --plot: the found front (at the search's, the true and the measured latency) and the true one.
void plot_front(const std::string& path, const runs::RunSpec& spec, const std::string& target,
                const std::string& metric, const runs::FrontJudgement& j) {
  const bool know_truth = !j.true_front.empty();
  std::vector<report::FrontSeries> series;
  if (know_truth) {
    series.push_back({"true front (table)", "#888888", false, j.true_front});
    series.push_back(
        {"found front, true latency", "#1f77b4", false, objectives::non_dominated(j.found_true)});
  }
  if (!j.found_measured.empty()) {
    series.push_back({"found front, measured latency", "#1f77b4", false,
                      objectives::non_dominated(j.found_measured)});
  }
  series.push_back({spec.source == "predicted" ? "found front, predicted latency"
                                               : "found front, measured latency",
                    "#ff7f0e", true, j.found});
  report::write_svg(path, report::front_plot("maplex pareto: " + target + " (" + spec.dataset + ")",
                                             metric + " (%)", series));
}

cxxopts::Options pareto_options() {
  auto options = make_options("pareto", "The accuracy/latency Pareto front on a device (NSGA-II)");
  add_search_options(options, "nsga2", 1000, true);
  options.add_options()("out", "Write the front as CSV", cxxopts::value<std::string>())(
      "plot", "Write an SVG of the found and the true front", cxxopts::value<std::string>())(
      "throttle-ms", "Wait this long after every step (simulates slow evaluations)",
      cxxopts::value<int>()->default_value("0"));
  add_run_dir_options(options, "pareto");
  return options;
}

}  // namespace

int run_pareto(int argc, char** argv) {
  auto options = pareto_options();
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  auto spec = search_spec(*args, "pareto");
  spec.throttle_ms = int_option(*args, "throttle-ms", 0);
  apply_threads(*args);
  const tables::Catalog catalog = load_catalog(*args);
  runs::RunOptions ro = run_options(*args, spec);
  guard_run(ro);
  const auto features = predictor::FeatureCache::build(catalog.index());
  auto local = open_session(spec, catalog, args->count("fresh") != 0U);
  const runs::Prepared prepared =
      runs::prepare(spec, catalog, features, local ? &local->live : nullptr);
  const auto result = runs::execute(spec, prepared, catalog, ro);
  auto doc = nlohmann::json::parse(result.result_json);

  const auto& judge = doc["judgement"];
  const runs::FrontJudgement j = runs::judge_front(spec, prepared, catalog, result);
  // Each member's latency beside the search's: measured on a live device, else the table's.
  std::vector<double> shown(prepared.true_latency_ms);
  for (const auto& [index, ms] : result.measured_after) {
    shown[static_cast<std::size_t>(index)] = ms;
  }
  const bool know_truth = !j.true_front.empty();
  if (args->count("out") != 0U) {
    nlohmann::json ctx = doc;
    ctx.erase("front");
    ctx.erase("schema_version");
    write_front_csv((*args)["out"].as<std::string>(), doc["front"], ctx);
  }
  if (args->count("plot") != 0U) {
    plot_front((*args)["plot"].as<std::string>(), spec, prepared.target.name,
               doc["accuracy_metric"].get<std::string>(), j);
  }
  if (args->count("json") != 0U) {
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  std::printf(
      "front on %s (%s, latency %s): %zu architectures from %d accuracy queries, %d device "
      "measurements\n",
      prepared.target.name.c_str(), spec.dataset.c_str(), spec.source.c_str(), j.found.size(),
      result.usage.queries, doc["spent"]["device_measurements"].get<int>());
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
  if (know_truth) {
    std::printf("; judged with true latencies %.4g vs true front %.4g: %.1f%%",
                judge["hypervolume_found_true_latency"].get<double>(),
                judge["hypervolume_true_front"].get<double>(),
                100 * judge["hypervolume_ratio"].get<double>());
  }
  std::printf("\n");
  if (!ro.dir.empty()) {
    std::printf("run records in %s\n", ro.dir.string().c_str());
  }
  return 0;
}

}  // namespace maplex::cli
