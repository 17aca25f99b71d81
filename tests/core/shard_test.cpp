#include "maplex/core/shard.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "maplex/core/error.hpp"

namespace maplex {
namespace {

TEST(Shard, ShardsPartitionTheUnits) {
  for (int n = 1; n <= 4; ++n) {
    std::multiset<std::size_t> seen;
    std::size_t shares = 0;
    for (int k = 0; k < n; ++k) {
      const Shard s{k, n};
      std::size_t owned = 0;
      for (std::size_t u = 0; u < 11; ++u) {
        if (s.owns(u)) {
          seen.insert(u);
          ++owned;
        }
      }
      EXPECT_EQ(owned, s.share(11)) << k << "/" << n;
      shares += s.share(11);
    }
    EXPECT_EQ(seen.size(), 11U);
    EXPECT_EQ(std::set<std::size_t>(seen.begin(), seen.end()).size(), 11U);
    EXPECT_EQ(shares, 11U);
  }
  EXPECT_EQ((Shard{2, 3}.share(2)), 0U);
  EXPECT_EQ((Shard{1, 3}.share(7)), 2U);  // units 1 and 4
}

TEST(Shard, ParsesKOfN) {
  EXPECT_EQ(parse_shard("0/1"), (Shard{0, 1}));
  EXPECT_EQ(parse_shard("2/3"), (Shard{2, 3}));
  EXPECT_EQ(parse_shard("2/3").str(), "2/3");
  for (const char* bad : {"3/3", "-1/2", "1", "a/b", "1/0", "1/2x", "/2", ""}) {
    EXPECT_THROW(parse_shard(bad), InputError) << bad;
  }
  try {
    parse_shard("3/3");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'3/3'"), std::string::npos) << e.what();
  }
}

TEST(Shard, ReadsASlurmJobArray) {
  ::setenv("SLURM_ARRAY_TASK_ID", "12", 1);
  ::setenv("SLURM_ARRAY_TASK_MIN", "10", 1);
  ::setenv("SLURM_ARRAY_TASK_COUNT", "4", 1);
  EXPECT_EQ(parse_shard("slurm"), (Shard{2, 4}));
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  try {
    parse_shard("slurm");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("SLURM_ARRAY_TASK_ID is not set"), std::string::npos)
        << e.what();
  }
  ::unsetenv("SLURM_ARRAY_TASK_MIN");
  ::unsetenv("SLURM_ARRAY_TASK_COUNT");
}

TEST(Shard, ASetNamesWhatIsMissingOrTwice) {
  EXPECT_NO_THROW(check_shard_set({{"b", {1, 2}}, {"a", {0, 2}}}));
  auto message = [](const std::vector<std::pair<std::string, Shard>>& parts) {
    try {
      check_shard_set(parts);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{"a", {0, 3}}, {"b", {2, 3}}}).find("shard 1/3 missing"), std::string::npos);
  EXPECT_NE(
      message({{"a", {0, 2}}, {"b", {1, 2}}, {"c", {1, 2}}}).find("1/2 given twice ('b' and 'c')"),
      std::string::npos);
  EXPECT_NE(message({{"a", {0, 2}}, {"b", {1, 3}}}).find("the same N"), std::string::npos);
  EXPECT_NE(message({}).find("no parts"), std::string::npos);
  EXPECT_NE(message({{"a", {0, 0}}}).find("'a' says it is shard 0 of 0"), std::string::npos);
  EXPECT_NE(message({{"a", {2, 2}}}).find("expected K of N"), std::string::npos);
}

}  // namespace
}  // namespace maplex
