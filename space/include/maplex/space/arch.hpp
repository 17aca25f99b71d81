#pragma once
// Arch: one NB201 cell as a value: the op on each of its 6 edges.
//
// Nodes 0 (input) .. 3 (output); edge e goes from kEdgeSource[e] to kEdgeTarget[e], in the order of
// the canonical string |op~0|+|op~0|op~1|+|op~0|op~1|op~2|:
//   e0: 0->1, e1: 0->2, e2: 1->2, e3: 0->3, e4: 1->3, e5: 2->3.
// Every Arch is one of the 5^6 = 15,625 cells; code() numbers them in base 5 (e0 most significant).
// The code is NOT the NB201 index (NB201 shuffled its cells): ArchIndex maps between the two.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "maplex/space/op.hpp"

namespace maplex::space {

inline constexpr int kNumEdges = 6;
inline constexpr int kNumNodes = 4;
inline constexpr int kNumArchs = 15625;  // 5^6

inline constexpr std::array<int, kNumEdges> kEdgeSource = {0, 0, 1, 0, 1, 2};
inline constexpr std::array<int, kNumEdges> kEdgeTarget = {1, 2, 2, 3, 3, 3};

class Arch {
 public:
  // The all-none cell.
  constexpr Arch() = default;
  constexpr explicit Arch(const std::array<Op, kNumEdges>& edges) : edges_(edges) {}

  // Parses the canonical string; throws InputError naming the position and what was expected.
  static Arch parse(std::string_view text);
  // The cell with base-5 code `code` in [0, 15625); throws InputError outside that range.
  static Arch from_code(int code);

  constexpr Op op(int edge) const { return edges_[static_cast<std::size_t>(edge)]; }
  constexpr const std::array<Op, kNumEdges>& edges() const { return edges_; }
  // A copy with edge `edge` set to `op`.
  Arch with(int edge, Op op) const;

  int code() const;
  int count(Op op) const;
  std::string str() const;

  friend constexpr auto operator<=>(const Arch&, const Arch&) = default;

 private:
  std::array<Op, kNumEdges> edges_{};
};

}  // namespace maplex::space
