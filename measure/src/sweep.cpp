#include "maplex/measure/sweep.hpp"

#include <algorithm>

#include "maplex/core/error.hpp"
#include "maplex/space/sampling.hpp"

namespace maplex::measure {

namespace {

std::vector<int> sampled(int n, const std::set<int>& excluded, const space::ArchIndex& index,
                         Rng& rng) {
  int available = 0;
  for (int i = 0; i < index.size(); ++i) {
    available += index.cell(i).connected && excluded.count(i) == 0U ? 1 : 0;
  }
  if (n > available) {
    throw InputError("--sample " + std::to_string(n) + ", expected at most " +
                     std::to_string(available) + " (the connected architectures not in --exclude)");
  }
  return space::sample_distinct_connected(rng, n, index, excluded);
}

}  // namespace

std::vector<int> sweep_archs(const SweepRequest& request, const space::ArchIndex& index, Rng& rng) {
  std::vector<int> out;
  if (request.sample) {
    out = sampled(*request.sample, request.excluded, index, rng);
  } else if (request.all) {
    for (int i = 0; i < index.size(); ++i) {
      out.push_back(i);
    }
  } else {
    for (const auto& a : request.archs) {
      out.push_back(index.resolve(a));
    }
  }
  std::erase_if(out, [&](int a) { return request.excluded.count(a) != 0U; });
  for (std::size_t i = out.size(); i > 1; --i) {
    std::swap(out[i - 1], out[static_cast<std::size_t>(rng.below(i))]);
  }
  return out;
}

namespace {

// A take of a row: the row's position and the take's number (1-based).
using TakeRef = std::pair<std::size_t, int>;

const StoredTiming& take_of(const Measurement& m, int take) {
  return m.takes.empty() ? m.timing : m.takes[static_cast<std::size_t>(take - 1)];
}

// The takes this session timed that were disturbed: of each row, those after the `stored[k]`
// takes it had in the store when the sweep began (earlier sessions' takes are taken as they are).
std::vector<TakeRef> disturbed_takes(const Device& device, const std::vector<Measurement>& rows,
                                     const std::vector<int>& stored, double above) {
  std::vector<TakeRef> out;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    for (int t = stored[k] + 1; t <= take_count(rows[k]); ++t) {
      const auto d = device.disturbance(take_of(rows[k], t));
      if (d && *d > above) {
        out.emplace_back(k, t);
      }
    }
  }
  return out;
}

// Rounds 2.. of the sweep: a take added to every row with fewer than the round's number.
int add_rounds(Device& device, std::vector<Measurement>& rows, int rounds,
               const std::function<void(std::size_t)>& progress) {
  int added = 0;
  for (int r = 2; r <= rounds; ++r) {
    std::size_t lacking = 0;
    for (const auto& m : rows) {
      lacking += take_count(m) < r ? 1U : 0U;
    }
    for (auto& m : rows) {
      if (take_count(m) < r) {
        m = device.measure_round(m.index, take_count(m) + 1);
        ++added;
        progress(lacking);
        lacking = 0;
      }
    }
  }
  return added;
}

}  // namespace

void check_sweep_options(const SweepOptions& options) {
  if (options.rounds < 0) {
    throw InputError("rounds " + std::to_string(options.rounds) +
                     ", expected at least 1 (or 0: the device's default)");
  }
  if (options.passes < 1) {
    throw InputError("passes " + std::to_string(options.passes) + ", expected at least 1");
  }
  if (!(options.disturbed_above >= 0)) {
    throw InputError("disturbance threshold " + std::to_string(options.disturbed_above) +
                     ", expected at least 0");
  }
  if (!(options.wait_budget_s >= 0)) {
    throw InputError("wait budget " + std::to_string(options.wait_budget_s) +
                     " s, expected at least 0");
  }
}

SweepResult run_sweep(Device& device, const std::vector<int>& archs, const SweepOptions& options) {
  check_sweep_options(options);
  SweepResult out;
  out.rounds = options.rounds > 0 ? options.rounds : device.default_rounds();
  if (out.rounds > 1 && !device.has_takes()) {
    throw InputError("--rounds " + std::to_string(out.rounds) + ": device " + device.name() +
                     " times an architecture once, expected 1");
  }
  out.rows.reserve(archs.size());
  std::size_t done = 0;
  std::size_t total = archs.size();
  // `more`: measurements the total grows by (a later round's or pass's) before this one.
  const auto progress = [&](std::size_t more) {
    total += more;
    if (options.on_progress) {
      options.on_progress(++done, total);
    }
  };
  std::vector<int> stored;  // takes each row had in the store before this sweep
  stored.reserve(archs.size());
  for (const int a : archs) {
    out.rows.push_back(device.measure(a));
    stored.push_back(out.rows.back().from_store ? take_count(out.rows.back()) : 0);
    progress(0);
  }
  out.round_takes = add_rounds(device, out.rows, out.rounds, progress);
  out.passes = 1;
  device.rescale(out.rows);
  auto again = disturbed_takes(device, out.rows, stored, options.disturbed_above);
  while (!again.empty() && out.passes < options.passes) {
    std::size_t more = again.size();
    for (const auto& [k, t] : again) {
      out.rows[k] = device.measure_again(out.rows[k].index, t);
      ++out.measured_again;
      progress(more);
      more = 0;
      const auto d = device.disturbance(take_of(out.rows[k], t));
      if (d && *d > options.disturbed_above && out.waited_s < options.wait_budget_s) {
        out.waited_s += device.settle(options.wait_budget_s - out.waited_s);
      }
    }
    ++out.passes;
    device.rescale(out.rows);
    again = disturbed_takes(device, out.rows, stored, options.disturbed_above);
  }
  out.still_disturbed = static_cast<int>(again.size());
  return out;
}

}  // namespace maplex::measure
