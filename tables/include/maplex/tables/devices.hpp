#pragma once
// Device descriptions (data/devices.csv): one row per latency column of the shipped tables.
// The spec cells are public vendor figures, sometimes text ("3584 CUDA cores", "n/a (4 TOPS
// int8)"); the numbers are extracted and the raw text kept.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace maplex::tables {

struct DeviceSpec {
  std::string key;        // = the latency column name
  std::string data_file;  // latency table holding the column
  std::string source;
  std::string category;  // desktop_gpu, desktop_cpu, mobile_phone, ...
  std::string hardware;  // devices sharing it are one chip at another batch size or precision
  std::string soc_or_chip;
  std::string precision_runtime;
  std::string input;
  std::string spec_provenance;
  std::string notes;
  // What the runtime does with the ops on no input-to-output path: "runs" them (PyTorch eager,
  // the accelerator simulators), "prunes" them (TF / TFLite graphs), or "" when not stated.
  std::string dead_ops;
  // Extracted numbers; empty when the source gives none.
  std::optional<double> batch_size;
  std::optional<double> cores;
  std::optional<double> max_clock_mhz;
  std::optional<double> tdp_w;
  // The cells as written.
  std::string batch_size_text;
  std::string cores_text;
};

// Parses a spec cell that may carry text after its number ("3584 CUDA cores" -> 3584,
// "1 (unverified)" -> 1). Empty, "n/a ..." and "not stated ..." are missing. Any other text, or a
// number that is not positive, is an error; returns the error text through `error` and nothing.
std::optional<double> leading_number(const std::string& cell, std::string& error);

// Whether `value` names a runtime's dead-op handling (DeviceSpec::dead_ops): "runs" or "prunes".
inline bool is_dead_ops_handling(const std::string& value) {
  return value == "runs" || value == "prunes";
}

// Reads devices.csv. Throws InputError "file:line:column: ..." for a wrong header, an empty key, a
// duplicate key, or a spec cell that is neither a number, a number with text after it, nor missing.
std::vector<DeviceSpec> load_devices(const std::filesystem::path& path);

}  // namespace maplex::tables
