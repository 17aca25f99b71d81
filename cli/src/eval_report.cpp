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
    {"95% interval coverage", &predictor::Metrics::coverage95, "%10.3f"},
};

void print_row(const char* label, const std::vector<double>& values, const char* format) {
  std::printf("%-24s", label);
  for (double v : values) {
    std::printf(format, v);
  }
  std::printf("\n");
}

// The mean's standard error over trials and each method's paired difference from the first.
void print_uncertainty(const predictor::Evaluation& e, const MetricColumn& metric) {
  if (e.options.trials < 2) {
    return;
  }
  std::vector<double> se;
  std::vector<double> diff;
  std::vector<double> diff_se;
  const predictor::Method first = e.options.methods.front();
  for (auto m : e.options.methods) {
    se.push_back(e.overall_se.at(m).*metric.field);
    diff.push_back(e.overall.at(m).*metric.field - e.overall.at(first).*metric.field);
    diff_se.push_back(e.difference_se.at(m).*metric.field);
  }
  print_row("  standard error", se, metric.format);
  if (e.options.methods.size() > 1) {
    print_row(("  minus " + std::string(predictor::method_name(first)).substr(0, 16)).c_str(), diff,
              metric.format);
    print_row("  its standard error", diff_se, metric.format);
  }
}

// Per group (family, task) means, and the geometric mean of the groups' Spearman.
void print_groups(const predictor::Evaluation& e) {
  if (e.groups.size() < 2) {
    return;
  }
  for (const MetricColumn& metric : {kMetrics[0], kMetrics[2], kMetrics[5]}) {
    std::printf("\n%s, mean per group\n%-24s", metric.title, "group");
    for (auto m : e.options.methods) {
      std::printf("%10s", std::string(predictor::method_name(m)).c_str());
    }
    std::printf("\n");
    for (const auto& [group, per_method] : e.groups) {
      std::vector<double> v;
      for (auto m : e.options.methods) {
        v.push_back(per_method.at(m).*metric.field);
      }
      print_row(group.c_str(), v, metric.format);
    }
  }
  std::vector<double> g;
  for (auto m : e.options.methods) {
    g.push_back(e.geomean_spearman.at(m));
  }
  print_row("geomean Spearman", g, "%10.3f");
}

}  // namespace

nlohmann::json metrics_json(const predictor::Metrics& m) {
  return {{"acc10", m.acc10},          {"acc5", m.acc5}, {"spearman", m.spearman},
          {"kendall", m.kendall},      {"mape", m.mape}, {"count", m.count},
          {"coverage95", m.coverage95}};
}

void print_evaluation(const predictor::Evaluation& e) {
  const auto& o = e.options;
  std::printf(
      "protocol %s: %d trials, %d measured architectures per target (%s), pool sample %d "
      "per device, seed %llu, %.1f s\n",
      o.protocol.c_str(), o.trials, o.adapt,
      o.select == predictor::AdaptSelect::plan ? "planned" : "random", o.pool_samples,
      static_cast<unsigned long long>(o.seed), e.seconds);
  for (const MetricColumn& metric : kMetrics) {
    std::printf("\n%s (mean over trials)\n%-24s", metric.title, "device");
    for (const auto& m : e.devices.front().methods) {
      std::printf("%10s", std::string(predictor::method_name(m.method)).c_str());
    }
    std::printf("%10s\n", o.noise_ceiling ? "ceiling" : "");
    for (const auto& d : e.devices) {
      std::printf("%-24s", d.device.substr(0, 24).c_str());
      for (const auto& m : d.methods) {
        std::printf(metric.format, m.mean.*metric.field);
      }
      if (d.ceiling) {
        std::printf(metric.format, (*d.ceiling).*metric.field);
      }
      std::printf("\n");
    }
    std::printf("%-24s", "mean");
    for (const auto& m : e.devices.front().methods) {
      std::printf(metric.format, e.overall.at(m.method).*metric.field);
    }
    if (e.overall_ceiling) {
      std::printf(metric.format, (*e.overall_ceiling).*metric.field);
    }
    std::printf("\n");
    print_uncertainty(e, metric);
  }
  print_groups(e);
  if (o.protocol == "help") {
    std::vector<double> v;
    for (auto m : o.methods) {
      v.push_back(e.overall_whole.at(m).spearman);
    }
    std::printf("\n");
    print_row("Spearman, whole space", v, "%10.3f");
  }
  std::printf("\nscored: %s\n", predictor::scored_description(o.protocol).c_str());
  if (o.noise_ceiling) {
    std::printf(
        "ceiling: the additive latency model fitted on %d architectures of the target itself, "
        "scored on the rest\n",
        o.ceiling_samples);
  }
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
                   {"dead_ops", o.predictor.use_dead_ops ? "table" : ""},
                   {"pool_samples", o.pool_samples},
                   {"scored", predictor::scored_description(o.protocol)},
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
          {"mean", metrics_json(m.mean)},
          {"std", metrics_json(m.std)},
          {"whole_space", metrics_json(m.whole)},
          {"trials", trials}};
    }
    nlohmann::json dev = {
        {"device", d.device}, {"group", d.group}, {"pool", d.pool}, {"methods", per_method}};
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
  nlohmann::json se = nlohmann::json::object();
  nlohmann::json diff_se = nlohmann::json::object();
  for (const auto& [m, metrics] : e.overall_se) {
    se[std::string(predictor::method_name(m))] = metrics_json(metrics);
    diff_se[std::string(predictor::method_name(m))] = metrics_json(e.difference_se.at(m));
  }
  // over trials (each a new pool sample and new measurements): sd of the per-trial means / sqrt(n)
  doc["mean_over_devices_standard_error"] = se;
  doc["difference_from_first_method_standard_error"] = diff_se;
  nlohmann::json whole = nlohmann::json::object();
  for (const auto& [m, metrics] : e.overall_whole) {
    whole[std::string(predictor::method_name(m))] = metrics_json(metrics);
  }
  doc["mean_over_devices_whole_space"] = whole;
  nlohmann::json groups = nlohmann::json::object();
  for (const auto& [group, per_method] : e.groups) {
    for (const auto& [m, metrics] : per_method) {
      groups[group][std::string(predictor::method_name(m))] = metrics_json(metrics);
    }
  }
  doc["mean_per_group"] = groups;
  nlohmann::json geo = nlohmann::json::object();
  for (const auto& [m, v] : e.geomean_spearman) {
    geo[std::string(predictor::method_name(m))] = v;
  }
  doc["geomean_spearman_over_groups"] = geo;
  if (e.overall_ceiling) {
    doc["mean_noise_ceiling"] = metrics_json(*e.overall_ceiling);
  }
  doc["seconds"] = e.seconds;
  return doc;
}

}  // namespace maplex::cli
