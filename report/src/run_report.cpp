#include "maplex/report/run_report.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/report/figures.hpp"
#include "maplex/runs/live.hpp"
#include "maplex/runs/prepare.hpp"
#include "maplex/runs/record.hpp"
#include "maplex/runs/run.hpp"

namespace maplex::report {

namespace {

struct RunFiles {
  runs::RunSpec spec;
  nlohmann::json result;
  std::vector<search::Record> history;
};

// The run's records, read without touching them (history.csv is read from a copy, as
// read_history truncates a torn last line).
RunFiles read_run(const std::filesystem::path& dir) {
  if (!std::filesystem::is_regular_file(dir / "result.json")) {
    throw InputError("run directory " + quote(dir.string()) +
                     " has no result.json, expected a finished run (maplex resume it first)");
  }
  RunFiles r{
      runs::load_run_spec(dir), nlohmann::json::parse(runs::read_text(dir / "result.json")), {}};
  if (std::filesystem::is_regular_file(dir / "history.csv")) {
    const auto copy = std::filesystem::temp_directory_path() /
                      ("maplex-report-" + std::to_string(::getpid()) + "-history.csv");
    std::filesystem::copy_file(dir / "history.csv", copy,
                               std::filesystem::copy_options::overwrite_existing);
    r.history = runs::read_history(copy);
    std::filesystem::remove(copy);
  }
  return r;
}

std::string cell(const nlohmann::json& v) {
  if (v.is_null()) {
    return "-";
  }
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v.get<double>());
    return buf;
  }
  return xml_escape(v.is_string() ? v.get<std::string>() : v.dump());
}

std::string table(const std::vector<std::pair<std::string, nlohmann::json>>& rows) {
  std::string out = "<table>\n";
  for (const auto& [key, value] : rows) {
    out += "<tr><th>" + xml_escape(key) + "</th><td>" + cell(value) + "</td></tr>\n";
  }
  return out + "</table>\n";
}

std::string answer_table(const nlohmann::json& result) {
  const nlohmann::json& b = result.value("best", nlohmann::json());
  if (b.is_null()) {
    return "<p>No answer: nothing feasible was found within the limits.</p>\n";
  }
  const auto get = [&](const char* k) { return b.value(k, nlohmann::json()); };
  return table({{"index", get("index")},
                {"architecture", get("arch_str")},
                {result.value("accuracy_metric", "accuracy") + " (%)", get("accuracy")},
                {"test accuracy (%)", get("test_accuracy")},
                {"predicted latency (ms)", get("predicted_latency_ms")},
                {"latency bound (ms)", get("latency_bound_ms")},
                {"checked on the device (ms)", get("measured_latency_ms")},
                {"true latency (ms)", get("true_latency_ms")},
                {"P(within budget)", get("p_within_budget")},
                {"feasible", result.value("best_feasible", nlohmann::json())}});
}

// The fronts: found (at the search's latency and, where known, the true one) and the true front.
std::vector<FrontSeries> fronts(const RunFiles& run, const std::vector<double>& acc,
                                const std::vector<double>& truth,
                                const std::vector<bool>& connected) {
  std::vector<objectives::FrontPoint> seen;
  std::vector<objectives::FrontPoint> seen_true;
  for (const auto& r : run.history) {
    if (r.fitness.queried() && !r.low_fidelity && std::isfinite(r.fitness.latency_ms)) {
      seen.push_back({r.fitness.index, r.fitness.accuracy, r.fitness.latency_ms});
      const double t = truth[static_cast<std::size_t>(r.fitness.index)];
      if (!std::isnan(t)) {
        seen_true.push_back({r.fitness.index, acc[static_cast<std::size_t>(r.fitness.index)], t});
      }
    }
  }
  std::vector<FrontSeries> out;
  if (!seen_true.empty()) {
    std::vector<objectives::FrontPoint> all;
    for (std::size_t i = 0; i < truth.size(); ++i) {
      if (!std::isnan(truth[i]) && connected[i]) {  // a disconnected cell is no network
        all.push_back({static_cast<int>(i), acc[i], truth[i]});
      }
    }
    out.push_back({"true front (table)", "#888888", false, objectives::non_dominated(all)});
    out.push_back(
        {"found front, true latency", "#1f77b4", false, objectives::non_dominated(seen_true)});
  }
  out.push_back({run.spec.source == "predicted" ? "found front, predicted latency"
                                                : "found front, measured latency",
                 "#ff7f0e", true, objectives::non_dominated(seen)});
  return out;
}

std::string figure(const std::string& heading, const std::string& note, const Plot& plot) {
  return "<h2>" + xml_escape(heading) + "</h2>\n<p>" + xml_escape(note) + "</p>\n<figure>" +
         render_svg(plot) + "</figure>\n";
}

}  // namespace

namespace {

// Every (index, predicted, measured) pair the result document holds: the checks, the answer and
// the front members measured after the search (a live device, where nothing else is known).
void measured_pairs(const nlohmann::json& result, std::vector<int>& index,
                    std::vector<double>& predicted, std::vector<double>& measured) {
  std::set<int> seen;
  const auto take = [&](const nlohmann::json& e) {
    if (e.is_object() && e.contains("predicted_latency_ms") && e.contains("measured_latency_ms") &&
        e["predicted_latency_ms"].is_number() && e["measured_latency_ms"].is_number() &&
        seen.insert(e["index"].get<int>()).second) {
      index.push_back(e["index"].get<int>());
      predicted.push_back(e["predicted_latency_ms"].get<double>());
      measured.push_back(e["measured_latency_ms"].get<double>());
    }
  };
  for (const char* part : {"verification", "front_refinement"}) {
    if (result.contains(part)) {
      for (const auto& c : result[part]["checks"]) {
        take(c);
      }
    }
  }
  take(result.value("best", nlohmann::json()));
  for (const auto& f : result.value("front", nlohmann::json::array())) {
    take(f);
  }
}

// The predictor's scatter and the true latencies (NaN where unknown) of every architecture.
Plot predictor_scatter(const RunFiles& run, const tables::Catalog& catalog,
                       const predictor::FeatureCache& features, std::vector<double>& truth,
                       std::string& note) {
  std::vector<int> index;
  std::vector<double> predicted;
  std::vector<double> measured;
  truth.assign(static_cast<std::size_t>(catalog.index().size()), std::nan(""));
  if (runs::is_live_device_name(run.spec.device)) {
    measured_pairs(run.result, index, predicted, measured);
    note = "A live device: the architectures measured during and after the run.";
  } else {
    const runs::Prepared p = runs::prepare(run.spec, catalog, features);
    truth = p.true_latency_ms;
    const auto& source = p.problem.source().latency_ms;
    for (std::size_t i = 0; i < truth.size(); ++i) {
      if (!std::isnan(truth[i]) && catalog.index().cell(static_cast<int>(i)).connected) {
        index.push_back(static_cast<int>(i));
        predicted.push_back(source[i]);
        measured.push_back(truth[i]);
      }
    }
    note =
        "The predictor adapted again from the run's spec (the same seed gives the same "
        "predictions), against the shipped table's latency of every connected architecture.";
    if (index.empty()) {
      measured_pairs(run.result, index, predicted, measured);
      note = "No table knows this device: the architectures measured for the run.";
    }
  }
  return scatter_plot("predicted vs measured latency: " + run.spec.device, index, predicted,
                      measured);
}

}  // namespace

std::string run_report_html(const std::filesystem::path& run_dir, const tables::Catalog& catalog,
                            const predictor::FeatureCache& features) {
  const RunFiles run = read_run(run_dir);
  std::vector<double> truth;
  std::string scatter_note;
  const Plot scatter = predictor_scatter(run, catalog, features, truth, scatter_note);
  const auto acc = objectives::accuracies(catalog.archs(), space::parse_dataset(run.spec.dataset),
                                          run.spec.accuracy_choice());
  const std::string metric = run.result.value("accuracy_metric", std::string("accuracy"));
  std::vector<bool> connected;
  connected.reserve(static_cast<std::size_t>(catalog.index().size()));
  for (int i = 0; i < catalog.index().size(); ++i) {
    connected.push_back(catalog.index().cell(i).connected);
  }
  std::size_t queries = 0;
  for (const auto& r : run.history) {
    queries += r.new_query && !r.low_fidelity ? 1 : 0;
  }
  const BuildInfo& b = build_info();
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>maplex "
       << xml_escape(run.spec.command + ": " + run.spec.device) << "</title>\n<style>"
       << "body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
       << "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px "
          "8px;text-align:left;font-size:13px}th{background:#f4f4f4}figure{margin:0}"
       << "pre{background:#f8f8f8;padding:8px;font-size:12px;overflow:auto}</style></head><body>\n"
       << "<h1>maplex " << xml_escape(run.spec.command) << " on " << xml_escape(run.spec.device)
       << "</h1>\n<p>Run directory " << xml_escape(run_dir.string()) << "; maplex "
       << xml_escape(b.version) << " (" << xml_escape(b.git_commit) << "), data "
       << xml_escape(catalog.dir().string()) << ".</p>\n<h2>Answer</h2>\n"
       << answer_table(run.result) << "<h2>What the run spent</h2>\n"
       << table({{"accuracy queries", run.result["spent"].value("accuracy_queries", 0)},
                 {"device measurements", run.result["spent"].value("device_measurements", 0)},
                 {"stopped by", run.result["spent"].value("stopped_by", std::string())}})
       << figure("Search history",
                 std::to_string(queries) + " full-fidelity queries among " +
                     std::to_string(run.history.size()) + " evaluations (history.csv).",
                 history_plot("history: " + run.spec.device, run.history))
       << figure("Front", "Non-dominated queried architectures against the true front.",
                 front_plot("front: " + run.spec.device, metric + " (%)",
                            fronts(run, acc, truth, connected)))
       << figure("Predictor", scatter_note, scatter) << "<h2>Configuration</h2>\n<pre>"
       << xml_escape(runs::spec_to_json(run.spec)) << "</pre>\n</body></html>\n";
  return html.str();
}

}  // namespace maplex::report
