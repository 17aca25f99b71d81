#include "maplex/measure/sweep.hpp"

#include <algorithm>

#include "maplex/core/error.hpp"
#include "maplex/space/sampling.hpp"

namespace maplex::measure {

namespace {

std::vector<int> sampled(int n, const std::set<int>& excluded, const space::ArchIndex& index,
                         Rng& rng) {
  int available = 0;
  for (int i = 0; i < index.size(); ++i) {
    available += index.cell(i).connected && excluded.count(i) == 0U ? 1 : 0;
  }
  if (n > available) {
    throw InputError("--sample " + std::to_string(n) + ", expected at most " +
                     std::to_string(available) + " (the connected architectures not in --exclude)");
  }
  return space::sample_distinct_connected(rng, n, index, excluded);
}

}  // namespace

std::vector<int> sweep_archs(const SweepRequest& request, const space::ArchIndex& index, Rng& rng) {
  std::vector<int> out;
  if (request.sample) {
    out = sampled(*request.sample, request.excluded, index, rng);
  } else if (request.all) {
    for (int i = 0; i < index.size(); ++i) {
      out.push_back(i);
    }
  } else {
    for (const auto& a : request.archs) {
      out.push_back(index.resolve(a));
    }
  }
  std::erase_if(out, [&](int a) { return request.excluded.count(a) != 0U; });
  for (std::size_t i = out.size(); i > 1; --i) {
    std::swap(out[i - 1], out[static_cast<std::size_t>(rng.below(i))]);
  }
  return out;
}

}  // namespace maplex::measure
