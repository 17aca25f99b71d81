#pragma once
// Runtimes other than maplex's own engine live in plugins (shared modules named
// maplex_runtime_<name>.so exporting `const measure::Runtime* maplex_runtime()`), loaded when a
// command first names them, so that their libraries (OpenCV DNN, LibTorch: ~280 shared libraries)
// are not loaded by every command:
//   opencv  OpenCV DNN (Debian's libopencv-dnn-dev) running the exported ONNX network on its CPU
//           backend (src/opencv_runtime.cpp)
//   torch   LibTorch (Debian's libtorch-dev): the network built from the same weights, run eagerly
//           under inference mode, intra-op (and OpenBLAS) threads as set (src/torch_runtime.cpp)

#include <memory>
#include <string>

#include "maplex/measure/runtime.hpp"

namespace maplex::devices {

// The runtime of plugin `name`, loaded once. Throws InputError naming the plugin and where it was
// looked for ($MAPLEX_PLUGIN_DIR, the build tree, the installed library directory) when it is
// missing or cannot be loaded.
std::shared_ptr<const measure::Runtime> load_runtime_plugin(const std::string& name);

}  // namespace maplex::devices
