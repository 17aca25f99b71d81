#pragma once
// An SVG plot of the true and the found fronts (accuracy max, latency min).

#include <string>
#include <vector>

#include "maplex/objectives/front.hpp"

namespace maplex::cli {

using objectives::FrontPoint;

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
