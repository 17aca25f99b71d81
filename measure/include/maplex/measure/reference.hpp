#pragma once
// A plain, obviously-correct forward pass of the NB201 network (naive loops in double, batch norm
// applied as written, nothing fused): the yardstick the oneDNN engine is tested against.

#include <vector>

#include "maplex/measure/weights.hpp"

namespace maplex::measure {

// The 10 logits for a 3 x 32 x 32 input (CHW).
std::vector<double> reference_forward(const NetworkWeights& weights,
                                      const std::vector<float>& input);

}  // namespace maplex::measure
