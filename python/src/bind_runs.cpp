// maplex.search / maplex.pareto / maplex.resume (a run as `maplex search` and `maplex pareto` do
// it, returning the result document's text) and maplex.measure on a live device.

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <tbb/global_control.h>

#include <memory>

#include "bindings.hpp"
#include "maplex/core/error.hpp"
#include "maplex/devices/registry.hpp"
#include "maplex/devices/session.hpp"
#include "maplex/measure/sweep.hpp"
#include "maplex/report/front_files.hpp"
#include "maplex/runs/prepare.hpp"
#include "maplex/runs/run.hpp"
#include "state.hpp"

namespace py = pybind11;

namespace maplex::python {

namespace {

std::unique_ptr<tbb::global_control> threads_control(int threads) {
  if (threads < 0) {
    throw InputError("threads " + std::to_string(threads) +
                     ", expected at least 0 (0 = all cores)");
  }
  if (threads == 0) {
    return nullptr;
  }
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(threads));
}

std::string execute(const runs::RunSpec& spec, const runs::RunOptions& options, int threads) {
  if (spec.command == "search" && !spec.budget_ms) {
    throw InputError("search: no latency_budget_ms, expected the latency budget in ms");
  }
  if (spec.device.empty() && spec.measurements.empty()) {
    throw InputError(spec.command + ": no device, expected a device name or measurements");
  }
  auto d = data();
  const py::gil_scoped_release release;
  const auto control = threads_control(threads);
  auto session = devices::open_session(spec, d->catalog, false);
  const runs::Prepared prepared =
      runs::prepare(spec, d->catalog, d->features, session ? &session->live : nullptr);
  const auto result = runs::execute(spec, prepared, d->catalog, options);
  report::write_front_files(spec, prepared, d->catalog, result);
  return result.result_json;
}

std::string run(const std::string& command, const std::string& options_json,
                const std::string& run_dir, int threads) {
  runs::RunOptions options;
  options.dir = run_dir;
  return execute(runs::spec_from_options(command, options_json), options, threads);
}

std::string resume(const std::string& run_dir, int threads) {
  runs::RunOptions options;
  options.dir = run_dir;
  options.resume = true;
  return execute(runs::load_run_spec(options.dir), options, threads);
}

py::dict measure(const std::vector<int>& archs, const std::string& device,
                 const runs::RunSpec::Local& settings, bool fresh, int passes, int rounds) {
  if (!runs::is_live_device_name(device)) {
    throw InputError("measure: device " + quote(device) + ", expected a live device (" +
                     devices::live_device_list() + ")");
  }
  measure::SweepOptions sweep;
  sweep.passes = passes;
  sweep.rounds = rounds;
  measure::check_sweep_options(sweep);  // before the device is opened (and perhaps calibrated)
  auto d = data();
  std::vector<measure::Measurement> taken;
  std::string fingerprint;
  std::string description;
  {
    const py::gil_scoped_release release;
    auto dev =
        devices::open_device(device, devices::local_options(settings, fresh), d->catalog.index());
    taken = measure::run_sweep(*dev, archs, sweep).rows;
    fingerprint = dev->fingerprint();
    description = dev->description();
  }
  std::vector<double> ms;
  std::vector<bool> stored;
  for (const auto& m : taken) {
    ms.push_back(m.latency_ms);
    stored.push_back(m.from_store);
  }
  py::dict out;
  out["device"] = device;
  out["fingerprint"] = fingerprint;
  out["description"] = description;
  out["index"] = archs;
  out["latency_ms"] = py::array_t<double>(static_cast<py::ssize_t>(ms.size()), ms.data());
  out["from_store"] = stored;
  return out;
}

}  // namespace

void bind_runs(py::module_& m) {
  m.def("_run", &run, py::arg("command"), py::arg("options_json"), py::arg("run_dir") = "",
        py::arg("threads") = 0);
  m.def("_resume", &resume, py::arg("run_dir"), py::arg("threads") = 0);
  m.def(
      "measure",
      [](const std::vector<int>& archs, const std::string& device, int repeats, int warmup,
         int threads, const std::string& store, bool fresh, int layouts, int passes, int rounds,
         std::optional<bool> balance, const std::string& reference) {
        runs::RunSpec::Local s;
        s.repeats = repeats;
        s.layouts = layouts;
        s.balance = balance;
        s.reference = reference;
        s.warmup = warmup;
        s.threads = threads;
        s.store = store;
        return measure(archs, device, s, fresh, passes, rounds);
      },
      py::arg("archs"), py::arg("device") = "local", py::arg("repeats") = 15, py::arg("warmup") = 3,
      py::arg("threads") = 1, py::arg("store") = "", py::arg("fresh") = false,
      py::arg("layouts") = runs::RunSpec::Local{}.layouts,
      py::arg("passes") = measure::SweepOptions{}.passes,
      py::arg("rounds") = measure::SweepOptions{}.rounds, py::arg("balance") = py::none(),
      py::arg("reference") = "");
  m.def("live_devices", [] { return devices::live_device_list(); });
}

}  // namespace maplex::python
