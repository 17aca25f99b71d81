#include "maplex/measure/profile.hpp"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>

#include "maplex/core/error.hpp"
#include "maplex/core/json_integer.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/measure/engine.hpp"
#include "maplex/measure/local.hpp"
#include "maplex/measure/timing.hpp"

namespace maplex::measure {

namespace {

struct EventSpec {
  const char* name;
  std::uint32_t type;
  std::uint64_t config;
};

constexpr std::uint64_t cache_event(std::uint64_t cache, std::uint64_t op, std::uint64_t result) {
  return cache | (op << 8U) | (result << 16U);
}

// MAPLE's counter set.
constexpr EventSpec kHardware[] = {
    {"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    {"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
    {"cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES},
    {"cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
    {"L1-dcache-loads", PERF_TYPE_HW_CACHE,
     cache_event(PERF_COUNT_HW_CACHE_L1D, PERF_COUNT_HW_CACHE_OP_READ,
                 PERF_COUNT_HW_CACHE_RESULT_ACCESS)},
    {"L1-dcache-load-misses", PERF_TYPE_HW_CACHE,
     cache_event(PERF_COUNT_HW_CACHE_L1D, PERF_COUNT_HW_CACHE_OP_READ,
                 PERF_COUNT_HW_CACHE_RESULT_MISS)},
    {"LLC-loads", PERF_TYPE_HW_CACHE,
     cache_event(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_READ,
                 PERF_COUNT_HW_CACHE_RESULT_ACCESS)},
    {"LLC-load-misses", PERF_TYPE_HW_CACHE,
     cache_event(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_READ,
                 PERF_COUNT_HW_CACHE_RESULT_MISS)},
    {"LLC-stores", PERF_TYPE_HW_CACHE,
     cache_event(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_WRITE,
                 PERF_COUNT_HW_CACHE_RESULT_ACCESS)},
    {"LLC-store-misses", PERF_TYPE_HW_CACHE,
     cache_event(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_WRITE,
                 PERF_COUNT_HW_CACHE_RESULT_MISS)},
};

constexpr EventSpec kSoftware[] = {
    {"task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
    {"page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS},
    {"context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES},
    {"cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS},
};

// One open counter on the calling thread (user space only), closed on scope exit.
class Counter {
 public:
  // Opens the event; errno_value() is the error when it could not.
  explicit Counter(const EventSpec& spec) {
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = spec.type;
    attr.config = spec.config;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    fd_ = static_cast<int>(::syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
    error_ = fd_ < 0 ? errno : 0;
  }
  ~Counter() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;
  Counter(Counter&& o) noexcept : fd_(o.fd_), error_(o.error_) { o.fd_ = -1; }
  Counter& operator=(Counter&&) = delete;

  bool open() const { return fd_ >= 0; }
  int error() const { return error_; }
  void start() const {
    ::ioctl(fd_, PERF_EVENT_IOC_RESET, 0);
    ::ioctl(fd_, PERF_EVENT_IOC_ENABLE, 0);
  }
  void stop() const { ::ioctl(fd_, PERF_EVENT_IOC_DISABLE, 0); }
  // The count, scaled up when the kernel multiplexed the counter; nothing when unreadable.
  std::optional<double> value() const {
    std::uint64_t v[3] = {};
    if (::read(fd_, v, sizeof v) != static_cast<ssize_t>(sizeof v) || v[2] == 0) {
      return std::nullopt;
    }
    return static_cast<double>(v[0]) * static_cast<double>(v[1]) / static_cast<double>(v[2]);
  }

 private:
  int fd_ = -1;
  int error_ = 0;
};

double seconds_of(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Convolution throughput at stage `stage`: a chain of 3x3 ReLU-convs, median of timed runs.
double conv_gflops(int stage, std::uint64_t seed) {
  constexpr int kCopies = 10;
  Engine chain = Engine::op_chain(LutOp::conv3x3, stage, kCopies, seed);
  const double c = kStageChannels[static_cast<std::size_t>(stage)];
  const double s = kStageSize[static_cast<std::size_t>(stage)];
  const double flops = kCopies * 2.0 * c * c * 9.0 * s * s;
  for (int k = 0; k < 5; ++k) {
    chain.run();
  }
  std::vector<double> t;
  t.reserve(31);
  for (int k = 0; k < 31; ++k) {
    t.push_back(seconds_of([&] { chain.run(); }));
  }
  return flops / median_of(t) / 1e9;
}

// Copy bandwidth (bytes read + written per second) over 64 MiB buffers.
double memory_gbps() {
  constexpr std::size_t kBytes = std::size_t{64} << 20U;
  std::vector<char> a(kBytes, 1);
  std::vector<char> b(kBytes, 0);
  std::vector<double> t;
  t.reserve(7);
  for (int k = 0; k < 7; ++k) {
    t.push_back(seconds_of([&] { std::memcpy(b.data(), a.data(), kBytes); }));
    a[static_cast<std::size_t>(k)] = b[kBytes - 1 - static_cast<std::size_t>(k)];
  }
  return 2.0 * static_cast<double>(kBytes) / median_of(t) / 1e9;
}

}  // namespace

Profile profile_machine(const ProfileOptions& options) {
  Profile p;
  p.host = read_host();
  p.fingerprint = device_fingerprint(p.host);
  p.measured_at = utc_now();
  p.workload_runs = options.runs;
  p.workload = std::string("NB201 reference network ") + kReferenceArch +
               ", batch 1, fp32, 1 thread, " + std::to_string(options.runs) + " inferences";
  set_threads(1);
  Engine workload(make_weights(space::Arch::parse(kReferenceArch), Rng::derive(options.seed, 1)));
  for (int k = 0; k < 3; ++k) {
    workload.run();
  }
  std::vector<std::pair<const EventSpec*, Counter>> counters;
  if (options.force_fallback) {
    p.counters_note = "hardware counters not used (fallback forced)";
  } else {
    for (const auto& e : kHardware) {
      Counter c(e);
      if (!c.open()) {
        if (counters.empty()) {  // the first one fails: the kernel exposes none
          p.counters_note = std::string("no hardware counters: perf_event_open(") + e.name +
                            ") failed with " + std::strerror(c.error());
          break;
        }
        p.counters_note += std::string(p.counters_note.empty() ? "" : "; ") + e.name +
                           " unavailable (" + std::strerror(c.error()) + ")";
        continue;
      }
      counters.emplace_back(&e, std::move(c));
    }
  }
  p.hardware_counters = !counters.empty();
  for (const auto& e : kSoftware) {
    Counter c(e);
    if (c.open()) {
      counters.emplace_back(&e, std::move(c));
    }
  }
  for (const auto& [spec, c] : counters) {
    c.start();
  }
  for (int k = 0; k < options.runs; ++k) {
    workload.run();
  }
  for (const auto& [spec, c] : counters) {
    c.stop();
  }
  for (const auto& [spec, c] : counters) {
    if (const auto v = c.value()) {
      p.counters.push_back(
          {spec->name, spec->type != PERF_TYPE_SOFTWARE, *v / std::max(1, options.runs)});
    }
  }
  for (int s = 0; s < 3; ++s) {
    p.conv_gflops[static_cast<std::size_t>(s)] =
        conv_gflops(s, Rng::derive(options.seed, 7 + static_cast<std::uint64_t>(s)));
  }
  p.memory_gbps = memory_gbps();
  return p;
}

std::string profile_to_json(const Profile& p) {
  nlohmann::json caches = nlohmann::json::array();
  for (const auto& c : p.host.caches) {
    caches.push_back({{"level", c.level}, {"type", c.type}, {"bytes", c.bytes}});
  }
  nlohmann::json counters = nlohmann::json::array();
  for (const auto& c : p.counters) {
    counters.push_back(
        {{"name", c.name}, {"hardware", c.hardware}, {"per_inference", c.per_inference}});
  }
  const nlohmann::json doc = {{"schema_version", kProfileSchemaVersion},
                              {"fingerprint", p.fingerprint},
                              {"measured_at", p.measured_at},
                              {"host",
                               {{"hostname", p.host.hostname},
                                {"cpu_model", p.host.cpu_model},
                                {"logical_cpus", p.host.logical_cpus},
                                {"max_clock_mhz", p.host.max_clock_mhz},
                                {"clock_source", p.host.clock_source},
                                {"memory_bytes", p.host.memory_bytes},
                                {"kernel", p.host.kernel},
                                {"onednn_version", p.host.onednn_version},
                                {"caches", caches}}},
                              {"hardware_counters", p.hardware_counters},
                              {"counters_note", p.counters_note},
                              {"workload", p.workload},
                              {"workload_runs", p.workload_runs},
                              {"counters", counters},
                              {"conv_gflops_by_stage", p.conv_gflops},
                              {"memory_gbps", p.memory_gbps}};
  return doc.dump(2);
}

Profile profile_from_json(const std::string& text) {
  try {
    const auto doc = nlohmann::json::parse(text);
    if (json_integer<int>(doc.at("schema_version")) != kProfileSchemaVersion) {
      throw InputError("profile schema version " + doc.at("schema_version").dump() + ", expected " +
                       std::to_string(kProfileSchemaVersion));
    }
    Profile p;
    p.fingerprint = doc.at("fingerprint").get<std::string>();
    p.measured_at = doc.at("measured_at").get<std::string>();
    const auto& h = doc.at("host");
    p.host.hostname = h.at("hostname").get<std::string>();
    p.host.cpu_model = h.at("cpu_model").get<std::string>();
    p.host.logical_cpus = json_integer<int>(h.at("logical_cpus"));
    p.host.max_clock_mhz = h.at("max_clock_mhz").get<double>();
    p.host.clock_source = h.at("clock_source").get<std::string>();
    p.host.memory_bytes = json_integer<std::int64_t>(h.at("memory_bytes"));
    p.host.kernel = h.at("kernel").get<std::string>();
    p.host.onednn_version = h.at("onednn_version").get<std::string>();
    for (const auto& c : h.at("caches")) {
      p.host.caches.push_back({json_integer<int>(c.at("level")), c.at("type").get<std::string>(),
                               json_integer<std::int64_t>(c.at("bytes"))});
    }
    p.hardware_counters = doc.at("hardware_counters").get<bool>();
    p.counters_note = doc.at("counters_note").get<std::string>();
    p.workload = doc.at("workload").get<std::string>();
    p.workload_runs = json_integer<int>(doc.at("workload_runs"));
    for (const auto& c : doc.at("counters")) {
      p.counters.push_back({c.at("name").get<std::string>(), c.at("hardware").get<bool>(),
                            c.at("per_inference").get<double>()});
    }
    p.conv_gflops = doc.at("conv_gflops_by_stage").get<std::array<double, 3>>();
    p.memory_gbps = doc.at("memory_gbps").get<double>();
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("stored profile: ") + e.what() +
                     ", expected a maplex profile document");
  }
}

}  // namespace maplex::measure
