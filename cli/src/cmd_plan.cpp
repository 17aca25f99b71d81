// maplex plan: which architectures to measure on a new device.

#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "live_device.hpp"
#include "maplex/devices/registry.hpp"
#include "maplex/predictor/plan.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

int run_plan(int argc, char** argv) {
  auto options = make_options("plan", "The architectures to measure on a new device");
  add_pool_options(options);
  add_hold_out_option(options);
  options.add_options()("count", "How many architectures",
                        cxxopts::value<int>()->default_value("3"))(
      "device",
      "The target, when it is a shipped device (kept out of its own pool), or a live device (" +
          devices::live_device_list() + ": the planned architectures are measured now)",
      cxxopts::value<std::string>()->default_value(""));
  add_local_options(options, "measure-threads");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  const tables::Catalog catalog = load_catalog(*args);
  const std::string device = (*args)["device"].as<std::string>();
  const bool is_local = runs::is_live_device_name(device);
  if (!device.empty() && !is_local) {
    catalog.device(device);  // an unknown target is an error, not a silent empty name
  }
  const int count = int_option(*args, "count", 1);
  const auto pool = predictor::build_pool(catalog, device, pool_options(*args));
  const auto plan = predictor::plan_adaptation(pool, catalog.index(), count, seed_of(*args));
  std::vector<double> measured;
  std::string description;
  if (is_local) {
    auto local = open_live(
        device, local_options(local_settings(*args, "measure-threads"), args->count("fresh") != 0U),
        catalog);
    for (const auto& p : plan) {
      measured.push_back(local->measure(p.index).latency_ms);
    }
    description = local->description();
  }
  if (args->count("json") != 0U) {
    auto doc = json_envelope("plan", catalog);
    nlohmann::json archs = nlohmann::json::array();
    for (const auto& p : plan) {
      archs.push_back({{"index", p.index},
                       {"arch_str", catalog.index().arch(p.index).str()},
                       {"neighbourhood", p.neighbourhood.members},
                       {"neighbourhood_bound", p.neighbourhood.bound}});
      if (is_local) {
        archs.back()["measured_latency_ms"] = measured[archs.size() - 1];
      }
    }
    if (is_local) {
      doc["device_description"] = description;
    }
    doc["architectures"] = archs;
    doc["config"] = {{"count", count},
                     {"seed", seed_of(*args)},
                     {"target", device},
                     {"pool", pool.names()},
                     {"pool_samples", (*args)["pool-samples"].as<int>()},
                     {"pool_hold_out", (*args)["hold-out"].as<std::string>()}};
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  std::printf("measure these %d architectures on the target (seed %llu, pool of %zu devices):\n",
              count, static_cast<unsigned long long>(seed_of(*args)), pool.devices.size());
  for (std::size_t k = 0; k < plan.size(); ++k) {
    const auto& p = plan[k];
    std::printf("%6d  %s  (neighbourhood of %zu within %.1f%%)", p.index,
                catalog.index().arch(p.index).str().c_str(), p.neighbourhood.members.size(),
                100 * p.neighbourhood.bound);
    if (is_local) {
      std::printf("  measured %.4g ms", measured[k]);
    }
    std::printf("\n");
  }
  if (is_local) {
    std::printf("%s\n", description.c_str());
  }
  return 0;
}

}  // namespace maplex::cli
