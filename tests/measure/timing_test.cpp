// Timing over memory layouts: every layout builds the target and the reference afresh, the pairs
// are shared out among the layouts, and the ratio is the geometric mean of the layouts' ratios.
#include "maplex/measure/timing.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <vector>

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
  // The ratio is the geometric mean of the two layouts' median pair ratios (pairs 0-3 and 4-6),
  // recomputed from the raw times it reports: exact whatever the machine did to the spinners
  // (a spinner preempted under ctest's two suites on two cores once ran 3x its time, so the
  // values themselves, about 1 and 1.5, are not asserted).
  const auto layout_ratio = [&](const Timing& m, std::size_t from, std::size_t to) {
    std::vector<double> r;
    for (std::size_t i = from; i < to; ++i) {
      r.push_back(m.target_ms[i] / m.reference_ms[i]);
    }
    return median_of(r);
  };
  EXPECT_NEAR(t.ratio, std::sqrt(layout_ratio(t, 0, 4) * layout_ratio(t, 4, 7)), 1e-12);
  EXPECT_NEAR(t.latency_ms, t.ratio * t.reference_median_ms, 1e-12);
  const Timing at_10 = time_over_layouts(target, reference, {1, 7}, {2, 42}, 10.0);
  EXPECT_NEAR(at_10.latency_ms, 10.0 * at_10.ratio, 1e-12);
  // Every timed run lasts at least its spin.
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_GE(t.target_ms[i], 2.0);
    EXPECT_GE(t.reference_ms[i], 2.0);
  }

  // One layout is one build of each: its median pair ratio alone.
  target_builds = 0;
  const Timing one = time_over_layouts(target, reference, {1, 5}, {1, 42});
  EXPECT_EQ(target_builds, 1);
  EXPECT_NEAR(one.ratio, layout_ratio(one, 0, 5), 1e-12);
}

TEST(Timing, LayoutsMustBeBetweenOneAndThePairs) {
  const NetworkBuilder net = [] { return std::make_unique<Spinner>(0.01); };
  EXPECT_THROW(time_over_layouts(net, net, {0, 3}, {4, 1}), std::invalid_argument);
  EXPECT_THROW(time_over_layouts(net, net, {0, 3}, {0, 1}), std::invalid_argument);
  EXPECT_NO_THROW(time_over_layouts(net, net, {0, 3}, {3, 1}));
}

}  // namespace
}  // namespace maplex::measure
