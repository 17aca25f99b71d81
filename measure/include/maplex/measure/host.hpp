#pragma once
// What a measurement must carry to be trusted: the machine and the engine it ran on, and a
// fingerprint that names the machine in the measurement store and in run records.
#include <cstdint>
#include <string>
#include <vector>

namespace maplex::measure {

struct CacheLevel {
  int level = 0;
  std::string type;  // Data, Instruction, Unified
  std::int64_t bytes = 0;
};

struct Host {
  std::string hostname;
  std::string cpu_model;  // /proc/cpuinfo "model name", or "unknown"
  int logical_cpus = 0;
  // cpufreq's cpuinfo_max_freq when the kernel exposes it, else /proc/cpuinfo's "cpu MHz"; 0 when
  // neither does. clock_source says which.
  double max_clock_mhz = 0;
  std::string clock_source;
  std::vector<CacheLevel> caches;  // cpu0's caches (sysfs), smallest level first
  std::int64_t memory_bytes = 0;   // MemTotal
  std::string kernel;              // uname release
  std::string onednn_version;      // major.minor.patch of the linked library
};

Host read_host();

// What a device identity covers. `host`: this one machine (the host name is hashed in). `hardware`:
// any machine with the same CPU model, logical CPUs, caches, memory and oneDNN version, so the
// identical nodes of a cluster share one identity and one set of stored measurements.
enum class FingerprintScope { host, hardware };

// $MAPLEX_FINGERPRINT_SCOPE (host or hardware; `--fingerprint-scope` sets it), host when unset.
// Throws InputError naming any other value.
FingerprintScope fingerprint_scope();

// 16 hex digits naming the machine: a hash of the CPU model, logical CPUs, caches, memory and,
// with the host scope, the host name (not the clock, which a virtual machine reports as it
// pleases).
std::string device_fingerprint(const Host& host, FingerprintScope scope);
inline std::string device_fingerprint(const Host& host) {
  return device_fingerprint(host, fingerprint_scope());
}

// The current time in UTC, ISO 8601 ("2026-11-30T10:00:00Z"): when a measurement was taken.
std::string utc_now();

// Pins the calling thread to one logical CPU. Throws InputError naming the CPU when it does not
// exist or the kernel refuses.
void pin_to_cpu(int cpu);

// Threads oneDNN may use for one inference (its OpenMP runtime). Throws std::invalid_argument
// for threads < 1.
void set_threads(int threads);

}  // namespace maplex::measure
