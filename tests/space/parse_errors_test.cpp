// Malformed arch strings: each is rejected with a message naming the position and what was
// expected.

#include <gtest/gtest.h>

#include <string>

#include "maplex/core/error.hpp"
#include "maplex/space/arch.hpp"

namespace maplex::space {
namespace {

struct BadArch {
  std::string text;
  std::string message_part;  // must appear in the message
};

std::string error_of(const std::string& text) {
  try {
    Arch::parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

const std::string kTail = "|+|none~0|none~1|+|none~0|none~1|none~2|";

class ParseErrors : public ::testing::TestWithParam<BadArch> {};

TEST_P(ParseErrors, RejectedWithMessage) {
  const BadArch& bad = GetParam();
  const std::string message = error_of(bad.text);
  EXPECT_NE(message.find(bad.message_part), std::string::npos)
      << "input:   " << bad.text << "\nmessage: " << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "one line";
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseErrors,
    ::testing::Values(
        BadArch{"", "arch string: empty, expected an NB201 cell"},
        BadArch{"|nor_conv_3x3~0|+|bad~0|nor_conv_3x3~1|+|none~0|none~1|none~2|",
                "at position 19, unknown op 'bad' on edge 2<-0, expected one of none, "
                "skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3"},
        BadArch{"|conv_5x5~0" + kTail, "at position 2, unknown op 'conv_5x5' on edge 1<-0"},
        BadArch{"|NOR_CONV_3X3~0" + kTail, "unknown op 'NOR_CONV_3X3' on edge 1<-0"},
        BadArch{"|~0" + kTail, "at position 2, unknown op '' on edge 1<-0"},
        BadArch{"|none ~0" + kTail, "unknown op 'none ' on edge 1<-0"},
        BadArch{"|nor_conv_3x3~1" + kTail,
                "at position 15, edge 1<-0 has source node '1', expected '0'"},
        BadArch{"|none~01" + kTail, "edge 1<-0 has source node '01', expected '0'"},
        BadArch{"|none~" + kTail, "edge 1<-0 has source node '', expected '0'"},
        BadArch{"|none~0|+|none~0|none~0|+|none~0|none~1|none~2|",
                "at position 23, edge 2<-1 has source node '0', expected '1'"},
        BadArch{"|nor_conv_3x3" + kTail, "at position 2, expected op~source for edge 1<-0"},
        BadArch{"|none~0|+|none~0|+|none~0|none~1|none~2|",
                "at position 18, node 2 has 1 edge(s), expected 2"},
        BadArch{"|none~0|none~1|+|none~0|none~1|+|none~0|none~1|none~2|",
                "at position 9, node 1 has more than 1 edge(s), expected '+' to start node 2"},
        BadArch{"|none~0|+|none~0|none~1|", "has 2 node(s), expected 3 node groups"},
        BadArch{"|none~0|", "has 1 node(s), expected 3 node groups"},
        BadArch{"|none~0" + kTail + "+|none~0|", "more than 3 node groups"},
        BadArch{"|none~0" + kTail + "x", "stray characters 'x' after the last node"},
        BadArch{" |none~0" + kTail,
                "at position 1, expected '|' opening the edges of node 1, "
                "found ' '"},
        BadArch{"none~0" + kTail, "expected '|' opening the edges of node 1, found 'n'"},
        BadArch{"|none~0|+|none~0|none~1|+|none~0|none~1|none~2",
                "expected '|' after edge 3<-2, found the end of the string"},
        BadArch{"|none~0|-|none~0|none~1|+|none~0|none~1|none~2|",
                "at position 9, expected '+' to start node 2, found '-'"},
        BadArch{"|+|none~0|none~1|+|none~0|none~1|none~2|",
                "at position 2, node 1 has 0 edge(s), expected 1"},
        BadArch{"12345", "expected '|' opening the edges of node 1, found '1'"}));

TEST(ParseErrors, MessageQuotesTheInput) {
  const std::string message = error_of("|bad~0" + kTail);
  EXPECT_EQ(message.rfind("arch string '|bad~0|+|none~0|", 0), 0U) << message;
  EXPECT_NE(message.find("(form |op~0|+|op~0|op~1|+|op~0|op~1|op~2|)"), std::string::npos);
}

}  // namespace
}  // namespace maplex::space
