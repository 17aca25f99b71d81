#pragma once
// Feature encodings of a cell for latency and accuracy predictors.
//
//   one_hot      30 values: edge e, op k -> position 5*e + k is 1.
//   op_counts     5 values: how many edges carry each op (none .. avg_pool_3x3).
//   live_counts   4 values: the same over live edges only, for skip_connect .. avg_pool_3x3 (a live
//                 edge is never none; cell.hpp). Dead edges cost compute in NB201 but do not shape
//                 the output, and some runtimes prune them.
// Blocks appear in that order; feature_names() names each position.

#include <span>
#include <string>
#include <vector>

#include "maplex/space/arch.hpp"

namespace maplex::space {

struct FeatureSet {
  bool one_hot = true;
  bool op_counts = false;
  bool live_counts = false;

  static FeatureSet all() { return {true, true, true}; }
  int size() const;
};

std::vector<std::string> feature_names(FeatureSet set);

// Writes set.size() values into out (which must be exactly that long; checked).
void encode(const Arch& arch, FeatureSet set, std::span<double> out);
std::vector<double> encode(const Arch& arch, FeatureSet set);

}  // namespace maplex::space
