#pragma once
// Wide latency tables: one row per architecture (index, arch_str), one column per device,
// milliseconds; an empty cell means "not measured". Shipped: latency_help_nb201.csv,
// latency_eagle_nb201.csv; a user may bring their own in the same form.

#include <cmath>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "maplex/space/index.hpp"

namespace maplex::tables {

class LatencyTable {
 public:
  LatencyTable(std::string source, std::vector<std::string> devices,
               std::vector<std::vector<double>> values);

  const std::string& source() const { return source_; }
  const std::vector<std::string>& devices() const { return devices_; }
  // Column of a device, or -1.
  int find(std::string_view device) const;
  // Latencies of device column d by NB201 index; NaN where not measured (input NaN is rejected).
  std::span<const double> column(int d) const { return values_.at(static_cast<std::size_t>(d)); }
  int measured_count(int d) const;

  static bool missing(double v) { return std::isnan(v); }

 private:
  std::string source_;
  std::vector<std::string> devices_;
  std::vector<std::vector<double>> values_;
};

// Reads a wide table. Header: index, arch_str, then one or more device columns. Each row's index
// must be 0..15624 and its arch_str the cell with that index; an index may appear once. A cell is
// empty or a finite latency > 0. Throws InputError "file:line:column: ...".
LatencyTable load_latency_table(const std::filesystem::path& path, const space::ArchIndex& index);

// A device's latency statistics over the connected cells (a disconnected cell outputs zeros, so
// its latency says little about networks); how many disconnected cells have a latency is counted
// apart.
struct LatencyStats {
  int count = 0;  // connected cells with a latency
  double min = 0;
  double median = 0;
  double max = 0;
  int disconnected = 0;  // disconnected cells with a latency (left out of the statistics)
};
LatencyStats latency_stats(std::span<const double> column, const space::ArchIndex& index);

}  // namespace maplex::tables
