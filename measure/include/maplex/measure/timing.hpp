#pragma once
// Timing a network against a fixed reference network, as measure/MEASURING.md prescribes for
// machines whose speed drifts by up to 1.8x over minutes: after warm-up, runs alternate target,
// reference, target, reference, ...; each pair gives a ratio target/reference, in which the drift
// cancels. The latency reported is the median ratio times the reference's median over the whole
// sweep (supplied by the caller), or over this measurement when none is given. Raw times are kept.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "maplex/measure/runtime.hpp"

namespace maplex::measure {

struct TimingOptions {
  int warmup = 3;  // untimed runs of each network first
  int pairs = 15;  // timed (target, reference) pairs
};

struct Timing {
  double latency_ms = 0;           // median ratio x reference_ms
  double ratio = 0;                // median of target/reference over the pairs
  double target_median_ms = 0;     // median raw time of the target
  double target_cv = 0;            // coefficient of variation of the raw target times
  double ratio_cv = 0;             // coefficient of variation of the ratios
  double reference_median_ms = 0;  // the reference's median during this measurement
  std::vector<double> target_ms;
  std::vector<double> reference_ms;
};

// Throws std::invalid_argument unless pairs >= 1 and warmup >= 0.
Timing time_against(Network& target, Network& reference, const TimingOptions& options,
                    double sweep_reference_ms = 0);

// A network's speed also depends on where its buffers fall in memory: on this project's machines
// one network built twice in different heap states ran with time ratios to the reference that
// differed by a median of about 5% (OpenCV DNN; BENCHMARKS.md, issue 12), while one instance timed
// twice agreed within 1%. A measurement that is to repeat in another process therefore averages
// over layouts. Each layout first allocates a few heap blocks of seeded random sizes (held until
// its networks are gone), then builds the reference and the target afresh and times
// max(1, pairs / layouts) pairs (the remainder to the first layouts, so `pairs` in all).
using NetworkBuilder = std::function<std::unique_ptr<Network>()>;

struct LayoutOptions {
  int layouts = 1;         // memory layouts the pairs are shared among (at most the pairs)
  std::uint64_t seed = 0;  // the heap blocks' sizes
};

// The ratio is the geometric mean of the layouts' median ratios, ratio_cv the median of their
// ratio cvs (the steadiness within a layout), the raw times those of every pair. Throws
// std::invalid_argument unless 1 <= layouts <= pairs (and as time_against).
Timing time_over_layouts(const NetworkBuilder& make_target, const NetworkBuilder& make_reference,
                         const TimingOptions& options, const LayoutOptions& layouts,
                         double sweep_reference_ms = 0);

// Median and coefficient of variation (sample sd / mean) of `v` (non-empty).
double median_of(std::vector<double> v);
double cv_of(const std::vector<double>& v);

}  // namespace maplex::measure
