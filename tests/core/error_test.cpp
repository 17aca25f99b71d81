#include "maplex/core/error.hpp"

#include <gtest/gtest.h>

namespace maplex {
namespace {

TEST(Quote, WrapsInSingleQuotes) { EXPECT_EQ(quote("abc"), "'abc'"); }

TEST(Quote, EscapesControlCharacters) { EXPECT_EQ(quote("a\tb\n\x01"), "'a\\tb\\n\\x01'"); }

TEST(Quote, CutsLongValues) {
  const std::string q = quote(std::string(300, 'x'));
  EXPECT_EQ(q, "'" + std::string(200, 'x') + "'... (300 characters)");
}

TEST(DidYouMean, NamesTheNearestKnownName) {
  const std::vector<std::string> known = {"titan_rtx_1", "titan_rtx_32", "pixel3", "algorithm"};
  EXPECT_EQ(did_you_mean("titan_rtx1", known), "; did you mean 'titan_rtx_1'?");
  EXPECT_EQ(did_you_mean("algoritm", known), "; did you mean 'algorithm'?");
  EXPECT_EQ(did_you_mean("pixle3", known), "; did you mean 'pixel3'?");  // two edits, 6 letters
}

TEST(DidYouMean, SaysNothingWhenNothingIsNear) {
  const std::vector<std::string> known = {"titan_rtx_1", "pixel3"};
  EXPECT_EQ(did_you_mean("gold_6226", known), "");
  EXPECT_EQ(did_you_mean("pxl", known), "");  // three edits from pixel3, a third of 3 is 1
  EXPECT_EQ(did_you_mean("x", {}), "");
}

}  // namespace
}  // namespace maplex
