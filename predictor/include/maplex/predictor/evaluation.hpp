#pragma once
// Evaluating predictors the way the papers do: adapt to a held-out device from a few measured
// architectures, predict all the others, and score the predictions against the device's table.
//
// Protocols:
//   loo   MAPLE-X Table 1 on the shipped analogue of its six devices (silver_4114, gold_6226,
//         gold_6240, 1080ti_1, 2080ti_1, titan_rtx_1): each in turn is the target, the other five
//         the pool, with the same random `pool_samples` architectures on each.
//   help  HELP's split: pool = its meta-train + meta-valid devices, targets = titan_rtx_256,
//         gold_6226, fpga, pixel2, raspi4, eyeriss.
// Within a trial every method gets the same pool sample and the same measured architectures, and
// trials run in parallel with results stored by (device, trial): a seed gives the same table
// whatever the thread count.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "maplex/predictor/metrics.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::predictor {

enum class AdaptSelect { random, plan };

// A target: a shipped device, or a user's measurements (all of which serve as the truth).
struct EvalTarget {
  std::string name;
  std::vector<double> truth;  // by NB201 index, NaN where unknown
  std::optional<SpecVector> spec;
  std::string hardware;        // devices sharing it stay out of the pool
  std::vector<double> lut_ms;  // the target's own layer-wise table (this machine), or empty
};

struct EvalOptions {
  std::string protocol = "loo";
  std::vector<EvalTarget> targets;  // empty: the protocol's devices
  std::vector<std::string> pool;    // empty: the protocol's pool
  std::vector<Method> methods = {std::begin(kAllMethods), std::end(kAllMethods)};
  int adapt = 3;
  int trials = 10;
  int pool_samples = 900;
  AdaptSelect select = AdaptSelect::random;
  std::uint64_t seed = 0;
  bool noise_ceiling = true;
  int ceiling_samples = 10000;
  PredictorConfig predictor;  // method is overridden per method
};

struct MethodSummary {
  Method method;
  std::vector<Metrics> trials;
  Metrics mean;
  Metrics std;
};

struct DeviceEvaluation {
  std::string device;
  std::vector<std::string> pool;
  std::vector<MethodSummary> methods;
  std::optional<Metrics> ceiling;  // the additive model fitted on ceiling_samples of the target
};

struct Evaluation {
  EvalOptions options;
  std::vector<DeviceEvaluation> devices;
  // Mean over devices of each method's mean metrics.
  std::map<Method, Metrics> overall;
  std::optional<Metrics> overall_ceiling;
  double seconds = 0;
};

// The protocol's default targets and pool; throws InputError for an unknown protocol.
std::vector<std::string> protocol_targets(const std::string& protocol);
std::vector<std::string> protocol_pool(const std::string& protocol, const std::string& target);

EvalTarget shipped_target(const tables::Catalog& catalog, const std::string& device);

// progress(done, total) is called from the calling thread only, after each finished trial.
Evaluation evaluate(const tables::Catalog& catalog, const FeatureCache& features,
                    EvalOptions options, const std::function<void(int, int)>& progress = nullptr);

}  // namespace maplex::predictor
