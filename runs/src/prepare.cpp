#include "maplex/runs/prepare.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/predictor/adapt.hpp"
#include "maplex/predictor/predictor.hpp"

namespace maplex::runs {

namespace {

// Rounds of settling measurements before a search gives up on a budget nothing is predicted
// within, and architectures measured per round.
constexpr int kSettleRounds = 3;
constexpr int kSettlePerRound = 2;

// When no architecture meeting the limits is predicted within the budget (at the bound's
// confidence): the connected ones with the smallest predicted latency, not measured yet, which
// would settle whether the budget can be met. Empty when something is predicted within it.
std::vector<int> settling_archs(const objectives::LatencySource& source,
                                const std::vector<objectives::CostLimit>& limits,
                                const space::ArchIndex& index, double budget_ms,
                                const std::vector<int>& measured) {
  std::vector<int> order;
  for (std::size_t i = 0; i < source.bound_ms.size(); ++i) {
    if (!objectives::meets_limits(limits, i) || !index.cell(static_cast<int>(i)).connected) {
      continue;
    }
    if (source.bound_ms[i] <= budget_ms) {
      return {};
    }
    if (std::find(measured.begin(), measured.end(), static_cast<int>(i)) == measured.end()) {
      order.push_back(static_cast<int>(i));
    }
  }
  const auto k = std::min<std::size_t>(kSettlePerRound, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](int a, int b) {
                      return source.latency_ms[static_cast<std::size_t>(a)] <
                             source.latency_ms[static_cast<std::size_t>(b)];
                    });
  order.resize(k);
  return order;
}

// The predictor adapted to the target's measurements (none of them in the pool) as a source.
objectives::LatencySource adapted_source(const RunSpec& spec, const tables::Catalog& catalog,
                                         const predictor::FeatureCache& features,
                                         const predictor::PoolOptions& po,
                                         const predictor::Target& target, double confidence) {
  predictor::PredictorConfig cfg;
  cfg.method = predictor::parse_method(spec.method);
  cfg.seed = spec.seed;
  cfg.use_dead_ops = !spec.dead_ops.empty();
  const auto a = predictor::adapt(catalog, features, target.name, target.adaptation, po, cfg);
  const auto& p = a.predictor;
  return objectives::predicted_source(target.name, p.predictions(), p.log_sd(), confidence,
                                      static_cast<int>(target.adaptation.archs.size()));
}

// Adapts the predictor to the target; while nothing is predicted within the budget, measures the
// architectures that would settle it (when the device can be measured) and adapts again, or says
// which to measure (when it cannot). The measurements join the target's adaptation.
objectives::LatencySource predicted_until_settled(
    const RunSpec& spec, const tables::Catalog& catalog, const predictor::FeatureCache& features,
    const predictor::PoolOptions& po, const std::vector<objectives::CostLimit>& limits,
    const std::function<double(int)>& measure, predictor::Target& target, double confidence) {
  std::vector<int> tried = target.adaptation.archs;
  for (int round = 0;; ++round) {
    auto source = adapted_source(spec, catalog, features, po, target, confidence);
    const std::vector<int> settle =
        spec.budget_ms ? settling_archs(source, limits, catalog.index(), *spec.budget_ms, tried)
                       : std::vector<int>{};
    if (settle.empty() || round == kSettleRounds) {
      return source;
    }
    if (!measure) {
      std::string list;
      for (int a : settle) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%s%d (predicted %.4g ms)", list.empty() ? "" : ", ", a,
                      source.latency_ms[static_cast<std::size_t>(a)]);
        list += buf;
      }
      char budget[32];
      std::snprintf(budget, sizeof budget, "%.4g", *spec.budget_ms);
      throw InputError("no architecture is predicted within the latency budget " +
                       std::string(budget) + " ms on " + quote(target.name) +
                       ", expected measurements that settle it: measure " + list +
                       " and add them to " + quote(spec.measurements));
    }
    for (int a : settle) {
      tried.push_back(a);
      const double ms = measure(a);
      if (std::isfinite(ms) && ms > 0) {  // a table may lack an architecture
        target.adaptation.archs.push_back(a);
        target.adaptation.latency_ms.push_back(ms);
      }
    }
  }
}

// The spec's target and confidences, and a live source or device with a live device opened.
void check_spec(const RunSpec& spec, objectives::SourceKind kind, bool is_live) {
  if (spec.device.empty() && spec.measurements.empty()) {
    throw InputError("expected a target: --device NAME or --measurements FILE");
  }
  for (const auto& [option, p] : {std::pair<const char*, double>{"--confidence", spec.confidence},
                                  {"--search-confidence", spec.search_confidence}}) {
    if (!(p > 0 && p < 1)) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "%s %g, expected a probability in (0, 1)", option, p);
      throw InputError(buf);
    }
  }
  if ((is_live_device_name(spec.device) || kind == objectives::SourceKind::live) && !is_live) {
    throw InputError("device " + quote(spec.device) + " with latency source " + quote(spec.source) +
                     ": a live measurement needs a live device, expected --device local, "
                     "local:<runtime> or cmd:FILE");
  }
  if (is_live && !spec.measurements.empty()) {
    throw InputError("--measurements " + quote(spec.measurements) + " with --device " +
                     spec.device + ", expected one of them (" + spec.device + " is measured live)");
  }
}

// Measured search on a shipped device: every candidate's latency read from its table.
Prepared table_run(const RunSpec& spec, const tables::Catalog& catalog,
                   std::vector<double> accuracy, std::vector<objectives::CostLimit> limits,
                   const std::vector<double>& truth) {
  if (!catalog.has_device(spec.device)) {
    catalog.device(spec.device);  // throws: unknown device
  }
  predictor::Target t;
  t.name = spec.device;
  t.source = "table " + catalog.device(spec.device).data_file;
  t.simulated = true;
  auto measure = [truth](int i) { return truth[static_cast<std::size_t>(i)]; };
  const auto dataset = space::parse_dataset(spec.dataset);
  objectives::Problem problem(std::move(accuracy), objectives::table_source(spec.device, truth),
                              spec.budget_ms, catalog.index(), std::move(limits));
  objectives::add_low_fidelity(problem, catalog.archs(), dataset, spec.accuracy_choice());
  return Prepared{t, std::move(problem), truth, 0.0, false, measure, "", "", {}, {}};
}

// The predictor adapted again with further measurements (verification's checks); catalog and
// features outlive the prepared run (prepare's contract).
Readapt readapter(const RunSpec& spec, const tables::Catalog& catalog,
                  const predictor::FeatureCache& features, const predictor::PoolOptions& po,
                  const predictor::Target& target, double confidence) {
  return [spec, &catalog, &features, po, target,
          confidence](const std::vector<std::pair<int, double>>& checks) {
    predictor::Target t = target;
    for (const auto& [a, ms] : checks) {
      if (std::isfinite(ms) && ms > 0 &&
          std::find(t.adaptation.archs.begin(), t.adaptation.archs.end(), a) ==
              t.adaptation.archs.end()) {
        t.adaptation.archs.push_back(a);
        t.adaptation.latency_ms.push_back(ms);
      }
    }
    return adapted_source(spec, catalog, features, po, t, confidence);
  };
}

// The problem at the spec's budget; a budget nothing is predicted within refuses
// (InfeasibleBudget) or, when the caller takes that, drops the budget.
objectives::Problem budgeted_problem(std::vector<double> accuracy, objectives::LatencySource source,
                                     const RunSpec& spec, const space::ArchIndex& index,
                                     std::vector<objectives::CostLimit> limits,
                                     OnInfeasible on_infeasible) {
  if (on_infeasible == OnInfeasible::refuse || !spec.budget_ms) {
    return {std::move(accuracy), std::move(source), spec.budget_ms, index, std::move(limits)};
  }
  try {
    return {accuracy, source, spec.budget_ms, index, limits};
  } catch (const objectives::InfeasibleBudget&) {
    return {std::move(accuracy), std::move(source), std::nullopt, index, std::move(limits)};
  }
}

// The pool the spec asks for (its default: every shipped device but the target's chip, and its
// family when held out).
predictor::PoolOptions pool_options_of(const RunSpec& spec) {
  predictor::PoolOptions po;
  po.devices = spec.pool;
  po.samples_per_device = spec.pool_samples;
  po.hold_out_family = spec.hold_out_family;
  po.seed = spec.seed;
  return po;
}

}  // namespace

Prepared prepare(const RunSpec& spec, const tables::Catalog& catalog,
                 const predictor::FeatureCache& features, const LiveDevice* live,
                 OnInfeasible on_infeasible) {
  const auto start = std::chrono::steady_clock::now();
  const auto dataset = space::parse_dataset(spec.dataset);
  const auto kind = objectives::parse_source(spec.source);
  const std::size_t n = static_cast<std::size_t>(catalog.index().size());
  std::vector<double> truth(n, objectives::kNaN);
  if (catalog.has_device(spec.device)) {
    const auto col = catalog.latencies(spec.device);
    truth.assign(col.begin(), col.end());
  }
  auto accuracy = objectives::accuracies(catalog.archs(), dataset, spec.accuracy_choice());
  auto limits =
      objectives::cost_limits(catalog.archs(), dataset, spec.max_flops_m, spec.max_params_m);
  const bool is_live = live != nullptr && spec.device == live->name;
  check_spec(spec, kind, is_live);
  if (kind == objectives::SourceKind::live) {
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    objectives::Problem problem(std::move(accuracy),
                                objectives::live_source(live->name, live->measure), spec.budget_ms,
                                catalog.index(), std::move(limits));
    objectives::add_low_fidelity(problem, catalog.archs(), dataset, spec.accuracy_choice());
    Prepared p{predictor::Target{live->name, {}, false, "measured live"},
               std::move(problem),
               truth,
               seconds.count(),
               false,
               live->measure,
               live->fingerprint,
               live->description,
               {},
               {}};
    return p;
  }
  if (kind == objectives::SourceKind::table) {
    return table_run(spec, catalog, std::move(accuracy), std::move(limits), truth);
  }
  std::function<double(int)> measure;
  if (is_live) {
    measure = live->measure;
  } else if (spec.measurements.empty()) {
    measure = [truth](int i) { return truth[static_cast<std::size_t>(i)]; };
  }
  const predictor::PoolOptions po = pool_options_of(spec);
  // Verification needs a device to measure: a shipped device's table simulates it; `local` is
  // measured.
  const bool verifies = spec.verify > 0 && spec.budget_ms.has_value() && spec.measurements.empty();
  const int adapt = spec.adapt > 0 ? spec.adapt : std::max(1, 3 - (verifies ? spec.verify : 0));
  predictor::Target target =
      is_live ? predictor::make_measured_target(catalog, live->name,
                                                "measured live (" + live->fingerprint + ")", po,
                                                adapt, live->measure, live->spec, live->lut_ms)
              : predictor::make_target(catalog, spec.device, spec.measurements, po, adapt);
  predictor::state_dead_ops(target, spec.dead_ops);
  const double confidence = verifies ? spec.search_confidence : spec.confidence;
  auto source =
      predicted_until_settled(spec, catalog, features, po, limits, measure, target, confidence);
  Readapt readapt =
      measure ? readapter(spec, catalog, features, po, target, confidence) : Readapt{};
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  objectives::Problem problem = budgeted_problem(std::move(accuracy), std::move(source), spec,
                                                 catalog.index(), std::move(limits), on_infeasible);
  objectives::add_low_fidelity(problem, catalog.archs(), dataset, spec.accuracy_choice());
  std::vector<std::string> pool =
      po.devices.empty() ? predictor::default_pool(catalog, target.name, po.hold_out_family)
                         : po.devices;
  return Prepared{std::move(target),
                  std::move(problem),
                  truth,
                  seconds,
                  verifies,
                  std::move(measure),
                  is_live ? live->fingerprint : "",
                  is_live ? live->description : "",
                  std::move(readapt),
                  std::move(pool)};
}

}  // namespace maplex::runs
