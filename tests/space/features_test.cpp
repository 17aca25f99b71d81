#include "maplex/space/features.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace maplex::space {
namespace {

TEST(Features, Sizes) {
  EXPECT_EQ(FeatureSet{}.size(), 30);
  EXPECT_EQ(FeatureSet::all().size(), 39);
  EXPECT_EQ(feature_names(FeatureSet::all()).size(), 39U);
  EXPECT_EQ(feature_names(FeatureSet::all())[17], "edge3=nor_conv_1x1");
  EXPECT_EQ(feature_names(FeatureSet::all())[35], "live:skip_connect");
}

TEST(Features, OneHotMarksEachEdgeOp) {
  // edges: avg_pool, conv1x1, skip, conv1x1, skip, skip -> positions 4, 7, 11, 17, 21, 26.
  const Arch a = Arch::parse(
      "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|"
      "skip_connect~2|");
  const auto f = encode(a, FeatureSet{});
  EXPECT_DOUBLE_EQ(std::accumulate(f.begin(), f.end(), 0.0), 6.0);
  for (int pos : {4, 7, 11, 17, 21, 26}) {
    EXPECT_EQ(f[static_cast<std::size_t>(pos)], 1.0) << pos;
  }
}

TEST(Features, CountsAndLiveCounts) {
  // 0->1 conv3x3 (dead: node 1 feeds nothing), 0->3 skip (live), the rest none.
  const Arch a({Op::nor_conv_3x3, Op::none, Op::none, Op::skip_connect, Op::none, Op::none});
  const auto f = encode(a, FeatureSet{false, true, true});
  const std::vector<double> want = {4, 1, 0, 1, 0,  // counts: none, skip, c1, c3, pool
                                    1, 0, 0, 0};    // live: skip, c1, c3, pool
  EXPECT_EQ(f, want);
}

TEST(Features, RejectsWrongOutputSize) {
  std::vector<double> out(10);
  EXPECT_THROW(encode(Arch(), FeatureSet{}, out), std::invalid_argument);
}

}  // namespace
}  // namespace maplex::space
