// maplex export: an NB201 network as ONNX, the network every live device runs.

#include <cstdio>
#include <fstream>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/core/error.hpp"
#include "maplex/devices/onnx_export.hpp"
#include "maplex/measure/weights.hpp"

namespace maplex::cli {

int run_export(int argc, char** argv) {
  auto options = make_options("export", "An NB201 network as ONNX (opset 13, batch 1, fp32)");
  options.add_options()("arch", "The architecture: an index or an arch string",
                        cxxopts::value<std::string>())("out", "The ONNX file to write",
                                                       cxxopts::value<std::string>())(
      "dataset", "The network's dataset: cifar10 (3 x 32 x 32 input, 10 classes)",
      cxxopts::value<std::string>()->default_value("cifar10"))(
      "seed", "Seed of the weights (0: the weights every device measures the architecture with)",
      cxxopts::value<std::uint64_t>()->default_value("0"));
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  if (args->count("arch") == 0U || args->count("out") == 0U) {
    throw UsageError("expected --arch A and --out FILE.onnx (see maplex export --help)");
  }
  const std::string dataset = (*args)["dataset"].as<std::string>();
  if (dataset != "cifar10") {
    throw InputError("dataset " + quote(dataset) +
                     ": the export builds the CIFAR-10 network that devices measure, expected "
                     "cifar10");
  }
  const tables::Catalog catalog = load_catalog(*args);
  const int index = catalog.index().resolve((*args)["arch"].as<std::string>());
  const auto seed = (*args)["seed"].as<std::uint64_t>();
  const auto& arch = catalog.index().arch(index);
  const std::string model =
      devices::export_onnx(measure::make_weights(arch, measure::arch_weight_seed(seed, index)));
  const std::string path = (*args)["out"].as<std::string>();
  const std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out.write(model.data(), static_cast<std::streamsize>(model.size()));
  out.close();
  if (!out || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw InputError("--out " + quote(path) + ": cannot write, expected a writable file path");
  }
  std::printf(
      "exported architecture %d %s (cifar10, weights seed %llu) to %s: ONNX opset %d, "
      "%zu bytes\n",
      index, arch.str().c_str(), static_cast<unsigned long long>(seed), path.c_str(),
      devices::kOnnxOpset, model.size());
  return 0;
}

}  // namespace maplex::cli
