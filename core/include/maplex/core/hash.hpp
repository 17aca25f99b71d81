#pragma once
// FNV-1a (64 bit) over bytes: the project's one stable string hash (device fingerprints, a
// sweep's selection, a measurement's memory layouts).

#include <cstdint>
#include <string_view>

namespace maplex {

// The start value every hash here has used: FNV's offset basis with its last digit dropped. Kept,
// since stored device fingerprints and sweeps' selection hashes depend on it.
inline constexpr std::uint64_t kHashStart = 1469598103934665603ULL;

// Continues the hash `h` over `text` (pass the previous result to hash several pieces as one).
constexpr std::uint64_t fnv1a(std::string_view text, std::uint64_t h = kHashStart) {
  for (const char ch : text) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace maplex
