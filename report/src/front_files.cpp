#include "maplex/report/front_files.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "maplex/core/error.hpp"
#include "maplex/core/output.hpp"
#include "maplex/objectives/pareto.hpp"
#include "maplex/report/figures.hpp"
#include "maplex/runs/judge.hpp"

namespace maplex::report {

void write_front_csv(const std::string& path, const std::string& result_json) {
  auto context = nlohmann::json::parse(result_json);
  const nlohmann::json front = context["front"];
  const auto schema = context["schema_version"];
  context.erase("front");
  context.erase("schema_version");
  std::ostringstream out;
  out << "# maplex pareto front schema_version=" << schema.dump() << '\n'
      << "# " << context.dump() << '\n'
      << "index,arch_str,accuracy,latency_ms,true_latency_ms,measured_latency_ms,latency_log_sd\n";
  for (const auto& f : front) {
    const bool predicted = f.contains("predicted_latency_ms");
    out << f["index"].get<int>() << ',' << f["arch_str"].get<std::string>() << ','
        << num(f["accuracy"].get<double>()) << ','
        << num(f[predicted ? "predicted_latency_ms" : "measured_latency_ms"].get<double>()) << ','
        << (f["true_latency_ms"].is_null() ? "" : num(f["true_latency_ms"].get<double>())) << ','
        << (predicted && f.contains("measured_latency_ms")
                ? num(f["measured_latency_ms"].get<double>())
                : "")
        << ',' << (f.contains("latency_log_sd") ? num(f["latency_log_sd"].get<double>()) : "")
        << '\n';
  }
  write_text_file(path, out.str());
}

void write_front_plot(const std::string& path, const runs::RunSpec& spec,
                      const runs::Prepared& prepared, const tables::Catalog& catalog,
                      const runs::RunResult& result) {
  const runs::FrontJudgement j = runs::judge_front(spec, prepared, catalog, result);
  std::vector<FrontSeries> series;
  if (!j.true_front.empty()) {
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
  const auto metric = nlohmann::json::parse(result.result_json)["accuracy_metric"];
  write_svg(path, front_plot("maplex pareto: " + prepared.target.name + " (" + spec.dataset + ")",
                             metric.get<std::string>() + " (%)", series));
}

void write_front_files(const runs::RunSpec& spec, const runs::Prepared& prepared,
                       const tables::Catalog& catalog, const runs::RunResult& result) {
  if (!spec.front_csv.empty()) {
    write_front_csv(spec.front_csv, result.result_json);
  }
  if (!spec.front_plot.empty()) {
    write_front_plot(spec.front_plot, spec, prepared, catalog, result);
  }
}

}  // namespace maplex::report
