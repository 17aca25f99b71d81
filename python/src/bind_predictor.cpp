// maplex.plan and maplex.Predictor: which architectures to measure, and every architecture's
// latency predicted from those measurements (the same code path as `maplex plan` and `maplex
// predict`).

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <chrono>
#include <optional>

#include "bindings.hpp"
#include "maplex/core/error.hpp"
#include "maplex/predictor/adapt.hpp"
#include "maplex/predictor/plan.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/predictor/target.hpp"
#include "state.hpp"

namespace py = pybind11;

namespace maplex::python {

namespace {

predictor::PoolOptions pool_options(const std::optional<std::vector<std::string>>& pool,
                                    int pool_samples, std::uint64_t seed,
                                    const std::string& hold_out) {
  if (pool_samples < 0) {
    throw InputError("pool_samples " + std::to_string(pool_samples) +
                     ", expected at least 0 (0 = every known architecture)");
  }
  predictor::PoolOptions po;
  po.hold_out_family = predictor::parse_hold_out(hold_out, "hold_out");
  po.devices = pool.value_or(std::vector<std::string>{});
  po.samples_per_device = pool_samples;
  po.seed = seed;
  return po;
}

std::vector<int> plan(int count, std::uint64_t seed, const std::string& device,
                      const std::optional<std::vector<std::string>>& pool, int pool_samples,
                      const std::string& hold_out) {
  auto d = data();
  if (!device.empty()) {
    d->catalog.device(device);  // an unknown target is an error, not a silent empty name
  }
  const py::gil_scoped_release release;
  const auto p =
      predictor::build_pool(d->catalog, device, pool_options(pool, pool_samples, seed, hold_out));
  std::vector<int> out;
  for (const auto& a : predictor::plan_adaptation(p, d->catalog.index(), count, seed)) {
    out.push_back(a.index);
  }
  return out;
}

// A predictor adapted to one device; fit() may be called again with other measurements.
class PyPredictor {
 public:
  PyPredictor(const std::string& method, std::optional<std::vector<std::string>> pool,
              std::uint64_t seed, int pool_samples, std::string device, std::string hold_out,
              std::string dead_ops)
      : data_(data()),
        pool_(std::move(pool)),
        pool_samples_(pool_samples),
        device_(std::move(device)),
        hold_out_(std::move(hold_out)),
        dead_ops_(std::move(dead_ops)),
        seed_(seed) {
    config_.method = predictor::parse_method(method);
    config_.seed = seed;
    pool_options(pool_, pool_samples_, seed_, hold_out_);  // checked now, not at the first fit
    if (!device_.empty()) {
      data_->catalog.device(device_);
    }
    with_dead_ops({});  // checked now, not at the first fit
  }

  // `target` with the runtime's dead-op handling stated (predictor::state_dead_ops), and the
  // config told whether to use it.
  predictor::Adaptation with_dead_ops(predictor::Adaptation target) {
    predictor::Target t;
    t.name = device_.empty() ? "the measurements" : device_;
    t.adaptation = std::move(target);
    if (!device_.empty()) {
      t.adaptation.spec = predictor::spec_of(data_->catalog.device(device_));
    }
    config_.use_dead_ops = predictor::state_dead_ops(t, dead_ops_);
    handling_ = config_.use_dead_ops ? t.adaptation.spec->dead_ops : "";
    return std::move(t.adaptation);
  }

  // `measurements` in the caller's order (a measurement file's row order gives the same fit).
  void fit(const std::vector<std::pair<int, double>>& measurements) {
    if (measurements.empty()) {
      throw InputError("fit: no measurements, expected {index: latency_ms, ...}");
    }
    predictor::Adaptation target;
    for (const auto& [index, ms] : measurements) {
      target.archs.push_back(index);
      target.latency_ms.push_back(ms);
    }
    target = with_dead_ops(std::move(target));
    const py::gil_scoped_release release;
    const auto start = std::chrono::steady_clock::now();
    auto adapted = predictor::adapt(data_->catalog, data_->features, device_, target,
                                    pool_options(pool_, pool_samples_, seed_, hold_out_), config_);
    predictor_ = std::make_unique<predictor::Predictor>(std::move(adapted.predictor));
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  bool is_fitted() const { return predictor_ != nullptr; }

  const predictor::Predictor& fitted() const {
    if (!predictor_) {
      throw InputError("Predictor: not fitted, expected fit({index: latency_ms, ...}) first");
    }
    return *predictor_;
  }

  py::dict report() const {
    const auto& r = fitted().report();
    py::dict out;
    out["method"] = std::string(predictor::method_name(config_.method));
    out["pool"] = r.pool;
    out["training_error"] = r.training_error;
    out["seconds"] = seconds_;     // the fit in C++ (pool and adaptation), without Python's share
    out["dead_ops"] = handling_;   // the handling used ("" = none), "table" resolved
    if (!r.top_members.empty()) {  // maplex and maplex-posterior
      out["log_sd_calibration"] = r.log_sd_scale;
      out["posterior_weight"] = r.posterior_weight;
      out["top_members"] = r.top_members;
    }
    return out;
  }

 private:
  std::shared_ptr<const Data> data_;
  std::optional<std::vector<std::string>> pool_;
  int pool_samples_;
  std::string device_;
  std::string hold_out_;  // hardware | family (predictor::PoolOptions::hold_out_family)
  std::string dead_ops_;  // "" | runs | prunes | table (predictor::state_dead_ops)
  std::string handling_;  // what it resolved to: "" | runs | prunes
  std::uint64_t seed_;
  predictor::PredictorConfig config_;
  std::unique_ptr<predictor::Predictor> predictor_;
  double seconds_ = 0;
};

py::array_t<double> copy(const std::vector<double>& v) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data());
}

}  // namespace

void bind_predictor(py::module_& m) {
  m.def("plan", &plan, py::arg("count") = 3, py::arg("seed") = 0, py::arg("device") = "",
        py::arg("pool") = py::none(), py::arg("pool_samples") = 900,
        py::arg("hold_out") = "hardware");
  m.def("methods", [] {
    std::vector<std::string> out;
    for (const auto method : predictor::kAllMethods) {
      out.emplace_back(predictor::method_name(method));
    }
    return out;
  });
  py::class_<PyPredictor>(m, "Predictor")
      .def(py::init<const std::string&, std::optional<std::vector<std::string>>, std::uint64_t, int,
                    std::string, std::string, std::string>(),
           py::arg("method") = "maplex", py::arg("pool") = py::none(), py::arg("seed") = 0,
           py::arg("pool_samples") = 900, py::arg("device") = "", py::arg("hold_out") = "hardware",
           py::arg("dead_ops") = "")
      .def(
          "fit",
          [](py::object self, const py::dict& measurements) {
            std::vector<std::pair<int, double>> pairs;
            for (const auto& [index, ms] : measurements) {
              pairs.emplace_back(index.cast<int>(), ms.cast<double>());
            }
            self.cast<PyPredictor&>().fit(pairs);
            return self;
          },
          py::arg("measurements"))
      .def("predict", [](const PyPredictor& p) { return copy(p.fitted().predictions()); })
      .def("log_sd", [](const PyPredictor& p) { return copy(p.fitted().log_sd()); })
      .def_property_readonly("fitted", &PyPredictor::is_fitted)
      .def_property_readonly("report", &PyPredictor::report);
}

}  // namespace maplex::python
