#include "maplex/tables/csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "maplex/core/error.hpp"

namespace maplex::tables {

namespace {

// The separator of a file whose header is `line`: ',' unless the header has none and has ';' or a
// tab (a spreadsheet's export in a locale with decimal commas, or a TSV).
char detect_separator(std::string_view line) {
  if (line.find(',') != std::string_view::npos) {
    return ',';
  }
  if (line.find(';') != std::string_view::npos) {
    return ';';
  }
  return line.find('\t') != std::string_view::npos ? '\t' : ',';
}

// Splits one line at `sep`; on an unterminated quote returns false and sets bad_column.
bool split_line(std::string_view line, char sep, CsvRow& row, int& bad_column) {
  std::size_t i = 0;
  while (true) {
    const int column = static_cast<int>(i) + 1;
    std::string field;
    if (i < line.size() && line[i] == '"') {
      std::size_t j = i + 1;
      bool closed = false;
      while (j < line.size()) {
        if (line[j] == '"') {
          if (j + 1 < line.size() && line[j + 1] == '"') {
            field += '"';
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        field += line[j++];
      }
      if (!closed || (j < line.size() && line[j] != sep)) {
        bad_column = column;
        return false;
      }
      i = j;
    } else {
      const std::size_t comma = line.find(sep, i);
      const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      field.assign(line.substr(i, end - i));
      i = end;
    }
    row.fields.push_back(std::move(field));
    row.columns.push_back(column);
    if (i >= line.size()) {
      return true;
    }
    ++i;  // the comma
  }
}

}  // namespace

CsvFile CsvFile::read(const std::filesystem::path& path) {
  CsvFile file;
  file.path_ = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw InputError(file.path_ + ": no such file, expected a CSV file");
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError(file.path_ + ": is a directory, expected a CSV file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(file.path_ + ": cannot be opened for reading");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
    text.erase(0, 3);  // a UTF-8 byte-order mark, as spreadsheets write it
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError(file.path_ + ": empty file, expected a header line and data rows");
  }
  std::size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (file.header_.line == 0 && !line.empty() && line.front() == '#') {
      continue;  // comment lines before the header (maplex writes its context there)
    }
    CsvRow row;
    row.line = line_no;
    if (line.empty()) {
      if (text.find_first_not_of(" \t\r\n", pos > text.size() ? text.size() : pos) ==
          std::string::npos) {
        break;  // only blank lines remain: the end of the file
      }
      throw InputError(file.path_ + ":" + std::to_string(line_no) +
                       ":1: blank line, expected a row of " +
                       std::to_string(file.header_.fields.size()) + " fields");
    }
    int bad_column = 0;
    if (file.header_.line == 0) {
      file.separator_ = detect_separator(line);
    }
    if (!split_line(line, file.separator_, row, bad_column)) {
      throw InputError(file.path_ + ":" + std::to_string(line_no) + ":" +
                       std::to_string(bad_column) +
                       ": unterminated or misplaced quote, expected \"...\" followed by '" +
                       std::string(1, file.separator_) + "' or the end of the line");
    }
    if (file.header_.line == 0) {
      file.header_ = std::move(row);
      std::unordered_set<std::string> seen;
      for (std::size_t f = 0; f < file.header_.fields.size(); ++f) {
        if (!seen.insert(file.header_.fields[f]).second) {
          file.fail(file.header_, f, "duplicate column " + quote(file.header_.fields[f]));
        }
      }
      continue;
    }
    if (row.fields.size() != file.header_.fields.size()) {
      throw InputError(file.path_ + ":" + std::to_string(line_no) + ":1: row has " +
                       std::to_string(row.fields.size()) + " fields, expected " +
                       std::to_string(file.header_.fields.size()) + " as in the header");
    }
    file.rows_.push_back(std::move(row));
  }
  return file;
}

int CsvFile::find_column(std::string_view name) const {
  for (std::size_t f = 0; f < header_.fields.size(); ++f) {
    if (header_.fields[f] == name) {
      return static_cast<int>(f);
    }
  }
  return -1;
}

std::string CsvFile::where(const CsvRow& row, std::size_t field) const {
  const int column = field < row.columns.size() ? row.columns[field] : 1;
  return path_ + ":" + std::to_string(row.line) + ":" + std::to_string(column) + ": ";
}

void CsvFile::fail(const CsvRow& row, std::size_t field, const std::string& what) const {
  throw InputError(where(row, field) + what);
}

void CsvFile::expect_header(const std::vector<std::string>& expected, bool exact) const {
  const auto& got = header_.fields;
  for (std::size_t f = 0; f < expected.size(); ++f) {
    if (f >= got.size()) {
      fail(header_, got.size() - 1,
           "header ends after " + std::to_string(got.size()) + " columns, expected column " +
               quote(expected[f]) + " next");
    }
    if (got[f] != expected[f]) {
      fail(header_, f,
           "header column " + std::to_string(f + 1) + " is " + quote(got[f]) + ", expected " +
               quote(expected[f]));
    }
  }
  if (exact && got.size() > expected.size()) {
    fail(header_, expected.size(),
         "unexpected header column " + quote(got[expected.size()]) + ", expected " +
             std::to_string(expected.size()) + " columns");
  }
}

double CsvFile::number(const CsvRow& row, std::size_t field, std::string_view what) const {
  const std::string& text = row.fields[field];
  double value = 0.0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (!text.empty() && *first == '+') {
    ++first;
  }
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (text.empty() || ec != std::errc() || ptr != last) {
    const bool decimal_comma = text.find(',') != std::string::npos;
    fail(row, field,
         std::string(what) + " is " + quote(text) + ", expected a number" +
             (decimal_comma ? " with '.' as the decimal point" : ""));
  }
  if (!std::isfinite(value)) {
    fail(row, field, std::string(what) + " is " + quote(text) + ", expected a finite number");
  }
  return value;
}

double CsvFile::positive(const CsvRow& row, std::size_t field, std::string_view what) const {
  const double value = number(row, field, what);
  if (value <= 0.0) {
    fail(row, field,
         std::string(what) + " is " + quote(row.fields[field]) + ", expected a positive number");
  }
  return value;
}

int CsvFile::integer(const CsvRow& row, std::size_t field, std::string_view what, int lo,
                     int hi) const {
  const std::string& text = row.fields[field];
  int value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < lo ||
      value > hi) {
    fail(row, field,
         std::string(what) + " is " + quote(text) + ", expected a whole number " +
             std::to_string(lo) + ".." + std::to_string(hi));
  }
  return value;
}

}  // namespace maplex::tables
