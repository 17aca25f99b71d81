#pragma once
// Fronts of architectures on (accuracy max, latency min): the non-dominated members and their
// hypervolume against a reference point, in the units people read (% and ms).

#include <vector>

namespace maplex::objectives {

struct FrontPoint {
  int index = 0;  // NB201 index
  double accuracy = 0;
  double latency_ms = 0;
};

// The non-dominated points (accuracy max, latency min), by ascending latency (ties by index).
std::vector<FrontPoint> non_dominated(const std::vector<FrontPoint>& points);

// Area dominated by the points and bounded by (ref_accuracy, ref_latency_ms), in % x ms.
double hypervolume(const std::vector<FrontPoint>& points, double ref_accuracy,
                   double ref_latency_ms);

}  // namespace maplex::objectives
