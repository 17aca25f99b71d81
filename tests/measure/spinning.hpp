#pragma once
// Test stand-ins for the local device's timings: a network that spins for a set time (scaled by a
// slowdown the test sets, so that a disturbed machine happens exactly where a test puts it) and a
// fresh store path in the test's temporary folder.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "maplex/measure/runtime.hpp"
#include "temp_dir.hpp"

namespace maplex::measure::spin {

class Spinning final : public Network {
 public:
  Spinning(double us, const std::atomic<double>* slowdown) : us_(us), slowdown_(slowdown) {}
  std::vector<float> forward(const std::vector<float>& /*input*/) override {
    run();
    return std::vector<float>(10, 0.0F);
  }
  void run() override {
    const double us = us_ * (slowdown_ != nullptr ? slowdown_->load() : 1.0);
    const auto end =
        std::chrono::steady_clock::now() + std::chrono::duration<double, std::micro>(us);
    while (std::chrono::steady_clock::now() < end) {
    }
  }

 private:
  double us_;
  const std::atomic<double>* slowdown_;
};

// `<temp>/maplex_<prefix>_<pid>_<name>`, with no database (or journal) there.
inline std::filesystem::path fresh_store_path(const std::string& prefix, const std::string& name) {
  auto p = ::maplex::testing::test_temp_dir() /
           ("maplex_" + prefix + "_" + std::to_string(::getpid()) + "_" + name);
  for (const auto* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(p.string() + suffix);
  }
  return p;
}

}  // namespace maplex::measure::spin
