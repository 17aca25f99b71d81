#include "maplex/space/index.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "maplex/core/error.hpp"

namespace maplex::space {
namespace {

// An index in code order: NB201 index i = cell with code i (not NB201's order; enough for the API).
std::vector<Arch> by_code() {
  std::vector<Arch> v;
  for (int c = 0; c < kNumArchs; ++c) {
    v.push_back(Arch::from_code(c));
  }
  return v;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(ArchIndex, MapsBothWays) {
  const ArchIndex index(by_code());
  EXPECT_EQ(index.size(), 15625);
  EXPECT_EQ(index.index_of(Arch::from_code(777)), 777);
  EXPECT_EQ(index.arch(777), Arch::from_code(777));
  EXPECT_EQ(index.num_classes(), 6466);
  EXPECT_EQ(index.class_id(0), 0);  // the all-none cell comes first
  int total = 0;
  for (int c = 0; c < index.num_classes(); ++c) {
    total += index.class_size(c);
    ASSERT_EQ(index.class_id(index.class_representative(c)), c);
  }
  EXPECT_EQ(total, 15625);
}

TEST(ArchIndex, RejectsDuplicatesAndWrongSize) {
  auto v = by_code();
  v[10] = v[3];
  EXPECT_EQ(error_of([&] { ArchIndex{v}; }),
            "arch index: " + Arch::from_code(3).str() +
                " appears at index 3 and again at index 10, expected each NB201 cell exactly once");
  v.pop_back();
  EXPECT_EQ(error_of([&] { ArchIndex{v}; }),
            "arch index: 15624 architectures, expected all 15625 NB201 cells");
}

TEST(ArchIndex, ResolvesIndicesAndStrings) {
  const ArchIndex index(by_code());
  EXPECT_EQ(index.resolve("0"), 0);
  EXPECT_EQ(index.resolve("15624"), 15624);
  EXPECT_EQ(index.resolve(Arch::from_code(99).str()), 99);
  EXPECT_EQ(error_of([&] { index.resolve("15625"); }),
            "arch index 15625 is out of range, expected 0..15624");
  EXPECT_EQ(error_of([&] { index.resolve("-1"); }),
            "arch index -1 is out of range, expected 0..15624");
  EXPECT_EQ(error_of([&] { index.resolve("99999999999999999999"); }),
            "arch index 99999999999999999999 is out of range, expected 0..15624");
  EXPECT_NE(error_of([&] { index.resolve("abc"); }).find("arch string 'abc'"), std::string::npos);
  EXPECT_EQ(error_of([&] { index.arch(-5); }), "arch index -5 is out of range, expected 0..15624");
}

}  // namespace
}  // namespace maplex::space
