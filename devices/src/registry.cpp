#include "maplex/devices/registry.hpp"

#include <functional>
#include <utility>

#include "maplex/core/error.hpp"
#include "maplex/devices/command_device.hpp"
#include "maplex/devices/runtimes.hpp"

namespace maplex::devices {

namespace {

using RuntimeFactory = std::function<std::shared_ptr<const measure::Runtime>()>;

// One line per runtime of `local:<runtime>`.
const std::vector<std::pair<std::string, RuntimeFactory>>& runtime_table() {
  static const std::vector<std::pair<std::string, RuntimeFactory>> table = {
      {"onednn", measure::onednn_runtime},
      {"opencv", [] { return load_runtime_plugin("opencv"); }},
      {"torch", [] { return load_runtime_plugin("torch"); }},
  };
  return table;
}

}  // namespace

std::vector<std::string> runtime_names() {
  std::vector<std::string> out;
  for (const auto& [name, factory] : runtime_table()) {
    out.push_back(name);
  }
  return out;
}

std::shared_ptr<const measure::Runtime> find_runtime(std::string_view name) {
  for (const auto& [known, factory] : runtime_table()) {
    if (name == known) {
      return factory();
    }
  }
  return nullptr;
}

std::string local_device_name(std::string_view runtime) {
  return runtime == "onednn" ? "local" : "local:" + std::string(runtime);
}

std::string live_device_list() {
  std::string out;
  for (const auto& name : runtime_names()) {
    out += local_device_name(name) + ", ";
  }
  return out + "or cmd:FILE";
}

std::unique_ptr<measure::Device> open_device(std::string_view name, measure::LocalOptions options,
                                             const space::ArchIndex& index) {
  for (const auto& runtime : runtime_names()) {
    if (name == local_device_name(runtime)) {
      options.runtime = find_runtime(runtime);
      return std::make_unique<measure::LocalDevice>(index, std::move(options));
    }
  }
  if (name.starts_with("cmd:")) {
    return std::make_unique<CommandDevice>(read_device_file(std::string(name.substr(4))), options,
                                           index);
  }
  if (name.starts_with("local:")) {
    throw InputError("device " + quote(name) + ": runtime " + quote(name.substr(6)) +
                     " is unknown, expected " + live_device_list());
  }
  throw InputError("device " + quote(name) + " is not measured live, expected " +
                   live_device_list());
}

}  // namespace maplex::devices
