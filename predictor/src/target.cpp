#include "maplex/predictor/target.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "maplex/core/error.hpp"
#include "maplex/predictor/plan.hpp"
#include "maplex/tables/devices.hpp"
#include "maplex/tables/measurements.hpp"

namespace maplex::predictor {

namespace {

Target from_file(const tables::Catalog& catalog, const std::string& path,
                 const std::string& device) {
  const auto set = tables::load_measurements(path, catalog.index());
  const auto devices = set.devices();
  std::string pick = device;
  if (pick.empty()) {
    if (devices.size() > 1) {
      throw InputError(path + ": measurements of " + std::to_string(devices.size()) +
                       " devices, expected one (choose with --device)");
    }
    pick = devices.front();
  } else if (set.has_device_column &&
             std::find(devices.begin(), devices.end(), pick) == devices.end()) {
    throw InputError(path + ": no measurements for device " + quote(pick) +
                     ", expected one of the file's devices");
  }
  Target t;
  t.name = pick.empty() ? std::filesystem::path(path).stem().string() : pick;
  t.source = path;
  for (const auto& m : set.rows) {
    if (!set.has_device_column || m.device == pick) {
      t.adaptation.archs.push_back(m.index);
      t.adaptation.latency_ms.push_back(m.latency_ms);
    }
  }
  if (catalog.has_device(t.name)) {
    t.adaptation.spec = spec_of(catalog.device(t.name));
  }
  return t;
}

}  // namespace

Target make_target(const tables::Catalog& catalog, const std::string& device,
                   const std::string& measurements_path, const PoolOptions& pool, int count) {
  if (!measurements_path.empty()) {
    return from_file(catalog, measurements_path, device);
  }
  const auto& spec = catalog.device(device);
  const auto table = [&](int index) {
    const double ms = catalog.latencies(device)[static_cast<std::size_t>(index)];
    if (std::isnan(ms)) {
      throw InputError("device " + quote(device) + " has no latency for planned architecture " +
                       std::to_string(index) + ", expected a measured table entry");
    }
    return ms;
  };
  Target t = make_measured_target(catalog, device, "table " + spec.data_file, pool, count, table,
                                  spec_of(spec), {});
  t.simulated = true;
  return t;
}

Target make_measured_target(const tables::Catalog& catalog, const std::string& name,
                            const std::string& source, const PoolOptions& pool, int count,
                            const std::function<double(int)>& measure, const SpecVector& spec,
                            std::vector<double> lut_ms) {
  const auto plan =
      plan_adaptation(build_pool(catalog, name, pool), catalog.index(), count, pool.seed);
  Target t;
  t.name = name;
  t.source = source;
  t.adaptation.spec = spec;
  t.adaptation.lut_ms = std::move(lut_ms);
  for (const auto& p : plan) {
    t.adaptation.archs.push_back(p.index);
    t.adaptation.latency_ms.push_back(measure(p.index));
  }
  return t;
}

bool state_dead_ops(Target& target, const std::string& dead_ops) {
  if (dead_ops.empty()) {
    return false;
  }
  if (dead_ops == "table") {
    if (!target.adaptation.spec || target.adaptation.spec->dead_ops.empty()) {
      throw InputError("dead ops 'table' for " + quote(target.name) +
                       ", whose runtime's handling is not known (devices.csv, a local runtime or "
                       "a device file's dead_ops); expected runs or prunes");
    }
    return true;
  }
  if (!tables::is_dead_ops_handling(dead_ops)) {
    throw InputError("dead ops " + quote(dead_ops) +
                     ", expected runs (the runtime executes ops on no input-output path), prunes "
                     "(it removes them) or table (what devices.csv, a local runtime or a device "
                     "file says)");
  }
  if (!target.adaptation.spec) {
    target.adaptation.spec = SpecVector{};
  }
  target.adaptation.spec->dead_ops = dead_ops;
  return true;
}

}  // namespace maplex::predictor
