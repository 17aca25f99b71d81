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
#include "maplex/predictor/metrics.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/predictor/target.hpp"
#include "maplex/space/sampling.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

namespace {

// The shortest decimal that reads back as the same double (Python and the CLI agree bit for bit).
std::string exact(double v) {
  std::array<char, 32> buf{};
  const auto end = std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr;
  return {buf.data(), end};
}

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
    out << i << ',' << catalog.index().arch(i).str() << ',' << exact(p.predictions()[k]) << ','
        << exact(p.log_sd()[k]) << '\n';
  }
  if (!out) {
    throw InputError("--out " + quote(path) + ": cannot write, expected a writable file path");
  }
}

}  // namespace

int run_predict(int argc, char** argv) {
  auto options = make_options("predict", "Predict every architecture's latency on a device");
  add_pool_options(options);
  options.add_options()("measurements", "Long-form CSV: arch,latency_ms[,device]",
                        cxxopts::value<std::string>())(
      "device",
      "Target device: with --measurements, the file's device to use; alone, a shipped "
      "device whose table simulates the planned measurements, or local (this machine: the "
      "planned architectures are measured)",
      cxxopts::value<std::string>()->default_value(""))(
      "method",
      "Latency predictor: " + predictor::method_list() +
          " (help needs its 10 reference architectures measured)",
      cxxopts::value<std::string>()->default_value("maplex"))(
      "count", "Architectures to measure when simulating with --device",
      cxxopts::value<int>()->default_value("3"))(
      "out", "Write index,arch_str,latency_ms,log_sd for all 15,625 architectures here",
      cxxopts::value<std::string>())(
      "check",
      "--device local: measure this many further architectures (drawn with --seed) and show "
      "them predicted vs measured",
      cxxopts::value<int>()->default_value("10"));
  add_local_options(options, "measure-threads");
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
  auto po = pool_options(*args);
  const bool is_local = runs::is_live_device_name(device) && args->count("measurements") == 0U;
  std::optional<LocalSession> local;
  if (is_local) {
    runs::RunSpec spec;
    spec.device = device;
    spec.local = local_settings(*args, "measure-threads");
    local = open_session(spec, catalog, args->count("fresh") != 0U);
  }
  const predictor::Target target =
      is_local
          ? predictor::make_measured_target(catalog, device,
                                            "measured live (" + local->live.fingerprint + ")", po,
                                            int_option(*args, "count", 1), local->live.measure,
                                            local->live.spec, local->live.lut_ms)
          : predictor::make_target(
                catalog, device,
                args->count("measurements") != 0U ? (*args)["measurements"].as<std::string>() : "",
                po, int_option(*args, "count", 1));
  po.exclude = target.adaptation.archs;
  const auto pool = predictor::build_pool(catalog, target.name, po);
  const auto features = predictor::FeatureCache::build(catalog.index());
  predictor::PredictorConfig cfg;
  cfg.method = method;
  cfg.seed = po.seed;
  predictor::Predictor p(features, cfg);
  const double fit = p.train(pool, target.adaptation);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

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
  doc["config"] = {{"method", predictor::method_name(method)},
                   {"seed", po.seed},
                   {"pool", pool.names()},
                   {"pool_samples", po.samples_per_device}};
  doc["fit_rms_log_error"] = fit;
  if (method == predictor::Method::maplex) {
    nlohmann::json members = nlohmann::json::array();
    for (const auto& [label, weight] : p.report().top_members) {
      members.push_back({{"member", label}, {"weight", weight}});
    }
    doc["posterior"] = {{"log_sd_calibration", p.report().log_sd_scale}, {"top_members", members}};
  }
  doc["seconds"] = seconds;
  if (target.simulated) {
    // The table knows the truth: score the prediction on every other architecture.
    std::vector<double> pred;
    std::vector<double> truth;
    const auto column = catalog.latencies(target.name);
    for (int i = 0; i < catalog.index().size(); ++i) {
      const double t = column[static_cast<std::size_t>(i)];
      if (!std::isnan(t) &&
          std::find(target.adaptation.archs.begin(), target.adaptation.archs.end(), i) ==
              target.adaptation.archs.end()) {
        pred.push_back(p.predictions()[static_cast<std::size_t>(i)]);
        truth.push_back(t);
      }
    }
    const auto m = predictor::evaluate_predictions(pred, truth);
    doc["against_table"] = {{"acc10", m.acc10},     {"acc5", m.acc5}, {"spearman", m.spearman},
                            {"kendall", m.kendall}, {"mape", m.mape}, {"count", m.count}};
  }
  if (local) {
    // Further architectures measured now: the prediction checked against this machine.
    Rng rng(Rng::derive(po.seed, 3));
    std::vector<double> pred;
    std::vector<double> truth;
    nlohmann::json checks = nlohmann::json::array();
    const int n = int_option(*args, "check", 0);
    std::set<int> seen(target.adaptation.archs.begin(), target.adaptation.archs.end());
    while (static_cast<int>(checks.size()) < n) {
      const int a = catalog.index().index_of(space::sample_connected(rng));
      if (!seen.insert(a).second) {
        continue;
      }
      const double ms = local->device->measure(a).latency_ms;
      pred.push_back(p.predictions()[static_cast<std::size_t>(a)]);
      truth.push_back(ms);
      checks.push_back({{"index", a},
                        {"arch_str", catalog.index().arch(a).str()},
                        {"measured_ms", ms},
                        {"predicted_ms", pred.back()}});
    }
    doc["target"]["description"] = local->live.description;
    doc["checks"] = checks;
    if (n > 0) {
      const auto m = predictor::evaluate_predictions(pred, truth);
      doc["against_measurements"] = {{"acc10", m.acc10},
                                     {"acc5", m.acc5},
                                     {"spearman", m.spearman},
                                     {"mape", m.mape},
                                     {"count", m.count}};
    }
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
  std::printf("predicted %d architectures on %s with %s from %zu measurements (%s) in %.2f s\n",
              catalog.index().size(), target.name.c_str(),
              std::string(predictor::method_name(method)).c_str(), measured.size(),
              target.simulated ? "simulated from the shipped table" : target.source.c_str(),
              seconds);
  for (const auto& m : measured) {
    std::printf("  measured %6d: %10.4f ms   predicted %10.4f ms\n", m["index"].get<int>(),
                m["latency_ms"].get<double>(), m["predicted_ms"].get<double>());
  }
  if (doc.contains("checks")) {
    for (const auto& c : doc["checks"]) {
      std::printf("  checked  %6d: %10.4f ms   predicted %10.4f ms  (%+.1f%%)\n",
                  c["index"].get<int>(), c["measured_ms"].get<double>(),
                  c["predicted_ms"].get<double>(),
                  100 * (c["predicted_ms"].get<double>() / c["measured_ms"].get<double>() - 1));
    }
  }
  if (doc.contains("against_measurements")) {
    const auto& t = doc["against_measurements"];
    std::printf("against %d new measurements: +-10%% %.3f, +-5%% %.3f, MAPE %.2f%%\n",
                t["count"].get<int>(), t["acc10"].get<double>(), t["acc5"].get<double>(),
                t["mape"].get<double>());
  }
  if (doc.contains("against_table")) {
    const auto& t = doc["against_table"];
    std::printf("against the table: +-10%% %.3f, +-5%% %.3f, Spearman %.3f, MAPE %.2f%%\n",
                t["acc10"].get<double>(), t["acc5"].get<double>(), t["spearman"].get<double>(),
                t["mape"].get<double>());
  }
  if (args->count("out") != 0U) {
    std::printf("wrote %s\n", (*args)["out"].as<std::string>().c_str());
  }
  return 0;
}

}  // namespace maplex::cli
