#pragma once
// Refining a front found on predicted latency with a few device measurements.
//
// A front found by a predictor adapted from 3 measurements inherits the predictor's errors:
// members predicted fast may be slow and the reverse. After the search, each check measures the
// front member the predictor is least sure of (largest log-sd; ties: lower index) that is not
// measured yet; the predictor is adapted again with every check (so one measurement moves every
// prediction), each archived candidate takes the new prediction (a measured one its measurement),
// and the front is selected again from the whole archive. Deterministic (no random draw), so a
// resumed run refines the same way.

#include <functional>
#include <span>
#include <vector>

#include "maplex/objectives/problem.hpp"
#include "maplex/runs/verify.hpp"

namespace maplex::runs {

struct FrontRefinement {
  std::vector<Check> checks;  // in order; `feasible` unused (no budget)
  int readaptations = 0;
  // The non-dominated queried candidates on (accuracy, latency) by ascending latency: latency_ms
  // is the measurement of a checked member, else the last predictor's prediction.
  std::vector<objectives::Fitness> front;
  // The last predictor's log-sd by NB201 index (the search's source's when no check was made);
  // 0 for a checked member: its latency is its measurement.
  std::vector<double> log_sd;
};

// The front of `archive` (queried candidates only) on (accuracy, latency_ms), by ascending
// latency (ties: lower index).
std::vector<objectives::Fitness> front_of(std::span<const objectives::Fitness> archive);

// `source`: the predicted source the search used (with log_sd); `checks` >= 1 measurements by
// `measure` (NaN: the device cannot run it, skipped and not counted); `readapt`: the predictor
// adapted again with the checks. Throws std::invalid_argument for a source without log_sd, checks
// < 1 or an empty `readapt`.
FrontRefinement refine_front(std::span<const objectives::Fitness> archive,
                             const objectives::LatencySource& source, int checks,
                             const std::function<double(int)>& measure, const Readapt& readapt);

}  // namespace maplex::runs
