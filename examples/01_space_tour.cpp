// Example 1: the NB201 space without any data file: parse a cell, inspect its graph, count its
// costs, and walk to a neighbour. Run: build/examples/example_01_space_tour

#include <iostream>

#include "maplex/space/cell.hpp"
#include "maplex/space/network.hpp"
#include "maplex/space/sampling.hpp"

int main() {
  using namespace maplex::space;
  const Arch arch = Arch::parse(
      "|nor_conv_3x3~0|+|none~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|");
  const CellInfo info = analyze(arch);
  std::cout << "cell        " << arch.str() << "\n"
            << "connected   " << (info.connected ? "yes" : "no") << "\n"
            << "live edges  " << info.live_edges() << "\n"
            << "key         " << canonical_key(arch) << "\n";
  for (Dataset d : kAllDatasets) {
    const Costs c = costs(arch, d);
    std::cout << dataset_name(d) << ": " << c.flops_m << " MFLOPs, " << c.params_m << " M params\n";
  }
  Sampler sampler(42);  // a seed fixes every draw
  const Arch child = sampler.mutate(arch);
  std::cout << "a mutation  " << child.str() << "\n";
  return costs(arch, Dataset::cifar10).flops_m > 0 ? 0 : 1;
}
