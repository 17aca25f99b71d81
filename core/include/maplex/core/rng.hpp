#pragma once
// A seeded random engine whose draws are the same on every platform and standard library:
// std::mt19937_64 is fully specified, but the std distributions are not, so the bounded and real
// draws here are our own. Every stochastic object owns one Rng; child seeds derive from a master
// seed.

#include <cstdint>
#include <random>
#include <string>

namespace maplex {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : seed_(seed), engine_(seed) {}

  std::uint64_t seed() const { return seed_; }

  // Uniform integer in [0, n); n must be positive. Rejection sampling, no modulo bias.
  std::uint64_t below(std::uint64_t n);
  // Uniform double in [0, 1) with 53 random bits.
  double uniform();
  // A raw 64-bit draw.
  std::uint64_t next() { return engine_(); }

  // The seed of child stream `stream` of master seed `seed` (splitmix64 mixing), so that
  // independent parts of a run get decorrelated, reproducible streams.
  // The engine's full state as text (the standard's portable mt19937_64 format), and back: a
  // checkpointed run continues the same stream. restore() throws InputError on malformed text.
  std::string state() const;
  void restore(const std::string& state);

  static std::uint64_t derive(std::uint64_t seed, std::uint64_t stream);

 private:
  std::uint64_t seed_;
  std::mt19937_64 engine_;
};

}  // namespace maplex
