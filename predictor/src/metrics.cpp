#include "maplex/predictor/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace maplex::predictor {

namespace {

void check(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size() || a.size() < 2) {
    throw std::invalid_argument("metrics: " + std::to_string(a.size()) + " predictions and " +
                                std::to_string(b.size()) +
                                " true values, expected two equal counts of at least 2");
  }
}

// Ranks 1..n with ties sharing their average rank.
std::vector<double> ranks(std::span<const double> v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return v[i] < v[j]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) {
      ++j;
    }
    const double avg = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) {
      r[order[k]] = avg;
    }
    i = j + 1;
  }
  return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0;
  double saa = 0;
  double sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

// Pairs tied within runs of equal values of v (v sorted).
double tied_pairs(const std::vector<double>& v) {
  double ties = 0;
  for (std::size_t i = 0; i < v.size();) {
    std::size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[i]) {
      ++j;
    }
    const double t = static_cast<double>(j - i + 1);
    ties += t * (t - 1) / 2;
    i = j + 1;
  }
  return ties;
}

// Sorts v and returns the number of inversions (pairs i<j with v[i] > v[j]).
double merge_count(std::vector<double>& v, std::vector<double>& buf, std::size_t lo,
                   std::size_t hi) {
  if (hi - lo < 2) {
    return 0;
  }
  const std::size_t mid = lo + (hi - lo) / 2;
  double inv = merge_count(v, buf, lo, mid) + merge_count(v, buf, mid, hi);
  std::size_t i = lo;
  std::size_t j = mid;
  std::size_t k = lo;
  while (i < mid && j < hi) {
    if (v[j] < v[i]) {
      inv += static_cast<double>(mid - i);
      buf[k++] = v[j++];
    } else {
      buf[k++] = v[i++];
    }
  }
  while (i < mid) {
    buf[k++] = v[i++];
  }
  while (j < hi) {
    buf[k++] = v[j++];
  }
  std::copy(buf.begin() + static_cast<std::ptrdiff_t>(lo),
            buf.begin() + static_cast<std::ptrdiff_t>(hi),
            v.begin() + static_cast<std::ptrdiff_t>(lo));
  return inv;
}

}  // namespace

double error_bound_accuracy(std::span<const double> predicted, std::span<const double> truth,
                            double bound) {
  check(predicted, truth);
  int within = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    within += std::abs(predicted[i] - truth[i]) <= bound * truth[i] ? 1 : 0;
  }
  return static_cast<double>(within) / static_cast<double>(truth.size());
}

double spearman(std::span<const double> a, std::span<const double> b) {
  check(a, b);
  return pearson(ranks(a), ranks(b));
}

double kendall_tau_b(std::span<const double> a, std::span<const double> b) {
  check(a, b);
  const std::size_t n = a.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    return a[i] < a[j] || (a[i] == a[j] && b[i] < b[j]);
  });
  std::vector<double> sa(n);
  std::vector<double> sb(n);
  for (std::size_t i = 0; i < n; ++i) {
    sa[i] = a[order[i]];
    sb[i] = b[order[i]];
  }
  const double n1 = tied_pairs(sa);
  // Joint ties: runs equal in both a and b (adjacent after the sort).
  double n3 = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && sa[j + 1] == sa[i] && sb[j + 1] == sb[i]) {
      ++j;
    }
    const double t = static_cast<double>(j - i + 1);
    n3 += t * (t - 1) / 2;
    i = j + 1;
  }
  std::vector<double> buf(n);
  const double swaps = merge_count(sb, buf, 0, n);
  const double n2 = tied_pairs(sb);
  const double n0 = static_cast<double>(n) * static_cast<double>(n - 1) / 2;
  const double denom = std::sqrt((n0 - n1) * (n0 - n2));
  return denom > 0 ? (n0 - n1 - n2 + n3 - 2 * swaps) / denom : 0.0;
}

Metrics evaluate_predictions(std::span<const double> predicted, std::span<const double> truth) {
  check(predicted, truth);
  Metrics m;
  m.count = static_cast<int>(truth.size());
  m.acc10 = error_bound_accuracy(predicted, truth, 0.10);
  m.acc5 = error_bound_accuracy(predicted, truth, 0.05);
  m.spearman = spearman(predicted, truth);
  m.kendall = kendall_tau_b(predicted, truth);
  double ape = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    ape += std::abs(predicted[i] - truth[i]) / truth[i];
  }
  m.mape = 100.0 * ape / static_cast<double>(truth.size());
  return m;
}

}  // namespace maplex::predictor
