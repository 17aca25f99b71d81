#pragma once
// Pareto tools as free functions over points to be minimised in every coordinate (negate an
// objective to maximise it): dominance, fast non-dominated sorting and crowding distance (Deb et
// al. 2002, "A fast and elitist multiobjective genetic algorithm: NSGA-II"), and the exact 2-D
// hypervolume.

#include <span>
#include <utility>
#include <vector>

namespace maplex::objectives {

using Point = std::vector<double>;

// a <= b everywhere and a < b somewhere. Throws std::invalid_argument on a size mismatch.
bool dominates(const Point& a, const Point& b);

// The fronts of `points` as indices into it: front 0 is non-dominated, front 1 is non-dominated
// once front 0 is removed, and so on. Indices within a front ascend. Equal points share a front.
std::vector<std::vector<int>> non_dominated_sort(std::span<const Point> points);

// Crowding distance of each member of one front (indices into `points`), in the order given:
// boundary members of each objective get +inf, others the sum over objectives of the normalised
// gap between their neighbours. Fronts of one or two members are all +inf.
std::vector<double> crowding_distance(std::span<const Point> points, std::span<const int> front);

// Hypervolume dominated by 2-D points (both minimised) and bounded by `reference`: the area of
// the union of the boxes [p, reference]. Points not strictly better than the reference in both
// coordinates contribute nothing. Exact; O(n log n).
double hypervolume_2d(std::span<const Point> points, const Point& reference);

// The indices of the non-dominated points among `points` (front 0), ascending.
std::vector<int> pareto_front(std::span<const Point> points);

// A found 2-D front judged against the true one the way EvoXBench does: both objectives
// normalised by the true front's ideal (-> 0) and nadir (-> 1). `hypervolume_ratio` is the found
// front's hypervolume over the true front's, both against the reference (1.1, 1.1); `igd` the
// mean distance from each true-front point to the nearest found point (inverted generational
// distance). Points are minimised in both coordinates; a found point outside the box is clipped
// by the reference. Throws std::invalid_argument for an empty true front.
struct FrontQuality {
  double hypervolume_ratio = 0;
  double igd = 0;
};
FrontQuality front_quality(std::span<const Point> found, std::span<const Point> truth);

}  // namespace maplex::objectives
