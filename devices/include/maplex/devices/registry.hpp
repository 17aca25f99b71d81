#pragma once
// Every device maplex can measure, by the name a user gives it:
//   local            this machine, maplex's own oneDNN engine
//   local:<runtime>  this machine under another runtime (runtimes.hpp: opencv, torch)
//   cmd:<FILE>       any device reached by a command (command_device.hpp)
// Adding a runtime is its own file plus one line in the runtime table (registry.cpp).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "maplex/measure/device.hpp"
#include "maplex/measure/local.hpp"
#include "maplex/space/index.hpp"

namespace maplex::devices {

// Every runtime of this machine ("onednn" first: the device `local`), in the order help texts
// list them; the runtime of that name (nullptr when unknown); its device name (`local`,
// `local:<runtime>`).
std::vector<std::string> runtime_names();
std::shared_ptr<const measure::Runtime> find_runtime(std::string_view name);
std::string local_device_name(std::string_view runtime);
// "local, local:opencv, ..., or cmd:FILE".
std::string live_device_list();

// Opens the device `name` (runs::is_live_device_name) with `options` (threads, repeats, warm-up,
// store, fresh; the runtime is the name's). Throws InputError naming the value for an unknown
// runtime, a device file that cannot be read or is malformed, or a store that cannot be opened.
std::unique_ptr<measure::Device> open_device(std::string_view name, measure::LocalOptions options,
                                             const space::ArchIndex& index);

}  // namespace maplex::devices
