#pragma once
// MAPLE-X hardware-based importance weights (Abbasi, Wong, Shafiee, 2022, section 2.1).
//
// Each device is described by its public specs s = (cores, max clock MHz, TDP W). The paper takes a
// Euclidean distance between standardised spec vectors and a square root to keep the weights from
// differing by too much. Exactly, with D the set of spec dimensions known for both the target t and
// the training device i:
//   z_k(x)  = (log x_k - mean_k) / sd_k   over the pool and the target (log: cores span 4..4608)
//   d_i     = sqrt( (3 / |D|) * sum_{k in D} (z_k(t) - z_k(i))^2 )   (rescaled to 3 dimensions)
//   w_i     = 1 / sqrt(1 + d_i)
// and the weights are normalised to mean 1 over the pool devices. A dimension with zero spread is
// skipped. A device sharing no known dimension with the target gets the average weight of the
// devices that do (neither preferred nor ignored); when no device is comparable (for example the
// target has no specs) every weight is 1.

#include <vector>

#include "maplex/predictor/pool.hpp"

namespace maplex::predictor {

struct SimilarityWeights {
  std::vector<double> distance;  // d_i per pool device (0 where nothing is comparable)
  std::vector<double> weight;    // w_i, mean 1
};

// MAPLE-X uses the three spec dimensions; with `with_batch`, the batch size is a fourth (the
// distance is then rescaled to 4 dimensions), which tells a batch-256 GPU from the same chip at
// batch 1.
SimilarityWeights hardware_weights(const std::vector<SpecVector>& pool, const SpecVector& target,
                                   bool with_batch = false);

}  // namespace maplex::predictor
