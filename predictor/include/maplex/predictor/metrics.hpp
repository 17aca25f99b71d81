#pragma once
// How good a latency prediction is, against true latencies (both positive, same length).

#include <span>

namespace maplex::predictor {

struct Metrics {
  double acc10 = 0;     // share of predictions within +-10% of the truth
  double acc5 = 0;      // within +-5%
  double spearman = 0;  // rank correlation (average ranks for ties)
  double kendall = 0;   // Kendall tau-b, O(n log n)
  double mape = 0;      // mean absolute percentage error, in %
  // share of true latencies inside the predictor's 95% interval (exp(+-1.96 log-sd)); set by
  // the evaluation, not by evaluate_predictions
  double coverage95 = 0;
  int count = 0;
};

// Throws std::invalid_argument on different lengths or fewer than 2 values.
Metrics evaluate_predictions(std::span<const double> predicted, std::span<const double> truth);

double error_bound_accuracy(std::span<const double> predicted, std::span<const double> truth,
                            double bound);
double spearman(std::span<const double> a, std::span<const double> b);
double kendall_tau_b(std::span<const double> a, std::span<const double> b);

}  // namespace maplex::predictor
