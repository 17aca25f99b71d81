// Malformed CSV files: each is rejected with file:line:column, the value and what was expected.

#include <fstream>
#include <sstream>

#include "maplex/tables/arch_table.hpp"
#include "maplex/tables/devices.hpp"
#include "maplex/tables/latency_table.hpp"
#include "maplex/tables/measurements.hpp"
#include "test_files.hpp"

namespace maplex::tables {
namespace {

using testing::error_of;
using testing::TempDir;

const space::ArchIndex& nb201() {
  static const ArchTable t = load_arch_table(testing::shipped("nb201_archs.csv"));
  return t.index;
}

std::string s0() { return nb201().arch(0).str(); }
std::string s1() { return nb201().arch(1).str(); }

struct BadFile {
  const char* name;
  enum Kind { latency, measurements } kind;
  std::string text;
  std::string message;  // expected after "<path>:"
};

std::string load_error(const TempDir& dir, const BadFile& bad) {
  const auto p = dir.write("bad.csv", bad.text);
  const std::string msg = error_of([&] {
    if (bad.kind == BadFile::latency) {
      load_latency_table(p, nb201());
    } else {
      load_measurements(p, nb201());
    }
  });
  const std::string prefix = p.string() + ":";
  return msg.rfind(prefix, 0) == 0 ? msg.substr(prefix.size()) : "<no path prefix> " + msg;
}

std::vector<BadFile> cases() {
  return {
      {"empty", BadFile::latency, "", " empty file, expected a header line and data rows"},
      {"only_whitespace", BadFile::measurements, "\n\n",
       " empty file, expected a header line and data rows"},
      {"wrong_header", BadFile::latency, "idx,arch_str,dev\n0," + s0() + ",1\n",
       "1:1: header column 1 is 'idx', expected 'index'"},
      {"no_devices", BadFile::latency, "index,arch_str\n0," + s0() + "\n",
       "1:7: no device columns, expected index, arch_str and at least one device"},
      {"ragged", BadFile::latency, "index,arch_str,dev\n0," + s0() + ",1\n1," + s1() + "\n",
       "3:1: row has 2 fields, expected 3 as in the header"},
      {"non_numeric", BadFile::latency, "index,arch_str,dev\n0," + s0() + ",fast\n",
       "2:" + std::to_string(4 + s0().size()) +
           ": latency_ms of device 'dev' is 'fast', expected a number"},
      {"nan", BadFile::latency, "index,arch_str,dev\n0," + s0() + ",NaN\n",
       "2:" + std::to_string(4 + s0().size()) +
           ": latency_ms of device 'dev' is 'NaN', expected a finite number"},
      {"infinite", BadFile::measurements, "arch,latency_ms\n0,inf\n",
       "2:3: latency_ms is 'inf', expected a finite number"},
      {"zero", BadFile::measurements, "arch,latency_ms\n0,0\n",
       "2:3: latency_ms is '0', expected a positive number"},
      {"negative", BadFile::latency, "index,arch_str,dev\n0," + s0() + ",-2.5\n",
       "2:" + std::to_string(4 + s0().size()) +
           ": latency_ms of device 'dev' is '-2.5', expected a positive number"},
      {"index_out_of_range", BadFile::latency, "index,arch_str,dev\n15625," + s0() + ",1\n",
       "2:1: index is '15625', expected a whole number 0..15624"},
      {"arch_mismatch", BadFile::latency, "index,arch_str,dev\n1," + s0() + ",1\n",
       "2:3: arch_str '" + s0() + "' does not match index 1, expected " + s1()},
      {"duplicate_row", BadFile::latency,
       "index,arch_str,dev\n0," + s0() + ",1\n1," + s1() + ",2\n0," + s0() + ",3\n",
       "4:1: duplicate arch: index 0 already on line 2, expected each architecture once"},
      {"unknown_op", BadFile::measurements,
       "arch,latency_ms\n|nor_conv_3x3~0|+|bad~0|none~1|+|none~0|none~1|none~2|,3\n",
       "2:1: arch string '|nor_conv_3x3~0|+|bad~0|none~1|+|none~0|none~1|none~2|': at position "
       "19, unknown op 'bad' on edge 2<-0, expected one of none, skip_connect, nor_conv_1x1, "
       "nor_conv_3x3, avg_pool_3x3 (form |op~0|+|op~0|op~1|+|op~0|op~1|op~2|)"},
      {"unknown_index", BadFile::measurements, "arch,latency_ms\n20000,3\n",
       "2:1: arch index 20000 is out of range, expected 0..15624"},
      {"duplicate_measurement", BadFile::measurements,
       "arch,latency_ms,device\n0,3,a\n0,4,b\n\"" + s0() + "\",5,a\n",
       "4:1: duplicate arch: index 0 on device 'a' already measured on line 2, expected one "
       "measurement per architecture and device"},
      {"missing_latency_column", BadFile::measurements, "arch,latency\n0,3\n",
       "1:1: header lacks column 'latency_ms', expected columns arch,latency_ms (and optionally "
       "device)"},
      {"no_rows", BadFile::measurements, "arch,latency_ms\n",
       " no measurements, expected at least one row after the header"},
      {"blank_line", BadFile::measurements, "arch,latency_ms\n0,3\n\n1,4\n",
       "3:1: blank line, expected a row of 2 fields"},
      {"unterminated_quote", BadFile::measurements, "arch,latency_ms\n\"0,3\n",
       "2:1: unterminated or misplaced quote, expected \"...\" followed by ',' or the end of the "
       "line"},
      {"empty_device", BadFile::measurements, "arch,latency_ms,device\n0,3,\n",
       "2:5: empty device, expected a device name"},
      {"duplicate_column", BadFile::latency, "index,arch_str,dev,dev\n",
       "1:20: duplicate column 'dev'"},
  };
}

TEST(BadCsv, EachRejectedWithLocationValueAndExpectation) {
  TempDir dir;
  const auto all = cases();
  ASSERT_GE(all.size(), 10U);
  for (const BadFile& bad : all) {
    const std::string got = load_error(dir, bad);
    EXPECT_EQ(got, bad.message) << "case " << bad.name;
  }
}

// The arch table: a copy of the shipped file with one line changed.
std::string shipped_with(int line_no, const std::string& replacement,
                         const char* file = "nb201_archs.csv") {
  std::ifstream in(testing::shipped(file), std::ios::binary);
  std::ostringstream out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    out << (n == line_no ? replacement : line) << '\n';
  }
  return out.str();
}

std::string shipped_line(int line_no, const char* file = "nb201_archs.csv") {
  std::ifstream in(testing::shipped(file), std::ios::binary);
  std::string line;
  for (int n = 1; n <= line_no; ++n) {
    std::getline(in, line);
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

TEST(BadCsv, ArchTableRowsAreChecked) {
  TempDir dir;
  // Row of index 1 carrying index 0's cell (string and op ids): a duplicate cell.
  std::string row = shipped_line(2);  // index 0
  row.replace(0, 1, "1");
  const auto dup = dir.write("dup.csv", shipped_with(3, row));
  EXPECT_EQ(error_of([&] { load_arch_table(dup); }),
            dup.string() + ": arch index: " + s0() +
                " appears at index 0 and again at index 1, expected each NB201 cell exactly once");

  std::string flipped = shipped_line(2);
  flipped.replace(flipped.find(",1,85.8633"), 10, ",0,85.8633");
  const auto conn = dir.write("conn.csv", shipped_with(2, flipped));
  EXPECT_NE(error_of([&] { load_arch_table(conn); })
                .find(":2:" + std::to_string(2 + 14 + s0().size()) +
                      ": connected is 0, expected 1 for " + s0()),
            std::string::npos);

  std::string acc = shipped_line(2);
  acc.replace(acc.find("85.8633"), 7, "185.863");
  const auto bad_acc = dir.write("acc.csv", shipped_with(2, acc));
  EXPECT_NE(error_of([&] {
              load_arch_table(bad_acc);
            }).find("test_acc_cifar10 is '185.863', expected a percentage in [0, 100]"),
            std::string::npos);

  const auto order = dir.write("order.csv", shipped_with(2, "7" + shipped_line(2).substr(1)));
  EXPECT_EQ(error_of([&] { load_arch_table(order); }),
            order.string() + ":2:1: index is 7, expected 0 (rows in NB201 index order)");
}

TEST(BadCsv, ValidationAccuraciesAreChecked) {
  TempDir dir;
  ArchTable table = load_arch_table(testing::shipped("nb201_archs.csv"));
  load_valid_accuracies(testing::shipped("nb201_valid_acc.csv"), table);
  // Index 0's first row of the shipped file (PROVENANCE: 81.982667 cifar10-valid, 69.55 12-epoch
  // test), index 6111 the cifar10-valid optimum 91.61.
  EXPECT_DOUBLE_EQ(table.at(0).valid_acc[0], 81.982667);
  EXPECT_DOUBLE_EQ(table.at(0).test12_acc[0], 69.55);
  EXPECT_NEAR(table.at(6111).valid_acc[0], 91.61, 0.005);

  const char* valid = "nb201_valid_acc.csv";
  std::string nan = shipped_line(2, valid);
  nan.replace(nan.find("81.982667"), 9, "NaN");
  const auto bad_nan = dir.write("nan.csv", shipped_with(2, nan, valid));
  EXPECT_NE(error_of([&] { load_valid_accuracies(bad_nan, table); })
                .find(":2:" + std::to_string(4 + s0().size()) +
                      ": valid_acc_cifar10 is 'NaN', expected a finite number"),
            std::string::npos);

  std::string swapped = shipped_line(2, valid);
  swapped.replace(swapped.find(s0()), s0().size(), s1());
  const auto bad_arch = dir.write("arch.csv", shipped_with(2, swapped, valid));
  EXPECT_EQ(error_of([&] { load_valid_accuracies(bad_arch, table); }),
            bad_arch.string() + ":2:3: arch_str is '" + s1() + "', expected '" + s0() + "' as in " +
                table.source);
}

TEST(BadCsv, DevicesFile) {
  TempDir dir;
  const std::string header =
      "device_key,data_file,source,category,hardware,soc_or_chip,batch_size,precision_runtime,"
      "input,cores,max_clock_mhz,tdp_w,spec_provenance,notes\n";
  const auto dup = dir.write(
      "d.csv", header + "a,f.csv,s,c,h,,1,,,8,1000,10,,\n" + "a,f.csv,s,c,h,,1,,,8,1000,10,,\n");
  EXPECT_EQ(error_of([&] { load_devices(dup); }),
            dup.string() + ":3:1: duplicate device 'a', first on line 2");
  const auto tdp = dir.write("t.csv", header + "a,f.csv,s,c,h,,1,,,8,1000,hot,,\n");
  EXPECT_EQ(error_of([&] { load_devices(tdp); }),
            tdp.string() +
                ":2:27: tdp_w is 'hot', expected a positive number (text may follow it), 'n/a', "
                "'not stated' or an empty cell");
  // dead_ops is optional: a 14-column file loads with the handling unknown.
  EXPECT_EQ(load_devices(dir.write("o.csv", header + "a,f.csv,s,c,h,,1,,,8,1000,10,,\n"))
                .front()
                .dead_ops,
            "");
  const std::string with = header.substr(0, header.size() - 1) + ",dead_ops\n";
  EXPECT_EQ(load_devices(dir.write("k.csv", with + "a,f.csv,s,c,h,,1,,,8,1000,10,,,prunes\n"))
                .front()
                .dead_ops,
            "prunes");
  const auto kind = dir.write("b.csv", with + "a,f.csv,s,c,h,,1,,,8,1000,10,,,sometimes\n");
  EXPECT_EQ(error_of([&] { load_devices(kind); }),
            kind.string() +
                ":2:32: dead_ops is 'sometimes', expected runs, prunes or an empty cell (not "
                "stated)");
  const auto extra = dir.write("x.csv", header.substr(0, header.size() - 1) + ",kind\n");
  EXPECT_EQ(error_of([&] { load_devices(extra); }),
            extra.string() + ":1:142: header column 15 is 'kind', expected 'dead_ops'");
}

}  // namespace
}  // namespace maplex::tables
