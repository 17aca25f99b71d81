#pragma once
// Evaluating predictors the way the papers do: adapt to a held-out device from a few measured
// architectures, predict all the others, and score the predictions against the device's table.
//
// Protocols (protocols.cpp; `maplex evaluate --help` lists them):
//   loo      MAPLE-X Table 1 on the shipped analogue of its six devices (silver_4114, gold_6226,
//            gold_6240, 1080ti_1, 2080ti_1, titan_rtx_1): each in turn is the target, the other
//            five the pool.
//   help     HELP's split: pool = its meta-train + meta-valid devices, targets = titan_rtx_256,
//            gold_6226, fpga, pixel2, raspi4, eyeriss; scored on HELP's test architectures, with
//            the whole space beside it.
//   family   Every shipped device is a target; the pool holds no device of its family
//            (device_family), so no near relative can stand in for it.
//   nasflat  NASFLAT's six NB201 tasks (MLSys 2024), each its own train list and test devices.
// In every protocol a pool device sharing the target's hardware is left out. Within a trial every
// method gets the same pool sample and the same measured architectures, and trials run in
// parallel with results stored by (case, trial): a seed gives the same table whatever the thread
// count.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "maplex/core/shard.hpp"
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

// A target with its pool and its group (a family, a NASFLAT task; the protocol's name otherwise).
struct EvalCase {
  std::string group;
  EvalTarget target;
  std::vector<std::string> pool;
};

struct EvalOptions {
  std::string protocol = "loo";
  // empty: the protocol's cases; else these targets, each with `pool` (or, when that is empty,
  // the protocol's pool for loo and help, every other shipped device otherwise)
  std::vector<EvalTarget> targets;
  std::vector<std::string> pool;  // non-empty: the pool of every case
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
  std::vector<Metrics> trials;  // on the protocol's scored architectures
  Metrics mean;
  Metrics std;
  Metrics whole;  // mean over trials, scored on every known architecture but the measured
};

struct DeviceEvaluation {
  std::string device;
  std::string group;
  std::vector<std::string> pool;
  std::vector<MethodSummary> methods;
  std::optional<Metrics> ceiling;  // the additive model fitted on ceiling_samples of the target
};

struct Evaluation {
  EvalOptions options;
  std::vector<DeviceEvaluation> devices;
  // Mean over devices of each method's mean metrics.
  std::map<Method, Metrics> overall;
  std::map<Method, Metrics> overall_whole;  // the same, scored on every known architecture
  std::optional<Metrics> overall_ceiling;
  // Per group (family, task): the mean over its devices, and the geometric mean over groups of
  // the groups' mean Spearman (NASFLAT's summary; NaN when one is not positive).
  std::map<std::string, std::map<Method, Metrics>> groups;
  std::map<Method, double> geomean_spearman;
  // How much of `overall` is the luck of the trials (each draws a new pool sample and new
  // measured architectures): per trial, the mean over devices; their standard deviation over the
  // trials / sqrt(trials). `difference_se`: the same of each method's per-trial difference from
  // the first method in options.methods (paired: both saw the same pools and measurements), the
  // standard error of overall[m] - overall[first]. Zero with one trial.
  std::map<Method, Metrics> overall_se;
  std::map<Method, Metrics> difference_se;
  double seconds = 0;
};

// One unit of an evaluation's work: a (case, trial), unit number case * trials + trial, with every
// method's metrics (in options.methods order).
struct EvalCell {
  std::size_t case_index = 0;
  int trial = 0;
  std::vector<Metrics> scored;  // on the protocol's scored architectures
  std::vector<Metrics> whole;   // on every known architecture but the measured
};

// A case as the results name it.
struct EvalCaseInfo {
  std::string device;
  std::string group;
  std::vector<std::string> pool;
};

// What one shard of an evaluation computes (`maplex evaluate --shard K/N`): its units (cells, in
// unit order) and the noise ceilings of the cases it owns (case t belongs to the shard owning unit
// t). A whole evaluation is the part of shard 0/1; assemble() turns a complete part into the
// Evaluation, and merge_parts() joins the parts of every shard into one complete part.
struct EvalPart {
  EvalOptions options;
  Shard shard;
  std::vector<EvalCaseInfo> cases;  // every case, not only the shard's
  std::vector<EvalCell> cells;
  std::map<std::size_t, Metrics> ceilings;  // by case
  double seconds = 0;
};

EvalPart evaluate_part(const tables::Catalog& catalog, const FeatureCache& features,
                       EvalOptions options, Shard shard,
                       const std::function<void(int, int)>& progress = nullptr);
// InputError naming what is missing when `part` does not hold every cell and ceiling.
Evaluation assemble(const EvalPart& part);
// The parts (with a name each, for messages) of one sharded evaluation as one part (shard 0/1,
// seconds summed). InputError when a shard is missing or given twice, or the parts' options or
// cases differ.
EvalPart merge_parts(const std::vector<std::pair<std::string, EvalPart>>& parts);

// A part as a JSON document (schema, the options that determine the results, the shard, cases,
// cells, ceilings; metrics exact: they read back bit for bit) and back (InputError naming `name`).
std::string part_document(const EvalPart& part);
EvalPart parse_part_document(const std::string& text, const std::string& name);
inline constexpr int kEvalPartSchemaVersion = 1;

// The protocols' names, their cases, and which architectures each scores on a target (by NB201
// index, those with a known latency). Throw InputError for an unknown protocol.
std::vector<std::string> protocol_names();
std::vector<EvalCase> protocol_cases(const tables::Catalog& catalog, const std::string& protocol);
std::vector<int> scored_archs(const std::string& protocol, const std::vector<double>& truth);
// The NB201 indices whose latency `truth` knows (not NaN).
std::vector<int> known_archs(const std::vector<double>& truth);
std::string scored_description(const std::string& protocol);
// The single pool of loo or help for a target (InputError for the other protocols).
std::vector<std::string> protocol_pool(const std::string& protocol, const std::string& target);

EvalTarget shipped_target(const tables::Catalog& catalog, const std::string& device);

// progress(done, total) is called from the calling thread only, after each finished trial.
Evaluation evaluate(const tables::Catalog& catalog, const FeatureCache& features,
                    EvalOptions options, const std::function<void(int, int)>& progress = nullptr);

}  // namespace maplex::predictor
