// The measurement store: rows survive reopening, keys keep machines and settings apart, bad files
// are refused with a clear message, and a writer killed mid-sweep loses nothing it committed.
#include "maplex/measure/store.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "maplex/core/error.hpp"

namespace maplex::measure {
namespace {

std::filesystem::path temp(const std::string& name) {
  const auto p = ::maplex::testing::test_temp_dir() /
                 ("maplex_store_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(p);
  std::filesystem::remove(p.string() + "-wal");
  std::filesystem::remove(p.string() + "-shm");
  return p;
}

StoredTiming row(int k) {
  return {"arch:" + std::to_string(k), 1.0 + k / 100.0, 0.01 * k, 2.0 + k, 0.02, 3.5, 15,
          "2026-11-30T10:00:00Z",      "host"};
}

// Rows of the timings table counted with plain SQLite, not through the store.
int count_rows(const std::filesystem::path& db) {
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  int n = -1;
  if (sqlite3_prepare_v2(h, "SELECT count(*) FROM timings", -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    n = sqlite3_column_int(s, 0);
  }
  sqlite3_finalize(s);
  sqlite3_close(h);
  return n;
}

TEST(Store, KeepsRowsAcrossReopeningAndKeysApart) {
  const auto path = temp("a.sqlite");
  const StoreKey a{"machine-a", "threads=1"};
  const StoreKey b{"machine-b", "threads=1"};
  {
    Store s(path);
    s.put(a, row(1));
    s.put(a, row(2));
    s.put(b, row(1));
    s.put_profile("machine-a", "{\"x\": 1}");
  }
  Store s(path);
  const auto r = s.find(a, "arch:2");
  ASSERT_TRUE(r.has_value());
  EXPECT_DOUBLE_EQ(r->ratio, 1.02);
  EXPECT_DOUBLE_EQ(r->target_median_ms, 4.0);
  EXPECT_EQ(r->repeats, 15);
  EXPECT_EQ(r->measured_at, "2026-11-30T10:00:00Z");
  EXPECT_FALSE(s.find(a, "arch:3").has_value());
  EXPECT_FALSE(s.find({"machine-a", "threads=2"}, "arch:1").has_value());
  EXPECT_EQ(s.all(a).size(), 2U);
  EXPECT_EQ(s.all(a, "arch:1").size(), 1U);
  EXPECT_EQ(s.all(b).size(), 1U);
  EXPECT_EQ(s.profile("machine-a").value_or(""), "{\"x\": 1}");
  EXPECT_FALSE(s.profile("machine-b").has_value());
  // Replacing a row keeps one row.
  auto again = row(2);
  again.ratio = 9;
  s.put(a, again);
  EXPECT_EQ(s.all(a).size(), 2U);
  EXPECT_DOUBLE_EQ(s.find(a, "arch:2")->ratio, 9);
  EXPECT_EQ(count_rows(path), 3);
}

TEST(Store, TakesAreTheirOwnRowsAndCombineByGeometricMean) {
  Store s(temp("takes.sqlite"));
  const StoreKey a{"machine-a", "threads=1"};
  StoredTiming first = row(12);
  first.ratio = 1.0;
  first.ratio_cv = 0.01;
  first.reference_median_ms = 3.0;
  StoredTiming second = first;
  second.item = take_item("arch:12", 2);
  second.ratio = 4.0;
  second.ratio_cv = 0.03;
  second.reference_median_ms = 5.0;
  second.measured_at = "2026-11-30T11:00:00Z";
  StoredTiming third = first;
  third.item = take_item("arch:12", 10);  // ordered by number, not as text
  third.ratio = 2.0;
  s.put(a, first);
  s.put(a, third);
  s.put(a, second);
  s.put(a, row(120));  // another architecture whose name starts the same
  EXPECT_EQ(second.item, "arch:12#2");
  EXPECT_EQ(take_item("arch:12", 1), "arch:12");
  auto takes = s.takes(a, "arch:12");
  ASSERT_EQ(takes.size(), 3U);
  EXPECT_EQ(takes[0].item, "arch:12");
  EXPECT_EQ(takes[1].item, "arch:12#2");
  EXPECT_EQ(takes[2].item, "arch:12#10");
  EXPECT_TRUE(s.takes(a, "arch:13").empty());

  // Two takes of equal repeats: sqrt(1 * 4) = 2; the cv pooled from each take's and the logs'
  // spread about their mean (ln 2 either side).
  const StoredTiming both = combine_takes({first, second});
  EXPECT_EQ(both.item, "arch:12");
  EXPECT_NEAR(both.ratio, 2.0, 1e-12);
  EXPECT_NEAR(both.ratio_cv,
              std::sqrt((0.01 * 0.01 + 0.03 * 0.03) / 2 + std::log(2.0) * std::log(2.0)), 1e-12);
  EXPECT_NEAR(both.reference_median_ms, 4.0, 1e-12);
  EXPECT_EQ(both.repeats, 30);
  EXPECT_EQ(both.measured_at, "2026-11-30T11:00:00Z");
  // Weighted by repeats: 10 of ratio 1 and 30 of ratio 4 give 4^(3/4).
  first.repeats = 10;
  second.repeats = 30;
  EXPECT_NEAR(combine_takes({first, second}).ratio, std::pow(4.0, 0.75), 1e-12);
  EXPECT_THROW((void)combine_takes({}), std::invalid_argument);

  // The architecture's latency combines its takes: (1 * 4 * 2)^(1/3) = 2.
  const auto latencies = stored_arch_latencies(s, a, 10.0);
  ASSERT_EQ(latencies.size(), 2U);
  EXPECT_EQ(latencies[0].first, 12);
  EXPECT_NEAR(latencies[0].second, 20.0, 1e-9);
  EXPECT_EQ(latencies[1].first, 120);

  // A new first timing removes the later takes; other items keep theirs.
  s.erase_later_takes(a, "arch:12");
  EXPECT_EQ(s.takes(a, "arch:12").size(), 1U);
  EXPECT_EQ(s.takes(a, "arch:120").size(), 1U);
  // The removed takes are in the history, nothing else is.
  const auto history = s.replaced(a);
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(history[0].item, "arch:12#10");
  EXPECT_DOUBLE_EQ(history[0].ratio, 2.0);
  EXPECT_EQ(history[1].item, "arch:12#2");
  EXPECT_DOUBLE_EQ(history[1].ratio, 4.0);
}

// No timing is ever lost: a replaced row and a removed take move to the store's history, which
// survives reopening; putting the same timing again adds nothing to it.
TEST(Store, AReplacedOrRemovedTimingIsKeptInTheHistory) {
  const auto path = temp("history.sqlite");
  const StoreKey a{"machine-a", "threads=1"};
  {
    Store s(path);
    s.put(a, row(5));
    s.put(a, row(5));  // the same timing again: nothing replaced
    EXPECT_TRUE(s.replaced(a).empty());
    StoredTiming later = row(5);
    later.ratio = 1.5;
    later.measured_at = "2026-11-30T12:00:00Z";
    s.put(a, later);
    StoredTiming take2 = later;
    take2.item = take_item("arch:5", 2);
    s.put(a, take2);
    s.erase_later_takes(a, "arch:5");
  }
  Store s(path);
  EXPECT_DOUBLE_EQ(s.find(a, "arch:5")->ratio, 1.5);
  const auto history = s.replaced(a, "arch:5");
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(history[0].item, "arch:5");
  EXPECT_DOUBLE_EQ(history[0].ratio, row(5).ratio);
  EXPECT_EQ(history[0].measured_at, "2026-11-30T10:00:00Z");
  EXPECT_EQ(history[1].item, "arch:5#2");
  EXPECT_TRUE(s.replaced({"machine-b", "threads=1"}).empty());
  EXPECT_EQ(count_rows(path), 1);
}

TEST(Store, ATakeWithTheOldRatioInTheSameSecondStillKeepsTheOld) {
  // A spinning stand-in can time a take again to the same ratio, to the bit, within one second;
  // its spread differs, so the old take is a measurement of its own and goes to the history.
  Store s(temp("same_ratio.sqlite"));
  const StoreKey a{"m", "s"};
  s.put(a, row(5));
  StoredTiming again = row(5);
  again.ratio_cv = 0.3;
  s.put(a, again);
  const auto history = s.replaced(a, "arch:5");
  ASSERT_EQ(history.size(), 1U);
  EXPECT_DOUBLE_EQ(history[0].ratio_cv, row(5).ratio_cv);
  EXPECT_DOUBLE_EQ(s.find(a, "arch:5")->ratio_cv, 0.3);
}

TEST(Store, AnOlderStoresHistoryIsMovedOverWhole) {
  // A store whose history told rows apart by item, time and ratio only, made with plain SQLite.
  const auto path = temp("old_history.sqlite");
  {
    Store s(path);
    s.put({"m", "s"}, row(7));
  }
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &h), SQLITE_OK);
  const char* old_schema =
      "DROP TRIGGER timings_keep_replaced_v2; DROP TABLE replaced_timings;"
      "CREATE TABLE replaced_timings(fingerprint TEXT NOT NULL, settings TEXT NOT NULL, item "
      "TEXT NOT NULL, ratio REAL NOT NULL, ratio_cv REAL NOT NULL, target_median_ms REAL NOT "
      "NULL, target_cv REAL NOT NULL, reference_median_ms REAL NOT NULL, repeats INTEGER NOT "
      "NULL, measured_at TEXT NOT NULL, host TEXT NOT NULL, balance REAL NOT NULL DEFAULT 1, "
      "replaced_at TEXT NOT NULL, PRIMARY KEY(fingerprint, settings, item, measured_at, ratio));"
      "CREATE TRIGGER timings_keep_replaced BEFORE INSERT ON timings BEGIN SELECT 1; END;"
      "INSERT INTO replaced_timings VALUES('m', 's', 'arch:7', 0.25, 0.01, 1, 0.01, 4, 15, "
      "'2026-01-01T00:00:00Z', 'h', 1, '2026-01-02T00:00:00Z');";
  ASSERT_EQ(sqlite3_exec(h, old_schema, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
  Store s(path);
  StoredTiming again = row(7);
  again.ratio_cv = 0.3;
  s.put({"m", "s"}, again);
  const auto history = s.replaced({"m", "s"}, "arch:7");
  ASSERT_EQ(history.size(), 2U);
  EXPECT_DOUBLE_EQ(history[0].ratio, 0.25);  // the older store's row, first by time replaced
  EXPECT_DOUBLE_EQ(history[1].ratio_cv, row(7).ratio_cv);
  Store reopened(path);  // the move happens once
  EXPECT_EQ(reopened.replaced({"m", "s"}, "arch:7").size(), 2U);
}

TEST(Store, APrefixFindsExactlyTheRowsThatStartWithIt) {
  Store s(temp("prefix.sqlite"));
  const StoreKey a{"m", "s"};
  const std::string ff = "x\xff";
  const std::string ff_ff_1 = ff + "\xff" + "1";
  for (const std::string& item : std::vector<std::string>{
           "arch:1", "arch:1#2", "arch:10", "arch:2", "archive", "op:conv:0", ff, ff_ff_1, "y"}) {
    StoredTiming t = row(1);
    t.item = item;
    s.put(a, t);
  }
  const auto items = [&](const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& r : s.all(a, prefix)) {
      out.push_back(r.item);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(items("arch:"), (V{"arch:1", "arch:1#2", "arch:10", "arch:2"}));
  EXPECT_EQ(items("arch:1"), (V{"arch:1", "arch:1#2", "arch:10"}));
  EXPECT_EQ(items("arch:1#"), (V{"arch:1#2"}));
  EXPECT_EQ(items(ff),
            (V{ff, ff_ff_1}));  // a prefix ending in 0xff: no end, rows after it kept out
  EXPECT_EQ(items("").size(), 9U);
  s.erase_later_takes(a, "arch:1");
  EXPECT_EQ(items("arch:1"), (V{"arch:1", "arch:10"}));
}

TEST(Store, RefusesAFileThatIsNotAStore) {
  const auto path = temp("junk.sqlite");
  std::ofstream(path) << "this is not a database, just text that is long enough to be read\n";
  try {
    Store s(path);
    FAIL() << "a text file was opened as a store";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
  try {
    Store s("/proc/no/such/dir/x.sqlite");
    FAIL() << "an unwritable path was opened";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/no/such/dir/x.sqlite"), std::string::npos);
  }
}

TEST(Store, AKilledWriterLosesNothingItCommitted) {
  const auto path = temp("kill.sqlite");
  { Store init(path); }
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    Store s(path);
    for (int k = 0;; ++k) {  // writes until killed
      s.put({"m", "s"}, row(k));
      ::usleep(1000);
    }
  }
  for (int waited = 0; waited < 20000 && count_rows(path) < 50; waited += 5) {
    ::usleep(5000);
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  const int n = count_rows(path);
  ASSERT_GE(n, 50);
  // Every row the writer committed is there, whole, with the values it wrote, and nothing else.
  Store s(path);
  const auto rows = s.all({"m", "s"});
  ASSERT_EQ(static_cast<int>(rows.size()), n);
  for (int k = 0; k < n; ++k) {
    const auto r = s.find({"m", "s"}, "arch:" + std::to_string(k));
    ASSERT_TRUE(r.has_value()) << k;
    EXPECT_DOUBLE_EQ(r->ratio, 1.0 + k / 100.0);
    EXPECT_DOUBLE_EQ(r->target_median_ms, 2.0 + k);
  }
}

}  // namespace
}  // namespace maplex::measure
