#pragma once
// The NB201 network around a cell, as a flat list of layers, and the costs counted from it.
//
// stem: conv3x3(3->16) + BN; stage 1: 5 cells at C=16; reduction block 16->32 (stride 2);
// stage 2: 5 cells at C=32; reduction block 32->64; stage 3: 5 cells at C=64; head: BN, ReLU,
// global average pool, linear(64 -> classes).
// A cell edge nor_conv_kxk is ReLU-Conv(k, pad k/2, no bias)-BN; avg_pool_3x3 is stride 1 pad 1;
// skip_connect is identity; none is zero; each node sums its inputs.
// The reduction block is NB201's ResNet basic block: ReLU-Conv3x3(stride 2)-BN, ReLU-Conv3x3-BN,
// plus a shortcut AvgPool2x2(stride 2) + Conv1x1 (no BN), summed. Input: 32x32 with 10 or 100
// classes (CIFAR), 16x16 with 120 classes (ImageNet16-120).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "maplex/space/arch.hpp"

namespace maplex::space {

enum class Dataset : std::uint8_t { cifar10 = 0, cifar100 = 1, imagenet16_120 = 2 };

inline constexpr std::array<Dataset, 3> kAllDatasets = {Dataset::cifar10, Dataset::cifar100,
                                                        Dataset::imagenet16_120};

std::string_view dataset_name(Dataset dataset);
// Throws InputError naming the value and the known datasets.
Dataset parse_dataset(std::string_view name);

struct DatasetShape {
  int input_hw;  // square input side
  int classes;
};
DatasetShape dataset_shape(Dataset dataset);

inline constexpr int kCellsPerStage = 5;
inline constexpr std::array<int, 3> kStageChannels = {16, 32, 64};

enum class LayerKind : std::uint8_t {
  conv,
  batch_norm,
  relu,
  avg_pool,
  global_avg_pool,
  linear,
  add
};

struct Layer {
  LayerKind kind;
  int in_channels;
  int out_channels;
  int kernel;  // conv / pool window; 0 otherwise
  int stride;  // 1 unless a reduction
  int padding;
  int in_hw;          // input side
  int out_hw;         // output side
  bool bias;          // conv / linear bias
  std::string where;  // e.g. "stage2.cell4.edge3"

  // Learnable parameters (BN: affine weight and bias; running statistics are not parameters).
  std::int64_t params() const;
  // Multiply-accumulates of convolutions and linear layers, bias included (NB201's convention);
  // zero for every other layer.
  std::int64_t macs() const;
};

// Every layer of the network for `arch` on `dataset`, in execution order. Dead edges are included:
// NB201 builds and runs every op of a cell.
std::vector<Layer> network_layers(const Arch& arch, Dataset dataset);

struct Costs {
  double flops_m;   // MACs / 1e6
  double params_m;  // parameters / 1e6
};

// Costs summed over network_layers(arch, dataset).
Costs costs(const Arch& arch, Dataset dataset);

}  // namespace maplex::space
