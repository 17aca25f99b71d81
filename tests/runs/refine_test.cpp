// Refining a front found on predicted latency with device measurements, on hand-made archives.
#include "maplex/runs/refine.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <stdexcept>

namespace maplex::runs {
namespace {

using objectives::Fitness;
using objectives::kNaN;

// Five queried candidates, index = position. Predicted (ms) / accuracy:
//   0: 2 / 80   1: 4 / 85   3: 5 / 86   2: 6 / 90 (the front)
//   4: 7 / 88 (dominated by 2: slower and less accurate).
// log-sd: 0.1, 0.3, 0.2, 0.05, 0.4.
objectives::LatencySource source() {
  return objectives::predicted_source("d", {2, 4, 6, 5, 7}, {0.1, 0.3, 0.2, 0.05, 0.4}, 0.5, 3);
}

std::vector<Fitness> archive() {
  return {Fitness{0, 80, 2, 2, 0}, Fitness{1, 85, 4, 4, 0}, Fitness{2, 90, 6, 6, 0},
          Fitness{3, 86, 5, 5, 0}, Fitness{4, 88, 7, 7, 0}};
}

std::vector<int> indices(const std::vector<Fitness>& front) {
  std::vector<int> out;
  for (const auto& f : front) {
    out.push_back(f.index);
  }
  return out;
}

// The device: candidate 2 is truly 8 ms and 4 truly 5.4. The readapted predictor knows it: 4 is
// predicted at 5.5 ms (now on the front: nothing is faster and more accurate), 2 at 7.9, and
// every log-sd shrinks to 0.01 except 3's (0.02).
struct Device {
  std::map<int, double> truth{{0, 2.1}, {1, 4.2}, {2, 8.0}, {3, 5.1}, {4, 5.4}};
  int calls = 0;
  double operator()(int i) {
    ++calls;
    return truth.at(i);
  }
};

Readapt readapt(int& calls, std::vector<std::vector<std::pair<int, double>>>& seen) {
  return [&calls, &seen](const std::vector<std::pair<int, double>>& checks) {
    ++calls;
    seen.push_back(checks);
    return objectives::predicted_source("d", {2.1, 4.2, 7.9, 5.1, 5.5},
                                        {0.01, 0.01, 0.01, 0.02, 0.01}, 0.5, 3);
  };
}

TEST(RefineFront, FrontOfTheArchive) {
  EXPECT_EQ(indices(front_of(archive())), (std::vector<int>{0, 1, 3, 2}));
}

TEST(RefineFront, ChecksTheLeastSureMemberAndSelectsTheFrontAgain) {
  Device dev;
  int calls = 0;
  std::vector<std::vector<std::pair<int, double>>> seen;
  const auto r = refine_front(archive(), source(), 2, std::ref(dev), readapt(calls, seen));
  // The first check: the front member with the largest log-sd (1: 0.3; 4 with 0.4 is not on
  // the front). The second: under the new predictor, 3 (0.02) among the unmeasured members.
  ASSERT_EQ(r.checks.size(), 2U);
  EXPECT_EQ(r.checks[0].index, 1);
  EXPECT_DOUBLE_EQ(r.checks[0].predicted_ms, 4);
  EXPECT_DOUBLE_EQ(r.checks[0].measured_ms, 4.2);
  EXPECT_EQ(r.checks[1].index, 3);
  EXPECT_EQ(r.readaptations, 2);
  EXPECT_EQ(dev.calls, 2);
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[1], (std::vector<std::pair<int, double>>{{1, 4.2}, {3, 5.1}}));
  // Now 4 (88 % at 5.5) is on the front and 2 at 7.9; measured members carry their measurement.
  EXPECT_EQ(indices(r.front), (std::vector<int>{0, 1, 3, 4, 2}));
  EXPECT_DOUBLE_EQ(r.front[1].latency_ms, 4.2);
  EXPECT_DOUBLE_EQ(r.front[2].latency_ms, 5.1);
  EXPECT_DOUBLE_EQ(r.front[3].latency_ms, 5.5);
  // The spread reported with the front: the readapted predictor's, none for a measured member.
  EXPECT_EQ(r.log_sd, (std::vector<double>{0.01, 0, 0.01, 0, 0.01}));
}

TEST(RefineFront, UnmeasurableMemberIsSkippedAndNotCounted) {
  Device dev;
  dev.truth[1] = kNaN;
  int calls = 0;
  std::vector<std::vector<std::pair<int, double>>> seen;
  const auto r = refine_front(archive(), source(), 1, std::ref(dev), readapt(calls, seen));
  ASSERT_EQ(r.checks.size(), 1U);
  EXPECT_EQ(r.checks[0].index, 2);  // the next least sure on the front (0.2)
  EXPECT_EQ(dev.calls, 2);
  EXPECT_EQ(calls, 1);
}

TEST(RefineFront, StopsWhenEveryMemberIsMeasured) {
  Device dev;
  int calls = 0;
  std::vector<std::vector<std::pair<int, double>>> seen;
  const auto r = refine_front(archive(), source(), 50, std::ref(dev), readapt(calls, seen));
  EXPECT_EQ(r.checks.size(), 5U);  // the readapted front holds all five
  for (const auto& f : r.front) {
    EXPECT_DOUBLE_EQ(f.latency_ms, dev.truth.at(f.index));
  }
}

TEST(RefineFront, BadArguments) {
  Device dev;
  int calls = 0;
  std::vector<std::vector<std::pair<int, double>>> seen;
  const auto no_sd = objectives::table_source("d", {2, 4, 6, 5, 7});
  EXPECT_THROW(refine_front(archive(), no_sd, 1, std::ref(dev), readapt(calls, seen)),
               std::invalid_argument);
  EXPECT_THROW(refine_front(archive(), source(), 0, std::ref(dev), readapt(calls, seen)),
               std::invalid_argument);
  EXPECT_THROW(refine_front(archive(), source(), 1, std::ref(dev), Readapt{}),
               std::invalid_argument);
}

}  // namespace
}  // namespace maplex::runs
