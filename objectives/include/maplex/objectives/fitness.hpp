#pragma once
// The fitness of one architecture under a latency budget, and constrained ranking.
//
// The budget is an inequality constraint c = bound_ms - budget_ms <= 0 kept as a value beside the
// objectives, never folded into a penalty (pagmo's constrained comparison): a feasible fitness
// beats every infeasible one; two feasible ones compare by accuracy; two infeasible ones by how far
// they break the budget. Accuracy is an expensive query, so an infeasible candidate never needs
// one: its rank depends on its violation alone.

#include <limits>

namespace maplex::objectives {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct Fitness {
  int index = -1;            // NB201 index
  double accuracy = kNaN;    // test accuracy, %; NaN when not queried
  double latency_ms = kNaN;  // the source's latency: predicted or measured; NaN = unknown
  double bound_ms = kNaN;    // what the constraint compares: latency, or a conservative bound
  double violation = 0;      // max(0, bound_ms - budget); +inf when the latency is unknown

  bool feasible() const { return violation == 0; }
  bool queried() const { return accuracy == accuracy; }  // not NaN
};

// Constraint violation of `bound_ms` under `budget_ms` (no budget: +inf budget).
double violation(double bound_ms, double budget_ms);

// Constrained ranking: true when `a` ranks strictly before `b`. Feasible before infeasible;
// feasible by higher accuracy, then lower latency; infeasible by lower violation, then lower
// latency; the NB201 index breaks every remaining tie, so rankings are total and deterministic.
bool better(const Fitness& a, const Fitness& b);

// Constraint-domination (Deb et al. 2002) for accuracy (max) and latency (min): a feasible `a`
// dominates any infeasible `b`; among infeasible ones the smaller violation dominates; among
// feasible ones Pareto dominance on (accuracy, latency).
bool constrained_dominates(const Fitness& a, const Fitness& b);

}  // namespace maplex::objectives
