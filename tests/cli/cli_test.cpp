// The maplex program as a user meets it: help, commands, JSON, and one clear line for bad input.

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "run.hpp"
#include "temp_dir.hpp"

namespace maplex::testing {
namespace {

TEST(Cli, HelpListsCommands) {
  const RunResult r = run_maplex({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"space", "devices", "arch"}) {
    EXPECT_NE(r.out.find(std::string("  ") + c), std::string::npos) << c;
  }
}

TEST(Cli, CommandHelpDescribesOptions) {
  const RunResult r = run_maplex({"arch", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* opt : {"--device", "--json", "--data-dir", "--help"}) {
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
  }
}

TEST(Cli, BadArchStringIsOneLine) {
  const RunResult r = run_maplex({"arch", "|nor_conv_3x3~0|+|bad~0|..."});
  expect_one_line_error(r, 1,
                        "maplex arch: arch string '|nor_conv_3x3~0|+|bad~0|...': at position 19, "
                        "unknown op 'bad' on edge 2<-0, expected one of none, skip_connect, "
                        "nor_conv_1x1, nor_conv_3x3, avg_pool_3x3");
}

TEST(Cli, BadIndexAndDevice) {
  expect_one_line_error(run_maplex({"arch", "15625"}), 1,
                        "maplex arch: arch index 15625 is out of range, expected 0..15624");
  expect_one_line_error(run_maplex({"arch", "3", "--device", "tpu9"}), 1,
                        "maplex arch: unknown device 'tpu9' (expected one of the 40 devices "
                        "`maplex devices` lists)");
  expect_one_line_error(run_maplex({"arch", "3", "--device", "titan_rtx1"}), 1,
                        "unknown device 'titan_rtx1'; did you mean 'titan_rtx_1'? (expected");
}

// Bytes that are not UTF-8 in an argument or a file reach the terminal escaped: the inputs below
// are ASCII plus stray bytes, so a valid message holds no byte above 0x7f at all.
TEST(Cli, ErrorsEscapeWhatIsNotUtf8) {
  const std::string bad =
      "ti\xff\xfe"
      "tan\x01";
  const auto dir = ::maplex::testing::test_temp_dir();
  const auto csv = dir / "maplex_cli_bad_bytes.csv";
  std::ofstream(csv) << "arch,latency_ms\n0,5\x80\n";
  const std::vector<RunResult> runs = {
      run_maplex({"search", "--device", bad, "--latency-budget-ms", "5", "--no-records"}),
      run_maplex({"search", "--device", "pixel3", "--queries", "1" + bad}),
      run_maplex({"arch", bad}), run_maplex({bad}),
      run_maplex({"predict", "--measurements", csv.string(), "--json"})};
  for (const RunResult& r : runs) {
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    for (const char c : r.err) {
      EXPECT_LT(static_cast<unsigned char>(c), 0x80) << r.err;
    }
    EXPECT_TRUE(r.err.find("\\xff") != std::string::npos ||
                r.err.find("\\x80") != std::string::npos)
        << r.err;
  }
  std::filesystem::remove(csv);
}

TEST(Cli, ReportNeedsAFinishedRun) {
  expect_one_line_error(run_maplex({"report"}), 2, "expected the run directory");
  expect_one_line_error(run_maplex({"report", "/no/such/run"}), 1,
                        "run directory '/no/such/run' does not exist");
  const auto dir = ::maplex::testing::test_temp_dir() / "maplex_report_unfinished";
  std::filesystem::create_directories(dir);
  expect_one_line_error(run_maplex({"report", dir.string()}), 1,
                        "has no result.json, expected a finished run (maplex resume it first)");
  std::filesystem::remove_all(dir);
}

TEST(Cli, UnknownCommandAndOption) {
  expect_one_line_error(run_maplex({"serch"}), 2,
                        "maplex: unknown command 'serch'; did you mean 'search'? (expected one "
                        "of space, devices, arch");
  expect_one_line_error(run_maplex({"search", "--latency-budget", "4"}), 2,
                        "maplex search: unknown option '--latency-budget'; did you mean "
                        "'--latency-budget-ms'? (see maplex search --help)");
  expect_one_line_error(run_maplex({"space", "--fast"}), 2, "maplex space: ");
  expect_one_line_error(run_maplex({"space", "--fast"}), 2, "fast");
  expect_one_line_error(run_maplex({"arch"}), 2, "missing architecture");
  expect_one_line_error(run_maplex({"arch", "1", "2"}), 2, "unexpected argument '2'");
}

TEST(Cli, MissingDataDirIsOneLine) {
  expect_one_line_error(run_maplex({"space", "--data-dir", "/nonexistent/x"}), 1,
                        "maplex space: --data-dir '/nonexistent/x' holds no nb201_archs.csv");
  expect_one_line_error(run_maplex({"space"}, "MAPLEX_DATA=/nonexistent/y"), 1,
                        "MAPLEX_DATA '/nonexistent/y' holds no nb201_archs.csv");
}

TEST(Cli, SpaceCounts) {
  const RunResult r = run_maplex({"space", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["command"], "space");
  EXPECT_EQ(doc["space"]["architectures"], 15625);
  EXPECT_EQ(doc["space"]["connected"], 15284);
  EXPECT_EQ(doc["space"]["disconnected"], 341);
  EXPECT_EQ(doc["space"]["isomorphism_classes"], 6466);
  // Each op sits on 15,625 * 6 / 5 edges of the space.
  EXPECT_EQ(doc["space"]["ops"]["nor_conv_3x3"]["edges"], 18750);
  EXPECT_EQ(doc["space"]["ops"]["none"]["live_edges"], 0);
  const RunResult text = run_maplex({"space"});
  EXPECT_NE(text.out.find("isomorphism classes    6466"), std::string::npos) << text.out;
}

TEST(Cli, DevicesListsFortyWithCounts) {
  const RunResult r = run_maplex({"devices", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["devices"].size(), 40U);
  EXPECT_EQ(doc["devices"][0]["device"], "1080ti_1");
  // Statistics over the 15,284 connected cells; the 341 disconnected ones are counted apart.
  EXPECT_EQ(doc["devices"][0]["latency_count"], 15284);
  EXPECT_EQ(doc["devices"][0]["disconnected_with_latency"], 341);
  EXPECT_EQ(doc["devices"][0]["cores"], 3584.0);
  EXPECT_EQ(doc["devices"][0]["family"], "gpu");
  std::map<std::string, std::string> family;
  for (const auto& d : doc["devices"]) {
    family[d["device"]] = d["family"];
  }
  EXPECT_EQ(family["raspi4"], "mobile_cpu");  // ARM Cortex-A72 cores, like the phones
  EXPECT_EQ(family["fpga"], "edge_accelerator");
  EXPECT_EQ(family["mobile_dsp_snapdragon_855_hexagon_690_int8"], "dsp");
  // HELP's PyTorch devices run dead ops, TFLite (pixel3, Eagle's devices) prunes them.
  std::map<std::string, std::string> dead_ops;
  for (const auto& d : doc["devices"]) {
    dead_ops[d["device"]] = d["dead_ops"];
  }
  EXPECT_EQ(dead_ops["1080ti_1"], "runs");
  EXPECT_EQ(dead_ops["pixel3"], "prunes");
  EXPECT_EQ(dead_ops["embedded_tpu_edge_tpu_int8"], "prunes");
  EXPECT_DOUBLE_EQ(doc["devices"][0]["latency_min_ms"].get<double>(), 3.59661);
  const RunResult text = run_maplex({"devices"});
  EXPECT_EQ(count_lines(text.out), 43);  // header, 40 devices, a blank line and the note
}

TEST(Cli, ArchOneDevice) {
  const RunResult r = run_maplex({"arch", "1", "--device", "gold_6226", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["arch"]["latency_ms"].size(), 1U);
  EXPECT_DOUBLE_EQ(doc["arch"]["latency_ms"]["gold_6226"].get<double>(), 15.1792);
  // A disconnected cell has no Eagle latency: null, not a number.
  const RunResult none = run_maplex({"arch", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
                                     "--device", "desktop_cpu_core_i7_7820x_fp32", "--json"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  const auto d2 = nlohmann::json::parse(none.out);
  EXPECT_TRUE(d2["arch"]["latency_ms"]["desktop_cpu_core_i7_7820x_fp32"].is_null());
  EXPECT_FALSE(d2["arch"]["connected"].get<bool>());
}

}  // namespace
}  // namespace maplex::testing
