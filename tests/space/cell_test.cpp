#include "maplex/space/cell.hpp"

#include <gtest/gtest.h>

#include <set>

#include "maplex/space/cell_bgl.hpp"

namespace maplex::space {
namespace {

// Builds a cell from op ids e0..e5 (0 none, 1 skip, 2 conv1x1, 3 conv3x3, 4 avg_pool).
Arch cell(std::array<int, 6> ids) {
  std::array<Op, 6> ops{};
  for (std::size_t i = 0; i < 6; ++i) {
    ops[i] = static_cast<Op>(ids[i]);
  }
  return Arch(ops);
}

std::uint8_t mask(std::initializer_list<int> edges) {
  unsigned m = 0;
  for (int e : edges) {
    m |= 1U << e;
  }
  return static_cast<std::uint8_t>(m);
}

TEST(Cell, AllNoneIsDisconnected) {
  const CellInfo info = analyze(Arch());
  EXPECT_FALSE(info.connected);
  EXPECT_EQ(info.live_mask, 0);
}

TEST(Cell, FullCellIsAllLive) {
  const CellInfo info = analyze(cell({4, 2, 1, 2, 1, 1}));
  EXPECT_TRUE(info.connected);
  EXPECT_EQ(info.live_mask, mask({0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(info.live_edges(), 6);
}

TEST(Cell, DirectEdgeOnly) {
  const CellInfo info = analyze(cell({0, 0, 0, 3, 0, 0}));
  EXPECT_TRUE(info.connected);
  EXPECT_EQ(info.live_mask, mask({3}));
}

TEST(Cell, EdgeFromUnreachableNodeIsDead) {
  // 0->1 conv, 1->3 conv; node 2 has no input (e1, e2 none), so 2->3 is dead.
  const CellInfo info = analyze(cell({3, 0, 0, 0, 3, 3}));
  EXPECT_TRUE(info.connected);
  EXPECT_EQ(info.live_mask, mask({0, 4}));
}

TEST(Cell, EdgeIntoDeadEndIsDead) {
  // 0->1 conv but node 1 feeds nothing (e2, e4 none); 0->3 skip carries the output.
  const CellInfo info = analyze(cell({3, 0, 0, 1, 0, 0}));
  EXPECT_TRUE(info.connected);
  EXPECT_EQ(info.live_mask, mask({3}));
}

TEST(Cell, NoPathFromInput) {
  // Nodes 1 and 2 receive nothing from node 0; 1->2, 1->3, 2->3 exist but are unreachable.
  const CellInfo info = analyze(cell({0, 0, 3, 0, 3, 3}));
  EXPECT_FALSE(info.connected);
  EXPECT_EQ(info.live_mask, 0);
}

TEST(Cell, CountsOverTheWholeSpace) {
  // NB201: 341 of the 15,625 cells have no path from input to output; 6,466 classes.
  int disconnected = 0;
  std::set<std::string> keys;
  for (int code = 0; code < kNumArchs; ++code) {
    const Arch a = Arch::from_code(code);
    const CellInfo& info = cell_info(a);
    disconnected += info.connected ? 0 : 1;
    ASSERT_EQ(info.live_mask, analyze(a).live_mask);
    ASSERT_EQ(info.connected, info.live_mask != 0);
    keys.insert(canonical_key(a));
  }
  EXPECT_EQ(disconnected, 341);
  EXPECT_EQ(keys.size(), 6466U);
}

TEST(CanonicalKey, HandComputedForIndex0) {
  // node1 = (0)@avg_pool_3x3; node2 = sorted{(0)@nor_conv_1x1, node1};
  // node3 = sorted{(0)@nor_conv_1x1, node1, node2}.
  EXPECT_EQ(canonical_key(cell({4, 2, 1, 2, 1, 1})),
            "(0)@avg_pool_3x3+(0)@avg_pool_3x3+(0)@nor_conv_1x1+(0)@nor_conv_1x1");
}

TEST(CanonicalKey, InputsOfANodeCommute) {
  // 0->1 conv1x1 and 0->3 conv3x3, versus 0->1 conv3x3 and 0->3 conv1x1, with node 1 skipped to
  // node 3 in both: node 3 sums the same two terms.
  EXPECT_EQ(canonical_key(cell({2, 0, 0, 3, 1, 0})), canonical_key(cell({3, 0, 0, 2, 1, 0})));
  EXPECT_EQ(canonical_key(cell({2, 0, 0, 3, 1, 0})), "#+(0)@nor_conv_1x1+(0)@nor_conv_3x3");
  EXPECT_NE(canonical_key(cell({2, 0, 0, 3, 1, 0})), canonical_key(cell({3, 0, 0, 3, 1, 0})));
}

TEST(CanonicalKey, ReproducesNb201NotFullIsomorphism) {
  // NB201 marks only an exact "#" input as zero, so a node summing "#" with something keeps the
  // "#+" in its expression: swapping the roles of nodes 1 and 2 here gives two keys, as in NB201
  // (this is what makes its count 6,466).
  EXPECT_EQ(canonical_key(cell({3, 2, 0, 0, 1, 1})), "#+#+(0)@nor_conv_1x1+(0)@nor_conv_3x3");
  EXPECT_EQ(canonical_key(cell({2, 3, 0, 0, 1, 1})), "#+#+(0)@nor_conv_3x3+(0)@nor_conv_1x1");
}

TEST(CanonicalKey, EdgeFromZeroNodeCountsAsZero) {
  // Node 1 is zero (e0 none), so whatever 1->2 carries is zero too.
  EXPECT_EQ(canonical_key(cell({0, 3, 3, 1, 0, 1})), canonical_key(cell({0, 3, 0, 1, 0, 1})));
  EXPECT_EQ(canonical_key(Arch()), "#+#+#");
}

TEST(CellBgl, HasOneGraphEdgePerNonNoneEdge) {
  const CellGraph g = to_bgl(cell({3, 0, 0, 1, 0, 4}));
  EXPECT_EQ(boost::num_vertices(g), 4U);
  EXPECT_EQ(boost::num_edges(g), 3U);
  int seen = 0;
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    const CellEdgeProps& p = g[*it];
    EXPECT_EQ(static_cast<int>(boost::source(*it, g)),
              kEdgeSource[static_cast<std::size_t>(p.edge)]);
    EXPECT_EQ(static_cast<int>(boost::target(*it, g)),
              kEdgeTarget[static_cast<std::size_t>(p.edge)]);
    seen |= 1 << p.edge;
  }
  EXPECT_EQ(seen, (1 << 0) | (1 << 3) | (1 << 5));
}

}  // namespace
}  // namespace maplex::space
