#pragma once
// The training pool: devices with known latencies on (some of) the NB201 architectures, and the
// target's few measurements. Built from the shipped tables or from a user's own files.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "maplex/tables/catalog.hpp"

namespace maplex::predictor {

// Public specs of a device (cores, max clock MHz, TDP W), the batch size it was measured at and
// its family (device_family); empty where unknown.
struct SpecVector {
  std::optional<double> cores;
  std::optional<double> max_clock_mhz;
  std::optional<double> tdp_w;
  std::optional<double> batch_size;
  std::string family;
  // Whether its runtime runs or prunes dead ops (tables::DeviceSpec::dead_ops); "" = unknown.
  std::string dead_ops{};
};

SpecVector spec_of(const tables::DeviceSpec& device);

// A device's family (the family protocol holds one out; maplex calibrates its spread that way):
// gpu, server_cpu, mobile_cpu, mobile_gpu, dsp, edge_accelerator, embedded_gpu, from its
// category (an unknown category is a family of its own).
std::string device_family(const tables::DeviceSpec& device);

// One device's known latencies.
struct DeviceSamples {
  std::string name;
  std::string hardware;  // devices sharing it are the same chip
  std::string family;    // device_family; empty when unknown (a user's own device)
  SpecVector spec;
  std::vector<int> archs;  // NB201 indices, ascending
  std::vector<double> latency_ms;
};

struct Pool {
  std::vector<DeviceSamples> devices;
  std::vector<std::string> names() const;
};

struct PoolOptions {
  // Devices to train on; empty = every shipped device except the target and those sharing its
  // hardware (and, with hold_out_family, those of its family).
  std::vector<std::string> devices;
  // Hold the target's whole family out of the pool (device_family), as the family protocol does:
  // how a device unlike every pool device fares. Needs a shipped target.
  bool hold_out_family = false;
  // Architectures per device: the same random sample on every device (drawn from the
  // architectures all pool devices have measured); 0 = every known architecture.
  int samples_per_device = 0;
  std::uint64_t seed = 0;
  // Architectures never put in the pool (e.g. the target's test set is not; the target's own
  // measurements never are).
  std::vector<int> exclude;
};

// "hardware" or "family" (PoolOptions::hold_out_family) as its flag; throws InputError
// "<what> '<value>', expected hardware or family" for anything else.
bool parse_hold_out(const std::string& value, const std::string& what);
// The flag's name, as parse_hold_out reads it.
const char* hold_out_name(bool hold_out_family);

// The default pool: every catalog device except `target` and those sharing its hardware and,
// with hold_out_family, those of its family (the family protocol's pools).
std::vector<std::string> default_pool(const tables::Catalog& catalog, const std::string& target,
                                      bool hold_out_family);

// The pool for `target` (which may be "" or a device not in the catalog). Throws InputError for an
// unknown pool device, a pool device that is the target or shares its hardware (or, with
// hold_out_family, its family), a family hold-out for a target not in the catalog, or an empty
// pool.
Pool build_pool(const tables::Catalog& catalog, const std::string& target,
                const PoolOptions& options);

// The target's measurements: architectures and latencies (ms), at least one.
struct Adaptation {
  std::vector<int> archs;
  std::vector<double> latency_ms;
  std::optional<SpecVector> spec;  // target specs, when known
  // The target's own layer-wise latency table by NB201 index (ms), when it was measured on the
  // device (`local`): the lut method and MAPLE-X's virtual examples use it instead of the pool's
  // tables, and maplex adds it as one more member (not mixed with pool devices). Empty = none.
  std::vector<double> lut_ms;
};

}  // namespace maplex::predictor
