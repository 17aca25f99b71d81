#pragma once
// Seeded sampling and mutation of cells.
//
// sample(): every edge draws its op uniformly and independently, so each of the 15,625 cells has
//   probability 1/15,625 (disconnected cells included; sample_connected() rejects them, giving each
//   of the 15,284 connected cells probability 1/15,284).
// mutate(a): one edge uniformly among the 6, then one op uniformly among the 4 ops other than the
//   current one: each of the 24 one-edit neighbours has probability 1/24, and the result always
//   differs.

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "maplex/core/rng.hpp"
#include "maplex/space/arch.hpp"
#include "maplex/space/index.hpp"

namespace maplex::space {

inline constexpr int kNumNeighbours = kNumEdges * (kNumOps - 1);  // 24

// The same draws on a caller's engine (a search keeps its engine in its checkpointed state).
Arch sample(Rng& rng);
Arch sample_connected(Rng& rng);
Arch mutate(Rng& rng, const Arch& parent);
// `n` distinct connected cells by NB201 index, none of `avoid`, in the order drawn
// (sample_connected until n are new). The caller makes sure that many remain outside `avoid`.
std::vector<int> sample_distinct_connected(Rng& rng, int n, const ArchIndex& index,
                                           std::set<int> avoid);

class Sampler {
 public:
  explicit Sampler(std::uint64_t seed) : rng_(seed) {}

  std::uint64_t seed() const { return rng_.seed(); }
  Arch sample() { return space::sample(rng_); }
  Arch sample_connected() { return space::sample_connected(rng_); }
  Arch mutate(const Arch& parent) { return space::mutate(rng_, parent); }

 private:
  Rng rng_;
};

// The 24 cells one edit away, by edge 0..5 and then by op id (skipping the current op).
std::array<Arch, kNumNeighbours> neighbours(const Arch& arch);

}  // namespace maplex::space
