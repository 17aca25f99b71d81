#pragma once
// Graph facts about a cell: which edges are live, whether the output is reachable, and an
// isomorphism-invariant key. Computed with Boost.Graph (see cell_bgl.hpp) but exposed as plain
// values.

#include <cstdint>
#include <string>

#include "maplex/space/arch.hpp"

namespace maplex::space {

struct CellInfo {
  // Bit e set when edge e is live: its op is not none and it lies on a path from node 0 to node 3
  // through non-none edges. A dead edge does not influence the cell's output.
  std::uint8_t live_mask = 0;
  // Whether node 3 is reachable from node 0 through non-none edges (false for 341 cells: they
  // output zeros).
  bool connected = false;

  bool live(int edge) const { return ((live_mask >> edge) & 1U) != 0; }
  int live_edges() const;
};

// Live edges and connectivity of a cell (graph traversal forward from 0 and backward from 3).
CellInfo analyze(const Arch& arch);

// NB201's isomorphism key, `to_unique_str(consider_zero=True)` of the NB201 API: node 0 is "0";
// each later node is the sorted '+'-join of its inputs, where an input is "#" when its op is none
// or its source is exactly "#", its source expression for skip_connect, and "(src)@op" otherwise.
// The key of the cell is node 3's expression. It yields 6,466 classes over the 15,625 cells.
std::string canonical_key(const Arch& arch);

}  // namespace maplex::space

namespace maplex::space {

// analyze(arch) from a table of all 15,625 cells built once (thread-safe): the fast path.
const CellInfo& cell_info(const Arch& arch);

}  // namespace maplex::space
