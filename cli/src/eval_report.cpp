#include "eval_report.hpp"

#include <cstdio>
#include <string>

#include "common.hpp"

namespace maplex::cli {

namespace {

struct MetricColumn {
  const char* title;
  double predictor::Metrics::*field;
  const char* format;
};

constexpr MetricColumn kMetrics[] = {
    {"+-10% error-bound accuracy", &predictor::Metrics::acc10, "%10.3f"},
    {"+-5% error-bound accuracy", &predictor::Metrics::acc5, "%10.3f"},
    {"Spearman rank correlation", &predictor::Metrics::spearman, "%10.3f"},
    {"Kendall tau-b", &predictor::Metrics::kendall, "%10.3f"},
    {"MAPE (%)", &predictor::Metrics::mape, "%10.2f"},
};

nlohmann::json metrics_json(const predictor::Metrics& m) {
  return {{"acc10", m.acc10},     {"acc5", m.acc5}, {"spearman", m.spearman},
          {"kendall", m.kendall}, {"mape", m.mape}, {"count", m.count}};
}

}  // namespace

void print_evaluation(const predictor::Evaluation& e) {
  const auto& o = e.options;
  std::printf(
      "protocol %s: %d trials, %d measured architectures per target (%s), pool sample %d "
      "per device, seed %llu, %.1f s\n",
      o.protocol.c_str(), o.trials, o.adapt,
      o.select == predictor::AdaptSelect::plan ? "planned" : "random", o.pool_samples,
      static_cast<unsigned long long>(o.seed), e.seconds);
  for (const MetricColumn& metric : kMetrics) {
    std::printf("\n%s (mean over trials)\n%-16s", metric.title, "device");
    for (const auto& m : e.devices.front().methods) {
      std::printf("%10s", std::string(predictor::method_name(m.method)).c_str());
    }
    std::printf("%10s\n", o.noise_ceiling ? "ceiling" : "");
    for (const auto& d : e.devices) {
      std::printf("%-16s", d.device.substr(0, 16).c_str());
      for (const auto& m : d.methods) {
        std::printf(metric.format, m.mean.*metric.field);
      }
      if (d.ceiling) {
        std::printf(metric.format, (*d.ceiling).*metric.field);
      }
      std::printf("\n");
    }
    std::printf("%-16s", "mean");
    for (const auto& m : e.devices.front().methods) {
      std::printf(metric.format, e.overall.at(m.method).*metric.field);
    }
    if (e.overall_ceiling) {
      std::printf(metric.format, (*e.overall_ceiling).*metric.field);
    }
    std::printf("\n");
  }
  std::printf(
      "\nceiling: the additive latency model fitted on %d architectures of the target "
      "itself, scored on the rest\n",
      o.ceiling_samples);
  std::fflush(stdout);
}

nlohmann::json evaluation_json(const predictor::Evaluation& e, const tables::Catalog& catalog,
                               int threads) {
  const auto& o = e.options;
  nlohmann::json doc = json_envelope("evaluate", catalog);
  nlohmann::json methods = nlohmann::json::array();
  for (auto m : o.methods) {
    methods.push_back(predictor::method_name(m));
  }
  doc["config"] = {{"protocol", o.protocol},
                   {"methods", methods},
                   {"adapt", o.adapt},
                   {"trials", o.trials},
                   {"select", o.select == predictor::AdaptSelect::plan ? "plan" : "random"},
                   {"pool_samples", o.pool_samples},
                   {"seed", o.seed},
                   {"threads", threads},
                   {"ceiling_samples", o.noise_ceiling ? o.ceiling_samples : 0}};
  nlohmann::json devices = nlohmann::json::array();
  for (const auto& d : e.devices) {
    nlohmann::json per_method = nlohmann::json::object();
    for (const auto& m : d.methods) {
      nlohmann::json trials = nlohmann::json::array();
      for (const auto& t : m.trials) {
        trials.push_back(metrics_json(t));
      }
      per_method[std::string(predictor::method_name(m.method))] = {
          {"mean", metrics_json(m.mean)}, {"std", metrics_json(m.std)}, {"trials", trials}};
    }
    nlohmann::json dev = {{"device", d.device}, {"pool", d.pool}, {"methods", per_method}};
    if (d.ceiling) {
      dev["noise_ceiling"] = metrics_json(*d.ceiling);
    }
    devices.push_back(std::move(dev));
  }
  doc["devices"] = std::move(devices);
  nlohmann::json overall = nlohmann::json::object();
  for (const auto& [m, metrics] : e.overall) {
    overall[std::string(predictor::method_name(m))] = metrics_json(metrics);
  }
  doc["mean_over_devices"] = overall;
  if (e.overall_ceiling) {
    doc["mean_noise_ceiling"] = metrics_json(*e.overall_ceiling);
  }
  doc["seconds"] = e.seconds;
  return doc;
}

}  // namespace maplex::cli
