#include "maplex/core/rng.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace maplex {
namespace {

TEST(Rng, SameSeedSameStream) {
  Rng a(42);
  Rng b(42);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(a.below(1000), b.below(1000));
  }
}

TEST(Rng, DifferentSeedsDiffer) {
  Rng a(1);
  Rng b(2);
  int same = 0;
  for (int i = 0; i < 100; ++i) {
    same += a.below(1000000) == b.below(1000000) ? 1 : 0;
  }
  EXPECT_LT(same, 3);
}

TEST(Rng, MatchesTheStandardMersenneTwister) {
  // mt19937_64 is fully specified by the standard: its 10000th output from the default seed
  // 5489 is 9981545732273789042 ([rand.predef]); our raw draws must be that engine.
  Rng r(5489);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) {
    x = r.next();
  }
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(Rng, BelowIsInRangeAndRoughlyUniform) {
  Rng r(7);
  std::array<int, 5> counts{};
  constexpr int kDraws = 50000;
  for (int i = 0; i < kDraws; ++i) {
    const auto v = r.below(5);
    ASSERT_LT(v, 5U);
    ++counts[v];
  }
  // Expected 10000 each; a 4-sigma band is +-400.
  for (int c : counts) {
    EXPECT_NEAR(c, kDraws / 5, 400);
  }
}

TEST(Rng, UniformInUnitInterval) {
  Rng r(3);
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 10000, 0.5, 0.02);
}

TEST(Rng, DeriveGivesDistinctReproducibleStreams) {
  EXPECT_EQ(Rng::derive(1, 0), Rng::derive(1, 0));
  EXPECT_NE(Rng::derive(1, 0), Rng::derive(1, 1));
  EXPECT_NE(Rng::derive(1, 0), Rng::derive(2, 0));
}

}  // namespace
}  // namespace maplex
