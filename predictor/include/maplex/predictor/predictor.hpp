#pragma once
// Latency prediction for a new device from a training pool and a few measurements on the device.
//
// Methods (all in one code path, so an evaluation compares methods, not plumbing):
//   lut       A layer-wise lookup table: per pool device, a ridge fit of latency on the op of each
//             edge (30 one-hot + bias); the devices' normalised tables averaged with the MAPLE-X
//             hardware weights, scaled to the target by the geometric mean ratio of its
//             measurements.
//   nearest   The pool device whose additive model (op counts, live op counts, connectivity) best
//             matches the measurements up to a scale (least squares on log ratios), scaled.
//   maple     MAPLE (Abbasi et al. 2021): one regression network over architecture features joined
//             with a device descriptor, trained on the pool plus the target's measurements weighted
//             up. The public data has no hardware counters, so the descriptor is the device's probe
//             signature (its log latency on the measured architectures, centred) plus its log
//             specs.
//   maple-x1  MAPLE plus MAPLE-X virtual examples from latency neighbourhoods (section 2.2).
//   maple-x   MAPLE-X (Abbasi, Wong, Shafiee 2022): maple-x1 plus hardware-based importance
//             weights on the pool samples (section 2.1, similarity.hpp).
//   flops     The simplest fit of the measurements alone: latency = a + b * FLOPs.
//   help      HELP (Lee et al., NeurIPS 2021), a baseline: a regressor conditioned on the
//             target's latencies on 10 fixed reference architectures, meta-trained on the pool
//             with first-order MAML and adapted with a few gradient steps (help.cpp states every
//             deviation from HELP's code). Needs those 10 measured (kHelpReference).
//   bma       Round 1's default: Bayesian model averaging over a dictionary of pool device models
//             and their pairwise mixtures, each scaled to the measurements; weights from the
//             log-ratio fit of each member (Gaussian, sd `bma_sigma`) times its hardware weight
//             raised to `hardware_sharpness`. Good where a near relative of the target is in the
//             pool; it cannot leave the span of the pool's devices.
//   maplex    Ours, the default: Bayesian regression of the target's additive latency model (op
//             counts, live op counts, connected, fixed overhead) under a prior learned from the
//             pool's devices and inflated so a device unlike any of them stays expressible; the
//             inflation is averaged with the measurements' marginal likelihood, so the answer
//             follows the pool when the measurements agree with it and the measurements when they
//             do not, and the predictive spread widens in that case (hier.cpp, prior.hpp). The
//             posterior is stacked with the flops fit of the measurements, and its spread scaled,
//             by a weight and a factor chosen on the pool's own devices playing the target
//             (calibrate.cpp); a target with its own per-op table (a live device) is not stacked,
//             the table being the posterior's own centre already.
//   maplex-posterior  maplex without the stacking (its weight stays 1; the spread is calibrated
//             the same way): round 2's answer, kept as an ablation so an evaluation measures what
//             the stacking is worth in the same run.
// All methods predict every one of the 15,625 architectures; predictions are in milliseconds.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "maplex/predictor/feature_cache.hpp"
#include "maplex/predictor/mlp.hpp"
#include "maplex/predictor/neighbourhood.hpp"
#include "maplex/predictor/pool.hpp"

namespace maplex::predictor {

enum class Method {
  flops,
  lut,
  nearest,
  maple,
  maple_x1,
  maple_x,
  help,
  bma,
  maplex_posterior,
  maplex
};

inline constexpr Method kAllMethods[] = {Method::flops, Method::lut,      Method::nearest,
                                         Method::maple, Method::maple_x1, Method::maple_x,
                                         Method::help,  Method::bma,      Method::maplex_posterior,
                                         Method::maplex};

// HELP's 10 reference architectures (NB201 indices): the `help` method's hardware embedding is
// the target's latency on them, so they must be among its measurements.
inline constexpr int kHelpReference[] = {11982, 431, 55, 9, 14451, 8636, 9881, 13479, 6196, 1462};
// The architectures a method needs measured on the target besides the adaptation (help: the
// reference set; others: none).
std::span<const int> required_archs(Method method);

std::string_view method_name(Method method);
// Every method's name, comma separated (for help texts and errors).
std::string method_list();
// Throws InputError naming the value and the known methods.
Method parse_method(std::string_view name);

struct PredictorConfig {
  Method method = Method::maplex;
  std::uint64_t seed = 0;
  MlpConfig mlp;
  // MAPLE: the measured samples together weigh this share of the training set.
  double adaptation_share = 0.05;
  // MAPLE-X: virtual examples weigh this much each, relative to one measured sample.
  double virtual_weight = 0.5;
  NeighbourhoodOptions neighbourhood;
  double bma_sigma = 0.04;  // log-latency noise of one measurement assumed by maplex
  // maplex: the prior of a member is its hardware weight to this power. MAPLE-X's square root
  // keeps weights close for training stability; as a prior over devices a sharper preference
  // for similar hardware measured better (BENCHMARKS.md).
  double hardware_sharpness = 4.0;
  // help: meta-training steps of first-order MAML (each over 4 pool devices). Chosen on HELP's
  // meta-validation devices (pool: its meta-training devices) among 2,000 / 4,000 / 8,000 /
  // 16,000, as HELP selects its checkpoint there (BENCHMARKS.md, "help's meta-training length").
  int help_meta_iterations = 8000;
  // maplex: read each pool device's op costs under the target's dead-op handling where both are
  // known (SpecVector::dead_ops; hier.cpp). Off by default: BENCHMARKS.md, "Dead ops, stated".
  bool use_dead_ops = false;
};

// What a fit chose, for reports and tests.
struct TrainReport {
  std::vector<std::string> pool;
  std::vector<double> hardware_weight;  // per pool device
  std::string nearest_device;           // nearest: the device used
  double nearest_scale = 0;
  std::vector<Neighbourhood> neighbourhoods;  // maple-x1 / maple-x
  int virtual_examples = 0;
  std::vector<std::pair<std::string, double>> top_members;  // maplex: largest posterior weights
  double log_sd_scale = 1;  // maplex: its spread's calibration on the pool (calibrate.cpp)
  // maplex: the weight of its posterior against the flops fit of the measurements, chosen on the
  // pool (calibrate.cpp); 1 = the posterior alone.
  double posterior_weight = 1;
  double training_error = 0;  // RMS log error on the measured architectures
};

class Predictor {
 public:
  // An untrained predictor; `features` must outlive it.
  Predictor(const FeatureCache& features, PredictorConfig config);

  // Adapts to the target; returns the RMS error of log latency on the measured architectures.
  // Throws InputError for no measurements, a non-positive latency, or an architecture out of range.
  double train(const Pool& pool, const Adaptation& target);

  bool trained() const { return !predictions_.empty(); }
  double predict(int index) const;
  void predict(std::span<const int> indices, std::span<double> out) const;
  // Every architecture's prediction, by NB201 index.
  const std::vector<double>& predictions() const;
  // Every architecture's predictive standard deviation of log latency, by NB201 index: how far
  // the truth may sit from the prediction (a factor exp(sd)). maplex: the posterior spread of its
  // members plus their devices' residual variance around an additive model; other methods: the
  // hardware-weighted residual variance of the pool devices. Used for conservative constraints.
  const std::vector<double>& log_sd() const;
  const TrainReport& report() const { return report_; }
  const PredictorConfig& config() const { return config_; }

 private:
  const FeatureCache* features_;
  PredictorConfig config_;
  std::vector<double> predictions_;
  std::vector<double> log_sd_;
  TrainReport report_;
};

}  // namespace maplex::predictor
