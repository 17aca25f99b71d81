#pragma once
// A hardware profile of this machine: what the system reports (host.hpp), hardware performance
// counters read with perf_event_open during a fixed characterisation workload (MAPLE's counter
// set), and short micro-benchmarks (convolution throughput at the three stage shapes, memory
// bandwidth). Where the kernel exposes no hardware counters (a virtual machine answers ENOENT) the
// profile says so and carries software events instead; it never fails for want of counters.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "maplex/measure/host.hpp"

namespace maplex::measure {

inline constexpr int kProfileSchemaVersion = 1;

struct CounterReading {
  std::string name;          // perf's name: cycles, instructions, L1-dcache-loads, task-clock, ...
  bool hardware = false;     // a hardware (or hardware cache) event
  double per_inference = 0;  // count per inference of the workload (task-clock: ns)
};

struct Profile {
  Host host;
  std::string fingerprint;
  bool hardware_counters = false;
  std::string counters_note;  // why there are none (the error perf_event_open gave), or ""
  std::vector<CounterReading> counters;
  std::string workload;  // what the counters measured
  int workload_runs = 0;
  std::array<double, 3> conv_gflops{};  // 3x3 ReLU-conv at each stage's shape, 1 thread
  double memory_gbps = 0;               // copy bandwidth over 64 MiB (read + write)
  std::string measured_at;
};

struct ProfileOptions {
  bool force_fallback = false;  // behave as if the kernel had no hardware counters
  int runs = 30;                // workload inferences under the counters
  std::uint64_t seed = 0;
};

Profile profile_machine(const ProfileOptions& options = {});

// The profile as JSON text (with schema_version) and back; parse throws InputError for a document
// that is not a maplex profile.
std::string profile_to_json(const Profile& profile);
Profile profile_from_json(const std::string& text);

}  // namespace maplex::measure
