#include "maplex/objectives/problem.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"

namespace maplex::objectives {

std::string_view source_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::predicted:
      return "predicted";
    case SourceKind::table:
      return "table";
    case SourceKind::live:
      return "live";
  }
  return "?";
}

SourceKind parse_source(std::string_view name) {
  for (SourceKind k : {SourceKind::predicted, SourceKind::table, SourceKind::live}) {
    if (source_name(k) == name) {
      return k;
    }
  }
  throw InputError("latency source " + quote(name) +
                   " is unknown, expected predicted, table or live");
}

LatencySource live_source(std::string device, std::function<double(int)> measure) {
  LatencySource s;
  s.kind = SourceKind::live;
  s.device = std::move(device);
  s.measure = std::move(measure);
  return s;
}

LatencySource table_source(std::string device, std::vector<double> latency_ms) {
  LatencySource s;
  s.kind = SourceKind::table;
  s.device = std::move(device);
  s.bound_ms = latency_ms;
  s.latency_ms = std::move(latency_ms);
  return s;
}

double chance_within(double median, double sd, double budget) {
  if (!(sd > 0)) {
    return median <= budget ? 1.0 : 0.0;
  }
  return 0.5 * std::erfc(-(std::log(budget) - std::log(median)) / (sd * std::sqrt(2.0)));
}

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) {
    throw std::invalid_argument("normal_quantile: p outside (0, 1)");
  }
  // Acklam's coefficients.
  constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                          1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                          6.680131188771972e+01, -1.328068155288572e+01};
  constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                          -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                          3.754408661907416e+00};
  constexpr double low = 0.02425;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) {
    return -normal_quantile(1 - p);
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

LatencySource predicted_source(std::string device, std::vector<double> prediction_ms,
                               const std::vector<double>& log_sd, double confidence,
                               int adaptation_measurements) {
  if (!(confidence > 0 && confidence < 1)) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "confidence %g, expected a probability in (0, 1)", confidence);
    throw InputError(buf);
  }
  if (log_sd.size() != prediction_ms.size()) {
    throw std::invalid_argument("predicted_source: predictions and log_sd differ in size");
  }
  const double z = normal_quantile(confidence);
  LatencySource s;
  s.kind = SourceKind::predicted;
  s.device = std::move(device);
  s.bound_ms.resize(prediction_ms.size());
  for (std::size_t i = 0; i < prediction_ms.size(); ++i) {
    s.bound_ms[i] = prediction_ms[i] * std::exp(z * log_sd[i]);
  }
  s.latency_ms = std::move(prediction_ms);
  s.log_sd = log_sd;
  s.adaptation_measurements = adaptation_measurements;
  s.confidence = confidence;
  return s;
}

std::vector<CostLimit> cost_limits(const tables::ArchTable& table, space::Dataset dataset,
                                   std::optional<double> max_flops_m,
                                   std::optional<double> max_params_m) {
  const auto d = static_cast<std::size_t>(dataset);
  std::vector<CostLimit> out;
  const auto add = [&](const char* name, std::optional<double> max, auto field) {
    if (!max) {
      return;
    }
    CostLimit c{name, "M", {}, *max};
    c.value.reserve(table.records.size());
    for (const auto& r : table.records) {
      c.value.push_back((r.*field)[d]);
    }
    out.push_back(std::move(c));
  };
  add("FLOPs", max_flops_m, &tables::ArchRecord::flops_m);
  add("params", max_params_m, &tables::ArchRecord::params_m);
  return out;
}

bool meets_limits(const std::vector<CostLimit>& limits, std::size_t index) {
  return std::all_of(limits.begin(), limits.end(),
                     [index](const CostLimit& c) { return c.value[index] <= c.max; });
}

namespace {

std::string limits_text(const std::vector<CostLimit>& limits) {
  std::string t;
  for (const auto& c : limits) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s <= %g %s", t.empty() ? "" : " and ", c.name.c_str(), c.max,
                  c.unit.c_str());
    t += buf;
  }
  return t;
}

}  // namespace

Problem::Problem(std::vector<double> accuracy, LatencySource latency,
                 std::optional<double> budget_ms, const space::ArchIndex& index,
                 std::vector<CostLimit> limits)
    : accuracy_(std::move(accuracy)),
      latency_(std::move(latency)),
      budget_(budget_ms),
      limits_(std::move(limits)) {
  if (static_cast<int>(accuracy_.size()) == index.size()) {
    query_class_.resize(accuracy_.size());
    for (std::size_t i = 0; i < accuracy_.size(); ++i) {
      query_class_[i] = index.class_id(static_cast<int>(i));
    }
    num_query_classes_ = index.num_classes();
  } else {
    query_class_.resize(accuracy_.size());
    std::iota(query_class_.begin(), query_class_.end(), 0);
    num_query_classes_ = static_cast<int>(accuracy_.size());
  }
  const bool live = latency_.kind == SourceKind::live;
  if (live && !latency_.measure) {
    throw std::invalid_argument("Problem: a live source without a measurement function");
  }
  if (!live && (accuracy_.size() != latency_.latency_ms.size() ||
                latency_.bound_ms.size() != latency_.latency_ms.size())) {
    throw std::invalid_argument("Problem: accuracy and latency tables differ in size");
  }
  check_limits(index);
  if (budget_) {
    check_budget(index, live);
  }
}

// Every limit finite and > 0, and met by at least one architecture (else the smallest is named).
void Problem::check_limits(const space::ArchIndex& index) const {
  for (const auto& c : limits_) {
    if (c.value.size() != accuracy_.size()) {
      throw std::invalid_argument("Problem: a cost table differs in size");
    }
    if (!(c.max > 0) || !std::isfinite(c.max)) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "%s limit %g %s, expected a finite number > 0", c.name.c_str(),
                    c.max, c.unit.c_str());
      throw InputError(buf);
    }
  }
  if (!limits_.empty()) {
    bool any = false;
    for (std::size_t i = 0; i < accuracy_.size() && !any; ++i) {
      any = objectives::meets_limits(limits_, i);
    }
    if (!any) {
      const auto& c = limits_.front();
      const auto smallest =
          static_cast<int>(std::min_element(c.value.begin(), c.value.end()) - c.value.begin());
      char buf[512];
      std::snprintf(buf, sizeof buf,
                    "no architecture meets %s; the smallest by %s is %d %s at %g %s",
                    limits_text(limits_).c_str(), c.name.c_str(), smallest,
                    index.arch(smallest).str().c_str(), c.value[static_cast<std::size_t>(smallest)],
                    c.unit.c_str());
      throw InputError(buf);
    }
  }
}

// The budget finite and > 0, and above the fastest known bound among the architectures meeting
// the limits (a live source knows nothing before it measures).
void Problem::check_budget(const space::ArchIndex& index, bool live) const {
  if (!(*budget_ > 0) || !std::isfinite(*budget_)) {
    char buf[128];
    std::snprintf(buf, sizeof buf,
                  "latency budget %g ms, expected a finite number of milliseconds > 0", *budget_);
    throw InputError(buf);
  }
  if (live) {
    return;
  }
  int fastest = -1;
  for (std::size_t i = 0; i < latency_.bound_ms.size(); ++i) {
    const double b = latency_.bound_ms[i];
    if (!std::isnan(b) && objectives::meets_limits(limits_, i) &&
        (fastest < 0 || b < latency_.bound_ms[static_cast<std::size_t>(fastest)])) {
      fastest = static_cast<int>(i);
    }
  }
  if (fastest < 0) {
    throw InputError("device " + quote(latency_.device) +
                     " has no known latency, expected at least one");
  }
  const auto f = static_cast<std::size_t>(fastest);
  if (latency_.bound_ms[f] > *budget_) {
    char buf[768];
    const bool predicted = latency_.kind == SourceKind::predicted;
    const std::string among = limits_.empty() ? "" : " meeting " + limits_text(limits_);
    std::snprintf(buf, sizeof buf,
                  "no feasible architecture exists: latency budget %.4g ms on %s is below every "
                  "architecture's %s; the fastest%s is %d %s at %.4g ms%s",
                  *budget_, latency_.device.c_str(),
                  predicted ? "predicted latency bound" : "latency", among.c_str(), fastest,
                  index.arch(fastest).str().c_str(), latency_.bound_ms[f],
                  predicted ? " (bound at the chosen confidence)" : "");
    throw InfeasibleBudget(buf);
  }
}

bool Problem::meets_limits(int index) const {
  return objectives::meets_limits(limits_, static_cast<std::size_t>(index));
}

Fitness Problem::assess(int index) const {
  const auto i = static_cast<std::size_t>(index);
  Fitness f;
  f.index = index;
  if (latency_.kind == SourceKind::live) {
    f.latency_ms = latency_.measure(index);
    f.bound_ms = f.latency_ms;
  } else {
    f.latency_ms = latency_.latency_ms.at(i);
    f.bound_ms = latency_.bound_ms.at(i);
  }
  f.violation = budget_ ? violation(f.bound_ms, *budget_) : (std::isnan(f.bound_ms) ? kInf : 0.0);
  for (const auto& c : limits_) {
    if (c.value[i] > c.max) {
      f.violation += (c.value[i] - c.max) / c.max;
    }
  }
  return f;
}

void Problem::set_low_fidelity(std::vector<double> accuracy, double cost) {
  if (accuracy.size() != accuracy_.size() || !(cost > 0 && cost < 1)) {
    throw std::invalid_argument("Problem: low-fidelity table of " +
                                std::to_string(accuracy.size()) + " rows at cost " +
                                std::to_string(cost) + ", expected " +
                                std::to_string(accuracy_.size()) + " rows at a cost in (0, 1)");
  }
  low_accuracy_ = std::move(accuracy);
  low_cost_ = cost;
}

void Problem::set_query_classes(std::vector<int> classes) {
  if (classes.size() != accuracy_.size()) {
    throw std::invalid_argument("Problem: query classes differ in size from the accuracy table");
  }
  int n = 0;
  for (int c : classes) {
    if (c < 0) {
      throw std::invalid_argument("Problem: a negative query class");
    }
    n = std::max(n, c + 1);
  }
  query_class_ = std::move(classes);
  num_query_classes_ = n;
}

int constrained_optimum(const std::vector<double>& accuracy, const std::vector<double>& latency_ms,
                        double budget_ms, const std::vector<CostLimit>& limits) {
  int best = -1;
  for (std::size_t i = 0; i < accuracy.size(); ++i) {
    const double l = latency_ms[i];
    if (std::isnan(l) || l > budget_ms || !meets_limits(limits, i)) {
      continue;
    }
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const auto b = static_cast<std::size_t>(best);
    if (accuracy[i] > accuracy[b] || (accuracy[i] == accuracy[b] && l < latency_ms[b])) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

Optimum exhaustive_optimum(const std::vector<double>& accuracy,
                           const std::vector<double>& latency_ms, double budget_ms,
                           const space::ArchIndex& index, const std::vector<CostLimit>& limits) {
  const std::vector<double> connected = connected_only(latency_ms, index);
  Optimum o;
  o.index = constrained_optimum(accuracy, connected, budget_ms, limits);
  for (std::size_t i = 0; i < connected.size(); ++i) {
    if (!std::isnan(connected[i])) {
      ++o.with_latency;
      o.feasible += connected[i] <= budget_ms && meets_limits(limits, i) ? 1 : 0;
    }
  }
  return o;
}

}  // namespace maplex::objectives
