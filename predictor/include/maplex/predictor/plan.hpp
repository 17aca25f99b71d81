#pragma once
// Which architectures to measure on a new device: the anchors of MAPLE-X latency neighbourhoods.
//
// Candidates are the connected architectures of the pool's common sample, ordered by their latency
// on the pool (each device normalised to its mean, then averaged). They are split into `count`
// strata of equal size, so the anchors span fast to slow networks; within a stratum candidates are
// tried in a seeded random order and the first whose neighbourhood holds at least min_size members
// is the anchor (if none does, the one with the largest neighbourhood). Deterministic for a seed.

#include <cstdint>
#include <vector>

#include "maplex/predictor/neighbourhood.hpp"
#include "maplex/predictor/pool.hpp"
#include "maplex/space/index.hpp"

namespace maplex::predictor {

struct PlannedArch {
  int index = -1;
  Neighbourhood neighbourhood;
};

// Throws InputError when count < 1 or the pool has fewer than `count` connected candidates.
std::vector<PlannedArch> plan_adaptation(const Pool& pool, const space::ArchIndex& index, int count,
                                         std::uint64_t seed,
                                         const NeighbourhoodOptions& options = {});

}  // namespace maplex::predictor
