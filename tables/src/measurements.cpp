#include "maplex/tables/measurements.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "maplex/core/error.hpp"
#include "maplex/tables/csv.hpp"

namespace maplex::tables {

std::vector<std::string> MeasurementSet::devices() const {
  std::vector<std::string> out;
  for (const Measurement& m : rows) {
    if (std::find(out.begin(), out.end(), m.device) == out.end()) {
      out.push_back(m.device);
    }
  }
  return out;
}

MeasurementSet load_measurements(const std::filesystem::path& path, const space::ArchIndex& index) {
  const CsvFile file = CsvFile::read(path);
  const int arch_col = file.find_column("arch");
  const int lat_col = file.find_column("latency_ms");
  const int dev_col = file.find_column("device");
  if (arch_col < 0 || lat_col < 0) {
    file.fail(file.header(), 0,
              std::string("header lacks column ") + (arch_col < 0 ? "'arch'" : "'latency_ms'") +
                  ", expected columns arch,latency_ms (and optionally device)");
  }
  if (file.rows().empty()) {
    throw InputError(file.path() + ": no measurements, expected at least one row after the header");
  }
  MeasurementSet set;
  set.source = file.path();
  set.has_device_column = dev_col >= 0;
  std::map<std::pair<std::string, int>, int> line_of;
  const auto ac = static_cast<std::size_t>(arch_col);
  const auto lc = static_cast<std::size_t>(lat_col);
  for (const CsvRow& row : file.rows()) {
    Measurement m;
    m.line = row.line;
    try {
      m.index = index.resolve(row.fields[ac]);
    } catch (const InputError& e) {
      file.fail(row, ac, e.what());
    }
    m.latency_ms = file.positive(row, lc, "latency_ms");
    if (dev_col >= 0) {
      m.device = row.fields[static_cast<std::size_t>(dev_col)];
      if (m.device.empty()) {
        file.fail(row, static_cast<std::size_t>(dev_col), "empty device, expected a device name");
      }
    }
    const auto [it, inserted] = line_of.try_emplace({m.device, m.index}, row.line);
    if (!inserted) {
      file.fail(row, ac,
                "duplicate arch: index " + std::to_string(m.index) +
                    (m.device.empty() ? "" : " on device " + quote(m.device)) +
                    " already measured on line " + std::to_string(it->second) +
                    ", expected one measurement per architecture and device");
    }
    set.rows.push_back(std::move(m));
  }
  return set;
}

}  // namespace maplex::tables
