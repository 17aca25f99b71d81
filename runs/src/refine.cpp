#include "maplex/runs/refine.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "maplex/objectives/pareto.hpp"

namespace maplex::runs {

std::vector<objectives::Fitness> front_of(std::span<const objectives::Fitness> archive) {
  std::vector<objectives::Point> points;
  std::vector<const objectives::Fitness*> members;
  for (const auto& f : archive) {
    if (f.queried() && f.feasible()) {
      points.push_back({-f.accuracy, f.latency_ms});
      members.push_back(&f);
    }
  }
  std::vector<objectives::Fitness> front;
  for (int k : objectives::pareto_front(points)) {
    front.push_back(*members[static_cast<std::size_t>(k)]);
  }
  std::sort(front.begin(), front.end(), [](const auto& a, const auto& b) {
    return a.latency_ms < b.latency_ms || (a.latency_ms == b.latency_ms && a.index < b.index);
  });
  return front;
}

namespace {

// The front member not measured yet with the largest log-sd (ties: lower index); -1 when none.
int least_sure(const std::vector<objectives::Fitness>& front, const std::vector<double>& log_sd,
               const std::vector<char>& tried) {
  int pick = -1;
  double widest = -1;
  for (const auto& f : front) {
    const auto i = static_cast<std::size_t>(f.index);
    if (tried[i] == 0 && (log_sd[i] > widest || (log_sd[i] == widest && f.index < pick))) {
      pick = f.index;
      widest = log_sd[i];
    }
  }
  return pick;
}

}  // namespace

FrontRefinement refine_front(std::span<const objectives::Fitness> archive,
                             const objectives::LatencySource& source, int checks,
                             const std::function<double(int)>& measure, const Readapt& readapt) {
  if (source.log_sd.empty() || checks < 1 || !readapt) {
    throw std::invalid_argument(
        "refine_front: expected a predicted source with log_sd, checks >= 1 and a readapt");
  }
  std::vector<objectives::Fitness> candidates(archive.begin(), archive.end());
  std::vector<double> log_sd = source.log_sd;
  std::vector<char> tried(log_sd.size(), 0);
  std::vector<std::pair<int, double>> measured;
  FrontRefinement out;
  out.front = front_of(candidates);
  while (static_cast<int>(out.checks.size()) < checks) {
    const int a = least_sure(out.front, log_sd, tried);
    if (a < 0) {
      break;
    }
    tried[static_cast<std::size_t>(a)] = 1;
    const double ms = measure(a);
    if (!(std::isfinite(ms) && ms > 0)) {
      continue;  // the device cannot run it: not a measurement
    }
    out.checks.push_back(Check{a, source.latency_ms[static_cast<std::size_t>(a)], ms, false});
    measured.emplace_back(a, ms);
    const objectives::LatencySource fresh = readapt(measured);
    ++out.readaptations;
    log_sd = fresh.log_sd;
    for (auto& f : candidates) {
      f.latency_ms = fresh.latency_ms[static_cast<std::size_t>(f.index)];
      f.bound_ms = f.latency_ms;
    }
    for (const auto& [i, m] : measured) {
      for (auto& f : candidates) {
        if (f.index == i) {
          f.latency_ms = m;
          f.bound_ms = m;
        }
      }
    }
    out.front = front_of(candidates);
  }
  out.log_sd = std::move(log_sd);
  for (const auto& [i, m] : measured) {
    if (static_cast<std::size_t>(i) < out.log_sd.size()) {
      out.log_sd[static_cast<std::size_t>(i)] = 0;
    }
  }
  return out;
}

}  // namespace maplex::runs
