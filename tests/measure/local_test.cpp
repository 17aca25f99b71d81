// This machine as a device: measurements go to the store and come back from it, --fresh measures
// again, bad settings are refused, and the per-op table behaves like latencies do.
#include "maplex/measure/local.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "maplex/core/error.hpp"
#include "maplex/measure/profile.hpp"
#include "maplex/space/index.hpp"
#include "shipped_data.hpp"

namespace maplex::measure {
namespace {

std::filesystem::path temp(const std::string& name) {
  const auto p = ::maplex::testing::test_temp_dir() /
                 ("maplex_local_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove(p);
  std::filesystem::remove(p.string() + "-wal");
  std::filesystem::remove(p.string() + "-shm");
  return p;
}

const space::ArchIndex& index() { return testing::shipped_catalog().index(); }

LocalOptions quick(const std::filesystem::path& store) {
  LocalOptions o;
  o.repeats = 3;
  o.warmup = 1;
  o.store = store;
  return o;
}

TEST(LocalDevice, MeasuresOnceThenReadsTheStore) {
  const auto store = temp("a.sqlite");
  double first = 0;
  {
    LocalDevice d(index(), quick(store));
    EXPECT_EQ(d.fingerprint().size(), 16U);
    EXPECT_GT(d.scale_ms(), 0);
    const auto m = d.measure(11472);
    EXPECT_FALSE(m.from_store);
    EXPECT_GT(m.latency_ms, 0);
    EXPECT_EQ(m.timing.repeats, 3);
    first = m.latency_ms;
    const auto again = d.measure(11472);
    EXPECT_TRUE(again.from_store);
    EXPECT_DOUBLE_EQ(again.latency_ms, first);
  }
  {
    // A new session reads it back: nothing is measured again.
    LocalDevice d(index(), quick(store));
    const auto m = d.measure(11472);
    EXPECT_TRUE(m.from_store);
    EXPECT_EQ(d.new_measurements(), 0);
  }
  {
    // --fresh measures once more in this session, then reuses that.
    auto o = quick(store);
    o.fresh = true;
    LocalDevice d(index(), o);
    EXPECT_FALSE(d.measure(11472).from_store);
    EXPECT_TRUE(d.measure(11472).from_store);
    EXPECT_EQ(d.new_measurements(), 1);
  }
  {
    // Other settings are another key: measured anew.
    auto o = quick(store);
    o.repeats = 4;
    LocalDevice d(index(), o);
    EXPECT_FALSE(d.measure(11472).from_store);
  }
}

TEST(LocalDevice, RefusesBadSettings) {
  const auto store = temp("b.sqlite");
  auto o = quick(store);
  o.threads = 0;
  EXPECT_THROW(LocalDevice(index(), o), InputError);
  o = quick(store);
  o.repeats = 0;
  EXPECT_THROW(LocalDevice(index(), o), InputError);
  o = quick(store);
  o.warmup = -1;
  EXPECT_THROW(LocalDevice(index(), o), InputError);
  LocalDevice d(index(), quick(store));
  EXPECT_THROW(d.measure(15625), InputError);
  EXPECT_THROW(d.measure(-1), InputError);
}

// Memory layouts are a setting: another count is another stored key, one layout (oneDNN's own
// default, what 0 asks for) keeps the key of the stores made before layouts existed, more layouts
// than repeats count as the repeats.
TEST(LocalDevice, LayoutsAreASettingOfTheStoredKey) {
  const auto store = temp("layouts.sqlite");
  auto o = quick(store);
  {
    LocalDevice one(index(), o);
    EXPECT_EQ(one.key().settings.find("layouts"), std::string::npos) << one.key().settings;
    EXPECT_FALSE(one.measure(11472).from_store);
  }
  o.layouts = 2;
  {
    LocalDevice two(index(), o);
    EXPECT_NE(two.key().settings.find(";layouts=2;"), std::string::npos) << two.key().settings;
    EXPECT_NE(two.description().find("in 2 memory layouts"), std::string::npos)
        << two.description();
    const auto m = two.measure(11472);
    EXPECT_FALSE(m.from_store);
    EXPECT_EQ(m.timing.repeats, 3);
    EXPECT_GT(m.latency_ms, 0);
    EXPECT_TRUE(two.measure(11472).from_store);
  }
  o.layouts = 9;
  EXPECT_NE(LocalDevice(index(), o).key().settings.find(";layouts=3;"), std::string::npos);
  o.layouts = -1;
  EXPECT_THROW(LocalDevice(index(), o), InputError);
}

TEST(LocalDevice, PerOpTableBehavesLikeLatency) {
  LocalDevice d(index(), quick(temp("c.sqlite")));
  const auto table = d.lut();
  ASSERT_TRUE(table.has_value());
  const Lut& lut = *table;
  EXPECT_GT(lut.base_ms, 0);
  for (std::size_t s = 0; s < 3; ++s) {
    for (std::size_t o = 0; o < static_cast<std::size_t>(kLutOps); ++o) {
      EXPECT_GT(lut.op_ms[s][o], 0) << "stage " << s << " op " << o;
    }
    // A 3x3 convolution does nine times the work of a 1x1 at the same shape.
    EXPECT_GT(lut.op_ms[s][1], lut.op_ms[s][0]) << "stage " << s;
  }
  const auto empty = space::Arch::parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|");
  EXPECT_DOUBLE_EQ(lut.predict(empty), lut.base_ms);
  // One 3x3 convolution edge in every cell: five per stage.
  const auto one = space::Arch::parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|");
  const double conv = lut.op_ms[0][1] + lut.op_ms[1][1] + lut.op_ms[2][1];
  EXPECT_NEAR(lut.predict(one), lut.base_ms + 5 * conv, 1e-9);
  // Two inputs into node 3 add one sum per cell.
  const auto two =
      space::Arch::parse("|none~0|+|none~0|none~1|+|skip_connect~0|none~1|avg_pool_3x3~2|");
  const double pool = lut.op_ms[0][2] + lut.op_ms[1][2] + lut.op_ms[2][2];
  const double sum = lut.op_ms[0][3] + lut.op_ms[1][3] + lut.op_ms[2][3];
  EXPECT_NEAR(lut.predict(two), lut.base_ms + 5 * (pool + sum), 1e-9);
  // The table's stage entries were stored: a second call measures nothing.
  const int before = d.new_measurements();
  d.lut();
  EXPECT_EQ(d.new_measurements(), before);
}

TEST(Profile, FallsBackCleanlyWithoutHardwareCounters) {
  ProfileOptions o;
  o.force_fallback = true;
  o.runs = 3;
  const Profile p = profile_machine(o);
  EXPECT_FALSE(p.hardware_counters);
  EXPECT_NE(p.counters_note.find("not used"), std::string::npos) << p.counters_note;
  bool task_clock = false;
  for (const auto& c : p.counters) {
    EXPECT_FALSE(c.hardware) << c.name;
    if (c.name == "task-clock") {
      task_clock = true;
      EXPECT_GT(c.per_inference, 1e3);  // an inference takes more than a microsecond
    }
  }
  EXPECT_TRUE(task_clock);
  for (double g : p.conv_gflops) {
    EXPECT_GT(g, 0.1);
    EXPECT_LT(g, 1e5);
  }
  EXPECT_GT(p.memory_gbps, 0.1);
  EXPECT_EQ(p.fingerprint, device_fingerprint(read_host()));
  // The JSON document reads back as the same profile.
  const Profile back = profile_from_json(profile_to_json(p));
  EXPECT_EQ(back.fingerprint, p.fingerprint);
  EXPECT_EQ(back.counters.size(), p.counters.size());
  EXPECT_DOUBLE_EQ(back.memory_gbps, p.memory_gbps);
  EXPECT_EQ(back.host.caches.size(), p.host.caches.size());
  EXPECT_THROW(profile_from_json("{\"schema_version\": 1}"), InputError);
  EXPECT_THROW(profile_from_json("[1, 2"), InputError);
}

TEST(Profile, UsesHardwareCountersOrSaysWhyNot) {
  ProfileOptions o;
  o.runs = 3;
  const Profile p = profile_machine(o);
  if (p.hardware_counters) {
    bool cycles = false;
    for (const auto& c : p.counters) {
      cycles = cycles || (c.name == "cycles" && c.per_inference > 0);
    }
    EXPECT_TRUE(cycles);
  } else {
    // This virtual machine: the kernel answers ENOENT and the profile names the call and error.
    EXPECT_NE(p.counters_note.find("perf_event_open(cycles)"), std::string::npos)
        << p.counters_note;
    EXPECT_FALSE(p.counters.empty());  // software events instead
  }
}

}  // namespace
}  // namespace maplex::measure

namespace maplex::measure {
namespace {

double two_round_scale(double a, double b) {
  const double lo = std::min(a, b);
  const double hi = std::max(a, b);
  return hi <= 1.1 * lo ? (a + b) / 2 : lo;
}

// A sweep calibrates again after 50 new measurements, its file is rescaled with the rounds, and the
// next session's scale is the median of the rounds not disturbed, with their spread.
TEST(LocalDevice, SweepsCalibrateInRoundsAndTheScaleIsTheMedianOfTheQuietOnes) {
  const auto store = temp("rounds.sqlite");
  LocalOptions o = quick(store);
  o.repeats = 1;
  o.warmup = 0;
  double first_scale = 0;
  {
    LocalDevice d(index(), o);
    EXPECT_EQ(d.calibrations(), 1);
    EXPECT_EQ(d.scale_spread(), 0);
    first_scale = d.scale_ms();
    for (int a = 0; a < 49; ++a) {
      d.measure(a);
    }
    EXPECT_TRUE(d.store().all(d.key(), "calibration:").empty());
    d.measure(49);  // the 50th new measurement: a calibration round
    ASSERT_EQ(d.store().all(d.key(), "calibration:").size(), 1U);
    EXPECT_DOUBLE_EQ(d.scale_ms(), first_scale);  // fixed within the session
    // ... until the sweep ends: its file is written with the scale of both rounds.
    std::vector<Measurement> rows{d.measure(3)};
    EXPECT_DOUBLE_EQ(rows[0].latency_ms, rows[0].timing.ratio * first_scale);
    d.rescale(rows);
    const double round = d.store().all(d.key(), "calibration:").front().reference_median_ms;
    EXPECT_EQ(d.calibrations(), 2);
    // Of two rounds, the faster is the quiet machine; the scale is their mean when the other is
    // within 10% of it, else the faster alone (the rule itself:
    // SweepPasses.TheScaleIsTheMedian...).
    const double scale = d.scale_ms();
    EXPECT_NEAR(scale, two_round_scale(first_scale, round), 1e-12 * scale)
        << "from rounds " << first_scale << " and " << round;
    EXPECT_DOUBLE_EQ(rows[0].latency_ms, rows[0].timing.ratio * scale);
  }
  LocalDevice next(index(), o);
  const double round = next.store().all(next.key(), "calibration:").front().reference_median_ms;
  EXPECT_EQ(next.calibrations(), 2);
  EXPECT_NEAR(next.scale_ms(), two_round_scale(first_scale, round), 1e-12 * next.scale_ms());
  EXPECT_NEAR(next.scale_spread(), std::abs(first_scale - round) / next.scale_ms(), 1e-12);
  EXPECT_NE(next.description().find("of 2 calibrations"), std::string::npos) << next.description();
  // A stored measurement is its ratio times the session's scale.
  const auto m = next.measure(7);
  EXPECT_TRUE(m.from_store);
  EXPECT_DOUBLE_EQ(m.latency_ms, m.timing.ratio * next.scale_ms());
}

}  // namespace
}  // namespace maplex::measure
