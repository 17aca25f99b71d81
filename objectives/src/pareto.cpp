#include "maplex/objectives/pareto.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace maplex::objectives {

bool dominates(const Point& a, const Point& b) {
  if (a.size() != b.size()) {
    throw std::invalid_argument("dominates: points of " + std::to_string(a.size()) + " and " +
                                std::to_string(b.size()) + " objectives");
  }
  bool strictly = false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k] > b[k]) {
      return false;
    }
    strictly = strictly || a[k] < b[k];
  }
  return strictly;
}

std::vector<std::vector<int>> non_dominated_sort(std::span<const Point> points) {
  const auto n = static_cast<int>(points.size());
  std::vector<std::vector<int>> dominated_by_me(points.size());
  std::vector<int> count(points.size(), 0);  // how many dominate each point
  std::vector<std::vector<int>> fronts(1);
  for (int p = 0; p < n; ++p) {
    for (int q = p + 1; q < n; ++q) {
      if (dominates(points[p], points[q])) {
        dominated_by_me[p].push_back(q);
        ++count[q];
      } else if (dominates(points[q], points[p])) {
        dominated_by_me[q].push_back(p);
        ++count[p];
      }
    }
  }
  for (int p = 0; p < n; ++p) {
    if (count[p] == 0) {
      fronts[0].push_back(p);
    }
  }
  while (!fronts.back().empty()) {
    std::vector<int> next;
    for (int p : fronts.back()) {
      for (int q : dominated_by_me[p]) {
        if (--count[q] == 0) {
          next.push_back(q);
        }
      }
    }
    std::sort(next.begin(), next.end());
    fronts.push_back(std::move(next));
  }
  fronts.pop_back();
  return fronts;
}

std::vector<double> crowding_distance(std::span<const Point> points, std::span<const int> front) {
  const std::size_t m = front.size();
  std::vector<double> distance(m, 0.0);
  if (m <= 2) {
    std::fill(distance.begin(), distance.end(), std::numeric_limits<double>::infinity());
    return distance;
  }
  const std::size_t objectives = points[front[0]].size();
  std::vector<std::size_t> order(m);
  for (std::size_t k = 0; k < objectives; ++k) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return points[front[a]][k] < points[front[b]][k];
    });
    const double lo = points[front[order.front()]][k];
    const double hi = points[front[order.back()]][k];
    distance[order.front()] = std::numeric_limits<double>::infinity();
    distance[order.back()] = std::numeric_limits<double>::infinity();
    if (hi == lo) {
      continue;
    }
    for (std::size_t r = 1; r + 1 < m; ++r) {
      distance[order[r]] +=
          (points[front[order[r + 1]]][k] - points[front[order[r - 1]]][k]) / (hi - lo);
    }
  }
  return distance;
}

double hypervolume_2d(std::span<const Point> points, const Point& reference) {
  std::vector<std::pair<double, double>> inside;
  for (const Point& p : points) {
    if (p.size() != 2 || reference.size() != 2) {
      throw std::invalid_argument("hypervolume_2d: expected 2-D points and reference");
    }
    if (p[0] < reference[0] && p[1] < reference[1]) {
      inside.emplace_back(p[0], p[1]);
    }
  }
  // Sweep by the first coordinate; each point adds the strip up to the lowest second coordinate
  // seen so far.
  std::sort(inside.begin(), inside.end());
  double area = 0;
  double ceiling = reference[1];
  for (std::size_t i = 0; i < inside.size(); ++i) {
    const auto [x, y] = inside[i];
    ceiling = std::min(ceiling, y);
    const double right = i + 1 < inside.size() ? inside[i + 1].first : reference[0];
    area += (right - x) * (reference[1] - ceiling);
  }
  return area;
}

std::vector<int> pareto_front(std::span<const Point> points) {
  if (!points.empty() && points[0].size() == 2) {
    // 2-D: sweep by the first coordinate (then the second); a point is non-dominated when its
    // second coordinate is below every earlier one, or equal to a kept point's at the same first.
    std::vector<int> order(points.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      return points[a] < points[b] || (points[a] == points[b] && a < b);
    });
    std::vector<int> front;
    double best = std::numeric_limits<double>::infinity();
    const Point* last = nullptr;
    for (int i : order) {
      const Point& p = points[i];
      if (p.size() != 2) {
        throw std::invalid_argument("pareto_front: points of different sizes");
      }
      if (p[1] < best || (last != nullptr && p == *last)) {
        front.push_back(i);
        best = std::min(best, p[1]);
        last = &p;
      }
    }
    std::sort(front.begin(), front.end());
    return front;
  }
  const auto fronts = non_dominated_sort(points);
  return fronts.empty() ? std::vector<int>{} : fronts.front();
}

FrontQuality front_quality(std::span<const Point> found, std::span<const Point> truth) {
  if (truth.empty()) {
    throw std::invalid_argument("front_quality: empty true front");
  }
  Point ideal = truth.front();
  Point nadir = truth.front();
  for (const Point& p : truth) {
    for (std::size_t k = 0; k < 2; ++k) {
      ideal[k] = std::min(ideal[k], p[k]);
      nadir[k] = std::max(nadir[k], p[k]);
    }
  }
  const auto normalise = [&](std::span<const Point> points) {
    std::vector<Point> out;
    for (const Point& p : points) {
      Point q(2);
      for (std::size_t k = 0; k < 2; ++k) {
        const double span = nadir[k] - ideal[k];
        q[k] = span > 0 ? (p[k] - ideal[k]) / span : 0.0;
      }
      out.push_back(q);
    }
    return out;
  };
  const std::vector<Point> f = normalise(found);
  const std::vector<Point> t = normalise(truth);
  const Point reference = {1.1, 1.1};
  FrontQuality q;
  const double true_hv = hypervolume_2d(t, reference);
  q.hypervolume_ratio = true_hv > 0 ? hypervolume_2d(f, reference) / true_hv : 0.0;
  double total = 0;
  for (const Point& a : t) {
    double nearest = std::numeric_limits<double>::infinity();
    for (const Point& b : f) {
      nearest = std::min(nearest, std::hypot(a[0] - b[0], a[1] - b[1]));
    }
    total += nearest;
  }
  q.igd = total / static_cast<double>(t.size());
  return q;
}

}  // namespace maplex::objectives
