#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "maplex/core/error.hpp"
#include "maplex/devices/runtimes.hpp"

namespace maplex::devices {

namespace {

// Where a plugin is looked for: $MAPLEX_PLUGIN_DIR, the build tree it was built in, the
// installed library directory.
std::vector<std::filesystem::path> plugin_dirs() {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("MAPLEX_PLUGIN_DIR"); env != nullptr && *env != '\0') {
    dirs.emplace_back(env);
  }
  dirs.emplace_back(MAPLEX_PLUGIN_BUILD_DIR);
  dirs.emplace_back(MAPLEX_PLUGIN_INSTALL_DIR);
  return dirs;
}

}  // namespace

std::shared_ptr<const measure::Runtime> load_runtime_plugin(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, const measure::Runtime*> loaded;
  const std::lock_guard lock(mutex);
  if (const auto it = loaded.find(name); it != loaded.end()) {
    return {it->second, [](const measure::Runtime*) {}};
  }
  const std::string file = "maplex_runtime_" + name + ".so";
  std::string tried;
  for (const auto& dir : plugin_dirs()) {
    const auto path = dir / file;
    if (!std::filesystem::exists(path)) {
      tried += (tried.empty() ? "" : ", ") + path.string();
      continue;
    }
    // Never closed: the runtime and the networks it builds live until the program ends.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      throw InputError("runtime " + quote(name) + ": cannot load " + quote(path.string()) + " (" +
                       ::dlerror() + "), expected its libraries installed (scripts/setup.sh)");
    }
    using Entry = const measure::Runtime* (*)();
    auto* entry = reinterpret_cast<Entry>(::dlsym(handle, "maplex_runtime"));
    if (entry == nullptr) {
      throw InputError("runtime " + quote(name) + ": " + quote(path.string()) +
                       " has no maplex_runtime(), expected a maplex runtime plugin");
    }
    const measure::Runtime* runtime = entry();
    loaded[name] = runtime;
    return {runtime, [](const measure::Runtime*) {}};
  }
  throw InputError("runtime " + quote(name) + ": no " + file + " in " + tried +
                   ", expected maplex built with it (scripts/setup.sh) or $MAPLEX_PLUGIN_DIR");
}

}  // namespace maplex::devices
