// Golden outputs of `maplex arch 0`. The golden files were checked by hand against row 0 of the
// shipped CSV files (accuracies, costs, 40 latencies) and NB201's facts about index 0.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run.hpp"

namespace maplex::testing {
namespace {

const std::filesystem::path kGolden = MAPLEX_TEST_GOLDEN_DIR;

TEST(Golden, ArchText) {
  const RunResult r = run_maplex({"arch", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, slurp(kGolden / "arch_0.txt"));
}

TEST(Golden, ArchJson) {
  const RunResult r = run_maplex({"arch", "0", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  // The context names this build and data folder; check its shape, then compare the rest.
  ASSERT_TRUE(doc.contains("context"));
  for (const char* key : {"maplex_version", "git_commit", "build_type", "data_dir"}) {
    EXPECT_TRUE(doc["context"][key].is_string()) << key;
  }
  doc.erase("context");
  EXPECT_EQ(doc, nlohmann::json::parse(slurp(kGolden / "arch_0.json")));
}

TEST(Golden, ArchByStringEqualsArchByIndex) {
  const RunResult by_index = run_maplex({"arch", "0"});
  const RunResult by_string =
      run_maplex({"arch",
                  "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|"
                  "skip_connect~2|"});
  EXPECT_EQ(by_string.exit_code, 0);
  EXPECT_EQ(by_string.out, by_index.out);
}

}  // namespace
}  // namespace maplex::testing
