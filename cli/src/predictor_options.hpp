#pragma once
// Options shared by plan, predict and evaluate: the pool, the seed, the pool sample size.

#include <cxxopts.hpp>
#include <string>
#include <vector>

#include "maplex/predictor/pool.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::cli {

void add_pool_options(cxxopts::Options& options);
// --hold-out hardware|family (plan, predict, search, compare, pareto; evaluate's protocols say
// their own pools).
void add_hold_out_option(cxxopts::Options& options);
// --dead-ops runs|prunes|table (predict, search, compare, pareto; evaluate has its own).
void add_dead_ops_option(cxxopts::Options& options);

// "a,b,c" -> {"a","b","c"}; throws UsageError on an empty item.
std::vector<std::string> split_list(const std::string& text, const std::string& option);

// --pool, --pool-samples, --seed (and --hold-out where declared) as PoolOptions (seed as given).
predictor::PoolOptions pool_options(const cxxopts::ParseResult& args);
std::uint64_t seed_of(const cxxopts::ParseResult& args);

// Positive integer option; throws InputError naming the option when below `min`.
int int_option(const cxxopts::ParseResult& args, const std::string& name, int min);

// Limits TBB to --threads (0 = all cores); returns the value used.
int apply_threads(const cxxopts::ParseResult& args);

}  // namespace maplex::cli
