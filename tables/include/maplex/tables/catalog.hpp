#pragma once
// Catalog: the shipped data as one checked whole: the architecture table, every device of
// devices.csv and its latency column. Cross-checks that each device's column exists in its
// data_file and that every latency column has a device row.

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "maplex/tables/arch_table.hpp"
#include "maplex/tables/devices.hpp"
#include "maplex/tables/latency_table.hpp"

namespace maplex::tables {

class Catalog {
 public:
  // Loads <dir>/nb201_archs.csv, <dir>/devices.csv and every data_file it names.
  static Catalog load(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  const ArchTable& archs() const { return archs_; }
  const space::ArchIndex& index() const { return archs_.index; }
  const std::vector<DeviceSpec>& devices() const { return devices_; }

  bool has_device(std::string_view key) const;
  // Throws InputError "unknown device 'x', expected one of ..." (the known keys).
  const DeviceSpec& device(std::string_view key) const;
  // Latencies by NB201 index (NaN = not measured).
  std::span<const double> latencies(std::string_view key) const;

 private:
  Catalog(std::filesystem::path dir, ArchTable archs, std::vector<DeviceSpec> devices)
      : dir_(std::move(dir)), archs_(std::move(archs)), devices_(std::move(devices)) {}

  std::filesystem::path dir_;
  ArchTable archs_;
  std::vector<DeviceSpec> devices_;
  std::vector<LatencyTable> tables_;
  std::vector<std::pair<int, int>> column_of_;  // per device: (table, column)
};

}  // namespace maplex::tables
