#pragma once
// The figures people expect from a latency predictor and a search, as plots (plot.hpp):
//   scatter  predicted against measured (or true) latency, log axes, the +-10% band
//   front    accuracy against latency: found fronts against the true one
//   history  a run's evaluations: every queried accuracy and the best feasible so far

#include <string>
#include <vector>

#include "maplex/objectives/front.hpp"
#include "maplex/report/plot.hpp"
#include "maplex/search/evaluator.hpp"

namespace maplex::report {

// Predicted (y) against measured (x) for `index[k]`, `predicted[k]`, `measured[k]`; at most
// `max_points` of them are drawn (every n-th), the +-10% band always.
Plot scatter_plot(const std::string& title, const std::vector<int>& index,
                  const std::vector<double>& predicted, const std::vector<double>& measured,
                  std::size_t max_points = 3000);

struct FrontSeries {
  std::string label;
  std::string colour;
  bool hollow = false;  // points only (no staircase), e.g. a front at the search's latency
  std::vector<objectives::FrontPoint> points;
};

Plot front_plot(const std::string& title, const std::string& accuracy_label,
                const std::vector<FrontSeries>& series);

// Each new full-fidelity query in order (x) against its accuracy (y), feasible and infeasible
// apart, and the best feasible accuracy so far as a staircase.
Plot history_plot(const std::string& title, const std::vector<search::Record>& history);

}  // namespace maplex::report
