// The op balance (measure/balance.hpp): each timing keeps the factor it was corrected by (also in a
// store written before there was one), the canonical anchor panel is the store's first complete
// one, the shift is fitted on the anchors, and a session whose machine runs one op slower than the
// first session did gives the first session's ratios again. The runtime here is a stand-in whose
// networks spin for the sum of their ops' set times, so that a session slowing 3x3 convolutions
// happens exactly where the test puts it.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "maplex/measure/balance.hpp"
#include "maplex/measure/local.hpp"
#include "maplex/space/index.hpp"
#include "shipped_data.hpp"
#include "temp_dir.hpp"

namespace maplex::measure {
namespace {

std::filesystem::path temp(const std::string& name) {
  auto p = ::maplex::testing::test_temp_dir() /
           ("maplex_balance_" + std::to_string(::getpid()) + "_" + name);
  for (const auto* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(p.string() + suffix);
  }
  return p;
}

StoredTiming timing(const std::string& item, double ratio) {
  return {item, ratio, 0.01, 1.0, 0.01, 2.0, 15, "2026-12-04T10:00:00Z", "host"};
}

void exec(sqlite3* db, const char* sql) {
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
}

// A store as maplex wrote it before timings had a balance column, made with plain SQLite.
void write_store_without_balance(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  exec(db,
       "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
       "INSERT INTO meta VALUES('schema_version', '1');"
       "CREATE TABLE timings(fingerprint TEXT NOT NULL, settings TEXT NOT NULL, item TEXT NOT "
       "NULL, ratio REAL NOT NULL, ratio_cv REAL NOT NULL, target_median_ms REAL NOT NULL, "
       "target_cv REAL NOT NULL, reference_median_ms REAL NOT NULL, repeats INTEGER NOT NULL, "
       "measured_at TEXT NOT NULL, host TEXT NOT NULL, PRIMARY KEY(fingerprint, settings, item));"
       "CREATE TABLE profiles(fingerprint TEXT PRIMARY KEY, json TEXT NOT NULL);"
       "INSERT INTO timings VALUES('m', 's', 'arch:7', 0.5, 0.01, 1.0, 0.01, 2.0, 15, "
       "'2026-01-01T00:00:00Z', 'h');");
  sqlite3_close(db);
}

TEST(StoreBalance, EachTimingKeepsItsFactorAndAnOlderStoreReadsAsUncorrected) {
  const StoreKey key{"m", "s"};
  const auto old_part = temp("old_part.sqlite");
  write_store_without_balance(old_part);
  {
    // Merged from as it is (read-only): its row comes in uncorrected.
    Store merged(temp("merged.sqlite"));
    EXPECT_EQ(merged.merge({old_part}).inserted, 1);
    EXPECT_DOUBLE_EQ(merged.find(key, "arch:7")->balance, 1.0);
  }
  const auto old_store = temp("old.sqlite");
  write_store_without_balance(old_store);
  Store s(old_store);
  const auto old_row = s.find(key, "arch:7");
  ASSERT_TRUE(old_row.has_value());
  EXPECT_DOUBLE_EQ(old_row->ratio, 0.5);
  EXPECT_DOUBLE_EQ(old_row->balance, 1.0);
  StoredTiming corrected = timing("arch:8", 0.8);
  corrected.balance = 1.25;
  s.put(key, corrected);
  EXPECT_DOUBLE_EQ(Store(old_store).find(key, "arch:8")->balance, 1.25);
  // Two takes of equal repeats: the balance is their geometric mean, sqrt(1.25 * 0.8) = 1.
  StoredTiming second = corrected;
  second.item = "arch:8#2";
  second.balance = 0.8;
  EXPECT_NEAR(combine_takes({corrected, second}).balance, 1.0, 1e-12);
}

TEST(Balance, TheShiftIsFittedOnTheAnchorsAgainstTheFirstCompletePanel) {
  const auto& index = testing::shipped_catalog().index();
  const std::vector<int> anchors = anchor_archs(index);
  ASSERT_EQ(anchors.size(), static_cast<std::size_t>(kAnchors));
  EXPECT_EQ(anchors, anchor_archs(index));  // the same for every store
  EXPECT_EQ(anchor_item("t#1", 42), "anchor:t#1/42");
  Store s(temp("panels.sqlite"));
  const StoreKey key{"m", "s"};
  // A panel cut short (its last anchor missing), then the first complete one, then a session
  // whose networks all run 10% slower against the reference, those with 3x3 convolutions 2% more
  // per convolution.
  const auto count = [&index](int a, space::Op op) {
    int n = 0;
    for (int e = 0; e < space::kNumEdges; ++e) {
      n += index.arch(a).op(e) == op ? 1 : 0;
    }
    return n;
  };
  std::map<int, double> later;
  for (const int a : anchors) {
    const double canonical = 0.5 + 0.01 * a / 1000.0;
    if (a != anchors.back()) {
      s.put(key, timing(anchor_item("2026-12-04T09:00:00Z#1.000000", a), 9.0));
    }
    s.put(key, timing(anchor_item("2026-12-04T10:00:00Z#1.000000", a), canonical));
    later[a] = canonical * 0.9 * std::pow(1.02, count(a, space::Op::nor_conv_3x3));
    s.put(key, timing(anchor_item("2026-12-04T11:00:00Z#1.000000", a), later[a]));
  }
  const auto canonical = canonical_panel(s, key, anchors);
  ASSERT_TRUE(canonical.has_value());
  EXPECT_DOUBLE_EQ(canonical->at(anchors.front()), 0.5 + 0.01 * anchors.front() / 1000.0);
  const auto panel = anchor_panel(s.all(key, "anchor:2026-12-04T11:00:00Z#1.000000/"), anchors);
  ASSERT_TRUE(panel.has_value());
  EXPECT_EQ(*panel, later);
  // Without a ridge the fit is exact: log 0.9 + log 1.02 per 3x3 convolution.
  const OpShift exact = fit_op_shift(*panel, *canonical, index, 0);
  EXPECT_NEAR(exact.b[0], std::log(0.9), 1e-9);
  EXPECT_NEAR(exact.b[1], std::log(1.02), 1e-9);
  EXPECT_NEAR(exact.b[2], 0, 1e-9);
  const auto three =
      space::Arch::parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|nor_conv_3x3~0|none~1|none~2|");
  EXPECT_NEAR(exact.factor(three), 0.9 * std::pow(1.02, 3), 1e-9);
  // The ridge pulls towards no shift, never past it.
  const OpShift pulled = fit_op_shift(*panel, *canonical, index, 4);
  EXPECT_GT(pulled.factor(three), exact.factor(three));
  EXPECT_LT(pulled.factor(three), 1.0);
  // The first session's panel against itself: no shift.
  EXPECT_DOUBLE_EQ(fit_op_shift(*canonical, *canonical, index, 4).factor(three), 1.0);
  auto short_panel = *panel;
  short_panel.erase(anchors.front());
  EXPECT_THROW((void)fit_op_shift(short_panel, *canonical, index, 4), std::invalid_argument);
}

// Set times of the stand-in's ops (us; the same at every stage), and how much slower a 3x3
// convolution runs in the current session.
struct Costs {
  double base = 150;
  double conv3x3 = 30;
  double conv1x1 = 10;
  double pool = 8;
  double sum = 1;
  std::atomic<double> conv3x3_slowdown{1.0};
};

class Spin final : public Network {
 public:
  Spin(double fixed_us, double conv3x3_us, const Costs* costs)
      : fixed_us_(fixed_us), conv3x3_us_(conv3x3_us), costs_(costs) {}
  std::vector<float> forward(const std::vector<float>& /*input*/) override {
    run();
    return std::vector<float>(10, 0.0F);
  }
  void run() override {
    const double us = fixed_us_ + conv3x3_us_ * costs_->conv3x3_slowdown.load();
    const auto end =
        std::chrono::steady_clock::now() + std::chrono::duration<double, std::micro>(us);
    while (std::chrono::steady_clock::now() < end) {
    }
  }

 private:
  double fixed_us_;
  double conv3x3_us_;
  const Costs* costs_;
};

// Networks whose time is the base plus, for each of 15 cells (5 per stage), its edges' ops and
// one sum per extra input of a node; counted from the architecture's string here.
class OpSumRuntime final : public Runtime {
 public:
  explicit OpSumRuntime(const Costs* costs) : costs_(costs) {}
  std::string name() const override { return "opsum"; }
  std::string version() const override { return "1"; }
  void set_threads(int /*threads*/) const override {}
  std::unique_ptr<Network> build(const NetworkWeights& w) const override {
    double fixed = costs_->base;
    double conv3x3 = 0;
    std::array<int, 4> inputs{};
    for (int e = 0; e < space::kNumEdges; ++e) {
      const space::Op op = w.arch.op(e);
      if (op == space::Op::none) {
        continue;
      }
      ++inputs[static_cast<std::size_t>(space::kEdgeTarget[static_cast<std::size_t>(e)])];
      conv3x3 += op == space::Op::nor_conv_3x3 ? 15 * costs_->conv3x3 : 0;
      fixed += op == space::Op::nor_conv_1x1   ? 15 * costs_->conv1x1
               : op == space::Op::avg_pool_3x3 ? 15 * costs_->pool
                                               : 0;
    }
    for (const int k : inputs) {
      fixed += k > 1 ? 15 * (k - 1) * costs_->sum : 0;
    }
    return std::make_unique<Spin>(fixed, conv3x3, costs_);
  }
  std::unique_ptr<Network> op_chain(LutOp /*op*/, int /*stage*/, int /*copies*/,
                                    std::uint64_t /*seed*/) const override {
    throw std::runtime_error("no per-op table");
  }

 private:
  const Costs* costs_;
};

TEST(LocalBalance, ASessionThatSlowsOneOpGivesTheFirstSessionsRatiosAgain) {
  const auto& index = testing::shipped_catalog().index();
  // No 3x3 convolution (its ratio falls when they slow down: the reference has three) and four.
  const int light = index.index_of(space::Arch::parse(
      "|nor_conv_1x1~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|avg_pool_3x3~1|none~2|"));
  const int heavy = index.index_of(space::Arch::parse(
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"));
  for (const bool balance : {true, false}) {
    SCOPED_TRACE(balance ? "balanced" : "not balanced");
    Costs costs;
    LocalOptions o;
    o.repeats = 9;
    o.warmup = 1;
    o.balance = balance;
    o.reference = kReferenceArchBefore;  // three 3x3 convolutions: the sums below
    o.store = temp(balance ? "on.sqlite" : "off.sqlite");
    o.runtime = std::make_shared<OpSumRuntime>(&costs);
    LocalDevice first(index, o);
    const double light_1 = first.measure(light).timing.ratio;
    const double heavy_1 = first.measure(heavy).timing.ratio;
    // The next session (--fresh: measured again) runs its 3x3 convolutions 1.15x slower.
    costs.conv3x3_slowdown = 1.15;
    o.fresh = true;
    LocalDevice second(index, o);
    const Measurement light_2 = second.measure(light);
    const double heavy_2 = second.measure(heavy).timing.ratio;
    if (balance) {
      EXPECT_NEAR(light_2.timing.ratio / light_1, 1.0, 0.03);
      EXPECT_NEAR(heavy_2 / heavy_1, 1.0, 0.03);
      // By hand: the reference is 180 us plus 1350 us of 3x3 convolutions, 1732.5 us in all when
      // they run 1.15x slower; the light network has none, so its factor is near 1530 / 1732.5.
      EXPECT_NEAR(light_2.takes.at(0).balance, 1530.0 / 1732.5, 0.03);
      EXPECT_NE(second.description().find("op balance: 20 anchor timings"), std::string::npos)
          << second.description();
      EXPECT_NE(second.key().settings.find(";balance=anchors"), std::string::npos);
    } else {
      // Uncorrected, the light network's ratio falls as the reference slows (to 0.883).
      EXPECT_LT(light_2.timing.ratio / light_1, 0.93);
      EXPECT_DOUBLE_EQ(light_2.takes.at(0).balance, 1.0);
      EXPECT_EQ(second.key().settings.find("balance"), std::string::npos);
    }
  }
}

TEST(LocalBalance, TheFitFollowsAStateThatBeginsMidSession) {
  const auto& index = testing::shipped_catalog().index();
  // Two networks without 3x3 convolutions: one measured before the slow state, one after.
  const int before = index.index_of(space::Arch::parse(
      "|nor_conv_1x1~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|avg_pool_3x3~1|none~2|"));
  const int after = index.index_of(space::Arch::parse(
      "|nor_conv_1x1~0|+|avg_pool_3x3~0|skip_connect~1|+|skip_connect~0|avg_pool_3x3~1|"
      "nor_conv_1x1~2|"));
  Costs costs;
  LocalOptions o;
  // The spins are wall-clock: 7 repeats, so that a median stays put while other test binaries
  // share the two cores (with 3, one panel timed under ctest's load was 21% off).
  o.repeats = 7;
  o.warmup = 1;
  o.balance = true;
  o.reference = kReferenceArchBefore;
  o.store = temp("mid.sqlite");
  o.runtime = std::make_shared<OpSumRuntime>(&costs);
  LocalDevice first(index, o);
  (void)first.measure(before);
  // The next session times its whole panel while the machine is as it was, and only then do its
  // 3x3 convolutions slow down: a panel timed once would not see it.
  o.fresh = true;
  LocalDevice second(index, o);
  EXPECT_NEAR(second.measure(before).takes.at(0).balance, 1.0, 0.03);
  costs.conv3x3_slowdown = 1.15;
  // 20 anchors, one every 10 timings: after 200 more every anchor is timed in the slow state.
  for (int i = 0, timed = 0; timed < 200; ++i) {
    if (i != before && i != after) {
      (void)second.measure(i);
      ++timed;
    }
  }
  // As in the test above: near 1530 / 1732.5 for a network without 3x3 convolutions.
  EXPECT_NEAR(second.measure(after).takes.at(0).balance, 1530.0 / 1732.5, 0.03);
  EXPECT_NE(second.description().find("op balance: 40 anchor timings"), std::string::npos)
      << second.description();
}

}  // namespace
}  // namespace maplex::measure
