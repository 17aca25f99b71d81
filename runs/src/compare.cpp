#include "maplex/runs/compare.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "documents.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/json_integer.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/objectives/problem.hpp"
#include "maplex/runs/prepare.hpp"
#include "maplex/runs/run.hpp"

namespace maplex::runs {

namespace {

constexpr double kNaN = objectives::kNaN;

double percentile_of(std::vector<double> v, double p) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  std::sort(v.begin(), v.end());
  const double pos = p / 100 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

double median(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) {
    return kNaN;
  }
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

CompareSide run_side(const RunSpec& spec, const Prepared& base, double budget,
                     const tables::Catalog& catalog, const std::vector<double>& accuracy,
                     const std::vector<double>& test, double optimum_accuracy,
                     const std::function<double(int)>& truth_of) {
  CompareSide s;
  try {
    objectives::Problem problem(accuracy, base.problem.source(), budget, catalog.index(),
                                base.problem.limits());
    if (base.problem.has_low_fidelity()) {
      problem.set_low_fidelity(base.problem.low_accuracies(), base.problem.low_cost());
    }
    const Prepared p{
        base.target,   std::move(problem), base.true_latency_ms,    base.predictor_seconds,
        base.verifies, base.measure,       base.device_fingerprint, base.device_description,
        base.readapt,  base.pool};
    RunSpec case_spec = spec;
    case_spec.budget_ms = budget;
    const auto r = execute(case_spec, p, catalog, RunOptions{});
    s.queries = r.usage.queries;
    s.low_queries = r.usage.low_queries;
    s.spent = objectives::full_query_equivalents(r.spent, spec.accuracy_choice());
    s.stopped_by = r.stopped_by;
    s.measurements = p.problem.source().adaptation_measurements + r.usage.measurements +
                     (r.verification ? static_cast<int>(r.verification->checks.size()) : 0);
    s.seconds = r.usage.seconds + base.predictor_seconds;
    s.verified = r.verification && r.verification->verified;
    if (r.outcome.best && r.outcome.best_feasible) {
      s.index = r.outcome.best->index;
      s.accuracy = r.outcome.best->accuracy;
      s.test_accuracy = test[static_cast<std::size_t>(s.index)];
      s.true_latency = truth_of(s.index);
      s.truly_feasible = s.true_latency <= budget;
      s.regret = s.truly_feasible ? optimum_accuracy - s.accuracy : kNaN;
    }
  } catch (const InputError&) {
    // No architecture is predicted within the budget: the search returns nothing (a failure).
    s.measurements = base.problem.source().adaptation_measurements;
  }
  return s;
}

nlohmann::json side_json(const CompareSide& s) {
  return {{"index", s.index},
          {"accuracy", num_or_null(s.accuracy)},
          {"test_accuracy", num_or_null(s.test_accuracy)},
          {"true_latency_ms", num_or_null(s.true_latency)},
          {"truly_feasible", s.truly_feasible},
          {"regret", num_or_null(s.regret)},
          {"network_regret", num_or_null(s.network_regret)},
          {"device_measurements", s.measurements},
          {"accuracy_queries", s.queries},
          {"low_fidelity_queries", s.low_queries},
          {"full_query_equivalents", s.spent},
          {"stopped_by", s.stopped_by},
          {"verified", s.verified},
          {"seconds", s.seconds}};
}

std::vector<CompareArm> make_arms(const RunSpec& base, bool live) {
  std::vector<CompareArm> arms(3);
  arms[0] = {"verified", "predicted + verified", base};
  arms[0].spec.source = "predicted";
  arms[1] = {"unverified", "predicted, bound only", base};
  arms[1].spec.source = "predicted";
  arms[1].spec.verify = 0;
  arms[1].spec.adapt = 3;
  arms[2] = {"measured", "measured", base};
  arms[2].spec.source = live ? "live" : "table";
  for (CompareArm& arm : arms) {
    settle_algorithm(arm.spec);  // none named: each arm gets what a search with its source would
  }
  return arms;
}

// A device's truth: its table, or on a live device what the store holds (by index in `stored`,
// and as a list for the percentiles).
struct Truth {
  std::vector<double> latencies;  // the values percentiles are taken of
  std::vector<double> by_index;   // NaN where unknown
  std::function<double(int)> of;  // the truth of an answer
};

Truth truth_of(const std::string& device, const tables::Catalog& catalog, const LiveDevice* live,
               const std::vector<std::pair<int, double>>& stored, bool need_percentiles) {
  Truth t;
  if (live != nullptr) {
    t.by_index.assign(static_cast<std::size_t>(catalog.index().size()), kNaN);
    for (const auto& [index, ms] : stored) {
      t.latencies.push_back(ms);
      t.by_index[static_cast<std::size_t>(index)] = ms;
    }
    if (need_percentiles && t.latencies.size() < 100) {
      throw InputError("compare --device " + device +
                       ": budget percentiles need at least 100 architectures measured on the "
                       "device, the store holds " +
                       std::to_string(t.latencies.size()) +
                       "; expected --latency-budget-ms or a sample first (maplex measure "
                       "--sample 1000)");
    }
    t.of = live->measure;
    return t;
  }
  const auto col = catalog.latencies(device);
  t.latencies.assign(col.begin(), col.end());
  t.by_index = t.latencies;
  t.of = [truth = t.latencies](int i) { return truth[static_cast<std::size_t>(i)]; };
  return t;
}

// Without the whole space measured, regret is against the best answer any arm found within the
// budget (as measured).
void regret_against_best_found(CompareCase& c) {
  for (const CompareSide& sd : c.sides) {
    if (sd.truly_feasible && (std::isnan(c.optimum_accuracy) || sd.accuracy > c.optimum_accuracy)) {
      c.optimum_accuracy = sd.accuracy;
      c.optimum_test_accuracy = sd.test_accuracy;
      c.optimum = sd.index;
    }
  }
  for (CompareSide& sd : c.sides) {
    sd.regret = sd.truly_feasible ? c.optimum_accuracy - sd.accuracy : kNaN;
  }
}

}  // namespace

namespace {

// Each cell's network accuracy: the mean of `accuracy` over the connected cells of its
// isomorphism class.
std::vector<double> network_accuracies(const std::vector<double>& accuracy,
                                       const space::ArchIndex& index) {
  std::vector<double> sum(static_cast<std::size_t>(index.num_classes()), 0.0);
  std::vector<int> cells(sum.size(), 0);
  for (int a = 0; a < index.size(); ++a) {
    if (index.cell(a).connected) {
      const auto k = static_cast<std::size_t>(index.class_id(a));
      sum[k] += accuracy[static_cast<std::size_t>(a)];
      ++cells[k];
    }
  }
  std::vector<double> out(accuracy.size(), kNaN);
  for (int a = 0; a < index.size(); ++a) {
    if (index.cell(a).connected) {
      const auto k = static_cast<std::size_t>(index.class_id(a));
      out[static_cast<std::size_t>(a)] = sum[k] / cells[k];
    }
  }
  return out;
}

// The case's regrets judged by networks (know_optimum only).
void judge_by_networks(CompareCase& c, const std::vector<double>& network, const Truth& truth,
                       const space::ArchIndex& index,
                       const std::vector<objectives::CostLimit>& limits) {
  const int best =
      objectives::exhaustive_optimum(network, truth.by_index, c.budget_ms, index, limits).index;
  c.optimum_network_accuracy = network[static_cast<std::size_t>(best)];
  for (CompareSide& s : c.sides) {
    if (s.truly_feasible) {
      s.network_regret = c.optimum_network_accuracy - network[static_cast<std::size_t>(s.index)];
    }
  }
}

// One trial of one device: each arm prepared once (under the largest budget, which makes the
// answer verifiable) serves every budget's case.
void run_trial(const CompareOptions& o, const Comparison& cmp, const std::string& device, int t,
               const std::vector<std::pair<double, double>>& budgets, const Truth& truth,
               const tables::Catalog& catalog, const predictor::FeatureCache& features,
               const LiveDevice* live, std::vector<CompareCase>& cases) {
  const auto dataset = space::parse_dataset(o.base.dataset);
  const auto accuracy = objectives::accuracies(catalog.archs(), dataset, o.base.accuracy_choice());
  const auto test = objectives::test_accuracies(catalog.archs(), dataset);
  const auto network = network_accuracies(accuracy, catalog.index());
  const auto limits =
      objectives::cost_limits(catalog.archs(), dataset, o.base.max_flops_m, o.base.max_params_m);
  double largest = 0;
  for (const auto& b : budgets) {
    largest = std::max(largest, b.second);
  }
  std::vector<RunSpec> specs;
  std::vector<Prepared> prepared;
  for (const auto& arm : cmp.arms) {
    RunSpec spec = arm.spec;
    spec.device = device;
    spec.seed = o.base.seed + static_cast<std::uint64_t>(t);
    spec.budget_ms = largest;
    // Nothing within even the largest budget at this arm's bound: each of its cases is a search
    // without an answer (run_side), counting the measurements that tried to settle it, and the
    // other arms and devices go on.
    prepared.push_back(prepare(spec, catalog, features, live, OnInfeasible::unbudgeted));
    specs.push_back(spec);
  }
  const bool know_optimum = live == nullptr || cmp.whole_space;
  for (const auto& [pct, budget] : budgets) {
    CompareCase c;
    c.device = device;
    c.percentile = pct;
    c.budget_ms = budget;
    c.trial = t;
    c.optimum_accuracy = kNaN;  // the best found, unless the optimum is known
    if (know_optimum) {
      c.optimum =
          objectives::exhaustive_optimum(accuracy, truth.by_index, budget, catalog.index(), limits)
              .index;
      if (c.optimum < 0) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.4g", budget);
        throw InputError("no architecture on " + quote(device) + " is within " + buf +
                         " ms, expected a budget some architecture meets");
      }
      c.optimum_accuracy = accuracy[static_cast<std::size_t>(c.optimum)];
      c.optimum_test_accuracy = test[static_cast<std::size_t>(c.optimum)];
    }
    for (std::size_t a = 0; a < cmp.arms.size(); ++a) {
      c.sides.push_back(run_side(specs[a], prepared[a], budget, catalog, accuracy, test,
                                 c.optimum_accuracy, truth.of));
    }
    if (know_optimum) {
      judge_by_networks(c, network, truth, catalog.index(), limits);
    } else {
      regret_against_best_found(c);
    }
    cases.push_back(std::move(c));
  }
}

}  // namespace

Comparison compare(const CompareOptions& options, const tables::Catalog& catalog,
                   const predictor::FeatureCache& features, const LiveDevice* live,
                   const std::vector<std::pair<int, double>>& stored,
                   const std::function<void(const std::string&, int, int, std::size_t)>& progress) {
  Comparison cmp;
  cmp.arms = make_arms(options.base, live != nullptr);
  for (const auto& device : options.devices) {
    const Truth truth = truth_of(device, catalog, live, stored, !options.percentiles.empty());
    if (live != nullptr) {
      cmp.whole_space = stored.size() == static_cast<std::size_t>(catalog.index().size());
    }
    std::vector<std::pair<double, double>> budgets;  // (percentile, ms)
    if (options.percentiles.empty()) {
      budgets.emplace_back(0.0, options.budget_ms.value_or(kNaN));
    }
    for (double p : options.percentiles) {
      budgets.emplace_back(p, percentile_of(truth.latencies, p));
    }
    const auto d = static_cast<std::size_t>(&device - options.devices.data());
    for (int t = 0; t < options.trials; ++t) {
      if (!options.shard.owns(d * static_cast<std::size_t>(options.trials) +
                              static_cast<std::size_t>(t))) {
        continue;
      }
      run_trial(options, cmp, device, t, budgets, truth, catalog, features, live, cmp.cases);
      if (progress) {
        progress(device, t + 1, options.trials, cmp.cases.size());
      }
    }
  }
  return cmp;
}

CompareSummary summarise(const std::vector<const CompareCase*>& cases, std::size_t arm) {
  std::vector<double> regret;
  std::vector<double> test_regret;
  std::vector<double> network_regret;
  std::vector<double> test;
  std::vector<double> secs;
  int feasible = 0;
  std::vector<double> meas;
  for (const CompareCase* c : cases) {
    const CompareSide& s = c->sides[arm];
    feasible += s.truly_feasible ? 1 : 0;
    regret.push_back(s.regret);
    network_regret.push_back(s.network_regret);
    test.push_back(s.test_accuracy);
    test_regret.push_back(s.truly_feasible ? c->optimum_test_accuracy - s.test_accuracy : kNaN);
    meas.push_back(s.measurements);
    secs.push_back(s.seconds);
  }
  const auto n = static_cast<double>(cases.size());
  double mean_meas = 0;
  for (double m : meas) {
    mean_meas += m / n;  // summed as round 1 did, so the results stay byte-identical
  }
  return {cases.size(),        static_cast<double>(feasible) / n,
          median(regret),      median(test),
          median(test_regret), median(network_regret),
          mean_meas,           median(secs)};
}

namespace {

nlohmann::json summary_json(const CompareSummary& s) {
  return {{"cases", s.cases},
          {"feasibility_rate", s.feasibility_rate},
          {"median_regret", num_or_null(s.median_regret)},
          {"median_test_accuracy", num_or_null(s.median_test_accuracy)},
          {"median_test_regret", num_or_null(s.median_test_regret)},
          {"median_network_regret", num_or_null(s.median_network_regret)},
          {"mean_device_measurements", s.mean_device_measurements},
          {"median_seconds", s.median_seconds}};
}

nlohmann::json case_json(const CompareCase& c, const Comparison& cmp, std::uint64_t seed) {
  nlohmann::json row = {{"device", c.device},
                        {"budget_percentile",
                         c.percentile > 0 ? nlohmann::json(c.percentile) : nlohmann::json(nullptr)},
                        {"latency_budget_ms", c.budget_ms},
                        {"trial", c.trial},
                        {"seed", seed + static_cast<std::uint64_t>(c.trial)},
                        {"optimum",
                         {{"index", c.optimum},
                          {"accuracy", c.optimum_accuracy},
                          {"test_accuracy", num_or_null(c.optimum_test_accuracy)},
                          {"network_accuracy", num_or_null(c.optimum_network_accuracy)}}}};
  for (std::size_t a = 0; a < cmp.arms.size(); ++a) {
    row[cmp.arms[a].name] = side_json(c.sides[a]);
  }
  return row;
}

}  // namespace

std::string compare_document(const Comparison& comparison, const CompareOptions& options, bool live,
                             const std::string& device_description) {
  nlohmann::json doc;
  doc["config"] = nlohmann::json::parse(spec_to_json(options.base));
  doc["config"]["devices"] = options.devices;
  doc["config"]["trials"] = options.trials;
  doc["config"]["budget_percentiles"] = options.percentiles;
  doc["config"]["regret"] =
      live && !comparison.whole_space
          ? "the most accurate answer any arm found within the budget (measured on this "
            "machine) minus the found architecture's, over results measured within the budget"
          : "optimum accuracy (on local: over the whole space as the store holds it) minus the "
            "found architecture's, over truly feasible results";
  doc["config"]["network_regret"] =
      "the same judged by networks: a network's accuracy is the mean over its connected "
      "(isomorphic) cells, each trained separately by NB201; the most accurate network with a cell "
      "within the budget minus the answer's network (null where regret is against the best found)";
  if (live) {
    doc["config"]["device_description"] = device_description;
  }
  nlohmann::json arms = nlohmann::json::array();
  for (const auto& arm : comparison.arms) {
    arms.push_back({{"name", arm.name},
                    {"algorithm", arm.spec.algorithm},
                    {"latency_source", arm.spec.source},
                    {"adapt", arm.spec.adapt},
                    {"verify", arm.spec.source == "predicted" ? arm.spec.verify : 0},
                    {"confidence", arm.spec.confidence},
                    {"search_confidence", arm.spec.search_confidence}});
  }
  doc["config"]["arms"] = arms;
  doc["cases"] = nlohmann::json::array();
  std::vector<const CompareCase*> all;
  for (const auto& c : comparison.cases) {
    all.push_back(&c);
    doc["cases"].push_back(case_json(c, comparison, options.base.seed));
  }
  for (std::size_t a = 0; a < comparison.arms.size(); ++a) {
    doc["summary"][comparison.arms[a].name] = summary_json(summarise(all, a));
  }
  doc["shard"] = {{"index", options.shard.index}, {"count", options.shard.count}};
  return doc.dump();
}

namespace {

double number_of(const nlohmann::json& v) { return v.is_null() ? kNaN : v.get<double>(); }

// What summarise() reads of a case, from its JSON.
CompareCase case_of(const nlohmann::json& row, const nlohmann::json& arms) {
  CompareCase c;
  c.device = row.at("device").get<std::string>();
  c.trial = json_integer<int>(row.at("trial"));
  c.optimum_test_accuracy = number_of(row.at("optimum").at("test_accuracy"));
  for (const auto& arm : arms) {
    const auto& j = row.at(arm.at("name").get<std::string>());
    CompareSide s;
    s.truly_feasible = j.at("truly_feasible").get<bool>();
    s.regret = number_of(j.at("regret"));
    s.network_regret = j.contains("network_regret") ? number_of(j.at("network_regret")) : kNaN;
    s.test_accuracy = number_of(j.at("test_accuracy"));
    s.measurements = json_integer<int>(j.at("device_measurements"));
    s.seconds = j.at("seconds").get<double>();
    c.sides.push_back(s);
  }
  return c;
}

// The unit (device, trial) of a case row.
std::size_t unit_of(const nlohmann::json& row, const nlohmann::json& config) {
  const auto& devices = config.at("devices");
  const auto it = std::find(devices.begin(), devices.end(), row.at("device"));
  return static_cast<std::size_t>(it - devices.begin()) * config.at("trials").get<std::size_t>() +
         row.at("trial").get<std::size_t>();
}

void check_compare_part(const nlohmann::json& first, const std::string& first_name,
                        const nlohmann::json& doc, const std::string& name) {
  if (doc.at("config") != first.at("config")) {
    throw InputError("" + quote(name) + " has another config than " + quote(first_name) +
                     ", expected the shards of one compare run");
  }
  const auto& config = doc.at("config");
  const std::size_t units = config.at("devices").size() * config.at("trials").get<std::size_t>();
  const Shard shard{json_integer<int>(doc.at("shard").at("index")),
                    json_integer<int>(doc.at("shard").at("count"))};
  std::size_t owned = 0;
  for (const auto& row : doc.at("cases")) {
    if (unit_of(row, config) >= units || !shard.owns(unit_of(row, config))) {
      throw InputError("" + quote(name) + " holds a case of device " +
                       quote(row.at("device").get<std::string>()) + " trial " +
                       row.at("trial").dump() + " that is not shard " + shard.str() + "'s");
    }
    ++owned;
  }
  const std::size_t budgets = std::max<std::size_t>(1, config.at("budget_percentiles").size());
  if (owned != shard.share(units) * budgets) {
    throw InputError("" + quote(name) + " holds " + std::to_string(owned) +
                     " cases, expected the " + std::to_string(shard.share(units) * budgets) +
                     " of shard " + shard.str() + " (an unfinished shard)");
  }
}

}  // namespace

namespace {

std::string merge_compare_documents_json(
    const std::vector<std::pair<std::string, std::string>>& parts) {
  std::vector<nlohmann::json> docs;
  std::vector<std::pair<std::string, Shard>> shards;
  for (const auto& [name, text] : parts) {
    try {
      docs.push_back(nlohmann::json::parse(text));
      const auto& s = docs.back().at("shard");
      shards.emplace_back(
          name, Shard{json_integer<int>(s.at("index")), json_integer<int>(s.at("count"))});
    } catch (const nlohmann::json::exception& e) {
      throw InputError("" + quote(name) + " is not the JSON of maplex compare --shard (" +
                       printable(e.what()) + ")");
    }
  }
  check_shard_set(shards);
  std::vector<std::pair<std::size_t, nlohmann::json>> rows;  // (unit, case), in part order
  for (std::size_t i = 0; i < docs.size(); ++i) {
    check_compare_part(docs.front(), parts.front().first, docs[i], parts[i].first);
    for (const auto& row : docs[i].at("cases")) {
      rows.emplace_back(unit_of(row, docs[i].at("config")), row);
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  nlohmann::json out = docs.front();
  out["shard"] = {{"index", 0}, {"count", 1}};
  out["cases"] = nlohmann::json::array();
  std::vector<CompareCase> cases;
  for (const auto& [unit, row] : rows) {
    out["cases"].push_back(row);
    cases.push_back(case_of(row, out.at("config").at("arms")));
  }
  std::vector<const CompareCase*> all;
  all.reserve(cases.size());
  for (const auto& c : cases) {
    all.push_back(&c);
  }
  const auto& arms = out.at("config").at("arms");
  for (std::size_t a = 0; a < arms.size(); ++a) {
    out["summary"][arms[a].at("name").get<std::string>()] = summary_json(summarise(all, a));
  }
  return out.dump(2);
}

}  // namespace

std::string merge_compare_documents(const std::vector<std::pair<std::string, std::string>>& parts) {
  try {
    return merge_compare_documents_json(parts);
  } catch (const nlohmann::json::exception& e) {
    throw InputError("a part lacks what a compare part holds (" + std::string(e.what()) +
                     "), expected the unedited JSON of maplex compare --shard");
  }
}

}  // namespace maplex::runs
