#pragma once
// MAPLE-X latency neighbourhoods (section 2.2): the architectures whose latency stays close to an
// anchor's on every training device.
//
// The deviation of a candidate a from the anchor r is the root mean square over the pool devices d
// of (L_d(a) - L_d(r)) / L_d(r). (With the paper's 5 training devices this is close to requiring
// the bound on every device; with 40 devices, a maximum would be set by the noisiest one and leave
// almost every anchor without neighbours.) The neighbourhood is the max_size closest candidates
// (ties by smaller index) among those within max_bound; its bound is the largest member deviation,
// so it is chosen per anchor and is as tight as max_size members allow. An anchor with fewer than
// min_size members is a poor anchor (its latency is unusual on the pool): the planner does not pick
// it.

#include <Eigen/Dense>
#include <span>
#include <vector>

namespace maplex::predictor {

struct Neighbourhood {
  int anchor = -1;
  std::vector<int> members;  // NB201 indices, closest first; never the anchor
  double bound = 0;          // the largest member deviation (0 when empty)
};

struct NeighbourhoodOptions {
  int min_size = 5;  // used by the planner to accept an anchor
  int max_size = 10;
  double max_bound = 0.10;
};

// candidates: NB201 indices; candidate_latency: one row per candidate, one column per pool device;
// anchor_latency: the anchor's latency on each pool device.
Neighbourhood find_neighbourhood(int anchor, std::span<const double> anchor_latency,
                                 const std::vector<int>& candidates,
                                 const Eigen::MatrixXd& candidate_latency,
                                 const NeighbourhoodOptions& options = {});

}  // namespace maplex::predictor

namespace maplex::predictor {

// MAPLE-X virtual latency labels for the members of an anchor's neighbourhood:
//   v(a) = LUT(a) - mu + l_r,  mu = mean of LUT over the neighbourhood and the anchor,
// where LUT is the target's layer-wise estimate and l_r the anchor's measured latency. Only the
// differences of LUT matter, so its scale error cancels.
std::vector<double> virtual_labels(double anchor_lut, std::span<const double> member_lut,
                                   double anchor_measured);

}  // namespace maplex::predictor
