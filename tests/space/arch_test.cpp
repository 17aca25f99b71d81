#include "maplex/space/arch.hpp"

#include <gtest/gtest.h>

#include <set>

#include "maplex/core/error.hpp"

namespace maplex::space {
namespace {

// NB201 index 0, from the NB201 API and PROVENANCE.md.
constexpr const char* kIndex0 =
    "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~"
    "2|";

TEST(Arch, ParsesTheCanonicalString) {
  const Arch a = Arch::parse(kIndex0);
  const std::array<Op, 6> want = {Op::avg_pool_3x3, Op::nor_conv_1x1, Op::skip_connect,
                                  Op::nor_conv_1x1, Op::skip_connect, Op::skip_connect};
  EXPECT_EQ(a.edges(), want);
  EXPECT_EQ(a.str(), kIndex0);
}

TEST(Arch, CodeIsBase5WithEdge0MostSignificant) {
  // ops 4,2,1,2,1,1 -> 4*3125 + 2*625 + 1*125 + 2*25 + 1*5 + 1 = 13931
  EXPECT_EQ(Arch::parse(kIndex0).code(), 13931);
  EXPECT_EQ(Arch().code(), 0);
  EXPECT_EQ(Arch::from_code(15624).str(),
            "|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|"
            "avg_pool_3x3~2|");
}

TEST(Arch, RoundTripsEveryCell) {
  std::set<std::string> strings;
  for (int code = 0; code < kNumArchs; ++code) {
    const Arch a = Arch::from_code(code);
    ASSERT_EQ(a.code(), code);
    const std::string s = a.str();
    ASSERT_EQ(Arch::parse(s), a) << s;
    strings.insert(s);
  }
  EXPECT_EQ(strings.size(), 15625U);
}

TEST(Arch, FromCodeRejectsOutOfRange) {
  EXPECT_THROW(Arch::from_code(-1), InputError);
  try {
    Arch::from_code(15625);
    FAIL() << "no throw";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "arch code 15625 is out of range, expected 0..15624");
  }
}

TEST(Arch, WithAndCount) {
  const Arch a = Arch().with(3, Op::nor_conv_3x3).with(5, Op::nor_conv_3x3);
  EXPECT_EQ(a.count(Op::nor_conv_3x3), 2);
  EXPECT_EQ(a.count(Op::none), 4);
  EXPECT_EQ(a.op(3), Op::nor_conv_3x3);
  EXPECT_LT(Arch(), a);
}

TEST(Op, NamesRoundTrip) {
  for (Op op : kAllOps) {
    EXPECT_EQ(op_from_name(op_name(op)), op);
  }
  EXPECT_FALSE(op_from_name("conv_5x5").has_value());
  EXPECT_EQ(op_name(Op::nor_conv_3x3), "nor_conv_3x3");
  EXPECT_EQ(op_id(Op::avg_pool_3x3), 4);
}

}  // namespace
}  // namespace maplex::space
