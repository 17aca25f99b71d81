// A measurement store file from elsewhere (a per-shard store to merge): opened, read and merged.
#include "fuzz_check.hpp"
#include "maplex/measure/store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto part = maplex::fuzz::as_file(data, size, "-part.sqlite");
  const auto out = part.string() + "-out.sqlite";
  std::filesystem::remove(out);
  maplex::fuzz::expect_clean([&] {
    maplex::measure::Store store(out, maplex::measure::Journal::rollback);
    store.merge({part});
  });
  maplex::fuzz::expect_clean([&] {
    const maplex::measure::Store opened(part, maplex::measure::Journal::rollback);
    opened.all({"f", "s"});
  });
  return 0;
}
