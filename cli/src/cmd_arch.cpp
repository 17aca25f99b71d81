// maplex arch <index|string> [--device D]: everything known about one architecture.

#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/space/cell.hpp"

namespace maplex::cli {

namespace {

struct ArchReport {
  int index;
  space::Arch arch;
  int class_id;
  int class_size;
  int representative;
  space::CellInfo cell;
  const tables::ArchRecord* record;
  std::vector<std::pair<std::string, double>> latencies;  // device, ms (NaN = not measured)
};

std::string live_edges_text(const ArchReport& r) {
  std::string list;
  for (int e = 0; e < space::kNumEdges; ++e) {
    if (r.cell.live(e)) {
      list += (list.empty() ? "e" : ", e") + std::to_string(e);
    }
  }
  return std::to_string(r.cell.live_edges()) + " of 6" + (list.empty() ? "" : ": " + list);
}

void print_text(const ArchReport& r) {
  std::cout << "arch        " << r.arch.str() << '\n'
            << "index       " << r.index << '\n'
            << "class id    " << r.class_id << " (" << r.class_size
            << " isomorphic indices, representative " << r.representative << ")\n"
            << "connected   " << (r.cell.connected ? "yes" : "no") << '\n'
            << "live edges  " << live_edges_text(r) << "\n\n";
  std::printf("%-16s %12s %12s %12s\n", "dataset", "test_acc_%", "flops_M", "params_M");
  for (auto d : space::kAllDatasets) {
    const auto k = static_cast<std::size_t>(d);
    std::printf("%-16s %12s %12s %12s\n", std::string(space::dataset_name(d)).c_str(),
                num(r.record->test_acc[k]).c_str(), num(r.record->flops_m[k]).c_str(),
                num(r.record->params_m[k]).c_str());
  }
  std::printf("\n%-44s %12s\n", "device", "latency_ms");
  for (const auto& [device, ms] : r.latencies) {
    std::printf("%-44s %12s\n", device.c_str(), num_or_dash(ms).c_str());
  }
  std::fflush(stdout);
}

nlohmann::json to_json(const ArchReport& r) {
  nlohmann::json live = nlohmann::json::array();
  for (int e = 0; e < space::kNumEdges; ++e) {
    if (r.cell.live(e)) {
      live.push_back(e);
    }
  }
  nlohmann::json datasets = nlohmann::json::object();
  for (auto d : space::kAllDatasets) {
    const auto k = static_cast<std::size_t>(d);
    datasets[std::string(space::dataset_name(d))] = {{"test_acc", r.record->test_acc[k]},
                                                     {"flops_m", r.record->flops_m[k]},
                                                     {"params_m", r.record->params_m[k]}};
  }
  nlohmann::json latency = nlohmann::json::object();
  for (const auto& [device, ms] : r.latencies) {
    latency[device] = json_or_null(ms);
  }
  nlohmann::json edges = nlohmann::json::array();
  for (space::Op op : r.arch.edges()) {
    edges.push_back(space::op_name(op));
  }
  return {{"index", r.index},
          {"arch_str", r.arch.str()},
          {"edges", edges},
          {"class_id", r.class_id},
          {"class_size", r.class_size},
          {"class_representative", r.representative},
          {"connected", r.cell.connected},
          {"live_edges", live},
          {"datasets", datasets},
          {"latency_ms", latency}};
}

}  // namespace

int run_arch(int argc, char** argv) {
  auto options = make_options("arch", "Show one NB201 architecture, named by index or string");
  options.add_options()("arch", "NB201 index (0..15624) or canonical string",
                        cxxopts::value<std::string>())(
      "device", "Show the latency on this device only", cxxopts::value<std::string>());
  options.parse_positional({"arch"});
  options.positional_help("<index|arch_str>");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  if (args->count("arch") == 0U) {
    throw UsageError(
        "missing architecture, expected an NB201 index or arch string (see maplex "
        "arch --help)");
  }
  const tables::Catalog catalog = load_catalog(*args);
  const auto& index = catalog.index();
  ArchReport r{};
  r.index = index.resolve((*args)["arch"].as<std::string>());
  r.arch = index.arch(r.index);
  r.class_id = index.class_id(r.index);
  r.class_size = index.class_size(r.class_id);
  r.representative = index.class_representative(r.class_id);
  r.cell = index.cell(r.index);
  r.record = &catalog.archs().at(r.index);
  if (args->count("device") != 0U) {
    const std::string device = (*args)["device"].as<std::string>();
    r.latencies.emplace_back(device, catalog.latencies(device)[static_cast<std::size_t>(r.index)]);
  } else {
    for (const auto& d : catalog.devices()) {
      r.latencies.emplace_back(d.key, catalog.latencies(d.key)[static_cast<std::size_t>(r.index)]);
    }
  }
  if (args->count("json") != 0U) {
    auto doc = json_envelope("arch", catalog);
    doc["arch"] = to_json(r);
    std::cout << doc.dump(2) << '\n';
  } else {
    print_text(r);
  }
  return 0;
}

}  // namespace maplex::cli
