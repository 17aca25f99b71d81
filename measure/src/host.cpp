#include "maplex/measure/host.hpp"

#include <omp.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <dnnl.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "maplex/core/error.hpp"
#include "maplex/core/hash.hpp"

namespace maplex::measure {

namespace {

std::string first_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The value after "key<spaces>:" of the first /proc-style line starting with `key`, or "".
std::string proc_value(const char* path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) {
        return "";
      }
      const auto start = line.find_first_not_of(" \t", colon + 1);
      return start == std::string::npos ? "" : line.substr(start);
    }
  }
  return "";
}

// "32K", "1024K", "16M" -> bytes; 0 when unreadable.
std::int64_t size_of(const std::string& text) {
  if (text.empty()) {
    return 0;
  }
  std::int64_t v = 0;
  std::size_t k = 0;
  while (k < text.size() && text[k] >= '0' && text[k] <= '9') {
    v = v * 10 + (text[k] - '0');
    ++k;
  }
  if (k < text.size() && text[k] == 'K') {
    v *= 1024;
  } else if (k < text.size() && text[k] == 'M') {
    v *= std::int64_t{1024} * 1024;
  }
  return v;
}

std::vector<CacheLevel> read_caches() {
  std::vector<CacheLevel> out;
  const std::filesystem::path root("/sys/devices/system/cpu/cpu0/cache");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    if (entry.path().filename().string().rfind("index", 0) != 0) {
      continue;
    }
    CacheLevel c;
    const std::string level = first_line(entry.path() / "level");
    c.level = level.empty() ? 0 : std::stoi(level);
    c.type = first_line(entry.path() / "type");
    c.bytes = size_of(first_line(entry.path() / "size"));
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const CacheLevel& a, const CacheLevel& b) {
    return a.level != b.level ? a.level < b.level : a.type < b.type;
  });
  return out;
}

}  // namespace

Host read_host() {
  Host h;
  char name[256] = {};
  h.hostname = ::gethostname(name, sizeof name - 1) == 0 ? name : "unknown";
  h.cpu_model = proc_value("/proc/cpuinfo", "model name");
  if (h.cpu_model.empty()) {
    h.cpu_model = "unknown";
  }
  h.logical_cpus = static_cast<int>(std::thread::hardware_concurrency());
  const std::string khz = first_line("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
  if (!khz.empty()) {
    h.max_clock_mhz = std::stod(khz) / 1000.0;
    h.clock_source = "cpufreq cpuinfo_max_freq";
  } else if (const std::string mhz = proc_value("/proc/cpuinfo", "cpu MHz"); !mhz.empty()) {
    h.max_clock_mhz = std::stod(mhz);
    h.clock_source = "/proc/cpuinfo cpu MHz (no cpufreq: the current clock)";
  } else {
    h.clock_source = "unknown";
  }
  h.caches = read_caches();
  h.memory_bytes = size_of(proc_value("/proc/meminfo", "MemTotal")) * 1024;
  struct utsname u {};
  h.kernel = ::uname(&u) == 0 ? u.release : "unknown";
  const dnnl_version_t* v = dnnl_version();
  h.onednn_version =
      std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  return h;
}

FingerprintScope fingerprint_scope() {
  const char* env = std::getenv("MAPLEX_FINGERPRINT_SCOPE");
  if (env == nullptr || *env == '\0' || std::string_view(env) == "host") {
    return FingerprintScope::host;
  }
  if (std::string_view(env) == "hardware") {
    return FingerprintScope::hardware;
  }
  throw InputError("fingerprint scope " + quote(env) + " is unknown, expected host or hardware");
}

std::string device_fingerprint(const Host& host, FingerprintScope scope) {
  std::string text =
      host.cpu_model + '|' + std::to_string(host.logical_cpus) + '|' +
      std::to_string(host.memory_bytes / (std::int64_t{1024} * 1024 * 256)) + '|' +
      (scope == FingerprintScope::host ? host.hostname : "hardware|" + host.onednn_version);
  for (const auto& c : host.caches) {
    text += '|' + std::to_string(c.level) + c.type + std::to_string(c.bytes);
  }
  const std::uint64_t h = fnv1a(text);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

void pin_to_cpu(int cpu) {
  const int n = static_cast<int>(std::thread::hardware_concurrency());
  cpu_set_t set;
  CPU_ZERO(&set);
  if (cpu >= 0 && cpu < n && cpu < CPU_SETSIZE) {
    CPU_SET(static_cast<std::size_t>(cpu), &set);
  }
  if (cpu < 0 || cpu >= n || ::sched_setaffinity(0, sizeof set, &set) != 0) {
    throw InputError("--pin-cpu " + std::to_string(cpu) + ", expected a CPU in 0.." +
                     std::to_string(n - 1) + " this process may run on");
  }
}

void set_threads(int threads) {
  if (threads < 1) {
    throw std::invalid_argument("set_threads: expected at least 1 thread");
  }
  omp_set_num_threads(threads);
}

}  // namespace maplex::measure
