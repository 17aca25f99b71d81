#include "maplex/space/sampling.hpp"

#include "maplex/space/cell.hpp"

namespace maplex::space {

Arch sample(Rng& rng) {
  std::array<Op, kNumEdges> edges{};
  for (Op& op : edges) {
    op = static_cast<Op>(rng.below(kNumOps));
  }
  return Arch(edges);
}

Arch sample_connected(Rng& rng) {
  Arch a = sample(rng);
  while (!cell_info(a).connected) {
    a = sample(rng);
  }
  return a;
}

std::vector<int> sample_distinct_connected(Rng& rng, int n, const ArchIndex& index,
                                           std::set<int> avoid) {
  std::vector<int> out;
  while (static_cast<int>(out.size()) < n) {
    const int a = index.index_of(sample_connected(rng));
    if (avoid.insert(a).second) {
      out.push_back(a);
    }
  }
  return out;
}

Arch mutate(Rng& rng, const Arch& parent) {
  const auto edge = static_cast<int>(rng.below(kNumEdges));
  // Draw among the 4 other ops: skip over the current one.
  auto id = static_cast<int>(rng.below(kNumOps - 1));
  if (id >= op_id(parent.op(edge))) {
    ++id;
  }
  return parent.with(edge, static_cast<Op>(id));
}

std::array<Arch, kNumNeighbours> neighbours(const Arch& arch) {
  std::array<Arch, kNumNeighbours> out{};
  std::size_t n = 0;
  for (int e = 0; e < kNumEdges; ++e) {
    for (Op op : kAllOps) {
      if (op != arch.op(e)) {
        out[n++] = arch.with(e, op);
      }
    }
  }
  return out;
}

}  // namespace maplex::space
