#pragma once
// A shard of a sweep: shard `index` (0-based) of `count` does the work units u with
// u % count == index, so N shards split any ordered list of units deterministically and a merge can
// put the parts back in the unsharded order (unit u is the (u / count)-th unit of shard u % count).

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace maplex {

struct Shard {
  int index = 0;
  int count = 1;

  bool owns(std::size_t unit) const {
    return unit % static_cast<std::size_t>(count) == static_cast<std::size_t>(index);
  }
  bool whole() const { return count == 1; }
  // How many of `units` units this shard owns.
  std::size_t share(std::size_t units) const;
  std::string str() const;  // "K/N"
  bool operator==(const Shard&) const = default;
};

// "K/N" with 0 <= K < N, or "slurm": K = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN and
// N = SLURM_ARRAY_TASK_COUNT of the job array this runs in. InputError naming the value otherwise.
Shard parse_shard(const std::string& text);

// Checks that the parts (a name each, for messages) are one complete set: the same count, every
// index 0..N-1 exactly once. InputError naming the missing or duplicated shards otherwise.
void check_shard_set(const std::vector<std::pair<std::string, Shard>>& parts);

}  // namespace maplex
