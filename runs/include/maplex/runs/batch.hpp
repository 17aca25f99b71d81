#pragma once
// Many searches in one invocation (`maplex search --seeds ... --budgets-ms ...`): one recorded run
// per (budget, seed) unit, unit b * seeds + s, each in its own directory under the batch's, and
// one document listing every unit's result with a summary. A shard (Shard) runs only its units;
// merge_batch_documents joins the shards' documents into the unsharded one. A unit whose
// directory already holds a result is not run again, and one left unfinished (a killed shard) is
// resumed: re-running a shard keeps what it finished.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "maplex/core/shard.hpp"
#include "maplex/predictor/feature_cache.hpp"
#include "maplex/runs/live.hpp"
#include "maplex/runs/spec.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::runs {

inline constexpr int kBatchSchemaVersion = 1;

struct BatchOptions {
  RunSpec base;  // every option but the seed and the budget
  std::vector<std::uint64_t> seeds;
  std::vector<double> budgets_ms;
  Shard shard;
  std::filesystem::path dir;  // the batch's directory (each unit a subdirectory); required
};

// Runs the shard's units in unit order; `progress(done, total)` after each. Returns the batch
// document (JSON text with schema, command "search-batch", context, config, shard, units, summary).
std::string run_batch(const BatchOptions& options, const tables::Catalog& catalog,
                      const predictor::FeatureCache& features, const LiveDevice* live,
                      const std::function<void(std::size_t, std::size_t)>& progress);

// The documents (name, text) of every shard of one batch as the unsharded batch's document.
// InputError naming a missing, duplicated, unfinished or foreign part.
std::string merge_batch_documents(const std::vector<std::pair<std::string, std::string>>& parts);

// "0-4" or "1,3,7" (seeds), "5,6.5" (budgets): InputError naming the option and the value.
std::vector<std::uint64_t> parse_seed_list(const std::string& text);
std::vector<double> parse_budget_list(const std::string& text);

}  // namespace maplex::runs
