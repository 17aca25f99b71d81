#pragma once
// Verifying the answer of a predictor-guided search with a few device measurements.
//
// A conservative bound (prediction * exp(z * sd)) keeps the answer feasible by staying far from the
// budget, which costs accuracy exactly where the accuracy/latency trade-off is steepest. Instead
// the search explores with an optimistic bound, and a few device measurements check the answer:
//   - the fallback is the most accurate queried architecture, not yet measured, whose corrected
//     conservative bound r * prediction * exp(z * sd) meets the budget (r = 1 at first);
//   - each check measures the candidate with the largest expected gain over the fallback,
//     P(latency <= budget) * (accuracy - fallback accuracy), with the latency log-normal around
//     r * prediction with the predictor's sd (candidates under a 1% chance are not worth a
//     measurement); the last check also weighs what its failure would cost: failing shows the
//     predictor off by at least budget / prediction, which can take the fallback away, so its gain
//     is less (1 - P) * (fallback accuracy - the fallback's under that ratio); when no candidate
//     beats the fallback, the check confirms the fallback itself;
//   - every check shows how far the predictor is off near the budget: r = measured / predicted;
//   - a candidate measured within the budget is the answer, feasible for sure; the checks left
//     then go to more accurate candidates, judged under the new r (a check with slack lowers r),
//     and the answer is the most accurate one verified;
//   - with a way to adapt the predictor again (Readapt), each check joins its measurements and
//     every candidate's prediction and sd are the new predictor's, r = the last check's
//     measured / the new prediction (about 1 when the new predictor explains it), and the fallback
//     a check must beat is the new predictor's, as it would be settled if the checks left failed;
//   - when every check failed, the answer (unverified) is the fallback: with Readapt, under the
//     predictor adapted again with every check (its own bound at `confidence`), which the failed
//     checks move where they disagree with it; without, under the largest r a failed check showed.
// Deterministic: no random draw, so a resumed run verifies the same way.

#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "maplex/objectives/problem.hpp"

namespace maplex::runs {

struct Check {
  int index = -1;
  double predicted_ms = 0;
  double measured_ms = 0;
  bool feasible = false;
};

struct Verification {
  std::vector<Check> checks;
  double correction = 1;  // r of the fallback: the largest measured / predicted of a failed check
  // latency_ms stays the prediction (the re-adapted predictor's for a re-adapted fallback);
  // bound_ms is the measurement when verified, else the fallback's conservative bound.
  std::optional<objectives::Fitness> best;
  bool verified = false;  // best was measured within the budget
  bool feasible = false;  // best is verified or meets the fallback bound
  int readaptations = 0;  // times the predictor was adapted again with the checks
  // best is an unverified fallback bounded by the predictor adapted with every check (not by
  // correction times the search's prediction)
  bool fallback_readapted = false;
  double p_within_budget = 0;  // best's: 1 when verified, else under the final prediction
};

// The predictor adapted again with the checks so far (index, measured ms) added to its
// measurements: a new predicted source (its bound at the search's confidence).
using Readapt =
    std::function<objectives::LatencySource(const std::vector<std::pair<int, double>>& checks)>;

// `archive`: every architecture the search evaluated (queried ones carry an accuracy); `source`: a
// predicted source with log_sd; `confidence`: of the fallback bound; `measure(index)`: one device
// measurement in ms (NaN when the device cannot run it: skipped, not counted). Throws
// std::invalid_argument for a source without log_sd or checks < 1. `readapt` (may be empty): after
// each check but the last, and after the last when no check passed, the predictor is adapted again
// with every check, so a check moves every later prediction (r: what the new predictor still
// misses at the last check) and the fallback's bound.
Verification verify_answer(std::span<const objectives::Fitness> archive,
                           const objectives::LatencySource& source, double budget_ms,
                           double confidence, int checks, const std::function<double(int)>& measure,
                           const Readapt& readapt = {});

}  // namespace maplex::runs
