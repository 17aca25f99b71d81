#pragma once
// Plots as self-contained SVG text: points, step lines and reference lines on linear or log
// axes with rounded ("nice") ticks, the axes fitted to the data, and the legend below the plot
// area so it never covers a point. Every text is XML-escaped.

#include <string>
#include <string_view>
#include <vector>

namespace maplex::report {

struct PlotPoint {
  double x = 0;
  double y = 0;
  std::string tip;  // hover text (escaped); empty = none
};

struct Series {
  enum class Style { points, hollow, steps, line, dashed };
  std::string label;
  std::string colour;  // "#1f77b4"
  Style style = Style::points;
  std::vector<PlotPoint> points;
};

struct Axis {
  std::string label;
  bool log = false;  // positive values only; ticks at 1, 2, 5 times powers of ten
};

struct Plot {
  std::string title;
  Axis x;
  Axis y;
  std::vector<Series> series;
  int width = 720;
  int height = 440;
};

// Tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten, about `count` of them
// (log: the 1-2-5 values of each decade in range, or decades when there are many).
std::vector<double> nice_ticks(double lo, double hi, int count, bool log);

// A tick's label: as few digits as the step needs ("0.5", "2", "10", "1e+04").
std::string tick_label(double value, double step);

// The SVG element (with class="plot"). Series without points are left out of the axes' ranges.
std::string render_svg(const Plot& plot);

// render_svg to a file; throws InputError naming the path when it cannot be written.
void write_svg(const std::string& path, const Plot& plot);

// &, <, >, " and ' as XML entities.
std::string xml_escape(std::string_view text);

}  // namespace maplex::report
