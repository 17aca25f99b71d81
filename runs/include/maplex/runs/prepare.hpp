#pragma once
// What a spec resolves to: the target and its adaptation, the trained predictor's output as the
// latency source (or the device's table), the accuracy table, and the truth where the tables know
// it (for reports and regret).

#include <vector>

#include "maplex/objectives/problem.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/predictor/target.hpp"
#include "maplex/runs/spec.hpp"
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
};

// Throws InputError for an unknown device, dataset, source or method, a table source without a
// shipped device, a bad budget, or no feasible architecture.
Prepared prepare(const RunSpec& spec, const tables::Catalog& catalog,
                 const predictor::FeatureCache& features);

}  // namespace maplex::runs
