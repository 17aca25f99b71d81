#pragma once
// Fronts on (accuracy max, latency min): their hypervolume against a reference point, and an SVG
// plot of the true and the found fronts.

#include <string>
#include <vector>

namespace maplex::cli {

struct FrontPoint {
  int index = 0;
  double accuracy = 0;
  double latency_ms = 0;
};

// The non-dominated points (accuracy max, latency min), by ascending latency.
std::vector<FrontPoint> non_dominated(const std::vector<FrontPoint>& points);

// Area dominated by the points and bounded by (ref_accuracy, ref_latency_ms), in %*ms.
double hypervolume(const std::vector<FrontPoint>& points, double ref_accuracy,
                   double ref_latency_ms);

struct PlotSeries {
  std::string label;
  std::string colour;
  bool hollow = false;  // circles without fill, no line
  std::vector<FrontPoint> points;
};

// Writes an SVG of accuracy against latency; throws InputError when the file cannot be written.
void write_front_svg(const std::string& path, const std::string& title,
                     const std::vector<PlotSeries>& series);

}  // namespace maplex::cli
