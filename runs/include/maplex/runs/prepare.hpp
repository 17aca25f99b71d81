#pragma once
// What a spec resolves to: the target and its adaptation, the trained predictor's output as the
// latency source (or the device's table), the accuracy table, and the truth where the tables know
// it (for reports and regret).

#include <functional>
#include <string>
#include <vector>

#include "maplex/objectives/problem.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/predictor/target.hpp"
#include "maplex/runs/live.hpp"
#include "maplex/runs/spec.hpp"
#include "maplex/runs/verify.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::runs {

struct Prepared {
  predictor::Target target;
  objectives::Problem problem;
  std::vector<double> true_latency_ms;  // by NB201 index; NaN where unknown (or a user's device)
  double predictor_seconds = 0;
  // The answer is verified on the device (RunSpec::verify; a shipped device, a predicted source
  // and a budget), and the problem's bound is at RunSpec::search_confidence.
  bool verifies = false;
  // One device measurement (ms) of an architecture, for verification: the shipped table for a
  // simulated device, the live device's measurement for `local`; empty when the device cannot be
  // measured.
  std::function<double(int)> measure;
  std::string device_fingerprint;  // live devices: the machine
  std::string device_description;
  // Predicted source with a device to measure: the predictor adapted again with further
  // measurements (verification's checks); empty otherwise.
  Readapt readapt;
  // Predicted source: the devices the predictor learnt from (the named pool, or the default one
  // with the spec's hold-out); empty for a measured source.
  std::vector<std::string> pool;
};

// `catalog` and `features` must outlive the result (Prepared::readapt refers to them).
// `live`: the device when spec.device is `local` (the planned adaptation architectures are measured
// on it, and so is the answer when verifying); it must outlive the result. Throws InputError for an
// unknown device, dataset, source or method, a table source without a shipped device, a live source
// or `local` without a live device, a bad budget, or no feasible architecture.
// What prepare does when nothing is predicted within the budget even after settling: refuse
// (objectives::InfeasibleBudget), or hand back the problem without a budget, the predictor as
// adapted (settling measurements included), for a caller that records such a search as one
// without an answer (compare).
enum class OnInfeasible { refuse, unbudgeted };

Prepared prepare(const RunSpec& spec, const tables::Catalog& catalog,
                 const predictor::FeatureCache& features, const LiveDevice* live = nullptr,
                 OnInfeasible on_infeasible = OnInfeasible::refuse);

}  // namespace maplex::runs
