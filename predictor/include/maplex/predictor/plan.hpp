#pragma once
// Which architectures to measure on a new device, so the whole latency range is pinned.
//
// Candidates are the connected architectures of the pool's common sample (those the target holds,
// when that is given), ordered by their latency on the pool (each device normalised to its mean,
// then averaged). With two or more to choose, the
// first is drawn from the fastest 5% and the second from the slowest 5% (seeded); the rest are
// chosen greedily as the most informative for maplex's model: the largest reduction of the
// posterior variance of relative latency, summed over the candidates, under the pool's additive
// prior given what is already chosen. Each planned architecture carries its MAPLE-X latency
// neighbourhood (the paper's virtual examples use it). Deterministic for a seed.

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

// `within` (by NB201 index, non-zero where the target can be measured or scored, as a sampled
// target's known architectures; empty: every architecture) limits the candidates; when fewer
// than `count` are left, all of them are planned. Throws InputError when count < 1 or, without
// `within`, the pool has fewer than `count` connected candidates.
std::vector<PlannedArch> plan_adaptation(const Pool& pool, const space::ArchIndex& index, int count,
                                         std::uint64_t seed,
                                         const NeighbourhoodOptions& options = {},
                                         const std::vector<char>& within = {});

}  // namespace maplex::predictor
