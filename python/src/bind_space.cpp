// Architectures (index <-> string) and the shipped tables as NumPy arrays.

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>

#include "bindings.hpp"
#include "maplex/core/error.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/space/arch.hpp"
#include "state.hpp"

namespace py = pybind11;

namespace maplex::python {

namespace {

// A read-only array over `values`, which `owner` keeps alive.
template <typename Owner>
py::array_t<double> view(const double* values, std::size_t size, std::shared_ptr<Owner> owner) {
  auto* keep = new std::shared_ptr<Owner>(std::move(owner));
  py::capsule base(keep, [](void* p) { delete static_cast<std::shared_ptr<Owner>*>(p); });
  py::array_t<double> out({static_cast<py::ssize_t>(size)}, {sizeof(double)}, values, base);
  out.attr("setflags")(py::arg("write") = false);
  return out;
}

py::array_t<double> owned(std::vector<double> values) {
  auto holder = std::make_shared<std::vector<double>>(std::move(values));
  return view(holder->data(), holder->size(), holder);
}

py::array_t<double> latencies(const std::string& device) {
  auto d = data();
  const auto column = d->catalog.latencies(device);
  return view(column.data(), column.size(), d);
}

py::array_t<double> accuracies(const std::string& dataset, const std::string& split, int epochs) {
  auto d = data();
  return owned(objectives::accuracies(d->catalog.archs(), space::parse_dataset(dataset),
                                      objectives::parse_accuracy(split, epochs)));
}

py::list devices() {
  py::list out;
  for (const auto& spec : data()->catalog.devices()) {
    out.append(spec.key);
  }
  return out;
}

}  // namespace

void bind_space(py::module_& m) {
  m.def("set_data_dir", &set_data_dir, py::arg("path") = py::none(),
        "Load the shipped data from this folder (None: $MAPLEX_DATA, else the build's data/).");
  m.def("data_dir", [] { return data()->catalog.dir().string(); });
  m.def("space_size", [] { return data()->catalog.index().size(); });
  m.def(
      "arch_str",
      [](int index) {
        auto d = data();
        return d->catalog.index().arch(index).str();
      },
      py::arg("index"));
  m.def(
      "arch_index",
      [](const std::string& arch) {
        return data()->catalog.index().index_of(space::Arch::parse(arch));
      },
      py::arg("arch"));
  m.def(
      "is_connected",
      [](int index) {
        auto d = data();
        return d->catalog.index().cell(index).connected;
      },
      py::arg("index"));
  m.def("devices", &devices);
  m.def("latencies", &latencies, py::arg("device"));
  m.def("accuracies", &accuracies, py::arg("dataset") = "cifar10", py::arg("split") = "valid",
        py::arg("epochs") = 200);
  m.def("flops_m", [] {
    auto d = data();
    return view(d->features.flops_m.data(), static_cast<std::size_t>(d->features.flops_m.size()),
                d);
  });
}

}  // namespace maplex::python
