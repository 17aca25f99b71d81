#pragma once
// One directory per test process under the system's temp directory: every file a test writes goes
// there, and the directory goes, with everything in it, when the process exits normally (forked
// children leave by _Exit or a signal and remove nothing). Tests no longer leave files in /tmp.

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace maplex::testing {

inline const std::filesystem::path& test_temp_dir() {
  struct Dir {
    pid_t owner = ::getpid();
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("maplex_test_" + std::to_string(::getpid()));
    Dir() { std::filesystem::create_directories(path); }
    Dir(const Dir&) = delete;
    Dir& operator=(const Dir&) = delete;
    Dir(Dir&&) = delete;
    Dir& operator=(Dir&&) = delete;
    ~Dir() {
      if (::getpid() == owner) {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
      }
    }
  };
  static const Dir dir;
  return dir.path;
}

}  // namespace maplex::testing
