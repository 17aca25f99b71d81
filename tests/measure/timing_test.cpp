// Timing over memory layouts: every layout builds the target and the reference afresh, the pairs
// are shared out among the layouts, and the ratio is the geometric mean of the layouts' ratios.
#include "maplex/measure/timing.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <stdexcept>

namespace maplex::measure {
namespace {

// A network that runs for a fixed time (busy, on the steady clock).
class Spinner final : public Network {
 public:
  explicit Spinner(double ms) : ms_(ms) {}
  std::vector<float> forward(const std::vector<float>& /*input*/) override {
    run();
    return std::vector<float>(10, 0.0F);
  }
  void run() override {
    const auto until = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double, std::milli>(ms_));
    while (std::chrono::steady_clock::now() < until) {
    }
  }

 private:
  double ms_;
};

TEST(Timing, LayoutsBuildAfreshShareThePairsAndAverageGeometrically) {
  // The target's builds alternate between 2 ms and 3 ms (as if its buffers fell well or badly);
  // the reference always runs 2 ms.
  int target_builds = 0;
  int reference_builds = 0;
  const NetworkBuilder target = [&] {
    return std::make_unique<Spinner>(target_builds++ % 2 == 0 ? 2.0 : 3.0);
  };
  const NetworkBuilder reference = [&] {
    ++reference_builds;
    return std::make_unique<Spinner>(2.0);
  };
  const Timing t = time_over_layouts(target, reference, {1, 7}, {2, 42});
  EXPECT_EQ(target_builds, 2);
  EXPECT_EQ(reference_builds, 2);
  // 7 pairs: 4 in the first layout, 3 in the second.
  EXPECT_EQ(t.target_ms.size(), 7U);
  EXPECT_EQ(t.reference_ms.size(), 7U);
  // Ratios 1 and 1.5: their geometric mean, not the median of the pairs (which would be 1).
  EXPECT_NEAR(t.ratio, std::sqrt(1.5), 0.05);
  EXPECT_NEAR(t.latency_ms, t.ratio * t.reference_median_ms, 1e-12);
  EXPECT_NEAR(time_over_layouts(target, reference, {1, 7}, {2, 42}, 10.0).latency_ms,
              10.0 * std::sqrt(1.5), 0.5);

  // One layout is one build of each: its ratio alone.
  target_builds = 0;
  const Timing one = time_over_layouts(target, reference, {1, 5}, {1, 42});
  EXPECT_EQ(target_builds, 1);
  EXPECT_NEAR(one.ratio, 1.0, 0.05);
}

TEST(Timing, LayoutsMustBeBetweenOneAndThePairs) {
  const NetworkBuilder net = [] { return std::make_unique<Spinner>(0.01); };
  EXPECT_THROW(time_over_layouts(net, net, {0, 3}, {4, 1}), std::invalid_argument);
  EXPECT_THROW(time_over_layouts(net, net, {0, 3}, {0, 1}), std::invalid_argument);
  EXPECT_NO_THROW(time_over_layouts(net, net, {0, 3}, {3, 1}));
}

}  // namespace
}  // namespace maplex::measure
