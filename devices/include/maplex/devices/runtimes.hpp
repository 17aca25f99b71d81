#pragma once
// Runtimes other than maplex's own engine, each running the network exported by onnx_export.hpp
// (or built from the same weights) so that every runtime runs the same network.

#include <memory>

#include "maplex/measure/runtime.hpp"

namespace maplex::devices {

// OpenCV DNN (Debian's libopencv-dnn-dev) running the exported ONNX network on its CPU backend.
std::shared_ptr<const measure::Runtime> opencv_runtime();

// LibTorch (Debian's libtorch-dev): the network built from the same weights, run eagerly under
// inference mode, intra-op threads as set.
std::shared_ptr<const measure::Runtime> torch_runtime();

}  // namespace maplex::devices
