#pragma once
// A live device as a run uses it: opened by name with a run's measuring settings, and its view for
// runs (fingerprint, description, specification, measure, its own per-op table). Shared by the
// command line and the Python module.

#include <functional>
#include <memory>
#include <optional>

#include "maplex/measure/device.hpp"
#include "maplex/measure/local.hpp"
#include "maplex/runs/live.hpp"
#include "maplex/runs/spec.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::devices {

// The measuring options of a run's settings; `fresh` measures again what the store holds.
measure::LocalOptions local_options(const runs::RunSpec::Local& settings, bool fresh);

// The device as runs see it; with_lut measures (or reads) the per-op table, when the device has
// one, and predicts every architecture with it. `device` must outlive the view.
runs::LiveDevice live_view(measure::Device& device, const tables::Catalog& catalog, bool with_lut);

// A session on a live device: the device and its view for runs.
struct Session {
  std::unique_ptr<measure::Device> device;
  runs::LiveDevice live;
};

// The session when spec.device is a live device (opened with spec.local; `on_measured` sees each
// new measurement), else nothing. Throws InputError as open_device does.
std::optional<Session> open_session(
    const runs::RunSpec& spec, const tables::Catalog& catalog, bool fresh,
    const std::function<void(const measure::Measurement&)>& on_measured = {});

}  // namespace maplex::devices
