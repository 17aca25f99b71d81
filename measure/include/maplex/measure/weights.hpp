#pragma once
// The NAS-Bench-201 CIFAR network of one cell, with weights drawn from a seed: what the measurement
// engine runs and the reference checks. Batch 1, 3 x 32 x 32 input, 10 classes, fp32.
//
//   stem      conv 3x3 (3 -> 16) + BN
//   stage 1   5 cells at C = 16, 32 x 32
//   reduce    ResNet basic block 16 -> 32, stride 2
//   stage 2   5 cells at C = 32, 16 x 16
//   reduce    ResNet basic block 32 -> 64, stride 2
//   stage 3   5 cells at C = 64, 8 x 8
//   head      BN + ReLU, global average pool, linear 64 -> 10
//
// A cell's node j sums op(j <- i)(node i) over i < j; its output is node 3. nor_conv_kxk is
// ReLU-Conv-BN (stride 1, padding k/2, no bias); avg_pool_3x3 has stride 1, padding 1 and does not
// count the padding; skip_connect is the identity; none is zero. The basic block is
// ReLU-Conv3x3(stride 2)-BN, ReLU-Conv3x3-BN, plus a shortcut AvgPool 2x2 (stride 2) + Conv 1x1.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "maplex/space/arch.hpp"

namespace maplex::measure {

inline constexpr float kBnEpsilon = 1e-5F;

// Convolution (OIHW weights, no bias) followed by inference batch norm; `bn` false for the
// shortcut's plain 1x1 convolution.
struct ConvBn {
  int in = 0;
  int out = 0;
  int kernel = 1;
  int stride = 1;
  int pad = 0;
  bool bn = true;
  std::vector<float> weight;                  // out * in * kernel * kernel
  std::vector<float> gamma, beta, mean, var;  // per output channel (empty without bn)
};

struct CellWeights {
  // One per edge (order 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2); used only by conv edges.
  std::array<ConvBn, 6> conv;
};

struct BlockWeights {
  ConvBn a;         // 3x3, stride 2
  ConvBn b;         // 3x3
  ConvBn shortcut;  // 1x1 after the 2x2 average pool, no BN
};

struct NetworkWeights {
  space::Arch arch;
  ConvBn stem;
  std::array<CellWeights, 15> cells;  // 5 per stage
  std::array<BlockWeights, 2> blocks;
  std::vector<float> head_gamma, head_beta, head_mean, head_var;  // 64
  std::vector<float> fc_weight;                                   // 10 x 64
  std::vector<float> fc_bias;                                     // 10
};

inline constexpr int kCellsPerStage = 5;
inline constexpr std::array<int, 3> kStageChannels = {16, 32, 64};
inline constexpr std::array<int, 3> kStageSize = {32, 16, 8};
inline constexpr int kClasses = 10;
inline constexpr std::size_t kInputSize = std::size_t{3} * 32 * 32;

// Index of cell k of stage s in NetworkWeights::cells.
constexpr std::size_t cell_slot(int stage, int k) {
  return static_cast<std::size_t>(stage) * kCellsPerStage + static_cast<std::size_t>(k);
}

// A convolution with its batch norm folded in: the scale multiplied into each output channel's
// weights, the shift as the bias (zero without batch norm). What every runtime runs.
struct FoldedConv {
  std::vector<float> weight;  // out * in * kernel * kernel, OIHW
  std::vector<float> bias;    // out
};
FoldedConv fold(const ConvBn& p);

// The head's batch norm as a per-channel scale and shift (64 each).
struct FoldedNorm {
  std::vector<float> scale;
  std::vector<float> shift;
};
FoldedNorm fold_head(const NetworkWeights& weights);

// The seed of the weights a device measures NB201 architecture `index` with, for the session seed
// `seed` (0 for every command: the store's measurements are shared).
std::uint64_t arch_weight_seed(std::uint64_t seed, int index);

// The convolution (kernel 1 or 3) of copy `copy` in a per-op chain at stage `stage`, drawn from
// `seed` as every runtime's op chain draws it. Throws std::invalid_argument for a stage outside
// 0..2.
ConvBn op_chain_conv(int kernel, int stage, std::uint64_t seed, int copy);

// Weights for `arch` drawn from `seed` (uniform, scaled by fan-in so activations stay O(1)).
NetworkWeights make_weights(const space::Arch& arch, std::uint64_t seed);

// A 3 x 32 x 32 input drawn from `seed`, uniform in [-1, 1].
std::vector<float> make_input(std::uint64_t seed);
// `size` values drawn from `seed`, uniform in [-1, 1]: the input of a per-op chain.
std::vector<float> make_input(std::size_t size, std::uint64_t seed);

}  // namespace maplex::measure
