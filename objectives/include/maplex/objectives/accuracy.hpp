#pragma once
// Which accuracy a search selects on. NATS-Bench's advice, and the default here: search on the
// validation accuracy, report the test accuracy of the answer (selecting on test accuracy is
// tuning on the test set). Either after NB201's full 200-epoch schedule or its short 12-epoch one
// (a cheap, noisier signal: one 12-epoch query costs 12/200 of a full query).

#include <string>
#include <string_view>
#include <vector>

#include "maplex/objectives/problem.hpp"
#include "maplex/space/index.hpp"
#include "maplex/space/network.hpp"
#include "maplex/tables/arch_table.hpp"

namespace maplex::objectives {

enum class AccuracySplit { valid, test };

struct AccuracyChoice {
  AccuracySplit split = AccuracySplit::valid;
  int epochs = 200;  // 200 or 12
};

// Throws InputError naming the value: split "valid" or "test", epochs 12 or 200.
AccuracyChoice parse_accuracy(std::string_view split, int epochs);
std::string_view split_name(AccuracySplit split);
// "valid@200", "test@12", ...
std::string accuracy_name(AccuracyChoice choice);

// Every architecture's accuracy (%) on `dataset` as `choice` selects, by NB201 index.
std::vector<double> accuracies(const tables::ArchTable& table, space::Dataset dataset,
                               AccuracyChoice choice);
// What results report beside the selection accuracy: the 200-epoch test accuracy.
std::vector<double> test_accuracies(const tables::ArchTable& table, space::Dataset dataset);

// One query at `choice`'s fidelity, in full (200-epoch) query equivalents.
double query_cost(AccuracyChoice choice);
// `spent` budget units (queries at `choice`'s fidelity, low-fidelity ones as their fraction) in
// full query equivalents, to 1e-9 (sums of 0.06 read 300.04, not 300.03999999999996).
double full_query_equivalents(double spent, AccuracyChoice choice);
// The queries at `choice`'s fidelity that `full_equivalents` full queries buy (at least 1).
int queries_for_budget(int full_equivalents, AccuracyChoice choice);

// Gives `problem` (whose accuracy is `choice`) the 12-epoch schedule of the same split as its low
// fidelity for multi-fidelity search, when `choice` is the 200-epoch one; else leaves it alone.
void add_low_fidelity(Problem& problem, const tables::ArchTable& table, space::Dataset dataset,
                      AccuracyChoice choice);

// `latency_ms` with the disconnected cells (they output zeros: chance accuracy) set to NaN, so no
// optimum or regret reference is ever one of them.
std::vector<double> connected_only(std::vector<double> latency_ms, const space::ArchIndex& index);

}  // namespace maplex::objectives
