#include "maplex/measure/store.hpp"

#include <sqlite3.h>
#include <sys/vfs.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include <cstdlib>
#include <string>

#include "maplex/core/error.hpp"

namespace maplex::measure {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS timings(
  fingerprint TEXT NOT NULL, settings TEXT NOT NULL, item TEXT NOT NULL,
  ratio REAL NOT NULL, ratio_cv REAL NOT NULL, target_median_ms REAL NOT NULL,
  target_cv REAL NOT NULL, reference_median_ms REAL NOT NULL, repeats INTEGER NOT NULL,
  measured_at TEXT NOT NULL, host TEXT NOT NULL, balance REAL NOT NULL DEFAULT 1,
  PRIMARY KEY(fingerprint, settings, item));
CREATE TABLE IF NOT EXISTS profiles(
  fingerprint TEXT PRIMARY KEY, json TEXT NOT NULL);
)sql";

// No timing is lost: a row replaced (a measurement timed again under --fresh, a disturbed take
// timed again, a merge conflict) or deleted (the later takes of a measurement started anew) is
// first copied here with the time it left. Created after the balance column exists; triggers, so
// every writer of the store keeps them (a REPLACE's implicit delete fires no delete trigger, so a
// row is copied once). A row is the same timing only when every field is the same: a spinning
// stand-in can give a new take the old one's ratio, to the bit, within the same second.
constexpr const char* kHistoryTable = R"sql(
CREATE TABLE IF NOT EXISTS replaced_timings(
  fingerprint TEXT NOT NULL, settings TEXT NOT NULL, item TEXT NOT NULL,
  ratio REAL NOT NULL, ratio_cv REAL NOT NULL, target_median_ms REAL NOT NULL,
  target_cv REAL NOT NULL, reference_median_ms REAL NOT NULL, repeats INTEGER NOT NULL,
  measured_at TEXT NOT NULL, host TEXT NOT NULL, balance REAL NOT NULL DEFAULT 1,
  replaced_at TEXT NOT NULL,
  PRIMARY KEY(fingerprint, settings, item, measured_at, ratio, ratio_cv, target_median_ms,
              target_cv, reference_median_ms, repeats, host, balance));
)sql";

constexpr const char* kHistoryTriggers = R"sql(
CREATE TRIGGER IF NOT EXISTS timings_keep_replaced_v2 BEFORE INSERT ON timings BEGIN
  INSERT OR IGNORE INTO replaced_timings
    SELECT fingerprint, settings, item, ratio, ratio_cv, target_median_ms, target_cv,
           reference_median_ms, repeats, measured_at, host, balance,
           strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM timings WHERE fingerprint = NEW.fingerprint AND settings = NEW.settings
      AND item = NEW.item AND NOT (ratio IS NEW.ratio AND ratio_cv IS NEW.ratio_cv
        AND target_median_ms IS NEW.target_median_ms AND target_cv IS NEW.target_cv
        AND reference_median_ms IS NEW.reference_median_ms AND repeats IS NEW.repeats
        AND measured_at IS NEW.measured_at AND host IS NEW.host AND balance IS NEW.balance);
END;
CREATE TRIGGER IF NOT EXISTS timings_keep_deleted BEFORE DELETE ON timings BEGIN
  INSERT OR IGNORE INTO replaced_timings VALUES(OLD.fingerprint, OLD.settings, OLD.item,
    OLD.ratio, OLD.ratio_cv, OLD.target_median_ms, OLD.target_cv, OLD.reference_median_ms,
    OLD.repeats, OLD.measured_at, OLD.host, OLD.balance, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
)sql";

// A history written before its rows were told apart by every field (key: item, time, ratio; the
// trigger timings_keep_replaced): moved into the table above in one transaction, rows and all.
constexpr const char* kHistoryUpgrade = R"sql(
BEGIN IMMEDIATE;
DROP TRIGGER IF EXISTS timings_keep_replaced;
DROP TRIGGER IF EXISTS timings_keep_deleted;
ALTER TABLE replaced_timings RENAME TO replaced_timings_v1;
)sql";

// A prepared statement, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::filesystem::path& path) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw InputError("measurement store " + quote(path.string()) + ": " + sqlite3_errmsg(db) +
                       ", expected a maplex store");
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&&) = delete;
  Statement& operator=(Statement&&) = delete;

  void bind(int k, const std::string& v) {
    check(sqlite3_bind_text(stmt_, k, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT), k);
  }
  void bind(int k, double v) { check(sqlite3_bind_double(stmt_, k, v), k); }
  void bind(int k, int v) { check(sqlite3_bind_int(stmt_, k, v), k); }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int step() { return sqlite3_step(stmt_); }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  int integer(int col) const { return sqlite3_column_int(stmt_, col); }

 private:
  void check(int rc, int k) const {
    if (rc != SQLITE_OK) {
      throw InputError(std::string("measurement store: cannot bind parameter ") +
                       std::to_string(k) + " (" + sqlite3_errstr(rc) +
                       "), expected a value SQLite accepts");
    }
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const std::string& sql, const std::string& where) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err == nullptr ? "unknown error" : err;
    sqlite3_free(err);
    throw InputError(where + ": " + msg + ", expected a maplex measurement store");
  }
}

std::string journal_name(Journal j) { return j == Journal::wal ? "wal" : "delete"; }

constexpr const char* kColumns =
    "item, ratio, ratio_cv, target_median_ms, target_cv, reference_median_ms, repeats, "
    "measured_at, host, balance";
// The same from a store written before the balance column (a timing without a balance factor).
constexpr const char* kColumnsWithoutBalance =
    "item, ratio, ratio_cv, target_median_ms, target_cv, reference_median_ms, repeats, "
    "measured_at, host, 1.0";

StoredTiming row_of(const Statement& s) {
  StoredTiming t;
  t.item = s.text(0);
  t.ratio = s.real(1);
  t.ratio_cv = s.real(2);
  t.target_median_ms = s.real(3);
  t.target_cv = s.real(4);
  t.reference_median_ms = s.real(5);
  t.repeats = s.integer(6);
  t.measured_at = s.text(7);
  t.host = s.text(8);
  t.balance = s.real(9);
  return t;
}

// Binds ?1-?12 to the key and the row, in the timings table's column order.
void bind_row(Statement& s, const StoreKey& key, const StoredTiming& row) {
  s.bind(1, key.fingerprint);
  s.bind(2, key.settings);
  s.bind(3, row.item);
  s.bind(4, row.ratio);
  s.bind(5, row.ratio_cv);
  s.bind(6, row.target_median_ms);
  s.bind(7, row.target_cv);
  s.bind(8, row.reference_median_ms);
  s.bind(9, row.repeats);
  s.bind(10, row.measured_at);
  s.bind(11, row.host);
  s.bind(12, row.balance);
}

// Whether the timings table of `db` has the balance column (stores written before it lack it).
bool has_balance_column(sqlite3* db, const std::filesystem::path& path) {
  Statement s(db, "SELECT name FROM pragma_table_info('timings')", path);
  while (s.step() == SQLITE_ROW) {
    if (s.text(0) == "balance") {
      return true;
    }
  }
  return false;
}

// The history table and its triggers, the history of an older store moved over first.
void keep_history(sqlite3* db, const std::filesystem::path& path) {
  const std::string where = "measurement store " + quote(path.string());
  bool old_history = false;
  {
    Statement s(db,
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = "
                "'timings_keep_replaced'",
                path);
    old_history = s.step() == SQLITE_ROW;
  }
  if (!old_history) {
    exec(db, std::string(kHistoryTable) + kHistoryTriggers, where);
    return;
  }
  exec(db,
       std::string(kHistoryUpgrade) + kHistoryTable + kHistoryTriggers +
           "INSERT OR IGNORE INTO replaced_timings SELECT * FROM replaced_timings_v1;"
           "DROP TABLE replaced_timings_v1; COMMIT;",
       where);
}

}  // namespace

struct Store::Impl {
  sqlite3* db = nullptr;
  ~Impl() { sqlite3_close(db); }
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  Impl(Impl&&) = delete;
  Impl& operator=(Impl&&) = delete;
};

bool on_network_filesystem(const std::filesystem::path& dir) {
  struct statfs fs {};
  if (::statfs(dir.c_str(), &fs) != 0) {
    return false;
  }
  // NFS, SMB, CIFS, SMB2, Lustre, GPFS, BeeGFS, Ceph, FUSE (sshfs, many parallel filesystems),
  // AFS, 9p
  constexpr std::array<std::uint32_t, 11> kNetwork = {
      0x6969U,     0x517BU,     0xFF534D42U, 0xFE534D42U, 0x0BD00BD0U, 0x47504653U,
      0x19830326U, 0x00C36400U, 0x65735546U, 0x5346414FU, 0x01021997U};
  const auto magic = static_cast<std::uint32_t>(fs.f_type);
  return std::find(kNetwork.begin(), kNetwork.end(), magic) != kNetwork.end();
}

Journal journal_for(const std::filesystem::path& path) {
  if (const char* env = std::getenv("MAPLEX_STORE_JOURNAL"); env != nullptr && *env != '\0') {
    const std::string v = env;
    if (v == "wal") {
      return Journal::wal;
    }
    if (v == "delete") {
      return Journal::rollback;
    }
    if (v != "auto") {
      throw InputError("$MAPLEX_STORE_JOURNAL is " + quote(v) + ", expected wal, delete or auto");
    }
  }
  std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  return on_network_filesystem(dir) ? Journal::rollback : Journal::wal;
}

Store::Store(const std::filesystem::path& path, Journal journal)
    : path_(path), impl_(std::make_unique<Impl>()) {
  const std::string where = "measurement store " + quote(path.string());
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  if (sqlite3_open_v2(path.c_str(), &impl_->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    throw InputError(where + " cannot be opened (" + sqlite3_errmsg(impl_->db) +
                     "), expected a writable file");
  }
  sqlite3_busy_timeout(impl_->db, 60000);
  if (journal == Journal::automatic) {
    journal = journal_for(path);
  }
  // Either journal keeps every committed row when a writer is killed mid-transaction. WAL:
  // NORMAL synchronisation loses nothing on a process kill (only on power loss, the last
  // commits); the rollback journal (network filesystems) synchronises fully.
  exec(impl_->db,
       journal == Journal::wal ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                               : "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;",
       where);
  {
    Statement mode(impl_->db, "PRAGMA journal_mode", path_);
    journal_mode_ = mode.step() == SQLITE_ROW ? mode.text(0) : journal_name(journal);
  }
  exec(impl_->db,
       std::string(kSchema) + "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '" +
           std::to_string(kStoreSchemaVersion) + "');",
       where);
  {
    Statement s(impl_->db, "SELECT value FROM meta WHERE key = 'schema_version'", path_);
    if (s.step() != SQLITE_ROW || s.text(0) != std::to_string(kStoreSchemaVersion)) {
      throw InputError(where + " has schema version " + quote(s.text(0)) + ", expected " +
                       std::to_string(kStoreSchemaVersion));
    }
  }
  if (!has_balance_column(impl_->db, path_)) {
    // A store of the same schema written before timings carried their op balance: every row it
    // holds was taken without one (1).
    exec(impl_->db, "ALTER TABLE timings ADD COLUMN balance REAL NOT NULL DEFAULT 1", where);
  }
  keep_history(impl_->db, path_);
}

Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

std::optional<StoredTiming> Store::find(const StoreKey& key, const std::string& item) const {
  Statement s(impl_->db,
              (std::string("SELECT ") + kColumns +
               " FROM timings WHERE fingerprint = ?1 AND settings = ?2 AND item = ?3")
                  .c_str(),
              path_);
  s.bind(1, key.fingerprint);
  s.bind(2, key.settings);
  s.bind(3, item);
  if (s.step() != SQLITE_ROW) {
    return std::nullopt;
  }
  return row_of(s);
}

namespace {

// The first string after every string that starts with `prefix` (in SQLite's binary order): the
// prefix with its last byte below 0xff raised by one; empty when there is none (every byte 0xff).
// `item >= prefix AND item < end` finds the prefix's rows through the primary key's index, where
// substr() would read every row of the key.
std::string prefix_end(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) {
    prefix.pop_back();
  }
  if (!prefix.empty()) {
    prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  }
  return prefix;
}

// " AND item >= ?3 AND item < ?4" for a prefix with an end, " AND item >= ?3" otherwise.
std::string prefix_condition(const std::string& prefix) {
  return prefix_end(prefix).empty() ? " AND item >= ?3" : " AND item >= ?3 AND item < ?4";
}

}  // namespace

namespace {

// The rows of `table` under `key` whose item starts with `prefix`, ordered by `order`.
std::vector<StoredTiming> rows_with_prefix(sqlite3* db, const std::filesystem::path& path,
                                           const char* table, const StoreKey& key,
                                           const std::string& prefix, const char* order) {
  Statement s(db,
              (std::string("SELECT ") + kColumns + " FROM " + table +
               " WHERE fingerprint = ?1 AND settings = ?2" + prefix_condition(prefix) +
               " ORDER BY " + order)
                  .c_str(),
              path);
  s.bind(1, key.fingerprint);
  s.bind(2, key.settings);
  s.bind(3, prefix);
  if (const std::string end = prefix_end(prefix); !end.empty()) {
    s.bind(4, end);
  }
  std::vector<StoredTiming> out;
  while (s.step() == SQLITE_ROW) {
    out.push_back(row_of(s));
  }
  return out;
}

}  // namespace

std::vector<StoredTiming> Store::all(const StoreKey& key, const std::string& prefix) const {
  return rows_with_prefix(impl_->db, path_, "timings", key, prefix, "item");
}

std::vector<StoredTiming> Store::takes(const StoreKey& key, const std::string& item) const {
  auto first = find(key, item);
  if (!first) {
    return {};
  }
  std::vector<std::pair<int, StoredTiming>> later;
  const std::string prefix = item + "#";
  for (auto& row : all(key, prefix)) {
    const std::string k = row.item.substr(prefix.size());
    if (!k.empty() &&
        std::all_of(k.begin(), k.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      later.emplace_back(std::stoi(k), std::move(row));
    }
  }
  std::sort(later.begin(), later.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<StoredTiming> out{std::move(*first)};
  for (auto& [k, row] : later) {
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<StoredTiming> Store::replaced(const StoreKey& key, const std::string& prefix) const {
  return rows_with_prefix(impl_->db, path_, "replaced_timings", key, prefix,
                          "item, replaced_at, measured_at");
}

void Store::erase_later_takes(const StoreKey& key, const std::string& item) {
  const std::string prefix = item + "#";
  Statement s(
      impl_->db,
      ("DELETE FROM timings WHERE fingerprint = ?1 AND settings = ?2" + prefix_condition(prefix))
          .c_str(),
      path_);
  s.bind(1, key.fingerprint);
  s.bind(2, key.settings);
  s.bind(3, prefix);
  s.bind(4, prefix_end(prefix));
  if (s.step() != SQLITE_DONE) {
    throw InputError("measurement store " + quote(path_.string()) +
                     ": cannot remove the takes of " + quote(item) + " (" +
                     sqlite3_errmsg(impl_->db) + "), expected a writable store");
  }
}

void Store::put(const StoreKey& key, const StoredTiming& row) {
  Statement s(impl_->db,
              "INSERT OR REPLACE INTO timings(fingerprint, settings, item, ratio, ratio_cv, "
              "target_median_ms, target_cv, reference_median_ms, repeats, measured_at, host, "
              "balance) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
              path_);
  bind_row(s, key, row);
  if (s.step() != SQLITE_DONE) {
    throw InputError("measurement store " + quote(path_.string()) + ": cannot write " +
                     quote(row.item) + " (" + sqlite3_errmsg(impl_->db) +
                     "), expected a writable store");
  }
}

std::optional<std::string> Store::profile(const std::string& fingerprint) const {
  Statement s(impl_->db, "SELECT json FROM profiles WHERE fingerprint = ?1", path_);
  s.bind(1, fingerprint);
  if (s.step() != SQLITE_ROW) {
    return std::nullopt;
  }
  return s.text(0);
}

void Store::put_profile(const std::string& fingerprint, const std::string& json) {
  Statement s(impl_->db, "INSERT OR REPLACE INTO profiles(fingerprint, json) VALUES(?1, ?2)",
              path_);
  s.bind(1, fingerprint);
  s.bind(2, json);
  if (s.step() != SQLITE_DONE) {
    throw InputError("measurement store " + quote(path_.string()) + ": cannot write the profile (" +
                     sqlite3_errmsg(impl_->db) + "), expected a writable store");
  }
}

namespace {

struct PartRow {
  StoreKey key;
  StoredTiming timing;
};

struct PartContents {
  std::vector<PartRow> rows;
  std::vector<PartRow> replaced;  // its history (replaced_timings), when it has one
  std::vector<std::pair<std::string, std::string>> profiles;
};

bool has_history_table(sqlite3* db, const std::filesystem::path& path) {
  Statement s(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'replaced_timings'",
              path);
  return s.step() == SQLITE_ROW;
}

// Copies `row` into the history of the store `db` (kept when a merge conflict drops it).
void keep_replaced(sqlite3* db, const std::filesystem::path& path, const StoreKey& key,
                   const StoredTiming& row) {
  Statement s(db,
              "INSERT OR IGNORE INTO replaced_timings VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
              "?10, ?11, ?12, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
              path);
  bind_row(s, key, row);
  if (s.step() != SQLITE_DONE) {
    throw InputError("measurement store " + quote(path.string()) + ": cannot keep " +
                     quote(row.item) + " in its history (" + sqlite3_errmsg(db) +
                     "), expected a writable store");
  }
}

// Every row and profile of the store at `path`, read through its own read-only connection.
PartContents read_part(const std::filesystem::path& path) {
  const std::string where = "part " + quote(path.string());
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  const std::unique_ptr<sqlite3, int (*)(sqlite3*)> close(db, sqlite3_close);
  if (rc != SQLITE_OK) {
    throw InputError(where + " cannot be opened (" + sqlite3_errmsg(db) +
                     "), expected a maplex measurement store");
  }
  PartContents out;
  Statement meta(db, "SELECT value FROM meta WHERE key = 'schema_version'", path);
  if (meta.step() != SQLITE_ROW || meta.text(0) != std::to_string(kStoreSchemaVersion)) {
    throw InputError(where + " has schema version " + quote(meta.text(0)) + ", expected " +
                     std::to_string(kStoreSchemaVersion));
  }
  // Every row of `table` (its columns `columns`) with its key, in `order`.
  const auto part_rows = [&](const char* columns, const char* table, const char* order) {
    Statement s(db,
                (std::string("SELECT ") + columns + ", fingerprint, settings FROM " + table +
                 " ORDER BY " + order)
                    .c_str(),
                path);
    std::vector<PartRow> rows;
    while (s.step() == SQLITE_ROW) {
      rows.push_back({{s.text(10), s.text(11)}, row_of(s)});
    }
    return rows;
  };
  out.rows = part_rows(has_balance_column(db, path) ? kColumns : kColumnsWithoutBalance, "timings",
                       "fingerprint, settings, item");
  if (has_history_table(db, path)) {
    out.replaced = part_rows(kColumns, "replaced_timings", "rowid");
  }
  Statement profiles(db, "SELECT fingerprint, json FROM profiles ORDER BY fingerprint", path);
  while (profiles.step() == SQLITE_ROW) {
    out.profiles.emplace_back(profiles.text(0), profiles.text(1));
  }
  return out;
}

bool same_values(const StoredTiming& a, const StoredTiming& b) {
  return a.ratio == b.ratio && a.ratio_cv == b.ratio_cv &&
         a.target_median_ms == b.target_median_ms && a.target_cv == b.target_cv &&
         a.reference_median_ms == b.reference_median_ms && a.repeats == b.repeats &&
         a.measured_at == b.measured_at && a.host == b.host && a.balance == b.balance;
}

// The merge rule: the steadier measurement, then the earlier one, then the one held.
bool part_wins(const StoredTiming& part, const StoredTiming& held) {
  return part.ratio_cv < held.ratio_cv ||
         (part.ratio_cv == held.ratio_cv && part.measured_at < held.measured_at);
}

}  // namespace

StoreMergeCounts Store::merge(const std::vector<std::filesystem::path>& parts) {
  std::vector<PartContents> contents;
  contents.reserve(parts.size());
  for (const auto& p : parts) {
    contents.push_back(read_part(p));  // every part is read before anything is written
  }
  const std::string where = "measurement store " + quote(path_.string());
  StoreMergeCounts counts;
  exec(impl_->db, "BEGIN IMMEDIATE", where);
  try {
    for (const auto& part : contents) {
      for (const auto& [key, row] : part.rows) {
        const auto held = find(key, row.item);
        if (!held) {
          ++counts.inserted;
        } else if (same_values(*held, row)) {
          ++counts.identical;
          continue;
        } else {
          ++counts.conflicts;
          if (!part_wins(row, *held)) {
            keep_replaced(impl_->db, path_, key, row);  // the held row stays; the part's is kept
            continue;
          }
          ++counts.replaced;
        }
        put(key, row);
      }
      for (const auto& [key, row] : part.replaced) {
        keep_replaced(impl_->db, path_, key, row);
      }
      for (const auto& [fingerprint, json] : part.profiles) {
        if (!profile(fingerprint)) {
          put_profile(fingerprint, json);
          ++counts.profiles;
        }
      }
    }
    exec(impl_->db, "COMMIT", where);
  } catch (...) {
    sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return counts;
}

std::filesystem::path default_store_path() {
  if (const char* p = std::getenv("MAPLEX_STORE"); p != nullptr && *p != '\0') {
    return p;
  }
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    return std::filesystem::path(x) / "maplex" / "measurements.sqlite";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr && *home != '\0' ? home : ".") / ".cache" /
         "maplex" / "measurements.sqlite";
}

}  // namespace maplex::measure
