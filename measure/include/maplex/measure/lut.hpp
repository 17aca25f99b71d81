#pragma once
// The layer-wise latency table of a device: the network without any cell op (stem, reductions,
// head) plus, per stage, each op's time; LUT(a) = base + 5 x sum over stages of (the ops of a's
// edges + one sum per extra input of a node).

#include <array>

#include "maplex/measure/runtime.hpp"
#include "maplex/space/arch.hpp"

namespace maplex::measure {

struct Lut {
  double base_ms = 0;
  std::array<std::array<double, kLutOps>, 3> op_ms{};  // [stage][LutOp]
  double predict(const space::Arch& arch) const;
};

}  // namespace maplex::measure
