#include "maplex/space/arch.hpp"

#include "maplex/core/error.hpp"
#include "parse_arch.hpp"

namespace maplex::space {

Arch Arch::parse(std::string_view text) { return detail::parse_arch(text); }

Arch Arch::from_code(int code) {
  if (code < 0 || code >= kNumArchs) {
    throw InputError("arch code " + std::to_string(code) + " is out of range, expected 0.." +
                     std::to_string(kNumArchs - 1));
  }
  std::array<Op, kNumEdges> edges{};
  for (int e = kNumEdges - 1; e >= 0; --e) {
    edges[static_cast<std::size_t>(e)] = static_cast<Op>(code % kNumOps);
    code /= kNumOps;
  }
  return Arch(edges);
}

Arch Arch::with(int edge, Op op) const {
  Arch copy = *this;
  copy.edges_.at(static_cast<std::size_t>(edge)) = op;
  return copy;
}

int Arch::code() const {
  int code = 0;
  for (Op op : edges_) {
    code = code * kNumOps + op_id(op);
  }
  return code;
}

int Arch::count(Op op) const {
  int n = 0;
  for (Op e : edges_) {
    n += e == op ? 1 : 0;
  }
  return n;
}

std::string Arch::str() const {
  std::string out = "|";
  for (int e = 0; e < kNumEdges; ++e) {
    out += op_name(op(e));
    out += '~';
    out += static_cast<char>('0' + kEdgeSource[static_cast<std::size_t>(e)]);
    out += '|';
    // A node's group ends after its last incoming edge (source = target - 1), except the last node.
    const int target = kEdgeTarget[static_cast<std::size_t>(e)];
    if (kEdgeSource[static_cast<std::size_t>(e)] == target - 1 && target < kNumNodes - 1) {
      out += "+|";
    }
  }
  return out;
}

}  // namespace maplex::space
