// maplex measure as a user runs it: a CSV the rest of maplex reads as a device's measurements.

#include <gtest/gtest.h>

#include "run.hpp"

namespace maplex::testing {
namespace {

std::filesystem::path temp(const std::string& name) {
  const auto p = std::filesystem::temp_directory_path() /
                 ("maplex_mcli_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(p);
  return p;
}

TEST(MeasureCli, WritesAMeasurementsFileOthersRead) {
  const auto csv = temp("m.csv");
  const RunResult r = run_maplex({"measure", "--arch", "0,11472", "--arch",
                                  "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--pairs", "3",
                                  "--warmup", "1", "--out", csv.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("measured 3 architectures"), std::string::npos) << r.out;
  const std::string text = slurp(csv);
  EXPECT_EQ(text.rfind("# maplex measurements schema_version=1\n", 0), 0U);
  EXPECT_NE(text.find("onednn="), std::string::npos);
  EXPECT_NE(text.find("threads=1"), std::string::npos);
  EXPECT_NE(text.find("\narch,index,latency_ms,ratio,"), std::string::npos);
  EXPECT_EQ(count_lines(text), 4 + 3);
  EXPECT_NE(text.find(",11472,"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(csv.string() + ".partial"));  // removed once complete
  // The file is a device's measurements for the predictor.
  const auto preds = temp("p.csv");
  const RunResult p =
      run_maplex({"predict", "--measurements", csv.string(), "--out", preds.string()});
  EXPECT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(count_lines(slurp(preds)) > 15625, true);
  std::filesystem::remove(csv);
  std::filesystem::remove(preds);
}

TEST(MeasureCli, BadInputOneClearLine) {
  const RunResult dev = run_maplex({"measure", "--device", "pixel3", "--arch", "0", "--out", "x"});
  EXPECT_EQ(dev.exit_code, 1);
  EXPECT_EQ(count_lines(dev.err), 1) << dev.err;
  EXPECT_NE(dev.err.find("device 'pixel3' cannot be measured from here, expected local"),
            std::string::npos)
      << dev.err;
  const RunResult none = run_maplex({"measure", "--out", temp("n.csv").string()});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("expected --arch"), std::string::npos) << none.err;
  const RunResult bad = run_maplex({"measure", "--arch", "99999", "--out", temp("b.csv").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(count_lines(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("99999"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace maplex::testing
