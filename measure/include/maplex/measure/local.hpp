#pragma once
// This machine as a target device (`local`): NB201 networks measured with the oneDNN engine
// against a fixed reference network, every measurement kept in the store and read back from it.
//
// A latency is ratio x scale: the median time ratio to the reference network (in which the
// machine's drift cancels) times the reference's time calibrated once for this machine and these
// settings and kept in the store, so latencies of every session are comparable. (The absolute
// scale carries the machine's speed at calibration, which drifts by up to 1.7x; ratios repeat to
// about 1.4%, BENCHMARKS.md.)
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "maplex/measure/engine.hpp"
#include "maplex/measure/host.hpp"
#include "maplex/measure/store.hpp"
#include "maplex/measure/timing.hpp"
#include "maplex/space/index.hpp"

namespace maplex::measure {

// The reference every measurement alternates with: a mid-sized ResNet-like cell.
inline constexpr const char* kReferenceArch =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|none~2|";

struct LocalOptions {
  int threads = 1;
  int warmup = 3;
  int repeats = 15;        // timed (network, reference) pairs
  std::uint64_t seed = 0;  // weights
  int pin_cpu = -1;        // pin the measuring thread to this CPU (-1 = no pinning)
  bool fresh = false;  // measure again what the store holds (once per session; not the calibration)
  std::filesystem::path store = default_store_path();
};

struct LocalMeasurement {
  int index = -1;
  double latency_ms = 0;
  StoredTiming timing;
  bool from_store = false;
};

// The layer-wise latency table: the network without any cell op (stem, reductions, head) plus,
// per stage, each op's time; LUT(a) = base + 5 x sum over stages of (the ops of a's edges + one
// sum per extra input of a node).
struct Lut {
  double base_ms = 0;
  std::array<std::array<double, kLutOps>, 3> op_ms{};  // [stage][LutOp]
  double predict(const space::Arch& arch) const;
};

class LocalDevice {
 public:
  // Throws InputError for threads, repeats < 1 or warmup < 0, and for a store that cannot be
  // opened. Calibrates the reference when the store has no calibration for these settings.
  LocalDevice(const space::ArchIndex& index, LocalOptions options);

  // The architecture's latency: from the store, or measured now and stored before returning (a
  // measurement whose pair ratios vary by more than 10 % is taken once more, the steadier kept).
  LocalMeasurement measure(int index);
  // The per-op table, measured (and stored) where the store lacks an entry.
  Lut lut();

  const Host& host() const { return host_; }
  const std::string& fingerprint() const { return key_.fingerprint; }
  const StoreKey& key() const { return key_; }
  const LocalOptions& options() const { return options_; }
  double scale_ms() const { return scale_ms_; }
  int new_measurements() const { return new_; }
  int stored_hits() const { return hits_; }
  // New measurements taken twice because their pair ratios varied by more than 10 %.
  int remeasured() const { return remeasured_; }
  Store& store() { return store_; }
  // Called after each new measurement (progress displays); may be empty.
  std::function<void(const LocalMeasurement&)> on_measured;

 private:
  // The store's row for `item` when it may be reused (not under --fresh before this session
  // measured it), counted as a hit.
  std::optional<StoredTiming> stored(const std::string& item);
  // Times `engine` against the reference and commits the row.
  StoredTiming time_item(const std::string& item, Engine& engine, int repeats);
  const space::ArchIndex* index_;
  LocalOptions options_;
  Host host_;
  StoreKey key_;
  Store store_;
  Engine reference_;
  double scale_ms_ = 0;
  std::set<std::string> measured_now_;
  int new_ = 0;
  int hits_ = 0;
  int remeasured_ = 0;
};

}  // namespace maplex::measure
