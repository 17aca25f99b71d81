#pragma once
// The Python module's parts, one per library module it exposes (module.cpp joins them).

#include <pybind11/pybind11.h>

namespace maplex::python {

void bind_space(pybind11::module_& m);      // architectures and the shipped tables
void bind_predictor(pybind11::module_& m);  // plan and Predictor
void bind_runs(pybind11::module_& m);       // search, pareto and live measurements

}  // namespace maplex::python
