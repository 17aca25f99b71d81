#include "maplex/core/rng.hpp"

#include <cassert>
#include <limits>
#include <sstream>

#include "maplex/core/error.hpp"

namespace maplex {

std::uint64_t Rng::below(std::uint64_t n) {
  assert(n > 0);
  // Accept draws below the largest multiple of n; the rest would bias the low residues.
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x = engine_();
  while (x >= limit) {
    x = engine_();
  }
  return x % n;
}

double Rng::uniform() {
  constexpr double kScale = 1.0 / 9007199254740992.0;  // 2^-53
  return static_cast<double>(engine_() >> 11U) * kScale;
}

std::string Rng::state() const {
  std::ostringstream out;
  out << engine_;
  return out.str();
}

void Rng::restore(const std::string& state) {
  std::istringstream in(state);
  std::mt19937_64 engine;
  in >> engine;
  if (in.fail()) {
    throw InputError("random engine state " + quote(state.substr(0, 40)) +
                     "..., expected the 312 numbers of an mt19937_64 state");
  }
  engine_ = engine;
}

std::uint64_t Rng::derive(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

}  // namespace maplex
