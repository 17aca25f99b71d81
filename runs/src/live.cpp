#include "maplex/runs/live.hpp"

namespace maplex::runs {

bool is_live_device_name(std::string_view name) {
  return name == kLocalDevice || name.starts_with("local:") || name.starts_with("cmd:");
}

}  // namespace maplex::runs
