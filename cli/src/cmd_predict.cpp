// maplex predict: adapt a predictor to a device from a few measurements, predict all 15,625.

#include <array>
#include <charconv>
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
#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/devices/registry.hpp"
#include "maplex/predictor/adapt.hpp"
#include "maplex/predictor/metrics.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/predictor/target.hpp"
#include "maplex/report/figures.hpp"
#include "maplex/space/sampling.hpp"
#include "maplex/tables/measurements.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

namespace {

void write_predictions(const std::string& path, const predictor::Predictor& p,
                       const tables::Catalog& catalog, const nlohmann::json& context) {
  std::ofstream out(path);
  out << "# maplex predictions schema_version=" << kJsonSchemaVersion << '\n'
      << "# " << context.dump() << '\n'
      << "# log_sd: predictive standard deviation of log latency (the truth lies within "
         "latency_ms * exp(+-1.96 log_sd) with about 95% probability)\n"
      << "index,arch_str,latency_ms,log_sd\n";
  for (int i = 0; i < catalog.index().size(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    out << i << ',' << catalog.index().arch(i).str() << ',' << num(p.predictions()[k]) << ','
        << num(p.log_sd()[k]) << '\n';
  }
  if (!out) {
    throw InputError("--out " + quote(path) + ": cannot write, expected a writable file path");
  }
}

// Measured (or true) latencies of some architectures, to score and plot the prediction against.
struct Truth {
  std::vector<int> archs;
  std::vector<double> ms;
};

// Predicted vs measured on `truth` as the report's metrics.
nlohmann::json score(const predictor::Predictor& p, const Truth& truth) {
  std::vector<double> pred;
  pred.reserve(truth.archs.size());
  for (int a : truth.archs) {
    pred.push_back(p.predictions()[static_cast<std::size_t>(a)]);
  }
  const auto m = predictor::evaluate_predictions(pred, truth.ms);
  return {{"acc10", m.acc10},     {"acc5", m.acc5}, {"spearman", m.spearman},
          {"kendall", m.kendall}, {"mape", m.mape}, {"count", m.count}};
}

bool measured(const predictor::Target& target, int a) {
  const auto& archs = target.adaptation.archs;
  return std::find(archs.begin(), archs.end(), a) != archs.end();
}

// A shipped device's table knows the truth: every other architecture it has.
Truth table_truth(const predictor::Target& target, const tables::Catalog& catalog) {
  Truth truth;
  const auto column = catalog.latencies(target.name);
  for (int i = 0; i < catalog.index().size(); ++i) {
    const double t = column[static_cast<std::size_t>(i)];
    if (!std::isnan(t) && !measured(target, i)) {
      truth.archs.push_back(i);
      truth.ms.push_back(t);
    }
  }
  return truth;
}

// --check-against FILE: a measurement file's rows (of the target's device when the file names
// devices), the adaptation's own architectures left out (counted in `left_out`).
Truth file_truth(const predictor::Target& target, const std::string& path,
                 const tables::Catalog& catalog, int& left_out) {
  const auto set = tables::load_measurements(path, catalog.index());
  Truth truth;
  for (const auto& m : set.rows) {
    if (set.has_device_column && m.device != target.name) {
      continue;
    }
    if (measured(target, m.index)) {
      ++left_out;
      continue;
    }
    truth.archs.push_back(m.index);
    truth.ms.push_back(m.latency_ms);
  }
  if (truth.archs.empty()) {
    throw InputError("--check-against " + quote(path) + ": no measurements of " +
                     quote(target.name) +
                     " besides the adaptation's, expected rows to score the prediction on");
  }
  return truth;
}

// --device local --check N: further architectures measured now (drawn with the seed).
Truth add_live_checks(nlohmann::json& doc, const predictor::Predictor& p,
                      const predictor::Target& target, LocalSession& local, int n,
                      std::uint64_t seed, const tables::Catalog& catalog) {
  Rng rng(Rng::derive(seed, 3));
  Truth truth;
  nlohmann::json checks = nlohmann::json::array();
  std::set<int> seen(target.adaptation.archs.begin(), target.adaptation.archs.end());
  while (static_cast<int>(checks.size()) < n) {
    const int a = catalog.index().index_of(space::sample_connected(rng));
    if (!seen.insert(a).second) {
      continue;
    }
    truth.archs.push_back(a);
    truth.ms.push_back(local.device->measure(a).latency_ms);
    checks.push_back({{"index", a},
                      {"arch_str", catalog.index().arch(a).str()},
                      {"measured_ms", truth.ms.back()},
                      {"predicted_ms", p.predictions()[static_cast<std::size_t>(a)]}});
  }
  doc["target"]["description"] = local.live.description;
  doc["checks"] = checks;
  if (n > 0) {
    doc["against_measurements"] = score(p, truth);
  }
  return truth;
}

// --plot: predicted against the latencies the prediction was scored on (else the adaptation's).
void plot_scatter(const std::string& path, const predictor::Predictor& p,
                  const predictor::Target& target, const Truth& truth) {
  const Truth& shown =
      truth.archs.empty() ? Truth{target.adaptation.archs, target.adaptation.latency_ms} : truth;
  std::vector<double> predicted;
  for (int a : shown.archs) {
    predicted.push_back(p.predictions()[static_cast<std::size_t>(a)]);
  }
  report::write_svg(
      path, report::scatter_plot("maplex predict: " + target.name + " (" +
                                     std::string(predictor::method_name(p.config().method)) + ")",
                                 shown.archs, predicted, shown.ms));
}

void print_scores(const nlohmann::json& doc) {
  const auto line = [](const char* what, const nlohmann::json& t) {
    std::printf(
        "against %s: %d architectures, +-10%% %.3f, +-5%% %.3f, Spearman %.3f, MAPE %.2f%%\n", what,
        t["count"].get<int>(), t["acc10"].get<double>(), t["acc5"].get<double>(),
        t["spearman"].get<double>(), t["mape"].get<double>());
  };
  if (doc.contains("checks")) {
    for (const auto& c : doc["checks"]) {
      std::printf("  checked  %6d: %10.4f ms   predicted %10.4f ms  (%+.1f%%)\n",
                  c["index"].get<int>(), c["measured_ms"].get<double>(),
                  c["predicted_ms"].get<double>(),
                  100 * (c["predicted_ms"].get<double>() / c["measured_ms"].get<double>() - 1));
    }
  }
  if (doc.contains("against_measurements")) {
    line("new measurements", doc["against_measurements"]);
  }
  if (doc.contains("against_table")) {
    line("the table", doc["against_table"]);
  }
  if (doc.contains("against_file")) {
    line(doc["against_file"]["file"].get<std::string>().c_str(), doc["against_file"]);
  }
}

void print_predict(const nlohmann::json& doc, int size, double seconds) {
  const auto& t = doc["target"];
  const auto& m = t["measurements"];
  std::printf("predicted %d architectures on %s with %s from %zu measurements (%s) in %.2f s\n",
              size, t["device"].get<std::string>().c_str(),
              doc["config"]["method"].get<std::string>().c_str(), m.size(),
              t["simulated_from_table"].get<bool>() ? "simulated from the shipped table"
                                                    : t["source"].get<std::string>().c_str(),
              seconds);
  for (const auto& x : m) {
    std::printf("  measured %6d: %10.4f ms   predicted %10.4f ms\n", x["index"].get<int>(),
                x["latency_ms"].get<double>(), x["predicted_ms"].get<double>());
  }
  print_scores(doc);
}

// The report: the target and its measurements, the config, the fit and maplex's posterior.
nlohmann::json predict_document(const predictor::Predictor& p, const predictor::Target& target,
                                const predictor::Pool& pool, const predictor::PoolOptions& po,
                                const tables::Catalog& catalog, double fit, double seconds) {
  auto doc = json_envelope("predict", catalog);
  nlohmann::json measured = nlohmann::json::array();
  for (std::size_t k = 0; k < target.adaptation.archs.size(); ++k) {
    const int a = target.adaptation.archs[k];
    measured.push_back({{"index", a},
                        {"arch_str", catalog.index().arch(a).str()},
                        {"latency_ms", target.adaptation.latency_ms[k]},
                        {"predicted_ms", p.predictions()[static_cast<std::size_t>(a)]}});
  }
  doc["target"] = {{"device", target.name},
                   {"source", target.source},
                   {"simulated_from_table", target.simulated},
                   {"measurements", measured},
                   {"measurements_used", measured.size()}};
  doc["config"] = {{"method", predictor::method_name(p.config().method)},
                   {"seed", po.seed},
                   {"pool", pool.names()},
                   {"pool_samples", po.samples_per_device}};
  doc["fit_rms_log_error"] = fit;
  if (p.config().method == predictor::Method::maplex) {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& [label, weight] : p.report().top_members) {
      members.push_back({{"member", label}, {"weight", weight}});
    }
    doc["posterior"] = {{"log_sd_calibration", p.report().log_sd_scale},
                        {"posterior_weight", p.report().posterior_weight},
                        {"top_members", members}};
  }
  doc["seconds"] = seconds;
  return doc;
}

cxxopts::Options predict_options() {
  auto options = make_options("predict", "Predict every architecture's latency on a device");
  add_pool_options(options);
  options.add_options()("measurements", "Long-form CSV: arch,latency_ms[,device]",
                        cxxopts::value<std::string>())(
      "device",
      "Target device: with --measurements, the file's device to use; alone, a shipped "
      "device whose table simulates the planned measurements, or a live device (" +
          devices::live_device_list() + ": the planned architectures are measured)",
      cxxopts::value<std::string>()->default_value(""))(
      "method",
      "Latency predictor: " + predictor::method_list() +
          " (help needs its 10 reference architectures measured)",
      cxxopts::value<std::string>()->default_value("maplex"))(
      "count", "Architectures to measure when simulating with --device",
      cxxopts::value<int>()->default_value("3"))(
      "out", "Write index,arch_str,latency_ms,log_sd for all 15,625 architectures here",
      cxxopts::value<std::string>())(
      "plot",
      "Write an SVG of predicted against measured latency (log axes, +-10% band): "
      "the table's, --check-against's or the live checks' architectures",
      cxxopts::value<std::string>())(
      "check-against",
      "Score the prediction against this measurement CSV (arch,latency_ms[,device]; the "
      "adaptation's own architectures are left out)",
      cxxopts::value<std::string>())(
      "check",
      "A live device: measure this many further architectures (drawn with --seed) and show "
      "them predicted vs measured",
      cxxopts::value<int>()->default_value("10"));
  add_local_options(options, "measure-threads");
  options.add_options("local (this machine)")(
      "no-lut", "Do not measure the device's per-op latency table for the predictor");
  return options;
}

}  // namespace

int run_predict(int argc, char** argv) {
  auto options = predict_options();
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  const auto start = std::chrono::steady_clock::now();
  const std::string device = (*args)["device"].as<std::string>();
  if (args->count("measurements") == 0U && device.empty()) {
    throw UsageError("expected --measurements FILE or --device NAME (see maplex predict --help)");
  }
  if (args->count("out") == 0U && args->count("json") == 0U) {
    throw UsageError("expected --out FILE for the predictions (or --json for a summary)");
  }
  const auto method = predictor::parse_method((*args)["method"].as<std::string>());
  const tables::Catalog catalog = load_catalog(*args);
  const auto po = pool_options(*args);
  std::optional<LocalSession> local;
  if (runs::is_live_device_name(device) && args->count("measurements") == 0U) {
    runs::RunSpec spec;
    spec.device = device;
    spec.local = local_settings(*args, "measure-threads");
    spec.local.lut = args->count("no-lut") == 0U;
    local = open_session(spec, catalog, args->count("fresh") != 0U);
  }
  const predictor::Target target =
      local
          ? predictor::make_measured_target(catalog, device,
                                            "measured live (" + local->live.fingerprint + ")", po,
                                            int_option(*args, "count", 1), local->live.measure,
                                            local->live.spec, local->live.lut_ms)
          : predictor::make_target(
                catalog, device,
                args->count("measurements") != 0U ? (*args)["measurements"].as<std::string>() : "",
                po, int_option(*args, "count", 1));
  const auto features = predictor::FeatureCache::build(catalog.index());
  predictor::PredictorConfig cfg;
  cfg.method = method;
  cfg.seed = po.seed;
  const auto adapted = predictor::adapt(catalog, features, target.name, target.adaptation, po, cfg);
  const auto& p = adapted.predictor;
  const auto& pool = adapted.pool;
  const double fit = adapted.fit_rms;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto doc = predict_document(p, target, pool, po, catalog, fit, seconds);
  Truth truth;  // what the prediction is scored (and plotted) against
  if (target.simulated) {
    truth = table_truth(target, catalog);
    doc["against_table"] = score(p, truth);
  }
  if (args->count("check-against") != 0U) {
    const std::string path = (*args)["check-against"].as<std::string>();
    int left_out = 0;
    truth = file_truth(target, path, catalog, left_out);
    doc["against_file"] = score(p, truth);
    doc["against_file"]["file"] = path;
    doc["against_file"]["adaptation_rows_left_out"] = left_out;
  }
  if (local) {
    truth =
        add_live_checks(doc, p, target, *local, int_option(*args, "check", 0), po.seed, catalog);
  }
  if (args->count("plot") != 0U) {
    plot_scatter((*args)["plot"].as<std::string>(), p, target, truth);
  }
  if (args->count("out") != 0U) {
    nlohmann::json context = doc;
    context.erase("schema_version");
    write_predictions((*args)["out"].as<std::string>(), p, catalog, context);
  }
  if (args->count("json") != 0U) {
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  print_predict(doc, catalog.index().size(), seconds);
  if (args->count("out") != 0U) {
    std::printf("wrote %s\n", (*args)["out"].as<std::string>().c_str());
  }
  return 0;
}

}  // namespace maplex::cli
