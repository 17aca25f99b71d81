#include "maplex/tables/latency_table.hpp"

#include <algorithm>
#include <limits>

#include "maplex/core/error.hpp"
#include "maplex/tables/csv.hpp"

namespace maplex::tables {

LatencyTable::LatencyTable(std::string source, std::vector<std::string> devices,
                           std::vector<std::vector<double>> values)
    : source_(std::move(source)), devices_(std::move(devices)), values_(std::move(values)) {}

int LatencyTable::find(std::string_view device) const {
  for (std::size_t d = 0; d < devices_.size(); ++d) {
    if (devices_[d] == device) {
      return static_cast<int>(d);
    }
  }
  return -1;
}

int LatencyTable::measured_count(int d) const {
  int n = 0;
  for (double v : column(d)) {
    n += missing(v) ? 0 : 1;
  }
  return n;
}

LatencyTable load_latency_table(const std::filesystem::path& path, const space::ArchIndex& index) {
  const CsvFile file = CsvFile::read(path);
  file.expect_header({"index", "arch_str"}, false);
  const auto& header = file.header().fields;
  if (header.size() < 3) {
    file.fail(file.header(), header.size() - 1,
              "no device columns, expected index, arch_str and at least one device");
  }
  std::vector<std::string> devices(header.begin() + 2, header.end());
  for (std::size_t d = 0; d < devices.size(); ++d) {
    if (devices[d].empty()) {
      file.fail(file.header(), d + 2, "empty device name in the header, expected a device key");
    }
  }
  if (file.rows().empty()) {
    throw InputError(file.path() + ": no data rows, expected one row per architecture");
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<double>> values(
      devices.size(), std::vector<double>(static_cast<std::size_t>(index.size()), nan));
  std::vector<int> line_of(static_cast<std::size_t>(index.size()), 0);
  std::vector<std::string> what;  // each column's name in an error, built once
  what.reserve(devices.size());
  for (const std::string& device : devices) {
    what.push_back("latency_ms of device " + quote(device));
  }
  for (const CsvRow& row : file.rows()) {
    const int i = file.integer(row, 0, "index", 0, index.size() - 1);
    const std::string expected = index.arch(i).str();
    if (row.fields[1] != expected) {
      file.fail(row, 1,
                "arch_str " + quote(row.fields[1]) + " does not match index " + std::to_string(i) +
                    ", expected " + expected);
    }
    int& seen = line_of[static_cast<std::size_t>(i)];
    if (seen != 0) {
      file.fail(row, 0,
                "duplicate arch: index " + std::to_string(i) + " already on line " +
                    std::to_string(seen) + ", expected each architecture once");
    }
    seen = row.line;
    for (std::size_t d = 0; d < devices.size(); ++d) {
      if (row.fields[d + 2].empty()) {
        continue;  // not measured on this device
      }
      values[d][static_cast<std::size_t>(i)] = file.positive(row, d + 2, what[d]);
    }
  }
  return LatencyTable(file.path(), std::move(devices), std::move(values));
}

LatencyStats latency_stats(std::span<const double> column, const space::ArchIndex& index) {
  LatencyStats s;
  std::vector<double> v;
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (LatencyTable::missing(column[i])) {
      continue;
    }
    if (index.cell(static_cast<int>(i)).connected) {
      v.push_back(column[i]);
    } else {
      ++s.disconnected;
    }
  }
  s.count = static_cast<int>(v.size());
  if (v.empty()) {
    return s;
  }
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  s.min = v.front();
  s.max = v.back();
  s.median = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  return s;
}

}  // namespace maplex::tables
