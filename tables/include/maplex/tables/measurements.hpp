#pragma once
// A user's own latency measurements in long form: columns `arch` (canonical string or NB201 index)
// and `latency_ms`, optionally `device`; other columns (cv, context) are kept aside and ignored.

#include <filesystem>
#include <string>
#include <vector>

#include "maplex/space/index.hpp"

namespace maplex::tables {

struct Measurement {
  int index = 0;          // NB201 index
  double latency_ms = 0;  // > 0, finite
  std::string device;     // empty when the file has no device column
  int line = 0;           // where it was read
};

struct MeasurementSet {
  std::string source;
  bool has_device_column = false;
  std::vector<Measurement> rows;

  // Distinct device names in file order ("" when there is no device column).
  std::vector<std::string> devices() const;
};

// Reads the file. Throws InputError "file:line:column: ..." for a missing arch or latency_ms
// column, an unknown or malformed arch, a latency that is not a finite number > 0, an empty device,
// the same arch twice for one device, or a file without rows.
MeasurementSet load_measurements(const std::filesystem::path& path, const space::ArchIndex& index);

}  // namespace maplex::tables
