// The oneDNN engine against the plain reference, for architectures that cover every op.
#include "maplex/measure/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "maplex/measure/network_walk.hpp"
#include "maplex/measure/reference.hpp"
#include "maplex/measure/runtime.hpp"
#include "maplex/measure/timing.hpp"
#include "maplex/space/arch.hpp"

namespace maplex::measure {
namespace {

void expect_matches_reference(const std::string& arch_str, std::uint64_t seed) {
  SCOPED_TRACE(arch_str);
  const auto weights = make_weights(space::Arch::parse(arch_str), seed);
  const auto input = make_input(seed + 1);
  const auto want = reference_forward(weights, input);
  Engine engine(weights);
  const auto got = engine.forward(input);
  ASSERT_EQ(got.size(), want.size());
  double scale = 0;
  for (double v : want) {
    scale = std::max(scale, std::abs(v));
  }
  ASSERT_GT(scale, 1e-3);  // the logits are not trivially zero
  for (std::size_t k = 0; k < want.size(); ++k) {
    EXPECT_NEAR(got[k], want[k], 1e-3 * scale) << "logit " << k;
  }
}

TEST(Engine, MatchesTheReferenceOnEveryOp) {
  // Every op on every edge position at least once, and mixtures that sum several inputs.
  expect_matches_reference(
      "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|", 1);
  expect_matches_reference(
      "|avg_pool_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_3x3~0|avg_pool_3x3~1|skip_"
      "connect~2|",
      2);
  expect_matches_reference(
      "|skip_connect~0|+|none~0|nor_conv_3x3~1|+|avg_pool_3x3~0|nor_conv_1x1~1|nor_conv_3x3~2|", 3);
  expect_matches_reference(
      "|nor_conv_1x1~0|+|nor_conv_3x3~0|none~1|+|none~0|skip_connect~1|avg_pool_3x3~2|", 4);
}

TEST(Engine, CellsWhoseOutputIsZero) {
  // Node 3 receives only "none": every cell outputs zero, the network still runs to the head.
  expect_matches_reference(
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|none~0|none~1|none~2|", 5);
  expect_matches_reference("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 6);
}

// A builder that only counts what the walk asks of it.
struct CountingBuilder {
  int convs = 0;
  int pools = 0;
  int relu(int x) { return x; }
  int conv(int x, const ConvBn& /*p*/) {
    ++convs;
    return x;
  }
  int pool(int x, int /*kernel*/, int /*stride*/, int /*pad*/) {
    ++pools;
    return x;
  }
  int sum(const std::vector<int>& terms) { return terms.front(); }
  int zeros_like(int x) { return x; }
};

// The walk builds the ops on no input-to-output path too (here three convolutions and a pool
// whose nodes the output does not read), so every runtime built from it runs them: what
// Runtime::dead_ops says ("runs") and what the predictor's --dead-ops table reads for local.
TEST(NetworkWalk, BuildsDeadOpsSoTheRuntimesRunThem) {
  const auto arch = space::Arch::parse(
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|none~1|none~2|");
  const auto weights = make_weights(arch, 3);
  CountingBuilder b;
  (void)walk_cell<CountingBuilder, int>(b, 0, arch, weights.cells.front());
  EXPECT_EQ(b.convs, 2);
  EXPECT_EQ(b.pools, 1);
  EXPECT_EQ(onednn_runtime()->dead_ops(), "runs");
}

TEST(Engine, SameSeedSameOutputs) {
  const auto arch = space::Arch::parse(
      "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
  const auto input = make_input(9);
  Engine a(make_weights(arch, 7));
  Engine b(make_weights(arch, 7));
  Engine c(make_weights(arch, 8));
  const auto out_a = a.forward(input);
  EXPECT_EQ(out_a, b.forward(input));
  EXPECT_NE(out_a, c.forward(input));
  EXPECT_EQ(out_a, a.forward(input));  // running again changes nothing
  EXPECT_GT(a.primitives(), 40);
}

TEST(Engine, RejectsAWrongInputSize) {
  Engine e(make_weights(space::Arch::parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"), 1));
  EXPECT_THROW((void)e.forward(std::vector<float>(10)), std::invalid_argument);
}

}  // namespace
}  // namespace maplex::measure

namespace maplex::measure {
namespace {

TEST(Timing, MedianAndCv) {
  EXPECT_DOUBLE_EQ(median_of({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(median_of({4, 1, 3, 2}), 2.5);
  // mean 2, sample sd 1: cv 0.5
  EXPECT_DOUBLE_EQ(cv_of({1, 2, 3}), 0.5);
  EXPECT_DOUBLE_EQ(cv_of({5}), 0);
  EXPECT_THROW((void)median_of({}), std::invalid_argument);
}

TEST(Timing, AlternatesAndScalesByTheReference) {
  const auto none = space::Arch::parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
  const auto heavy = space::Arch::parse(
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_"
      "3x3~2|");
  Engine target(make_weights(heavy, 1));
  Engine reference(make_weights(none, 2));
  const Timing t = time_against(target, reference, TimingOptions{1, 5});
  ASSERT_EQ(t.target_ms.size(), 5U);
  ASSERT_EQ(t.reference_ms.size(), 5U);
  for (std::size_t k = 0; k < 5; ++k) {
    EXPECT_GT(t.target_ms[k], 0);
    EXPECT_GT(t.reference_ms[k], 0);
  }
  EXPECT_DOUBLE_EQ(t.latency_ms, t.ratio * t.reference_median_ms);
  EXPECT_DOUBLE_EQ(t.reference_median_ms, median_of(t.reference_ms));
  // A supplied sweep-wide reference time replaces this measurement's.
  const Timing s = time_against(target, reference, TimingOptions{0, 3}, 10.0);
  EXPECT_DOUBLE_EQ(s.latency_ms, s.ratio * 10.0);
  EXPECT_THROW((void)time_against(target, reference, TimingOptions{0, 0}), std::invalid_argument);
}

}  // namespace
}  // namespace maplex::measure
