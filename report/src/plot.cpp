#include "maplex/report/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "maplex/core/error.hpp"

namespace maplex::report {

namespace {

constexpr double kLeft = 70;
constexpr double kRight = 20;
constexpr double kTop = 36;
constexpr double kBottom = 52;  // tick labels and the axis label
constexpr double kLegendRow = 18;

// Linear step of 1, 2 or 5 times a power of ten giving about `count` intervals over `span`.
double nice_step(double span, int count) {
  const double raw = span / std::max(1, count);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0}) {
    if (m * magnitude >= raw) {
      return m * magnitude;
    }
  }
  return 10 * magnitude;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
};

// The axis range: the data's, padded by 4% (log: in log space), never empty.
Range padded(Range r, bool log) {
  if (!(r.lo <= r.hi)) {
    return {log ? 1.0 : 0.0, log ? 10.0 : 1.0};
  }
  if (log) {
    const double a = std::log10(r.lo);
    const double b = std::log10(r.hi);
    const double pad = std::max(0.04 * (b - a), 0.02);
    return {std::pow(10.0, a - pad), std::pow(10.0, b + pad)};
  }
  const double pad = r.hi > r.lo ? 0.04 * (r.hi - r.lo) : std::max(std::abs(r.lo) * 0.05, 0.5);
  return {r.lo - pad, r.hi + pad};
}

struct Frame {
  double x0, x1, y0, y1;  // plot area in pixels
  Range xr, yr;
  bool xlog, ylog;
  double sx(double v) const { return map(v, xr, xlog, x0, x1); }
  double sy(double v) const { return map(v, yr, ylog, y1, y0); }
  static double map(double v, Range r, bool log, double a, double b) {
    const double t =
        log ? (std::log10(v) - std::log10(r.lo)) / (std::log10(r.hi) - std::log10(r.lo))
            : (v - r.lo) / (r.hi - r.lo);
    return a + t * (b - a);
  }
};

void axes(std::ostringstream& out, const Plot& plot, const Frame& f) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                "stroke=\"#444\"/>\n",
                f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0);
  out << buf;
  const auto ticks = [&](const Range& r, bool log, bool is_x) {
    const auto values = nice_ticks(r.lo, r.hi, 6, log);
    const double step = values.size() > 1 ? std::abs(values[1] - values[0]) : 1;
    for (const double v : values) {
      const std::string label = tick_label(v, log ? v : step);
      if (is_x) {
        std::snprintf(buf, sizeof buf,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                      f.sx(v), f.y0, f.sx(v), f.y1, f.sx(v), f.y1 + 16, label.c_str());
      } else {
        std::snprintf(buf, sizeof buf,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                      f.x0, f.sy(v), f.x1, f.sy(v), f.x0 - 6, f.sy(v) + 4, label.c_str());
      }
      out << buf;
    }
  };
  ticks(f.xr, f.xlog, true);
  ticks(f.yr, f.ylog, false);
  out << "<text x=\"" << (f.x0 + f.x1) / 2 << "\" y=\"" << f.y1 + 36 << "\" text-anchor=\"middle\">"
      << xml_escape(plot.x.label + (plot.x.log ? " (log)" : ""))
      << "</text>\n<text transform=\"translate(16," << (f.y0 + f.y1) / 2
      << ") rotate(-90)\" text-anchor=\"middle\">"
      << xml_escape(plot.y.label + (plot.y.log ? " (log)" : "")) << "</text>\n";
}

void series_svg(std::ostringstream& out, const Series& s, const Frame& f) {
  using Style = Series::Style;
  char buf[160];
  const bool inside_only = f.xlog || f.ylog;
  std::vector<PlotPoint> pts;
  for (const auto& p : s.points) {
    if (std::isfinite(p.x) && std::isfinite(p.y) && (!inside_only || (p.x > 0 && p.y > 0))) {
      pts.push_back(p);
    }
  }
  if (s.style == Style::steps || s.style == Style::line || s.style == Style::dashed) {
    std::string d;
    for (std::size_t k = 0; k < pts.size(); ++k) {
      if (k > 0 && s.style == Style::steps) {
        std::snprintf(buf, sizeof buf, " L%.1f,%.1f", f.sx(pts[k].x), f.sy(pts[k - 1].y));
        d += buf;
      }
      std::snprintf(buf, sizeof buf, "%s%.1f,%.1f", k == 0 ? "M" : " L", f.sx(pts[k].x),
                    f.sy(pts[k].y));
      d += buf;
    }
    out << "<path d=\"" << d << "\" fill=\"none\" stroke=\"" << s.colour
        << "\" stroke-width=\"1.5\""
        << (s.style == Style::dashed ? " stroke-dasharray=\"5,4\"" : "") << "/>\n";
  }
  if (s.style == Style::points || s.style == Style::hollow || s.style == Style::steps) {
    for (const auto& p : pts) {
      std::snprintf(buf, sizeof buf,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" stroke=\"%s\">", f.sx(p.x),
                    f.sy(p.y), s.style == Style::hollow ? "none" : s.colour.c_str(),
                    s.colour.c_str());
      out << buf;
      if (!p.tip.empty()) {
        out << "<title>" << xml_escape(p.tip) << "</title>";
      }
      out << "</circle>\n";
    }
  }
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int count, bool log) {
  std::vector<double> out;
  if (!(lo < hi)) {
    return {lo};
  }
  if (log) {
    const int first = static_cast<int>(std::floor(std::log10(lo)));
    const int last = static_cast<int>(std::ceil(std::log10(hi)));
    const bool decades_only = last - first > 3;
    for (int e = first; e <= last; ++e) {
      for (const double m : {1.0, 2.0, 5.0}) {
        const double v = m * std::pow(10.0, e);
        if (v >= lo && v <= hi && (m == 1.0 || !decades_only)) {
          out.push_back(v);
        }
      }
    }
    return out;
  }
  const double step = nice_step(hi - lo, count);
  // Multiples of the step: k * step is exact for the 1-2-5 steps, no accumulated sum.
  const auto first = static_cast<long long>(std::ceil(lo / step - 1e-9));
  const auto last = static_cast<long long>(std::floor(hi / step + 1e-9));
  for (long long k = first; k <= last; ++k) {
    out.push_back(static_cast<double>(k) * step);
  }
  return out;
}

std::string tick_label(double value, double step) {
  const int decimals =
      std::clamp(-static_cast<int>(std::floor(std::log10(std::abs(step)) + 1e-9)), 0, 6);
  char buf[32];
  if (std::abs(value) >= 1e5) {
    std::snprintf(buf, sizeof buf, "%.0e", value);
  } else {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  }
  return buf;
}

std::string render_svg(const Plot& plot) {
  Range xr;
  Range yr;
  for (const auto& s : plot.series) {
    for (const auto& p : s.points) {
      if ((!plot.x.log || p.x > 0) && (!plot.y.log || p.y > 0)) {
        xr.add(p.x);
        yr.add(p.y);
      }
    }
  }
  std::size_t entries = 0;
  for (const auto& s : plot.series) {
    entries += s.label.empty() ? 0 : 1;
  }
  const double legend_rows = std::ceil(static_cast<double>(entries) / 2);
  const double w = plot.width;
  const double h = plot.height + legend_rows * kLegendRow;
  const Frame f{kLeft,
                w - kRight,
                kTop,
                plot.height - kBottom,
                padded(xr, plot.x.log),
                padded(yr, plot.y.log),
                plot.x.log,
                plot.y.log};
  std::ostringstream out;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"" << w << "\" height=\""
      << h << "\" viewBox=\"0 0 " << w << ' ' << h << "\" font-family=\"sans-serif\" "
      << "font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << w / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">"
      << xml_escape(plot.title) << "</text>\n";
  axes(out, plot, f);
  for (const auto& s : plot.series) {
    series_svg(out, s, f);
  }
  // The legend: two columns under the plot area, one entry per labelled series.
  std::vector<const Series*> labelled;
  for (const auto& s : plot.series) {
    if (!s.label.empty()) {
      labelled.push_back(&s);
    }
  }
  for (std::size_t k = 0; k < labelled.size(); ++k) {
    const auto& s = *labelled[k];
    const double lx = kLeft + static_cast<double>(k % 2) * (w - kLeft - kRight) / 2;
    const double ly = plot.height + std::floor(static_cast<double>(k) / 2) * kLegendRow;
    const bool hollow = s.style == Series::Style::hollow;
    const bool is_line = s.style == Series::Style::line || s.style == Series::Style::dashed;
    char buf[256];
    if (is_line) {
      std::snprintf(buf, sizeof buf,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>", lx,
                    ly - 4, lx + 16, ly - 4, s.colour.c_str(),
                    s.style == Series::Style::dashed ? " stroke-dasharray=\"5,4\"" : "");
    } else {
      std::snprintf(buf, sizeof buf,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"%s\"/>", lx + 8,
                    ly - 4, hollow ? "none" : s.colour.c_str(), s.colour.c_str());
    }
    out << buf << "<text x=\"" << lx + 22 << "\" y=\"" << ly << "\">" << xml_escape(s.label)
        << "</text>\n";
  }
  out << "</svg>\n";
  return out.str();
}

void write_svg(const std::string& path, const Plot& plot) {
  std::ofstream out(path);
  if (!(out << render_svg(plot))) {
    throw InputError("cannot write " + quote(path) + ", expected a writable file path");
  }
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace maplex::report
