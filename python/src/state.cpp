#include "state.hpp"

#include <mutex>

#include "maplex/tables/data_dir.hpp"

namespace maplex::python {

namespace {

std::mutex mutex;
std::shared_ptr<const Data> loaded;

std::shared_ptr<const Data> load(const std::optional<std::string>& dir) {
  return std::make_shared<const Data>(tables::Catalog::load(tables::find_data_dir(dir)));
}

}  // namespace

std::shared_ptr<const Data> data() {
  const std::lock_guard lock(mutex);
  if (!loaded) {
    loaded = load(std::nullopt);
  }
  return loaded;
}

void set_data_dir(const std::optional<std::string>& dir) {
  auto fresh = load(dir);
  const std::lock_guard lock(mutex);
  loaded = std::move(fresh);
}

}  // namespace maplex::python
