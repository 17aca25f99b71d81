// A measurement store file from elsewhere (a per-shard store to merge): opened, read and merged.
#include <sqlite3.h>

#include <memory>

#include "fuzz_check.hpp"
#include "maplex/measure/store.hpp"

namespace {

// The store merged into: created once per process (creating a store is most of the time an input
// would take) and emptied after each input through a connection of its own, so every input is
// merged into the same empty store, as into a fresh one.
struct Target {
  std::filesystem::path path;
  std::unique_ptr<maplex::measure::Store> store;
  sqlite3* raw = nullptr;

  explicit Target(std::filesystem::path p) : path(std::move(p)) {
    std::filesystem::remove(path);
    store = std::make_unique<maplex::measure::Store>(path, maplex::measure::Journal::rollback);
    if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::abort();
    }
  }
  void empty() const {
    // The history last: deleting the timings copies them there.
    if (sqlite3_exec(raw,
                     "DELETE FROM timings; DELETE FROM profiles; DELETE FROM replaced_timings;",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::abort();  // the store must stay usable after any input
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto part = maplex::fuzz::as_file(data, size, "-part.sqlite");
  static const Target target(part.string() + "-out.sqlite");
  maplex::fuzz::expect_clean([&] { target.store->merge({part}); });
  target.empty();
  maplex::fuzz::expect_clean([&] {
    const maplex::measure::Store opened(part, maplex::measure::Journal::rollback);
    opened.all({"f", "s"});
  });
  return 0;
}
