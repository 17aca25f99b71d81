#pragma once
// The long-form CSV `maplex measure --out` writes (arch,index,latency_ms,... one row per network,
// in the sweep's order), its shard parts and their merge.
//
// A sweep's architectures are in a seeded order; shard K of N measures positions K, K+N, ...
// and its CSV carries a line "# shard=K/N units=T selection=<hash of the whole order>". Merging
// the parts of every shard interleaves their rows back into the unsharded order, so the merged
// file lists the same rows in the same order as one process would.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "maplex/core/shard.hpp"
#include "maplex/measure/device.hpp"
#include "maplex/space/index.hpp"

namespace maplex::measure {

// Which part of which sweep a CSV holds.
struct SweepPart {
  Shard shard;
  std::size_t units = 0;        // architectures in the whole sweep
  std::uint64_t selection = 0;  // sweep_selection() of the whole sweep's order
};

// FNV-1a of the architecture indices in order: equal for the shards of one sweep.
std::uint64_t sweep_selection(const std::vector<int>& archs);

// The architectures of `shard`: positions K, K+N, ... of `archs`.
std::vector<int> shard_of(const std::vector<int>& archs, Shard shard);

// Writes the CSV (through a temporary file renamed over `path`); `part` is recorded when the
// sweep is sharded. Returns the median coefficient of variation of the ratios. Throws InputError
// naming the path (the measurements stay in the device's store) when it cannot write.
double write_sweep_csv(const std::filesystem::path& path, const std::vector<Measurement>& rows,
                       Device& device, const space::ArchIndex& index, const SweepPart* part);

// Merges the CSVs of every shard of one sweep into `out`; returns the number of rows. Throws
// InputError naming the part that is missing, duplicated, unfinished, from another sweep or
// another device identity.
std::size_t merge_sweep_csvs(const std::filesystem::path& out,
                             const std::vector<std::filesystem::path>& parts);

}  // namespace maplex::measure
