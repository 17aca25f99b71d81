// maplex devices: the shipped devices and their latency statistics.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/predictor/pool.hpp"

namespace maplex::cli {

namespace {

nlohmann::json spec_json(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

int run_devices(int argc, char** argv) {
  auto options = make_options("devices", "List the shipped devices with latency statistics");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  const tables::Catalog catalog = load_catalog(*args);
  const bool json = args->count("json") != 0U;
  nlohmann::json list = nlohmann::json::array();
  if (!json) {
    std::printf("%-43s %-25s %-15s %-16s %-8s %-40s %6s %9s %9s %9s %6s\n", "device", "source",
                "category", "family", "dead_ops", "hardware", "count", "min_ms", "median_ms",
                "max_ms", "disc.");
  }
  for (const tables::DeviceSpec& d : catalog.devices()) {
    const tables::LatencyStats s = tables::latency_stats(catalog.latencies(d.key), catalog.index());
    if (json) {
      list.push_back({{"device", d.key},
                      {"source", d.source},
                      {"category", d.category},
                      {"family", predictor::device_family(d)},
                      {"dead_ops", d.dead_ops},
                      {"hardware", d.hardware},
                      {"data_file", d.data_file},
                      {"batch_size", spec_json(d.batch_size)},
                      {"cores", spec_json(d.cores)},
                      {"max_clock_mhz", spec_json(d.max_clock_mhz)},
                      {"tdp_w", spec_json(d.tdp_w)},
                      {"latency_count", s.count},
                      {"disconnected_with_latency", s.disconnected},
                      {"latency_min_ms", s.min},
                      {"latency_median_ms", s.median},
                      {"latency_max_ms", s.max}});
    } else {
      std::printf("%-43s %-25s %-15s %-16s %-8s %-40s %6d %9.4g %9.4g %9.4g %6d\n", d.key.c_str(),
                  d.source.substr(0, 25).c_str(), d.category.c_str(),
                  predictor::device_family(d).c_str(), d.dead_ops.c_str(),
                  d.hardware.substr(0, 40).c_str(), s.count, s.min, s.median, s.max,
                  s.disconnected);
    }
  }
  if (!json) {
    std::printf(
        "\ncount, min, median, max: over the connected cells; disc.: disconnected cells (they "
        "output zeros) with a latency in the table, left out of the statistics; family: what "
        "--hold-out family and evaluate --protocol family hold out; dead_ops: whether the "
        "runtime runs or prunes ops on no input-output path (--dead-ops table)\n");
  }
  if (json) {
    auto doc = json_envelope("devices", catalog);
    doc["devices"] = list;
    doc["statistics_over"] = "connected cells (disconnected ones output zeros)";
    std::cout << doc.dump(2) << '\n';
  }
  return 0;
}

}  // namespace maplex::cli
