// maplex as a Python module (maplex._core; the package maplex wraps it). Bad input raises
// ValueError with the CLI's one-line message; long calls release the GIL.

#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "maplex: hardware-aware neural architecture search on NAS-Bench-201";
  pybind11::register_exception_translator(
      [](std::exception_ptr p) {  // NOLINT(performance-unnecessary-value-param): pybind11 signature
        try {
          if (p) {
            std::rethrow_exception(p);
          }
        } catch (const maplex::InputError& e) {
          PyErr_SetString(PyExc_ValueError, e.what());
        }
      });
  const maplex::BuildInfo& b = maplex::build_info();
  m.attr("__version__") = b.version;
  m.attr("git_commit") = b.git_commit;
  maplex::python::bind_space(m);
  maplex::python::bind_predictor(m);
  maplex::python::bind_runs(m);
}
