// maplex pareto: the accuracy/latency front found by NSGA-II with the predicted (or measured)
// latency, its hypervolume, and for a shipped device the true front's hypervolume and a plot.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "front_report.hpp"
#include "live_device.hpp"
#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/objectives/pareto.hpp"
#include "maplex/predictor/feature_cache.hpp"
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

}  // namespace

int run_pareto(int argc, char** argv) {
  auto options = make_options("pareto", "The accuracy/latency Pareto front on a device (NSGA-II)");
  add_search_options(options, "nsga2", 1000, true);
  options.add_options()("out", "Write the front as CSV", cxxopts::value<std::string>())(
      "plot", "Write an SVG of the found and the true front", cxxopts::value<std::string>())(
      "run-dir", "Directory for the run's records (default runs/<timestamp>-pareto-<device>)",
      cxxopts::value<std::string>())("no-records", "Keep no run directory");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  auto spec = search_spec(*args, "pareto");
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

  // The judgement: hypervolume with true latencies where the tables know them.
  const auto dataset = space::parse_dataset(spec.dataset);
  const auto acc = objectives::accuracies(catalog.archs(), dataset, spec.accuracy_choice());
  std::vector<double> connected_acc;
  for (int i = 0; i < catalog.index().size(); ++i) {
    if (catalog.index().cell(i).connected) {
      connected_acc.push_back(acc[static_cast<std::size_t>(i)]);
    }
  }
  const auto mid = static_cast<std::ptrdiff_t>(connected_acc.size() / 2);
  std::nth_element(connected_acc.begin(), connected_acc.begin() + mid, connected_acc.end());
  const double ref_acc = connected_acc[static_cast<std::size_t>(mid)];
  const auto& truth = prepared.true_latency_ms;
  const auto& source_lat = prepared.problem.source().latency_ms;
  const bool know_truth =
      std::any_of(truth.begin(), truth.end(), [](double v) { return !std::isnan(v); });
  const auto& lat_for_ref = know_truth ? truth : source_lat;
  double ref_lat = 0;
  for (double v : lat_for_ref) {
    ref_lat = std::isnan(v) ? ref_lat : std::max(ref_lat, v);
  }
  // On `local` every front member was measured after the search: that is its truth.
  std::vector<double> shown(truth.begin(), truth.end());
  for (const auto& [index, ms] : result.measured_after) {
    shown[static_cast<std::size_t>(index)] = ms;
  }
  std::vector<FrontPoint> found;
  std::vector<FrontPoint> found_true;
  std::vector<FrontPoint> found_measured;
  for (const auto& f : result.outcome.front) {
    found.push_back({f.index, f.accuracy, f.latency_ms});
    const double t = truth[static_cast<std::size_t>(f.index)];
    // Judged by the cell's own accuracy in the table (a cell isomorphic to one queried before
    // carries that one's answer).
    if (!std::isnan(t)) {
      found_true.push_back({f.index, acc[static_cast<std::size_t>(f.index)], t});
    }
    const double m = shown[static_cast<std::size_t>(f.index)];
    if (!std::isnan(m) && local) {
      found_measured.push_back({f.index, f.accuracy, m});
    }
  }
  nlohmann::json judge = {{"reference_accuracy", ref_acc},
                          {"reference_latency_ms", ref_lat},
                          {"reference",
                           "median accuracy of the connected architectures; the "
                           "largest latency on the device"},
                          {"front_size", found.size()},
                          {"hypervolume_source", hypervolume(found, ref_acc, ref_lat)}};
  if (!found_measured.empty()) {
    judge["hypervolume_found_measured_latency"] =
        hypervolume(non_dominated(found_measured), ref_acc, ref_lat);
    judge["device_description"] = local->live.description;
  }
  std::vector<FrontPoint> true_front;
  if (know_truth) {
    std::vector<FrontPoint> all;
    for (int i = 0; i < catalog.index().size(); ++i) {
      const double t = truth[static_cast<std::size_t>(i)];
      if (!std::isnan(t)) {
        all.push_back({i, acc[static_cast<std::size_t>(i)], t});
      }
    }
    true_front = non_dominated(all);
    const double hv_found = hypervolume(non_dominated(found_true), ref_acc, ref_lat);
    const double hv_true = hypervolume(true_front, ref_acc, ref_lat);
    judge["hypervolume_found_true_latency"] = hv_found;
    judge["hypervolume_true_front"] = hv_true;
    judge["hypervolume_ratio"] = hv_true > 0 ? hv_found / hv_true : 0.0;
    judge["true_front_size"] = true_front.size();
    // EvoXBench's judgement: both objectives normalised by the true front's ideal and nadir.
    const auto minimised = [](const std::vector<FrontPoint>& front) {
      std::vector<objectives::Point> out;
      out.reserve(front.size());
      for (const FrontPoint& q : front) {
        out.push_back({-q.accuracy, q.latency_ms});
      }
      return out;
    };
    const auto quality =
        objectives::front_quality(minimised(non_dominated(found_true)), minimised(true_front));
    judge["normalised_hypervolume_ratio"] = quality.hypervolume_ratio;
    judge["normalised_igd"] = json_or_null(quality.igd);
  }
  doc["judgement"] = judge;
  if (args->count("out") != 0U) {
    nlohmann::json ctx = doc;
    ctx.erase("front");
    ctx.erase("schema_version");
    write_front_csv((*args)["out"].as<std::string>(), doc["front"], ctx);
  }
  if (args->count("plot") != 0U) {
    std::vector<PlotSeries> series;
    if (know_truth) {
      series.push_back({"true front (table)", "#888888", false, true_front});
      series.push_back({"found front, true latency", "#1f77b4", false, non_dominated(found_true)});
    }
    if (!found_measured.empty()) {
      series.push_back({"found front, measured latency", "#1f77b4", false, found_measured});
    }
    series.push_back({spec.source == "predicted" ? "found front, predicted latency"
                                                 : "found front, measured latency",
                      "#ff7f0e", true, found});
    write_front_svg((*args)["plot"].as<std::string>(),
                    "maplex pareto: " + prepared.target.name + " (" + spec.dataset + ")", series);
  }
  if (ro.dir.empty() == false) {
    std::ofstream(ro.dir / "result.json") << doc.dump(2) << '\n';
  }
  if (args->count("json") != 0U) {
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  std::printf(
      "front on %s (%s, latency %s): %zu architectures from %d accuracy queries, %d device "
      "measurements\n",
      prepared.target.name.c_str(), spec.dataset.c_str(), spec.source.c_str(), found.size(),
      result.usage.queries, doc["spent"]["device_measurements"].get<int>());
  std::printf("%8s  %-60s %9s %12s %12s\n", "index", "arch", "acc_%", "latency_ms",
              local ? "measured_ms" : "true_ms");
  for (const auto& f : result.outcome.front) {
    const double t = shown[static_cast<std::size_t>(f.index)];
    std::printf("%8d  %-60s %9.3f %12.4f %12s\n", f.index,
                catalog.index().arch(f.index).str().c_str(), f.accuracy, f.latency_ms,
                std::isnan(t) ? "-" : approx(t).c_str());
  }
  std::printf("hypervolume (reference %.2f %%, %.4g ms): found %.4g", ref_acc, ref_lat,
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
