#include "maplex/measure/host.hpp"

#include <omp.h>
#include <unistd.h>

#include <dnnl.hpp>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace maplex::measure {

Host read_host() {
  Host h;
  char name[256] = {};
  h.hostname = ::gethostname(name, sizeof name - 1) == 0 ? name : "unknown";
  h.cpu_model = "unknown";
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        h.cpu_model = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      break;
    }
  }
  h.logical_cpus = static_cast<int>(std::thread::hardware_concurrency());
  const dnnl_version_t* v = dnnl_version();
  h.onednn_version =
      std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  return h;
}

void set_threads(int threads) {
  if (threads < 1) {
    throw std::invalid_argument("set_threads: expected at least 1 thread");
  }
  omp_set_num_threads(threads);
}

}  // namespace maplex::measure
