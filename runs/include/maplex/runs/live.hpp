#pragma once
// A device that can be measured now (this machine, `local`): what a run needs from it, without the
// run depending on how it is measured.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "maplex/predictor/pool.hpp"

namespace maplex::runs {

// The name of this machine as a target device (maplex's own engine).
inline constexpr const char* kLocalDevice = "local";

// `name` names a device measured live rather than a shipped table: `local`, `local:<runtime>`
// (this machine under another runtime) or `cmd:<device file>` (a device reached by a command).
bool is_live_device_name(std::string_view name);

struct LiveDevice {
  std::string name = kLocalDevice;
  std::string fingerprint;  // names the machine in records
  std::string description;  // host, CPU, engine settings: what a record needs to be trusted
  predictor::SpecVector spec;
  // One measurement in ms of the NB201 architecture with this index (from the measurement store
  // when it holds one).
  std::function<double(int)> measure;
  // The device's own layer-wise latency table by NB201 index (ms); empty when not measured.
  std::vector<double> lut_ms;
};

}  // namespace maplex::runs
