#include "maplex/tables/devices.hpp"

#include "test_files.hpp"

namespace maplex::tables {
namespace {

std::optional<double> num(const std::string& cell) {
  std::string error;
  auto v = leading_number(cell, error);
  EXPECT_TRUE(error.empty()) << cell << ": " << error;
  return v;
}

TEST(LeadingNumber, ExtractsOrMarksMissing) {
  EXPECT_EQ(num("3584 CUDA cores"), 3584.0);
  EXPECT_EQ(num("1 (unverified)"), 1.0);
  EXPECT_EQ(num("8x Cortex-A53"), 8.0);
  EXPECT_EQ(num(" 2.5 W"), 2.5);
  EXPECT_EQ(num(""), std::nullopt);
  EXPECT_EQ(num("n/a (4 TOPS int8)"), std::nullopt);
  EXPECT_EQ(num("not stated in repo"), std::nullopt);
}

TEST(LeadingNumber, RejectsText) {
  for (const char* bad : {"fast", "-3", "0", "12abc", "nan"}) {
    std::string error;
    EXPECT_EQ(leading_number(bad, error), std::nullopt);
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(Devices, ShippedFile) {
  const auto devices = load_devices(testing::shipped("devices.csv"));
  ASSERT_EQ(devices.size(), 40U);
  auto find = [&](const std::string& key) -> const DeviceSpec& {
    for (const auto& d : devices) {
      if (d.key == key) {
        return d;
      }
    }
    throw std::runtime_error("no " + key);
  };
  const DeviceSpec& gpu = find("titan_rtx_256");
  EXPECT_EQ(gpu.cores, 4608.0);
  EXPECT_EQ(gpu.max_clock_mhz, 1770.0);
  EXPECT_EQ(gpu.tdp_w, 280.0);
  EXPECT_EQ(gpu.batch_size, 256.0);
  EXPECT_EQ(gpu.hardware, "NVIDIA Titan RTX");
  const DeviceSpec& fpga = find("fpga");
  EXPECT_FALSE(fpga.cores.has_value());
  EXPECT_FALSE(fpga.tdp_w.has_value());
  EXPECT_FALSE(find("embedded_tpu_edge_tpu_int8").cores.has_value());
  EXPECT_EQ(find("embedded_tpu_edge_tpu_int8").tdp_w, 2.0);
  EXPECT_FALSE(find("gold_6226").batch_size.has_value());
  EXPECT_EQ(find("gold_6226").cores, 12.0);
  EXPECT_EQ(find("pixel2").notes, "values are integers (ms, rounded)");
  // What each runtime does with dead ops: HELP's PyTorch runs them, Eagle's TF/TFLite and
  // HW-NAS-Bench's TFLite phones prune them.
  EXPECT_EQ(find("1080ti_1").dead_ops, "runs");
  EXPECT_EQ(find("eyeriss").dead_ops, "runs");
  EXPECT_EQ(find("raspi4").dead_ops, "prunes");
  EXPECT_EQ(find("desktop_gpu_gtx_1080ti_fp32").dead_ops, "prunes");
  int prunes = 0;
  for (const auto& d : devices) {
    EXPECT_TRUE(d.dead_ops == "runs" || d.dead_ops == "prunes") << d.key;
    prunes += d.dead_ops == "prunes" ? 1 : 0;
  }
  EXPECT_EQ(prunes, 15);  // Eagle's 13, pixel3 and raspi4
}

}  // namespace
}  // namespace maplex::tables
