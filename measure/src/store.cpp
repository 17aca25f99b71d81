#include "maplex/measure/store.hpp"

#include <algorithm>

#include <sqlite3.h>

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
  measured_at TEXT NOT NULL, host TEXT NOT NULL,
  PRIMARY KEY(fingerprint, settings, item));
CREATE TABLE IF NOT EXISTS profiles(
  fingerprint TEXT PRIMARY KEY, json TEXT NOT NULL);
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
    sqlite3_bind_text(stmt_, k, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind(int k, double v) { sqlite3_bind_double(stmt_, k, v); }
  void bind(int k, int v) { sqlite3_bind_int(stmt_, k, v); }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int step() { return sqlite3_step(stmt_); }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  int integer(int col) const { return sqlite3_column_int(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* kColumns =
    "item, ratio, ratio_cv, target_median_ms, target_cv, reference_median_ms, repeats, "
    "measured_at, host";

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
  return t;
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

Store::Store(const std::filesystem::path& path) : path_(path), impl_(std::make_unique<Impl>()) {
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
  sqlite3_busy_timeout(impl_->db, 10000);
  char* err = nullptr;
  // WAL: a writer killed mid-transaction leaves every committed row intact; NORMAL
  // synchronisation loses nothing on a process kill (only on power loss, the last commits).
  const std::string setup = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;") +
                            kSchema +
                            "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '" +
                            std::to_string(kStoreSchemaVersion) + "');";
  if (sqlite3_exec(impl_->db, setup.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err == nullptr ? "unknown error" : err;
    sqlite3_free(err);
    throw InputError(where + ": " + msg + ", expected a maplex measurement store");
  }
  Statement s(impl_->db, "SELECT value FROM meta WHERE key = 'schema_version'", path_);
  if (s.step() != SQLITE_ROW || s.text(0) != std::to_string(kStoreSchemaVersion)) {
    throw InputError(where + " has schema version " + quote(s.text(0)) + ", expected " +
                     std::to_string(kStoreSchemaVersion));
  }
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

std::vector<StoredTiming> Store::all(const StoreKey& key, const std::string& prefix) const {
  Statement s(impl_->db,
              (std::string("SELECT ") + kColumns +
               " FROM timings WHERE fingerprint = ?1 AND settings = ?2 AND substr(item, 1, ?4) = "
               "?3 ORDER BY item")
                  .c_str(),
              path_);
  s.bind(1, key.fingerprint);
  s.bind(2, key.settings);
  s.bind(3, prefix);
  s.bind(4, static_cast<int>(prefix.size()));
  std::vector<StoredTiming> out;
  while (s.step() == SQLITE_ROW) {
    out.push_back(row_of(s));
  }
  return out;
}

void Store::put(const StoreKey& key, const StoredTiming& row) {
  Statement s(impl_->db,
              "INSERT OR REPLACE INTO timings(fingerprint, settings, item, ratio, ratio_cv, "
              "target_median_ms, target_cv, reference_median_ms, repeats, measured_at, host) "
              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
              path_);
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

std::vector<std::pair<int, double>> stored_arch_latencies(const Store& store, const StoreKey& key,
                                                          double scale) {
  std::vector<std::pair<int, double>> out;
  for (const auto& row : store.all(key, "arch:")) {
    out.emplace_back(std::stoi(row.item.substr(5)), row.ratio * scale);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace maplex::measure
