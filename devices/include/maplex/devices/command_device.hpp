#pragma once
// Any device a user can reach with a command (`--device cmd:FILE`): a phone over adb, a board over
// ssh, a runtime maplex does not link. FILE is a JSON device file:
//
//   {"name": "pi5-litert",                        the device's identity in the store
//    "command": "ssh pi5 ./bench.sh {onnx}",      run by /bin/sh once per architecture
//    "latency_regex": "avg=([0-9.]+) ms",          its first group on stdout is the latency (ms)
//    "timeout_s": 120,                             a command running longer is killed
//    "description": "...", "cores": 4, "max_clock_mhz": 2400}   optional
//
// The command may use {onnx} (the network exported as ONNX to a temporary file, weights as every
// device measures them), {arch} (the arch string) and {index} (the NB201 index), each substituted
// shell-quoted. Each measurement is committed to the store under the device's name before it is
// returned; a command that fails, times out or prints nothing the regex matches is one error line
// naming the architecture, the command's exit status and what was expected, and what was measured
// before stays in the store. The name is the identity: give a new name when the device or its
// runtime changes.

#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>

#include "maplex/measure/device.hpp"
#include "maplex/measure/local.hpp"
#include "maplex/space/index.hpp"

namespace maplex::devices {

struct DeviceFile {
  std::string name;
  std::string command;
  std::string latency_regex;
  double timeout_s = 120;
  std::string description;
  measure::DeviceFacts facts;
};

// Throws InputError naming the file and the field for a file that cannot be read, is not JSON,
// lacks name/command/latency_regex, has a regex that does not compile or has no capture group, a
// timeout that is not > 0, or a placeholder other than {onnx}, {arch} and {index}.
DeviceFile read_device_file(const std::filesystem::path& path);

// What /bin/sh reported: exit status (-1 when killed by the timeout), standard output and error.
struct CommandResult {
  int status = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
};
// Runs `command` with /bin/sh -c in its own process group; kills the group after `timeout_s`.
CommandResult run_command(const std::string& command, double timeout_s);

class CommandDevice final : public measure::Device {
 public:
  // `options`: the store and --fresh (threads, repeats and warm-up are the command's business).
  CommandDevice(DeviceFile file, const measure::LocalOptions& options,
                const space::ArchIndex& index);
  ~CommandDevice() override;
  CommandDevice(const CommandDevice&) = delete;
  CommandDevice& operator=(const CommandDevice&) = delete;

  const std::string& name() const override { return file_.name; }
  const std::string& fingerprint() const override { return key_.fingerprint; }
  std::string description() const override;
  const measure::StoreKey& key() const override { return key_; }
  measure::DeviceFacts facts() const override { return file_.facts; }
  measure::Measurement measure(int index) override;
  std::optional<measure::Lut> lut() override { return std::nullopt; }
  measure::Store& store() override { return store_; }
  std::vector<std::pair<int, double>> stored_latencies() override;
  int new_measurements() const override { return new_; }
  int stored_hits() const override { return hits_; }
  int remeasured() const override { return 0; }

 private:
  // The command line for architecture `index` (exports the network when it uses {onnx}).
  std::string command_for(int index);

  DeviceFile file_;
  std::regex latency_;
  const space::ArchIndex* index_;
  bool fresh_;
  std::uint64_t seed_;
  measure::StoreKey key_;
  measure::Store store_;
  std::filesystem::path work_dir_;  // exported networks, removed with the device
  std::set<int> measured_now_;
  int new_ = 0;
  int hits_ = 0;
};

}  // namespace maplex::devices
