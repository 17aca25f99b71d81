#pragma once
// Where every measurement is kept: an SQLite database (WAL on local disks, see Journal), one row
// per (device fingerprint, engine settings, item), written and committed as soon as the measurement
// completes, so a sweep killed at any point keeps everything it finished and a restart does not
// redo it.
//
// An item is what was timed: "arch:<NB201 index>" for a network (its later takes, when a sweep
// times it in rounds, "arch:<NB201 index>#<k>"), "op:<op>:<stage>" for a per-op
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
  // The op balance the timing was corrected for (LocalDevice, balance.hpp): `ratio` is the timed
  // median ratio divided by it, so the timed one is ratio x balance. 1 = not corrected.
  double balance = 1;
};

// How the store journals its writes. WAL needs shared memory between the processes that open the
// file, which the network filesystems clusters put home directories on (NFS, Lustre, GPFS, SMB,
// BeeGFS, Ceph, FUSE mounts) do not give: there the rollback journal with SQLite's file locks is
// used. `automatic` picks by the filesystem of the store's directory, unless $MAPLEX_STORE_JOURNAL
// says wal or delete.
enum class Journal { automatic, wal, rollback };

// Whether `dir` (an existing directory) lies on a network or FUSE filesystem (statfs magic).
bool on_network_filesystem(const std::filesystem::path& dir);
// The journal `automatic` resolves to for a store at `path` (never automatic).
Journal journal_for(const std::filesystem::path& path);

// What merging stores did (Store::merge).
struct StoreMergeCounts {
  int inserted = 0;   // rows the store did not have
  int identical = 0;  // rows it had with the same values
  int conflicts = 0;  // rows it had with other values (resolved by the rule of Store::merge)
  int replaced = 0;   // conflicts where the part's row won
  int profiles = 0;   // hardware profiles added
};

class Store {
 public:
  // Opens or creates the database (and its directory). Throws InputError naming the path when it
  // cannot be opened, is not a maplex store, or has another schema version.
  explicit Store(const std::filesystem::path& path, Journal journal = Journal::automatic);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  std::optional<StoredTiming> find(const StoreKey& key, const std::string& item) const;
  // Every take of `item` (take_item): its own row first, then "<item>#2", "<item>#3", ... in
  // order; empty when the item has no row.
  std::vector<StoredTiming> takes(const StoreKey& key, const std::string& item) const;
  // Removes the takes of `item` after the first (a new first timing starts a new measurement).
  // Nothing is lost: they, like every row put() replaces, move to the store's history.
  void erase_later_takes(const StoreKey& key, const std::string& item);
  // The history of `key`: every row replaced or removed (replaced_timings), items starting with
  // `prefix`, by item, then in the order they left.
  std::vector<StoredTiming> replaced(const StoreKey& key, const std::string& prefix = "") const;
  // Every row of `key` whose item starts with `prefix`, in item order.
  std::vector<StoredTiming> all(const StoreKey& key, const std::string& prefix = "") const;
  // Inserts or replaces the row (the row it replaces goes to the history) and commits it before
  // returning.
  void put(const StoreKey& key, const StoredTiming& row);

  std::optional<std::string> profile(const std::string& fingerprint) const;
  void put_profile(const std::string& fingerprint, const std::string& json);

  const std::filesystem::path& path() const { return path_; }
  // "wal" or "delete" (the rollback journal), as SQLite reports it.
  const std::string& journal_mode() const { return journal_mode_; }

  // Adds every row of the stores at `parts` (per-shard stores) in one transaction. A row already
  // held with other values is a conflict, resolved by one rule: the steadier measurement (the
  // lower ratio_cv) wins, on a tie the earlier measured_at, then the one already held; the other
  // goes to the history, and so does every row of the parts' histories. Profiles
  // the store lacks are added. Throws InputError naming a part that is not a maplex store (and
  // then adds nothing).
  StoreMergeCounts merge(const std::vector<std::filesystem::path>& parts);

 private:
  struct Impl;
  std::filesystem::path path_;
  std::string journal_mode_;
  std::unique_ptr<Impl> impl_;
};

// A measurement may be several timings of one item taken apart in time (a sweep's rounds,
// sweep.hpp), each its own row: the first under the item's name, the k-th (k >= 2) under
// "<item>#<k>".
std::string take_item(const std::string& item, int take);
// The takes as one timing named after the first: the ratio and the target's time the geometric
// means of the takes' (weighted by their repeats), the cvs pooled over every pair (within and
// between takes), the reference's time the mean, the balance the weighted geometric mean, the
// repeats summed, the latest time. Throws std::invalid_argument for no takes.
StoredTiming combine_takes(const std::vector<StoredTiming>& takes);

// Every architecture ("arch:<index>", its takes combined) of `key`: (NB201 index, ratio x scale)
// by index.
std::vector<std::pair<int, double>> stored_arch_latencies(const Store& store, const StoreKey& key,
                                                          double scale);

// $MAPLEX_STORE, else $XDG_CACHE_HOME/maplex/measurements.sqlite, else
// ~/.cache/maplex/measurements.sqlite.
std::filesystem::path default_store_path();

}  // namespace maplex::measure
