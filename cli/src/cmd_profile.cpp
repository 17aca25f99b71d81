// maplex profile: this machine's hardware profile (system facts, performance counters during a
// fixed workload, convolution and memory micro-benchmarks) and its device fingerprint, kept in the
// measurement store.

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/measure/profile.hpp"
#include "maplex/measure/store.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

int run_profile(int argc, char** argv) {
  auto options = make_options(
      "profile", "Hardware profile of this machine: caches, clock, counters, micro-benchmarks");
  options.add_options()("runs", "Inferences of the characterisation workload under the counters",
                        cxxopts::value<int>()->default_value("30"))(
      "no-hardware-counters",
      "Do not use hardware counters (what happens on a kernel without them)")(
      "store", "SQLite store to keep the profile in (default $MAPLEX_STORE or ~/.cache/maplex)",
      cxxopts::value<std::string>()->default_value(""))(
      "seed", "Seed of the workload's weights",
      cxxopts::value<std::uint64_t>()->default_value("0"));
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  measure::ProfileOptions po;
  po.runs = int_option(*args, "runs", 1);
  po.force_fallback = args->count("no-hardware-counters") != 0U;
  po.seed = (*args)["seed"].as<std::uint64_t>();
  const std::string store_path = (*args)["store"].as<std::string>();
  measure::Store store(store_path.empty() ? measure::default_store_path()
                                          : std::filesystem::path(store_path));
  const measure::Profile p = measure::profile_machine(po);
  if (!p.hardware_counters) {
    std::fprintf(stderr,
                 "profile: %s; using software events and micro-benchmarks as the descriptor\n",
                 p.counters_note.c_str());
  }
  const std::string json = measure::profile_to_json(p);
  store.put_profile(p.fingerprint, json);
  if (args->count("json") != 0U) {
    // The command's envelope (schema, build and data context) around the stored profile.
    auto doc = json_envelope("profile", load_catalog(*args));
    doc["profile"] = nlohmann::json::parse(json);
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  const auto& h = p.host;
  std::printf("device local: %s, fingerprint %s\n", h.hostname.c_str(), p.fingerprint.c_str());
  std::printf("cpu          %s, %d logical CPUs, %.0f MHz (%s)\n", h.cpu_model.c_str(),
              h.logical_cpus, h.max_clock_mhz, h.clock_source.c_str());
  for (const auto& c : h.caches) {
    std::printf("cache        L%d %-12s %lld KiB\n", c.level, c.type.c_str(),
                static_cast<long long>(c.bytes / 1024));
  }
  std::printf("memory       %.1f GiB, kernel %s, oneDNN %s\n",
              static_cast<double>(h.memory_bytes) / (1024.0 * 1024 * 1024), h.kernel.c_str(),
              h.onednn_version.c_str());
  std::printf("counters     %s per inference of %s\n",
              p.hardware_counters ? "hardware and software" : "software only", p.workload.c_str());
  for (const auto& c : p.counters) {
    std::printf("  %-22s %14.4g%s\n", c.name.c_str(), c.per_inference,
                c.name == "task-clock" ? " ns" : "");
  }
  if (p.hardware_counters && !p.counters_note.empty()) {
    std::printf("  (%s)\n", p.counters_note.c_str());
  }
  std::printf("conv 3x3     %.2f / %.2f / %.2f GFLOP/s at stages 1/2/3 (1 thread)\n",
              p.conv_gflops[0], p.conv_gflops[1], p.conv_gflops[2]);
  std::printf("memory copy  %.2f GB/s\n", p.memory_gbps);
  std::printf("kept in      %s\n", store.path().string().c_str());
  return 0;
}

}  // namespace maplex::cli
