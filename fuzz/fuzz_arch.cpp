// The architecture parser and resolver: an arch string or an NB201 index from a user.
#include <cstdlib>

#include "fuzz_check.hpp"
#include "maplex/space/arch.hpp"
#include "maplex/space/index.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& index = maplex::fuzz::fuzz_index();
  const std::string text(reinterpret_cast<const char*>(data), size);
  maplex::fuzz::expect_clean([&] {
    const auto arch = maplex::space::Arch::parse(text);
    // What parses prints back as the canonical string, which parses to the same architecture.
    if (!(maplex::space::Arch::parse(arch.str()) == arch)) {
      std::abort();
    }
  });
  maplex::fuzz::expect_clean([&] {
    const int i = index.resolve(text);
    if (i < 0 || i >= index.size()) {
      std::abort();
    }
  });
  return 0;
}
