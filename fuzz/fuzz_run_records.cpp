// A run directory's records (config.json, history.csv, checkpoint.json) as resume reads them: the
// first byte picks the file, the rest is its content.
#include "fuzz_check.hpp"
#include "maplex/runs/record.hpp"
#include "maplex/runs/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      maplex::fuzz::expect_clean([&] { maplex::runs::parse_spec(text, "config.json"); });
      break;
    case 1: {
      const auto path = maplex::fuzz::as_file(data + 1, size - 1, "-history.csv");
      maplex::fuzz::expect_clean([&] { maplex::runs::read_history(path); });
      break;
    }
    default: {
      const auto path = maplex::fuzz::as_file(data + 1, size - 1, "-checkpoint.json");
      maplex::fuzz::expect_clean([&] { maplex::runs::read_checkpoint(path); });
      break;
    }
  }
  return 0;
}
