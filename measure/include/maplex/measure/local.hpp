#pragma once
// This machine as a target device under one runtime: `local` (maplex's oneDNN engine) or
// `local:<runtime>` (OpenCV DNN, LibTorch: the devices module). NB201 networks are measured against
// a fixed reference network built by the same runtime, every measurement kept in the store and
// read back from it.
//
// A latency is ratio x scale: the median time ratio to the reference network (in which the
// machine's drift cancels) times the scale, the median of the reference's calibrated times for
// this machine, runtime and settings kept in the store that are not disturbed (a timing or a round
// is disturbed when its reference ran kDisturbedAbove slower than the rounds' lower quartile, the
// quiet machine). A new store calibrates
// once; every sweep calibrates again after each 50 new timings, keeping each round in the store; a
// session's scale is fixed for the session until a sweep's pass ends (rescale: its file is written
// with the rounds it added), and its description reports how many rounds and their spread. (The
// machine's speed drifts by up to 1.7x; ratios repeat to about 1.4%, BENCHMARKS.md.) With `layouts`
// > 1 every timing (architecture, per-op chain, calibration) is spread over that many memory
// layouts (timing.hpp: time_over_layouts), each with the network and the reference built afresh, so
// that a second session, whose heap differs, agrees.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "maplex/measure/balance.hpp"
#include "maplex/measure/device.hpp"
#include "maplex/measure/host.hpp"
#include "maplex/measure/runtime.hpp"
#include "maplex/measure/store.hpp"
#include "maplex/measure/timing.hpp"
#include "maplex/space/index.hpp"

namespace maplex::measure {

// The reference every measurement alternates with: a cell of the space's typical op mix, the
// first in index order (index 8) with every op on a live edge and the space's median FLOPs. A
// machine state can slow one op class against the others for a whole session, which moves each
// network's ratio by how far its op mix is from the reference's; from a typical mix the shifts
// spread both ways around 1 instead of all one way (BENCHMARKS.md, issue 12: OpenCV DNN, two
// references interleaved session by session, a session apart within 5% for 0.988 of the
// networks against 0.890).
inline constexpr const char* kReferenceArch =
    "|nor_conv_1x1~0|+|avg_pool_3x3~0|skip_connect~1|+|skip_connect~0|none~1|nor_conv_3x3~2|";
// The reference until 2026-12-06: three 3x3 convolutions, the 93rd FLOPs percentile. Stores keep
// its timings under their own settings (each reference is part of the settings).
inline constexpr const char* kReferenceArchBefore =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|none~2|";

struct LocalOptions {
  int threads = 1;
  int warmup = 3;
  int repeats = 15;  // timed (network, reference) pairs
  // Memory layouts the pairs are shared among (at most `repeats`: more count as `repeats`); 0 =
  // the runtime's default_layouts().
  int layouts = 0;
  std::uint64_t seed = 0;  // weights
  int pin_cpu = -1;        // pin the measuring thread to this CPU (-1 = no pinning)
  bool fresh = false;  // measure again what the store holds (once per session; not the calibration)
  // Correct each architecture's timing for the session's op balance (balance.hpp: the whole panel
  // of anchors timed before the session's first timing of an architecture, then one anchor in turn
  // every few timings, the fit renewed with each); unset = the runtime's default_balance().
  std::optional<bool> balance;
  // The reference network every timing alternates with (an NB201 arch string).
  std::string reference = kReferenceArch;
  std::filesystem::path store = default_store_path();
  std::shared_ptr<const Runtime> runtime = onednn_runtime();
};

// Kept for the callers of round 1.
using LocalMeasurement = Measurement;

class LocalDevice final : public Device {
 public:
  // Throws InputError for threads, repeats < 1 or warmup < 0, and for a store that cannot be
  // opened. Calibrates the reference when the store has no calibration for these settings.
  LocalDevice(const space::ArchIndex& index, LocalOptions options);

  const std::string& name() const override { return name_; }
  const std::string& fingerprint() const override { return key_.fingerprint; }
  std::string description() const override;
  const StoreKey& key() const override { return key_; }
  DeviceFacts facts() const override;
  // From the store, or measured now and stored before returning (a measurement whose pair ratios
  // vary by more than 10 % is taken once more, the steadier kept).
  Measurement measure(int index) override;
  // reference / quiet reference - 1 of the take (0 when faster).
  std::optional<double> disturbance(const StoredTiming& t) const override;
  int default_rounds() const override { return options_.runtime->default_rounds(); }
  bool has_takes() const override { return true; }
  Measurement measure_round(int index, int take) override;
  // Times the reference against its twin every 2 s until it runs quiet or `max_wait_s` passed.
  double settle(double max_wait_s) override;
  // Timed again now; the stored timing is kept when it was the less disturbed.
  Measurement measure_again(int index, int take = 1) override;
  // The per-op table: each op of each stage timed as a chain of copies against the reference, in
  // the runtime's default rounds, and timed again (after settle, at most a minute in all, two
  // passes more) when none of its takes ran quiet; an entry is the geometric mean of its quiet
  // takes (or its least disturbed one). What the store holds is taken as it is; every take stays
  // in the store.
  std::optional<Lut> lut() override;
  // Op takes the per-op tables of this session timed again as disturbed.
  int table_retaken() const { return table_retaken_; }
  Store& store() override { return store_; }
  std::vector<std::pair<int, double>> stored_latencies() override;
  int new_measurements() const override { return new_; }
  int stored_hits() const override { return hits_; }
  int remeasured() const override { return remeasured_; }
  // Architectures measured again (measure_again) in this session.
  int measured_again() const { return measured_again_; }
  // The scale from every calibration round the store now holds (this session's too), and `rows`
  // at that scale; the description then reports it.
  void rescale(std::vector<Measurement>& rows) override;

  const Host& host() const { return host_; }
  const LocalOptions& options() const { return options_; }
  const Runtime& runtime() const { return *options_.runtime; }
  double scale_ms() const { return scale_ms_; }
  // The quiet machine's reference time: the lower quartile of the store's calibration rounds.
  double quiet_ms() const { return quiet_ms_; }
  // Calibration rounds in the store and their (max - min) / scale.
  int calibrations() const { return calibrations_; }
  // Of them, the rounds the scale is the median of (not judged disturbed).
  int quiet_calibrations() const { return quiet_calibrations_; }
  double scale_spread() const { return scale_spread_; }

 private:
  // The store's row for `item` when it may be reused (not under --fresh before this session
  // measured it), counted as a hit.
  std::optional<StoredTiming> stored(const std::string& item);
  // Throws InputError for an index outside the space.
  void check_index(int index) const;
  // A new timing of take `take_number` of the architecture, committed (taken twice when unsteady),
  // and a calibration round when one is due.
  StoredTiming take(int index, int take_number);
  // The measurement of `index` from every take the store holds of it.
  Measurement measurement_of(int index, bool from_store) const;
  double disturbance_of(const StoredTiming& t) const;
  // Times what `build` builds against the reference (over the layouts, seeded by `item`).
  Timing time_now(const std::string& item, const NetworkBuilder& build, int repeats);
  // time_now, the row committed, its ratio corrected by `balance` (StoredTiming::balance).
  StoredTiming time_item(const std::string& item, const NetworkBuilder& build, int repeats,
                         double balance = 1);
  // The builder of architecture `index`'s network.
  NetworkBuilder arch_builder(int index) const;
  // The builder of the chain of copies of `op` (a LutOp) at `stage`.
  NetworkBuilder op_chain_builder(int op, int stage) const;
  // Times the per-op table's entries `ops` ((op, stage); lut()).
  void time_table(std::vector<std::pair<int, int>> ops);
  // The takes of an entry that ran no more than `above` disturbed, or else the least disturbed.
  std::vector<StoredTiming> table_takes_in_use(const std::vector<StoredTiming>& takes,
                                               double above) const;
  // The factor of the session's op balance for architecture `index` (1 without balance), timing
  // the whole panel of anchors first when the session has none, else the next anchor in turn when
  // kAnchorEvery timings followed the last.
  double balance_of(int index);
  // Times the anchors `which` (stored, one panel name), puts their ratios in the session's panel
  // and fits its shift against the canonical panel.
  void time_anchors(const std::vector<int>& which);
  const space::ArchIndex* index_;
  LocalOptions options_;
  std::string name_;
  Host host_;
  StoreKey key_;
  Store store_;
  std::unique_ptr<Network> reference_;
  // A calibration round: the reference timed against its twin, stored as "calibration:<time>".
  void calibrate_again();
  // The scale (and its rounds and spread) from the calibration rounds in the store; false (and
  // nothing set) when it holds none.
  bool scale_from_store();
  double scale_ms_ = 0;
  double quiet_ms_ = 0;
  int calibrations_ = 0;
  int since_calibration_ = 0;  // new architecture measurements since the last round
  double scale_spread_ = 0;
  int quiet_calibrations_ = 0;
  std::set<std::string> measured_now_;
  int new_ = 0;
  int hits_ = 0;
  int remeasured_ = 0;
  int measured_again_ = 0;
  int table_retaken_ = 0;
  std::vector<int> anchors_;
  std::optional<std::map<int, double>> canonical_panel_;
  std::optional<OpShift> shift_;
  std::map<int, double> session_panel_;  // each anchor's latest ratio this session
  std::size_t next_anchor_ = 0;          // the anchor timed next
  int since_anchor_ = 0;                 // architecture timings since the last anchor's
  int anchor_timings_ = 0;
  double lowest_balance_ = 1;
  double highest_balance_ = 1;
};

}  // namespace maplex::measure
