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

}  // namespace
}  // namespace maplex
