#include "maplex/measure/local.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <unistd.h>

#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/hash.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/measure/balance.hpp"

namespace maplex::measure {

namespace {

// A measurement whose pair ratios vary more than this (the 96th percentile on the project's
// machine) fell in a disturbed stretch and is taken once more.
constexpr double kUnsteadyCv = 0.10;
// The reference's calibration runs this many times the repeats of a measurement.
constexpr int kCalibrationRounds = 4;
// A sweep calibrates the reference again after every this many new measurements.
constexpr int kCalibrationEvery = 50;
// A session times its whole panel of anchors before its first timing of an architecture, then one
// anchor (in turn) after every this many more, so the panel it fits is renewed through the sweep,
// all of it every kAnchors * kAnchorEvery timings (200: the cost of a whole panel every 200, the
// first design, which caught one state of a session whose disturbance came and went); the ridge of
// the fit of its op shift (BENCHMARKS.md, issue 12: chosen on the tuning set).
constexpr int kAnchorEvery = 10;
constexpr double kBalanceRidge = 4;

LocalOptions checked(LocalOptions o) {
  if (o.threads < 1) {
    throw InputError("--threads " + std::to_string(o.threads) + ", expected at least 1");
  }
  if (o.repeats < 1) {
    throw InputError("--repeats " + std::to_string(o.repeats) + ", expected at least 1");
  }
  if (o.warmup < 0) {
    throw InputError("--warmup " + std::to_string(o.warmup) + ", expected at least 0");
  }
  if (o.pin_cpu >= 0) {
    if (o.threads != 1) {
      throw InputError("--pin-cpu " + std::to_string(o.pin_cpu) + " with --threads " +
                       std::to_string(o.threads) + ", expected 1 thread when pinning");
    }
    pin_to_cpu(o.pin_cpu);
  }
  if (o.layouts < 0) {
    throw InputError("--layouts " + std::to_string(o.layouts) +
                     ", expected at least 1 (or 0: the runtime's default)");
  }
  if (!o.runtime) {
    throw std::invalid_argument("LocalDevice: no runtime");
  }
  try {
    (void)space::Arch::parse(o.reference);
  } catch (const std::exception& e) {
    throw InputError("--reference " + o.reference + ": " + e.what());
  }
  if (!o.balance) {
    o.balance = o.runtime->default_balance();
  }
  o.layouts = std::min(o.layouts == 0 ? o.runtime->default_layouts() : o.layouts, o.repeats);
  // Before any network is built: OpenMP sizes its thread team at the first parallel region.
  o.runtime->set_threads(o.threads);
  return o;
}

std::string settings_of(const LocalOptions& o) {
  return "engine=" + o.runtime->name() + "-" + o.runtime->version() +
         ";build=" + std::string(build_info().build_type) +
         ";threads=" + std::to_string(o.threads) + ";warmup=" + std::to_string(o.warmup) +
         ";repeats=" + std::to_string(o.repeats) +
         // One layout keeps the settings (and so the stored rows) of the stores made before.
         (o.layouts > 1 ? ";layouts=" + std::to_string(o.layouts) : std::string()) +
         ";seed=" + std::to_string(o.seed) +
         ";network=nb201-cifar-b1-fp32;reference=" + o.reference +
         (*o.balance ? ";balance=anchors" : "");
}

std::string arch_item(int index) { return "arch:" + std::to_string(index); }

// The seed of an item's layouts: the hash of its name, mixed with the weights' seed.
std::uint64_t layout_seed(std::uint64_t seed, const std::string& item) {
  return Rng::derive(seed, fnv1a(item));
}

// `local` for maplex's own engine, `local:<runtime>` for another runtime; the fingerprint is the
// machine's, with the runtime's name for another runtime (each runtime is its own device).
std::string device_name(const Runtime& r) {
  return r.name() == "onednn" ? "local" : "local:" + r.name();
}

std::string fingerprint_of(const Host& h, const Runtime& r) {
  return r.name() == "onednn" ? device_fingerprint(h) : device_fingerprint(h) + "+" + r.name();
}

std::unique_ptr<Network> reference_network(const LocalOptions& o) {
  return o.runtime->build(make_weights(space::Arch::parse(o.reference), Rng::derive(o.seed, 1)));
}

}  // namespace

LocalDevice::LocalDevice(const space::ArchIndex& index, LocalOptions options)
    : index_(&index),
      options_(checked(std::move(options))),
      name_(device_name(*options_.runtime)),
      host_(read_host()),
      key_{fingerprint_of(host_, *options_.runtime), settings_of(options_)},
      store_(options_.store),
      reference_(reference_network(options_)),
      anchors_(*options_.balance ? anchor_archs(index) : std::vector<int>{}) {
  // The scale is the median reference time over every calibration round this machine, runtime
  // and settings have had, fixed for the session until a sweep ends and rescales (so every latency
  // a session returns is its ratio times one number); a new store calibrates first, and sweeps add
  // rounds (calibrate_again), so the median of later sessions follows the machine's drift rather
  // than one moment of it.
  if (!scale_from_store()) {
    time_item(
        "reference", [this] { return reference_network(options_); },
        kCalibrationRounds * options_.repeats);
    ++new_;
    scale_from_store();
  }
}

bool LocalDevice::scale_from_store() {
  std::vector<double> rounds;
  for (const auto& prefix : {"reference", "calibration:"}) {
    for (const auto& row : store_.all(key_, prefix)) {
      rounds.push_back(row.reference_median_ms);
    }
  }
  if (rounds.empty()) {
    return false;
  }
  // The quiet machine (what a timing's disturbance is judged against): the lower quartile of the
  // calibration rounds, the store's history of the machine's states (a disturbance only slows it
  // down). Not the measurements' reference times: a session measuring everything again (--fresh)
  // replaces them, so in a slow session they would all be slow.
  std::vector<double> sorted = rounds;
  std::sort(sorted.begin(), sorted.end());
  quiet_ms_ = sorted[(sorted.size() - 1) / 4];
  // The scale: the median of the rounds not judged disturbed (within kDisturbedAbove of the quiet
  // machine), so a whole session in a slow state leaves it where it was; it follows a faster state
  // once that holds a quarter of the rounds. Chosen on a tuning history with sessions in a state
  // 2.5x slow, kept apart from what is reported (BENCHMARKS.md, issue 12): the geometric mean of
  // every round, the rule before, moved up to 8.6% from one session to the next there, this 1.5%.
  std::vector<double> quiet;
  for (const double r : sorted) {
    if (r <= quiet_ms_ * (1 + kDisturbedAbove)) {
      quiet.push_back(r);
    }
  }
  calibrations_ = static_cast<int>(rounds.size());
  quiet_calibrations_ = static_cast<int>(quiet.size());
  scale_ms_ = median_of(std::move(quiet));
  const auto [lo, hi] = std::minmax_element(rounds.begin(), rounds.end());
  scale_spread_ = (*hi - *lo) / scale_ms_;
  return true;
}

void LocalDevice::rescale(std::vector<Measurement>& rows) {
  scale_from_store();
  for (auto& m : rows) {
    m.latency_ms = m.timing.ratio * scale_ms_;
  }
}

void LocalDevice::calibrate_again() {
  time_item(
      "calibration:" + utc_now() + "#" + std::to_string(new_ + measured_again_),
      [this] { return reference_network(options_); }, kCalibrationRounds * options_.repeats);
}

DeviceFacts LocalDevice::facts() const {
  return {host_.logical_cpus, host_.max_clock_mhz > 0 ? host_.max_clock_mhz : 0.0,
          options_.runtime->dead_ops()};
}

std::string LocalDevice::description() const {
  const auto& h = host_;
  const auto& o = options_;
  char buf[1024];
  std::snprintf(
      buf, sizeof buf,
      "%s = %s (%s, %d logical CPUs, fingerprint %s), %s %s, %d thread%s, %d repeats "
      "after %d warm-up runs%s%s, reference network %s, reference %.4g ms (median of the %d "
      "of %d calibration%s within %.0f%% of the quiet reference, spread %.1f%%; quiet reference "
      "%.4g ms), store %s",
      name_.c_str(), h.hostname.c_str(), h.cpu_model.c_str(), h.logical_cpus,
      key_.fingerprint.c_str(),
      o.runtime->name() == "onednn" ? "oneDNN" : o.runtime->name().c_str(),
      o.runtime->version().c_str(), o.threads, o.threads == 1 ? "" : "s", o.repeats, o.warmup,
      o.layouts > 1 ? (" in " + std::to_string(o.layouts) + " memory layouts").c_str() : "",
      o.pin_cpu >= 0 ? (", pinned to CPU " + std::to_string(o.pin_cpu)).c_str() : "",
      o.reference.c_str(), scale_ms_, quiet_calibrations_, calibrations_,
      calibrations_ == 1 ? "" : "s", 100 * kDisturbedAbove, 100 * scale_spread_, quiet_ms_,
      o.store.string().c_str());
  std::string out = buf;
  if (anchor_timings_ > 0) {
    std::snprintf(buf, sizeof buf,
                  "; op balance: %d anchor timing%s this session, factors against the store's "
                  "first panel %.3f-%.3f",
                  anchor_timings_, anchor_timings_ == 1 ? "" : "s", lowest_balance_,
                  highest_balance_);
    out += buf;
  }
  return out;
}

Timing LocalDevice::time_now(const std::string& item, const NetworkBuilder& build, int repeats) {
  const TimingOptions timing{options_.warmup, repeats};
  return options_.layouts == 1
             ? time_against(*build(), *reference_, timing)
             : time_over_layouts(
                   build, [this] { return reference_network(options_); }, timing,
                   {std::min(options_.layouts, repeats), layout_seed(options_.seed, item)});
}

StoredTiming LocalDevice::time_item(const std::string& item, const NetworkBuilder& build,
                                    int repeats, double balance) {
  const Timing t = time_now(item, build, repeats);
  StoredTiming row{item,           t.ratio / balance,
                   t.ratio_cv,     t.target_median_ms,
                   t.target_cv,    t.reference_median_ms,
                   repeats,        utc_now(),
                   host_.hostname, balance};
  store_.put(key_, row);
  measured_now_.insert(item);
  return row;
}

std::optional<StoredTiming> LocalDevice::stored(const std::string& item) {
  if (options_.fresh && measured_now_.count(item) == 0) {
    return std::nullopt;  // --fresh: measured again once in this session
  }
  auto row = store_.find(key_, item);
  if (row) {
    ++hits_;
  }
  return row;
}

void LocalDevice::check_index(int index) const {
  if (index < 0 || index >= index_->size()) {
    throw InputError("architecture index " + std::to_string(index) + ", expected 0.." +
                     std::to_string(index_->size() - 1));
  }
}

NetworkBuilder LocalDevice::arch_builder(int index) const {
  return [this, index] {
    return options_.runtime->build(
        make_weights(index_->arch(index), arch_weight_seed(options_.seed, index)));
  };
}

void LocalDevice::time_anchors(const std::vector<int>& which) {
  // Unique in the store: two sessions of one process may time their anchors in the same second.
  static std::atomic<int> panels_of_this_process{0};
  char number[16];
  std::snprintf(number, sizeof number, "%06d", panels_of_this_process++);
  const std::string panel = utc_now() + "#" + std::to_string(::getpid()) + "." + number;
  for (const int a : which) {
    session_panel_[a] = time_item(anchor_item(panel, a), arch_builder(a), options_.repeats).ratio;
  }
  anchor_timings_ += static_cast<int>(which.size());
  since_anchor_ = 0;
  if (!canonical_panel_) {
    canonical_panel_ = canonical_panel(store_, key_, anchors_);
  }
  shift_ = fit_op_shift(session_panel_, canonical_panel_.value(), *index_, kBalanceRidge);
}

double LocalDevice::balance_of(int index) {
  if (!*options_.balance) {
    return 1;
  }
  if (!shift_) {
    time_anchors(anchors_);
  } else if (since_anchor_ >= kAnchorEvery) {
    time_anchors({anchors_[next_anchor_]});
    next_anchor_ = (next_anchor_ + 1) % anchors_.size();
  }
  ++since_anchor_;
  const double factor = shift_->factor(index_->arch(index));
  lowest_balance_ = std::min(lowest_balance_, factor);
  highest_balance_ = std::max(highest_balance_, factor);
  return factor;
}

StoredTiming LocalDevice::take(int index, int take_number) {
  const std::string item = take_item(arch_item(index), take_number);
  const NetworkBuilder build = arch_builder(index);
  const double balance = balance_of(index);
  StoredTiming row = time_item(item, build, options_.repeats, balance);
  if (row.ratio_cv > kUnsteadyCv) {
    // A disturbed stretch of the machine: measured once more, the steadier of the two kept.
    const StoredTiming again = time_item(item, build, options_.repeats, balance);
    if (row.ratio_cv < again.ratio_cv) {
      store_.put(key_, row);
    } else {
      row = again;
    }
    ++remeasured_;
  }
  if (++since_calibration_ == kCalibrationEvery) {
    calibrate_again();
    since_calibration_ = 0;
  }
  return row;
}

Measurement LocalDevice::measurement_of(int index, bool from_store) const {
  Measurement m{index, 0, {}, from_store, store_.takes(key_, arch_item(index))};
  m.timing = combine_takes(m.takes);
  m.latency_ms = m.timing.ratio * scale_ms_;
  return m;
}

Measurement LocalDevice::measure(int index) {
  check_index(index);
  if (stored(arch_item(index))) {
    return measurement_of(index, true);
  }
  // A new first take starts a new measurement: the takes of an earlier one (--fresh) go.
  store_.erase_later_takes(key_, arch_item(index));
  take(index, 1);
  ++new_;
  Measurement m = measurement_of(index, false);
  if (on_measured) {
    on_measured(m);
  }
  return m;
}

Measurement LocalDevice::measure_round(int index, int take_number) {
  check_index(index);
  if (take_number < 2) {
    throw std::invalid_argument("LocalDevice::measure_round: take " + std::to_string(take_number) +
                                ", expected at least 2");
  }
  take(index, take_number);
  Measurement m = measurement_of(index, false);
  if (on_measured) {
    on_measured(m);
  }
  return m;
}

double LocalDevice::disturbance_of(const StoredTiming& t) const {
  return std::max(t.reference_median_ms / quiet_ms_ - 1, 0.0);
}

double LocalDevice::settle(double max_wait_s) {
  constexpr auto kPause = std::chrono::seconds(2);
  const auto start = std::chrono::steady_clock::now();
  const auto waited = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const NetworkBuilder twin = [this] { return reference_network(options_); };
  while (true) {
    // Timed as a calibration round is (over the layouts), but not kept.
    const Timing probe = time_now("settle", twin, options_.repeats);
    if (probe.reference_median_ms <= quiet_ms_ * (1 + kDisturbedAbove) || waited() >= max_wait_s) {
      return waited();
    }
    std::this_thread::sleep_for(std::min<std::chrono::duration<double>>(
        kPause, std::chrono::duration<double>(max_wait_s - waited())));
  }
}

std::optional<double> LocalDevice::disturbance(const StoredTiming& t) const {
  return disturbance_of(t);
}

Measurement LocalDevice::measure_again(int index, int take_number) {
  check_index(index);
  const std::string item = take_item(arch_item(index), take_number);
  const std::optional<StoredTiming> before = store_.find(key_, item);
  const StoredTiming row = take(index, take_number);
  if (before && disturbance_of(*before) < disturbance_of(row)) {
    store_.put(key_, *before);
  }
  ++measured_again_;
  Measurement m = measurement_of(index, false);
  if (on_measured) {
    on_measured(m);
  }
  return m;
}

std::vector<std::pair<int, double>> LocalDevice::stored_latencies() {
  return stored_arch_latencies(store_, key_, scale_ms_);
}

}  // namespace maplex::measure
