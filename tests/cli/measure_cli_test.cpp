// maplex measure, profile and --device local as a user runs them: a CSV the rest of maplex reads
// as a device's measurements, a store that survives a killed sweep, a profile without hardware
// counters, and searches on this machine.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "run.hpp"
#include "temp_dir.hpp"

namespace maplex::testing {
namespace {

std::filesystem::path temp(const std::string& name) {
  const auto p = ::maplex::testing::test_temp_dir() /
                 ("maplex_mcli_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(p);
  std::filesystem::remove(p.string() + "-wal");
  std::filesystem::remove(p.string() + "-shm");
  return p;
}

// "N new, M from the store" in a measure summary.
std::pair<int, int> new_and_stored(const std::string& out) {
  std::smatch m;
  const std::regex re("(\\d+) new, (\\d+) from the store");
  if (!std::regex_search(out, m, re)) {
    ADD_FAILURE() << "no counts in: " << out;
    return {-1, -1};
  }
  return {std::stoi(m[1]), std::stoi(m[2])};
}

TEST(MeasureCli, WritesAMeasurementsFileOthersRead) {
  const auto csv = temp("m.csv");
  const auto store = temp("w.sqlite");
  const RunResult r = run_maplex(
      {"measure", "--arch", "0,11472", "--arch", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
       "--repeats", "3", "--warmup", "1", "--store", store.string(), "--out", csv.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("measured 3 architectures"), std::string::npos) << r.out;
  const std::string text = slurp(csv);
  EXPECT_EQ(text.rfind("# maplex measurements schema_version=1\n", 0), 0U);
  EXPECT_NE(text.find("# device=local fingerprint="), std::string::npos);
  EXPECT_NE(text.find("oneDNN "), std::string::npos);
  EXPECT_NE(text.find(", 1 thread, 3 repeats after 1 warm-up runs"), std::string::npos);
  EXPECT_NE(text.find("\narch,index,latency_ms,ratio,"), std::string::npos);
  EXPECT_NE(text.find("\n# takes per architecture: 2 (timings a sweep pass apart"),
            std::string::npos);
  EXPECT_EQ(count_lines(text), 5 + 3);
  EXPECT_NE(text.find(",11472,"), std::string::npos);
  EXPECT_EQ(stored_archs(store).size(), 3U);
  // The file is a device's measurements for the predictor.
  const auto preds = temp("p.csv");
  const RunResult p =
      run_maplex({"predict", "--measurements", csv.string(), "--out", preds.string()});
  EXPECT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(count_lines(slurp(preds)) > 15625, true);
  std::filesystem::remove(csv);
  std::filesystem::remove(preds);
}

TEST(MeasureCli, JsonReportAndExcludingWhatIsMeasured) {
  const auto first = temp("first.csv");
  const auto second = temp("second.csv");
  const auto store = temp("x.sqlite");
  const std::vector<std::string> quick = {"--repeats", "2",       "--warmup",
                                          "1",         "--store", store.string()};
  auto with = [&](std::vector<std::string> a) {
    a.insert(a.end(), quick.begin(), quick.end());
    return a;
  };
  const RunResult a = run_maplex(
      with({"measure", "--sample", "4", "--seed", "3", "--out", first.string(), "--json"}));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto doc = nlohmann::json::parse(a.out);
  EXPECT_EQ(doc["command"], "measure");
  EXPECT_EQ(doc["counts"]["measured"], 4);
  EXPECT_GE(doc["counts"]["new"], 4);  // an unsteady one is taken twice
  EXPECT_EQ(doc["counts"]["from_store"], 0);
  EXPECT_EQ(doc["device"]["name"], "local");
  // Passes: a later one only for what was disturbed (at most the default 3 in all).
  const int passes = doc["passes"].get<int>();
  EXPECT_GE(passes, 1);
  EXPECT_LE(passes, 3);
  EXPECT_EQ(passes > 1, doc["counts"]["measured_again_disturbed"].get<int>() > 0);
  EXPECT_LE(doc["counts"]["still_disturbed"].get<int>(), 4);
  EXPECT_EQ(doc["rounds"], 2);  // oneDNN's default: two takes of each, a pass apart
  EXPECT_EQ(doc["counts"]["round_takes"], 4);
  ASSERT_EQ(doc["measurements"].size(), 4U);
  std::set<int> measured;
  for (const auto& m : doc["measurements"]) {
    EXPECT_GT(m["latency_ms"].get<double>(), 0);
    EXPECT_FALSE(m["from_store"].get<bool>());
    EXPECT_EQ(m["takes"], 2);
    measured.insert(m["index"].get<int>());
  }
  // The same seed draws the same 4 first; with them excluded, 4 others are measured.
  const RunResult b = run_maplex(with({"measure", "--sample", "4", "--seed", "3", "--exclude",
                                       first.string(), "--out", second.string(), "--json"}));
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto again = nlohmann::json::parse(b.out);
  EXPECT_GE(again["counts"]["new"], 4);
  EXPECT_EQ(again["counts"]["from_store"], 0);
  for (const auto& m : again["measurements"]) {
    EXPECT_EQ(measured.count(m["index"].get<int>()), 0U) << m;
  }
  EXPECT_EQ(stored_archs(store).size(), 8U);
  expect_one_line_error(
      run_maplex({"measure", "--sample", "15284", "--exclude", first.string(), "--out", "x"}), 1,
      "--sample 15284, expected at most 15280 (the connected architectures not in --exclude)");
  expect_one_line_error(
      run_maplex({"measure", "--arch", "1", "--exclude", "/no/such.csv", "--out", "x"}), 1,
      "/no/such.csv");
}

TEST(MeasureCli, BadInputOneClearLine) {
  const RunResult dev = run_maplex({"measure", "--device", "pixel3", "--arch", "0", "--out", "x"});
  EXPECT_EQ(dev.exit_code, 1);
  EXPECT_EQ(count_lines(dev.err), 1) << dev.err;
  EXPECT_NE(dev.err.find("device 'pixel3' cannot be measured from here, expected local"),
            std::string::npos)
      << dev.err;
  const RunResult none = run_maplex({"measure", "--out", temp("n.csv").string()});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("expected --arch"), std::string::npos) << none.err;
  const RunResult bad = run_maplex({"measure", "--arch", "99999", "--out", temp("b.csv").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(count_lines(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("99999"), std::string::npos) << bad.err;
  const auto store = temp("bad.sqlite").string();
  for (const auto& [option, value, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"--threads", "0", "--threads 0, expected at least 1"},
           {"--repeats", "0", "--repeats 0, expected at least 1"},
           {"--warmup", "-2", "--warmup -2, expected at least 0"},
           {"--pin-cpu", "4096", "--pin-cpu 4096, expected a CPU in 0.."},
           {"--passes", "0", "--passes 0, expected at least 1"},
           {"--rounds", "-1", "--rounds -1, expected at least 0"},
           {"--balance", "maybe", "--balance 'maybe', expected auto, on or off"},
           {"--max-wait", "-1", "--max-wait -1"}}) {
    const RunResult r = run_maplex({"measure", "--arch", "0", option, value, "--store", store,
                                    "--out", temp("b.csv").string()});
    EXPECT_EQ(r.exit_code, 1) << option;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
  const RunResult junk_store = run_maplex(
      {"measure", "--arch", "0", "--store", "/proc/nope/s.sqlite", "--out", temp("c.csv")});
  EXPECT_EQ(junk_store.exit_code, 1);
  EXPECT_EQ(count_lines(junk_store.err), 1) << junk_store.err;
  EXPECT_NE(junk_store.err.find("/proc/nope/s.sqlite"), std::string::npos) << junk_store.err;
  // Other commands: unknown devices and local without a live source are named.
  const RunResult search_bad =
      run_maplex({"search", "--device", "local", "--latency-budget-ms", "2", "--measure-threads",
                  "0", "--store", store, "--no-records"});
  EXPECT_EQ(search_bad.exit_code, 1);
  EXPECT_NE(search_bad.err.find("--measure-threads 0, expected at least 1"), std::string::npos)
      << search_bad.err;
  const RunResult live_table = run_maplex({"search", "--device", "pixel3", "--latency-source",
                                           "live", "--latency-budget-ms", "20", "--no-records"});
  EXPECT_EQ(live_table.exit_code, 1);
  EXPECT_EQ(count_lines(live_table.err), 1) << live_table.err;
  EXPECT_NE(live_table.err.find("expected --device local"), std::string::npos) << live_table.err;
}

TEST(MeasureCli, AKilledSweepKeepsEveryMeasurementAndDoesNotRedoIt) {
  const auto store = temp("kill.sqlite");
  const auto csv = temp("kill.csv");
  const std::vector<std::string> args = {
      "measure",  "--sample", "40",      "--seed",       "5",     "--repeats", "3",
      "--warmup", "1",        "--store", store.string(), "--out", csv.string()};
  const pid_t pid = spawn_maplex(args);
  ASSERT_GE(pid, 0);
  int status = 0;
  for (int waited_ms = 0; waited_ms < 120000; waited_ms += 5) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      FAIL() << "the sweep ended before it was killed, status " << status;
    }
    if (stored_archs(store).size() >= 8) {
      break;
    }
    ::usleep(5000);
  }
  ::kill(pid, SIGKILL);
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_FALSE(std::filesystem::exists(csv));  // killed before writing its CSV
  const auto before = stored_archs(store);
  ASSERT_GE(before.size(), 8U);
  ASSERT_LT(before.size(), 40U);
  // Started again: what was measured is read back, the rest measured, the CSV complete.
  const RunResult again = run_maplex(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto [fresh, stored] = new_and_stored(again.out);
  EXPECT_EQ(stored, static_cast<int>(before.size())) << again.out;
  EXPECT_EQ(fresh, 40 - static_cast<int>(before.size())) << again.out;
  const auto after = stored_archs(store);
  EXPECT_EQ(after.size(), 40U);
  for (const auto& [item, ratio] : before) {
    ASSERT_TRUE(after.count(item) == 1) << item;
    EXPECT_EQ(after.at(item), ratio) << item << " was measured again";
  }
  EXPECT_EQ(count_lines(slurp(csv)), 5 + 40);
  // --fresh measures every one again.
  const RunResult redo = run_maplex([&] {
    auto a = args;
    a.push_back("--fresh");
    return a;
  }());
  ASSERT_EQ(redo.exit_code, 0) << redo.err;
  EXPECT_EQ(new_and_stored(redo.out), std::make_pair(40, 0)) << redo.out;
}

TEST(ProfileCli, FallsBackInOneLineWithoutHardwareCounters) {
  const auto store = temp("p.sqlite");
  const RunResult r = run_maplex(
      {"profile", "--no-hardware-counters", "--runs", "3", "--store", store.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("software events and micro-benchmarks"), std::string::npos) << r.err;
  const auto envelope = nlohmann::json::parse(r.out);
  EXPECT_EQ(envelope["schema_version"], 1);
  EXPECT_EQ(envelope["command"], "profile");
  EXPECT_EQ(envelope["context"]["data_dir"], MAPLEX_TEST_DATA_DIR);
  const auto& doc = envelope["profile"];
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["hardware_counters"], false);
  EXPECT_EQ(doc["fingerprint"].get<std::string>().size(), 16U);
  EXPECT_GT(doc["memory_gbps"].get<double>(), 0);
  EXPECT_GT(doc["conv_gflops_by_stage"][0].get<double>(), 0);
  EXPECT_GT(doc["host"]["logical_cpus"].get<int>(), 0);
}

// evaluate on this machine's measurements without its table (--no-lut: no specs, no per-op
// table) still knows what its runtime does with dead ops when asked (--dead-ops table): every
// pool device that prunes them is read the other way, so maplex's errors move.
TEST(LocalCli, EvaluateWithoutATableStillKnowsTheRuntimeRunsDeadOps) {
  const auto store = temp("e.sqlite");
  const auto csv = temp("local.csv");
  {
    std::ofstream out(csv);
    out << "arch,latency_ms,device\n";
    for (int a = 0; a < 60; ++a) {
      out << a * 250 << "," << 1.0 + 0.05 * (a % 11) + 0.02 * (a % 7) << ",local\n";
    }
  }
  const auto mape = [&](const std::string& dead_ops) {
    std::vector<std::string> a = {
        "evaluate",     "--protocol", "family", "--devices",    csv.string(), "--methods",
        "maplex",       "--trials",   "1",      "--no-ceiling", "--no-lut",   "--store",
        store.string(), "--repeats",  "3",      "--warmup",     "1",          "--json"};
    if (!dead_ops.empty()) {
      a.insert(a.end(), {"--dead-ops", dead_ops});
    }
    const RunResult r = run_maplex(a);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["devices"][0]["methods"]["maplex"]["mean"]["mape"]
        .get<double>();
  };
  EXPECT_NE(mape("table"), mape(""));
}

TEST(LocalCli, SearchOnThisMachineMeasuresAdaptsAndVerifies) {
  const auto store = temp("s.sqlite");
  const std::vector<std::string> quick = {"--store", store.string(), "--repeats",
                                          "3",       "--warmup",     "1"};
  auto with = [&](std::vector<std::string> a) {
    a.insert(a.end(), quick.begin(), quick.end());
    return a;
  };
  // The fastest planned architecture's latency sets a budget every machine can meet.
  const RunResult plan = run_maplex(with({"plan", "--device", "local", "--json"}));
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  const auto planned = nlohmann::json::parse(plan.out)["architectures"];
  ASSERT_EQ(planned.size(), 3U);
  double slowest = 0;
  for (const auto& a : planned) {
    EXPECT_GT(a["measured_latency_ms"].get<double>(), 0);
    slowest = std::max(slowest, a["measured_latency_ms"].get<double>());
  }
  const std::string budget = std::to_string(slowest);
  const RunResult r = run_maplex(with({"search", "--device", "local", "--latency-budget-ms", budget,
                                       "--queries", "100", "--no-records", "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["target"]["device"], "local");
  EXPECT_EQ(doc["target"]["fingerprint"].get<std::string>().size(), 16U);
  EXPECT_EQ(doc["config"]["local"]["repeats"], 3);
  EXPECT_EQ(doc["target"]["measurements"].size(), 1U);  // 3 measurements: 1 to adapt, 2 checks
  ASSERT_FALSE(doc["best"].is_null());
  // The answer was measured on this machine: predicted and measured side by side.
  ASSERT_TRUE(doc["best"].contains("measured_latency_ms")) << doc["best"].dump();
  EXPECT_GT(doc["best"]["measured_latency_ms"].get<double>(), 0);
  EXPECT_GT(doc["best"]["predicted_latency_ms"].get<double>(), 0);
  if (doc["best"].value("verified", false)) {
    EXPECT_LE(doc["best"]["measured_latency_ms"].get<double>(), std::stod(budget));
  }
  // Measured search on this machine: every candidate's latency is a measurement (or the store's).
  const RunResult live = run_maplex(
      with({"search", "--device", "local", "--latency-source", "live", "--latency-budget-ms",
            budget, "--queries", "15", "--no-records", "--json"}));
  ASSERT_EQ(live.exit_code, 0) << live.err;
  const auto ldoc = nlohmann::json::parse(live.out);
  EXPECT_EQ(ldoc["config"]["latency_source"], "live");
  EXPECT_GE(ldoc["spent"]["search_measurements"].get<int>(), 15);
  ASSERT_FALSE(ldoc["best"].is_null());
  EXPECT_LE(ldoc["best"]["measured_latency_ms"].get<double>(), std::stod(budget));
  // Predictions checked against fresh measurements of further architectures.
  const RunResult pred =
      run_maplex(with({"predict", "--device", "local", "--check", "3", "--json"}));
  ASSERT_EQ(pred.exit_code, 0) << pred.err;
  const auto pdoc = nlohmann::json::parse(pred.out);
  EXPECT_EQ(pdoc["checks"].size(), 3U);
  EXPECT_EQ(pdoc["against_measurements"]["count"], 3);
}

}  // namespace
}  // namespace maplex::testing

namespace maplex::testing {
namespace {

// A device file whose command is `command` (latency printed as "avg=<ms> ms").
std::filesystem::path command_device(const std::string& name, const std::string& command,
                                     double timeout_s = 60) {
  const auto path = temp(name + ".json");
  const nlohmann::json j = {{"name", name},
                            {"command", command},
                            {"latency_regex", "avg=([0-9.e+-]+) ms"},
                            {"timeout_s", timeout_s}};
  std::ofstream(path) << j.dump();
  return path;
}

double csv_latency(const std::string& csv, int index) {
  const std::regex re("\\n[^,\\n]*," + std::to_string(index) + ",([0-9.e+-]+),");
  std::smatch m;
  const std::string text = slurp(csv);
  if (!std::regex_search(text, m, re)) {
    ADD_FAILURE() << "no row for " << index << " in " << text;
    return -1;
  }
  return std::stod(m[1]);
}

// cmd: wraps another runtime: each architecture measured by `maplex measure --device
// local:opencv` in a command, its latency parsed from the output and stored under the device.
TEST(CommandDeviceCli, WrapsAnotherRuntimeEndToEnd) {
  const auto inner = temp("inner.sqlite");
  const auto outer = temp("outer.sqlite");
  const auto scratch = temp("inner.csv");
  const std::string bin = MAPLEX_BIN;
  const std::string measure_inner = "'" + bin +
                                    "' measure --device local:opencv --repeats 3 "
                                    "--warmup 1 --store '" +
                                    inner.string() + "' --out '" + scratch.string() +
                                    "' --arch {index}";
  const auto dev =
      command_device("opencv-by-command", measure_inner + " > /dev/null && echo \"avg=$(tail -1 '" +
                                              scratch.string() + "' | cut -d, -f3) ms\"");
  const auto csv = temp("cmd.csv");
  const RunResult r = run_maplex({"measure", "--device", "cmd:" + dev.string(), "--arch", "11472,0",
                                  "--store", outer.string(), "--out", csv.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 new, 0 from the store"), std::string::npos) << r.out;
  EXPECT_NE(slurp(csv).find(",opencv-by-command,"), std::string::npos);
  // The same numbers as the wrapped runtime's own store holds.
  const auto direct = temp("direct.csv");
  ASSERT_EQ(run_maplex({"measure", "--device", "local:opencv", "--repeats", "3", "--warmup", "1",
                        "--store", inner.string(), "--arch", "11472,0", "--out", direct.string()})
                .exit_code,
            0);
  for (const int a : {11472, 0}) {
    EXPECT_NEAR(csv_latency(csv, a), csv_latency(direct, a), 1e-5 * csv_latency(direct, a));
  }
  EXPECT_EQ(stored_archs(outer).size(), 2U);
  // OpenCV's default is two takes of each, a pass apart; a command's device times once.
  EXPECT_EQ(stored_archs(inner, true).count("arch:11472#2"), 1U);
  const RunResult rounds =
      run_maplex({"measure", "--device", "cmd:" + dev.string(), "--arch", "11472", "--rounds", "2",
                  "--store", outer.string(), "--out", csv.string()});
  EXPECT_EQ(rounds.exit_code, 1);
  EXPECT_EQ(count_lines(rounds.err), 1) << rounds.err;
  EXPECT_NE(rounds.err.find("--rounds 2: device opencv-by-command times an architecture once"),
            std::string::npos)
      << rounds.err;
  // A failing command: one line naming the architecture and the status; the store keeps the two.
  const auto failing = command_device("opencv-by-command", "echo broken >&2; exit 4");
  const RunResult bad = run_maplex({"measure", "--device", "cmd:" + failing.string(), "--arch",
                                    "11472,5", "--store", outer.string(), "--out", csv.string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(count_lines(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("architecture 5 "), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("exited with status 4 (broken)"), std::string::npos) << bad.err;
  EXPECT_EQ(stored_archs(outer).size(), 2U);
  // One that hangs (killed at its timeout) and one that prints garbage: the same.
  const auto hangs = command_device("opencv-by-command", "sleep 30", 0.5);
  const RunResult hung = run_maplex({"measure", "--device", "cmd:" + hangs.string(), "--arch", "5",
                                     "--store", outer.string(), "--out", csv.string()});
  EXPECT_EQ(hung.exit_code, 1);
  EXPECT_EQ(count_lines(hung.err), 1) << hung.err;
  EXPECT_NE(hung.err.find("ran longer than timeout_s 0.5 s"), std::string::npos) << hung.err;
  const auto garbage = command_device("opencv-by-command", "echo 'latency: fast'");
  const RunResult junk = run_maplex({"measure", "--device", "cmd:" + garbage.string(), "--arch",
                                     "5", "--store", outer.string(), "--out", csv.string()});
  EXPECT_EQ(junk.exit_code, 1);
  EXPECT_EQ(count_lines(junk.err), 1) << junk.err;
  EXPECT_NE(junk.err.find("'latency: fast'"), std::string::npos) << junk.err;
  EXPECT_EQ(stored_archs(outer).size(), 2U);
  const RunResult unknown = run_maplex({"measure", "--device", "local:tensorflow", "--arch", "1",
                                        "--store", outer.string(), "--out", csv.string()});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("runtime 'tensorflow' is unknown, expected local, local:opencv"),
            std::string::npos)
      << unknown.err;
}

// A device reached by a command that prints pixel3's shipped latency (`maplex arch`).
std::filesystem::path pixel3_by_command(const std::string& name) {
  const std::string bin = MAPLEX_BIN;
  return command_device(
      name,
      "'" + bin + "' arch {index} --device pixel3 | awk '/^pixel3 / {print \"avg=\" $2 \" ms\"}'");
}

// A search on a device reached by a command (here: pixel3's shipped table printed by `maplex
// arch`): adapted from its measurements, the answer checked and measured within the budget.
TEST(CommandDeviceCli, SearchOnACommandDevice) {
  const auto store = temp("search.sqlite");
  const auto dev = pixel3_by_command("pixel3-by-command");
  const RunResult r =
      run_maplex({"search", "--device", "cmd:" + dev.string(), "--latency-budget-ms", "10",
                  "--store", store.string(), "--no-records", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_FALSE(doc["best"].is_null());
  const double measured = doc["best"]["measured_latency_ms"].get<double>();
  EXPECT_LE(measured, 10.0);
  EXPECT_TRUE(doc["best"]["verified"].get<bool>());
  // The device's measurements are pixel3's table values.
  const int best = doc["best"]["index"].get<int>();
  const auto table = run_maplex({"arch", std::to_string(best), "--device", "pixel3"});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(table.out, m, std::regex("\\npixel3 +([0-9.]+)"))) << table.out;
  EXPECT_DOUBLE_EQ(measured, std::stod(m[1]));
  EXPECT_GE(stored_archs(store).size(), 3U);
}

// A device file may state what its runtime does with dead ops; --dead-ops table then reads every
// pool device that way (pixel3's TFLite prunes them, HELP's PyTorch devices run them), and
// without the statement `table` is one line saying the handling is not known.
TEST(CommandDeviceCli, TheDeviceFileStatesItsDeadOps) {
  const auto store = temp("dead.sqlite");
  const auto plain = pixel3_by_command("pixel3-dead-ops");
  nlohmann::json j = nlohmann::json::parse(slurp(plain));
  j["dead_ops"] = "prunes";
  const auto stated = temp("pixel3-dead-ops-stated.json");
  std::ofstream(stated) << j.dump();
  const auto out = temp("dead.csv");
  const auto predict = [&](const std::filesystem::path& dev, const std::string& dead_ops) {
    return run_maplex({"predict", "--device", "cmd:" + dev.string(), "--dead-ops", dead_ops,
                       "--store", store.string(), "--out", out.string(), "--json"});
  };
  // The predictions' rows (the CSV's comment lines name the run).
  const auto rows = [&] {
    const std::string csv = slurp(out);
    return csv.substr(csv.find("\nindex,"));
  };
  const RunResult r = predict(stated, "table");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["target"]["dead_ops"], "prunes");
  const std::string from_file = rows();
  ASSERT_EQ(predict(plain, "prunes").exit_code, 0);
  EXPECT_EQ(rows(), from_file);  // the file's statement is the user's
  ASSERT_EQ(predict(plain, "runs").exit_code, 0);
  EXPECT_NE(rows(), from_file);  // and it matters
  expect_one_line_error(predict(plain, "table"), 1, "whose runtime's handling is not known");
}

// compare on a device reached by a command, with a budget in ms: nothing but what it measured is
// known, so regret is against the best any arm found, and the optimum network's accuracy is
// unknown (null; it was written as 0).
TEST(CommandDeviceCli, CompareOnACommandDeviceKnowsOnlyWhatItMeasured) {
  const auto store = temp("compare.sqlite");
  const auto dev = pixel3_by_command("pixel3-compared");
  const RunResult r =
      run_maplex({"compare", "--device", "cmd:" + dev.string(), "--latency-budget-ms", "10",
                  "--trials", "1", "--queries", "10", "--store", store.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["cases"].size(), 1U);
  const auto& c = doc["cases"][0];
  EXPECT_TRUE(c["optimum"]["network_accuracy"].is_null()) << c["optimum"].dump();
  double best = 0;
  for (const char* arm : {"verified", "unverified", "measured"}) {
    ASSERT_TRUE(c[arm]["truly_feasible"].get<bool>()) << arm;
    EXPECT_TRUE(c[arm]["network_regret"].is_null()) << arm;
    best = std::max(best, c[arm]["accuracy"].get<double>());
  }
  EXPECT_DOUBLE_EQ(c["optimum"]["accuracy"].get<double>(), best);
  for (const char* arm : {"verified", "unverified", "measured"}) {
    EXPECT_NEAR(c[arm]["regret"].get<double>(), best - c[arm]["accuracy"].get<double>(), 1e-9);
  }
}

// A sweep killed while a command runs keeps every measurement it finished, and a new sweep does
// not run the command for them again.
TEST(CommandDeviceCli, AKilledSweepResumes) {
  const auto store = temp("cmdkill.sqlite");
  const auto csv = temp("cmdkill.csv");
  const auto dev = command_device("slow-device", "sleep 0.2; echo \"avg=1.{index} ms\"");
  const std::vector<std::string> args = {
      "measure", "--device", "cmd:" + dev.string(), "--sample", "12",        "--seed",
      "3",       "--store",  store.string(),        "--out",    csv.string()};
  const pid_t pid = spawn_maplex(args);
  ASSERT_GE(pid, 0);
  int status = 0;
  for (int waited_ms = 0; waited_ms < 60000 && stored_archs(store).size() < 3; waited_ms += 5) {
    ASSERT_NE(::waitpid(pid, &status, WNOHANG), pid) << "the sweep ended before it was killed";
    ::usleep(5000);
  }
  ::kill(pid, SIGKILL);
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const auto before = stored_archs(store);
  ASSERT_GE(before.size(), 3U);
  ASSERT_LT(before.size(), 12U);
  const RunResult again = run_maplex(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(new_and_stored(again.out),
            std::make_pair(12 - static_cast<int>(before.size()), static_cast<int>(before.size())))
      << again.out;
  EXPECT_EQ(stored_archs(store).size(), 12U);
  EXPECT_EQ(count_lines(slurp(csv)), 5 + 12);
}

}  // namespace
}  // namespace maplex::testing

namespace maplex::testing {
namespace {

TEST(ExportCli, WritesTheOnnxNetwork) {
  const auto onnx = temp("net.onnx");
  const RunResult r = run_maplex({"export", "--arch", "11472", "--out", onnx.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("exported architecture 11472 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ONNX opset 13"), std::string::npos) << r.out;
  const std::string bytes = slurp(onnx);
  EXPECT_GT(bytes.size(), 100000U);                    // 0.56 M parameters in fp32
  EXPECT_NE(bytes.find("maplex"), std::string::npos);  // the producer name
  // Another seed, other weights; the same architecture by its string gives the same file.
  const auto other = temp("other.onnx");
  ASSERT_EQ(
      run_maplex({"export", "--arch", "11472", "--seed", "1", "--out", other.string()}).exit_code,
      0);
  EXPECT_NE(slurp(other), bytes);
  const auto by_string = temp("string.onnx");
  ASSERT_EQ(run_maplex({"export", "--arch",
                        "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|skip_"
                        "connect~2|",
                        "--out", by_string.string()})
                .exit_code,
            0);
  EXPECT_EQ(slurp(by_string), bytes);
  const RunResult bad =
      run_maplex({"export", "--arch", "11472", "--dataset", "cifar100", "--out", onnx.string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(count_lines(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("dataset 'cifar100'"), std::string::npos) << bad.err;
  const RunResult no_out = run_maplex({"export", "--arch", "11472"});
  EXPECT_EQ(no_out.exit_code, 2);
  const RunResult bad_arch = run_maplex({"export", "--arch", "|conv~0|", "--out", onnx.string()});
  EXPECT_EQ(bad_arch.exit_code, 1);
  EXPECT_EQ(count_lines(bad_arch.err), 1) << bad_arch.err;
}

}  // namespace
}  // namespace maplex::testing
