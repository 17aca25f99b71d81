#pragma once
// Devices measured live (`local`, `local:<runtime>`, `cmd:FILE`) for the commands: the options of
// the measurement, opening the device (with a progress display), and handing it to runs as a live
// device. Commands ask runs::is_live_device_name and this file; none tests for a device's name.
#include <cxxopts.hpp>
#include <memory>
#include <optional>
#include <string>

#include "maplex/devices/session.hpp"
#include "maplex/measure/device.hpp"
#include "maplex/measure/local.hpp"
#include "maplex/runs/live.hpp"
#include "maplex/runs/spec.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::cli {

// --store, --fresh, --repeats, --warmup; and the runtime's threads as `threads_option` (measure
// names it --threads; the search commands, whose --threads is the search's, --measure-threads).
void add_local_options(cxxopts::Options& options, const std::string& threads_option);

// The options as given (checked by the device). The networks' weights always come from seed 0, so
// every command on this machine shares the store's measurements whatever its --seed.
runs::RunSpec::Local local_settings(const cxxopts::ParseResult& args,
                                    const std::string& threads_option);
using devices::local_options;

// The live device `name`, opened on its store; new measurements show a progress line on stderr
// when it is a terminal. Throws InputError for a name that is not a live device.
std::unique_ptr<measure::Device> open_live(const std::string& name,
                                           const measure::LocalOptions& options,
                                           const tables::Catalog& catalog);

using devices::live_view;
using LocalSession = devices::Session;

// The session when spec.device is a live device (opened with spec.local), else nothing.
std::optional<LocalSession> open_session(const runs::RunSpec& spec, const tables::Catalog& catalog,
                                         bool fresh);

}  // namespace maplex::cli
