#include "maplex/space/sampling.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "maplex/space/cell.hpp"

namespace maplex::space {
namespace {

constexpr std::uint64_t kSeed = 20261123;

int edges_differing(const Arch& a, const Arch& b) {
  int n = 0;
  for (int e = 0; e < kNumEdges; ++e) {
    n += a.op(e) != b.op(e) ? 1 : 0;
  }
  return n;
}

TEST(Sampler, SameSeedSameSamplesAndMutations) {
  Sampler a(kSeed);
  Sampler b(kSeed);
  for (int i = 0; i < 500; ++i) {
    const Arch x = a.sample();
    ASSERT_EQ(x, b.sample());
    ASSERT_EQ(a.mutate(x), b.mutate(x));
  }
  EXPECT_EQ(a.seed(), kSeed);
}

TEST(Sampler, DifferentSeedsGiveDifferentSamples) {
  Sampler a(1);
  Sampler b(2);
  int same = 0;
  for (int i = 0; i < 100; ++i) {
    same += a.sample() == b.sample() ? 1 : 0;
  }
  EXPECT_LT(same, 3);
}

TEST(Sampler, SampleCoversOpsUniformly) {
  Sampler s(kSeed);
  std::array<std::array<int, kNumOps>, kNumEdges> counts{};
  constexpr int kDraws = 25000;
  for (int i = 0; i < kDraws; ++i) {
    const Arch a = s.sample();
    for (int e = 0; e < kNumEdges; ++e) {
      ++counts[static_cast<std::size_t>(e)][static_cast<std::size_t>(op_id(a.op(e)))];
    }
  }
  // 5000 expected per (edge, op); sd ~63, band 4.5 sd.
  for (const auto& edge : counts) {
    for (int c : edge) {
      EXPECT_NEAR(c, kDraws / kNumOps, 285);
    }
  }
}

TEST(Sampler, SampleConnectedNeverDisconnected) {
  Sampler s(kSeed);
  for (int i = 0; i < 2000; ++i) {
    ASSERT_TRUE(cell_info(s.sample_connected()).connected);
  }
}

TEST(Sampler, MutationChangesExactlyOneEdgeUniformlyOverNeighbours) {
  Sampler s(kSeed);
  const Arch parent = Arch::parse(
      "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|"
      "skip_connect~2|");
  std::map<Arch, int> counts;
  constexpr int kDraws = 24000;
  for (int i = 0; i < kDraws; ++i) {
    const Arch child = s.mutate(parent);
    ASSERT_EQ(edges_differing(parent, child), 1);
    ++counts[child];
  }
  ASSERT_EQ(counts.size(), 24U);
  // 1000 expected each; sd ~31, band ~5 sd.
  for (const auto& [child, n] : counts) {
    EXPECT_NEAR(n, 1000, 160) << child.str();
  }
}

TEST(Neighbours, TwentyFourDistinctOneEditCells) {
  const Arch a = Arch::from_code(4321);
  const auto nb = neighbours(a);
  std::set<Arch> distinct(nb.begin(), nb.end());
  EXPECT_EQ(distinct.size(), 24U);
  for (const Arch& n : nb) {
    EXPECT_EQ(edges_differing(a, n), 1);
  }
  // Order: edge 0 first, ops by id skipping the current one.
  EXPECT_EQ(nb[0].op(0), a.op(0) == Op::none ? Op::skip_connect : Op::none);
  EXPECT_EQ(nb[23].op(5), a.op(5) == Op::avg_pool_3x3 ? Op::nor_conv_3x3 : Op::avg_pool_3x3);
}

}  // namespace
}  // namespace maplex::space
