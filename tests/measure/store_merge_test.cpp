// Merging per-shard stores (maplex merge): every row arrives once, a conflict is settled by the
// stated rule whatever the order of the parts, and a bad part leaves the store untouched. The
// journal follows the filesystem (or $MAPLEX_STORE_JOURNAL), and the fingerprint's scope decides
// whether identical nodes share one identity.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "maplex/core/error.hpp"
#include "maplex/measure/host.hpp"
#include "maplex/measure/store.hpp"
#include "temp_dir.hpp"

namespace maplex::measure {
namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  const auto p = ::maplex::testing::test_temp_dir() /
                 ("maplex_merge_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

StoredTiming timing(const std::string& item, double ratio, double cv, const std::string& at) {
  return {item, ratio, cv, 2 * ratio, cv, 2.0, 15, at, "node"};
}

const StoreKey kKey{"f1", "s1"};

TEST(StoreMerge, AddsEveryRowOnceAndSettlesConflictsByTheRule) {
  const auto dir = fresh_dir("rule");
  {
    Store a(dir / "a.sqlite");
    a.put(kKey, timing("arch:1", 1.0, 0.02, "2026-11-30T10:00:00Z"));
    a.put(kKey, timing("arch:2", 2.0, 0.05, "2026-11-30T10:00:00Z"));  // loses: higher cv
    a.put(kKey, timing("arch:3", 3.0, 0.01, "2026-11-30T12:00:00Z"));  // loses: later, same cv
    a.put_profile("f1", "{\"a\": 1}");
    Store b(dir / "b.sqlite");
    b.put(kKey, timing("arch:2", 2.2, 0.01, "2026-11-30T11:00:00Z"));
    b.put(kKey, timing("arch:3", 3.3, 0.01, "2026-11-30T11:00:00Z"));
    b.put(kKey, timing("arch:4", 4.0, 0.03, "2026-11-30T11:00:00Z"));
    b.put({"f2", "s1"}, timing("arch:1", 9.0, 0.03, "2026-11-30T11:00:00Z"));  // another machine
  }
  for (const bool a_first : {true, false}) {
    const auto out = dir / (a_first ? "ab.sqlite" : "ba.sqlite");
    Store merged(out);
    const std::vector<std::filesystem::path> parts =
        a_first ? std::vector{dir / "a.sqlite", dir / "b.sqlite"}
                : std::vector{dir / "b.sqlite", dir / "a.sqlite"};
    const auto c = merged.merge(parts);
    EXPECT_EQ(c.inserted, 5) << a_first;  // arch 1-4 of f1, arch 1 of f2
    EXPECT_EQ(c.conflicts, 2) << a_first;
    EXPECT_EQ(c.profiles, 1);
    EXPECT_EQ(merged.find(kKey, "arch:1")->ratio, 1.0);
    EXPECT_EQ(merged.find(kKey, "arch:2")->ratio, 2.2);  // the steadier
    EXPECT_EQ(merged.find(kKey, "arch:3")->ratio, 3.3);  // the earlier
    EXPECT_EQ(merged.find(kKey, "arch:4")->ratio, 4.0);
    EXPECT_EQ(merged.find({"f2", "s1"}, "arch:1")->ratio, 9.0);
    EXPECT_EQ(merged.all(kKey).size(), 4U);
    EXPECT_EQ(merged.profile("f1"), std::optional<std::string>("{\"a\": 1}"));
    // The two timings each conflict dropped are in the history, whichever part came first.
    const auto history = merged.replaced(kKey);
    ASSERT_EQ(history.size(), 2U) << a_first;
    EXPECT_EQ(history[0].ratio, 2.0);
    EXPECT_EQ(history[1].ratio, 3.0);
    // Merging the same parts again adds nothing and finds everything held.
    const auto again = merged.merge(parts);
    EXPECT_EQ(again.inserted, 0);
    EXPECT_EQ(again.identical + again.conflicts, 7);
    EXPECT_EQ(again.replaced, 0);
    EXPECT_EQ(merged.replaced(kKey).size(), 2U);
  }
}

// A part's own history (its --fresh sessions' earlier timings) arrives with it.
TEST(StoreMerge, APartsHistoryIsMergedToo) {
  const auto dir = fresh_dir("history");
  {
    Store a(dir / "a.sqlite");
    a.put(kKey, timing("arch:1", 1.0, 0.02, "2026-11-30T10:00:00Z"));
    a.put(kKey, timing("arch:1", 1.1, 0.02, "2026-11-30T11:00:00Z"));  // a --fresh session
  }
  Store merged(dir / "out.sqlite");
  merged.merge({dir / "a.sqlite"});
  EXPECT_EQ(merged.find(kKey, "arch:1")->ratio, 1.1);
  const auto history = merged.replaced(kKey);
  ASSERT_EQ(history.size(), 1U);
  EXPECT_EQ(history[0].ratio, 1.0);
  EXPECT_EQ(history[0].measured_at, "2026-11-30T10:00:00Z");
}

TEST(StoreMerge, ABadPartLeavesTheStoreUntouched) {
  const auto dir = fresh_dir("bad");
  {
    Store a(dir / "a.sqlite");
    a.put(kKey, timing("arch:1", 1.0, 0.02, "2026-11-30T10:00:00Z"));
  }
  std::ofstream(dir / "junk.sqlite") << "not a database, just text that is long enough to matter";
  Store merged(dir / "out.sqlite");
  try {
    merged.merge({dir / "a.sqlite", dir / "junk.sqlite"});
    FAIL() << "a junk part was merged";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("junk.sqlite"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(merged.all(kKey).empty());
  EXPECT_THROW(merged.merge({dir / "missing.sqlite"}), InputError);
}

TEST(StoreJournal, FollowsTheChoiceAndTheEnvironment) {
  const auto dir = fresh_dir("journal");
  EXPECT_EQ(Store(dir / "w.sqlite", Journal::wal).journal_mode(), "wal");
  EXPECT_EQ(Store(dir / "r.sqlite", Journal::rollback).journal_mode(), "delete");
  // The temporary directory is on a local filesystem (tmpfs, overlay or a disk).
  EXPECT_FALSE(on_network_filesystem(dir));
  EXPECT_EQ(Store(dir / "a.sqlite").journal_mode(), "wal");
  ::setenv("MAPLEX_STORE_JOURNAL", "delete", 1);
  EXPECT_EQ(journal_for(dir / "e.sqlite"), Journal::rollback);
  EXPECT_EQ(Store(dir / "e.sqlite").journal_mode(), "delete");
  ::setenv("MAPLEX_STORE_JOURNAL", "sometimes", 1);
  EXPECT_THROW(journal_for(dir / "x.sqlite"), InputError);
  ::unsetenv("MAPLEX_STORE_JOURNAL");
}

TEST(Fingerprint, TheHardwareScopeIgnoresTheHostName) {
  Host a;
  a.hostname = "node001";
  a.cpu_model = "Some CPU";
  a.logical_cpus = 64;
  a.memory_bytes = std::int64_t{256} << 30;
  a.onednn_version = "3.0.0";
  Host b = a;
  b.hostname = "node002";
  EXPECT_NE(device_fingerprint(a, FingerprintScope::host),
            device_fingerprint(b, FingerprintScope::host));
  EXPECT_EQ(device_fingerprint(a, FingerprintScope::hardware),
            device_fingerprint(b, FingerprintScope::hardware));
  EXPECT_NE(device_fingerprint(a, FingerprintScope::hardware),
            device_fingerprint(a, FingerprintScope::host));
  Host c = b;
  c.logical_cpus = 32;  // other hardware: another identity in either scope
  EXPECT_NE(device_fingerprint(b, FingerprintScope::hardware),
            device_fingerprint(c, FingerprintScope::hardware));
  ::setenv("MAPLEX_FINGERPRINT_SCOPE", "hardware", 1);
  EXPECT_EQ(device_fingerprint(a), device_fingerprint(b));
  ::setenv("MAPLEX_FINGERPRINT_SCOPE", "cluster", 1);
  EXPECT_THROW(device_fingerprint(a), InputError);
  ::unsetenv("MAPLEX_FINGERPRINT_SCOPE");
  EXPECT_NE(device_fingerprint(a), device_fingerprint(b));
}

}  // namespace
}  // namespace maplex::measure
