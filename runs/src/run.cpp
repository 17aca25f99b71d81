#include "maplex/runs/run.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "documents.hpp"
#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/runs/record.hpp"
#include "maplex/search/algorithm.hpp"

namespace maplex::runs {

namespace {

// The spec's limits with its query budget (full 200-epoch query equivalents) in queries at its
// fidelity.
search::Limits effective_limits(const RunSpec& spec) {
  search::Limits limits = spec.limits;
  limits.queries = objectives::queries_for_budget(spec.limits.queries, spec.accuracy_choice());
  return limits;
}

// How likely `f` meets the budget, from what is known: 1 or 0 once measured on the device (the
// search's own measurement, a check, or a measurement after the search); else the predictor's
// log-normal around its prediction, times the correction of failed checks.
double p_within_budget(const search::Fitness& f, const Prepared& p, const RunResult& r,
                       double budget) {
  if (p.problem.source().kind != objectives::SourceKind::predicted) {
    return f.latency_ms <= budget ? 1.0 : 0.0;
  }
  for (const auto& [a, ms] : r.measured_after) {
    if (a == f.index) {
      return ms <= budget ? 1.0 : 0.0;
    }
  }
  double correction = 1;
  if (r.verification) {
    for (const Check& c : r.verification->checks) {
      if (c.index == f.index) {
        return c.feasible ? 1.0 : 0.0;
      }
    }
    if (r.verification->best && r.verification->best->index == f.index) {
      return r.verification->p_within_budget;  // under the predictor adapted with the checks
    }
    correction = r.verification->correction;
  }
  const auto i = static_cast<std::size_t>(f.index);
  return objectives::chance_within(correction * f.latency_ms, p.problem.source().log_sd[i], budget);
}

// The predictor's 95% interval of a predicted latency: the last predictor's (a refined front's),
// else the search's. Not for a verified run's members (their chance of meeting the budget is
// stated instead, under the verification's correction) nor for measured ones (sd 0).
void add_interval(nlohmann::json& j, const search::Fitness& f, const Prepared& p,
                  const RunResult& r) {
  const auto& sd = r.refinement ? r.refinement->log_sd : p.problem.source().log_sd;
  const auto i = static_cast<std::size_t>(f.index);
  if (r.verification || i >= sd.size() || !(sd[i] > 0)) {
    return;
  }
  const double z = objectives::normal_quantile(0.975);
  j["latency_log_sd"] = sd[i];
  j["latency_95_ms"] = {f.latency_ms * std::exp(-z * sd[i]), f.latency_ms * std::exp(z * sd[i])};
}

nlohmann::json describe(const search::Fitness& f, const Prepared& p, const tables::Catalog& catalog,
                        space::Dataset dataset, const RunResult& r) {
  const auto& measured_after = r.measured_after;
  const auto& index = catalog.index();
  const auto i = static_cast<std::size_t>(f.index);
  const auto d = static_cast<std::size_t>(dataset);
  const double truth = p.true_latency_ms[i];
  const bool predicted = p.problem.source().kind == objectives::SourceKind::predicted;
  const auto budget = p.problem.budget_ms();
  nlohmann::json j = {
      {"index", f.index},
      {"arch_str", index.arch(f.index).str()},
      {"accuracy", num_or_null(f.accuracy)},
      {"test_accuracy", catalog.archs().records[i].test_acc[d]},
      {"answered_by", r.answered_by.count(f.index) != 0U ? nlohmann::json(r.answered_by.at(f.index))
                                                         : nlohmann::json(nullptr)},
      {predicted ? "predicted_latency_ms" : "measured_latency_ms", num_or_null(f.latency_ms)},
      {"true_latency_ms", num_or_null(truth)}};
  if (predicted) {
    j["latency_bound_ms"] = num_or_null(f.bound_ms);
    add_interval(j, f, p, r);
    auto measured = measured_after;
    if (r.refinement) {
      for (const Check& c : r.refinement->checks) {
        measured.emplace_back(c.index, c.measured_ms);
      }
    }
    for (const auto& [a, ms] : measured) {
      if (a == f.index) {
        j["measured_latency_ms"] = ms;
        if (budget) {
          j["measured_within_budget"] = ms <= *budget;
        }
      }
    }
  }
  j["flops_m"] = catalog.archs().records[i].flops_m[d];
  j["params_m"] = catalog.archs().records[i].params_m[d];
  if (budget) {
    j["feasible"] = f.feasible();
    j["p_within_budget"] = p_within_budget(f, p, r, *budget);
    j["truly_feasible"] =
        std::isnan(truth) ? nlohmann::json(nullptr) : nlohmann::json(truth <= *budget);
  }
  return j;
}

nlohmann::json checks_json(const std::vector<Check>& checks, const space::ArchIndex& index,
                           bool budgeted) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : checks) {
    out.push_back({{"index", c.index},
                   {"arch_str", index.arch(c.index).str()},
                   {"predicted_latency_ms", c.predicted_ms},
                   {"measured_latency_ms", c.measured_ms}});
    if (budgeted) {
      out.back()["within_budget"] = c.feasible;
    }
  }
  return out;
}

// The verification of the answer and the front's refinement, when the run did them.
void add_checks(nlohmann::json& doc, const RunSpec& spec, const RunResult& r,
                const space::ArchIndex& index) {
  if (r.verification) {
    const auto& v = *r.verification;
    doc["verification"] = {{"checks", checks_json(v.checks, index, true)},
                           {"correction", v.correction},
                           {"readaptations", v.readaptations},
                           {"fallback_readapted", v.fallback_readapted},
                           {"verified", v.verified},
                           {"search_confidence", spec.search_confidence}};
    if (v.verified && !doc["best"].is_null()) {
      for (const Check& c : v.checks) {  // the check that verified it (later ones may have failed)
        if (c.index == v.best->index) {
          doc["best"]["measured_latency_ms"] = c.measured_ms;
        }
      }
    }
    if (!doc["best"].is_null()) {
      doc["best"]["verified"] = v.verified;
    }
  }
  if (r.refinement) {
    doc["front_refinement"] = {{"checks", checks_json(r.refinement->checks, index, false)},
                               {"readaptations", r.refinement->readaptations},
                               {"rule",
                                "each check measures the front member with the largest log-sd; "
                                "the predictor is adapted again and the front selected again"}};
  }
}

std::string result_document(const RunSpec& spec, const Prepared& p, const tables::Catalog& catalog,
                            const RunResult& r, double search_seconds) {
  const auto& index = catalog.index();
  const auto dataset = space::parse_dataset(spec.dataset);
  const BuildInfo& b = build_info();
  nlohmann::json measured = nlohmann::json::array();
  for (std::size_t k = 0; k < p.target.adaptation.archs.size(); ++k) {
    const int a = p.target.adaptation.archs[k];
    measured.push_back({{"index", a},
                        {"arch_str", index.arch(a).str()},
                        {"latency_ms", p.target.adaptation.latency_ms[k]}});
  }
  const int adaptation = p.problem.source().adaptation_measurements;
  const int checks = r.verification ? static_cast<int>(r.verification->checks.size()) : 0;
  const int front_checks = r.refinement ? static_cast<int>(r.refinement->checks.size()) : 0;
  nlohmann::json doc = {
      {"schema_version", kSchemaVersion},
      {"command", spec.command},
      {"context",
       {{"maplex_version", b.version},
        {"git_commit", b.git_commit},
        {"build_type", b.build_type},
        {"data_dir", catalog.dir().string()}}},
      {"config", nlohmann::json::parse(spec_to_json(spec))},
      {"accuracy_metric", objectives::accuracy_name(spec.accuracy_choice())},
      {"target",
       {{"device", p.target.name},
        {"source", p.target.source},
        {"simulated_from_table", p.target.simulated},
        {"measurements", measured},
        {"pool", p.pool},
        {"dead_ops", !spec.dead_ops.empty() && p.target.adaptation.spec
                         ? p.target.adaptation.spec->dead_ops
                         : ""}}},
      {"spent",
       {{"accuracy_queries", r.usage.queries},
        {"low_fidelity_queries", r.usage.low_queries},
        {"full_query_equivalents",
         objectives::full_query_equivalents(r.spent, spec.accuracy_choice())},
        {"device_measurements", adaptation + r.usage.measurements + checks + front_checks},
        {"adaptation_measurements", adaptation},
        {"search_measurements", r.usage.measurements},
        {"verification_measurements", checks},
        {"front_measurements", front_checks},
        {"answer_measurements", r.measured_after.size()},
        {"evaluations", r.usage.evaluations},
        {"steps", r.steps},
        {"stopped_by", r.stopped_by},
        {"reused_from_history", r.reused}}},
      {"seconds", {{"predictor", p.predictor_seconds}, {"search", search_seconds}}}};
  if (!p.device_fingerprint.empty()) {
    doc["target"]["fingerprint"] = p.device_fingerprint;
    doc["target"]["description"] = p.device_description;
  }
  doc["best"] =
      r.outcome.best ? describe(*r.outcome.best, p, catalog, dataset, r) : nlohmann::json(nullptr);
  doc["best_feasible"] = r.outcome.best_feasible;
  add_checks(doc, spec, r, index);
  nlohmann::json front = nlohmann::json::array();
  for (const auto& f : r.outcome.front) {
    front.push_back(describe(f, p, catalog, dataset, r));
  }
  doc["front"] = front;
  if (spec.command == "pareto") {
    doc["judgement"] = judgement_json(judge_front(spec, p, catalog, r), p.device_description);
  }
  return doc.dump(2);
}

// Rebuilds the search state and the evaluator's counters from the history rows a checkpoint
// covers.
void restore_state(const Checkpoint& cp, const std::vector<search::Record>& old,
                   const std::filesystem::path& checkpoint_path, search::SearchState& state,
                   search::Evaluator& evaluator) {
  std::vector<int> queried;
  std::vector<int> low_queried;
  std::vector<int> measured;
  for (std::int64_t k = 0; k < cp.evaluations; ++k) {
    const auto& r = old[static_cast<std::size_t>(k)];
    if (!r.low_fidelity) {  // low-fidelity answers live in the algorithm's step only
      state.archive_add(r.fitness);
    }
    if (r.new_query) {
      (r.low_fidelity ? low_queried : queried).push_back(r.fitness.index);
    }
    if (r.new_measurement) {
      measured.push_back(r.fitness.index);
    }
  }
  std::unordered_map<int, search::Fitness> by_index;
  for (const auto& f : state.archive()) {
    by_index[f.index] = f;
  }
  for (const auto& [a, born] : cp.population) {
    if (by_index.count(a) == 0U) {
      throw InputError(checkpoint_path.string() + ": population member " + std::to_string(a) +
                       " is not in the history, expected a consistent run directory");
    }
    state.population.push_back(search::Member{by_index[a], born});
  }
  state.rng.restore(cp.rng_state);
  state.step = cp.step;
  state.finished = cp.finished;
  evaluator.restore(std::move(queried), std::move(low_queried), std::move(measured), cp.evaluations,
                    cp.seconds);
}

// A resumed run: its history (the state and counters restored from its checkpoint, every row
// preloaded); a new one with records: its directory and config.json. Returns the history.
std::vector<search::Record> open_records(const RunSpec& spec, const RunOptions& options,
                                         search::SearchState& state, search::Evaluator& evaluator,
                                         std::unique_ptr<DirectoryLock>& lock) {
  const auto history_path = options.dir / "history.csv";
  const auto checkpoint_path = options.dir / "checkpoint.json";
  std::vector<search::Record> old;
  if (options.resume) {
    load_run_spec(options.dir);
    lock = std::make_unique<DirectoryLock>(options.dir);
    if (std::filesystem::exists(history_path)) {
      old = read_history(history_path);
    }
    if (std::filesystem::exists(checkpoint_path)) {
      const Checkpoint cp = read_checkpoint(checkpoint_path);
      if (cp.evaluations > static_cast<std::int64_t>(old.size())) {
        throw InputError(checkpoint_path.string() + ": covers " + std::to_string(cp.evaluations) +
                         " evaluations, expected at most the history's " +
                         std::to_string(old.size()));
      }
      restore_state(cp, old, checkpoint_path, state, evaluator);
    }
    evaluator.preload(old);
  } else if (!options.dir.empty()) {
    if (std::filesystem::exists(options.dir / "config.json")) {
      throw InputError("run directory " + quote(options.dir.string()) +
                       " already holds a run, expected a new directory (maplex resume continues "
                       "a run)");
    }
    std::filesystem::create_directories(options.dir);
    lock = std::make_unique<DirectoryLock>(options.dir);
    if (std::filesystem::exists(options.dir / "config.json")) {  // another run won the race
      throw InputError("run directory " + quote(options.dir.string()) +
                       " already holds a run, expected a new directory");
    }
    write_atomically(options.dir / "config.json", spec_to_json(spec) + "\n");
  }
  return old;
}

// After the search: the verification of a budgeted answer, the refinement of a pareto front, and
// on a live device the answer (and front) measured.
void after_search(const RunSpec& spec, const Prepared& prepared, const search::SearchState& state,
                  RunResult& result) {
  if (prepared.verifies) {
    result.verification =
        verify_answer(state.archive(), prepared.problem.source(), *prepared.problem.budget_ms(),
                      spec.confidence, spec.verify, prepared.measure, prepared.readapt);
    result.outcome.best = result.verification->best;
    result.outcome.best_feasible = result.verification->feasible;
  }
  const bool predicted = prepared.problem.source().kind == objectives::SourceKind::predicted;
  if (spec.command == "pareto" && spec.verify > 0 && predicted && prepared.readapt) {
    result.refinement = refine_front(state.archive(), prepared.problem.source(), spec.verify,
                                     prepared.measure, prepared.readapt);
    result.outcome.front = result.refinement->front;
  }
  // On a live device the answer is measured whatever the verification did (a verified answer is
  // in the store already, so this costs nothing), and so is a pareto front.
  if (!prepared.device_fingerprint.empty() && predicted) {
    if (result.outcome.best) {
      const int b = result.outcome.best->index;
      result.measured_after.emplace_back(b, prepared.measure(b));
    }
    if (spec.command == "pareto") {
      for (const auto& f : result.outcome.front) {
        result.measured_after.emplace_back(f.index, prepared.measure(f.index));
      }
    }
  }
}

// The search state as a checkpoint covering `evaluations` history lines.
Checkpoint checkpoint_of(const search::SearchState& s, std::int64_t evaluations, double seconds) {
  Checkpoint cp;
  cp.step = s.step;
  cp.evaluations = evaluations;
  cp.seconds = seconds;
  cp.finished = s.finished;
  cp.rng_state = s.rng.state();
  for (const auto& m : s.population) {
    cp.population.emplace_back(m.fitness.index, m.born);
  }
  return cp;
}

// The result of a finished search: its outcome (verified, refined, measured), what it spent, why
// it stopped, and which query answered each cell shown.
void summarise(const RunSpec& spec, const Prepared& prepared, const search::SearchState& state,
               const search::Evaluator& evaluator, RunResult& result) {
  result.outcome = search::summarize(state);
  after_search(spec, prepared, state, result);
  result.usage = evaluator.usage();
  result.spent = evaluator.spent();
  std::vector<search::Fitness> shown = result.outcome.front;
  if (result.outcome.best) {
    shown.push_back(*result.outcome.best);
  }
  for (const auto& f : shown) {
    if (evaluator.answered_by(f.index) >= 0) {
      result.answered_by[f.index] = evaluator.answered_by(f.index);
    }
  }
  result.stopped_by = evaluator.exhausted() ? std::string(evaluator.stop_reason()) : "algorithm";
  result.steps = state.step;
}

}  // namespace

std::filesystem::path default_runs_root() {
  const auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
  };
  if (!env("MAPLEX_RUNS").empty()) {
    return env("MAPLEX_RUNS");
  }
  if (!env("XDG_STATE_HOME").empty()) {
    return std::filesystem::path(env("XDG_STATE_HOME")) / "maplex" / "runs";
  }
  if (!env("HOME").empty()) {
    return std::filesystem::path(env("HOME")) / ".local" / "state" / "maplex" / "runs";
  }
  return "runs";
}

std::filesystem::path default_run_dir(const RunSpec& spec, const std::filesystem::path& root) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  auto dir = root / (std::string(stamp) + "-" + spec.name());
  for (int k = 2; std::filesystem::exists(dir); ++k) {
    dir = root / (std::string(stamp) + "-" + spec.name() + "-" + std::to_string(k));
  }
  return dir;
}

RunSpec load_run_spec(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw InputError("run directory " + quote(dir.string()) +
                     " does not exist, expected a directory made by maplex search or pareto");
  }
  const auto path = dir / "config.json";
  if (!std::filesystem::exists(path)) {
    throw InputError("run directory " + quote(dir.string()) +
                     " has no config.json, expected a directory made by maplex search or pareto");
  }
  return parse_spec(read_text(path), path.string());
}

RunResult execute(const RunSpec& spec, const Prepared& prepared, const tables::Catalog& catalog,
                  const RunOptions& options) {
  const auto& index = catalog.index();
  const auto algorithm = search::make_algorithm(spec.algorithm, spec.population, spec.sample);
  search::SearchState state(Rng::derive(spec.seed, 1));
  search::Evaluator evaluator(prepared.problem, effective_limits(spec));
  const bool records = !options.dir.empty();
  const auto history_path = options.dir / "history.csv";
  const auto checkpoint_path = options.dir / "checkpoint.json";
  std::unique_ptr<DirectoryLock> lock;  // held until the result is written
  const std::vector<search::Record> old = open_records(spec, options, state, evaluator, lock);
  if (records && options.started) {
    options.started();
  }
  std::unique_ptr<HistoryWriter> history;
  if (records) {
    history = std::make_unique<HistoryWriter>(history_path, index);
  }
  RunResult result;
  std::int64_t ordinal = evaluator.usage().evaluations;
  evaluator.set_sink([&](const search::Record& r) {
    if (ordinal < static_cast<std::int64_t>(old.size())) {
      const auto& o = old[static_cast<std::size_t>(ordinal)];
      if (o.fitness.index != r.fitness.index || o.new_query != r.new_query ||
          o.low_fidelity != r.low_fidelity) {
        throw InputError(history_path.string() + ": evaluation " + std::to_string(ordinal) +
                         " was architecture " + std::to_string(o.fitness.index) +
                         ", the replay asks for " + std::to_string(r.fitness.index) +
                         "; expected the run's own history (was config.json edited?)");
      }
      ++result.reused;
    } else if (history) {
      history->append(r, ordinal);
    }
    ++ordinal;
  });
  const auto checkpoint = [&](const search::SearchState& s) {
    write_checkpoint(checkpoint_path, checkpoint_of(s, ordinal, evaluator.usage().seconds));
  };
  const auto start = std::chrono::steady_clock::now();
  auto last_checkpoint = start;
  search::run(algorithm, state, evaluator, index, [&](const search::SearchState& s) {
    if (history) {
      history->flush();
      const auto now = std::chrono::steady_clock::now();
      if (spec.throttle_ms > 0 || now - last_checkpoint > std::chrono::milliseconds(250)) {
        checkpoint(s);
        last_checkpoint = now;
      }
    }
    if (spec.throttle_ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(spec.throttle_ms));
    }
    if (options.progress) {
      options.progress(s, evaluator.usage());
    }
  });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summarise(spec, prepared, state, evaluator, result);
  result.result_json = result_document(spec, prepared, catalog, result, seconds);
  if (records) {
    checkpoint(state);
    write_atomically(options.dir / "result.json", result.result_json + "\n");
  }
  return result;
}

}  // namespace maplex::runs
