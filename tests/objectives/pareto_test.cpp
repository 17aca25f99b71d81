// Pareto tools against fronts worked out by hand (all objectives minimised).
#include "maplex/objectives/pareto.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace {

using maplex::objectives::Point;
namespace obj = maplex::objectives;

// A(1,5) B(2,3) C(4,1) D(3,4) E(5,5) F(2,3) (a copy of B).
// B dominates D; everything dominates E; A, B, C, F are mutually non-dominated.
const std::vector<Point> kSix = {{1, 5}, {2, 3}, {4, 1}, {3, 4}, {5, 5}, {2, 3}};

TEST(Dominates, StrictSomewhereAndNoWorseEverywhere) {
  EXPECT_TRUE(obj::dominates({2, 3}, {3, 4}));
  EXPECT_TRUE(obj::dominates({2, 3}, {2, 4}));
  EXPECT_FALSE(obj::dominates({2, 3}, {2, 3}));  // equal: neither dominates
  EXPECT_FALSE(obj::dominates({1, 5}, {2, 3}));  // a trade-off
  EXPECT_FALSE(obj::dominates({3, 4}, {2, 3}));
  EXPECT_THROW((void)obj::dominates({1, 2}, {1, 2, 3}), std::invalid_argument);
}

TEST(NonDominatedSort, HandComputedFronts) {
  const auto fronts = obj::non_dominated_sort(kSix);
  ASSERT_EQ(fronts.size(), 3U);
  EXPECT_EQ(fronts[0], (std::vector<int>{0, 1, 2, 5}));
  EXPECT_EQ(fronts[1], (std::vector<int>{3}));
  EXPECT_EQ(fronts[2], (std::vector<int>{4}));
}

TEST(NonDominatedSort, ChainGivesOneFrontPerPoint) {
  const std::vector<Point> chain = {{3, 3}, {1, 1}, {2, 2}, {4, 4}};
  const auto fronts = obj::non_dominated_sort(chain);
  ASSERT_EQ(fronts.size(), 4U);
  EXPECT_EQ(fronts[0], (std::vector<int>{1}));
  EXPECT_EQ(fronts[1], (std::vector<int>{2}));
  EXPECT_EQ(fronts[2], (std::vector<int>{0}));
  EXPECT_EQ(fronts[3], (std::vector<int>{3}));
}

TEST(NonDominatedSort, ThreeObjectives) {
  // (1,2,3) and (3,2,1) trade off; (2,3,4) is dominated by (1,2,3) only.
  const std::vector<Point> pts = {{2, 3, 4}, {1, 2, 3}, {3, 2, 1}};
  const auto fronts = obj::non_dominated_sort(pts);
  ASSERT_EQ(fronts.size(), 2U);
  EXPECT_EQ(fronts[0], (std::vector<int>{1, 2}));
  EXPECT_EQ(fronts[1], (std::vector<int>{0}));
}

TEST(NonDominatedSort, EmptyInput) { EXPECT_TRUE(obj::non_dominated_sort({}).empty()); }

TEST(ParetoFront, MatchesFrontZero) {
  EXPECT_EQ(obj::pareto_front(kSix), (std::vector<int>{0, 1, 2, 5}));
  const std::vector<Point> three = {{2, 3, 4}, {1, 2, 3}, {3, 2, 1}};
  EXPECT_EQ(obj::pareto_front(three), (std::vector<int>{1, 2}));
}

TEST(CrowdingDistance, ThreePointFront) {
  // Front A(1,5) B(2,3) C(4,1): objective 0 spans 3, B's neighbours differ by 4-1 = 3 -> 1;
  // objective 1 spans 4, neighbours 5-1 = 4 -> 1; B = 2, the ends are infinite.
  const std::vector<int> front = {0, 1, 2};
  const auto d = obj::crowding_distance(kSix, front);
  ASSERT_EQ(d.size(), 3U);
  EXPECT_TRUE(std::isinf(d[0]));
  EXPECT_DOUBLE_EQ(d[1], 2.0);
  EXPECT_TRUE(std::isinf(d[2]));
}

TEST(CrowdingDistance, FourPointFrontInGivenOrder) {
  // P0(0,10) P1(1,6) P2(3,3) P3(10,0); both objectives span 10.
  // P1: (3-0)/10 + (10-3)/10 = 1.0;  P2: (10-1)/10 + (6-0)/10 = 1.5.
  const std::vector<Point> pts = {{0, 10}, {1, 6}, {3, 3}, {10, 0}};
  const std::vector<int> front = {2, 3, 1, 0};
  const auto d = obj::crowding_distance(pts, front);
  ASSERT_EQ(d.size(), 4U);
  EXPECT_NEAR(d[0], 1.5, 1e-12);
  EXPECT_TRUE(std::isinf(d[1]));
  EXPECT_NEAR(d[2], 1.0, 1e-12);
  EXPECT_TRUE(std::isinf(d[3]));
}

TEST(CrowdingDistance, TwoMembersAreBothBoundaries) {
  const std::vector<int> front = {0, 2};
  const auto d = obj::crowding_distance(kSix, front);
  EXPECT_TRUE(std::isinf(d[0]));
  EXPECT_TRUE(std::isinf(d[1]));
}

TEST(Hypervolume, StaircaseByHand) {
  // Reference (10,10): strips x in [1,2) height 5, [2,4) height 7, [4,10) height 9:
  // 5 + 14 + 54 = 73.
  const std::vector<Point> front = {{4, 1}, {1, 5}, {2, 3}};
  EXPECT_DOUBLE_EQ(obj::hypervolume_2d(front, {10, 10}), 73.0);
}

TEST(Hypervolume, DominatedAndOutsidePointsAddNothing) {
  std::vector<Point> pts = {{4, 1}, {1, 5}, {2, 3}};
  pts.push_back({3, 4});   // dominated by (2,3)
  pts.push_back({11, 0});  // beyond the reference in x
  pts.push_back({5, 10});  // on the reference in y
  pts.push_back({2, 3});   // duplicate
  EXPECT_DOUBLE_EQ(obj::hypervolume_2d(pts, {10, 10}), 73.0);
}

TEST(Hypervolume, SinglePointIsItsBox) {
  EXPECT_DOUBLE_EQ(obj::hypervolume_2d(std::vector<Point>{{2.5, 4}}, {10, 10}), 7.5 * 6);
  EXPECT_DOUBLE_EQ(obj::hypervolume_2d(std::vector<Point>{}, {10, 10}), 0.0);
}

TEST(Hypervolume, MatchesGridCountOnRandomishFront) {
  // Count unit cells of a 20x20 grid covered by the union of boxes: exact for integer points.
  const std::vector<Point> pts = {{3, 17}, {5, 12}, {6, 13}, {9, 9}, {12, 4}, {15, 2}, {18, 1}};
  int cells = 0;
  for (int x = 0; x < 20; ++x) {
    for (int y = 0; y < 20; ++y) {
      for (const auto& p : pts) {
        if (p[0] <= x && p[1] <= y) {
          ++cells;
          break;
        }
      }
    }
  }
  EXPECT_DOUBLE_EQ(obj::hypervolume_2d(pts, {20, 20}), static_cast<double>(cells));
}

// Judged in the true front's normalised box (ideal -> 0, nadir -> 1, reference 1.1): a true
// front (0,6), (5,5.5), (10,5) is (0,1), (0.5,0.5), (1,0) there, hypervolume 0.05 + 0.3 + 0.11 =
// 0.46; the found middle point alone covers 0.6 * 0.6 = 0.36 and lies 0.7071 from both ends.
TEST(FrontQuality, NormalisedHypervolumeAndIgd) {
  const std::vector<Point> truth = {{0, 6}, {5, 5.5}, {10, 5}};
  const obj::FrontQuality same = obj::front_quality(truth, truth);
  EXPECT_DOUBLE_EQ(same.hypervolume_ratio, 1.0);
  EXPECT_DOUBLE_EQ(same.igd, 0.0);
  const std::vector<Point> middle = {{5, 5.5}};
  const obj::FrontQuality q = obj::front_quality(middle, truth);
  EXPECT_NEAR(q.hypervolume_ratio, 0.36 / 0.46, 1e-12);
  EXPECT_NEAR(q.igd, 2 * std::sqrt(0.5) / 3, 1e-12);
  EXPECT_THROW(obj::front_quality(middle, {}), std::invalid_argument);
}

}  // namespace
