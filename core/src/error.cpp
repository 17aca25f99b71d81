#include "maplex/core/error.hpp"

#include <cstdio>

namespace maplex {

std::string quote(std::string_view value) {
  constexpr std::size_t kMaxShown = 200;
  std::string out = "'";
  const std::size_t shown = value.size() < kMaxShown ? value.size() : kMaxShown;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += "'";
  if (shown < value.size()) {
    out += "... (" + std::to_string(value.size()) + " characters)";
  }
  return out;
}

}  // namespace maplex
