// A sweep in passes (measure/sweep.hpp, run_sweep): what was measured while the reference ran far
// from the scale is measured again in a later pass and the less disturbed timing kept, in the
// store too. The runtime here is a stand-in whose networks spin for set times and whose reference
// is slowed on cue, so that a disturbed stretch happens exactly where a test puts it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>

#include "maplex/core/error.hpp"
#include "maplex/measure/local.hpp"
#include "maplex/measure/sweep.hpp"
#include "shipped_data.hpp"
#include "spinning.hpp"

namespace maplex::measure {
namespace {

const space::ArchIndex& index() { return testing::shipped_catalog().index(); }

// How slow the reference runs (1 = its usual 400 us), set when a target network is built.
struct Cue {
  std::atomic<double> reference_slowdown{1.0};
  std::map<int, double> spin_us;  // by architecture index
  // The slowdown the reference gets while the network of `index` is measured (the builds of
  // `until` so far decide between the two).
  int disturbed = -1;
  int until = -1;
  double before = 1.0;
  double after = 1.0;
  std::atomic<int> builds_of_until{0};
};

using spin::Spinning;

class CuedRuntime final : public Runtime {
 public:
  explicit CuedRuntime(Cue* cue) : cue_(cue) {}
  std::string name() const override { return "cued"; }
  std::string version() const override { return "1"; }
  void set_threads(int /*threads*/) const override {}
  std::unique_ptr<Network> build(const NetworkWeights& w) const override {
    const int a = index().index_of(w.arch);
    if (w.arch.str() == kReferenceArch) {
      // The reference and its calibration twin: the twin is not slowed (the sweep's clock).
      auto net =
          std::make_unique<Spinning>(400, reference_built_ ? nullptr : &cue_->reference_slowdown);
      reference_built_ = true;
      return net;
    }
    if (a == cue_->until) {
      ++cue_->builds_of_until;
    }
    cue_->reference_slowdown =
        a != cue_->disturbed ? 1.0 : (cue_->builds_of_until == 0 ? cue_->before : cue_->after);
    return std::make_unique<Spinning>(cue_->spin_us.at(a), nullptr);
  }
  std::unique_ptr<Network> op_chain(LutOp /*op*/, int /*stage*/, int /*copies*/,
                                    std::uint64_t /*seed*/) const override {
    throw std::runtime_error("no per-op table");
  }

 private:
  Cue* cue_;
  mutable bool reference_built_ = false;
};

std::filesystem::path temp_store(const std::string& name) {
  return spin::fresh_store_path("passes", name);
}

struct Fixture {
  Cue cue;
  std::vector<int> archs{100, 2000, 9000};
  std::filesystem::path store;
  explicit Fixture(const std::string& name) : store(temp_store(name)) {
    cue.spin_us = {{100, 200}, {2000, 300}, {9000, 500}};
    cue.disturbed = 2000;
    cue.until = 9000;  // disturbed until the architecture after it is built (the first pass)
  }
  ~Fixture() {
    for (const auto* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(store.string() + suffix);
    }
  }
  LocalOptions options() {
    LocalOptions o;
    o.repeats = 7;
    o.warmup = 1;
    o.store = store;
    o.runtime = std::make_shared<CuedRuntime>(&cue);
    return o;
  }
};

const Measurement& row_of(const SweepResult& r, int index) {
  for (const auto& m : r.rows) {
    if (m.index == index) {
      return m;
    }
  }
  throw std::logic_error("no row");
}

TEST(SweepPasses, ADisturbedMeasurementIsTakenAgainAndTheQuietOneKept) {
  Fixture f("quiet.sqlite");
  f.cue.before = 1.5;  // the reference 50% slow while 2000 is first measured
  LocalDevice device(index(), f.options());
  SweepOptions o;
  o.disturbed_above = 0.25;  // well clear of a busy machine's noise on the 0.4 ms spins
  o.wait_budget_s = 5;
  const SweepResult r = run_sweep(device, f.archs, o);
  EXPECT_EQ(r.passes, 2);
  EXPECT_EQ(r.waited_s, 0);  // measured quiet the second time: no waiting
  EXPECT_EQ(r.measured_again, 1);
  EXPECT_EQ(r.still_disturbed, 0);
  ASSERT_EQ(r.rows.size(), 3U);
  EXPECT_EQ(r.rows[1].index, 2000);  // the sweep's order
  // Kept: the quiet timing, 300 / 400 (the disturbed one was 300 / 600).
  EXPECT_NEAR(row_of(r, 2000).timing.ratio, 0.75, 0.06);
  EXPECT_LT(*device.disturbance(row_of(r, 2000).timing), 0.25);
  EXPECT_NEAR(row_of(r, 100).timing.ratio, 0.5, 0.04);
  EXPECT_NEAR(row_of(r, 9000).timing.ratio, 1.25, 0.1);
  EXPECT_EQ(device.measured_again(), 1);
  // The store holds the kept timing.
  EXPECT_NEAR(device.store().find(device.key(), "arch:2000")->ratio, row_of(r, 2000).timing.ratio,
              1e-12);
  EXPECT_NEAR(row_of(r, 2000).latency_ms, row_of(r, 2000).timing.ratio * device.scale_ms(), 1e-9);
}

TEST(SweepPasses, AlwaysDisturbedKeepsTheLeastDisturbedAfterTheLastPass) {
  Fixture f("always.sqlite");
  f.cue.before = 1.8;
  f.cue.after = 1.4;  // still disturbed in every later pass, but less
  LocalDevice device(index(), f.options());
  SweepOptions o;
  o.disturbed_above = 0.25;
  o.passes = 3;
  o.wait_budget_s = 0.4;  // the machine never settles: the sweep waits its budget, then goes on
  std::size_t last_done = 0;
  std::size_t last_total = 0;
  o.on_progress = [&](std::size_t done, std::size_t total) {
    last_done = done;
    last_total = total;
  };
  const SweepResult r = run_sweep(device, f.archs, o);
  EXPECT_EQ(r.passes, 3);
  EXPECT_EQ(r.measured_again, 2);
  EXPECT_EQ(r.still_disturbed, 1);
  EXPECT_EQ(last_done, 5U);
  EXPECT_EQ(last_total, 5U);
  EXPECT_NEAR(row_of(r, 2000).timing.ratio, 300.0 / 560.0, 0.05);
  EXPECT_NEAR(*device.disturbance(row_of(r, 2000).timing), 0.4, 0.08);
  EXPECT_GE(r.waited_s, 0.4);
  EXPECT_LT(r.waited_s, 3.0);
}

TEST(SweepPasses, SettleWaitsUntilTheReferenceRunsQuietAgain) {
  Fixture f("settle.sqlite");
  LocalDevice device(index(), f.options());
  EXPECT_NEAR(device.quiet_ms(), 0.4, 0.04);
  EXPECT_LT(device.settle(30), 1.0);  // quiet now: one probe
  f.cue.reference_slowdown = 1.5;
  EXPECT_GE(device.settle(0.3), 0.3);  // never quiet within 0.3 s
  std::thread quiet_later([&f] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    f.cue.reference_slowdown = 1.0;
  });
  const double waited = device.settle(60);
  quiet_later.join();
  EXPECT_GE(waited, 0.4);
  EXPECT_LT(waited, 30);  // probes every 2 s: it noticed, long before the 60 s
}

// A calibration round as a sweep stores it, with the reference timed at `ms`.
void put_round(LocalDevice& device, const std::string& at, double ms) {
  StoredTiming t = *device.store().find(device.key(), "reference");
  t.item = "calibration:" + at;
  t.reference_median_ms = ms;
  device.store().put(device.key(), t);
}

TEST(SweepPasses, TheScaleIsTheMedianOfTheCalibrationRoundsNotDisturbed) {
  Fixture f("scale.sqlite");
  LocalDevice device(index(), f.options());
  const double first_round = device.scale_ms();
  EXPECT_NEAR(first_round, 0.4, 0.04);
  // Three more rounds, one of them 50% slow (a disturbed stretch, left out).
  put_round(device, "a", 1.5 * first_round);
  put_round(device, "b", 1.04 * first_round);
  put_round(device, "c", 1.08 * first_round);
  std::vector<Measurement> none;
  device.rescale(none);
  EXPECT_EQ(device.calibrations(), 4);
  EXPECT_EQ(device.quiet_calibrations(), 3);
  EXPECT_NEAR(device.scale_ms(), 1.04 * first_round, 1e-12);
  EXPECT_NEAR(device.scale_spread(), 0.5 / 1.04, 1e-9);
  // The quiet machine, which disturbance is judged against, is the lower quartile.
  EXPECT_NEAR(device.quiet_ms(), first_round, 1e-12);
  EXPECT_NE(device.description().find("median of the 3 of 4 calibrations within 10%"),
            std::string::npos)
      << device.description();
  // An even number of quiet rounds: the mean of the middle two.
  put_round(device, "d", 1.02 * first_round);
  device.rescale(none);
  EXPECT_NEAR(device.scale_ms(), 1.03 * first_round, 1e-12);
}

TEST(SweepPasses, AWholeSessionInASlowStateLeavesTheScaleWhereItWas) {
  // 21 rounds of one machine state, then a session whose 10 rounds all ran 2x slow (run 15's
  // OpenCV: the geometric mean of every round, the rule before, moved 12.6%).
  Fixture f("slow_session.sqlite");
  LocalDevice device(index(), f.options());
  const double q = device.scale_ms();
  for (int k = 0; k < 20; ++k) {
    put_round(device, "quiet" + std::to_string(k), (k % 2 == 0 ? 1.02 : 0.99) * q);
  }
  std::vector<Measurement> none;
  device.rescale(none);
  const double before = device.scale_ms();
  EXPECT_NEAR(before, 1.0 * q, 0.021 * q);
  for (int k = 0; k < 10; ++k) {
    put_round(device, "slow" + std::to_string(k), 2 * q);
    device.rescale(none);
    EXPECT_DOUBLE_EQ(device.scale_ms(), before) << "after " << k + 1 << " slow rounds";
  }
  EXPECT_EQ(device.quiet_calibrations(), 21);
}

TEST(SweepPasses, AFasterStateTakesTheScaleOnceItHoldsAQuarterOfTheRounds) {
  // The quiet machine is the fastest state the store has seen in a quarter of its rounds: 20
  // rounds of one state, then rounds 12% faster, one at a time.
  Fixture f("stretch.sqlite");
  LocalDevice device(index(), f.options());
  const double q = device.scale_ms();
  for (int k = 1; k < 20; ++k) {
    put_round(device, "slow" + std::to_string(k), q);
  }
  std::vector<Measurement> none;
  for (int k = 0; k < 7; ++k) {
    device.rescale(none);
    EXPECT_DOUBLE_EQ(device.scale_ms(), q) << "after " << k << " fast rounds";
    put_round(device, "fast" + std::to_string(k), 0.88 * q);
  }
  device.rescale(none);  // 7 of 27: the lower quartile is a fast round
  EXPECT_NEAR(device.scale_ms(), 0.88 * q, 1e-12);
  EXPECT_EQ(device.quiet_calibrations(), 7);
}

TEST(SweepPasses, OnePassMeasuresNothingAgainAndStoredRowsAreTakenAsTheyAre) {
  Fixture f("one.sqlite");
  f.cue.before = 1.5;
  {
    LocalDevice device(index(), f.options());
    SweepOptions o;
    o.disturbed_above = 0.25;
    o.passes = 1;
    const SweepResult r = run_sweep(device, f.archs, o);
    EXPECT_EQ(r.passes, 1);
    EXPECT_EQ(r.measured_again, 0);
    EXPECT_EQ(r.still_disturbed, 1);
    EXPECT_NEAR(row_of(r, 2000).timing.ratio, 0.5, 0.05);  // 300 / 600
  }
  // A later session reads the disturbed row from the store and does not measure it again.
  f.cue.builds_of_until = 0;
  LocalDevice device(index(), f.options());
  const SweepResult r = run_sweep(device, f.archs, {});
  EXPECT_EQ(device.new_measurements(), 0);
  EXPECT_EQ(r.measured_again, 0);
  EXPECT_EQ(r.passes, 1);
  EXPECT_TRUE(row_of(r, 2000).from_store);
}

TEST(SweepPasses, RoundsAddATakeAPassApartAndTheRatioIsTheirGeometricMean) {
  Fixture f("rounds.sqlite");
  f.cue.disturbed = -1;
  LocalDevice device(index(), f.options());
  SweepOptions o;
  o.rounds = 2;
  o.disturbed_above = 0.25;
  std::size_t last_total = 0;
  o.on_progress = [&](std::size_t done, std::size_t total) {
    last_total = total;
    if (done == 3) {
      f.cue.spin_us[100] = 600;  // the second round sees 100 three times slower
    }
  };
  const SweepResult r = run_sweep(device, f.archs, o);
  EXPECT_EQ(r.rounds, 2);
  EXPECT_EQ(r.round_takes, 3);
  EXPECT_EQ(last_total, 6U);
  const auto takes = device.store().takes(device.key(), "arch:100");
  ASSERT_EQ(takes.size(), 2U);
  EXPECT_NEAR(takes[0].ratio, 0.5, 0.04);  // 200 / 400
  EXPECT_NEAR(takes[1].ratio, 1.5, 0.1);   // 600 / 400
  const Measurement& m = row_of(r, 100);
  EXPECT_EQ(take_count(m), 2);
  EXPECT_NEAR(m.timing.ratio, std::sqrt(takes[0].ratio * takes[1].ratio), 1e-12);
  EXPECT_NEAR(m.latency_ms, m.timing.ratio * device.scale_ms(), 1e-9);
  EXPECT_EQ(take_count(row_of(r, 9000)), 2);
}

TEST(SweepPasses, AKilledSweepsLaterRoundsResumeAndFreshStartsOver) {
  Fixture f("rounds_resume.sqlite");
  f.cue.disturbed = -1;
  {  // A sweep killed after its first round leaves one take of each.
    LocalDevice device(index(), f.options());
    SweepOptions o;
    o.rounds = 1;
    run_sweep(device, f.archs, o);
  }
  SweepOptions two;
  two.rounds = 2;
  {
    LocalDevice device(index(), f.options());
    const SweepResult r = run_sweep(device, f.archs, two);
    EXPECT_EQ(device.new_measurements(), 0);  // the first takes are read, not timed again
    EXPECT_EQ(r.round_takes, 3);
    for (const int a : f.archs) {
      EXPECT_EQ(device.store().takes(device.key(), "arch:" + std::to_string(a)).size(), 2U);
    }
  }
  {
    LocalDevice device(index(), f.options());
    const SweepResult r = run_sweep(device, f.archs, two);
    EXPECT_EQ(r.round_takes, 0);
    EXPECT_EQ(device.new_measurements(), 0);
  }
  LocalOptions fresh = f.options();
  fresh.fresh = true;
  LocalDevice device(index(), fresh);
  SweepOptions one;
  one.rounds = 1;
  const SweepResult r = run_sweep(device, f.archs, one);
  EXPECT_EQ(device.new_measurements(), 3);
  EXPECT_EQ(take_count(row_of(r, 2000)), 1);
  EXPECT_EQ(device.store().takes(device.key(), "arch:2000").size(), 1U);
  // Nothing the earlier sessions timed is lost: both takes of each are in the store's history
  // (with any take an unsteady stretch had timed twice, so at least one of each).
  for (const int a : f.archs) {
    const std::string item = "arch:" + std::to_string(a);
    const auto history = device.store().replaced(device.key(), item);
    int first_takes = 0;
    int second_takes = 0;
    for (const auto& t : history) {
      first_takes += t.item == item ? 1 : 0;
      second_takes += t.item == item + "#2" ? 1 : 0;
    }
    EXPECT_GE(first_takes, 1) << item;
    EXPECT_GE(second_takes, 1) << item;
  }
}

TEST(SweepPasses, ALaterRoundNeverTakesAnEarlierSessionsTakeAgain) {
  Fixture f("rounds_keep.sqlite");
  f.cue.before = 1.5;  // 2000's first take disturbed, in a session that measures nothing again
  double first_take = 0;
  {
    LocalDevice device(index(), f.options());
    SweepOptions o;
    o.rounds = 1;
    o.passes = 1;
    o.disturbed_above = 0.25;
    first_take = row_of(run_sweep(device, f.archs, o), 2000).timing.ratio;
    EXPECT_NEAR(first_take, 0.5, 0.05);  // 300 / 600
  }
  f.cue.disturbed = -1;  // quiet now
  LocalDevice device(index(), f.options());
  SweepOptions o;
  o.rounds = 2;
  o.disturbed_above = 0.25;
  const SweepResult r = run_sweep(device, f.archs, o);
  EXPECT_EQ(r.round_takes, 3);
  EXPECT_EQ(r.measured_again, 0);  // the stored first take is kept as it is
  const auto takes = device.store().takes(device.key(), "arch:2000");
  ASSERT_EQ(takes.size(), 2U);
  EXPECT_EQ(takes[0].ratio, first_take);
  EXPECT_NEAR(takes[1].ratio, 0.75, 0.06);  // 300 / 400
}

TEST(SweepPasses, BadOptionsAreRefused) {
  Fixture f("bad.sqlite");
  LocalDevice device(index(), f.options());
  SweepOptions o;
  o.passes = 0;
  EXPECT_THROW(run_sweep(device, f.archs, o), InputError);
  o.passes = 2;
  o.rounds = -1;
  EXPECT_THROW(run_sweep(device, f.archs, o), InputError);
  o.rounds = 0;
  o.disturbed_above = -0.1;
  EXPECT_THROW(run_sweep(device, f.archs, o), InputError);
}

}  // namespace
}  // namespace maplex::measure
