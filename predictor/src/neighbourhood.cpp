#include "maplex/predictor/neighbourhood.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace maplex::predictor {

Neighbourhood find_neighbourhood(int anchor, std::span<const double> anchor_latency,
                                 const std::vector<int>& candidates,
                                 const Eigen::MatrixXd& candidate_latency,
                                 const NeighbourhoodOptions& options) {
  std::vector<std::pair<double, int>> dev;
  dev.reserve(candidates.size());
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (candidates[c] == anchor) {
      continue;
    }
    // Root mean square of the relative deviations over the pool devices.
    double sq = 0;
    for (std::size_t d = 0; d < anchor_latency.size(); ++d) {
      const double ref = anchor_latency[d];
      const double rel =
          (candidate_latency(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(d)) - ref) /
          ref;
      sq += rel * rel;
    }
    const double worst = std::sqrt(sq / static_cast<double>(anchor_latency.size()));
    if (worst <= options.max_bound) {
      dev.emplace_back(worst, candidates[c]);
    }
  }
  std::sort(dev.begin(), dev.end());
  Neighbourhood n;
  n.anchor = anchor;
  const std::size_t keep = std::min(dev.size(), static_cast<std::size_t>(options.max_size));
  for (std::size_t i = 0; i < keep; ++i) {
    n.members.push_back(dev[i].second);
    n.bound = dev[i].first;
  }
  return n;
}

}  // namespace maplex::predictor

namespace maplex::predictor {

std::vector<double> virtual_labels(double anchor_lut, std::span<const double> member_lut,
                                   double anchor_measured) {
  double mu = anchor_lut;
  for (double v : member_lut) {
    mu += v;
  }
  mu /= static_cast<double>(member_lut.size() + 1);
  std::vector<double> out;
  out.reserve(member_lut.size());
  for (double v : member_lut) {
    out.push_back(v - mu + anchor_measured);
  }
  return out;
}

}  // namespace maplex::predictor
