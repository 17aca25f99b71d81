#pragma once
// What every fuzz target asserts of bad input: it is refused with an InputError whose message is
// one line of printable UTF-8 (the CLI prints it as is). Anything else (another exception, a
// crash, a sanitizer report, a message with a control character or broken UTF-8) stops the fuzzer.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "maplex/core/error.hpp"
#include "maplex/space/index.hpp"

namespace maplex::fuzz {

inline bool printable_utf8_line(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    if (c < 0x20 || c == 0x7F) {
      return false;
    } else if (c < 0x80) {
      extra = 0;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      extra = 1;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      extra = 3;
    } else {
      return false;
    }
    for (int k = 1; k <= extra; ++k) {
      if (i + static_cast<std::size_t>(k) >= s.size() ||
          (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

// Runs `f`; an InputError must carry a clean one-line message.
template <typename F>
void expect_clean(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    if (!printable_utf8_line(e.what())) {
      std::fprintf(stderr, "fuzz: message is not one printable UTF-8 line: %s\n", e.what());
      std::abort();
    }
  }
}

// The input as a file the loaders read (one per process, in memory when /dev/shm exists).
inline std::filesystem::path as_file(const std::uint8_t* data, std::size_t size,
                                     const std::string& suffix) {
  static const std::filesystem::path dir =
      std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
  const auto path = dir / ("maplex_fuzz_" + std::to_string(::getpid()) + suffix);
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

// An index of the 15,625 cells (numbered by their base-5 code: the shipped numbering is data,
// and any bijection exercises the same parsing).
inline const space::ArchIndex& fuzz_index() {
  static const space::ArchIndex index = [] {
    std::vector<space::Arch> archs;
    for (int code = 0; code < space::kNumArchs; ++code) {
      archs.push_back(space::Arch::from_code(code));
    }
    return space::ArchIndex(std::move(archs));
  }();
  return index;
}

}  // namespace maplex::fuzz
