#include "maplex/objectives/front.hpp"

#include <algorithm>

#include "maplex/objectives/pareto.hpp"

namespace maplex::objectives {

namespace {

std::vector<Point> minimised(const std::vector<FrontPoint>& points) {
  std::vector<Point> p;
  p.reserve(points.size());
  for (const auto& f : points) {
    p.push_back({-f.accuracy, f.latency_ms});
  }
  return p;
}

}  // namespace

std::vector<FrontPoint> non_dominated(const std::vector<FrontPoint>& points) {
  std::vector<FrontPoint> out;
  for (int k : pareto_front(minimised(points))) {
    out.push_back(points[static_cast<std::size_t>(k)]);
  }
  std::sort(out.begin(), out.end(), [](const FrontPoint& a, const FrontPoint& b) {
    return a.latency_ms < b.latency_ms || (a.latency_ms == b.latency_ms && a.index < b.index);
  });
  return out;
}

double hypervolume(const std::vector<FrontPoint>& points, double ref_accuracy,
                   double ref_latency_ms) {
  return hypervolume_2d(minimised(points), {-ref_accuracy, ref_latency_ms});
}

}  // namespace maplex::objectives
