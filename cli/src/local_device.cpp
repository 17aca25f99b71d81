#include "local_device.hpp"

#include <unistd.h>

#include <cstdio>

#include "maplex/core/error.hpp"
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

std::unique_ptr<measure::LocalDevice> open_local(const measure::LocalOptions& options,
                                                 const tables::Catalog& catalog) {
  auto device = std::make_unique<measure::LocalDevice>(catalog.index(), options);
  if (::isatty(STDERR_FILENO) != 0) {
    device->on_measured = [](const measure::LocalMeasurement& m) {
      std::fprintf(stderr, "\rmeasured architecture %d: %.4g ms   ", m.index, m.latency_ms);
    };
  }
  return device;
}

runs::LiveDevice live_device(measure::LocalDevice& device, const tables::Catalog& catalog,
                             bool with_lut) {
  runs::LiveDevice live;
  live.fingerprint = device.fingerprint();
  live.description = describe_local(device);
  const auto& h = device.host();
  live.spec.cores = h.logical_cpus;
  if (h.max_clock_mhz > 0) {
    live.spec.max_clock_mhz = h.max_clock_mhz;
  }
  live.spec.batch_size = 1;
  live.measure = [&device](int index) { return device.measure(index).latency_ms; };
  if (with_lut) {
    const measure::Lut lut = device.lut();
    const auto& index = catalog.index();
    live.lut_ms.resize(static_cast<std::size_t>(index.size()));
    for (int a = 0; a < index.size(); ++a) {
      live.lut_ms[static_cast<std::size_t>(a)] = lut.predict(index.arch(a));
    }
  }
  return live;
}

std::optional<LocalSession> open_session(const runs::RunSpec& spec, const tables::Catalog& catalog,
                                         bool fresh) {
  if (spec.device != runs::kLocalDevice) {
    return std::nullopt;
  }
  LocalSession s;
  s.device = open_local(local_options(spec.local, fresh), catalog);
  s.live = live_device(*s.device, catalog, spec.local.lut && spec.source != "live");
  return s;
}

std::string describe_local(const measure::LocalDevice& device) {
  const auto& h = device.host();
  const auto& o = device.options();
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "local = %s (%s, %d logical CPUs, fingerprint %s), oneDNN %s, %d thread%s, %d "
                "repeats after %d warm-up runs%s, reference %.4g ms, store %s",
                h.hostname.c_str(), h.cpu_model.c_str(), h.logical_cpus,
                device.fingerprint().c_str(), h.onednn_version.c_str(), o.threads,
                o.threads == 1 ? "" : "s", o.repeats, o.warmup,
                o.pin_cpu >= 0 ? (", pinned to CPU " + std::to_string(o.pin_cpu)).c_str() : "",
                device.scale_ms(), o.store.string().c_str());
  return buf;
}

}  // namespace maplex::cli
