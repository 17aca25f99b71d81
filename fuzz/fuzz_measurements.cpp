// A user's measurements CSV (long form) as `--measurements` reads it.
#include "fuzz_check.hpp"
#include "maplex/space/index.hpp"
#include "maplex/tables/measurements.hpp"

#include <cmath>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& index = maplex::fuzz::fuzz_index();
  const auto path = maplex::fuzz::as_file(data, size, ".csv");
  maplex::fuzz::expect_clean([&] {
    const auto set = maplex::tables::load_measurements(path, index);
    for (const auto& m : set.rows) {
      if (!(m.latency_ms > 0) || !std::isfinite(m.latency_ms) || m.index < 0 ||
          m.index >= index.size()) {
        std::abort();  // the loader promises positive, finite latencies of known architectures
      }
    }
  });
  return 0;
}
