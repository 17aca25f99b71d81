#include "maplex/space/cell.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <vector>

#include "maplex/space/cell_bgl.hpp"

namespace maplex::space {

namespace {

// Vertices reached from `start` (as a bit set over the 4 nodes).
template <typename Graph>
unsigned reached_from(const Graph& g, int start) {
  std::vector<boost::default_color_type> color(boost::num_vertices(g), boost::white_color);
  const auto color_map =
      boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g));
  boost::breadth_first_search(g, boost::vertex(static_cast<std::size_t>(start), g),
                              boost::color_map(color_map));
  unsigned mask = 0;
  for (std::size_t v = 0; v < color.size(); ++v) {
    if (color[v] != boost::white_color) {
      mask |= 1U << v;
    }
  }
  return mask;
}

}  // namespace

CellGraph to_bgl(const Arch& arch) {
  CellGraph g(kNumNodes);
  for (int e = 0; e < kNumEdges; ++e) {
    if (arch.op(e) != Op::none) {
      boost::add_edge(static_cast<std::size_t>(kEdgeSource[static_cast<std::size_t>(e)]),
                      static_cast<std::size_t>(kEdgeTarget[static_cast<std::size_t>(e)]),
                      CellEdgeProps{e, arch.op(e)}, g);
    }
  }
  return g;
}

int CellInfo::live_edges() const { return std::popcount(static_cast<unsigned>(live_mask)); }

CellInfo analyze(const Arch& arch) {
  const CellGraph g = to_bgl(arch);
  const unsigned from_input = reached_from(g, 0);
  const unsigned to_output = reached_from(boost::make_reverse_graph(g), kNumNodes - 1);
  CellInfo info;
  info.connected = ((from_input >> (kNumNodes - 1)) & 1U) != 0;
  for (int e = 0; e < kNumEdges; ++e) {
    const auto s = static_cast<unsigned>(kEdgeSource[static_cast<std::size_t>(e)]);
    const auto t = static_cast<unsigned>(kEdgeTarget[static_cast<std::size_t>(e)]);
    if (arch.op(e) != Op::none && ((from_input >> s) & 1U) != 0 && ((to_output >> t) & 1U) != 0) {
      info.live_mask = static_cast<std::uint8_t>(info.live_mask | (1U << e));
    }
  }
  return info;
}

std::string canonical_key(const Arch& arch) {
  std::array<std::string, kNumNodes> node;
  node[0] = "0";
  int e = 0;
  for (int target = 1; target < kNumNodes; ++target) {
    std::vector<std::string> inputs;
    for (int source = 0; source < target; ++source, ++e) {
      const Op op = arch.op(e);
      const std::string& in = node[static_cast<std::size_t>(source)];
      if (op == Op::none || in == "#") {
        inputs.emplace_back("#");
      } else if (op == Op::skip_connect) {
        inputs.push_back(in);
      } else {
        inputs.push_back("(" + in + ")@" + std::string(op_name(op)));
      }
    }
    std::sort(inputs.begin(), inputs.end());
    std::string joined;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      joined += (i == 0 ? "" : "+") + inputs[i];
    }
    node[static_cast<std::size_t>(target)] = std::move(joined);
  }
  return node[kNumNodes - 1];
}

}  // namespace maplex::space

namespace maplex::space {

const CellInfo& cell_info(const Arch& arch) {
  static const std::vector<CellInfo> table = [] {
    std::vector<CellInfo> all(kNumArchs);
    for (int code = 0; code < kNumArchs; ++code) {
      all[static_cast<std::size_t>(code)] = analyze(Arch::from_code(code));
    }
    return all;
  }();
  return table[static_cast<std::size_t>(arch.code())];
}

}  // namespace maplex::space
