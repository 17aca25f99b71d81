#pragma once
// What a measurement must carry to be trusted: the machine and the engine it ran on.

#include <string>

namespace maplex::measure {

struct Host {
  std::string hostname;
  std::string cpu_model;  // /proc/cpuinfo "model name", or "unknown"
  int logical_cpus = 0;
  std::string onednn_version;  // major.minor.patch of the linked library
};

Host read_host();

// Threads oneDNN may use for one inference (its OpenMP runtime). Throws std::invalid_argument
// for threads < 1.
void set_threads(int threads);

}  // namespace maplex::measure
