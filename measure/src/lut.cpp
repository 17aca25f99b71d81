#include "maplex/measure/lut.hpp"

namespace maplex::measure {

double Lut::predict(const space::Arch& arch) const {
  double per_cell = 0;
  for (std::size_t s = 0; s < 3; ++s) {
    const auto& t = op_ms[s];
    std::array<int, 4> inputs{};
    for (int e = 0; e < space::kNumEdges; ++e) {
      const auto ue = static_cast<std::size_t>(e);
      switch (arch.op(e)) {
        case space::Op::none:
          continue;
        case space::Op::skip_connect:
          break;
        case space::Op::nor_conv_1x1:
          per_cell += t[static_cast<std::size_t>(LutOp::conv1x1)];
          break;
        case space::Op::nor_conv_3x3:
          per_cell += t[static_cast<std::size_t>(LutOp::conv3x3)];
          break;
        case space::Op::avg_pool_3x3:
          per_cell += t[static_cast<std::size_t>(LutOp::avg_pool)];
          break;
      }
      ++inputs[static_cast<std::size_t>(space::kEdgeTarget[ue])];
    }
    for (const int k : inputs) {
      if (k > 1) {
        per_cell += (k - 1) * t[static_cast<std::size_t>(LutOp::sum)];
      }
    }
  }
  return base_ms + 5 * per_cell;
}

}  // namespace maplex::measure
