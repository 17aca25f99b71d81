#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/dnn.hpp>
#include <stdexcept>
#include <string>
#include <utility>

#include "maplex/devices/onnx_export.hpp"

namespace maplex::devices {

namespace {

// One network loaded from its ONNX export into OpenCV DNN (its own CPU backend).
class OpencvNetwork final : public measure::Network {
 public:
  OpencvNetwork(const std::string& onnx, const std::vector<int>& input_shape) {
    try {
      net_ = cv::dnn::readNetFromONNX(onnx.data(), onnx.size());
      net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
      net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
      input_ =
          cv::Mat(static_cast<int>(input_shape.size()), input_shape.data(), CV_32F, cv::Scalar(0));
      net_.setInput(input_);
    } catch (const cv::Exception& e) {
      throw std::runtime_error(std::string("OpenCV DNN could not load the network: ") + e.what());
    }
  }

  std::vector<float> forward(const std::vector<float>& input) override {
    if (input.size() != input_.total()) {
      throw std::invalid_argument("OpenCV network: expected an input of " +
                                  std::to_string(input_.total()) + " values");
    }
    std::copy(input.begin(), input.end(), input_.ptr<float>());
    net_.setInput(input_);
    const cv::Mat out = net_.forward();
    const auto* p = out.ptr<float>();
    return {p, p + out.total()};
  }

  void run() override { (void)net_.forward(); }

  // Fills the input with uniform values in [-1, 1) from `seed` (op chains time real data).
  void randomise(std::uint64_t seed) {
    const auto values = measure::make_input(input_.total(), seed);
    std::copy(values.begin(), values.end(), input_.ptr<float>());
    net_.setInput(input_);
  }

 private:
  cv::dnn::Net net_;
  cv::Mat input_;
};

class OpencvRuntime final : public measure::Runtime {
 public:
  std::string name() const override { return "opencv"; }
  std::string version() const override { return CV_VERSION; }
  void set_threads(int threads) const override { cv::setNumThreads(threads); }
  // Its networks' speed depends on their memory layout: 8 layouts took a second session's
  // agreement within 5% from 0.68-0.72 to 0.92-0.93 (BENCHMARKS.md, issue 12).
  int default_layouts() const override { return 8; }
  // And on the machine's state during the second or so it is timed: the geometric mean of two
  // sessions against that of two others agreed within 5% for 0.95 (worst 0.91) where one session
  // against another did for 0.885 (worst 0.85) (BENCHMARKS.md, issue 12, tuning set).
  int default_rounds() const override { return 2; }
  std::unique_ptr<measure::Network> build(const measure::NetworkWeights& weights) const override {
    return std::make_unique<OpencvNetwork>(export_onnx(weights), std::vector<int>{1, 3, 32, 32});
  }
  std::unique_ptr<measure::Network> op_chain(measure::LutOp op, int stage, int copies,
                                             std::uint64_t seed) const override {
    const int c = measure::kStageChannels.at(static_cast<std::size_t>(stage));
    const int size = measure::kStageSize.at(static_cast<std::size_t>(stage));
    auto n = std::make_unique<OpencvNetwork>(export_op_chain(op, stage, copies, seed),
                                             std::vector<int>{1, c, size, size});
    n->randomise(seed);
    return n;
  }
};

}  // namespace

}  // namespace maplex::devices

// The plugin's entry point (runtimes.hpp).
extern "C" __attribute__((visibility("default"))) const maplex::measure::Runtime* maplex_runtime() {
  static const maplex::devices::OpencvRuntime runtime;
  return &runtime;
}
