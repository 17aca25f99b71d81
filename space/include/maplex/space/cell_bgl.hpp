#pragma once
// The escape hatch to Boost.Graph: a cell as a directed graph of its non-none edges. Include this
// only where BGL algorithms are wanted; cell.hpp keeps Boost out of every other header.

#include <boost/graph/adjacency_list.hpp>

#include "maplex/space/arch.hpp"

namespace maplex::space {

struct CellEdgeProps {
  int edge = 0;  // position 0..5 in the canonical string
  Op op = Op::none;
};

using CellGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                        boost::no_property, CellEdgeProps>;

// Vertices 0..3 are the cell's nodes; one graph edge per non-none cell edge.
CellGraph to_bgl(const Arch& arch);

}  // namespace maplex::space
