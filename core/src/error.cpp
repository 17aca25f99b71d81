#include "maplex/core/error.hpp"

#include <algorithm>
#include <cstdio>

namespace maplex {

namespace {

// The length of the valid UTF-8 sequence at the start of `s` (1-4), or 0 when it is not one
// (a stray continuation byte, an overlong form, a surrogate, beyond U+10FFFF, or cut short).
std::size_t utf8_length(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  std::size_t n = 0;
  if (c < 0x80) {
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (s.size() < n) {
    return 0;
  }
  for (std::size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) {
      return 0;
    }
  }
  const bool overlong = (c == 0xE0 && b(1) < 0xA0) || (c == 0xF0 && b(1) < 0x90);
  const bool surrogate = c == 0xED && b(1) >= 0xA0;
  const bool too_big = c == 0xF4 && b(1) >= 0x90;
  return overlong || surrogate || too_big ? 0 : n;
}

}  // namespace

namespace {

// Appends one character of `value` at `i` to `out`, escaped if needed; returns the bytes used.
std::size_t append_printable(std::string_view value, std::size_t i, std::string& out) {
  const auto c = static_cast<unsigned char>(value[i]);
  const std::size_t n = utf8_length(value.substr(i));
  if (c == '\n') {
    out += "\\n";
  } else if (c == '\r') {
    out += "\\r";
  } else if (c == '\t') {
    out += "\\t";
  } else if (n == 0 || c < 0x20 || c == 0x7f) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;  // a control character or a byte that is not UTF-8
  } else {
    out.append(value.substr(i, n));
    return n;
  }
  return 1;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    i += append_printable(text, i, out);
  }
  return out;
}

std::string quote(std::string_view value) {
  constexpr std::size_t kMaxShown = 200;  // characters
  std::string out = "'";
  std::size_t shown = 0;
  std::size_t i = 0;
  for (; i < value.size() && shown < kMaxShown; ++shown) {
    i += append_printable(value, i, out);
  }
  out += "'";
  if (i < value.size()) {
    std::size_t total = shown;
    for (std::size_t j = i; j < value.size(); ++total) {
      j += std::max<std::size_t>(1, utf8_length(value.substr(j)));
    }
    out += "... (" + std::to_string(total) + " characters)";
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
