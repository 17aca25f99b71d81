#pragma once
// Which architectures a sweep (`maplex measure`) measures, in which order, and how: in passes, so
// that what was measured while the machine was disturbed is measured again later.

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "maplex/core/rng.hpp"
#include "maplex/measure/device.hpp"
#include "maplex/space/index.hpp"

namespace maplex::measure {

// Exactly one of: architectures by index or string, a number of distinct connected ones drawn
// with the sweep's Rng, or all 15,625; less `excluded` (measured elsewhere).
struct SweepRequest {
  std::vector<std::string> archs;
  std::optional<int> sample;
  bool all = false;
  std::set<int> excluded;
};

// The request's architectures, shuffled with `rng` so that no group of them sits in one slow
// stretch of the machine. Throws InputError for an unknown architecture or a sample larger than
// the connected architectures left after the exclusions.
std::vector<int> sweep_archs(const SweepRequest& request, const space::ArchIndex& index, Rng& rng);

// A sweep in rounds and passes. The first round measures every architecture (or reads it from the
// store); each later round adds a take of every architecture with fewer takes (a whole pass after
// the one before, so that each take sees the machine in another state; the ratio is their
// geometric mean, combine_takes). Then each pass measures again, in the sweep's order, the new
// measurements of this session that were disturbed (a take with Device::disturbance above
// `disturbed_above`, judged after the pass's rescale), keeping the less disturbed timing of each
// take; when one comes out disturbed again, the sweep waits for the machine to settle
// (Device::settle) before the next, within `wait_budget_s` for the whole sweep. Stored measurements
// of earlier sessions are taken as they are.
struct SweepOptions {
  int rounds = 0;                            // takes of each architecture; 0 = the device's default
  int passes = 3;                            // 1 = no measuring again
  double disturbed_above = kDisturbedAbove;  // reference / quiet reference - 1
  double wait_budget_s = 120;                // seconds a sweep may wait for a quiet machine
  // After each measurement (of any pass): measurements done so far and the sweep's total (which
  // grows when a pass adds its architectures).
  std::function<void(std::size_t done, std::size_t total)> on_progress;
};

struct SweepResult {
  std::vector<Measurement> rows;  // in the sweep's order, at the device's final scale
  int rounds = 1;                 // takes asked of each architecture
  int round_takes = 0;            // takes added by the rounds after the first
  int passes = 0;                 // passes run (the first included)
  int measured_again = 0;         // takes timed again because they were disturbed
  int still_disturbed = 0;        // takes disturbed after the last pass (the least disturbed kept)
  double waited_s = 0;            // seconds waited for a quiet machine
};

// Throws InputError for rounds < 0, passes < 1 or a negative threshold or wait budget.
void check_sweep_options(const SweepOptions& options);

// Throws what check_sweep_options and Device::measure throw, and InputError for rounds > 1 on a
// device without takes.
SweepResult run_sweep(Device& device, const std::vector<int>& archs, const SweepOptions& options);

}  // namespace maplex::measure
