#include "live_device.hpp"

#include <unistd.h>

#include <cstdio>

#include "maplex/core/error.hpp"
#include "maplex/devices/registry.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

void add_local_options(cxxopts::Options& options, const std::string& threads_option) {
  options.add_options("local (this machine)")(
      "store", "SQLite store of every measurement (default $MAPLEX_STORE or ~/.cache/maplex)",
      cxxopts::value<std::string>()->default_value(""))(
      "fresh", "Measure again what the store already holds (the new values replace the old)")(
      "repeats", "Timed (network, reference) run pairs per measurement",
      cxxopts::value<int>()->default_value("15"))("warmup", "Untimed runs of each network first",
                                                  cxxopts::value<int>()->default_value("3"))(
      threads_option, "oneDNN threads per inference", cxxopts::value<int>()->default_value("1"))(
      "pin-cpu", "Pin the measuring thread to this CPU (with 1 thread; -1 = no pinning)",
      cxxopts::value<int>()->default_value("-1"));
}

runs::RunSpec::Local local_settings(const cxxopts::ParseResult& args,
                                    const std::string& threads_option) {
  runs::RunSpec::Local s;
  s.threads = int_option(args, threads_option, 1);
  s.repeats = int_option(args, "repeats", 1);
  s.warmup = int_option(args, "warmup", 0);
  s.store = args["store"].as<std::string>();
  s.pin_cpu = args["pin-cpu"].as<int>();
  return s;
}

measure::LocalOptions local_options(const runs::RunSpec::Local& settings, bool fresh) {
  measure::LocalOptions o;
  o.threads = settings.threads;
  o.repeats = settings.repeats;
  o.warmup = settings.warmup;
  o.fresh = fresh;
  o.pin_cpu = settings.pin_cpu;
  if (!settings.store.empty()) {
    o.store = settings.store;
  }
  return o;
}

std::unique_ptr<measure::Device> open_live(const std::string& name,
                                           const measure::LocalOptions& options,
                                           const tables::Catalog& catalog) {
  auto device = devices::open_device(name, options, catalog.index());
  if (::isatty(STDERR_FILENO) != 0) {
    device->on_measured = [](const measure::Measurement& m) {
      std::fprintf(stderr, "\rmeasured architecture %d: %.4g ms   ", m.index, m.latency_ms);
    };
  }
  return device;
}

runs::LiveDevice live_device(measure::Device& device, const tables::Catalog& catalog,
                             bool with_lut) {
  runs::LiveDevice live;
  live.name = device.name();
  live.fingerprint = device.fingerprint();
  live.description = device.description();
  const measure::DeviceFacts facts = device.facts();
  if (facts.cores > 0) {
    live.spec.cores = facts.cores;
  }
  if (facts.max_clock_mhz > 0) {
    live.spec.max_clock_mhz = facts.max_clock_mhz;
  }
  live.spec.batch_size = 1;
  live.measure = [&device](int index) { return device.measure(index).latency_ms; };
  if (with_lut) {
    if (const auto lut = device.lut()) {
      const auto& index = catalog.index();
      live.lut_ms.resize(static_cast<std::size_t>(index.size()));
      for (int a = 0; a < index.size(); ++a) {
        live.lut_ms[static_cast<std::size_t>(a)] = lut->predict(index.arch(a));
      }
    }
  }
  return live;
}

std::optional<LocalSession> open_session(const runs::RunSpec& spec, const tables::Catalog& catalog,
                                         bool fresh) {
  if (!runs::is_live_device_name(spec.device)) {
    return std::nullopt;
  }
  LocalSession s;
  s.device = open_live(spec.device, local_options(spec.local, fresh), catalog);
  s.live = live_device(*s.device, catalog, spec.local.lut && spec.source != "live");
  s.live.name = spec.device;  // as the user named it (cmd:FILE)
  return s;
}

}  // namespace maplex::cli
