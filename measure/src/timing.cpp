#include "maplex/measure/timing.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "maplex/core/rng.hpp"

namespace maplex::measure {

namespace {

double time_once(Network& e) {
  const auto start = std::chrono::steady_clock::now();
  e.run();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Heap blocks of random sizes, allocated on construction and freed on destruction, so that what is
// built meanwhile lands elsewhere in memory.
class HeapOffset {
 public:
  explicit HeapOffset(Rng& rng) {
    for (auto& block : blocks_) {
      // 1 byte to 256 KiB: below glibc's mmap threshold the block shifts the heap itself.
      block = static_cast<char*>(std::malloc(1 + rng.below(kLargest)));
      if (block == nullptr) {
        release();  // the blocks before it (the rest are still null)
        throw std::bad_alloc();
      }
      *static_cast<volatile char*>(block) = 1;  // a block the compiler may not elide
    }
  }
  HeapOffset(const HeapOffset&) = delete;
  HeapOffset& operator=(const HeapOffset&) = delete;
  ~HeapOffset() { release(); }

 private:
  void release() {
    for (char* block : blocks_) {
      std::free(block);
    }
  }
  static constexpr std::uint64_t kLargest = std::uint64_t{256} * 1024;
  std::array<char*, 4> blocks_{};
};

}  // namespace

double median_of(std::vector<double> v) {
  if (v.empty()) {
    throw std::invalid_argument("median_of: empty");
  }
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  if (v.size() % 2 == 1) {
    return *mid;
  }
  return 0.5 * (*mid + *std::max_element(v.begin(), mid));
}

double cv_of(const std::vector<double>& v) {
  if (v.size() < 2) {
    return 0;
  }
  double mean = 0;
  for (double x : v) {
    mean += x;
  }
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) {
    ss += (x - mean) * (x - mean);
  }
  return std::sqrt(ss / static_cast<double>(v.size() - 1)) / mean;
}

Timing time_against(Network& target, Network& reference, const TimingOptions& options,
                    double sweep_reference_ms) {
  if (options.pairs < 1 || options.warmup < 0) {
    throw std::invalid_argument("time_against: expected pairs >= 1 and warmup >= 0");
  }
  for (int k = 0; k < options.warmup; ++k) {
    target.run();
    reference.run();
  }
  Timing t;
  std::vector<double> ratios;
  for (int k = 0; k < options.pairs; ++k) {
    t.target_ms.push_back(time_once(target));
    t.reference_ms.push_back(time_once(reference));
    ratios.push_back(t.target_ms.back() / t.reference_ms.back());
  }
  t.ratio = median_of(ratios);
  t.ratio_cv = cv_of(ratios);
  t.target_median_ms = median_of(t.target_ms);
  t.target_cv = cv_of(t.target_ms);
  t.reference_median_ms = median_of(t.reference_ms);
  t.latency_ms = t.ratio * (sweep_reference_ms > 0 ? sweep_reference_ms : t.reference_median_ms);
  return t;
}

Timing time_over_layouts(const NetworkBuilder& make_target, const NetworkBuilder& make_reference,
                         const TimingOptions& options, const LayoutOptions& layouts,
                         double sweep_reference_ms) {
  if (layouts.layouts < 1 || layouts.layouts > options.pairs) {
    throw std::invalid_argument("time_over_layouts: expected 1 <= layouts <= pairs");
  }
  Rng rng(layouts.seed);
  Timing all;
  double log_ratio = 0;
  std::vector<double> cvs;
  for (int l = 0; l < layouts.layouts; ++l) {
    const int pairs = options.pairs / layouts.layouts + (l < options.pairs % layouts.layouts);
    const HeapOffset offset(rng);
    const auto reference = make_reference();
    const auto target = make_target();
    const Timing t = time_against(*target, *reference, {options.warmup, pairs});
    log_ratio += std::log(t.ratio);
    cvs.push_back(t.ratio_cv);
    all.target_ms.insert(all.target_ms.end(), t.target_ms.begin(), t.target_ms.end());
    all.reference_ms.insert(all.reference_ms.end(), t.reference_ms.begin(), t.reference_ms.end());
  }
  all.ratio = std::exp(log_ratio / layouts.layouts);
  all.ratio_cv = median_of(cvs);
  all.target_median_ms = median_of(all.target_ms);
  all.target_cv = cv_of(all.target_ms);
  all.reference_median_ms = median_of(all.reference_ms);
  all.latency_ms =
      all.ratio * (sweep_reference_ms > 0 ? sweep_reference_ms : all.reference_median_ms);
  return all;
}

}  // namespace maplex::measure
