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

TEST(Quote, EscapesBytesThatAreNotUtf8AndKeepsCharactersThatAre) {
  EXPECT_EQ(quote("gr\xc3\xbc\xc3\x9f"), "'gr\xc3\xbc\xc3\x9f'");  // "grüß" stays
  EXPECT_EQ(quote("\xe2\x82\xac 5"), "'\xe2\x82\xac 5'");          // the euro sign stays
  EXPECT_EQ(quote("a\xff"
                  "b"),
            "'a\\xffb'");                                 // a stray byte
  EXPECT_EQ(quote("\xc3("), "'\\xc3('");                  // a cut sequence
  EXPECT_EQ(quote("\xc0\xaf"), "'\\xc0\\xaf'");           // an overlong '/'
  EXPECT_EQ(quote("\xed\xa0\x80"), "'\\xed\\xa0\\x80'");  // a surrogate
  EXPECT_EQ(quote("\x7f"), "'\\x7f'");
}

TEST(Quote, CutsLongValuesBetweenCharactersAndCountsCharacters) {
  std::string euros;
  for (int i = 0; i < 250; ++i) {
    euros += "\xe2\x82\xac";  // 3 bytes each
  }
  const std::string q = quote(euros);
  EXPECT_EQ(q, "'" + euros.substr(0, 600) + "'... (250 characters)");
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

namespace maplex {
namespace {

// Whatever goes into an InputError (a file's bytes, another library's message), what comes out is
// one line of printable UTF-8: the CLI prints it as is.
TEST(InputErrorMessage, IsOnePrintableLine) {
  const InputError e(std::string("config.json: last read: '1\xff'\tthen\nmore ") +
                     "\x01"
                     "end");
  EXPECT_STREQ(e.what(), "config.json: last read: '1\\xff'\\tthen\\nmore \\x01end");
  const InputError clean("already 'quoted \\x07' text");
  EXPECT_STREQ(clean.what(), "already 'quoted \\x07' text");  // escaping twice changes nothing
}

}  // namespace
}  // namespace maplex
