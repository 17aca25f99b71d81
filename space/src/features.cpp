#include "maplex/space/features.hpp"

#include <algorithm>
#include <stdexcept>

#include "maplex/space/cell.hpp"

namespace maplex::space {

int FeatureSet::size() const {
  return (one_hot ? kNumEdges * kNumOps : 0) + (op_counts ? kNumOps : 0) +
         (live_counts ? kNumOps - 1 : 0);
}

std::vector<std::string> feature_names(FeatureSet set) {
  std::vector<std::string> names;
  if (set.one_hot) {
    for (int e = 0; e < kNumEdges; ++e) {
      for (Op op : kAllOps) {
        names.push_back("edge" + std::to_string(e) + "=" + std::string(op_name(op)));
      }
    }
  }
  if (set.op_counts) {
    for (Op op : kAllOps) {
      names.push_back("count:" + std::string(op_name(op)));
    }
  }
  if (set.live_counts) {
    for (Op op : kAllOps) {
      if (op != Op::none) {
        names.push_back("live:" + std::string(op_name(op)));
      }
    }
  }
  return names;
}

void encode(const Arch& arch, FeatureSet set, std::span<double> out) {
  if (out.size() != static_cast<std::size_t>(set.size())) {
    throw std::invalid_argument("encode: output has " + std::to_string(out.size()) +
                                " values, the feature set needs " + std::to_string(set.size()));
  }
  std::fill(out.begin(), out.end(), 0.0);
  std::size_t base = 0;
  if (set.one_hot) {
    for (int e = 0; e < kNumEdges; ++e) {
      out[base + static_cast<std::size_t>(kNumOps * e + op_id(arch.op(e)))] = 1.0;
    }
    base += static_cast<std::size_t>(kNumEdges) * kNumOps;
  }
  if (set.op_counts) {
    for (int e = 0; e < kNumEdges; ++e) {
      out[base + static_cast<std::size_t>(op_id(arch.op(e)))] += 1.0;
    }
    base += kNumOps;
  }
  if (set.live_counts) {
    const CellInfo& info = cell_info(arch);
    for (int e = 0; e < kNumEdges; ++e) {
      if (info.live(e)) {
        out[base + static_cast<std::size_t>(op_id(arch.op(e)) - 1)] += 1.0;
      }
    }
  }
}

std::vector<double> encode(const Arch& arch, FeatureSet set) {
  std::vector<double> out(static_cast<std::size_t>(set.size()));
  encode(arch, set, out);
  return out;
}

}  // namespace maplex::space
