// maplex devices: the shipped devices and their latency statistics.

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

#include "commands.hpp"
#include "common.hpp"

namespace maplex::cli {

namespace {

struct Stats {
  int count = 0;
  double min = 0;
  double median = 0;
  double max = 0;
};

Stats stats(std::span<const double> column) {
  std::vector<double> v;
  for (double x : column) {
    if (!tables::LatencyTable::missing(x)) {
      v.push_back(x);
    }
  }
  Stats s;
  s.count = static_cast<int>(v.size());
  if (v.empty()) {
    return s;
  }
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  s.min = v.front();
  s.max = v.back();
  s.median = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  return s;
}

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
    std::printf("%-43s %-25s %-15s %-40s %6s %9s %9s %9s\n", "device", "source", "category",
                "hardware", "count", "min_ms", "median_ms", "max_ms");
  }
  for (const tables::DeviceSpec& d : catalog.devices()) {
    const Stats s = stats(catalog.latencies(d.key));
    if (json) {
      list.push_back({{"device", d.key},
                      {"source", d.source},
                      {"category", d.category},
                      {"hardware", d.hardware},
                      {"data_file", d.data_file},
                      {"batch_size", spec_json(d.batch_size)},
                      {"cores", spec_json(d.cores)},
                      {"max_clock_mhz", spec_json(d.max_clock_mhz)},
                      {"tdp_w", spec_json(d.tdp_w)},
                      {"latency_count", s.count},
                      {"latency_min_ms", s.min},
                      {"latency_median_ms", s.median},
                      {"latency_max_ms", s.max}});
    } else {
      std::printf("%-43s %-25s %-15s %-40s %6d %9.4g %9.4g %9.4g\n", d.key.c_str(),
                  d.source.substr(0, 25).c_str(), d.category.c_str(),
                  d.hardware.substr(0, 40).c_str(), s.count, s.min, s.median, s.max);
    }
  }
  if (json) {
    auto doc = json_envelope("devices", catalog);
    doc["devices"] = list;
    std::cout << doc.dump(2) << '\n';
  }
  return 0;
}

}  // namespace maplex::cli
