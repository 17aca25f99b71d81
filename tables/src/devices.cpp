#include "maplex/tables/devices.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "maplex/core/error.hpp"
#include "maplex/tables/csv.hpp"

namespace maplex::tables {

namespace {

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<double> leading_number(const std::string& cell, std::string& error) {
  error.clear();
  std::string_view text = cell;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  if (text.empty() || starts_with_ci(text, "n/a") || starts_with_ci(text, "not stated")) {
    return std::nullopt;
  }
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || !std::isfinite(value) || value <= 0.0) {
    error = "expected a positive number (text may follow it), 'n/a', 'not stated' or an empty cell";
    return std::nullopt;
  }
  // Text may follow the number, but not glued digits-and-letters such as "12abc" or "1.2.3".
  if (ptr != text.data() + text.size() && std::isalnum(static_cast<unsigned char>(*ptr)) != 0 &&
      *ptr != 'x') {
    error = "expected a number followed by a space or punctuation";
    return std::nullopt;
  }
  return value;
}

std::vector<DeviceSpec> load_devices(const std::filesystem::path& path) {
  const CsvFile file = CsvFile::read(path);
  std::vector<std::string> columns = {
      "device_key",      "data_file",   "source",        "category",
      "hardware",        "soc_or_chip", "batch_size",    "precision_runtime",
      "input",           "cores",       "max_clock_mhz", "tdp_w",
      "spec_provenance", "notes"};
  // dead_ops is optional (files written before it have 14 columns).
  if (file.header().fields.size() > columns.size()) {
    columns.emplace_back("dead_ops");
  }
  file.expect_header(columns, true);
  const bool has_dead_ops = columns.size() == 15;
  if (file.rows().empty()) {
    throw InputError(file.path() + ": no devices, expected one row per device");
  }
  std::vector<DeviceSpec> devices;
  std::unordered_map<std::string, int> line_of;
  for (const CsvRow& row : file.rows()) {
    const auto& f = row.fields;
    if (f[0].empty()) {
      file.fail(row, 0, "empty device_key, expected a device name");
    }
    if (const auto [it, inserted] = line_of.try_emplace(f[0], row.line); !inserted) {
      file.fail(
          row, 0,
          "duplicate device " + quote(f[0]) + ", first on line " + std::to_string(it->second));
    }
    if (f[1].empty()) {
      file.fail(row, 1, "empty data_file, expected the latency table holding " + quote(f[0]));
    }
    auto spec = [&](std::size_t field) {
      std::string error;
      auto value = leading_number(f[field], error);
      if (!error.empty()) {
        file.fail(row, field,
                  file.header().fields[field] + " is " + quote(f[field]) + ", " + error);
      }
      return value;
    };
    DeviceSpec d;
    d.key = f[0];
    d.data_file = f[1];
    d.source = f[2];
    d.category = f[3];
    d.hardware = f[4];
    d.soc_or_chip = f[5];
    d.batch_size = spec(6);
    d.batch_size_text = f[6];
    d.precision_runtime = f[7];
    d.input = f[8];
    d.cores = spec(9);
    d.cores_text = f[9];
    d.max_clock_mhz = spec(10);
    d.tdp_w = spec(11);
    d.spec_provenance = f[12];
    d.notes = f[13];
    if (has_dead_ops) {
      d.dead_ops = f[14];
      if (!is_dead_ops_handling(d.dead_ops) && !d.dead_ops.empty()) {
        file.fail(row, 14,
                  "dead_ops is " + quote(d.dead_ops) +
                      ", expected runs, prunes or an empty cell (not stated)");
      }
    }
    devices.push_back(std::move(d));
  }
  return devices;
}

}  // namespace maplex::tables
