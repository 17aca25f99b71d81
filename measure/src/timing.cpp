#include "maplex/measure/timing.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace maplex::measure {

namespace {

double time_once(Network& e) {
  const auto start = std::chrono::steady_clock::now();
  e.run();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

double median_of(std::vector<double> v) {
  if (v.empty()) {
    throw std::invalid_argument("median_of: empty");
  }
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) {
    return *mid;
  }
  return 0.5 * (*mid + *std::max_element(v.begin(), mid));
}

double cv_of(const std::vector<double>& v) {
  if (v.size() < 2) {
    return 0;
  }
  double mean = 0;
  for (double x : v) {
    mean += x;
  }
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) {
    ss += (x - mean) * (x - mean);
  }
  return std::sqrt(ss / static_cast<double>(v.size() - 1)) / mean;
}

Timing time_against(Network& target, Network& reference, const TimingOptions& options,
                    double sweep_reference_ms) {
  if (options.pairs < 1 || options.warmup < 0) {
    throw std::invalid_argument("time_against: expected pairs >= 1 and warmup >= 0");
  }
  for (int k = 0; k < options.warmup; ++k) {
    target.run();
    reference.run();
  }
  Timing t;
  std::vector<double> ratios;
  for (int k = 0; k < options.pairs; ++k) {
    t.target_ms.push_back(time_once(target));
    t.reference_ms.push_back(time_once(reference));
    ratios.push_back(t.target_ms.back() / t.reference_ms.back());
  }
  t.ratio = median_of(ratios);
  t.ratio_cv = cv_of(ratios);
  t.target_median_ms = median_of(t.target_ms);
  t.target_cv = cv_of(t.target_ms);
  t.reference_median_ms = median_of(t.reference_ms);
  t.latency_ms = t.ratio * (sweep_reference_ms > 0 ? sweep_reference_ms : t.reference_median_ms);
  return t;
}

}  // namespace maplex::measure
