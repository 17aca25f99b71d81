#pragma once
// The structure of the NB201 network, once, for every runtime that builds it: a builder supplies
// the ops on its own tensor handle type and these walks call them in the engine's order.
//
// A Builder B with a copyable handle type T provides:
//   T B::relu(const T& x);
//   T B::conv(const T& x, const ConvBn& p);            // batch norm folded (weights.hpp: fold)
//   T B::pool(const T& x, int kernel, int stride, int pad);  // average, padding not counted
//   T B::sum(const std::vector<T>& terms);             // two or more
//   T B::zeros_like(const T& x);                       // a node without inputs
//   T B::head(const T& x, const NetworkWeights& w);    // BN + ReLU, global pool, linear
// and T default-constructible.

#include <cstdint>
#include <vector>

#include "maplex/measure/runtime.hpp"
#include "maplex/measure/weights.hpp"
#include "maplex/space/arch.hpp"

namespace maplex::measure {

// A cell: node j sums op(j <- i)(node i) over i < j; the output is node 3. A ReLU read by
// convolutions is made once per node; a node without inputs is zeros and ops still read it.
template <class B, class T>
T walk_cell(B& b, const T& in, const space::Arch& arch, const CellWeights& w) {
  std::vector<T> nodes = {in};
  std::vector<T> relu_of(4);
  std::vector<bool> has_relu(4, false);
  for (int j = 1; j <= 3; ++j) {
    std::vector<T> terms;
    for (int e = 0; e < space::kNumEdges; ++e) {
      const auto ue = static_cast<std::size_t>(e);
      if (space::kEdgeTarget[ue] != j) {
        continue;
      }
      const auto src = static_cast<std::size_t>(space::kEdgeSource[ue]);
      switch (arch.op(e)) {
        case space::Op::none:
          break;
        case space::Op::skip_connect:
          terms.push_back(nodes[src]);
          break;
        case space::Op::nor_conv_1x1:
        case space::Op::nor_conv_3x3:
          if (!has_relu[src]) {
            relu_of[src] = b.relu(nodes[src]);
            has_relu[src] = true;
          }
          terms.push_back(b.conv(relu_of[src], w.conv[ue]));
          break;
        case space::Op::avg_pool_3x3:
          terms.push_back(b.pool(nodes[src], 3, 1, 1));
          break;
      }
    }
    if (terms.empty()) {
      nodes.push_back(b.zeros_like(in));
    } else if (terms.size() == 1) {
      nodes.push_back(terms.front());
    } else {
      nodes.push_back(b.sum(terms));
    }
  }
  return nodes[3];
}

// The ResNet basic block between stages: ReLU-Conv(stride 2)-BN, ReLU-Conv-BN, plus the shortcut
// AvgPool 2x2 + Conv 1x1.
template <class B, class T>
T walk_block(B& b, const T& in, const BlockWeights& w) {
  const T main = b.conv(b.relu(b.conv(b.relu(in), w.a)), w.b);
  const T shortcut = b.conv(b.pool(in, 2, 2, 0), w.shortcut);
  return b.sum({main, shortcut});
}

// The whole network from the input handle to the head's output.
template <class B, class T>
T walk_network(B& b, const T& input, const NetworkWeights& w) {
  T x = b.conv(input, w.stem);
  for (int s = 0; s < 3; ++s) {
    for (int k = 0; k < kCellsPerStage; ++k) {
      x = walk_cell(b, x, w.arch, w.cells[cell_slot(s, k)]);
    }
    if (s < 2) {
      x = walk_block(b, x, w.blocks[static_cast<std::size_t>(s)]);
    }
  }
  return b.head(x, w);
}

// `copies` chained copies of one op at stage `stage`'s shape from `input` (what a per-op timing
// runs): ReLU + convolution with weights op_chain_conv draws, average pooling, or a sum with the
// chain's input.
template <class B, class T>
T walk_op_chain(B& b, const T& input, LutOp op, int stage, int copies, std::uint64_t seed) {
  T x = input;
  for (int k = 0; k < copies; ++k) {
    switch (op) {
      case LutOp::conv1x1:
      case LutOp::conv3x3:
        x = b.conv(b.relu(x), op_chain_conv(op == LutOp::conv1x1 ? 1 : 3, stage, seed, k));
        break;
      case LutOp::avg_pool:
        x = b.pool(x, 3, 1, 1);
        break;
      case LutOp::sum:
        x = b.sum({x, input});
        break;
    }
  }
  return x;
}

}  // namespace maplex::measure
