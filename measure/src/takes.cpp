#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "maplex/measure/store.hpp"

namespace maplex::measure {

std::string take_item(const std::string& item, int take) {
  return take <= 1 ? item : item + "#" + std::to_string(take);
}

namespace {

// The repeats-weighted geometric mean of `value` over the takes, and the pooled cv: the root of
// the weighted mean of each take's cv squared plus its log's squared distance from the mean (a
// cv is the spread of the log for spreads this small).
std::pair<double, double> pooled(const std::vector<StoredTiming>& takes,
                                 double StoredTiming::*value, double StoredTiming::*cv) {
  double weights = 0;
  double log_sum = 0;
  for (const auto& t : takes) {
    weights += t.repeats;
    log_sum += t.repeats * std::log(t.*value);
  }
  const double mean = log_sum / weights;
  double spread = 0;
  for (const auto& t : takes) {
    const double d = std::log(t.*value) - mean;
    spread += t.repeats * (t.*cv * t.*cv + d * d);
  }
  return {std::exp(mean), std::sqrt(spread / weights)};
}

}  // namespace

StoredTiming combine_takes(const std::vector<StoredTiming>& takes) {
  if (takes.empty()) {
    throw std::invalid_argument("combine_takes: no takes");
  }
  if (takes.size() == 1) {
    return takes.front();
  }
  StoredTiming out = takes.front();
  std::tie(out.ratio, out.ratio_cv) = pooled(takes, &StoredTiming::ratio, &StoredTiming::ratio_cv);
  std::tie(out.target_median_ms, out.target_cv) =
      pooled(takes, &StoredTiming::target_median_ms, &StoredTiming::target_cv);
  out.repeats = 0;
  double reference = 0;
  for (const auto& t : takes) {
    out.repeats += t.repeats;
    reference += t.repeats * t.reference_median_ms;
    out.measured_at = std::max(out.measured_at, t.measured_at);
  }
  out.reference_median_ms = reference / out.repeats;
  double log_balance = 0;
  for (const auto& t : takes) {
    log_balance += t.repeats * std::log(t.balance);
  }
  out.balance = std::exp(log_balance / out.repeats);
  return out;
}

std::vector<std::pair<int, double>> stored_arch_latencies(const Store& store, const StoreKey& key,
                                                          double scale) {
  std::map<int, std::vector<StoredTiming>> by_index;
  for (auto& row : store.all(key, "arch:")) {
    by_index[std::stoi(row.item.substr(5))].push_back(std::move(row));
  }
  std::vector<std::pair<int, double>> out;
  out.reserve(by_index.size());
  for (const auto& [index, takes] : by_index) {
    out.emplace_back(index, combine_takes(takes).ratio * scale);
  }
  return out;
}

}  // namespace maplex::measure
