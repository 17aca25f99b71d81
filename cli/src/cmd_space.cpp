// maplex space: counts over the whole NB201 space.

#include <array>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"

namespace maplex::cli {

namespace {

struct SpaceSummary {
  int architectures = 0;
  int connected = 0;
  int classes = 0;
  std::array<int, space::kNumOps> edges_by_op{};  // over all cells
  std::array<int, space::kNumOps> live_by_op{};   // live edges over all cells
  std::array<int, space::kNumEdges + 1> by_live_edges{};
};

SpaceSummary summarize(const space::ArchIndex& index) {
  SpaceSummary s;
  s.architectures = index.size();
  s.classes = index.num_classes();
  for (int i = 0; i < index.size(); ++i) {
    const space::Arch& a = index.arch(i);
    const space::CellInfo& cell = index.cell(i);
    s.connected += cell.connected ? 1 : 0;
    ++s.by_live_edges[static_cast<std::size_t>(cell.live_edges())];
    for (int e = 0; e < space::kNumEdges; ++e) {
      const auto op = static_cast<std::size_t>(space::op_id(a.op(e)));
      ++s.edges_by_op[op];
      s.live_by_op[op] += cell.live(e) ? 1 : 0;
    }
  }
  return s;
}

}  // namespace

int run_space(int argc, char** argv) {
  auto options = make_options("space", "Counts over the NB201 cell space");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  const tables::Catalog catalog = load_catalog(*args);
  const SpaceSummary s = summarize(catalog.index());
  if (args->count("json") != 0U) {
    auto doc = json_envelope("space", catalog);
    nlohmann::json ops = nlohmann::json::object();
    for (space::Op op : space::kAllOps) {
      const auto k = static_cast<std::size_t>(space::op_id(op));
      ops[std::string(space::op_name(op))] = {{"edges", s.edges_by_op[k]},
                                              {"live_edges", s.live_by_op[k]}};
    }
    doc["space"] = {{"architectures", s.architectures},
                    {"connected", s.connected},
                    {"disconnected", s.architectures - s.connected},
                    {"isomorphism_classes", s.classes},
                    {"ops", ops},
                    {"architectures_by_live_edges", s.by_live_edges}};
    std::cout << doc.dump(2) << '\n';
    return 0;
  }
  std::printf("architectures          %d (5 ops on 6 edges)\n", s.architectures);
  std::printf("connected              %d (%d output nothing: no path from input to output)\n",
              s.connected, s.architectures - s.connected);
  std::printf("isomorphism classes    %d (NB201 to_unique_str, consider_zero=True)\n\n", s.classes);
  std::printf("%-14s %10s %12s\n", "op", "edges", "live edges");
  for (space::Op op : space::kAllOps) {
    const auto k = static_cast<std::size_t>(space::op_id(op));
    std::printf("%-14s %10d %12d\n", std::string(space::op_name(op)).c_str(), s.edges_by_op[k],
                s.live_by_op[k]);
  }
  std::printf("\n%-14s %10s\n", "live edges", "archs");
  for (std::size_t n = 0; n < s.by_live_edges.size(); ++n) {
    std::printf("%-14zu %10d\n", n, s.by_live_edges[n]);
  }
  return 0;
}

}  // namespace maplex::cli
