#pragma once
// What every method of Predictor::train shares: the pool's per-device models and weights.

#include <Eigen/Dense>
#include <algorithm>
#include <string>
#include <vector>

#include "maplex/predictor/feature_cache.hpp"
#include "maplex/predictor/pool.hpp"
#include "maplex/predictor/predictor.hpp"
#include "prior.hpp"

namespace maplex::predictor::detail {

struct Context {
  const FeatureCache& features;
  const Pool& pool;
  const Adaptation& target;
  const PredictorConfig& config;
  std::vector<Eigen::VectorXd> additive;  // per pool device: additive model, every arch, ms
  std::vector<double> hardware_weight;    // per pool device, mean 1 (MAPLE-X: 3 spec dims)
  std::vector<double> setting_weight;     // the same with the batch size as a 4th dimension
  // per pool device: RMS of log(latency / additive model) over its samples, the part of its
  // latencies the additive model cannot explain (noise, drift, interactions)
  std::vector<double> residual_sd;
};

// Ridge fit of a device's latencies on `x` rows of its architectures, predicting every row of x;
// floored at half the device's smallest measurement so every prediction stays positive.
Eigen::VectorXd fit_device(const Eigen::MatrixXd& x, const DeviceSamples& device, double lambda);

Context make_context(const FeatureCache& features, const Pool& pool, const Adaptation& target,
                     const PredictorConfig& config);
// The hardware and setting weights of c.pool's devices for c.target (make_context's weights only).
void weigh(Context& c);

// exp(mean(log(y / model))) over the measured architectures.
double log_ratio_scale(const Eigen::VectorXd& model, const Adaptation& target);

// The target's own layer-wise table (Adaptation::lut_ms) as a vector; empty when it has none.
Eigen::VectorXd own_table(const Context& c);

Eigen::VectorXd predict_lut(const Context& c);
Eigen::VectorXd predict_nearest(const Context& c, TrainReport& report);
// Also returns, per architecture, the variance of log latency under the posterior: the spread of
// the members' predictions plus their devices' residual variance.
Eigen::VectorXd predict_bma(const Context& c, TrainReport& report, Eigen::VectorXd& log_var);
// maplex: Bayesian additive model under the pool's prior (hier.cpp); also returns log variance.
Eigen::VectorXd predict_hier(const Context& c, TrainReport& report, Eigen::VectorXd& log_var,
                             bool stacked);
// Its posterior: a mixture of Gaussians over the additive coefficients (ms per feature).
struct PosteriorMember {
  Eigen::VectorXd beta;
  Eigen::MatrixXd cov;
  double weight = 0;        // normalised
  double residual_var = 0;  // non-additive log residual variance added to every prediction
  std::string label;
  // Added to x . beta at every architecture (by NB201 index; empty for none): the part of the
  // target's own layer-wise table its additive features miss, at the member's speed.
  Eigen::VectorXd offset;
};
std::vector<PosteriorMember> hier_posterior(const Context& c);
// The same under a prior already fitted on c.pool (or a sub-pool's, prior_subset).
std::vector<PosteriorMember> hier_posterior(const Context& c, const AdditivePrior& prior);
// The mixture's prediction (ms) and log variance at `rows` (NB201 indices).
struct Moments {
  std::vector<double> mean;
  std::vector<double> log_var;
};
Moments mixture_moments(const Context& c, const std::vector<PosteriorMember>& members,
                        const std::vector<int>& rows);
// Where maplex floors its predictions, by NB201 index (the additive model can go negative far from
// the data), both the posterior's and the simplest fit it is stacked with: half the fastest
// measurement, or, where the target's own layer-wise table scaled to the measurements is lower,
// half of that (the table is measured for every architecture; a plan whose three architectures
// are all slow on the target must not floor its fast ones at half the slowest's time).
Eigen::VectorXd prediction_floor(const Context& c);
// maplex's answer is its posterior stacked with the simplest fit of the measurements, in log
// space: log m = w log posterior + (1 - w) log simple; its log variance is the posterior's, scaled
// by the calibration (calibrate measures the scale on stacked answers).
double stack(double w, double posterior_mean, double simple);
// The simplest fit of the measurements, floored: the flops fit (a target with its own layer-wise
// table is not stacked, calibrate).
Eigen::VectorXd simplest_fit(const Context& c);
// What the pool says of maplex on a device unlike it (calibrate.cpp): the stacking weight w and
// the factor the stacked log-sd is scaled by, both chosen on the pool's own devices playing the
// target; `prior`: the pool's (additive_prior on c.pool).
struct Calibration {
  double posterior_weight = 1;
  double log_sd_scale = 1;
};
// Unless `stacked`, and for a target with its own layer-wise table, w stays 1 (the posterior
// alone, as maplex-posterior).
Calibration calibrate(const Context& c, const AdditivePrior& prior, bool stacked);
// The pool without `held`, its chip and, when `family_out`, its family; `keep` gets the kept
// devices' positions in `pool`.
Pool pool_without(const Pool& pool, const DeviceSamples& held, bool family_out,
                  std::vector<Eigen::Index>& keep);
// flops: latency linear in FLOPs, fitted on the measurements alone.
struct FlopsFit {
  double per_mflop = 0;
  double fixed = 0;
  double floor = 0;  // predictions are floored here (5% of the fastest measurement)
  double at(double mflops) const { return std::max(per_mflop * mflops + fixed, floor); }
};
FlopsFit fit_flops(const Eigen::VectorXd& flops, const std::vector<int>& archs,
                   const std::vector<double>& latency_ms);
Eigen::VectorXd predict_flops(const Context& c);
// help: HELP's meta-learned predictor (help.cpp); needs help_reference_archs() measured.
Eigen::VectorXd predict_help(const Context& c);

// Hardware-weighted mean of the pool devices' residual variance (every method but maplex).
double pooled_residual_var(const Context& c);
Eigen::VectorXd predict_maple(const Context& c, bool virtual_examples, bool weighted,
                              TrainReport& report);

}  // namespace maplex::predictor::detail
