#include "maplex/report/figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace maplex::report {

namespace {

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

Plot scatter_plot(const std::string& title, const std::vector<int>& index,
                  const std::vector<double>& predicted, const std::vector<double>& measured,
                  std::size_t max_points) {
  Plot plot{title, {"measured latency (ms)", true}, {"predicted latency (ms)", true}, {}};
  Series points{
      "architectures (" + std::to_string(index.size()) + ")", "#1f77b4", Series::Style::hollow, {}};
  const std::size_t step = std::max<std::size_t>(1, (index.size() + max_points - 1) / max_points);
  double lo = 1e300;
  double hi = 0;
  for (std::size_t k = 0; k < index.size(); ++k) {
    if (measured[k] > 0 && predicted[k] > 0) {
      lo = std::min({lo, measured[k], predicted[k]});
      hi = std::max({hi, measured[k], predicted[k]});
    }
    if (k % step == 0) {
      points.points.push_back({measured[k], predicted[k],
                               std::to_string(index[k]) + ": measured " + fixed(measured[k], 3) +
                                   " ms, predicted " + fixed(predicted[k], 3) + " ms"});
    }
  }
  if (step > 1) {
    points.label += ", every " + std::to_string(step) + "th drawn";
  }
  plot.series.push_back(std::move(points));
  if (hi > 0) {
    plot.series.push_back(
        {"predicted = measured", "#444444", Series::Style::line, {{lo, lo, ""}, {hi, hi, ""}}});
    plot.series.push_back(
        {"+-10%", "#d62728", Series::Style::dashed, {{lo, 1.1 * lo, ""}, {hi / 1.1, hi, ""}}});
    plot.series.push_back(
        {"", "#d62728", Series::Style::dashed, {{lo * 1.1, lo, ""}, {hi, hi / 1.1, ""}}});
  }
  return plot;
}

Plot front_plot(const std::string& title, const std::string& accuracy_label,
                const std::vector<FrontSeries>& series) {
  Plot plot{title, {"latency (ms)", false}, {accuracy_label, false}, {}};
  for (const auto& s : series) {
    Series out{s.label, s.colour, s.hollow ? Series::Style::hollow : Series::Style::steps, {}};
    for (const auto& p : s.points) {
      out.points.push_back({p.latency_ms, p.accuracy,
                            std::to_string(p.index) + ": " + fixed(p.accuracy, 2) + "% at " +
                                fixed(p.latency_ms, 3) + " ms"});
    }
    plot.series.push_back(std::move(out));
  }
  return plot;
}

Plot history_plot(const std::string& title, const std::vector<search::Record>& history) {
  Plot plot{title, {"accuracy query", false}, {"accuracy (%)", false}, {}};
  Series feasible{"queried, feasible", "#1f77b4", Series::Style::hollow, {}};
  Series infeasible{"queried, over the budget", "#bbbbbb", Series::Style::hollow, {}};
  Series best{"best feasible so far", "#ff7f0e", Series::Style::steps, {}};
  double best_acc = -1;
  double queries = 0;
  for (const auto& r : history) {
    if (!r.new_query || !r.fitness.queried() || r.low_fidelity) {
      continue;
    }
    const double x = ++queries;
    const std::string tip = std::to_string(r.fitness.index) + ": " + fixed(r.fitness.accuracy, 2) +
                            "%, " + fixed(r.fitness.latency_ms, 3) + " ms";
    (r.fitness.feasible() ? feasible : infeasible).points.push_back({x, r.fitness.accuracy, tip});
    if (r.fitness.feasible() && r.fitness.accuracy > best_acc) {
      best_acc = r.fitness.accuracy;
      best.points.push_back({x, best_acc, tip});
    }
  }
  if (!best.points.empty()) {
    best.points.push_back({queries, best_acc, ""});
  }
  plot.series = {infeasible, feasible, best};
  return plot;
}

}  // namespace maplex::report
