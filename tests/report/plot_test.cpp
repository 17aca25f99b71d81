#include <gtest/gtest.h>

#include <regex>

#include "maplex/report/figures.hpp"
#include "maplex/report/plot.hpp"

namespace maplex::report {
namespace {

TEST(Ticks, LinearStepsAreOneTwoOrFiveTimesAPowerOfTen) {
  // 1.61 / 6 = 0.27 per interval: 0.5 is the smallest 1-2-5 step at least that wide.
  EXPECT_EQ(nice_ticks(2.12, 3.73, 6, false), (std::vector<double>{2.5, 3, 3.5}));
  EXPECT_EQ(nice_ticks(0, 100, 5, false), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(nice_ticks(-1, 1, 4, false), (std::vector<double>{-1, -0.5, 0, 0.5, 1}));
}

TEST(Ticks, LogTicksAreOneTwoFiveOfEachDecadeOrDecadesAlone) {
  EXPECT_EQ(nice_ticks(0.8, 30, 6, true), (std::vector<double>{1, 2, 5, 10, 20}));
  EXPECT_EQ(nice_ticks(0.01, 1e4, 6, true),
            (std::vector<double>{0.01, 0.1, 1, 10, 100, 1000, 1e4}));
}

TEST(Ticks, LabelsCarryAsManyDigitsAsTheStep) {
  EXPECT_EQ(tick_label(2.4000000000000004, 0.4), "2.4");
  EXPECT_EQ(tick_label(40, 20), "40");
  EXPECT_EQ(tick_label(0.05, 0.05), "0.05");
  EXPECT_EQ(tick_label(250000, 50000), "2e+05");
}

TEST(Svg, TextIsEscaped) {
  EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  Plot p{"front of <my> \"device\" & co", {"x", false}, {"y", false}, {}};
  p.series.push_back({"pixel<3>", "#000000", Series::Style::points, {{1, 2, "a&b"}}});
  const std::string svg = render_svg(p);
  EXPECT_NE(svg.find("front of &lt;my&gt; &quot;device&quot; &amp; co"), std::string::npos);
  EXPECT_NE(svg.find(">pixel&lt;3&gt;</text>"), std::string::npos);
  EXPECT_NE(svg.find("<title>a&amp;b</title>"), std::string::npos);
  EXPECT_EQ(svg.find("<my>"), std::string::npos);
}

TEST(Svg, TheLegendSitsBelowThePlotAreaAndPointsInsideIt) {
  Plot p{"t", {"latency (ms)", false}, {"accuracy (%)", false}, {}, 720, 440};
  for (int s = 0; s < 5; ++s) {
    Series series{"series " + std::to_string(s), "#1f77b4", Series::Style::points, {}};
    for (int k = 0; k < 20; ++k) {
      series.points.push_back({1.0 + k + s, 90.0 - k, ""});
    }
    p.series.push_back(series);
  }
  const std::string svg = render_svg(p);
  // The plot area: the first <rect> after the background.
  const std::regex area(
      R"re(<rect x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)")re");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, area));
  const double top = std::stod(m[2]);
  const double bottom = top + std::stod(m[4]);
  int legend_entries = 0;
  const std::regex circle(R"re(<circle cx="[0-9.]+" cy="([0-9.]+)" r="(\d)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator();
       ++it) {
    const double cy = std::stod((*it)[1]);
    if ((*it)[2] == "4") {  // legend marker
      EXPECT_GT(cy, bottom + 30);
      ++legend_entries;
    } else {
      EXPECT_GE(cy, top);
      EXPECT_LE(cy, bottom);
    }
  }
  EXPECT_EQ(legend_entries, 5);
  EXPECT_NE(svg.find(">series 4</text>"), std::string::npos);
}

TEST(Figures, ScatterThinsPointsAndDrawsTheTenPercentBand) {
  std::vector<int> index;
  std::vector<double> predicted;
  std::vector<double> measured;
  for (int i = 0; i < 1000; ++i) {
    index.push_back(i);
    measured.push_back(1 + i * 0.01);
    predicted.push_back(1.05 * (1 + i * 0.01));
  }
  const Plot p = scatter_plot("s", index, predicted, measured, 300);
  ASSERT_EQ(p.series.size(), 4U);
  EXPECT_EQ(p.series[0].points.size(), 250U);  // every 4th
  EXPECT_TRUE(p.x.log && p.y.log);
  EXPECT_DOUBLE_EQ(p.series[2].points[0].y, 1.1 * p.series[2].points[0].x);  // +10%
  EXPECT_DOUBLE_EQ(p.series[3].points[1].x, 1.1 * p.series[3].points[1].y);  // -10%
}

TEST(Figures, HistoryTracksTheBestFeasibleQuery) {
  std::vector<search::Record> h;
  const auto rec = [](int index, double acc, double violation, bool fresh) {
    search::Record r;
    r.fitness.index = index;
    r.fitness.accuracy = acc;
    r.fitness.latency_ms = 1;
    r.fitness.violation = violation;
    r.new_query = fresh;
    return r;
  };
  h = {rec(1, 80, 0, true), rec(2, 90, 1, true), rec(1, 80, 0, false), rec(3, 85, 0, true),
       rec(4, 70, 0, true)};
  const Plot p = history_plot("h", h);
  ASSERT_EQ(p.series.size(), 3U);
  EXPECT_EQ(p.series[0].points.size(), 1U);  // over the budget: query 2
  EXPECT_EQ(p.series[1].points.size(), 3U);  // feasible: queries 1, 3, 4
  const auto& best = p.series[2].points;
  ASSERT_EQ(best.size(), 3U);  // 80 at query 1, 85 at query 3, held to query 4
  EXPECT_EQ(best[1].x, 3);
  EXPECT_EQ(best[1].y, 85);
  EXPECT_EQ(best[2].x, 4);
}

}  // namespace
}  // namespace maplex::report
