#include "maplex/tables/catalog.hpp"

#include <cmath>
#include <cstdlib>

#include "maplex/tables/data_dir.hpp"
#include "test_files.hpp"

namespace maplex::tables {
namespace {

const Catalog& catalog() {
  static const Catalog c = Catalog::load(MAPLEX_TEST_DATA_DIR);
  return c;
}

TEST(Catalog, HasAllFortyDevicesWithKnownCounts) {
  EXPECT_EQ(catalog().devices().size(), 40U);
  auto count = [](std::string_view key) {
    int n = 0;
    for (double v : catalog().latencies(key)) {
      n += std::isnan(v) ? 0 : 1;
    }
    return n;
  };
  // PROVENANCE.md: HELP covers all 15,625; Eagle misses the 341 disconnected cells, and the
  // Snapdragon 450 / 675 files miss 32 / 23 more.
  EXPECT_EQ(count("1080ti_1"), 15625);
  EXPECT_EQ(count("desktop_cpu_core_i7_7820x_fp32"), 15284);
  EXPECT_EQ(count("mobile_cpu_snapdragon_450_cortex_a53_int8"), 15284 - 32);
  EXPECT_EQ(count("mobile_gpu_snapdragon_675_adreno_612_int8"), 15284 - 23);
}

TEST(Catalog, LatencyValuesMatchTheSourceRows) {
  // Row of index 0 in latency_help_nb201.csv: 1080ti_1 10.7544, pixel3 3.60585.
  EXPECT_DOUBLE_EQ(catalog().latencies("1080ti_1")[0], 10.7544);
  EXPECT_DOUBLE_EQ(catalog().latencies("pixel3")[0], 3.60585);
  EXPECT_DOUBLE_EQ(catalog().latencies("embedded_tpu_edge_tpu_int8")[1], 1.34105);
}

TEST(Catalog, UnknownDeviceNamesTheKnownOnes) {
  const std::string msg = testing::error_of([] { catalog().device("rtx_9090"); });
  EXPECT_EQ(msg,
            "unknown device 'rtx_9090' (expected one of the 40 devices `maplex devices` lists)");
  EXPECT_EQ(testing::error_of([] { catalog().device("pixel_3"); }),
            "unknown device 'pixel_3'; did you mean 'pixel3'? (expected one of the 40 devices "
            "`maplex devices` lists)");
}

TEST(Catalog, DevicesCsvMustDescribeEveryColumn) {
  testing::TempDir dir;
  for (const char* f : {"nb201_archs.csv", "nb201_valid_acc.csv", "latency_help_nb201.csv",
                        "latency_eagle_nb201.csv"}) {
    std::filesystem::copy_file(testing::shipped(f), dir.path() / f);
  }
  // devices.csv without its last row (an Eagle device).
  std::ifstream in(testing::shipped("devices.csv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  std::ofstream out(dir.path() / "devices.csv");
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    out << lines[i] << '\n';
  }
  out.close();
  EXPECT_EQ(testing::error_of([&] { Catalog::load(dir.path()); }),
            (dir.path() / "latency_eagle_nb201.csv").string() +
                ": column 'mobile_gpu_snapdragon_855_adreno_640_int8' has no row in devices.csv, "
                "expected every device described");
}

TEST(DataDir, ExplicitAndEnvironment) {
  testing::TempDir dir;
  EXPECT_EQ(find_data_dir(std::string(MAPLEX_TEST_DATA_DIR)),
            std::filesystem::path(MAPLEX_TEST_DATA_DIR));
  EXPECT_EQ(testing::error_of([&] { find_data_dir(dir.path().string()); }),
            "--data-dir '" + dir.path().string() +
                "' holds no nb201_archs.csv, expected the maplex data directory");
  ::setenv("MAPLEX_DATA", dir.path().c_str(), 1);
  EXPECT_EQ(testing::error_of([&] { find_data_dir(std::nullopt); }),
            "MAPLEX_DATA '" + dir.path().string() +
                "' holds no nb201_archs.csv, expected the maplex data directory");
  ::unsetenv("MAPLEX_DATA");
  // Found without help from the test binary's location or the source tree.
  EXPECT_TRUE(std::filesystem::exists(find_data_dir(std::nullopt) / "nb201_archs.csv"));
}

}  // namespace
}  // namespace maplex::tables
