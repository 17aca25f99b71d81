// The shipped architecture table against facts known independently of this code: NB201's counts,
// index 0's string, and costs recomputed from the network definition.

#include "maplex/tables/arch_table.hpp"

#include <cmath>

#include "test_files.hpp"

namespace maplex::tables {
namespace {

const ArchTable& table() {
  static const ArchTable t = load_arch_table(testing::shipped("nb201_archs.csv"));
  return t;
}

TEST(ArchTable, Index0IsTheKnownCell) {
  EXPECT_EQ(table().index.arch(0).str(),
            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|"
            "skip_connect~2|");
  EXPECT_DOUBLE_EQ(table().at(0).test_acc[0], 85.8633);
  EXPECT_DOUBLE_EQ(table().at(0).params_m[2], 0.136456);
}

TEST(ArchTable, StringArchIndexRoundTripForAll) {
  const auto& index = table().index;
  for (int i = 0; i < space::kNumArchs; ++i) {
    const space::Arch& a = index.arch(i);
    const std::string s = a.str();
    ASSERT_EQ(space::Arch::parse(s), a);
    ASSERT_EQ(index.index_of(space::Arch::parse(s)), i);
    ASSERT_EQ(index.resolve(s), i);
    ASSERT_EQ(index.resolve(std::to_string(i)), i);
  }
}

TEST(ArchTable, IndexOrderIsAShuffleNotTheCodeOrder) {
  int equal = 0;
  for (int i = 0; i < space::kNumArchs; ++i) {
    equal += table().index.arch(i).code() == i ? 1 : 0;
  }
  EXPECT_LT(equal, 10);
}

TEST(ArchTable, ClassesAndConnectivity) {
  const auto& index = table().index;
  EXPECT_EQ(index.num_classes(), 6466);
  int disconnected = 0;
  for (int i = 0; i < space::kNumArchs; ++i) {
    disconnected += table().at(i).connected ? 0 : 1;
    ASSERT_EQ(table().at(i).connected, index.cell(i).connected);
  }
  EXPECT_EQ(disconnected, 341);
  // The representative of a class is its smallest index.
  for (int c = 0; c < index.num_classes(); ++c) {
    for (int i = 0; i < index.class_representative(c); ++i) {
      ASSERT_NE(index.class_id(i), c);
    }
    if (c > 200) {
      break;  // the first classes suffice; the full check is quadratic
    }
  }
}

TEST(ArchTable, CostsEqualShippedColumnsForEveryRow) {
  // The CSV holds 6 decimals; the recomputed values must round to them.
  for (int i = 0; i < space::kNumArchs; ++i) {
    const ArchRecord& r = table().at(i);
    for (space::Dataset d : space::kAllDatasets) {
      const auto k = static_cast<std::size_t>(d);
      const space::Costs c = space::costs(r.arch, d);
      ASSERT_NEAR(c.flops_m, r.flops_m[k], 5.0000001e-7)
          << "index " << i << " " << space::dataset_name(d);
      ASSERT_NEAR(c.params_m, r.params_m[k], 5.0000001e-7)
          << "index " << i << " " << space::dataset_name(d);
    }
  }
}

TEST(ArchTable, CostsFollowTheClosedForms) {
  // PROVENANCE.md: cifar10 FLOPs = 7.78305 + 15 (2.359296 n3 + 0.262144 n1).
  for (int i = 0; i < space::kNumArchs; i += 97) {
    const auto& a = table().at(i).arch;
    const int n3 = a.count(space::Op::nor_conv_3x3);
    const int n1 = a.count(space::Op::nor_conv_1x1);
    EXPECT_NEAR(space::costs(a, space::Dataset::cifar10).flops_m,
                7.78305 + 15 * (2.359296 * n3 + 0.262144 * n1), 1e-9);
    EXPECT_NEAR(space::costs(a, space::Dataset::imagenet16_120).params_m,
                0.080456 + 0.24304 * n3 + 0.028 * n1, 1e-9);
  }
}

}  // namespace
}  // namespace maplex::tables
