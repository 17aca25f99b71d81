#include "maplex/tables/measurements.hpp"

#include "maplex/tables/arch_table.hpp"
#include "test_files.hpp"

namespace maplex::tables {
namespace {

TEST(Measurements, IndicesStringsAndExtraColumns) {
  const ArchTable t = load_arch_table(testing::shipped("nb201_archs.csv"));
  testing::TempDir dir;
  const auto p = dir.write(
      "m.csv", "latency_ms,arch,cv\n2.5,17,0.01\n3.25,\"" + t.index.arch(42).str() + "\",0.02\n");
  const MeasurementSet m = load_measurements(p, t.index);
  ASSERT_EQ(m.rows.size(), 2U);
  EXPECT_FALSE(m.has_device_column);
  EXPECT_EQ(m.rows[0].index, 17);
  EXPECT_DOUBLE_EQ(m.rows[0].latency_ms, 2.5);
  EXPECT_EQ(m.rows[1].index, 42);
  EXPECT_EQ(m.rows[1].line, 3);
  EXPECT_EQ(m.devices(), std::vector<std::string>{""});
}

TEST(Measurements, DeviceColumnAllowsSameArchOnTwoDevices) {
  const ArchTable t = load_arch_table(testing::shipped("nb201_archs.csv"));
  testing::TempDir dir;
  const auto p = dir.write("m.csv", "arch,latency_ms,device\n5,1,a\n5,2,b\n6,3,a\n");
  const MeasurementSet m = load_measurements(p, t.index);
  EXPECT_TRUE(m.has_device_column);
  EXPECT_EQ(m.devices(), (std::vector<std::string>{"a", "b"}));
}

TEST(Measurements, SpreadsheetExportsWithByteOrderMarkAndSemicolonsOrTabs) {
  const ArchTable t = load_arch_table(testing::shipped("nb201_archs.csv"));
  testing::TempDir dir;
  for (const std::string sep : {";", "\t", ","}) {
    const auto p = dir.write("s.csv",
                             "\xEF\xBB\xBF"
                             "arch" +
                                 sep + "latency_ms\r\n17" + sep + "2.5\r\n\"" +
                                 t.index.arch(42).str() + "\"" + sep + "3.25\r\n");
    const MeasurementSet m = load_measurements(p, t.index);
    ASSERT_EQ(m.rows.size(), 2U) << sep;
    EXPECT_EQ(m.rows[0].index, 17);
    EXPECT_DOUBLE_EQ(m.rows[0].latency_ms, 2.5);
    EXPECT_EQ(m.rows[1].index, 42);
  }
  // A decimal comma under ';' separators is named, not misread.
  const auto p = dir.write("d.csv", "arch;latency_ms\n17;2,5\n");
  EXPECT_EQ(
      testing::error_of([&] { load_measurements(p, t.index); }),
      p.string() + ":2:4: latency_ms is '2,5', expected a number with '.' as the decimal point");
}

}  // namespace
}  // namespace maplex::tables
