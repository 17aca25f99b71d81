#pragma once
// Checking an adapted prediction against latencies it was not adapted on: the rest of a shipped
// device's table, a user's measurement file, or further architectures measured now. The
// adaptation's own architectures are never scored (they would flatter the prediction).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "maplex/predictor/metrics.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/predictor/target.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::predictor {

// Latencies to score a prediction on, in the order they were read or measured.
struct CheckSet {
  std::vector<int> archs;
  std::vector<double> ms;
  int adaptation_rows_left_out = 0;  // rows of the adaptation's own architectures, not scored
};

// A shipped device's table: every architecture it has a latency for, the adaptation's left out.
CheckSet table_checks(const Target& target, const tables::Catalog& catalog);

// A measurement file's rows (of the target's device when the file names devices), the adaptation's
// own architectures left out. Throws InputError naming the file when fewer than 2 rows are left
// to score.
CheckSet file_checks(const Target& target, const std::string& path, const tables::Catalog& catalog);

// `n` connected architectures drawn with `seed` (none of the adaptation's, none twice), measured
// with `measure` (ms) in the order drawn.
CheckSet live_checks(const Target& target, int n, std::uint64_t seed, const space::ArchIndex& index,
                     const std::function<double(int)>& measure);

// The prediction on the checks' architectures against their latencies: the metrics, with the
// share of latencies inside the predictor's 95% interval. Needs at least 2 checks.
Metrics score_checks(const Predictor& p, const CheckSet& checks);

}  // namespace maplex::predictor
