// plan, predict and evaluate as a user runs them.

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "run.hpp"
#include "temp_dir.hpp"

namespace maplex::testing {
namespace {

std::filesystem::path temp(const std::string& name) {
  return ::maplex::testing::test_temp_dir() /
         ("maplex_pcli_" + std::to_string(::getpid()) + "_" + name);
}

void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }

TEST(PlanCli, JsonIsDeterministicForASeed) {
  const RunResult a = run_maplex({"plan", "--device", "gold_6226", "--seed", "4", "--json"});
  const RunResult b = run_maplex({"plan", "--device", "gold_6226", "--seed", "4", "--json"});
  const RunResult c = run_maplex({"plan", "--device", "gold_6226", "--seed", "5", "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto doc = nlohmann::json::parse(a.out);
  EXPECT_EQ(doc["schema_version"], 1);
  ASSERT_EQ(doc["architectures"].size(), 3U);
  for (const auto& arch : doc["architectures"]) {
    EXPECT_TRUE(arch["index"].is_number_integer());
    EXPECT_EQ(arch["arch_str"].get<std::string>().front(), '|');
  }
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(nlohmann::json::parse(c.out)["architectures"], doc["architectures"]);
  for (const auto& d : doc["config"]["pool"]) {
    EXPECT_NE(d, "gold_6226");
  }
}

TEST(PlanCli, BadInput) {
  expect_one_line_error(run_maplex({"plan", "--device", "gold_9999"}), 1,
                        "maplex plan: unknown device 'gold_9999'");
  expect_one_line_error(run_maplex({"plan", "--count", "0"}), 1,
                        "maplex plan: --count 0, expected at least 1");
  expect_one_line_error(run_maplex({"plan", "--pool", "1080ti_1,,2080ti_1"}), 2,
                        "--pool '1080ti_1,,2080ti_1' has an empty item");
}

// --hold-out family: a GPU's plan is made from a pool with no GPU in it, and says so.
TEST(PlanCli, HoldingOutTheFamily) {
  const RunResult r =
      run_maplex({"plan", "--device", "titan_rtx_1", "--hold-out", "family", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto config = nlohmann::json::parse(r.out)["config"];
  EXPECT_EQ(config["pool_hold_out"], "family");
  EXPECT_EQ(config["pool"].size(), 40U - 16U);  // the 16 desktop and server GPU settings out
  for (const auto& d : config["pool"]) {
    const auto name = d.get<std::string>();
    EXPECT_EQ(name.find("ti_"), std::string::npos) << name;  // 1080ti_*, 2080ti_*
    EXPECT_EQ(name.find("titan"), std::string::npos) << name;
    EXPECT_NE(name, "desktop_gpu_gtx_1080ti_fp32");
  }
  expect_one_line_error(run_maplex({"plan", "--device", "pixel3", "--hold-out", "chip"}), 1,
                        "maplex plan: --hold-out 'chip', expected hardware or family");
}

// --dead-ops: a user's device stated to prune dead ops is predicted from the pool's devices read
// that way (their members say so); the statement is in the report, and a bad one is one line.
TEST(PredictCli, DeadOpsStatedByTheUser) {
  const auto m = temp("dead.csv");
  write(m, "arch,latency_ms\n0,5.55665\n1,6.70828\n2,6.05587\n");
  const auto out = temp("dead_pred.csv");
  const auto run = [&](const std::string& kind) {
    std::vector<std::string> a = {"predict", "--measurements", m.string(),
                                  "--out",   out.string(),     "--json"};
    if (!kind.empty()) {
      a.insert(a.end(), {"--dead-ops", kind});
    }
    const RunResult r = run_maplex(a);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const auto plain = run("");
  const auto stated = run("prunes");
  EXPECT_EQ(plain["target"]["dead_ops"], "");
  EXPECT_EQ(stated["target"]["dead_ops"], "prunes");
  int converted = 0;
  for (const auto& member : stated["posterior"]["top_members"]) {
    converted +=
        member["member"].get<std::string>().find("(dead ops converted)") != std::string::npos;
  }
  EXPECT_GT(converted, 0);
  for (const auto& member : plain["posterior"]["top_members"]) {
    EXPECT_EQ(member["member"].get<std::string>().find("converted"), std::string::npos);
  }
  EXPECT_EQ(run("runs")["target"]["dead_ops"], "runs");
  expect_one_line_error(run_maplex({"predict", "--measurements", m.string(), "--dead-ops", "table",
                                    "--out", out.string()}),
                        1,
                        "for '" + m.stem().string() + "', whose runtime's handling is not known");
  expect_one_line_error(run_maplex({"evaluate", "--dead-ops", "prunes"}), 1,
                        "maplex evaluate: --dead-ops 'prunes', expected table");
  std::filesystem::remove(m);
  std::filesystem::remove(out);
}

TEST(PredictCli, SimulatedDeviceWritesEveryArchitecture) {
  const auto out = temp("pred.csv");
  const RunResult r =
      run_maplex({"predict", "--device", "2080ti_1", "--pool", "1080ti_1,titan_rtx_1,gold_6226",
                  "--out", out.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["target"]["measurements_used"], 3);
  EXPECT_TRUE(doc["target"]["simulated_from_table"].get<bool>());
  EXPECT_EQ(doc["against_table"]["count"], 15622);
  EXPECT_GT(doc["against_table"]["spearman"].get<double>(), 0.8);
  const std::string csv = slurp(out);
  EXPECT_EQ(count_lines(csv), 3 + 1 + 15625);  // three comment lines, header, rows
  EXPECT_EQ(csv.rfind("# maplex predictions schema_version=1\n", 0), 0U);
  EXPECT_NE(csv.find("\nindex,arch_str,latency_ms,log_sd\n0,|avg_pool_3x3~0|"), std::string::npos);
  std::filesystem::remove(out);
}

TEST(PredictCli, FromAMeasurementFile) {
  const auto m = temp("m.csv");
  // Three titan_rtx_1 latencies from the shipped table (indices 0, 1, 2).
  write(m, "arch,latency_ms\n0,5.55665\n1,6.70828\n2,6.05587\n");
  const RunResult r = run_maplex({"predict", "--measurements", m.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["target"]["measurements_used"], 3);
  EXPECT_FALSE(doc["target"]["simulated_from_table"].get<bool>());
  EXPECT_FALSE(doc.contains("against_table"));
  write(m, "arch,latency_ms\n");
  expect_one_line_error(run_maplex({"predict", "--measurements", m.string(), "--json"}), 1,
                        "no measurements, expected at least one row");
  write(m, "arch,latency_ms\n0,5\n0,6\n");
  expect_one_line_error(run_maplex({"predict", "--measurements", m.string(), "--json"}), 1,
                        ":3:1: duplicate arch: index 0 already measured on line 2");
  write(m, "arch,latency_ms\n0,0\n");
  expect_one_line_error(run_maplex({"predict", "--measurements", m.string(), "--json"}), 1,
                        ":2:3: latency_ms is '0', expected a positive number");
  write(m, "arch,latency_ms\n|none~0|+|none~0|none~1|+|none~0|none~1|conv~2|,3\n");
  expect_one_line_error(run_maplex({"predict", "--measurements", m.string(), "--json"}), 1,
                        "unknown op 'conv' on edge 3<-2");
  std::filesystem::remove(m);
}

TEST(PredictCli, ScoredAgainstAFileOfChecks) {
  const auto m = temp("m3.csv");
  const auto checks = temp("checks.csv");
  const auto out = temp("p3.csv");
  // titan_rtx_1's latencies from the shipped table: indices 0-2 adapt, 100-109 check (and 0,
  // an adaptation architecture, is left out of the score).
  write(m, "arch,latency_ms\n0,5.55665\n1,6.70828\n2,6.05587\n");
  const std::vector<std::pair<int, double>> truth = {
      {100, 7.11333}, {101, 5.23408}, {102, 8.17585}, {103, 7.17214}, {104, 6.35303},
      {105, 3.82277}, {106, 4.88515}, {107, 6.0246},  {108, 5.16927}, {109, 8.5402}};
  std::string text =
      "\xEF\xBB\xBF"
      "arch;latency_ms\n0;5.55665\n";  // as a spreadsheet saves it
  for (const auto& [a, ms] : truth) {
    text += std::to_string(a) + ";" + std::to_string(ms) + "\n";
  }
  write(checks, text);
  const RunResult r = run_maplex({"predict", "--measurements", m.string(), "--check-against",
                                  checks.string(), "--out", out.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  const auto& score = doc["against_file"];
  EXPECT_EQ(score["count"], 10);
  EXPECT_EQ(score["adaptation_rows_left_out"], 1);
  // The MAPE from the written predictions and the table's values.
  // The MAPE and the 95% interval's coverage from the written predictions and the file's values.
  std::map<int, std::pair<double, double>> predicted;  // latency_ms, log_sd
  std::istringstream lines(slurp(out));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])) != 0) {
      const auto c1 = line.find(',');
      const auto c2 = line.find(',', c1 + 1);  // index,arch_str,latency_ms,log_sd
      const auto c3 = line.find(',', c2 + 1);
      predicted[std::stoi(line.substr(0, c1))] = {std::stod(line.substr(c2 + 1, c3 - c2 - 1)),
                                                  std::stod(line.substr(c3 + 1))};
    }
  }
  double mape = 0;
  int inside = 0;
  for (const auto& [a, ms] : truth) {
    const auto [pred, log_sd] = predicted.at(a);
    mape += std::abs(pred / ms - 1) / 10;
    inside += std::abs(std::log(ms / pred)) <= 1.96 * log_sd ? 1 : 0;
  }
  EXPECT_NEAR(score["mape"].get<double>(), 100 * mape, 1e-6);
  EXPECT_DOUBLE_EQ(score["coverage95"].get<double>(), inside / 10.0);
  write(checks, "arch,latency_ms\n0,5.55665\n");
  expect_one_line_error(run_maplex({"predict", "--measurements", m.string(), "--check-against",
                                    checks.string(), "--json"}),
                        1, "': 0 measurements of '");
  expect_one_line_error(run_maplex({"predict", "--measurements", m.string(), "--check-against",
                                    checks.string(), "--json"}),
                        1, "m3' besides the adaptation's, expected at least 2 to score");
  // One row to score is not a score either (it used to end in an internal error).
  write(checks, "arch,latency_ms\n0,5.55665\n100,7.11333\n");
  expect_one_line_error(run_maplex({"predict", "--measurements", m.string(), "--check-against",
                                    checks.string(), "--json"}),
                        1, "': 1 measurement of '");
  std::filesystem::remove(m);
  std::filesystem::remove(checks);
  std::filesystem::remove(out);
}

TEST(PredictCli, BadInput) {
  expect_one_line_error(run_maplex({"predict", "--out", "/tmp/x.csv"}), 2,
                        "expected --measurements FILE or --device NAME");
  expect_one_line_error(run_maplex({"predict", "--device", "1080ti_1"}), 2, "expected --out FILE");
  expect_one_line_error(run_maplex({"predict", "--device", "pixel9", "--json"}), 1,
                        "unknown device 'pixel9'");
  expect_one_line_error(run_maplex({"predict", "--device", "1080ti_1", "--json", "--method", "x"}),
                        1, "method 'x' is unknown");
  expect_one_line_error(
      run_maplex({"predict", "--device", "1080ti_1", "--json", "--pool", "gold_6226,1080ti_32"}), 1,
      "pool device '1080ti_32' shares hardware 'NVIDIA GeForce GTX 1080 Ti' with the target");
  expect_one_line_error(
      run_maplex({"predict", "--device", "1080ti_1", "--json", "--pool-samples", "-1"}), 1,
      "--pool-samples -1, expected at least 0");
}

TEST(EvaluateCli, SmallRunJsonAndTable) {
  const RunResult r = run_maplex({"evaluate", "--devices", "2080ti_1", "--methods",
                                  "nearest,maplex", "--trials", "2", "--no-ceiling", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["config"]["trials"], 2);
  ASSERT_EQ(doc["devices"].size(), 1U);
  const auto& dev = doc["devices"][0];
  EXPECT_EQ(dev["device"], "2080ti_1");
  EXPECT_EQ(dev["pool"].size(), 5U);  // the other loo devices
  EXPECT_EQ(dev["methods"]["maplex"]["trials"].size(), 2U);
  const double acc = dev["methods"]["maplex"]["mean"]["acc10"].get<double>();
  EXPECT_GT(acc, 0.5);
  EXPECT_LE(acc, 1.0);
  const RunResult text =
      run_maplex({"evaluate", "--devices", "2080ti_1", "--methods", "nearest", "--trials", "1"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("+-10% error-bound accuracy"), std::string::npos);
  EXPECT_NE(text.out.find("ceiling"), std::string::npos);
  EXPECT_NE(text.err.find("evaluate: 1/1 trials done"), std::string::npos);
}

// NASFLAT's six tasks: one group per task, the geometric mean of the groups' Spearman, and
// every target's pool from its task's train list.
TEST(EvaluateCli, NasflatGroupsAndGeomean) {
  const RunResult r = run_maplex({"evaluate", "--protocol", "nasflat", "--methods", "nearest",
                                  "--trials", "1", "--no-ceiling", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["devices"].size(), 27U);  // 6 + 5 + 5 + 5 + 3 + 3 test devices
  ASSERT_EQ(doc["mean_per_group"].size(), 6U);
  double log_sum = 0;
  for (const auto& [task, methods] : doc["mean_per_group"].items()) {
    log_sum += std::log(methods["nearest"]["spearman"].get<double>());
  }
  EXPECT_NEAR(doc["geomean_spearman_over_groups"]["nearest"].get<double>(), std::exp(log_sum / 6),
              1e-12);
  for (const auto& dev : doc["devices"]) {
    const double cov = dev["methods"]["nearest"]["mean"]["coverage95"].get<double>();
    EXPECT_GE(cov, 0.0);
    EXPECT_LE(cov, 1.0);
    if (dev["group"] == "task4") {
      EXPECT_EQ(dev["pool"].size(), 10U) << dev["device"];
    }
  }
}

TEST(EvaluateCli, BadInput) {
  expect_one_line_error(run_maplex({"evaluate", "--protocol", "hepl"}), 1,
                        "protocol 'hepl' is unknown, expected one of loo, help, family, nasflat");
  expect_one_line_error(run_maplex({"evaluate", "--methods", "maple-y"}), 1,
                        "method 'maple-y' is unknown");
  expect_one_line_error(run_maplex({"evaluate", "--adapt", "0"}), 1,
                        "--adapt 0, expected at least 1");
  expect_one_line_error(run_maplex({"evaluate", "--devices", "tpu_v9"}), 1,
                        "unknown device 'tpu_v9'");
  expect_one_line_error(run_maplex({"evaluate", "--select", "best"}), 1,
                        "--select 'best' is unknown, expected random or plan");
  expect_one_line_error(run_maplex({"evaluate", "--devices", "/nonexistent/m.csv"}), 1,
                        "/nonexistent/m.csv: no such file");
}

}  // namespace
}  // namespace maplex::testing
