#pragma once
// This machine as the target `local` for the commands: options of the measurement engine, opening
// the device (with a progress display), and handing it to runs as a live device.
#include <cxxopts.hpp>
#include <memory>
#include <optional>
#include <string>

#include "maplex/measure/local.hpp"
#include "maplex/runs/live.hpp"
#include "maplex/runs/spec.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::cli {

// --store, --fresh, --repeats, --warmup; and the engine's threads as `threads_option` (measure
// names it --threads; the search commands, whose --threads is the search's, --measure-threads).
void add_local_options(cxxopts::Options& options, const std::string& threads_option);

// The options as given (checked by LocalDevice). The networks' weights always come from seed 0, so
// every command on this machine shares the store's measurements whatever its --seed.
runs::RunSpec::Local local_settings(const cxxopts::ParseResult& args,
                                    const std::string& threads_option);
measure::LocalOptions local_options(const runs::RunSpec::Local& settings, bool fresh);

// This machine, opened on its store; new measurements show a progress line on stderr when it is a
// terminal.
std::unique_ptr<measure::LocalDevice> open_local(const measure::LocalOptions& options,
                                                 const tables::Catalog& catalog);

// The device as runs see it; with_lut measures (or reads) the per-op table and predicts every
// architecture with it.
runs::LiveDevice live_device(measure::LocalDevice& device, const tables::Catalog& catalog,
                             bool with_lut);

// A command's session on `local`: the device and its view for runs.
struct LocalSession {
  std::unique_ptr<measure::LocalDevice> device;
  runs::LiveDevice live;
};

// The session when spec.device is `local` (opened with spec.local and spec.seed), else nothing.
std::optional<LocalSession> open_session(const runs::RunSpec& spec, const tables::Catalog& catalog,
                                         bool fresh);

// One line naming the machine and how it measures.
std::string describe_local(const measure::LocalDevice& device);

}  // namespace maplex::cli
