// Search algorithms on the shipped titan_rtx_1 table: budgets, aging, reproducibility across
// thread counts, constrained outcomes.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/objectives/pareto.hpp"
#include "maplex/search/algorithm.hpp"
#include "maplex/search/bayes_opt.hpp"
#include "maplex/search/regularized_evolution.hpp"
#include "maplex/space/network.hpp"
#include "maplex/tables/catalog.hpp"
#include "shipped_data.hpp"

namespace maplex::search {
namespace {

const auto& catalog = maplex::testing::shipped_catalog;
const auto& lat_of = maplex::testing::shipped_latencies;

// Measured search on titan_rtx_1 (every distinct candidate is a device measurement).
// With the 12-epoch test accuracy as its low fidelity (for hyperband).
objectives::Problem titan_problem(std::optional<double> budget) {
  objectives::Problem p(objectives::test_accuracies(catalog().archs(), space::Dataset::cifar10),
                        objectives::table_source("titan_rtx_1", lat_of("titan_rtx_1")), budget,
                        catalog().index());
  objectives::add_low_fidelity(p, catalog().archs(), space::Dataset::cifar10,
                               {objectives::AccuracySplit::test, 200});
  return p;
}

// A predicted-style source (free latencies) built from another device's table, so the search sees
// latencies that differ from the truth, as with a predictor.
// `log_sd` and the bound's `confidence` as given (a search explores at 0.15).
objectives::Problem predicted_problem(double budget, double log_sd = 0.05,
                                      double confidence = 0.9) {
  const auto pred = lat_of("2080ti_1");
  const std::vector<double> sd(pred.size(), log_sd);
  objectives::Problem p(objectives::test_accuracies(catalog().archs(), space::Dataset::cifar10),
                        objectives::predicted_source("titan_rtx_1", pred, sd, confidence, 3),
                        budget, catalog().index());
  objectives::add_low_fidelity(p, catalog().archs(), space::Dataset::cifar10,
                               {objectives::AccuracySplit::test, 200});
  return p;
}

struct Trace {
  std::vector<int> archive;  // indices in first-evaluation order
  std::vector<double> accuracy;
  Outcome outcome;
  Usage usage;
  std::int64_t steps = 0;
};

Trace trace_run(const Algorithm& algorithm, const objectives::Problem& problem, Limits limits,
                std::uint64_t seed) {
  SearchState state(seed);
  Evaluator evaluator(problem, limits);
  run(algorithm, state, evaluator, catalog().index(), [](const SearchState&) {});
  Trace t;
  for (const Fitness& f : state.archive()) {
    t.archive.push_back(f.index);
    t.accuracy.push_back(f.accuracy);
  }
  t.outcome = summarize(state);
  t.usage = evaluator.usage();
  t.steps = state.step;
  return t;
}

// Runs `name` to its end; returns every admitted evaluation in order.
std::vector<Record> run_recorded(const std::string& name, SearchState& state,
                                 Evaluator& evaluator) {
  std::vector<Record> rows;
  evaluator.set_sink([&rows](const Record& r) { rows.push_back(r); });
  run(make_algorithm(name), state, evaluator, catalog().index(), [](const SearchState&) {});
  evaluator.set_sink({});
  return rows;
}

Trace trace_with_threads(int threads, const std::string& name, const objectives::Problem& p,
                         std::uint64_t seed) {
  const tbb::global_control gc(tbb::global_control::max_allowed_parallelism,
                               static_cast<std::size_t>(threads));
  return trace_run(make_algorithm(name), p, Limits{}, seed);
}

void expect_same(const Trace& a, const Trace& b) {
  ASSERT_EQ(a.archive, b.archive);
  ASSERT_EQ(a.accuracy.size(), b.accuracy.size());
  for (std::size_t i = 0; i < a.accuracy.size(); ++i) {
    // bit-identical, NaN (not queried) included
    EXPECT_TRUE(a.accuracy[i] == b.accuracy[i] ||
                (std::isnan(a.accuracy[i]) && std::isnan(b.accuracy[i])));
  }
  ASSERT_TRUE(a.outcome.best && b.outcome.best);
  EXPECT_EQ(a.outcome.best->index, b.outcome.best->index);
  EXPECT_EQ(a.usage.queries, b.usage.queries);
  EXPECT_EQ(a.usage.low_queries, b.usage.low_queries);
  EXPECT_EQ(a.usage.measurements, b.usage.measurements);
  EXPECT_EQ(a.usage.evaluations, b.usage.evaluations);
  EXPECT_EQ(a.steps, b.steps);
}

// The registry: each name makes the algorithm of that name; the defaults are registered; an
// unknown name is refused with the registered ones.
TEST(Search, EveryRegisteredNameMakesThatAlgorithm) {
  ASSERT_GE(algorithms().size(), 6U);
  for (const std::string& name : algorithms()) {
    EXPECT_EQ(make_algorithm(name).name(), name);
    EXPECT_NE(algorithm_help().find(name), std::string::npos) << name;
  }
  const auto registered = [](std::string_view n) {
    const auto all = algorithms();
    return std::find(all.begin(), all.end(), n) != all.end();
  };
  EXPECT_TRUE(registered(kDefaultAlgorithm));
  EXPECT_TRUE(registered(kDefaultFrontAlgorithm));
  try {
    make_algorithm("annealing");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "algorithm 'annealing' is unknown, expected one of " + algorithm_names());
  }
}

TEST(Search, SerialAndParallelRunsAreIdentical) {
  const auto measured = titan_problem(6.0);
  const auto predicted = predicted_problem(6.0);
  for (const std::string& name : algorithms()) {
    SCOPED_TRACE(name);
    expect_same(trace_with_threads(1, name, measured, 7), trace_with_threads(2, name, measured, 7));
    expect_same(trace_with_threads(1, name, predicted, 7),
                trace_with_threads(2, name, predicted, 7));
  }
}

TEST(Search, SeedDecidesTheRun) {
  const auto p = titan_problem(6.0);
  const Trace a = trace_run(make_algorithm("re"), p, Limits{}, 1);
  const Trace b = trace_run(make_algorithm("re"), p, Limits{}, 1);
  const Trace c = trace_run(make_algorithm("re"), p, Limits{}, 2);
  EXPECT_EQ(a.archive, b.archive);
  EXPECT_NE(a.archive, c.archive);
}

// A query is a trained network: cells isomorphic to one already queried get its answer (NB201's
// 6,466 classes) and cost nothing.
TEST(Search, SpendsExactlyTheQueryBudgetAndQueriesOnlyFeasibleCandidates) {
  const auto p = titan_problem(6.0);
  const auto lat = lat_of("titan_rtx_1");
  const auto& index = catalog().index();
  for (const std::string name : {"re", "random", "local", "nsga2", "bo"}) {
    SCOPED_TRACE(name);
    const Trace t = trace_run(make_algorithm(name), p, Limits{}, 3);
    EXPECT_EQ(t.usage.queries, 300);
    std::map<int, int> first_of_class;  // class id -> the first cell of it with an answer
    std::set<int> distinct;
    for (std::size_t i = 0; i < t.archive.size(); ++i) {
      const int a = t.archive[i];
      distinct.insert(a);
      const double l = lat[static_cast<std::size_t>(a)];
      if (!std::isnan(t.accuracy[i])) {
        EXPECT_LE(l, 6.0) << a;  // an infeasible candidate never costs a query
        const int first = first_of_class.emplace(index.class_id(a), a).first->second;
        EXPECT_DOUBLE_EQ(t.accuracy[i],
                         catalog().archs().records[static_cast<std::size_t>(first)].test_acc[0]);
      }
    }
    EXPECT_EQ(first_of_class.size(), 300U);        // one query per network
    EXPECT_EQ(distinct.size(), t.archive.size());  // the archive holds each architecture once
    // Measured search: every distinct candidate was measured once.
    EXPECT_EQ(t.usage.measurements, static_cast<int>(t.archive.size()));
  }
}

// A space of duplicates: 15,625 cells that are only 40 networks (index mod 40). However large the
// query budget, no algorithm pays for more than 40 queries, and every cell of a network gets the
// answer of the first one queried.
TEST(Search, IsomorphicCellsNeverCostTwoQueries) {
  auto p = titan_problem(6.0);
  std::vector<int> classes(static_cast<std::size_t>(p.size()));
  for (std::size_t i = 0; i < classes.size(); ++i) {
    classes[i] = static_cast<int>(i % 40);
  }
  p.set_query_classes(classes);
  int shared = 0;  // algorithms that had cells answered without a query
  for (const std::string& name : algorithms()) {
    SCOPED_TRACE(name);
    Limits limits;
    limits.evaluations = 3000;
    const Trace t = trace_run(make_algorithm(name), p, limits, 5);
    EXPECT_LE(t.usage.queries, 40);
    EXPECT_LE(t.usage.low_queries, 40);
    std::map<int, double> answer;
    int answered = 0;
    for (std::size_t i = 0; i < t.archive.size(); ++i) {
      if (!std::isnan(t.accuracy[i])) {
        ++answered;
        const auto [it, fresh] = answer.emplace(t.archive[i] % 40, t.accuracy[i]);
        EXPECT_EQ(it->second, t.accuracy[i]) << t.archive[i];
      }
    }
    EXPECT_EQ(static_cast<int>(answer.size()), t.usage.queries);
    // Cells answered without a query: some for an algorithm that may revisit a network (layers
    // takes one cell per network and never does).
    EXPECT_GE(answered, t.usage.queries);
    shared += answered > t.usage.queries ? 1 : 0;
  }
  EXPECT_GE(shared, 5);  // the sharing above was exercised, not vacuous
}

// Multi-fidelity: a 12-epoch query costs 12/200 of a full one; together they spend the budget
// (the query that crosses it is the last), each answer is its own fidelity's table value for the
// first cell of its network, only 200-epoch answers are archived, and in a screened bracket every
// candidate trained for 200 epochs was first screened at 12.
TEST(Search, FidelityCostsAddUp) {
  const auto p = titan_problem(6.0);
  const auto& records = catalog().archs().records;
  const auto& index = catalog().index();
  Limits limits;
  limits.queries = 100;
  SearchState state(8);
  Evaluator evaluator(p, limits);
  const std::vector<Record> rows = run_recorded("hyperband", state, evaluator);
  const Usage& u = evaluator.usage();
  EXPECT_GT(u.low_queries, 0);
  EXPECT_DOUBLE_EQ(evaluator.spent(), u.queries + u.low_queries * 12.0 / 200.0);
  // The budget is spent (no full query fits in what is left) and never exceeded.
  EXPECT_LE(evaluator.spent(), 100.0 + 1e-9);
  EXPECT_GT(evaluator.spent(), 99.0);
  EXPECT_EQ(evaluator.stop_reason(), "queries");
  std::map<int, int> first_low;
  std::map<int, int> first_full;
  int low_rows = 0;
  int full_rows = 0;
  std::map<std::int64_t, std::set<int>> screened;  // step -> indices screened at 12 epochs
  for (const Record& r : rows) {
    const int a = r.fitness.index;
    low_rows += r.new_query && r.low_fidelity ? 1 : 0;
    full_rows += r.new_query && !r.low_fidelity ? 1 : 0;
    if (std::isnan(r.fitness.accuracy)) {
      continue;
    }
    EXPECT_LE(lat_of("titan_rtx_1")[static_cast<std::size_t>(a)], 6.0);
    auto& first = r.low_fidelity ? first_low : first_full;
    const auto f = static_cast<std::size_t>(first.emplace(index.class_id(a), a).first->second);
    EXPECT_DOUBLE_EQ(r.fitness.accuracy,
                     r.low_fidelity ? records[f].test12_acc[0] : records[f].test_acc[0]);
    if (r.low_fidelity) {
      screened[r.step].insert(a);
    } else if (r.step % 2 == 0) {
      EXPECT_EQ(screened[r.step].count(a), 1U) << "step " << r.step << " trains " << a;
    }
  }
  EXPECT_EQ(low_rows, u.low_queries);
  EXPECT_EQ(full_rows, u.queries);
  for (const Fitness& f : state.archive()) {
    if (f.queried()) {
      const auto first = static_cast<std::size_t>(first_full.at(index.class_id(f.index)));
      EXPECT_DOUBLE_EQ(f.accuracy, records[first].test_acc[0]);
    }
  }
  // Without a low fidelity there is nothing to screen with.
  const objectives::Problem single(
      objectives::test_accuracies(catalog().archs(), space::Dataset::cifar10),
      objectives::table_source("titan_rtx_1", lat_of("titan_rtx_1")), 6.0, index);
  SearchState s2(8);
  Evaluator e2(single, limits);
  EXPECT_THROW(make_algorithm("hyperband").step(s2, e2, index), InputError);
  EXPECT_THROW(make_algorithm("screen").step(s2, e2, index), InputError);
  EXPECT_THROW(make_algorithm("layers").step(s2, e2, index), InputError);
}

// screen: every network trained for 200 epochs was screened at 12 first, screening spends at most
// half the query budget, nothing infeasible is queried, and the budget is spent.
TEST(Search, ScreenTrainsOnlyWhatItScreenedWithinItsShare) {
  const auto p = titan_problem(6.0);
  const auto& index = catalog().index();
  const auto lat = lat_of("titan_rtx_1");
  Limits limits;
  limits.queries = 100;
  SearchState state(1);
  Evaluator evaluator(p, limits);
  const std::vector<Record> rows = run_recorded("screen", state, evaluator);
  std::set<int> screened;  // networks (classes) queried at 12 epochs so far
  int full = 0;
  for (const Record& r : rows) {
    const int a = r.fitness.index;
    if (r.new_query) {
      EXPECT_LE(lat[static_cast<std::size_t>(a)], 6.0) << a;
    }
    if (r.new_query && r.low_fidelity) {
      screened.insert(index.class_id(a));
    } else if (r.new_query) {
      ++full;
      EXPECT_EQ(screened.count(index.class_id(a)), 1U) << a << " trained before it was screened";
    }
  }
  EXPECT_GT(full, 0);
  EXPECT_EQ(full, evaluator.usage().queries);
  EXPECT_LE(evaluator.usage().low_queries * 12.0 / 200.0, 50.0);
  EXPECT_LE(evaluator.spent(), 100.0 + 1e-9);
  EXPECT_GT(evaluator.spent(), 99.0);
  EXPECT_EQ(evaluator.stop_reason(), "queries");
}

// layers, a front without a budget: every network trained was screened first; the networks a
// training step takes are on the first non-dominated layer of those screened and not yet trained
// (latency from the table, 12-epoch accuracy: checked here from the rows, not from the algorithm);
// with 100 queries screening takes networks across the FLOPs range (not only the largest), spends
// at most half the budget, and the budget is spent. A live source is refused.
TEST(Search, LayersTrainsTheFrontOfTheScreenedNetworks) {
  const auto p = titan_problem(std::nullopt);
  const auto& index = catalog().index();
  Limits limits;
  limits.queries = 100;
  SearchState state(1);
  Evaluator evaluator(p, limits);
  const std::vector<Record> rows = run_recorded("layers", state, evaluator);
  std::map<int, std::pair<double, double>> open;     // class -> (latency, 12-epoch accuracy)
  std::map<std::int64_t, std::vector<int>> trained;  // step -> classes trained
  std::vector<double> flops;
  for (const Record& r : rows) {
    const int c = index.class_id(r.fitness.index);
    if (r.new_query && r.low_fidelity) {
      open[c] = {r.fitness.latency_ms, r.fitness.accuracy};
      flops.push_back(space::costs(index.arch(r.fitness.index), space::Dataset::cifar10).flops_m);
    } else if (r.new_query) {
      ASSERT_EQ(open.count(c), 1U) << r.fitness.index << " trained before it was screened";
      trained[r.step].push_back(c);
    }
  }
  ASSERT_GE(trained.size(), 5U);
  for (const auto& [step, classes] : trained) {
    for (int c : classes) {
      const auto [lat, acc] = open.at(c);
      for (const auto& [other, la] : open) {
        EXPECT_FALSE(la.first <= lat && la.second >= acc && la != open.at(c))
            << "step " << step << " trains class " << c << ", dominated by class " << other;
      }
    }
    for (int c : classes) {
      open.erase(c);
    }
  }
  std::sort(flops.begin(), flops.end());
  EXPECT_LT(flops.front(), 30.0);  // NB201's cifar10 networks span about 7-220 MFLOPs
  EXPECT_GT(flops.back(), 150.0);
  EXPECT_LE(evaluator.usage().low_queries * 12.0 / 200.0, 50.0 + 1e-9);
  EXPECT_LE(evaluator.spent(), 100.0 + 1e-9);
  EXPECT_GT(evaluator.spent(), 99.0);

  objectives::Problem live(objectives::test_accuracies(catalog().archs(), space::Dataset::cifar10),
                           objectives::live_source("local", [](int) { return 1.0; }), std::nullopt,
                           index);
  objectives::add_low_fidelity(live, catalog().archs(), space::Dataset::cifar10,
                               {objectives::AccuracySplit::test, 200});
  SearchState s2(1);
  Evaluator e2(live, limits);
  EXPECT_THROW(make_algorithm("layers").step(s2, e2, index), InputError);
}

// screen on measured latencies, 300 queries: within 0.2 points of the exhaustive optimum (the most
// accurate connected cell within the budget, by the table's test accuracy) at three budgets.
TEST(Search, ScreenComesCloseToTheExhaustiveOptimum) {
  const auto lat = lat_of("titan_rtx_1");
  const auto& records = catalog().archs().records;
  for (const double budget : {4.0, 6.0, 10.0}) {
    SCOPED_TRACE(budget);
    double optimum = 0;
    for (int a = 0; a < catalog().index().size(); ++a) {
      if (catalog().index().cell(a).connected && lat[static_cast<std::size_t>(a)] <= budget) {
        optimum = std::max(optimum, records[static_cast<std::size_t>(a)].test_acc[0]);
      }
    }
    const Trace t = trace_run(make_algorithm("screen"), titan_problem(budget), Limits{}, 1);
    ASSERT_TRUE(t.outcome.best && t.outcome.best_feasible);
    EXPECT_GE(t.outcome.best->accuracy, optimum - 0.2);
    std::printf("screen at %.0f ms: %.3f (optimum %.3f)\n", budget, t.outcome.best->accuracy,
                optimum);
  }
}

// screen with 100 queries and a 6 ms budget on a predicted source: 2080ti_1's latencies, the
// same log-sd everywhere, exploring with a 15% bound.
struct ScreenAtSixMs {
  explicit ScreenAtSixMs(double sd)
      : log_sd(sd), problem(predicted_problem(6.0, sd, 0.15)), evaluator(problem, hundred()) {
    SearchState state(1);
    run_recorded("screen", state, evaluator);
  }
  static Limits hundred() {
    Limits limits;
    limits.queries = 100;
    return limits;
  }
  double chance(int a) const {
    return objectives::chance_within(pred[static_cast<std::size_t>(a)], log_sd, 6.0);
  }
  // How many screened networks rank above `a` on 12-epoch accuracy.
  int ranked_above(int a) const {
    int above = 0;
    for (int b : evaluator.low_queried()) {
      above += problem.low_accuracy(b) > problem.low_accuracy(a) ? 1 : 0;
    }
    return above;
  }
  std::vector<double> pred = lat_of("2080ti_1");
  double log_sd;
  objectives::Problem problem;
  Evaluator evaluator;
};

// A predictor unsure of the whole device (log-sd 0.5 everywhere: no screened network has a 99%
// chance of meeting 6 ms): screen still promotes the screened network surest to meet the budget,
// although its 12-epoch accuracy ranks it below everything promoted on accuracy, so that a failed
// latency check has a safe answer to fall back on.
TEST(Search, ScreenPromotesTheSurestNetworkWhenNoneIsAlmostSure) {
  const ScreenAtSixMs run(0.5);
  const std::vector<int> screened = run.evaluator.low_queried();
  ASSERT_FALSE(screened.empty());
  const int surest = *std::max_element(screened.begin(), screened.end(),
                                       [&](int a, int b) { return run.chance(a) < run.chance(b); });
  ASSERT_LT(run.chance(surest), 0.99);
  EXPECT_GT(run.chance(surest), 0.5);  // its median prediction meets the budget
  EXPECT_GE(run.evaluator.answered_by(surest), 0) << surest << " was never trained for 200 epochs";
  // Promotion on 12-epoch accuracy alone would not have reached it.
  EXPECT_GE(run.ranked_above(surest), run.evaluator.usage().queries)
      << "the surest network ranks high on accuracy too";
}

// A log-sd of 0.15 everywhere: the screened networks' chances of meeting the budget range from
// near 0 to near 1, and the most accurate of them sit just over it. The networks trained include
// the most accurate (at 12 epochs) with an even chance and the most accurate with a 90% chance,
// although both rank below everything promoted on accuracy alone, so that a check that fails the
// riskier ones has an answer close to the budget to fall back on.
TEST(Search, ScreenPromotesALadderOfChances) {
  const ScreenAtSixMs run(0.15);
  const std::vector<int> screened = run.evaluator.low_queried();
  ASSERT_FALSE(screened.empty());
  for (const double rung : {0.5, 0.9}) {
    int best = -1;
    for (int a : screened) {
      if (run.chance(a) >= rung &&
          (best < 0 || run.problem.low_accuracy(a) > run.problem.low_accuracy(best))) {
        best = a;
      }
    }
    ASSERT_GE(best, 0) << "no screened network reaches " << rung;
    EXPECT_LT(run.chance(best), 0.99) << "the almost-sure pick would take it anyway";
    EXPECT_GE(run.evaluator.answered_by(best), 0)
        << best << " (chance " << run.chance(best) << ") was never trained for 200 epochs";
    EXPECT_GE(run.ranked_above(best), run.evaluator.usage().queries)
        << "rung " << rung << " ranks high on accuracy";
  }
}

// A budget only a few of the smallest networks meet: none of screen's probes (evenly spaced along
// the networks by FLOPs) does, and screening must start where its window of evaluations reaches
// the smallest networks instead of at the largest, where it would spend them and train nothing.
TEST(Search, ScreenFindsTheFewNetworksNoProbeMeets) {
  const auto pred = lat_of("2080ti_1");
  const auto& index = catalog().index();
  double fastest = 1e9;
  for (int a = 0; a < index.size(); ++a) {
    if (index.cell(a).connected) {
      fastest = std::min(fastest, pred[static_cast<std::size_t>(a)]);
    }
  }
  const double budget = 1.02 * fastest;
  const double log_sd = 0.05;
  const double shrink = std::exp(objectives::normal_quantile(0.15) * log_sd);  // the search's bound
  int within = 0;
  for (int a = 0; a < index.size(); ++a) {
    within += index.cell(a).connected && pred[static_cast<std::size_t>(a)] * shrink <= budget;
  }
  ASSERT_GT(within, 0);
  ASSERT_LT(within, 40) << "more than a few networks meet the budget";
  Limits limits;
  limits.queries = 100;
  const Trace t =
      trace_run(make_algorithm("screen"), predicted_problem(budget, log_sd, 0.15), limits, 1);
  ASSERT_TRUE(t.outcome.best) << "screen trained nothing";
  EXPECT_TRUE(t.outcome.best_feasible);
  EXPECT_LE(t.outcome.best->bound_ms, budget);
}

// A loose budget on a predicted source (the 75th percentile of its latencies): most networks meet
// it, and the most accurate of those are not only the largest. Screening chooses among every
// network whose bound meets the budget by what it has learnt of 12-epoch accuracy, so it screens
// more accurate networks than the same number taken from the largest down (version 7's walk
// along the FLOPs order), many of them beyond that walk's reach.
TEST(Search, ScreenOnAPredictedSourceScreensBeyondTheLargestNetworks) {
  const auto pred = lat_of("2080ti_1");
  const auto& index = catalog().index();
  std::vector<double> connected;
  for (int a = 0; a < index.size(); ++a) {
    if (index.cell(a).connected) {
      connected.push_back(pred[static_cast<std::size_t>(a)]);
    }
  }
  std::sort(connected.begin(), connected.end());
  const double budget = connected[connected.size() * 3 / 4];
  const double shrink = std::exp(objectives::normal_quantile(0.15) * 0.05);  // the search's bound
  const auto problem = predicted_problem(budget, 0.05, 0.15);
  Limits limits;
  limits.queries = 100;
  SearchState state(1);
  Evaluator evaluator(problem, limits);
  run_recorded("screen", state, evaluator);
  const std::vector<int>& screened = evaluator.low_queried();
  // The walk: each network once (its cell with the fewest FLOPs), those meeting the bound, the
  // most FLOPs first, as many as were screened.
  std::map<int, std::pair<double, int>> network;  // class -> (FLOPs, cell)
  for (int a = 0; a < index.size(); ++a) {
    const double flops = space::costs(index.arch(a), space::Dataset::cifar10).flops_m;
    auto [it, fresh] = network.emplace(index.class_id(a), std::make_pair(flops, a));
    if (index.cell(a).connected &&
        (!index.cell(it->second.second).connected || flops < it->second.first)) {
      it->second = {flops, a};
    }
  }
  std::vector<std::pair<double, int>> walk;
  for (const auto& [cls, fc] : network) {
    if (index.cell(fc.second).connected &&
        pred[static_cast<std::size_t>(fc.second)] * shrink <= budget) {
      walk.push_back({-fc.first, fc.second});
    }
  }
  std::sort(walk.begin(), walk.end());
  walk.resize(std::min(walk.size(), screened.size()));
  std::set<int> walked;
  double walk_mean = 0;
  for (const auto& w : walk) {
    walked.insert(index.class_id(w.second));
    walk_mean += problem.low_accuracy(w.second) / static_cast<double>(walk.size());
  }
  double mean = 0;
  int beyond = 0;
  for (int a : screened) {
    mean += problem.low_accuracy(a) / static_cast<double>(screened.size());
    beyond += walked.count(index.class_id(a)) == 0U ? 1 : 0;
  }
  ASSERT_GT(screened.size(), 100U);
  EXPECT_GT(mean, walk_mean + 1.0) << "12-epoch accuracy of the screened networks";
  EXPECT_GT(beyond, static_cast<int>(screened.size()) / 4) << "screened beyond the walk's reach";
}

// The surrogate's ridge regression learns what an op on an edge is worth: fitted on every 37th
// connected cell with a value of 5 for a 3x3 convolution on the edge from the input to the output
// node and 2 for a skip on the first edge, its mean prediction over the connected cells of each
// of the four values is that value within half a point (features on open paths share the credit,
// so single cells may be further off); nothing fitted predicts 0.
TEST(BayesOpt, RidgePredictionsLearnWhatAnOpIsWorth) {
  const auto& index = catalog().index();
  const auto value = [&](int a) {
    const space::Arch& arch = index.arch(a);
    return (arch.op(3) == space::Op::nor_conv_3x3 ? 5.0 : 0.0) +
           (arch.op(0) == space::Op::skip_connect ? 2.0 : 0.0);
  };
  std::vector<int> fitted;
  std::vector<double> values;
  std::vector<int> all;
  for (int a = 0; a < index.size(); ++a) {
    all.push_back(a);
    if (a % 37 == 0 && index.cell(a).connected) {
      fitted.push_back(a);
      values.push_back(value(a));
    }
  }
  const std::vector<double> predicted = ridge_predictions(index, fitted, values, all);
  ASSERT_EQ(predicted.size(), all.size());
  std::map<double, std::pair<double, int>> by_value;  // value -> (sum of predictions, cells)
  for (int a : all) {
    if (index.cell(a).connected) {
      auto& [sum, cells] = by_value[value(a)];
      sum += predicted[static_cast<std::size_t>(a)];
      ++cells;
    }
  }
  ASSERT_EQ(by_value.size(), 4U);
  for (const auto& [v, group] : by_value) {
    EXPECT_NEAR(group.first / group.second, v, 0.5) << group.second << " cells of value " << v;
  }
  EXPECT_EQ(ridge_predictions(index, {}, {}, all), std::vector<double>(all.size(), 0.0));
  EXPECT_THROW(ridge_predictions(index, fitted, {}, all), std::logic_error);
}

TEST(Search, MeasurementLimitStopsMeasuredSearch) {
  const auto p = titan_problem(6.0);
  Limits limits;
  limits.measurements = 50;
  const Trace t = trace_run(make_algorithm("re"), p, limits, 4);
  EXPECT_EQ(t.usage.measurements, 50);
  EXPECT_EQ(t.archive.size(), 50U);
  EXPECT_LT(t.usage.queries, 50);
}

TEST(Search, BestIsFeasibleAndTheMostAccurateQueried) {
  const auto p = titan_problem(6.0);
  const auto lat = lat_of("titan_rtx_1");
  const Trace t = trace_run(make_algorithm("re"), p, Limits{}, 5);
  ASSERT_TRUE(t.outcome.best);
  EXPECT_TRUE(t.outcome.best_feasible);
  EXPECT_LE(lat[static_cast<std::size_t>(t.outcome.best->index)], 6.0);
  double top = -1;
  for (double a : t.accuracy) {
    if (!std::isnan(a)) {
      top = std::max(top, a);
    }
  }
  EXPECT_DOUBLE_EQ(t.outcome.best->accuracy, top);
}

TEST(Search, FrontIsTheNonDominatedSetOfTheQueriedFeasible) {
  const auto p = titan_problem(std::nullopt);
  const Trace t = trace_run(make_algorithm("nsga2"), p, Limits{}, 6);
  const auto lat = lat_of("titan_rtx_1");
  std::vector<objectives::Point> pts;
  std::vector<int> idx;
  for (std::size_t i = 0; i < t.archive.size(); ++i) {
    if (!std::isnan(t.accuracy[i])) {
      pts.push_back({-t.accuracy[i], lat[static_cast<std::size_t>(t.archive[i])]});
      idx.push_back(t.archive[i]);
    }
  }
  std::set<int> expected;
  for (int k : objectives::pareto_front(pts)) {
    expected.insert(idx[static_cast<std::size_t>(k)]);
  }
  std::set<int> got;
  double last = -1;
  for (const Fitness& f : t.outcome.front) {
    got.insert(f.index);
    EXPECT_GT(f.latency_ms, last);  // ascending latency
    last = f.latency_ms;
  }
  EXPECT_EQ(got, expected);
  EXPECT_GE(got.size(), 10U);
}

TEST(RegularizedEvolution, AgesOutTheOldestNotTheWorst) {
  const auto p = titan_problem(6.0);
  const Algorithm re(RegularizedEvolution(8, 3));
  SearchState state(11);
  Evaluator evaluator(p, Limits{});
  re.step(state, evaluator, catalog().index());  // the initial population
  ++state.step;
  ASSERT_EQ(state.population.size(), 8U);
  int best_removed = 0;
  for (int s = 0; s < 200 && !evaluator.exhausted(); ++s) {
    const auto before = state.population;
    re.step(state, evaluator, catalog().index());
    ++state.step;
    const auto& after = state.population;
    ASSERT_EQ(after.size(), 8U);
    if (after.back().born != state.step - 1) {
      continue;  // nothing admitted this step
    }
    // The child joins at the back; the member removed is the first-born, whatever its fitness.
    for (std::size_t k = 0; k + 1 < after.size(); ++k) {
      EXPECT_EQ(after[k].fitness.index, before[k + 1].fitness.index);
      EXPECT_EQ(after[k].born, before[k + 1].born);
    }
    const auto oldest = std::min_element(
        before.begin(), before.end(), [](const auto& a, const auto& b) { return a.born < b.born; });
    EXPECT_EQ(oldest, before.begin());
    bool oldest_was_best = true;
    for (const auto& m : before) {
      if (objectives::better(m.fitness, before.front().fitness)) {
        oldest_was_best = false;
      }
    }
    best_removed += oldest_was_best ? 1 : 0;
  }
  // Aging removes even the best member (a fitness-based removal never would).
  EXPECT_GT(best_removed, 0);
}

// BANANAS's path encoding:
// |nor_conv_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2| has the paths
// 0->3 (pool), 0->1->3 (conv3, conv1); 0->2->3 and 0->1->2->3 are cut by none.
TEST(BayesOpt, PathEncodingCountsTheOpenPaths) {
  const auto f = surrogate_features(space::Arch::parse(
      "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|"));
  ASSERT_EQ(f.size(), 84U + 30U + 1U);
  // Length 1, ops skip=0 conv1=1 conv3=2 pool=3: pool -> position 3.
  // Length 2 from 4: conv3 then conv1 -> 4 + 2 * 4 + 1 = 13.
  for (std::size_t k = 0; k < 84; ++k) {
    EXPECT_EQ(f[k], k == 3 || k == 13 ? 1.0 : 0.0) << k;
  }
  EXPECT_EQ(f[84 + 0 * 5 + 3], 1.0);  // edge 0 carries conv3 (op id 3)
  EXPECT_EQ(f[84 + 2 * 5 + 0], 1.0);  // edge 2 carries none
  EXPECT_EQ(f.back(), 1.0);
}

TEST(Algorithms, BadParametersAndNamesRejected) {
  EXPECT_THROW(RegularizedEvolution(1, 1), InputError);
  EXPECT_THROW(RegularizedEvolution(10, 11), InputError);
  EXPECT_THROW(RegularizedEvolution(10, 0), InputError);
  EXPECT_THROW(BayesOpt(1, 10, 5), InputError);
  EXPECT_THROW(BayesOpt(10, 0, 5), InputError);
  EXPECT_THROW(BayesOpt(10, 10, 1), InputError);
  try {
    (void)make_algorithm("annealing");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'annealing'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace maplex::search
