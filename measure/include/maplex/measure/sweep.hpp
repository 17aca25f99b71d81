#pragma once
// Which architectures a sweep (`maplex measure`) measures, and in which order.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "maplex/core/rng.hpp"
#include "maplex/space/index.hpp"

namespace maplex::measure {

// Exactly one of: architectures by index or string, a number of distinct connected ones drawn
// with the sweep's Rng, or all 15,625; less `excluded` (measured elsewhere).
struct SweepRequest {
  std::vector<std::string> archs;
  std::optional<int> sample;
  bool all = false;
  std::set<int> excluded;
};

// The request's architectures, shuffled with `rng` so that no group of them sits in one slow
// stretch of the machine. Throws InputError for an unknown architecture or a sample larger than
// the connected architectures left after the exclusions.
std::vector<int> sweep_archs(const SweepRequest& request, const space::ArchIndex& index, Rng& rng);

}  // namespace maplex::measure
