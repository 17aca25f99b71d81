#include "live_device.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "maplex/core/error.hpp"
#include "maplex/devices/registry.hpp"
#include "maplex/devices/session.hpp"
#include "maplex/measure/host.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

void add_local_options(cxxopts::Options& options, const std::string& threads_option) {
  options.add_options("local (this machine)")(
      "store", "SQLite store of every measurement (default $MAPLEX_STORE or ~/.cache/maplex)",
      cxxopts::value<std::string>()->default_value(""))(
      "fresh",
      "Measure again what the store already holds (the new values are used; the old stay in "
      "the store's history, table replaced_timings)")(
      "repeats", "Timed (network, reference) run pairs per measurement",
      cxxopts::value<int>()->default_value("15"))(
      "layouts",
      "Memory layouts the pairs are shared among, each with the networks built afresh (a "
      "network's speed depends on where its buffers fall; at most --repeats; 0 = the runtime's "
      "own: 8 for OpenCV DNN, 1 for the others)",
      cxxopts::value<int>()->default_value("0"))(
      "balance",
      "Correct each timing for the session's op balance: auto (the runtime's default: off for "
      "every runtime so far), on or off (a session times 20 anchor networks, then one in "
      "turn every 10 timings, and corrects each timing by how networks of its ops ran against "
      "the store's first anchors)",
      cxxopts::value<std::string>()->default_value("auto"))(
      "reference",
      "The reference network every timing alternates with, an NB201 arch string (default: "
      "the one in measure/local.hpp; each reference is its own store settings)",
      cxxopts::value<std::string>()->default_value(""))(
      "warmup", "Untimed runs of each network first (in each layout)",
      cxxopts::value<int>()->default_value("3"))(threads_option, "oneDNN threads per inference",
                                                 cxxopts::value<int>()->default_value("1"))(
      "pin-cpu", "Pin the measuring thread to this CPU (with 1 thread; -1 = no pinning)",
      cxxopts::value<int>()->default_value("-1"))(
      "fingerprint-scope",
      "The device identity: host (this machine) or hardware (any node with the same CPU, "
      "caches, memory and oneDNN: identical cluster nodes share measurements); sets "
      "$MAPLEX_FINGERPRINT_SCOPE",
      cxxopts::value<std::string>());
}

runs::RunSpec::Local local_settings(const cxxopts::ParseResult& args,
                                    const std::string& threads_option) {
  runs::RunSpec::Local s;
  s.threads = int_option(args, threads_option, 1);
  s.repeats = int_option(args, "repeats", 1);
  s.layouts = int_option(args, "layouts", 0);
  const std::string balance = args["balance"].as<std::string>();
  if (balance != "auto" && balance != "on" && balance != "off") {
    throw InputError("--balance " + quote(balance) + ", expected auto, on or off");
  }
  if (balance != "auto") {
    s.balance = balance == "on";
  }
  s.reference = args["reference"].as<std::string>();
  s.warmup = int_option(args, "warmup", 0);
  s.store = args["store"].as<std::string>();
  s.pin_cpu = args["pin-cpu"].as<int>();
  if (args.count("fingerprint-scope") != 0U) {
    // The environment carries the scope to every fingerprint this process computes (local
    // runtimes, profiles) and to the commands of cmd: devices.
    const std::string scope = args["fingerprint-scope"].as<std::string>();
    ::setenv("MAPLEX_FINGERPRINT_SCOPE", scope.c_str(), 1);
    measure::fingerprint_scope();  // validates the value
  }
  return s;
}

namespace {

void show_progress(const measure::Measurement& m) {
  std::fprintf(stderr, "\rmeasured architecture %d: %.4g ms   ", m.index, m.latency_ms);
}

}  // namespace

std::unique_ptr<measure::Device> open_live(const std::string& name,
                                           const measure::LocalOptions& options,
                                           const tables::Catalog& catalog) {
  auto device = devices::open_device(name, options, catalog.index());
  if (::isatty(STDERR_FILENO) != 0) {
    device->on_measured = show_progress;
  }
  return device;
}

std::optional<LocalSession> open_session(const runs::RunSpec& spec, const tables::Catalog& catalog,
                                         bool fresh) {
  return devices::open_session(spec, catalog, fresh,
                               ::isatty(STDERR_FILENO) != 0 ? show_progress : nullptr);
}

}  // namespace maplex::cli
