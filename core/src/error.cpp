#include "maplex/core/error.hpp"

#include <algorithm>
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

namespace maplex {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string did_you_mean(std::string_view value, const std::vector<std::string>& known) {
  const std::size_t allowed = std::max<std::size_t>(1, value.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = allowed + 1;
  for (const std::string& k : known) {
    const std::size_t d = edit_distance(value, k);
    if (d < best_distance) {
      best_distance = d;
      best = &k;
    }
  }
  return best == nullptr ? std::string() : "; did you mean " + quote(*best) + "?";
}

}  // namespace maplex
