#pragma once
// Where every measurement is kept: an SQLite database in WAL mode, one row per (device
// fingerprint, engine settings, item), written and committed as soon as the measurement completes,
// so a sweep killed at any point keeps everything it finished and a restart does not redo it.
//
// An item is what was timed: "arch:<NB201 index>" for a network, "op:<op>:<stage>" for a per-op
// LUT entry, "reference" for the reference network's calibration. Hardware profiles are kept per
// fingerprint as JSON.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace maplex::measure {

inline constexpr int kStoreSchemaVersion = 1;

// What a stored row belongs to: the machine and how it was measured.
struct StoreKey {
  std::string fingerprint;  // device_fingerprint() of the machine
  std::string settings;     // engine settings (threads, repeats, warm-up, seed, oneDNN, build)
};

struct StoredTiming {
  std::string item;
  double ratio = 0;                // median target / reference time
  double ratio_cv = 0;             // coefficient of variation of the ratios
  double target_median_ms = 0;     // raw median
  double target_cv = 0;            // coefficient of variation of the raw times
  double reference_median_ms = 0;  // the reference during this measurement
  int repeats = 0;
  std::string measured_at;  // UTC, ISO 8601
  std::string host;
};

class Store {
 public:
  // Opens or creates the database (and its directory). Throws InputError naming the path when it
  // cannot be opened, is not a maplex store, or has another schema version.
  explicit Store(const std::filesystem::path& path);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  std::optional<StoredTiming> find(const StoreKey& key, const std::string& item) const;
  // Every row of `key` whose item starts with `prefix`, in item order.
  std::vector<StoredTiming> all(const StoreKey& key, const std::string& prefix = "") const;
  // Inserts or replaces the row and commits it before returning.
  void put(const StoreKey& key, const StoredTiming& row);

  std::optional<std::string> profile(const std::string& fingerprint) const;
  void put_profile(const std::string& fingerprint, const std::string& json);

  const std::filesystem::path& path() const { return path_; }

 private:
  struct Impl;
  std::filesystem::path path_;
  std::unique_ptr<Impl> impl_;
};

// Every architecture row ("arch:<index>") of `key`: (NB201 index, ratio x scale) by index.
std::vector<std::pair<int, double>> stored_arch_latencies(const Store& store, const StoreKey& key,
                                                          double scale);

// $MAPLEX_STORE, else $XDG_CACHE_HOME/maplex/measurements.sqlite, else
// ~/.cache/maplex/measurements.sqlite.
std::filesystem::path default_store_path();

}  // namespace maplex::measure
