// The per-op table of a local device (LocalDevice::lut): each op of each stage timed as a chain
// against the reference, in the runtime's rounds, and timed again once the machine runs quiet
// when none of its takes did; every take is kept in the store.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "maplex/core/rng.hpp"
#include "maplex/measure/local.hpp"

namespace maplex::measure {

namespace {

// Chained copies of an op in a per-op timing: long enough to time well above the clock's
// resolution, short enough for the cache behaviour of one cell.
constexpr int kOpCopies = 10;
// Passes over the table: the rounds, then timings again of the ops none of whose takes ran quiet
// (a disturbed machine slows a memory-bound pool more than the convolutions of the reference:
// BENCHMARKS.md, issue 12, run 11), after waiting for a quiet machine, in all at most kTableWaitS.
constexpr int kTablePasses = 3;
constexpr double kTableWaitS = 60;

std::string op_item(int op, int stage) {
  return std::string("op:") + lut_op_name(static_cast<LutOp>(op)) + ":" + std::to_string(stage);
}

}  // namespace

std::vector<StoredTiming> LocalDevice::table_takes_in_use(const std::vector<StoredTiming>& takes,
                                                          double above) const {
  std::vector<StoredTiming> quiet;
  for (const auto& t : takes) {
    if (disturbance_of(t) <= above) {
      quiet.push_back(t);
    }
  }
  if (quiet.empty() && !takes.empty()) {
    quiet.push_back(*std::min_element(takes.begin(), takes.end(),
                                      [this](const StoredTiming& a, const StoredTiming& b) {
                                        return disturbance_of(a) < disturbance_of(b);
                                      }));
  }
  return quiet;
}

NetworkBuilder LocalDevice::op_chain_builder(int op, int stage) const {
  return [this, op, stage] {
    return options_.runtime->op_chain(
        static_cast<LutOp>(op), stage, kOpCopies,
        Rng::derive(options_.seed, 100 + static_cast<std::uint64_t>(op)));
  };
}

void LocalDevice::time_table(std::vector<std::pair<int, int>> ops) {
  const auto take_now = [this](int op, int stage) {
    const std::string item = op_item(op, stage);
    const int number = static_cast<int>(store_.takes(key_, item).size()) + 1;
    time_item(take_item(item, number), op_chain_builder(op, stage), options_.repeats);
    ++new_;
  };
  // A new first take starts the item anew (--fresh): an earlier table's later takes go.
  for (const auto& [op, stage] : ops) {
    store_.erase_later_takes(key_, op_item(op, stage));
    time_item(op_item(op, stage), op_chain_builder(op, stage), options_.repeats);
    ++new_;
  }
  for (int round = 2; round <= options_.runtime->default_rounds(); ++round) {
    for (const auto& [op, stage] : ops) {
      take_now(op, stage);
    }
  }
  double waited = 0;
  for (int pass = 2; pass <= kTablePasses; ++pass) {
    std::erase_if(ops, [this](const std::pair<int, int>& o) {
      const auto takes = store_.takes(key_, op_item(o.first, o.second));
      return std::any_of(takes.begin(), takes.end(), [this](const StoredTiming& t) {
        return disturbance_of(t) <= kDisturbedAbove;
      });
    });
    if (ops.empty() || waited >= kTableWaitS) {
      break;
    }
    waited += settle(kTableWaitS - waited);
    for (const auto& [op, stage] : ops) {
      take_now(op, stage);
      ++table_retaken_;
    }
  }
}

std::optional<Lut> LocalDevice::lut() {
  Lut lut;
  // The network without cell ops: every edge none.
  const int empty =
      index_->index_of(space::Arch::parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
  lut.base_ms = measure(empty).latency_ms;
  // What the store holds is taken as it is (as a sweep takes an earlier session's takes).
  std::vector<std::pair<int, int>> to_time;  // (op, stage)
  for (int s = 0; s < 3; ++s) {
    for (int o = 0; o < kLutOps; ++o) {
      if (!stored(op_item(o, s))) {
        to_time.emplace_back(o, s);
      }
    }
  }
  time_table(std::move(to_time));
  for (int s = 0; s < 3; ++s) {
    for (int o = 0; o < kLutOps; ++o) {
      const auto takes = table_takes_in_use(store_.takes(key_, op_item(o, s)), kDisturbedAbove);
      lut.op_ms[static_cast<std::size_t>(s)][static_cast<std::size_t>(o)] =
          combine_takes(takes).ratio * scale_ms_ / kOpCopies;
    }
  }
  return lut;
}

}  // namespace maplex::measure
