#include "front_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "maplex/core/error.hpp"
#include "maplex/objectives/pareto.hpp"

namespace maplex::cli {

void write_front_svg(const std::string& path, const std::string& title,
                     const std::vector<PlotSeries>& series) {
  double x0 = 1e300;
  double x1 = -1e300;
  double y0 = 1e300;
  double y1 = -1e300;
  for (const auto& s : series) {
    for (const auto& p : s.points) {
      x0 = std::min(x0, p.latency_ms);
      x1 = std::max(x1, p.latency_ms);
      y0 = std::min(y0, p.accuracy);
      y1 = std::max(y1, p.accuracy);
    }
  }
  if (x0 > x1) {
    x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  }
  const double padx = 0.05 * std::max(x1 - x0, 1e-9);
  const double pady = 0.05 * std::max(y1 - y0, 1e-9);
  x0 -= padx, x1 += padx, y0 -= pady, y1 += pady;
  constexpr double kW = 760;
  constexpr double kH = 500;
  constexpr double kLeft = 70;
  constexpr double kRight = 20;
  constexpr double kTop = 40;
  constexpr double kBottom = 55;
  const auto sx = [&](double x) { return kLeft + (x - x0) / (x1 - x0) * (kW - kLeft - kRight); };
  const auto sy = [&](double y) {
    return kH - kBottom - (y - y0) / (y1 - y0) * (kH - kTop - kBottom);
  };
  std::ofstream out(path);
  char buf[256];
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"500\" "
         "font-family=\"sans-serif\" font-size=\"12\">\n<!-- maplex pareto plot schema_version=1 "
         "-->\n"
         "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  out << "<text x=\"380\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" << title
      << "</text>\n";
  std::snprintf(
      buf, sizeof buf,
      "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" stroke=\"#444\"/>\n", kLeft,
      kTop, kW - kLeft - kRight, kH - kTop - kBottom);
  out << buf;
  for (int t = 0; t <= 5; ++t) {
    const double xv = x0 + (x1 - x0) * t / 5;
    const double yv = y0 + (y1 - y0) * t / 5;
    std::snprintf(buf, sizeof buf,
                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.3g</text>\n"
                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>\n",
                  sx(xv), kH - kBottom + 16, xv, kLeft - 6, sy(yv) + 4, yv);
    out << buf;
  }
  out << "<text x=\"" << (kLeft + kW - kRight) / 2 << "\" y=\"" << kH - 12
      << "\" text-anchor=\"middle\">latency (ms)</text>\n"
      << "<text transform=\"translate(18," << (kTop + kH - kBottom) / 2
      << ") rotate(-90)\" text-anchor=\"middle\">test accuracy (%)</text>\n";
  double legend_y = kTop + 16;
  for (const auto& s : series) {
    if (!s.hollow && !s.points.empty()) {
      std::string d;
      for (std::size_t k = 0; k < s.points.size(); ++k) {
        const auto& p = s.points[k];
        if (k > 0) {
          std::snprintf(buf, sizeof buf, " L%.1f,%.1f", sx(p.latency_ms),
                        sy(s.points[k - 1].accuracy));
          d += buf;
        }
        std::snprintf(buf, sizeof buf, "%s%.1f,%.1f", k == 0 ? "M" : " L", sx(p.latency_ms),
                      sy(p.accuracy));
        d += buf;
      }
      out << "<path d=\"" << d << "\" fill=\"none\" stroke=\"" << s.colour
          << "\" stroke-width=\"1.5\"/>\n";
    }
    for (const auto& p : s.points) {
      std::snprintf(buf, sizeof buf,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" stroke=\"%s\"><title>%d: "
                    "%.4g%% at %.4g ms</title></circle>\n",
                    sx(p.latency_ms), sy(p.accuracy), s.hollow ? "none" : s.colour.c_str(),
                    s.colour.c_str(), p.index, p.accuracy, p.latency_ms);
      out << buf;
    }
    std::snprintf(buf, sizeof buf,
                  "<circle cx=\"%g\" cy=\"%g\" r=\"4\" fill=\"%s\" stroke=\"%s\"/><text x=\"%g\" "
                  "y=\"%g\">",
                  kW - kRight - 250, legend_y - 4, s.hollow ? "none" : s.colour.c_str(),
                  s.colour.c_str(), kW - kRight - 240, legend_y);
    out << buf << s.label << "</text>\n";
    legend_y += 18;
  }
  out << "</svg>\n";
  if (!out) {
    throw InputError("--plot " + quote(path) + ": cannot write, expected a writable file path");
  }
}

}  // namespace maplex::cli
