#include "maplex/objectives/fitness.hpp"

#include <cmath>

namespace maplex::objectives {

double violation(double bound_ms, double budget_ms) {
  if (std::isnan(bound_ms)) {
    return kInf;
  }
  return bound_ms > budget_ms ? bound_ms - budget_ms : 0.0;
}

namespace {

// NaN-safe "x < y" treating NaN as worst.
bool less_nan_last(double x, double y) {
  if (std::isnan(x)) {
    return false;
  }
  return std::isnan(y) || x < y;
}

}  // namespace

bool better(const Fitness& a, const Fitness& b) {
  if (a.feasible() != b.feasible()) {
    return a.feasible();
  }
  if (a.feasible()) {
    if (a.accuracy != b.accuracy && !(std::isnan(a.accuracy) && std::isnan(b.accuracy))) {
      return less_nan_last(-a.accuracy, -b.accuracy);
    }
  } else if (a.violation != b.violation) {
    return a.violation < b.violation;
  }
  if (a.latency_ms != b.latency_ms && !(std::isnan(a.latency_ms) && std::isnan(b.latency_ms))) {
    return less_nan_last(a.latency_ms, b.latency_ms);
  }
  return a.index < b.index;
}

bool constrained_dominates(const Fitness& a, const Fitness& b) {
  if (a.feasible() != b.feasible()) {
    return a.feasible();
  }
  if (!a.feasible()) {
    return a.violation < b.violation;
  }
  const bool no_worse = a.accuracy >= b.accuracy && a.latency_ms <= b.latency_ms;
  const bool better_somewhere = a.accuracy > b.accuracy || a.latency_ms < b.latency_ms;
  return no_worse && better_somewhere;
}

}  // namespace maplex::objectives
