// Costs of hand-checked networks. The expected values are derived by hand in the comments from the
// NB201 definition, and agree with the closed forms in data/PROVENANCE.md.

#include "maplex/space/network.hpp"

#include <gtest/gtest.h>

#include "maplex/core/error.hpp"

namespace maplex::space {
namespace {

Arch all(Op op) { return Arch({op, op, op, op, op, op}); }

TEST(Network, EmptyCellsCifar10) {
  // params: stem 3*16*9 + BN 32 = 464; reduction 16->32: 4608+64 + 9216+64 + 512 = 14464;
  // reduction 32->64: 18432+128 + 36864+128 + 2048 = 57600; head BN 128; linear 640+10.
  // total 73306. MACs: stem 442368; each reduction 3670016; linear 650: 7783050.
  const Costs c = costs(all(Op::none), Dataset::cifar10);
  EXPECT_DOUBLE_EQ(c.params_m, 0.073306);
  EXPECT_DOUBLE_EQ(c.flops_m, 7.78305);
}

TEST(Network, ConvCellsCifar10) {
  // One nor_conv_3x3 edge over 5 cells per stage: params 5*(2304+32 + 9216+64 + 36864+128) =
  // 243040; MACs 5*(2304*1024 + 9216*256 + 36864*64) = 35389440. Six such edges.
  const Costs c = costs(all(Op::nor_conv_3x3), Dataset::cifar10);
  EXPECT_NEAR(c.params_m, 0.073306 + 6 * 0.24304, 1e-12);
  EXPECT_NEAR(c.flops_m, 7.78305 + 6 * 35.38944, 1e-9);
  // nor_conv_1x1: params 5*(256+32 + 1024+64 + 4096+128) = 28000, MACs 5*(256*1024*3) = 3932160.
  const Costs c1 = costs(all(Op::nor_conv_1x1), Dataset::cifar10);
  EXPECT_NEAR(c1.params_m, 0.073306 + 6 * 0.028, 1e-12);
  EXPECT_NEAR(c1.flops_m, 7.78305 + 6 * 3.93216, 1e-9);
}

TEST(Network, PoolAndSkipCostNothing) {
  for (Dataset d : kAllDatasets) {
    EXPECT_DOUBLE_EQ(costs(all(Op::avg_pool_3x3), d).flops_m, costs(all(Op::none), d).flops_m);
    EXPECT_DOUBLE_EQ(costs(all(Op::skip_connect), d).params_m, costs(all(Op::none), d).params_m);
  }
}

TEST(Network, Cifar100AndImageNetHeads) {
  // cifar100: linear 64*100+100 = 6500, 5850 more than cifar10.
  EXPECT_NEAR(costs(all(Op::none), Dataset::cifar100).params_m, 0.079156, 1e-12);
  EXPECT_NEAR(costs(all(Op::none), Dataset::cifar100).flops_m, 7.7889, 1e-12);
  // ImageNet16-120 (16x16): stem 3*16*9*256 = 110592, reductions 917504 each, linear 7800.
  EXPECT_NEAR(costs(all(Op::none), Dataset::imagenet16_120).flops_m, 1.9534, 1e-12);
  EXPECT_NEAR(costs(all(Op::none), Dataset::imagenet16_120).params_m, 0.080456, 1e-12);
}

TEST(Network, LayerShapes) {
  const auto layers = network_layers(all(Op::nor_conv_3x3), Dataset::cifar10);
  // stem conv+bn; 15 cells x 6 edges x (relu, conv, bn) + 2 adds; 2 reductions x 9 layers
  // (relu, conv, bn twice; pool, conv shortcut; add);
  // head bn, relu, pool, linear.
  EXPECT_EQ(layers.size(), 2U + 15 * (18 + 2) + 2 * 9 + 4);
  EXPECT_EQ(layers.front().where, "stem");
  EXPECT_EQ(layers.back().kind, LayerKind::linear);
  EXPECT_EQ(layers.back().out_channels, 10);
  int stage3_convs = 0;
  for (const Layer& l : layers) {
    if (l.kind == LayerKind::conv && l.where.rfind("stage3", 0) == 0) {
      EXPECT_EQ(l.in_hw, 8);
      EXPECT_EQ(l.in_channels, 64);
      ++stage3_convs;
    }
  }
  EXPECT_EQ(stage3_convs, 30);
}

TEST(Network, CostsAreTheSumOverTheLayersForEveryCell) {
  // costs() adds per-edge counts; the definition is the sum over network_layers. Every cell, every
  // dataset, exactly (integer counts / 1e6).
  for (Dataset d : kAllDatasets) {
    for (int code = 0; code < kNumArchs; ++code) {
      const Arch a = Arch::from_code(code);
      std::int64_t macs = 0;
      std::int64_t params = 0;
      for (const Layer& layer : network_layers(a, d)) {
        macs += layer.macs();
        params += layer.params();
      }
      const Costs c = costs(a, d);
      ASSERT_EQ(c.flops_m, static_cast<double>(macs) / 1e6) << a.str() << " " << dataset_name(d);
      ASSERT_EQ(c.params_m, static_cast<double>(params) / 1e6) << a.str() << " " << dataset_name(d);
    }
  }
}

TEST(Dataset, ParseAndReject) {
  EXPECT_EQ(parse_dataset("cifar100"), Dataset::cifar100);
  try {
    parse_dataset("imagenet");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(
        e.what(),
        "dataset 'imagenet' is unknown, expected one of cifar10, cifar100, imagenet16_120");
  }
}

}  // namespace
}  // namespace maplex::space
