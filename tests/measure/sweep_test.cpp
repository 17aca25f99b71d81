// What a sweep measures: the request's architectures, less the excluded ones, shuffled with the
// seed.

#include "maplex/measure/sweep.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "maplex/core/error.hpp"
#include "shipped_data.hpp"

namespace maplex::measure {
namespace {

const space::ArchIndex& index() { return maplex::testing::shipped_catalog().index(); }

TEST(Sweep, NamedArchitecturesLessTheExcludedInASeededShuffle) {
  SweepRequest r;
  r.archs = {"5", "17", "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|", "900"};
  r.excluded = {17};
  Rng a(3);
  const auto got = sweep_archs(r, index(), a);
  const int by_string =
      index().resolve("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|");
  std::vector<int> sorted = got;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> expected = {5, 900, by_string};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(sorted, expected);
  Rng b(3);
  EXPECT_EQ(sweep_archs(r, index(), b), got);
  r.archs = {"5", "bogus"};
  Rng c(3);
  EXPECT_THROW(sweep_archs(r, index(), c), InputError);
}

TEST(Sweep, ASampleIsDistinctConnectedAndAvoidsTheExcluded) {
  SweepRequest r;
  r.sample = 300;
  for (int i = 0; i < 2000; ++i) {
    r.excluded.insert(i);
  }
  Rng rng(9);
  const auto got = sweep_archs(r, index(), rng);
  ASSERT_EQ(got.size(), 300U);
  EXPECT_EQ(std::set<int>(got.begin(), got.end()).size(), 300U);
  for (int a : got) {
    EXPECT_GE(a, 2000);
    EXPECT_TRUE(index().cell(a).connected) << a;
  }
}

TEST(Sweep, AllIsEveryArchitectureOnceAndTooLargeASampleIsRefused) {
  SweepRequest r;
  r.all = true;
  r.excluded = {0, 15624};
  Rng rng(1);
  const auto got = sweep_archs(r, index(), rng);
  EXPECT_EQ(got.size(), 15623U);
  EXPECT_EQ(std::set<int>(got.begin(), got.end()).size(), 15623U);
  EXPECT_FALSE(std::is_sorted(got.begin(), got.end()));
  int connected = 0;
  for (int i = 0; i < index().size(); ++i) {
    connected += index().cell(i).connected ? 1 : 0;
  }
  SweepRequest too_many;
  too_many.sample = connected + 1;
  try {
    sweep_archs(too_many, index(), rng);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("expected at most " + std::to_string(connected)),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace maplex::measure
