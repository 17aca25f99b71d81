#include "maplex/tables/csv.hpp"

#include "test_files.hpp"

namespace maplex::tables {
namespace {

using testing::error_of;
using testing::TempDir;

TEST(Csv, SplitsQuotedFieldsAndCrlf) {
  TempDir dir;
  const auto p = dir.write("a.csv", "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n,,\n");
  const CsvFile f = CsvFile::read(p);
  ASSERT_EQ(f.rows().size(), 2U);
  EXPECT_EQ(f.rows()[0].fields, (std::vector<std::string>{"1", "x, \"y\"", "3"}));
  EXPECT_EQ(f.rows()[0].columns, (std::vector<int>{1, 3, 14}));
  EXPECT_EQ(f.rows()[1].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(f.rows()[1].line, 3);
  EXPECT_EQ(f.find_column("c"), 2);
  EXPECT_EQ(f.find_column("z"), -1);
}

TEST(Csv, NumbersAreStrict) {
  TempDir dir;
  const auto p = dir.write("n.csv", "v\n1.5\n+2\n1e3\n1.5x\nnan\n-inf\n0\n\n");
  const CsvFile f = CsvFile::read(p);
  const auto& r = f.rows();
  EXPECT_DOUBLE_EQ(f.number(r[0], 0, "v"), 1.5);
  EXPECT_DOUBLE_EQ(f.number(r[1], 0, "v"), 2.0);
  EXPECT_DOUBLE_EQ(f.number(r[2], 0, "v"), 1000.0);
  const std::string at = p.string();
  EXPECT_EQ(error_of([&] { f.number(r[3], 0, "v"); }), at + ":5:1: v is '1.5x', expected a number");
  EXPECT_EQ(error_of([&] { f.number(r[4], 0, "v"); }),
            at + ":6:1: v is 'nan', expected a finite number");
  EXPECT_EQ(error_of([&] { f.number(r[5], 0, "v"); }),
            at + ":7:1: v is '-inf', expected a finite number");
  EXPECT_EQ(error_of([&] { f.positive(r[6], 0, "v"); }),
            at + ":8:1: v is '0', expected a positive number");
  EXPECT_EQ(error_of([&] { f.integer(r[0], 0, "v", 0, 9); }),
            at + ":2:1: v is '1.5', expected a whole number 0..9");
}

TEST(Csv, MissingFileAndDirectory) {
  TempDir dir;
  EXPECT_EQ(error_of([&] { CsvFile::read(dir.path() / "nope.csv"); }),
            (dir.path() / "nope.csv").string() + ": no such file, expected a CSV file");
  EXPECT_EQ(error_of([&] { CsvFile::read(dir.path()); }),
            dir.path().string() + ": is a directory, expected a CSV file");
}

TEST(Csv, HeaderChecks) {
  TempDir dir;
  const auto p = dir.write("h.csv", "index,arch,x\n1,2,3\n");
  const CsvFile f = CsvFile::read(p);
  EXPECT_EQ(error_of([&] {
              f.expect_header({"index", "arch_str"}, false);
            }),
            p.string() + ":1:7: header column 2 is 'arch', expected 'arch_str'");
  EXPECT_EQ(error_of([&] {
              f.expect_header({"index", "arch"}, true);
            }),
            p.string() + ":1:12: unexpected header column 'x', expected 2 columns");
  EXPECT_EQ(error_of([&] {
              f.expect_header({"index", "arch", "x", "y"}, false);
            }),
            p.string() + ":1:12: header ends after 3 columns, expected column 'y' next");
}

}  // namespace
}  // namespace maplex::tables
