#include "maplex/predictor/pool.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"

namespace maplex::predictor {

SpecVector spec_of(const tables::DeviceSpec& device) {
  return {device.cores,      device.max_clock_mhz,  device.tdp_w,
          device.batch_size, device_family(device), device.dead_ops};
}

std::vector<std::string> Pool::names() const {
  std::vector<std::string> out;
  out.reserve(devices.size());
  for (const auto& d : devices) {
    out.push_back(d.name);
  }
  return out;
}

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kFamilies = {{
    {"desktop_gpu", "gpu"},
    {"desktop_cpu", "server_cpu"},
    {"mobile_phone", "mobile_cpu"},
    {"mobile_cpu", "mobile_cpu"},
    {"embedded_cpu", "mobile_cpu"},  // Raspberry Pi 4: ARM Cortex-A72 cores, as the phones
    {"mobile_gpu", "mobile_gpu"},
    {"mobile_dsp", "dsp"},
    {"embedded_tpu", "edge_accelerator"},
    {"asic_simulated", "edge_accelerator"},
    {"fpga_simulated", "edge_accelerator"},
    {"embedded_gpu", "embedded_gpu"},
}};

std::string family_of(const tables::Catalog& catalog, const std::string& target) {
  return catalog.has_device(target) ? device_family(catalog.device(target)) : "";
}

// A pool device that would leak the target's latencies: the target itself, its chip, or (when
// held out) its family.
void check_pool_device(const tables::Catalog& catalog, const std::string& target,
                       const std::string& name, bool hold_out_family) {
  if (name == target) {
    throw InputError("pool device " + quote(name) +
                     " is the target device, expected the target left out of its own pool");
  }
  if (!catalog.has_device(target) || !catalog.has_device(name)) {
    return;  // an unknown pool device is reported when its latencies are read
  }
  const std::string& hardware = catalog.device(target).hardware;
  if (!hardware.empty() && catalog.device(name).hardware == hardware) {
    throw InputError("pool device " + quote(name) + " shares hardware " + quote(hardware) +
                     " with the target " + quote(target) +
                     ", expected other chips (it would leak the target's latencies)");
  }
  const std::string family = family_of(catalog, target);
  if (hold_out_family && device_family(catalog.device(name)) == family) {
    throw InputError("pool device " + quote(name) + " is of the target " + quote(target) +
                     "'s family " + quote(family) +
                     ", expected devices of other families (the family is held out)");
  }
}

}  // namespace

bool parse_hold_out(const std::string& value, const std::string& what) {
  if (value != "hardware" && value != "family") {
    throw InputError(what + " " + quote(value) + ", expected hardware or family");
  }
  return value == "family";
}

const char* hold_out_name(bool hold_out_family) { return hold_out_family ? "family" : "hardware"; }

std::vector<std::string> default_pool(const tables::Catalog& catalog, const std::string& target,
                                      bool hold_out_family) {
  const std::string hardware = catalog.has_device(target) ? catalog.device(target).hardware : "";
  const std::string family = hold_out_family ? family_of(catalog, target) : "";
  std::vector<std::string> out;
  for (const auto& d : catalog.devices()) {
    if (d.key != target && (hardware.empty() || d.hardware != hardware) &&
        (family.empty() || device_family(d) != family)) {
      out.push_back(d.key);
    }
  }
  return out;
}

std::string device_family(const tables::DeviceSpec& device) {
  for (const auto& [category, family] : kFamilies) {
    if (category == device.category) {
      return std::string(family);
    }
  }
  return device.category;  // a category of its own
}

Pool build_pool(const tables::Catalog& catalog, const std::string& target,
                const PoolOptions& options) {
  if (options.hold_out_family && !catalog.has_device(target)) {
    throw InputError("holding out the family of target " + quote(target) +
                     " needs a shipped device (devices.csv gives its family), expected one of "
                     "`maplex devices`");
  }
  const std::vector<std::string> names =
      options.devices.empty() ? default_pool(catalog, target, options.hold_out_family)
                              : options.devices;
  if (names.empty()) {
    throw InputError("training pool for target " + quote(target) + " is empty after excluding " +
                     (options.hold_out_family ? "its family"
                                              : "the target and devices sharing "
                                                "its hardware") +
                     ", expected at least one training device");
  }
  std::vector<char> excluded(static_cast<std::size_t>(space::kNumArchs), 0);
  for (int a : options.exclude) {
    excluded[static_cast<std::size_t>(a)] = 1;
  }
  // Architectures known on every pool device and not excluded.
  std::vector<char> common(static_cast<std::size_t>(space::kNumArchs), 1);
  for (const std::string& name : names) {
    check_pool_device(catalog, target, name, options.hold_out_family);
    const auto column = catalog.latencies(name);  // throws for an unknown device
    for (std::size_t a = 0; a < column.size(); ++a) {
      if (std::isnan(column[a]) || excluded[a] != 0) {
        common[a] = 0;
      }
    }
  }
  std::vector<int> archs;
  for (int a = 0; a < space::kNumArchs; ++a) {
    if (common[static_cast<std::size_t>(a)] != 0) {
      archs.push_back(a);
    }
  }
  if (options.samples_per_device > 0 &&
      options.samples_per_device < static_cast<int>(archs.size())) {
    // Seeded partial Fisher-Yates: the same sample on every device.
    Rng rng(options.seed);
    const auto k = static_cast<std::size_t>(options.samples_per_device);
    for (std::size_t i = 0; i < k; ++i) {
      const auto j = i + static_cast<std::size_t>(rng.below(archs.size() - i));
      std::swap(archs[i], archs[j]);
    }
    archs.resize(k);
    std::sort(archs.begin(), archs.end());
  }
  if (archs.empty()) {
    throw InputError(
        "training pool has no architecture measured on every pool device, expected "
        "a common set of measured architectures");
  }
  Pool pool;
  for (const std::string& name : names) {
    const auto& spec = catalog.device(name);
    const auto column = catalog.latencies(name);
    DeviceSamples d{name, spec.hardware, device_family(spec), spec_of(spec), archs, {}};
    d.latency_ms.reserve(archs.size());
    for (int a : archs) {
      d.latency_ms.push_back(column[static_cast<std::size_t>(a)]);
    }
    pool.devices.push_back(std::move(d));
  }
  return pool;
}

}  // namespace maplex::predictor
