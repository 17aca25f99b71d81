#include "maplex/devices/session.hpp"

#include "maplex/devices/registry.hpp"

namespace maplex::devices {

measure::LocalOptions local_options(const runs::RunSpec::Local& settings, bool fresh) {
  measure::LocalOptions o;
  o.threads = settings.threads;
  o.repeats = settings.repeats;
  o.layouts = settings.layouts;
  o.balance = settings.balance;
  if (!settings.reference.empty()) {
    o.reference = settings.reference;
  }
  o.warmup = settings.warmup;
  o.fresh = fresh;
  o.pin_cpu = settings.pin_cpu;
  if (!settings.store.empty()) {
    o.store = settings.store;
  }
  return o;
}

runs::LiveDevice live_view(measure::Device& device, const tables::Catalog& catalog, bool with_lut) {
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
  live.spec.dead_ops = facts.dead_ops;
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

std::optional<Session> open_session(
    const runs::RunSpec& spec, const tables::Catalog& catalog, bool fresh,
    const std::function<void(const measure::Measurement&)>& on_measured) {
  if (!runs::is_live_device_name(spec.device)) {
    return std::nullopt;
  }
  Session s;
  s.device = open_device(spec.device, local_options(spec.local, fresh), catalog.index());
  s.device->on_measured = on_measured;
  s.live = live_view(*s.device, catalog, spec.local.lut && spec.source != "live");
  s.live.name = spec.device;  // as the user named it (cmd:FILE)
  return s;
}

}  // namespace maplex::devices
