// search, optimum, pareto, compare and resume as a user runs them.

#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "maplex/objectives/accuracy.hpp"
#include "maplex/search/algorithm.hpp"
#include "run.hpp"
#include "shipped_data.hpp"
#include "temp_dir.hpp"

namespace maplex::testing {
namespace {

std::filesystem::path temp(const std::string& name) {
  const auto p = ::maplex::testing::test_temp_dir() /
                 ("maplex_scli_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(p);
  return p;
}

void expect_one_line_error(const RunResult& r, const std::string& text) {
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
}

const std::vector<std::string> kSearch = {"search", "--device", "titan_rtx_1",
                                          "--latency-budget-ms", "6"};

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

nlohmann::json json_of(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(SearchCli, JsonReportsABestFeasibleArchitectureAndTheSpend) {
  const auto doc = json_of(run_maplex(with(kSearch, {"--no-records", "--json"})));
  EXPECT_EQ(doc["schema_version"], 1);
  const auto& best = doc["best"];
  EXPECT_EQ(best["arch_str"].get<std::string>().front(), '|');
  EXPECT_LE(best["latency_bound_ms"].get<double>(), 6.0);
  EXPECT_TRUE(best["true_latency_ms"].is_number());
  // The answer is checked on the device (simulated by the shipped table): a verified answer's
  // measurement is its true latency.
  ASSERT_TRUE(doc.contains("verification"));
  const auto& checks = doc["verification"]["checks"];
  ASSERT_GE(checks.size(), 1U);
  if (best["verified"] == true) {
    EXPECT_EQ(best["p_within_budget"], 1.0);  // measured within the budget
    EXPECT_EQ(best["measured_latency_ms"], best["true_latency_ms"]);
    // One check measured the answer within the budget (a later check may have tried a more
    // accurate candidate and failed).
    int verifying = 0;
    for (const auto& c : checks) {
      verifying += c["index"] == best["index"] && c["within_budget"] == true ? 1 : 0;
    }
    EXPECT_EQ(verifying, 1);
    EXPECT_EQ(best["truly_feasible"], true);
  }
  for (const auto& c : checks) {
    EXPECT_EQ(c["within_budget"], c["measured_latency_ms"].get<double>() <= 6.0);
  }
  EXPECT_EQ(best["truly_feasible"], best["true_latency_ms"].get<double>() <= 6.0);
  EXPECT_GT(best["accuracy"].get<double>(), 85.0);
  // The query budget is spent, in full-query equivalents: the default on the predicted source
  // (screen) pays 12/200 of a query for each network it screens at 12 epochs, and stops when the
  // next full query no longer fits.
  const double spent = doc["spent"]["full_query_equivalents"].get<double>();
  EXPECT_LE(spent, 300.0 + 1e-9);
  EXPECT_GT(spent, 299.0);
  EXPECT_NEAR(spent,
              doc["spent"]["accuracy_queries"].get<int>() +
                  doc["spent"]["low_fidelity_queries"].get<int>() * 12.0 / 200.0,
              0.01);
  EXPECT_EQ(doc["config"]["algorithm"], "screen");
  // At most 3 device measurements: 1 adapts the predictor, up to 2 check the answer (a check that
  // passes ends the checking).
  const int adapt = doc["spent"]["adaptation_measurements"].get<int>();
  const int checks_spent = doc["spent"]["verification_measurements"].get<int>();
  EXPECT_EQ(adapt, 1);
  EXPECT_GE(checks_spent, 1);
  EXPECT_LE(checks_spent, 2);
  EXPECT_EQ(doc["spent"]["device_measurements"], adapt + checks_spent);
  EXPECT_EQ(doc["target"]["measurements"].size(), 1U);
  EXPECT_EQ(doc["verification"]["checks"].size(), static_cast<std::size_t>(checks_spent));
  EXPECT_EQ(doc["config"]["seed"], 0);
  EXPECT_TRUE(doc["context"].contains("git_commit"));

  // The yardstick: no search beats the enumerated optimum, which meets the budget.
  const auto opt = json_of(
      run_maplex({"optimum", "--device", "titan_rtx_1", "--latency-budget-ms", "6", "--json"}));
  EXPECT_EQ(opt["schema_version"], 1);
  EXPECT_LE(opt["optimum"]["latency_ms"].get<double>(), 6.0);
  EXPECT_GE(opt["optimum"]["accuracy"].get<double>(), best["accuracy"].get<double>());
}

// Trusting the predictor's 95% bound (no checks), the answer meets the budget with probability at
// least 0.95 under the predictor's own log-normal, and the result says how likely.
TEST(SearchCli, UncheckedAnswerStatesItsChanceOfMeetingTheBudget) {
  const auto doc = json_of(
      run_maplex(with(kSearch, {"--verify", "0", "--adapt", "3", "--no-records", "--json"})));
  const auto& best = doc["best"];
  const double p = best["p_within_budget"].get<double>();
  EXPECT_GE(p, 0.95 - 1e-9);
  EXPECT_LT(p, 1.0);
  // The log-normal's chance from the reported prediction and bound: bound = pred * exp(z sd).
  const double pred = best["predicted_latency_ms"].get<double>();
  const double sd = std::log(best["latency_bound_ms"].get<double>() / pred) / 1.6448536;
  EXPECT_NEAR(p, 0.5 * std::erfc(-std::log(6.0 / pred) / (sd * std::sqrt(2.0))), 1e-6);
}

// The pool the predictor learnt from is in the result; --hold-out family keeps the target's
// whole family out of it (a GPU target learns from no GPU) and the config says so.
TEST(SearchCli, TheResultNamesItsPoolAndAFamilyHoldOutKeepsRelativesOut) {
  const auto plain = json_of(run_maplex(with(kSearch, {"--no-records", "--json"})));
  const auto& near = plain["target"]["pool"];
  EXPECT_EQ(near.size(), 37U);  // 40 less titan_rtx_1 and its chip at batch 32 and 256
  EXPECT_NE(std::find(near.begin(), near.end(), "2080ti_1"), near.end());
  const auto held =
      json_of(run_maplex(with(kSearch, {"--hold-out", "family", "--json", "--no-records"})));
  EXPECT_EQ(held["config"]["pool_hold_out"], "family");
  const auto& pool = held["target"]["pool"];
  EXPECT_EQ(pool.size(), 24U);
  for (const auto& d : pool) {
    const auto name = d.get<std::string>();
    EXPECT_EQ(name.find("ti_"), std::string::npos) << name;  // 1080ti_*, 2080ti_*
    EXPECT_EQ(name.find("titan"), std::string::npos) << name;
    EXPECT_NE(name, "desktop_gpu_gtx_1080ti_fp32");
  }
  EXPECT_TRUE(held["best_feasible"].get<bool>());
  const auto m = temp("m.csv");
  std::ofstream(m) << "arch,latency_ms\n0,5.55665\n1,6.70828\n2,6.05587\n";
  expect_one_line_error(
      run_maplex({"search", "--measurements", m.string(), "--hold-out", "family",
                  "--latency-budget-ms", "6", "--no-records"}),
      "holding out the family of target '" + m.stem().string() + "' needs a shipped device");
  std::filesystem::remove(m);
}

TEST(SearchCli, MeasuredSearchCountsEveryCandidateAsAMeasurement) {
  const auto doc =
      json_of(run_maplex(with(kSearch, {"--latency-source", "table", "--no-records", "--json"})));
  EXPECT_EQ(doc["spent"]["adaptation_measurements"], 0);
  EXPECT_GT(doc["spent"]["device_measurements"].get<int>(), 300);
  EXPECT_LE(doc["best"]["true_latency_ms"].get<double>(), 6.0);
  EXPECT_EQ(doc["best"]["truly_feasible"], true);
}

TEST(SearchCli, SameSeedSameResultWithOneOrTwoThreads) {
  const auto one = json_of(run_maplex(with(kSearch, {"--no-records", "--json", "--threads", "1"})));
  const auto two = json_of(run_maplex(with(kSearch, {"--no-records", "--json", "--threads", "2"})));
  EXPECT_EQ(one["best"], two["best"]);
  EXPECT_EQ(one["front"], two["front"]);
  EXPECT_EQ(one["spent"], two["spent"]);
  const auto other = json_of(run_maplex(with(kSearch, {"--no-records", "--json", "--seed", "9"})));
  EXPECT_NE(one["front"], other["front"]);
}

TEST(SearchCli, RunDirectoryHoldsConfigHistoryAndResult) {
  const auto dir = temp("records");
  const auto doc = json_of(run_maplex(with(kSearch, {"--run-dir", dir.string(), "--json"})));
  const auto config = nlohmann::json::parse(slurp(dir / "config.json"));
  EXPECT_EQ(config["schema_version"], 1);
  EXPECT_EQ(config["seed"], 0);
  EXPECT_EQ(config["latency_budget_ms"], 6.0);
  const auto result = nlohmann::json::parse(slurp(dir / "result.json"));
  EXPECT_EQ(result["best"], doc["best"]);
  const std::string history = slurp(dir / "history.csv");
  EXPECT_EQ(history.rfind("# maplex history schema_version=1\n", 0), 0U);
  // Header + one row per evaluation.
  EXPECT_EQ(count_lines(history), 2 + doc["spent"]["evaluations"].get<int>());
  // A second run into the same directory would mix records.
  expect_one_line_error(run_maplex(with(kSearch, {"--run-dir", dir.string()})),
                        "already holds a run");
  std::filesystem::remove_all(dir);
}

// Runs maplex with `args`, waits until the run's history holds more than `rows` more lines than
// when it started, then SIGKILLs it: the kill lands mid-run whatever the machine's speed.
void run_and_kill(const std::vector<std::string>& args, const std::filesystem::path& dir,
                  int rows) {
  const auto history = dir / "history.csv";
  const int before = std::filesystem::exists(history) ? count_lines(slurp(history)) : 0;
  const pid_t pid = spawn_maplex(args);
  ASSERT_GE(pid, 0);
  int status = 0;
  for (int waited_ms = 0; waited_ms < 120000; waited_ms += 5) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      FAIL() << "the run ended before it was killed, status " << status;
    }
    if (std::filesystem::exists(history) && count_lines(slurp(history)) > before + rows) {
      break;
    }
    ::usleep(5000);
  }
  ::kill(pid, SIGKILL);
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST(SearchCli, KilledAndResumedRunEndsAsAnUninterruptedOne) {
  for (const std::string& algorithm : maplex::search::algorithms()) {
    SCOPED_TRACE(algorithm);
    const auto args = with(kSearch, {"--algorithm", algorithm, "--seed", "3"});
    const auto whole = json_of(run_maplex(with(args, {"--no-records", "--json"})));
    const auto dir = temp("kill_" + algorithm);
    // Killed twice (once while starting, once while resuming), then resumed to the end.
    run_and_kill(with(args, {"--run-dir", dir.string(), "--throttle-ms", "2"}), dir, 60);
    const std::string partial = slurp(dir / "history.csv");
    run_and_kill({"resume", dir.string()}, dir, 120);
    const std::string later = slurp(dir / "history.csv");
    // Completed evaluations survive each kill: the history only grows (a torn last line aside).
    const auto complete = partial.substr(0, partial.rfind('\n') + 1);
    EXPECT_EQ(later.compare(0, complete.size(), complete), 0);
    EXPECT_GT(count_lines(later), count_lines(complete));
    const auto resumed = json_of(run_maplex({"resume", dir.string(), "--json"}));
    EXPECT_EQ(resumed["best"], whole["best"]);
    EXPECT_EQ(resumed["front"], whole["front"]);
    EXPECT_EQ(resumed["spent"]["accuracy_queries"], whole["spent"]["accuracy_queries"]);
    EXPECT_EQ(resumed["spent"]["low_fidelity_queries"], whole["spent"]["low_fidelity_queries"]);
    EXPECT_EQ(resumed["spent"]["evaluations"], whole["spent"]["evaluations"]);
    EXPECT_EQ(resumed["spent"]["steps"], whole["spent"]["steps"]);
    EXPECT_EQ(count_lines(slurp(dir / "history.csv")),
              2 + whole["spent"]["evaluations"].get<int>());
    std::filesystem::remove_all(dir);
  }
}

// The front files of a killed pareto run: `maplex resume` writes them where the run was told to,
// with the rows and the plot an uninterrupted run writes.
TEST(ParetoCli, ResumeWritesTheFrontFilesOfAnUninterruptedRun) {
  const std::vector<std::string> args = {"pareto", "--device", "titan_rtx_1", "--queries", "300",
                                         "--seed", "4",        "--verify",    "2"};
  const auto whole_csv = temp("whole_front.csv");
  const auto whole_svg = temp("whole_front.svg");
  const auto whole = run_maplex(
      with(args, {"--no-records", "--out", whole_csv.string(), "--plot", whole_svg.string()}));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto dir = temp("kill_pareto_files");
  const auto csv = temp("resumed_front.csv");
  const auto svg = temp("resumed_front.svg");
  run_and_kill(with(args, {"--run-dir", dir.string(), "--throttle-ms", "2", "--out", csv.string(),
                           "--plot", svg.string()}),
               dir, 60);
  EXPECT_FALSE(std::filesystem::exists(csv));  // killed before the end: nothing written yet
  const auto config = nlohmann::json::parse(slurp(dir / "config.json"));
  EXPECT_EQ(config["front_csv"], std::filesystem::absolute(csv).string());
  EXPECT_EQ(config["front_plot"], std::filesystem::absolute(svg).string());
  const auto resumed = run_maplex({"resume", dir.string()});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("hypervolume (reference"), std::string::npos) << resumed.out;
  // The rows (the lines after the schema and context lines) and the plot are the uninterrupted
  // run's; the context line differs only where the run records its directory.
  const auto rows = [](const std::string& text) {
    return text.substr(text.find('\n', text.find('\n') + 1) + 1);
  };
  const std::string front = slurp(csv);
  EXPECT_EQ(front.rfind("# maplex pareto front schema_version=1\n", 0), 0U);
  EXPECT_GT(count_lines(rows(front)), 2);
  EXPECT_EQ(rows(front), rows(slurp(whole_csv)));
  EXPECT_EQ(slurp(svg), slurp(whole_svg));
  for (const auto& p : {whole_csv, whole_svg, csv, svg}) {
    std::filesystem::remove(p);
  }
  std::filesystem::remove_all(dir);
}

// SIGTERM (or SIGINT) ends a recorded run with one line saying how to continue it; the run
// directory is named when the run starts.
TEST(SearchCli, InterruptedRunSaysHowToContinue) {
  const auto dir = temp("sigterm");
  const auto err = temp("sigterm.err");
  const pid_t pid = spawn_maplex(
      with(kSearch, {"--run-dir", dir.string(), "--throttle-ms", "1", "--queries", "60"}),
      err.string());
  ASSERT_GE(pid, 0);
  const auto history = dir / "history.csv";
  for (int waited_ms = 0; waited_ms < 60000; waited_ms += 5) {
    if (std::filesystem::exists(history) && count_lines(slurp(history)) > 20) {
      break;
    }
    ::usleep(5000);
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  const std::string text = slurp(err);
  EXPECT_EQ(text.rfind("run records in " + dir.string() + "\n", 0), 0U) << text;
  EXPECT_NE(text.find("interrupted; continue with `maplex resume " + dir.string() + "`"),
            std::string::npos)
      << text;
  EXPECT_EQ(run_maplex({"resume", dir.string(), "--json"}).exit_code, 0);
  std::filesystem::remove_all(dir);
  std::filesystem::remove(err);
}

// A run directory has one writer: a resume started while the run is going gets one line naming
// the writer and changes nothing; once the writer is gone (even killed) the resume proceeds.
TEST(SearchCli, ASecondWriterOfARunDirectoryIsRefused) {
  const auto dir = temp("locked");
  const pid_t pid = spawn_maplex(
      // At least 300 steps of 20 ms: the run outlives the second writer's attempts.
      with(kSearch, {"--run-dir", dir.string(), "--throttle-ms", "20", "--queries", "300"}));
  ASSERT_GE(pid, 0);
  const auto history = dir / "history.csv";
  for (int waited_ms = 0; waited_ms < 60000; waited_ms += 5) {
    if (std::filesystem::exists(history) && count_lines(slurp(history)) > 10) {
      break;
    }
    ::usleep(5000);
  }
  const std::string before = slurp(dir / "config.json");
  const RunResult second = run_maplex({"resume", dir.string(), "--json"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_EQ(count_lines(second.err), 1) << second.err;
  EXPECT_NE(second.err.find("is being written by another process (pid " + std::to_string(pid) +
                            "), expected one writer at a time"),
            std::string::npos)
      << second.err;
  const RunResult fresh = run_maplex(with(kSearch, {"--run-dir", dir.string()}));
  EXPECT_NE(fresh.err.find("already holds a run"), std::string::npos) << fresh.err;
  EXPECT_EQ(slurp(dir / "config.json"), before);
  ::kill(pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const RunResult resumed = run_maplex({"resume", dir.string(), "--throttle-ms", "0", "--json"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  std::filesystem::remove_all(dir);
}

TEST(SearchCli, BadInputOneClearLine) {
  expect_one_line_error(run_maplex({"search", "--device", "titan_rtx_1", "--latency-budget-ms",
                                    "-2", "--no-records"}),
                        "latency budget -2 ms, expected a finite number of milliseconds > 0");
  expect_one_line_error(run_maplex(with(kSearch, {"--dataset", "mnist", "--no-records"})),
                        "dataset 'mnist' is unknown");
  expect_one_line_error(run_maplex(with(kSearch, {"--algorithm", "annealing", "--no-records"})),
                        "algorithm 'annealing' is unknown");
  expect_one_line_error(run_maplex(with(kSearch, {"--latency-source", "guess", "--no-records"})),
                        "latency source 'guess' is unknown");
  for (const std::string c : {"1.5", "0", "1"}) {
    expect_one_line_error(run_maplex(with(kSearch, {"--confidence", c, "--no-records"})),
                          "--confidence " + c + ", expected a probability in (0, 1)");
  }
  expect_one_line_error(run_maplex(with(kSearch, {"--search-confidence", "-0.2", "--no-records"})),
                        "--search-confidence -0.2, expected a probability in (0, 1)");
  expect_one_line_error(
      run_maplex(with(kSearch, {"--algorithm", "hyperband", "--fidelity", "12", "--no-records"})),
      "algorithm \"hyperband\" needs a cheaper fidelity to screen with, expected --fidelity 200");
  expect_one_line_error(run_maplex({"search", "--device", "no_such_device", "--latency-budget-ms",
                                    "6", "--no-records"}),
                        "no_such_device");
  expect_one_line_error(run_maplex({"resume", temp("missing").string()}),
                        "does not exist, expected a directory made by maplex search or pareto");
  const auto empty_dir = temp("empty_run");
  std::filesystem::create_directories(empty_dir);
  expect_one_line_error(run_maplex({"resume", empty_dir.string()}), "has no config.json");
  std::filesystem::remove_all(empty_dir);
  // Below every architecture: says so and names the fastest.
  for (const std::string source : {"predicted", "table"}) {
    const RunResult r = run_maplex({"search", "--device", "titan_rtx_1", "--latency-budget-ms", "1",
                                    "--latency-source", source, "--no-records"});
    expect_one_line_error(r, "no feasible architecture exists");
    EXPECT_NE(r.err.find("the fastest is "), std::string::npos) << r.err;
  }
  expect_one_line_error(
      run_maplex({"optimum", "--device", "titan_rtx_1", "--latency-budget-ms", "1"}),
      "no feasible architecture exists");
}

// No dead end: at pixel3's 1st-percentile latency, nothing is predicted within the budget after
// the planned measurement; search measures the two architectures predicted fastest, adapts again,
// and goes on to a feasible answer.
TEST(SearchCli, NothingPredictedWithinTheBudgetIsSettledByMeasuring) {
  const auto doc = json_of(run_maplex(
      {"search", "--device", "pixel3", "--latency-budget-ms", "1.556", "--no-records", "--json"}));
  EXPECT_EQ(doc["spent"]["adaptation_measurements"], 3);  // 1 planned + 2 to settle
  EXPECT_EQ(doc["best_feasible"], true);
  EXPECT_EQ(doc["best"]["truly_feasible"], true);
  EXPECT_LE(doc["best"]["true_latency_ms"].get<double>(), 1.556);
}

// Both checks fail and nothing trained is settled within the budget (on this Snapdragon GPU the
// second check, 11692, takes 31.2 ms in Eagle's table where its FLOPs' median is 18.2 ms): the
// search has no answer and says why, naming each check, instead of blaming its limits; a third
// check settles one.
TEST(SearchCli, EveryCheckFailedSaysWhyThereIsNoAnswer) {
  const std::vector<std::string> args = {"search",
                                         "--device",
                                         "mobile_gpu_snapdragon_450_adreno_506_int8",
                                         "--latency-budget-ms",
                                         "17.708",
                                         "--queries",
                                         "100",
                                         "--seed",
                                         "0",
                                         "--no-records"};
  const auto doc = json_of(run_maplex(with(args, {"--json"})));
  ASSERT_TRUE(doc["best"].is_null()) << "this case now has an answer: pick one without";
  const auto& checks = doc["verification"]["checks"];
  ASSERT_EQ(checks.size(), 2U);
  const RunResult r = run_maplex(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no answer: every latency check measured over the budget ("),
            std::string::npos)
      << r.out;
  for (const auto& c : checks) {
    EXPECT_GT(c["measured_latency_ms"].get<double>(), 17.708);
    EXPECT_NE(r.out.find(std::to_string(c["index"].get<int>()) + ": "), std::string::npos) << r.out;
  }
  EXPECT_NE(r.out.find("--verify N"), std::string::npos);
  EXPECT_EQ(r.out.find("within the limits"), std::string::npos);
  const auto more = json_of(run_maplex(with(args, {"--verify", "3", "--json"})));
  ASSERT_FALSE(more["best"].is_null());
  EXPECT_EQ(more["best"]["truly_feasible"], true);
}

// With a device it cannot measure (a measurements file), it says which architectures to measure.
TEST(SearchCli, NothingPredictedWithinTheBudgetNamesWhatToMeasure) {
  const auto m = temp("slow.csv");
  {
    std::ofstream out(m);
    out << "arch,latency_ms\n0,10.5\n1,17.2\n2,12.1\n";
  }
  const RunResult r = run_maplex(
      {"search", "--measurements", m.string(), "--latency-budget-ms", "0.5", "--no-records"});
  expect_one_line_error(r, "no architecture is predicted within the latency budget 0.5 ms");
  EXPECT_NE(r.err.find("expected measurements that settle it: measure "), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(" ms) and add them to '" + m.string() + "'"), std::string::npos) << r.err;
  std::filesystem::remove(m);
}

// A predicted front member's 95% interval: exp(+-1.96 log-sd) around its predicted latency.
void expect_interval(const nlohmann::json& f) {
  ASSERT_TRUE(f.contains("latency_95_ms")) << f.dump();
  const double sd = f["latency_log_sd"].get<double>();
  const double ms = f["predicted_latency_ms"].get<double>();
  EXPECT_GT(sd, 0);
  EXPECT_NEAR(f["latency_95_ms"][0].get<double>(), ms / std::exp(1.96 * sd), 1e-4 * ms);
  EXPECT_NEAR(f["latency_95_ms"][1].get<double>(), ms * std::exp(1.96 * sd), 1e-4 * ms);
}

TEST(ParetoCli, FrontFilesAndJudgement) {
  const auto csv = temp("front.csv");
  const auto svg = temp("front.svg");
  const auto doc = json_of(run_maplex({"pareto", "--device", "titan_rtx_1", "--no-records", "--out",
                                       csv.string(), "--plot", svg.string(), "--json"}));
  EXPECT_EQ(doc["schema_version"], 1);
  const auto& j = doc["judgement"];
  const double ratio = j["hypervolume_ratio"].get<double>();
  EXPECT_GT(ratio, 0.9);
  EXPECT_LE(ratio, 1.0 + 1e-12);  // nothing beats the true front
  EXPECT_NEAR(
      ratio,
      j["hypervolume_found_true_latency"].get<double>() / j["hypervolume_true_front"].get<double>(),
      1e-12);
  // 3 adaptation measurements and 7 front checks, each a front member the predictor was least
  // sure of; a checked member still on the front shows its measurement, the table's latency.
  EXPECT_EQ(doc["spent"]["device_measurements"], 10);
  EXPECT_EQ(doc["spent"]["front_measurements"], 7);
  const auto& checks = doc["front_refinement"]["checks"];
  ASSERT_EQ(checks.size(), 7U);
  EXPECT_EQ(doc["front_refinement"]["readaptations"], 7);
  int checked_on_front = 0;
  for (const auto& f : doc["front"]) {
    if (f.contains("measured_latency_ms")) {
      ++checked_on_front;
      EXPECT_DOUBLE_EQ(f["measured_latency_ms"].get<double>(), f["true_latency_ms"].get<double>());
      EXPECT_DOUBLE_EQ(f["predicted_latency_ms"].get<double>(),
                       f["measured_latency_ms"].get<double>());
      EXPECT_FALSE(f.contains("latency_95_ms"));  // a measurement, not a prediction
    } else {
      expect_interval(f);
    }
  }
  EXPECT_GT(checked_on_front, 0);
  const auto unrefined = json_of(
      run_maplex({"pareto", "--device", "titan_rtx_1", "--no-records", "--verify", "0", "--json"}));
  EXPECT_EQ(unrefined["spent"]["device_measurements"], 3);
  EXPECT_FALSE(unrefined.contains("front_refinement"));
  int covered = 0;
  for (const auto& f : unrefined["front"]) {
    expect_interval(f);
    const double t = f["true_latency_ms"].get<double>();
    covered += static_cast<int>(f["latency_95_ms"][0].get<double>() <= t &&
                                t <= f["latency_95_ms"][1].get<double>());
  }
  // On a pool holding titan_rtx_1's relatives the 95% intervals hold most of the true latencies.
  EXPECT_GE(covered * 4, static_cast<int>(unrefined["front"].size()) * 3);
  const std::string front = slurp(csv);
  EXPECT_EQ(front.rfind("# maplex pareto front schema_version=1\n", 0), 0U);
  EXPECT_NE(front.find("measured_latency_ms,latency_log_sd\n"), std::string::npos);
  EXPECT_EQ(count_lines(front), 3 + static_cast<int>(doc["front"].size()));
  const std::string plot = slurp(svg);
  EXPECT_EQ(plot.rfind("<svg", 0), 0U);
  EXPECT_NE(plot.find("true front"), std::string::npos);
  std::filesystem::remove(csv);
  std::filesystem::remove(svg);
}

// titan_rtx_1's networks judged as compare judges them by networks: each connected cell's network
// accuracy is the mean validation accuracy (cifar10, 200 epochs) over the connected cells of its
// isomorphism class; the optimum is the best such network with a cell within the budget.
struct NetworksOnTitan {
  NetworksOnTitan() {
    const auto& catalog = maplex::testing::shipped_catalog();
    const auto& index = catalog.index();
    const auto valid =
        maplex::objectives::accuracies(catalog.archs(), maplex::space::Dataset::cifar10,
                                       maplex::objectives::parse_accuracy("valid", 200));
    std::map<int, std::pair<double, int>> sums;  // class -> (sum, cells)
    for (int a = 0; a < index.size(); ++a) {
      if (index.cell(a).connected) {
        auto& [sum, cells] = sums[index.class_id(a)];
        sum += valid[static_cast<std::size_t>(a)];
        ++cells;
      }
    }
    for (int a = 0; a < index.size(); ++a) {
      const auto& [sum, cells] = sums[index.class_id(a)];
      network.push_back(index.cell(a).connected ? sum / cells : -1.0);
    }
  }
  double optimum(double budget) const {
    double best = -1;
    for (std::size_t a = 0; a < network.size(); ++a) {
      if (network[a] >= 0 && latency[a] <= budget) {
        best = std::max(best, network[a]);
      }
    }
    return best;
  }
  std::vector<double> network;
  std::vector<double> latency = maplex::testing::shipped_latencies("titan_rtx_1");
};

TEST(CompareCli, PredictedAgainstMeasuredOnOneDevice) {
  const NetworksOnTitan networks;
  const auto doc =
      json_of(run_maplex({"compare", "--device", "titan_rtx_1", "--trials", "1", "--json"}));
  EXPECT_EQ(doc["schema_version"], 1);
  ASSERT_EQ(doc["cases"].size(), 3U);  // budgets at the 25th, 50th and 75th percentile
  // No algorithm named: each arm runs what a search with its source runs by default.
  const auto& arms = doc["config"]["arms"];
  ASSERT_EQ(arms.size(), 3U);
  EXPECT_EQ(arms[0]["algorithm"], "screen");  // predicted + verified
  EXPECT_EQ(arms[1]["algorithm"], "screen");  // predicted, bound only
  EXPECT_EQ(arms[2]["algorithm"], "re");      // measured: each latency a measurement
  double last_budget = 0;
  for (const auto& c : doc["cases"]) {
    EXPECT_GT(c["latency_budget_ms"].get<double>(), last_budget);
    last_budget = c["latency_budget_ms"].get<double>();
    EXPECT_LE(c["verified"]["device_measurements"].get<int>(), 3);
    EXPECT_GE(c["verified"]["device_measurements"].get<int>(), 2);
    EXPECT_EQ(c["unverified"]["device_measurements"], 3);
    for (const std::string arm : {"verified", "unverified"}) {
      // The query budget is spent, unless the cap on evaluations (50 per query) ended the search
      // first, which the case then says.
      // (in full-query equivalents: each arm's default on the predicted source, screen, pays
      // 12/200 of a query per network screened).
      const double spent = c[arm]["full_query_equivalents"].get<double>();
      if (c[arm]["stopped_by"] == "queries") {
        EXPECT_GT(spent, 299.0) << arm;
        EXPECT_LE(spent, 300.0 + 1e-9) << arm;
      } else {
        EXPECT_EQ(c[arm]["stopped_by"], "evaluations") << arm;
        EXPECT_LT(spent, 300.0) << arm;
      }
      if (c[arm]["truly_feasible"] == true) {
        EXPECT_GE(c[arm]["regret"].get<double>(), 0.0);
        EXPECT_NEAR(c[arm]["regret"].get<double>(),
                    c["optimum"]["accuracy"].get<double>() - c[arm]["accuracy"].get<double>(),
                    1e-9);
        const auto answer = c[arm]["index"].get<std::size_t>();
        EXPECT_NEAR(c[arm]["network_regret"].get<double>(),
                    networks.optimum(last_budget) - networks.network[answer], 1e-9)
            << arm;
      }
    }
    EXPECT_NEAR(c["optimum"]["network_accuracy"].get<double>(), networks.optimum(last_budget),
                1e-9);
    EXPECT_EQ(c["unverified"]["verified"], false);
    if (c["verified"]["verified"] == true) {
      EXPECT_EQ(c["verified"]["truly_feasible"], true);
    }
    EXPECT_GT(c["measured"]["device_measurements"].get<int>(), 3);
    EXPECT_EQ(c["measured"]["truly_feasible"], true);
    EXPECT_GE(c["measured"]["regret"].get<double>(), 0.0);
  }
  EXPECT_EQ(doc["summary"]["measured"]["feasibility_rate"], 1.0);
}

// A budget in ms (tight on gold_6226: 399 architectures fit) is compared, not aborted, and has no
// percentile.
TEST(CompareCli, BudgetInMilliseconds) {
  const RunResult r =
      run_maplex({"compare", "--device", "gold_6226", "--latency-budget-ms", "4", "--trials", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\ngold_6226 +- +4 \\|"))) << r.out;
  const auto doc = json_of(run_maplex(
      {"compare", "--device", "gold_6226", "--latency-budget-ms", "4", "--trials", "1", "--json"}));
  ASSERT_EQ(doc["cases"].size(), 1U);
  EXPECT_TRUE(doc["cases"][0]["budget_percentile"].is_null());
  EXPECT_EQ(doc["cases"][0]["latency_budget_ms"], 4.0);
  EXPECT_EQ(doc["cases"][0]["measured"]["truly_feasible"], true);
}

// A budget below every architecture's 95% bound after 3 measurements (the Edge TPU's 10th
// percentile, 0.661 ms; the fastest bound is 0.788 ms) is a case the bound-only arm answers nothing
// for; the comparison records it and goes on with the other arms.
TEST(CompareCli, ABudgetNothingIsPredictedWithinIsACaseWithoutAnAnswer) {
  const RunResult r = run_maplex({"compare", "--device", "embedded_tpu_edge_tpu_int8", "--trials",
                                  "1", "--budget-percentiles", "10", "--queries", "30", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = json_of(r);
  ASSERT_EQ(doc["cases"].size(), 1U);
  const auto& c = doc["cases"][0];
  EXPECT_EQ(c["unverified"]["index"], -1);
  EXPECT_EQ(c["unverified"]["truly_feasible"], false);
  EXPECT_EQ(c["unverified"]["accuracy_queries"], 0);
  // Its 3 planned measurements and those that tried to settle the budget, each counted once.
  EXPECT_GT(c["unverified"]["device_measurements"].get<int>(), 3);
  EXPECT_EQ(c["measured"]["truly_feasible"], true);
  EXPECT_GE(c["verified"]["index"].get<int>(), 0);
}

}  // namespace
}  // namespace maplex::testing
