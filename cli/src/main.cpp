// maplex: hardware-aware neural architecture search on NAS-Bench-201.

#include <array>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"

namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(int, char**);
};

constexpr std::array<Command, 16> kCommands = {{
    {"space", "Facts about the NB201 space: sizes, connectivity, isomorphism classes, op counts",
     maplex::cli::run_space},
    {"devices", "The shipped devices with their sources and latency statistics",
     maplex::cli::run_devices},
    {"arch", "One architecture: string, index, graph facts, costs, accuracies, latencies",
     maplex::cli::run_arch},
    {"plan", "The architectures to measure on a new device (MAPLE-X neighbourhood anchors)",
     maplex::cli::run_plan},
    {"predict", "Predict the latency of every architecture on a device from a few measurements",
     maplex::cli::run_predict},
    {"evaluate", "Score latency predictors on held-out devices (loo, help, family, nasflat)",
     maplex::cli::run_evaluate},
    {"search", "The most accurate architecture within a latency budget (a recorded run)",
     maplex::cli::run_search},
    {"resume", "Continue an interrupted search or pareto run from its directory",
     maplex::cli::run_resume},
    {"optimum", "The true constrained optimum by exhaustive enumeration of the tables",
     maplex::cli::run_optimum},
    {"pareto",
     "The accuracy/latency Pareto front (layers or NSGA-II), its hypervolume, an SVG plot",
     maplex::cli::run_pareto},
    {"compare", "Predictor-guided vs measured search: feasibility, regret, measurements, time",
     maplex::cli::run_compare},
    {"report", "One HTML page for a run: answer, history, front against the true one, predictor",
     maplex::cli::run_report},
    {"measure", "Latency of NB201 networks on a live device, as a measurements CSV",
     maplex::cli::run_measure},
    {"merge", "Join the parts of a sharded run (--shard K/N) into what one process writes",
     maplex::cli::run_merge},
    {"export", "An NB201 network as ONNX: the network every live device runs",
     maplex::cli::run_export},
    {"profile", "Hardware profile of this machine (caches, counters, micro-benchmarks)",
     maplex::cli::run_profile},
}};

void print_usage() {
  std::cout << "maplex: hardware-aware neural architecture search on NAS-Bench-201\n\n"
               "usage: maplex <command> [options]   (maplex <command> --help for its options)\n\n"
               "commands:\n";
  for (const Command& c : kCommands) {
    std::cout << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << '\n';
  }
  std::cout << "\nglobal options:\n  -h, --help     show this help\n  --version      show the "
               "version and build\n";
}

std::string known_commands() {
  std::string out;
  for (const Command& c : kCommands) {
    out += (out.empty() ? "" : ", ") + std::string(c.name);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage();
    return 2;
  }
  const std::string_view first = argv[1];
  if (first == "-h" || first == "--help" || first == "help") {
    print_usage();
    return 0;
  }
  if (first == "--version") {
    const auto& b = maplex::build_info();
    std::cout << "maplex " << b.version << " (commit " << b.git_commit << ", " << b.build_type
              << ", " << b.compiler << ")\n";
    return 0;
  }
  for (const Command& c : kCommands) {
    if (c.name != first) {
      continue;
    }
    std::string program = "maplex " + std::string(c.name);
    argv[1] = program.data();
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const maplex::cli::UsageError& e) {
      std::cerr << "maplex " << c.name << ": " << e.what() << '\n';
      return 2;
    } catch (const maplex::InputError& e) {
      std::cerr << "maplex " << c.name << ": " << e.what() << '\n';
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "maplex " << c.name << ": internal error: " << e.what() << '\n';
      return 3;
    }
  }
  std::vector<std::string> names;
  names.reserve(std::size(kCommands));
  for (const Command& c : kCommands) {
    names.emplace_back(c.name);
  }
  std::cerr << "maplex: unknown command " << maplex::quote(first)
            << maplex::did_you_mean(first, names) << " (expected one of " << known_commands()
            << "; see maplex --help)\n";
  return 2;
}
