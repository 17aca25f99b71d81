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
#include "eval_report.hpp"
#include "live_device.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/devices/registry.hpp"
#include "maplex/predictor/adapt.hpp"
#include "maplex/predictor/check.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/predictor/target.hpp"
#include "maplex/report/prediction_files.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

namespace {

// --device local --check N: the further architectures measured now, as the report's "checks".
nlohmann::json checks_json(const predictor::Predictor& p, const predictor::CheckSet& checks,
                           const space::ArchIndex& index) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t k = 0; k < checks.archs.size(); ++k) {
    const int a = checks.archs[k];
    out.push_back({{"index", a},
                   {"arch_str", index.arch(a).str()},
                   {"measured_ms", checks.ms[k]},
                   {"predicted_ms", p.predictions()[static_cast<std::size_t>(a)]}});
  }
  return out;
}

void print_scores(const nlohmann::json& doc) {
  const auto line = [](const char* what, const nlohmann::json& t) {
    std::printf(
        "against %s: %d architectures, +-10%% %.3f, +-5%% %.3f, Spearman %.3f, MAPE %.2f%%, "
        "inside the 95%% interval %.3f\n",
        what, t["count"].get<int>(), t["acc10"].get<double>(), t["acc5"].get<double>(),
        t["spearman"].get<double>(), t["mape"].get<double>(), t["coverage95"].get<double>());
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
  doc["target"] = {
      {"device", target.name},
      {"source", target.source},
      {"simulated_from_table", target.simulated},
      {"measurements", measured},
      {"measurements_used", measured.size()},
      {"dead_ops",
       p.config().use_dead_ops && target.adaptation.spec ? target.adaptation.spec->dead_ops : ""}};
  doc["config"] = {{"method", predictor::method_name(p.config().method)},
                   {"seed", po.seed},
                   {"pool", pool.names()},
                   {"pool_samples", po.samples_per_device},
                   {"pool_hold_out", predictor::hold_out_name(po.hold_out_family)}};
  doc["fit_rms_log_error"] = fit;
  if (!p.report().top_members.empty()) {  // maplex and maplex-posterior
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
  add_hold_out_option(options);
  add_dead_ops_option(options);
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

// Scores the prediction against the shipped table, --check-against's file and the live checks
// (in the report); returns the last of them, the one to plot.
predictor::CheckSet add_checks(nlohmann::json& doc, const cxxopts::ParseResult& args,
                               const predictor::Predictor& p, const predictor::Target& target,
                               std::optional<LocalSession>& local, const tables::Catalog& catalog,
                               std::uint64_t seed) {
  predictor::CheckSet checks;
  if (target.simulated) {
    checks = predictor::table_checks(target, catalog);
    doc["against_table"] = metrics_json(predictor::score_checks(p, checks));
  }
  if (args.count("check-against") != 0U) {
    const std::string path = args["check-against"].as<std::string>();
    checks = predictor::file_checks(target, path, catalog);
    doc["against_file"] = metrics_json(predictor::score_checks(p, checks));
    doc["against_file"]["file"] = path;
    doc["against_file"]["adaptation_rows_left_out"] = checks.adaptation_rows_left_out;
  }
  if (local) {
    const auto measure = [&](int a) { return local->device->measure(a).latency_ms; };
    checks = predictor::live_checks(target, int_option(args, "check", 0), seed, catalog.index(),
                                    measure);
    doc["target"]["description"] = local->live.description;
    doc["checks"] = checks_json(p, checks, catalog.index());
    if (checks.archs.size() >= 2) {
      doc["against_measurements"] = metrics_json(predictor::score_checks(p, checks));
    }
  }
  return checks;
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
  predictor::Target target =
      local
          ? predictor::make_measured_target(catalog, device,
                                            "measured live (" + local->live.fingerprint + ")", po,
                                            int_option(*args, "count", 1), local->live.measure,
                                            local->live.spec, local->live.lut_ms)
          : predictor::make_target(
                catalog, device,
                args->count("measurements") != 0U ? (*args)["measurements"].as<std::string>() : "",
                po, int_option(*args, "count", 1));
  const bool dead_ops = predictor::state_dead_ops(target, (*args)["dead-ops"].as<std::string>());
  const auto features = predictor::FeatureCache::build(catalog.index());
  predictor::PredictorConfig cfg;
  cfg.method = method;
  cfg.seed = po.seed;
  cfg.use_dead_ops = dead_ops;
  const auto adapted = predictor::adapt(catalog, features, target.name, target.adaptation, po, cfg);
  const auto& p = adapted.predictor;
  const auto& pool = adapted.pool;
  const double fit = adapted.fit_rms;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto doc = predict_document(p, target, pool, po, catalog, fit, seconds);
  const predictor::CheckSet checks = add_checks(doc, *args, p, target, local, catalog, po.seed);
  if (args->count("plot") != 0U) {
    report::write_prediction_plot((*args)["plot"].as<std::string>(), p, target, checks);
  }
  if (args->count("out") != 0U) {
    nlohmann::json context = doc;
    context.erase("schema_version");
    report::write_predictions_csv((*args)["out"].as<std::string>(), p, catalog.index(),
                                  kJsonSchemaVersion, context.dump());
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
