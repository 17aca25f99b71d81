// Verifying a predictor-guided answer with device measurements, on hand-made archives.
#include "maplex/runs/verify.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <stdexcept>

namespace maplex::runs {
namespace {

using objectives::Fitness;
using objectives::kNaN;

// Predictions by index 0..4 and a log-sd of 0.1 everywhere.
objectives::LatencySource source() {
  return objectives::predicted_source("d", {5.0, 9.5, 8.0, 7.0, 11.0}, std::vector<double>(5, 0.1),
                                      0.5, 2);
}

// Queried a(1) 95 % predicted 9.5, b(2) 94 % 8.0, c(3) 93 % 7.0, e(0) 92 % 5.0; d(4) predicted
// 11 ms was over a 10 ms budget and never queried.
std::vector<Fitness> archive() {
  return {Fitness{1, 95, 9.5, 9.5, 0}, Fitness{4, kNaN, 11, 11, 1}, Fitness{2, 94, 8, 8, 0},
          Fitness{3, 93, 7, 7, 0}, Fitness{0, 92, 5, 5, 0}};
}

struct Device {
  std::map<int, double> truth;
  int calls = 0;
  double operator()(int i) {
    ++calls;
    return truth.at(i);
  }
};

TEST(Verify, FirstCheckWithinBudgetIsTheAnswer) {
  Device dev{{{1, 9.9}}};
  const auto v = verify_answer(archive(), source(), 10, 0.95, 1, std::ref(dev));
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 1);
  EXPECT_TRUE(v.verified);
  EXPECT_TRUE(v.feasible);
  EXPECT_DOUBLE_EQ(v.best->bound_ms, 9.9);
  EXPECT_DOUBLE_EQ(v.best->latency_ms, 9.5);  // the prediction is kept
  ASSERT_EQ(v.checks.size(), 1U);
  EXPECT_EQ(dev.calls, 1);
}

TEST(Verify, FailedCheckCorrectsTheNextOne) {
  // a measures 10.5 > 10: r = 10.5 / 9.5; b: 8 r = 8.84 <= 10, measured 8.5: verified.
  Device dev{{{1, 10.5}, {2, 8.5}}};
  const auto v = verify_answer(archive(), source(), 10, 0.95, 2, std::ref(dev));
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 2);
  EXPECT_TRUE(v.verified);
  ASSERT_EQ(v.checks.size(), 2U);
  EXPECT_EQ(v.checks[0].index, 1);
  EXPECT_FALSE(v.checks[0].feasible);
  EXPECT_DOUBLE_EQ(v.checks[0].measured_ms, 10.5);
  EXPECT_DOUBLE_EQ(v.correction, 10.5 / 9.5);  // the failed check's measured / predicted
}

// With the predictor adapted again after each check, the next pick follows the new predictions,
// not a ratio: a fails (10.5 ms); the re-adapted predictor puts b at 13 ms (P(<= 10) = 0.004,
// not worth a check) and c at 6 ms (conservative bound 7.07 ms: the fallback), so c is checked,
// where the ratio alone (FailedCheckCorrectsTheNextOne) would check b.
TEST(Verify, ReadaptedPredictorChoosesTheNextCheck) {
  Device dev{{{1, 10.5}, {3, 6.2}}};
  std::vector<std::vector<std::pair<int, double>>> calls;
  const Readapt readapt = [&](const std::vector<std::pair<int, double>>& checks) {
    calls.push_back(checks);
    return objectives::predicted_source("d", {5.0, 10.5, 13.0, 6.0, 11.0},
                                        std::vector<double>(5, 0.1), 0.5, 3);
  };
  const auto v = verify_answer(archive(), source(), 10, 0.95, 2, std::ref(dev), readapt);
  ASSERT_EQ(calls.size(), 1U);  // after the first check, not after the last
  EXPECT_EQ(calls[0], (std::vector<std::pair<int, double>>{{1, 10.5}}));
  EXPECT_EQ(v.readaptations, 1);
  ASSERT_EQ(v.checks.size(), 2U);
  EXPECT_EQ(v.checks[1].index, 3);
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 3);
  EXPECT_DOUBLE_EQ(v.p_within_budget, 1.0);
  // The fallback's ratio stays on the search's own predictions: a's 10.5 / 9.5.
  EXPECT_DOUBLE_EQ(v.correction, 10.5 / 9.5);
}

// When every check failed, the answer is settled under the predictor adapted with all of them: it
// explains both failed checks (a 10.5 ms, b 11 ms) and puts c at 7.5 ms (log-sd 0.05, bound
// 7.5 * exp(1.645 * 0.05) = 8.14 ms), so c (93 %) is the answer, where the search's own
// predictions times the largest failed ratio, 11 / 8, would rule c out (7 * 1.375 * exp(1.645 *
// 0.1) = 11.3 ms) and answer e (92 %).
TEST(Verify, EveryCheckFailedTheFallbackIsTheReadaptedPredictors) {
  Device dev{{{1, 10.5}, {2, 11.0}}};
  int calls = 0;
  const Readapt readapt = [&](const std::vector<std::pair<int, double>>&) {
    ++calls;
    return objectives::predicted_source("d", {5.0, 10.5, 11.0, 7.5, 11.0},
                                        std::vector<double>(5, 0.05), 0.5, 3);
  };
  const auto v = verify_answer(archive(), source(), 10, 0.95, 2, std::ref(dev), readapt);
  ASSERT_EQ(v.checks.size(), 2U);
  EXPECT_EQ(v.checks[1].index, 2);
  EXPECT_EQ(calls, 2);  // after the last check too, since it failed
  ASSERT_TRUE(v.best);
  EXPECT_FALSE(v.verified);
  EXPECT_TRUE(v.fallback_readapted);
  EXPECT_EQ(v.best->index, 3);
  EXPECT_DOUBLE_EQ(v.best->latency_ms, 7.5);
  EXPECT_NEAR(v.best->bound_ms, 7.5 * std::exp(1.6448536269514722 * 0.05), 1e-6);
  EXPECT_GT(v.p_within_budget, 0.99);
  // Without re-adaptation the same checks leave e.
  Device again{{{1, 10.5}, {2, 11.0}}};
  const auto w = verify_answer(archive(), source(), 10, 0.95, 2, std::ref(again));
  ASSERT_TRUE(w.best);
  EXPECT_EQ(w.best->index, 0);
  EXPECT_FALSE(w.fallback_readapted);
}

// A re-adapted predictor is trusted no further than the failed checks show: this one halves every
// prediction, so it still misses the checks (a 10.5 ms against 4.75, b 11 ms against 4); its bound
// is scaled by the worst, 11 / 4: c at 3.5 * 2.75 * exp(1.645 * 0.1) = 11.3 ms is out, e at 2.5 *
// 2.75 * 1.1788 = 8.1 ms is the answer.
TEST(Verify, AReadaptedPredictorIsTrustedNoFurtherThanTheFailedChecks) {
  Device dev{{{1, 10.5}, {2, 11.0}}};
  const Readapt halved = [](const std::vector<std::pair<int, double>>&) {
    return objectives::predicted_source("d", {2.5, 4.75, 4.0, 3.5, 5.5},
                                        std::vector<double>(5, 0.1), 0.5, 3);
  };
  const auto v = verify_answer(archive(), source(), 10, 0.95, 2, std::ref(dev), halved);
  ASSERT_EQ(v.checks.size(), 2U);
  EXPECT_EQ(v.checks[1].index, 2);
  ASSERT_TRUE(v.best);
  EXPECT_FALSE(v.verified);
  EXPECT_EQ(v.best->index, 0);
  EXPECT_DOUBLE_EQ(v.correction, 11.0 / 8.0);
  EXPECT_NEAR(v.best->bound_ms, 2.5 * 2.75 * std::exp(1.6448536269514722 * 0.1), 1e-6);
}

// A check with slack is used: a (95 %, predicted 13 ms) has under a 1% chance within 10 ms, so the
// fallback b (94 %, 8 ms) is confirmed first; it measures 5 ms, r = 5 / 8 puts a at 8.1 ms, and
// the second check verifies a: the answer is the more accurate one.
TEST(Verify, CheckWithSlackTriesAMoreAccurateCandidate) {
  const auto src =
      objectives::predicted_source("d", {13.0, 8.0}, std::vector<double>(2, 0.1), 0.5, 1);
  const std::vector<Fitness> queried = {Fitness{0, 95, 13, 13, 0}, Fitness{1, 94, 8, 8, 0}};
  Device dev{{{1, 5.0}, {0, 9.0}}};
  const auto v = verify_answer(queried, src, 10, 0.95, 2, std::ref(dev));
  ASSERT_EQ(v.checks.size(), 2U);
  EXPECT_EQ(v.checks[0].index, 1);
  EXPECT_EQ(v.checks[1].index, 0);
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 0);
  EXPECT_TRUE(v.verified);
  // With one check only, the confirmed fallback is the answer.
  Device once{{{1, 5.0}}};
  const auto w = verify_answer(queried, src, 10, 0.95, 1, std::ref(once));
  ASSERT_TRUE(w.best);
  EXPECT_EQ(w.best->index, 1);
}

TEST(Verify, CorrectionSkipsCandidatesItPutsOverTheBudget) {
  // a measures 12.35 (r = 1.3): b at 8 * 1.3 = 10.4 is skipped, c at 7 * 1.3 = 9.1 is checked.
  Device dev{{{1, 12.35}, {3, 9.0}}};
  const auto v = verify_answer(archive(), source(), 10, 0.95, 2, std::ref(dev));
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 3);
  EXPECT_TRUE(v.verified);
  EXPECT_EQ(dev.calls, 2);
}

TEST(Verify, AllChecksFailFallsBackToTheCorrectedConservativeBound) {
  // One check: a fails (r = 10.5 / 9.5). Fallback bound r * p * exp(1.6449 * 0.1):
  // b: 8 * 1.10526 * 1.17879 = 10.42 > 10; c: 7 * 1.10526 * 1.17879 = 9.120 <= 10.
  Device dev{{{1, 10.5}}};
  const auto v = verify_answer(archive(), source(), 10, 0.95, 1, std::ref(dev));
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 3);
  EXPECT_FALSE(v.verified);
  EXPECT_TRUE(v.feasible);
  EXPECT_NEAR(v.best->bound_ms, 7 * (10.5 / 9.5) * std::exp(1.6448536269514722 * 0.1), 1e-6);
  EXPECT_NEAR(v.best->bound_ms, 9.1198, 1e-3);
}

TEST(Verify, NothingPassesNothingIsAnswered) {
  // Budget 5.2: only e (5.0) passes the optimistic test; it measures 6, r = 1.2, and the
  // fallback finds nothing (e itself is known to fail).
  Device dev{{{0, 6.0}}};
  const auto v = verify_answer(archive(), source(), 5.2, 0.95, 3, std::ref(dev));
  EXPECT_FALSE(v.best);
  EXPECT_FALSE(v.feasible);
  EXPECT_EQ(v.checks.size(), 1U);
}

TEST(Verify, UnmeasurableCandidateIsSkippedAndNotCounted) {
  Device dev{{{1, kNaN}, {2, 7.9}}};
  const auto v = verify_answer(archive(), source(), 10, 0.95, 1, std::ref(dev));
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 2);
  EXPECT_EQ(v.checks.size(), 1U);
  EXPECT_EQ(dev.calls, 2);
}

TEST(Verify, ConfirmsTheFallbackWhenNothingCanBeatIt) {
  // Budget 20: a's conservative bound 9.5 * 1.1788 = 11.2 passes, so a is the fallback and the
  // most accurate; the check confirms it.
  Device dev{{{1, 9.7}}};
  const auto v = verify_answer(archive(), source(), 20, 0.95, 2, std::ref(dev));
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 1);
  EXPECT_TRUE(v.verified);
  EXPECT_EQ(dev.calls, 1);
}

TEST(Verify, ExpectedGainPrefersALikelierCandidate) {
  // r = 1.3 after a fails: b (94 %, 10.4 ms corrected) has P = 0.35, gain 0.35 * 2 = 0.70 over
  // the fallback e (92 %); c (93 %, 9.1 ms) has P = 0.83, gain 0.83: c is measured. It takes 12 ms:
  // r = 12 / 7 = 1.714 puts b at 13.7 ms (P = 0.0008, not worth a check) and leaves no fallback
  // (e: 5 * 1.714 * 1.1788 = 10.1 ms), so e (P = 0.94) is checked. b is never measured.
  Device dev{{{1, 12.35}, {3, 12.0}, {0, 5.1}}};
  const auto v = verify_answer(archive(), source(), 10, 0.95, 3, std::ref(dev));
  ASSERT_EQ(v.checks.size(), 3U);
  EXPECT_EQ(v.checks[1].index, 3);
  EXPECT_EQ(v.checks[2].index, 0);
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 0);
  EXPECT_TRUE(v.verified);
}

// What a check must beat, once the predictor was adapted again, is the fallback under the
// re-adapted predictor (the answer if the checks left fail), not the search's predictions times
// the failed check's ratio. a (95 %) fails at 13 ms (r = 13 / 9.5); the re-adapted predictor puts
// b at 10.3 ms and c at 8 ms (bound 8 * 1.1788 = 9.43 ms: the fallback, 93 %), so b is worth the
// last check (P = 0.38, gain 0.38 over c) and passes at 9.8 ms. Beating the search's own
// fallback, e (92 %: 5 * 1.368 * 1.1788 = 8.07 ms), c's gain 0.99 would win over b's 0.77.
TEST(Verify, ACheckMustBeatTheReadaptedFallback) {
  Device dev{{{1, 13.0}, {2, 9.8}, {3, 8.2}}};
  const Readapt readapt = [](const std::vector<std::pair<int, double>>&) {
    return objectives::predicted_source("d", {4.0, 13.0, 10.3, 8.0, 14.0},
                                        std::vector<double>(5, 0.1), 0.5, 3);
  };
  const auto v = verify_answer(archive(), source(), 10, 0.95, 2, std::ref(dev), readapt);
  ASSERT_EQ(v.checks.size(), 2U);
  EXPECT_EQ(v.checks[0].index, 1);
  EXPECT_EQ(v.checks[1].index, 2);
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 2);
  EXPECT_TRUE(v.verified);
}

// A failed check shows the predictor off by at least budget / prediction, which can take the
// fallback away. x (95 %, 9 ms: P = 0.85) has the larger gain over the fallback f (90 %, bound
// 8.3 * 1.1788 = 9.78 ms), 0.85 * 5 = 4.3 against y's (93 %, 8.5 ms: P = 0.95) 2.8; but if x
// failed, r >= 10 / 9 would leave only g (60 %: 4 * 1.111 * 1.1788 = 5.2 ms), and with what that
// costs x is worth less than y: y is checked and verified. (x truly takes 10.5 ms: checked, it
// would fail and leave g.)
TEST(Verify, ACheckWhoseFailureWouldTakeTheFallbackAwayIsWeighed) {
  const auto src =
      objectives::predicted_source("d", {9.0, 8.5, 8.3, 4.0}, std::vector<double>(4, 0.1), 0.5, 1);
  const std::vector<Fitness> queried = {Fitness{0, 95, 9, 9, 0}, Fitness{1, 93, 8.5, 8.5, 0},
                                        Fitness{2, 90, 8.3, 8.3, 0}, Fitness{3, 60, 4, 4, 0}};
  Device dev{{{0, 10.5}, {1, 9.0}, {2, 9.0}, {3, 4.0}}};
  const auto v = verify_answer(queried, src, 10, 0.95, 1, std::ref(dev));
  ASSERT_EQ(v.checks.size(), 1U);
  EXPECT_EQ(v.checks[0].index, 1);
  ASSERT_TRUE(v.best);
  EXPECT_EQ(v.best->index, 1);
  EXPECT_TRUE(v.verified);
}

TEST(Verify, BadArguments) {
  Device dev{{}};
  auto table = objectives::table_source("d", {1, 2, 3, 4, 5});
  EXPECT_THROW((void)verify_answer(archive(), table, 10, 0.95, 1, std::ref(dev)),
               std::invalid_argument);
  EXPECT_THROW((void)verify_answer(archive(), source(), 10, 0.95, 0, std::ref(dev)),
               std::invalid_argument);
}

}  // namespace
}  // namespace maplex::runs
