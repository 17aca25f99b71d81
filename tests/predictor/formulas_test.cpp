// The MAPLE-X formulas on hand-computed examples.

#include <gtest/gtest.h>

#include <cmath>

#include "maplex/predictor/neighbourhood.hpp"
#include "maplex/predictor/similarity.hpp"

namespace maplex::predictor {
namespace {

TEST(HardwareWeights, HandComputed) {
  // One spec dimension known (cores) so the numbers stay checkable: pool cores 1 and e^2, target
  // e^2. Log values 0, 2, 2: mean 4/3, sd sqrt(8/9). Device 0: |dz| = 2 / sqrt(8/9) = 2.1213;
  // rescaled to 3 dims: d0 = sqrt(3) * 2.1213 = 3.6742; w0 = 1/sqrt(4.6742) = 0.46254.
  // Device 1: d1 = 0, w1 = 1. Normalised to mean 1: 2 * w / (w0 + w1).
  const std::vector<SpecVector> pool = {
      {1.0, std::nullopt, std::nullopt, std::nullopt, ""},
      {std::exp(2.0), std::nullopt, std::nullopt, std::nullopt, ""}};
  const SpecVector target{std::exp(2.0), std::nullopt, std::nullopt, std::nullopt, ""};
  const auto w = hardware_weights(pool, target);
  EXPECT_NEAR(w.distance[0], std::sqrt(3.0) * 2.0 / std::sqrt(8.0 / 9.0), 1e-12);
  EXPECT_NEAR(w.distance[1], 0.0, 1e-12);
  const double w0 = 1.0 / std::sqrt(1.0 + w.distance[0]);
  EXPECT_NEAR(w0, 0.46254, 1e-5);
  EXPECT_NEAR(w.weight[0], 2 * w0 / (w0 + 1), 1e-12);
  EXPECT_NEAR(w.weight[1], 2 * 1.0 / (w0 + 1), 1e-12);
}

TEST(HardwareWeights, MissingSpecs) {
  const std::vector<SpecVector> pool = {
      {8.0, 3000.0, 100.0, std::nullopt, ""}, {}, {4608.0, 1770.0, 280.0, std::nullopt, ""}};
  // No target specs: no information, all weights 1.
  const auto none = hardware_weights(pool, SpecVector{});
  EXPECT_EQ(none.weight, (std::vector<double>{1, 1, 1}));
  // A pool device with no specs gets the average of the comparable ones (before normalising), so
  // after normalising the three weights still average 1 and device 1 sits between the others.
  const auto w = hardware_weights(pool, SpecVector{10.0, 3200.0, 100.0, std::nullopt, ""});
  EXPECT_NEAR((w.weight[0] + w.weight[1] + w.weight[2]) / 3, 1.0, 1e-12);
  EXPECT_NEAR(w.weight[1], (w.weight[0] + w.weight[2]) / 2, 1e-12);
  EXPECT_GT(w.weight[0], w.weight[2]);  // the CPU target is closer to the CPU
}

TEST(HardwareWeights, BatchSizeAsAFourthDimension) {
  // Same chip at batch 1 and 256; the target is that chip at 256. Without the batch the two pool
  // devices are equally close; with it, the batch-256 one is closer.
  const std::vector<SpecVector> pool = {{4608.0, 1770.0, 280.0, 1.0, ""},
                                        {4608.0, 1770.0, 280.0, 256.0, ""},
                                        {10.0, 3000.0, 85.0, std::nullopt, ""}};
  const SpecVector target{4608.0, 1770.0, 280.0, 256.0, ""};
  const auto three = hardware_weights(pool, target);
  EXPECT_DOUBLE_EQ(three.weight[0], three.weight[1]);
  const auto four = hardware_weights(pool, target, true);
  EXPECT_GT(four.weight[1], four.weight[0]);
  EXPECT_DOUBLE_EQ(four.distance[1], 0.0);
}

TEST(VirtualLabels, HandComputed) {
  // LUT: anchor 10, members 12 and 8 -> mu = 10; measured anchor 20 -> labels 22 and 18.
  const std::vector<double> members = {12.0, 8.0};
  EXPECT_EQ(virtual_labels(10.0, members, 20.0), (std::vector<double>{22.0, 18.0}));
  // LUT: anchor 4, member 7 -> mu 5.5; measured 3 -> 7 - 5.5 + 3 = 4.5.
  const std::vector<double> one = {7.0};
  EXPECT_EQ(virtual_labels(4.0, one, 3.0), (std::vector<double>{4.5}));
}

TEST(Neighbourhood, Invariants) {
  // 2 devices; anchor latency (10, 20). Candidates' RMS relative deviations:
  //  id 1: (10.5, 21) -> 0.05; id 2: (11, 22) -> 0.10; id 3: (10, 20) -> 0; id 4: (13, 20) ->
  //  0.212; id 5: (10.2, 19.6) -> 0.02; id 7 is the anchor itself.
  const std::vector<int> ids = {1, 2, 3, 4, 5, 7};
  Eigen::MatrixXd lat(6, 2);
  lat << 10.5, 21, 11, 22, 10, 20, 13, 20, 10.2, 19.6, 10, 20;
  const std::vector<double> anchor = {10, 20};
  NeighbourhoodOptions opt;
  opt.max_size = 3;
  opt.max_bound = 0.15;
  const Neighbourhood n = find_neighbourhood(7, anchor, ids, lat, opt);
  EXPECT_EQ(n.members, (std::vector<int>{3, 5, 1}));  // closest first, at most 3, never 7
  EXPECT_NEAR(n.bound, 0.05, 1e-12);
  opt.max_size = 10;
  const Neighbourhood all = find_neighbourhood(7, anchor, ids, lat, opt);
  EXPECT_EQ(all.members, (std::vector<int>{3, 5, 1, 2}));  // id 4 exceeds the bound
  EXPECT_LE(all.bound, opt.max_bound);
}

}  // namespace
}  // namespace maplex::predictor
