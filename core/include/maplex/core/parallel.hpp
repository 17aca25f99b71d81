#pragma once
// maplex's parallel loops. oneTBB runs them; in the ThreadSanitizer build (MAPLEX_TSAN) they run
// on plain std::threads instead, because Debian's libtbb is not instrumented: TSan cannot see
// the happens-before of TBB's task handoff and flags every loop body that reads what the caller
// wrote before the loop. With threads it sees creation and join, so what it reports is a race in
// the bodies themselves (scripts/tsan.sh).

#include <cstddef>

#ifdef MAPLEX_TSAN
#include <algorithm>
#include <exception>
#include <thread>
#include <vector>
#else
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#endif

namespace maplex {

// Calls body(begin, end) on blocks of about `grain` consecutive indices covering [0, n), in
// parallel; an exception from a body is rethrown here after the loop.
template <class Body>
void parallel_blocks(std::size_t n, std::size_t grain, Body&& body) {
#ifdef MAPLEX_TSAN
  const std::size_t block = std::max<std::size_t>(1, grain);
  const std::size_t workers = std::max(2U, std::thread::hardware_concurrency());
  std::vector<std::exception_ptr> errors(workers);
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      try {
        for (std::size_t b = w * block; b < n; b += workers * block) {
          body(b, std::min(n, b + block));
        }
      } catch (...) {
        errors[w] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (const auto& e : errors) {
    if (e) {
      std::rethrow_exception(e);
    }
  }
#else
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, std::max<std::size_t>(1, grain)),
                    [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
#endif
}

// Calls body(k) for every k in [0, n), in parallel.
template <class Body>
void parallel_for(std::size_t n, Body&& body) {
  parallel_blocks(n, 1, [&](std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k) {
      body(k);
    }
  });
}

}  // namespace maplex
