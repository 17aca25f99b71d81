#pragma once
// A strict CSV reader: RFC 4180 quoting on single lines, LF or CRLF endings, '#' comment lines
// before the header, a header row, and every row as wide as the header. A UTF-8 byte-order mark is
// skipped, and a header without ',' but with ';' (or a tab) sets that separator for the file, as
// spreadsheets save CSV in some locales. Every problem is an
// InputError "file:line:column: what, expected what".

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace maplex::tables {

struct CsvRow {
  int line = 0;                     // 1-based line in the file
  std::vector<std::string> fields;  // unquoted
  std::vector<int> columns;         // 1-based character column where each field starts
};

class CsvFile {
 public:
  // Reads and splits the whole file. Throws InputError for a missing or unreadable file, an empty
  // file, a blank line, an unterminated quote, or a row whose field count differs from the
  // header's.
  static CsvFile read(const std::filesystem::path& path);

  const std::string& path() const { return path_; }
  char separator() const { return separator_; }
  const CsvRow& header() const { return header_; }
  const std::vector<CsvRow>& rows() const { return rows_; }

  // Position of a header column, or -1.
  int find_column(std::string_view name) const;

  // "path:line:column: " for row `row`, field `field`.
  std::string where(const CsvRow& row, std::size_t field) const;
  [[noreturn]] void fail(const CsvRow& row, std::size_t field, const std::string& what) const;

  // Checks that the header starts with exactly `expected` (in order); with `exact`, that it has
  // nothing else. Throws naming the first differing column.
  void expect_header(const std::vector<std::string>& expected, bool exact) const;

  // A finite number; `what` names the quantity for the message ("latency of device 'x'").
  double number(const CsvRow& row, std::size_t field, std::string_view what) const;
  // A finite number > 0.
  double positive(const CsvRow& row, std::size_t field, std::string_view what) const;
  // A whole number in [lo, hi].
  int integer(const CsvRow& row, std::size_t field, std::string_view what, int lo, int hi) const;

 private:
  std::string path_;
  char separator_ = ',';
  CsvRow header_;
  std::vector<CsvRow> rows_;
};

}  // namespace maplex::tables
