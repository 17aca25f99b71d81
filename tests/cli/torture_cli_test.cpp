// Kill anywhere: search (four algorithms), pareto, a search batch, a measurement sweep and an
// evaluation shard are killed with SIGKILL at seeded random moments, over and over, and each time
// resumed (`maplex resume`, or the same command again for the batch, the sweep and the evaluation),
// until one finishes. After every kill the records are whole (every JSON parses, the history has at
// most a torn last line), and every final result equals the uninterrupted run's. At least 100
// kills: the searches are tortured again, with new kill moments, until there are.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "cli/run.hpp"
#include "temp_dir.hpp"

namespace maplex::testing {
namespace {

using nlohmann::json;

std::filesystem::path fresh(const std::string& name) {
  const auto p = ::maplex::testing::test_temp_dir() /
                 ("maplex_torture_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(p);
  return p;
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

// Every JSON file under `dir` parses and every history.csv has complete lines but for the last.
void expect_whole_records(const std::filesystem::path& dir) {
  if (!std::filesystem::exists(dir)) {
    return;
  }
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (e.path().extension() == ".json") {
      EXPECT_FALSE(json::parse(slurp(e.path()), nullptr, false).is_discarded())
          << e.path() << " is torn";
    } else if (name == "history.csv") {
      const std::string text = slurp(e.path());
      const auto last = text.rfind('\n');
      // only the text after the last newline may be partial; every complete line has the
      // header's number of fields (the header: the first line that is not a # comment)
      std::size_t header = 0;
      while (header < text.size() && text[header] == '#') {
        header = text.find('\n', header) == std::string::npos ? text.size()
                                                              : text.find('\n', header) + 1;
      }
      const auto header_end = text.find('\n', header);
      if (header_end == std::string::npos) {
        continue;
      }
      const auto fields = std::count(text.begin() + static_cast<long>(header),
                                     text.begin() + static_cast<long>(header_end), ',');
      std::size_t start = header_end + 1;
      while (start < last) {
        const auto end = text.find('\n', start);
        EXPECT_EQ(std::count(text.begin() + static_cast<long>(start),
                             text.begin() + static_cast<long>(end), ','),
                  fields)
            << e.path() << " has a torn line";
        start = end + 1;
      }
    }
  }
}

// Starts `first`, then `again` after each kill (`maplex resume` once the run has its config),
// killing each start after a seeded random delay in [0, max_ms) until one finishes by itself (after
// `max_kills` kills the last start runs to its end). Returns the number of kills.
int kill_until_done(const std::vector<std::string>& first, const std::vector<std::string>& again,
                    const std::filesystem::path& records, std::mt19937& rng, int max_ms,
                    int max_kills) {
  int kills = 0;
  // A run killed before its config.json was written has nothing to resume: it starts again.
  const bool resumes = !again.empty() && again.front() == "resume";
  for (bool started = false;; started = true) {
    const bool again_now =
        started && (!resumes || std::filesystem::exists(records / "config.json"));
    const pid_t pid = spawn_maplex(again_now ? again : first);
    EXPECT_GT(pid, 0);
    int status = 0;
    const int delay_ms = std::uniform_int_distribution<int>(0, max_ms - 1)(rng);
    bool ended = false;
    for (int waited = 0; waited < delay_ms && kills < max_kills; waited += 2) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        ended = true;
        break;
      }
      ::usleep(2000);
    }
    if (!ended && kills < max_kills) {
      ::kill(pid, SIGKILL);
      EXPECT_EQ(::waitpid(pid, &status, 0), pid);
      if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
        ++kills;
        expect_whole_records(records);
        continue;
      }
      ended = true;  // it finished between the last poll and the kill
    }
    if (!ended) {
      EXPECT_EQ(::waitpid(pid, &status, 0), pid);
    }
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "status " << status << " after " << kills << " kills";
    expect_whole_records(records);
    return kills;
  }
}

json without(json doc, const std::vector<std::string>& keys) {
  for (const auto& k : keys) {
    doc.erase(k);
  }
  return doc;
}

// Search, pareto: killed, resumed with `maplex resume`; returns the kills.
int torture_runs(std::mt19937& rng) {
  int kills = 0;
  const std::vector<std::vector<std::string>> runs = {
      {"search", "--device", "titan_rtx_1", "--latency-budget-ms", "6", "--algorithm", "re"},
      {"search", "--device", "pixel3", "--latency-budget-ms", "8", "--algorithm", "nsga2"},
      {"search", "--device", "titan_rtx_1", "--latency-budget-ms", "6", "--algorithm", "bo",
       "--queries", "120"},
      {"search", "--device", "gold_6226", "--latency-budget-ms", "20", "--algorithm", "hyperband"},
      {"pareto", "--device", "pixel3", "--queries", "400"}};
  for (const auto& run : runs) {
    SCOPED_TRACE(run[0] + " " + run[2] + " " + run.back());
    const auto whole = json::parse(run_maplex(with(run, {"--no-records", "--json"})).out);
    const auto dir = fresh("run");
    kills += kill_until_done(with(run, {"--run-dir", dir.string(), "--throttle-ms", "1"}),
                             {"resume", dir.string()}, dir, rng, 700, 20);
    const auto resumed = json::parse(slurp(dir / "result.json"));
    for (const char* key : {"best", "front", "best_feasible", "judgement"}) {
      EXPECT_EQ(resumed.value(key, json()), whole.value(key, json())) << key;
    }
    EXPECT_EQ(without(resumed["spent"], {"reused_from_history"}),
              without(whole["spent"], {"reused_from_history"}));
    std::filesystem::remove_all(dir);
  }
  return kills;
}

// A search batch, a sweep, an evaluation shard: killed, the same command again; returns the kills.
int torture_commands(std::mt19937& rng) {
  int kills = 0;
  // A search batch: re-running the command keeps finished runs and resumes the killed one.
  const std::vector<std::string> batch = {
      "search", "--device",  "titan_rtx_1", "--budgets-ms",  "5,7", "--seeds",
      "0-1",    "--queries", "150",         "--throttle-ms", "1"};
  const auto whole_dir = fresh("batch_whole");
  EXPECT_EQ(run_maplex(with(batch, {"--run-dir", whole_dir.string(), "--out",
                                    (whole_dir / "b.json").string()}))
                .exit_code,
            0);
  const auto dir = fresh("batch");
  const auto args = with(batch, {"--run-dir", dir.string(), "--out", (dir / "b.json").string()});
  kills += kill_until_done(args, args, dir, rng, 900, 20);
  auto units = [](const json& doc) {
    json out = json::array();
    for (const auto& u : doc.at("units")) {
      out.push_back({u.at("seed"), u.at("latency_budget_ms"), u.at("result").at("best"),
                     u.at("result").at("front")});
    }
    return out;
  };
  EXPECT_EQ(units(json::parse(slurp(dir / "b.json"))),
            units(json::parse(slurp(whole_dir / "b.json"))));
  // A sweep on a slow device: the store keeps every measurement, the CSV is complete.
  const auto sweep = fresh("sweep");
  std::filesystem::create_directories(sweep);
  std::ofstream(sweep / "dev.json")
      << R"({"name": "torture", "command": "sleep 0.03; awk -v i={index} 'BEGIN{printf \"avg=%.4f ms\\n\", 1 + (i % 53) / 5}'",)"
      << R"( "latency_regex": "avg=([0-9.]+) ms", "timeout_s": 20})";
  const std::vector<std::string> measure = {"measure",
                                            "--device",
                                            "cmd:" + (sweep / "dev.json").string(),
                                            "--sample",
                                            "40",
                                            "--seed",
                                            "2",
                                            "--store",
                                            (sweep / "s.sqlite").string(),
                                            "--out",
                                            (sweep / "m.csv").string()};
  kills += kill_until_done(measure, measure, sweep, rng, 600, 20);
  const RunResult again = run_maplex(with(measure, {"--out", (sweep / "again.csv").string()}));
  EXPECT_NE(again.out.find("0 new, 40 from the store"), std::string::npos) << again.out;
  auto rows = [](const std::string& csv) {  // without the time of measurement
    std::vector<std::string> out;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#') {
        out.push_back(line.substr(0, line.rfind(',')));
      }
    }
    return out;
  };
  EXPECT_EQ(rows(slurp(sweep / "m.csv")).size(), 41U);
  EXPECT_EQ(rows(slurp(sweep / "m.csv")), rows(slurp(sweep / "again.csv")));
  // An evaluation shard: run again after each kill, the part equals an uninterrupted one.
  const std::vector<std::string> eval = {"evaluate",  "--protocol",   "loo",
                                         "--methods", "flops,maplex", "--trials",
                                         "2",         "--shard",      "1/2"};
  EXPECT_EQ(run_maplex(with(eval, {"--json", (sweep / "whole.json").string()})).exit_code, 0);
  const auto eval_args = with(eval, {"--json", (sweep / "part.json").string()});
  kills += kill_until_done(eval_args, eval_args, sweep, rng, 1500, 10);
  EXPECT_EQ(json::parse(slurp(sweep / "part.json")).at("cells"),
            json::parse(slurp(sweep / "whole.json")).at("cells"));
  std::filesystem::remove_all(whole_dir);
  std::filesystem::remove_all(dir);
  std::filesystem::remove_all(sweep);
  return kills;
}

TEST(TortureCli, EverythingKilledAnywhereEndsAsUninterrupted) {
  std::mt19937 rng(20261201);  // the kill moments
  // Runs end sooner on a faster machine or build: the searches are killed round after round
  // (new moments each time) until the kills reach 100.
  int kills = torture_commands(rng);
  for (int round = 0; round < 8 && kills < 100; ++round) {
    kills += torture_runs(rng);
  }
  EXPECT_GE(kills, 100);
  std::printf("torture: %d kills\n", kills);
}

}  // namespace
}  // namespace maplex::testing
