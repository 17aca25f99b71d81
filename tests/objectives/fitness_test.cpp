// Constrained ranking and constraint-domination on hand-made fitnesses.
#include "maplex/objectives/fitness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

using maplex::objectives::Fitness;
namespace obj = maplex::objectives;

Fitness feasible(int index, double accuracy, double latency) {
  return Fitness{index, accuracy, latency, latency, 0.0};
}

Fitness infeasible(int index, double latency, double budget) {
  return Fitness{index, obj::kNaN, latency, latency, obj::violation(latency, budget)};
}

TEST(Violation, DistanceAboveTheBudget) {
  EXPECT_DOUBLE_EQ(obj::violation(6.5, 6.0), 0.5);
  EXPECT_DOUBLE_EQ(obj::violation(6.0, 6.0), 0.0);  // on the budget is within it
  EXPECT_DOUBLE_EQ(obj::violation(5.0, 6.0), 0.0);
  EXPECT_TRUE(std::isinf(obj::violation(obj::kNaN, 6.0)));  // unknown latency never passes
  EXPECT_DOUBLE_EQ(obj::violation(1e9, obj::kInf), 0.0);    // no budget
}

TEST(ConstrainedRanking, FeasibleBeatsInfeasibleWhateverTheAccuracy) {
  Fitness slow = infeasible(1, 9.0, 6.0);
  slow.accuracy = 99.0;  // even a known, higher accuracy does not help it
  const Fitness ok = feasible(2, 50.0, 5.9);
  EXPECT_TRUE(obj::better(ok, slow));
  EXPECT_FALSE(obj::better(slow, ok));
}

TEST(ConstrainedRanking, FeasibleByAccuracyThenLatencyThenIndex) {
  EXPECT_TRUE(obj::better(feasible(7, 91.0, 8.0), feasible(3, 90.0, 5.0)));
  EXPECT_TRUE(obj::better(feasible(7, 91.0, 5.0), feasible(3, 91.0, 5.5)));
  EXPECT_TRUE(obj::better(feasible(3, 91.0, 5.0), feasible(7, 91.0, 5.0)));
  EXPECT_FALSE(obj::better(feasible(3, 91.0, 5.0), feasible(3, 91.0, 5.0)));  // irreflexive
}

TEST(ConstrainedRanking, InfeasibleByViolationNotAccuracy) {
  const Fitness near = infeasible(9, 6.5, 6.0);
  const Fitness far = infeasible(1, 8.0, 6.0);
  EXPECT_TRUE(obj::better(near, far));
  EXPECT_FALSE(obj::better(far, near));
}

TEST(ConstrainedRanking, UnqueriedFeasibleRanksBelowQueried) {
  Fitness unqueried = feasible(1, obj::kNaN, 3.0);
  EXPECT_TRUE(obj::better(feasible(2, 10.0, 5.0), unqueried));
  EXPECT_FALSE(obj::better(unqueried, feasible(2, 10.0, 5.0)));
}

TEST(ConstrainedRanking, SortsAMixedListIntoTheExpectedOrder) {
  std::vector<Fitness> v = {infeasible(10, 7.0, 6.0), feasible(11, 92.0, 5.0),
                            infeasible(12, 6.1, 6.0), feasible(13, 93.5, 5.9),
                            feasible(14, 92.0, 4.0)};
  std::sort(v.begin(), v.end(), obj::better);
  std::vector<int> order;
  for (const auto& f : v) {
    order.push_back(f.index);
  }
  EXPECT_EQ(order, (std::vector<int>{13, 14, 11, 12, 10}));
}

TEST(ConstrainedDomination, DebsThreeCases) {
  // feasible vs infeasible
  EXPECT_TRUE(obj::constrained_dominates(feasible(1, 50, 5), infeasible(2, 7, 6)));
  EXPECT_FALSE(obj::constrained_dominates(infeasible(2, 7, 6), feasible(1, 50, 5)));
  // both infeasible: smaller violation
  EXPECT_TRUE(obj::constrained_dominates(infeasible(1, 6.2, 6), infeasible(2, 7, 6)));
  // both feasible: Pareto on (accuracy max, latency min)
  EXPECT_TRUE(obj::constrained_dominates(feasible(1, 92, 5), feasible(2, 91, 5)));
  EXPECT_TRUE(obj::constrained_dominates(feasible(1, 92, 5), feasible(2, 92, 5.5)));
  EXPECT_FALSE(obj::constrained_dominates(feasible(1, 92, 5), feasible(2, 93, 6)));
  EXPECT_FALSE(obj::constrained_dominates(feasible(1, 92, 5), feasible(2, 92, 5)));
}

}  // namespace
