#pragma once
// A device maplex can measure now: this machine under one of its runtimes (`local`,
// `local:opencv`, `local:torch`) or any device the user reaches with a command (`cmd:FILE`). Every
// command that measures asks this interface and never tests a device's name; every measurement is
// committed to the store under the device's key before it is returned.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "maplex/measure/lut.hpp"
#include "maplex/measure/store.hpp"

namespace maplex::measure {

// A measurement whose reference ran more than this much slower than the quiet machine's (the lower
// quartile of the calibration rounds the store holds) was taken in a disturbed stretch: a sweep
// measures it again later (sweep.hpp), and the scale leaves such calibration rounds out. Chosen on
// the tuning sweeps of BENCHMARKS.md ("The disturbed-reference rule").
inline constexpr double kDisturbedAbove = 0.10;

struct Measurement {
  int index = -1;
  double latency_ms = 0;
  StoredTiming timing;  // the takes combined (combine_takes)
  bool from_store = false;
  // The timings taken apart in time that make the measurement (take_item), in order; empty for a
  // device that times an architecture once (then `timing` is its only take).
  std::vector<StoredTiming> takes;
};

// How many takes a measurement has (1 for a device without takes).
inline int take_count(const Measurement& m) {
  return m.takes.empty() ? 1 : static_cast<int>(m.takes.size());
}

// What the predictor's hardware specification can know of a device (0 or "" = unknown).
struct DeviceFacts {
  int cores = 0;
  double max_clock_mhz = 0;
  // What its runtime does with ops on no input-to-output path: "runs" or "prunes"
  // (tables::DeviceSpec::dead_ops; the predictor's --dead-ops table reads it).
  std::string dead_ops;
};

class Device {
 public:
  virtual ~Device() = default;
  // As the user names it: "local", "local:opencv", the name in a cmd: device file.
  virtual const std::string& name() const = 0;
  // Its identity in the store (the machine and runtime, or the user's device name).
  virtual const std::string& fingerprint() const = 0;
  // One line: what a record needs to be trusted (machine, runtime, settings, store).
  virtual std::string description() const = 0;
  virtual const StoreKey& key() const = 0;
  virtual DeviceFacts facts() const = 0;
  // The architecture's latency: from the store, or measured now and committed before returning.
  // Throws InputError naming the architecture when the device cannot measure it.
  virtual Measurement measure(int index) = 0;
  // The per-op table, measured where the store lacks an entry; nullopt for a device without one.
  virtual std::optional<Lut> lut() = 0;
  virtual Store& store() = 0;
  // Every architecture the store holds for this device: (NB201 index, latency ms) by index.
  virtual std::vector<std::pair<int, double>> stored_latencies() = 0;
  // Counts of this session: new measurements, measurements read from the store, and new ones
  // taken twice because they were unsteady.
  virtual int new_measurements() const = 0;
  virtual int stored_hits() const = 0;
  virtual int remeasured() const = 0;
  // How much slower than when quiet the machine ran when the take `t` was timed: its reference's
  // median / the quiet reference time - 1 (MEASURING.md: a reference far from its sweep-wide
  // median flags a disturbed period; the machine's disturbances slow it down); nullopt for a
  // device without a reference.
  virtual std::optional<double> disturbance(const StoredTiming& /*t*/) const {
    return std::nullopt;
  }
  // Takes a sweep times of each architecture, a whole pass apart (sweep.hpp, rounds): the
  // runtime's default. A device that times an architecture once returns 1.
  virtual int default_rounds() const { return 1; }
  // Whether measure_round can add takes.
  virtual bool has_takes() const { return false; }
  // Times take `take` (2, 3, ...) of `index` now, commits it, and returns the measurement with
  // every take of it combined. The default, for a device without takes, is measure(index).
  virtual Measurement measure_round(int index, int /*take*/) { return measure(index); }
  // Waits, up to `max_wait_s`, until the machine runs quiet again (a short timing of the reference
  // no more than kDisturbedAbove slower than quiet); the seconds waited. 0 for a device without a
  // reference.
  virtual double settle(double /*max_wait_s*/) { return 0; }
  // Times take `take` (1-based) of `index` again now, whatever the store holds, and keeps (in the
  // store and in the result) whichever of the stored and the new timing is the less disturbed.
  // The default, for a device without a reference, is measure(index).
  virtual Measurement measure_again(int index, int /*take*/ = 1) { return measure(index); }
  // Gives `rows` (this session's measurements) their latencies again with the device's scale as
  // it stands now, when the device has one that a sweep refines (a local runtime's: the median of
  // every calibration round in the store, this sweep's included); a sweep's file is written with
  // it. Unchanged for a device without a scale.
  virtual void rescale(std::vector<Measurement>& /*rows*/) {}
  // Called after each new measurement (progress displays); may be empty.
  std::function<void(const Measurement&)> on_measured;
};

}  // namespace maplex::measure
