#include "predictor_options.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <memory>

#include "common.hpp"
#include "maplex/core/error.hpp"

namespace maplex::cli {

void add_pool_options(cxxopts::Options& options) {
  options.add_options()("pool",
                        "Training devices, comma separated (default: every shipped device except "
                        "the target and devices sharing its hardware)",
                        cxxopts::value<std::string>())(
      "pool-samples", "Architectures per pool device, the same random sample on each (0 = all)",
      cxxopts::value<int>()->default_value("900"))(
      "seed", "Seed of every random choice", cxxopts::value<std::uint64_t>()->default_value("0"));
}

void add_hold_out_option(cxxopts::Options& options) {
  options.add_options()("hold-out",
                        "What the default pool leaves out besides the target: hardware (devices "
                        "sharing its chip) or family (every device of its family as well, as "
                        "evaluate --protocol family does: how a device unlike the pool fares; a "
                        "shipped target only)",
                        cxxopts::value<std::string>()->default_value("hardware"));
}

void add_dead_ops_option(cxxopts::Options& options) {
  options.add_options()(
      "dead-ops",
      "What the target's runtime does with ops on no input-to-output path: runs (PyTorch eager), "
      "prunes (TF, TFLite graphs) or table (what is known: devices.csv's for a shipped device, "
      "runs for local and local:<runtime>, a device file's dead_ops for cmd:FILE); maplex then "
      "reads every pool device's op costs that way. Default: not used",
      cxxopts::value<std::string>()->default_value(""));
}

std::vector<std::string> split_list(const std::string& text, const std::string& option) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) {
      throw UsageError("--" + option + " " + quote(text) +
                       " has an empty item, expected names separated by commas");
    }
    out.push_back(item);
    if (comma == std::string::npos) {
      return out;
    }
    start = comma + 1;
  }
}

std::uint64_t seed_of(const cxxopts::ParseResult& args) { return args["seed"].as<std::uint64_t>(); }

int int_option(const cxxopts::ParseResult& args, const std::string& name, int min) {
  const int v = args[name].as<int>();
  if (v < min) {
    throw InputError("--" + name + " " + std::to_string(v) + ", expected at least " +
                     std::to_string(min));
  }
  return v;
}

predictor::PoolOptions pool_options(const cxxopts::ParseResult& args) {
  predictor::PoolOptions po;
  if (args.count("pool") != 0U) {
    po.devices = split_list(args["pool"].as<std::string>(), "pool");
  }
  po.samples_per_device = int_option(args, "pool-samples", 0);
  po.seed = seed_of(args);
  if (args.count("hold-out") != 0U) {
    po.hold_out_family =
        predictor::parse_hold_out(args["hold-out"].as<std::string>(), "--hold-out");
  }
  return po;
}

int apply_threads(const cxxopts::ParseResult& args) {
  static std::unique_ptr<tbb::global_control> control;
  int threads = int_option(args, "threads", 0);
  if (threads == 0) {
    threads = tbb::info::default_concurrency();
  }
  control = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(threads));
  return threads;
}

}  // namespace maplex::cli
