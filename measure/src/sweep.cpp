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

// The positions in `rows` of this session's new measurements that were disturbed.
std::vector<std::size_t> disturbed_rows(const Device& device, const std::vector<Measurement>& rows,
                                        double above) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto d = rows[k].from_store ? std::nullopt : device.disturbance(rows[k]);
    if (d && *d > above) {
      out.push_back(k);
    }
  }
  return out;
}

}  // namespace

void check_sweep_options(const SweepOptions& options) {
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
  out.rows.reserve(archs.size());
  std::size_t done = 0;
  std::size_t total = archs.size();
  const auto progress = [&] {
    if (options.on_progress) {
      options.on_progress(++done, total);
    }
  };
  for (const int a : archs) {
    out.rows.push_back(device.measure(a));
    progress();
  }
  out.passes = 1;
  device.rescale(out.rows);
  auto again = disturbed_rows(device, out.rows, options.disturbed_above);
  while (!again.empty() && out.passes < options.passes) {
    total += again.size();
    for (const std::size_t k : again) {
      out.rows[k] = device.measure_again(out.rows[k].index);
      ++out.measured_again;
      progress();
      const auto d = device.disturbance(out.rows[k]);
      if (d && *d > options.disturbed_above && out.waited_s < options.wait_budget_s) {
        out.waited_s += device.settle(options.wait_budget_s - out.waited_s);
      }
    }
    ++out.passes;
    device.rescale(out.rows);
    again = disturbed_rows(device, out.rows, options.disturbed_above);
  }
  out.still_disturbed = static_cast<int>(again.size());
  return out;
}

}  // namespace maplex::measure
