#include "maplex/tables/catalog.hpp"

#include "maplex/core/error.hpp"

namespace maplex::tables {

Catalog Catalog::load(const std::filesystem::path& dir) {
  Catalog c(dir, load_arch_table(dir / "nb201_archs.csv"), load_devices(dir / "devices.csv"));
  load_valid_accuracies(dir / "nb201_valid_acc.csv", c.archs_);
  for (const DeviceSpec& d : c.devices_) {
    int t = 0;
    while (t < static_cast<int>(c.tables_.size()) &&
           std::filesystem::path(c.tables_[static_cast<std::size_t>(t)].source()).filename() !=
               d.data_file) {
      ++t;
    }
    if (t == static_cast<int>(c.tables_.size())) {
      const auto file = dir / d.data_file;
      if (std::filesystem::path(d.data_file).has_parent_path()) {
        throw InputError((dir / "devices.csv").string() + ": device " + quote(d.key) +
                         " names data_file " + quote(d.data_file) +
                         ", expected a file name inside " + dir.string());
      }
      c.tables_.push_back(load_latency_table(file, c.archs_.index));
    }
    const LatencyTable& table = c.tables_[static_cast<std::size_t>(t)];
    const int column = table.find(d.key);
    if (column < 0) {
      throw InputError(table.source() + ": no column for device " + quote(d.key) +
                       " listed in devices.csv, expected it in the header");
    }
    c.column_of_.emplace_back(t, column);
  }
  for (const LatencyTable& table : c.tables_) {
    for (const std::string& key : table.devices()) {
      if (!c.has_device(key)) {
        throw InputError(table.source() + ": column " + quote(key) +
                         " has no row in devices.csv, expected every device described");
      }
    }
  }
  return c;
}

bool Catalog::has_device(std::string_view key) const {
  for (const DeviceSpec& d : devices_) {
    if (d.key == key) {
      return true;
    }
  }
  return false;
}

const DeviceSpec& Catalog::device(std::string_view key) const {
  for (const DeviceSpec& d : devices_) {
    if (d.key == key) {
      return d;
    }
  }
  std::vector<std::string> known;
  for (const DeviceSpec& d : devices_) {
    known.push_back(d.key);
  }
  std::string message = "unknown device " + quote(key);
  message += did_you_mean(key, known);
  throw InputError(message + " (expected one of the " + std::to_string(known.size()) +
                   " devices `maplex devices` lists)");
}

std::span<const double> Catalog::latencies(std::string_view key) const {
  const DeviceSpec& d = device(key);
  const auto pos = static_cast<std::size_t>(&d - devices_.data());
  const auto [t, column] = column_of_[pos];
  return tables_[static_cast<std::size_t>(t)].column(column);
}

}  // namespace maplex::tables
