// Sharded runs (--shard K/N) merged with `maplex merge` equal the unsharded run: evaluation
// metrics bit for bit, compare cases and summaries, search batches, measurement CSVs and the
// stored measurements, for N = 1, 2, 3. A shard killed with SIGKILL and run again keeps what it
// measured and the merge is still exact; parts that do not make one run are refused by name.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "cli/run.hpp"
#include "temp_dir.hpp"

namespace maplex::testing {
namespace {

using nlohmann::json;

std::filesystem::path dir_for(const std::string& name) {
  const auto p = ::maplex::testing::test_temp_dir() /
                 ("maplex_shard_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

std::string str(const std::filesystem::path& p) { return p.string(); }

// Runs `args` + --shard K/N (+ the part's path after `out_flag`) for every K, then the merge.
json sharded(const std::vector<std::string>& args, const std::string& out_flag, int n,
             const std::filesystem::path& dir) {
  std::vector<std::string> merge = {"merge", "--out", str(dir / "merged.json")};
  for (int k = 0; k < n; ++k) {
    const auto part = dir / ("part" + std::to_string(k) + "-of-" + std::to_string(n) + ".json");
    auto a = args;
    a.insert(a.end(),
             {"--shard", std::to_string(k) + "/" + std::to_string(n), out_flag, str(part)});
    const RunResult r = run_maplex(a);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    merge.push_back(str(part));
  }
  const RunResult m = run_maplex(merge);
  EXPECT_EQ(m.exit_code, 0) << m.err;
  return json::parse(slurp(dir / "merged.json"));
}

TEST(ShardCli, AnEvaluationMergesBitForBit) {
  const auto dir = dir_for("eval");
  const std::vector<std::string> args = {"evaluate",  "--protocol",   "loo",
                                         "--methods", "flops,maplex", "--trials",
                                         "2",         "--select",     "plan"};
  auto whole_args = args;
  whole_args.insert(whole_args.end(), {"--json", str(dir / "whole.json")});
  ASSERT_EQ(run_maplex(whole_args).exit_code, 0);
  const json whole = json::parse(slurp(dir / "whole.json"));
  ASSERT_EQ(whole.at("devices").size(), 6U);
  for (int n : {1, 2, 3}) {
    const json merged = sharded(args, "--json", n, dir);
    for (const char* key :
         {"devices", "mean_over_devices", "mean_over_devices_whole_space", "mean_per_group",
          "geomean_spearman_over_groups", "mean_noise_ceiling"}) {
      // json equality compares the doubles exactly
      EXPECT_EQ(merged.at(key), whole.at(key)) << key << " with " << n << " shards";
    }
    EXPECT_EQ(merged.at("merged_from").size(), static_cast<std::size_t>(n));
  }
}

// The document without what a clock decides (seconds).
json without_seconds(json doc) {
  for (auto& c : doc.at("cases")) {
    for (auto& [key, side] : c.items()) {
      if (side.is_object() && side.contains("seconds")) {
        side.erase("seconds");
      }
    }
  }
  for (auto& [arm, s] : doc.at("summary").items()) {
    s.erase("median_seconds");
  }
  return doc;
}

TEST(ShardCli, ACompareMergesToTheSameCasesAndTables) {
  const auto dir = dir_for("compare");
  const std::vector<std::string> args = {
      "compare",   "--device", "titan_rtx_1,pixel3",   "--trials", "2",
      "--queries", "60",       "--budget-percentiles", "30,60"};
  auto whole_args = args;
  whole_args.insert(whole_args.end(), {"--json", str(dir / "whole.json")});
  ASSERT_EQ(run_maplex(whole_args).exit_code, 0);
  const json whole = without_seconds(json::parse(slurp(dir / "whole.json")));
  ASSERT_EQ(whole.at("cases").size(), 8U);
  for (int n : {1, 2, 3}) {
    const json merged = without_seconds(sharded(args, "--json", n, dir));
    EXPECT_EQ(merged.at("cases"), whole.at("cases")) << n << " shards";
    EXPECT_EQ(merged.at("summary"), whole.at("summary")) << n << " shards";
    EXPECT_EQ(merged.at("config"), whole.at("config")) << n << " shards";
  }
}

TEST(ShardCli, ASearchBatchMergesToTheSameRuns) {
  const auto dir = dir_for("batch");
  const std::vector<std::string> args = {
      "search",    "--device", "titan_rtx_1", "--budgets-ms",   "5,7", "--seeds", "0-2",
      "--queries", "80",       "--run-dir",   str(dir / "runs")};
  auto whole_args = args;
  whole_args[whole_args.size() - 1] = str(dir / "whole-runs");
  whole_args.insert(whole_args.end(), {"--out", str(dir / "whole.json")});
  const RunResult w = run_maplex(whole_args);
  ASSERT_EQ(w.exit_code, 0) << w.err;
  auto results = [](const json& doc) {
    json out = json::array();
    for (const auto& u : doc.at("units")) {
      json r = u.at("result");
      r.erase("seconds");
      out.push_back({u.at("unit"), u.at("seed"), u.at("latency_budget_ms"), r});
    }
    return out;
  };
  const json whole = json::parse(slurp(dir / "whole.json"));
  ASSERT_EQ(whole.at("units").size(), 6U);
  EXPECT_EQ(whole.at("summary").at("units"), 6);
  for (int n : {2, 3}) {
    std::filesystem::remove_all(dir / "runs");
    const json merged = sharded(args, "--out", n, dir);
    EXPECT_EQ(results(merged), results(whole)) << n << " shards";
    EXPECT_EQ(merged.at("summary"), whole.at("summary")) << n << " shards";
  }
}

// A device that answers at once with a latency fixed by the architecture (and, with `delay`,
// after a pause), so an unsharded and a sharded sweep measure the same values.
std::filesystem::path fixed_device(const std::filesystem::path& dir, const std::string& delay) {
  const auto file = dir / "fixed.json";
  std::ofstream(file)
      << R"({"name": "fixed", "command": ")" << delay
      << R"(awk -v i={index} 'BEGIN{printf \"avg=%.4f ms\\n\", 1 + (i % 89) / 8}'",)"
      << R"( "latency_regex": "avg=([0-9.]+) ms", "timeout_s": 20})";
  return file;
}

// The CSV's rows without the measurement time.
std::vector<std::string> rows_of(const std::string& csv) {
  std::vector<std::string> out;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#' && line.rfind("arch,", 0) != 0) {
      out.push_back(line.substr(0, line.rfind(',')));
    }
  }
  return out;
}

TEST(ShardCli, AMeasurementSweepMergesToTheSameRowsAndStore) {
  const auto dir = dir_for("measure");
  const auto device = "cmd:" + str(fixed_device(dir, ""));
  const std::vector<std::string> args = {"measure", "--device", device, "--sample",
                                         "25",      "--seed",   "7"};
  auto whole_args = args;
  whole_args.insert(whole_args.end(),
                    {"--store", str(dir / "whole.sqlite"), "--out", str(dir / "whole.csv")});
  ASSERT_EQ(run_maplex(whole_args).exit_code, 0);
  const auto whole_rows = rows_of(slurp(dir / "whole.csv"));
  ASSERT_EQ(whole_rows.size(), 25U);
  for (int n : {1, 2, 3}) {
    std::vector<std::string> merge_csv = {"merge", "--out", str(dir / "merged.csv")};
    std::vector<std::string> merge_db = {"merge", "--out",
                                         str(dir / ("merged" + std::to_string(n) + ".sqlite"))};
    for (int k = (n == 3 ? n - 1 : 0); k >= 0 && k < n; n == 3 ? --k : ++k) {  // any order
      const auto tag = std::to_string(k) + "of" + std::to_string(n);
      auto a = args;
      a.insert(a.end(), {"--shard", std::to_string(k) + "/" + std::to_string(n), "--store",
                         str(dir / (tag + ".sqlite")), "--out", str(dir / (tag + ".csv"))});
      ASSERT_EQ(run_maplex(a).exit_code, 0);
      merge_csv.push_back(str(dir / (tag + ".csv")));
      merge_db.push_back(str(dir / (tag + ".sqlite")));
    }
    const RunResult mc = run_maplex(merge_csv);
    ASSERT_EQ(mc.exit_code, 0) << mc.err;
    EXPECT_EQ(rows_of(slurp(dir / "merged.csv")), whole_rows) << n << " shards";
    const RunResult md = run_maplex(merge_db);
    ASSERT_EQ(md.exit_code, 0) << md.err;
    EXPECT_NE(md.out.find("25 rows added, 0 already held, 0 conflicts"), std::string::npos)
        << md.out;
    EXPECT_EQ(stored_archs(dir / ("merged" + std::to_string(n) + ".sqlite")),
              stored_archs(dir / "whole.sqlite"));
  }
}

TEST(ShardCli, AKilledShardKeepsWhatItMeasuredAndTheMergeIsExact) {
  const auto dir = dir_for("killed");
  const auto device = "cmd:" + str(fixed_device(dir, "sleep 0.1; "));
  const std::vector<std::string> base = {"measure", "--device", device, "--sample",
                                         "16",      "--seed",   "3"};
  auto shard_args = [&](int k) {
    auto a = base;
    a.insert(a.end(), {"--shard", std::to_string(k) + "/2", "--store", str(dir / "shared.sqlite"),
                       "--out", str(dir / ("s" + std::to_string(k) + ".csv"))});
    return a;
  };
  const pid_t pid = spawn_maplex(shard_args(0));
  ASSERT_GT(pid, 0);
  int status = 0;
  for (int waited = 0; waited < 60000 && stored_archs(dir / "shared.sqlite").size() < 3;
       waited += 10) {
    ASSERT_NE(::waitpid(pid, &status, WNOHANG), pid) << "the shard ended before it was killed";
    ::usleep(10000);
  }
  ::kill(pid, SIGKILL);
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const auto before = stored_archs(dir / "shared.sqlite");
  ASSERT_GE(before.size(), 3U);
  ASSERT_LT(before.size(), 8U);
  EXPECT_FALSE(std::filesystem::exists(dir / "s0.csv"));
  const RunResult again = run_maplex(shard_args(0));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(std::to_string(8 - before.size()) + " new, " +
                           std::to_string(before.size()) + " from the store"),
            std::string::npos)
      << again.out;
  ASSERT_EQ(run_maplex(shard_args(1)).exit_code, 0);
  ASSERT_EQ(run_maplex({"merge", "--out", str(dir / "merged.csv"), str(dir / "s0.csv"),
                        str(dir / "s1.csv")})
                .exit_code,
            0);
  auto whole = base;
  whole.insert(whole.end(),
               {"--store", str(dir / "whole.sqlite"), "--out", str(dir / "whole.csv")});
  ASSERT_EQ(run_maplex(whole).exit_code, 0);
  EXPECT_EQ(rows_of(slurp(dir / "merged.csv")), rows_of(slurp(dir / "whole.csv")));
  EXPECT_EQ(stored_archs(dir / "shared.sqlite"), stored_archs(dir / "whole.sqlite"));
}

TEST(ShardCli, PartsThatAreNotOneRunAreRefusedByName) {
  const auto dir = dir_for("refused");
  const std::vector<std::string> args = {"evaluate", "--protocol", "loo", "--methods",
                                         "flops",    "--trials",   "1",   "--no-ceiling"};
  for (int k = 0; k < 3; ++k) {
    auto a = args;
    a.insert(a.end(), {"--shard", std::to_string(k) + "/3", "--json",
                       str(dir / ("p" + std::to_string(k) + ".json"))});
    ASSERT_EQ(run_maplex(a).exit_code, 0);
  }
  auto other = args;
  other[6] = "2";
  other.insert(other.end(), {"--shard", "1/3", "--json", str(dir / "other.json")});
  ASSERT_EQ(run_maplex(other).exit_code, 0);
  const auto p = [&](const std::string& name) { return str(dir / name); };
  const auto out = p("m.json");
  expect_one_line_error(run_maplex({"merge", "--out", out, p("p0.json"), p("p2.json")}), 1,
                        "shard 1/3 missing");
  expect_one_line_error(
      run_maplex({"merge", "--out", out, p("p0.json"), p("p1.json"), p("p2.json"), p("p1.json")}),
      1, "shard 1/3 given twice");
  expect_one_line_error(
      run_maplex({"merge", "--out", out, p("p0.json"), p("other.json"), p("p2.json")}), 1,
      "other.json' was run with");
  std::ofstream(p("text.txt")) << "hello\n";
  expect_one_line_error(run_maplex({"merge", "--out", out, p("text.txt")}), 1,
                        "text.txt' is not a part of a sharded run");
  expect_one_line_error(run_maplex({"merge", "--out", out, p("nothing.json")}), 1,
                        "nothing.json' cannot be read");
  EXPECT_EQ(run_maplex({"merge", p("p0.json")}).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(out));
  expect_one_line_error(run_maplex({"evaluate", "--shard", "2/2", "--json", out}), 1,
                        "'2/2' is shard 2 of 2, expected 0 <= K < N");
  // An unfinished CSV part (rows cut off) is refused, not merged short.
  const auto device = "cmd:" + str(fixed_device(dir, ""));
  for (int k = 0; k < 2; ++k) {
    ASSERT_EQ(run_maplex({"measure", "--device", device, "--sample", "6", "--shard",
                          std::to_string(k) + "/2", "--store", p("s.sqlite"), "--out",
                          p("c" + std::to_string(k) + ".csv")})
                  .exit_code,
              0);
  }
  std::string text = slurp(p("c1.csv"));
  text.erase(text.rfind('\n', text.size() - 2) + 1);
  std::ofstream(p("c1.csv")) << text;
  expect_one_line_error(run_maplex({"merge", "--out", p("m.csv"), p("c0.csv"), p("c1.csv")}), 1,
                        "holds 2 rows, expected the 3 of shard 1/2");
  expect_one_line_error(run_maplex({"merge", "--out", out, p("c0.csv"), p("p1.json")}), 1,
                        "another kind");
}

}  // namespace
}  // namespace maplex::testing
