// LibTorch (Debian's libtorch-dev) as a runtime: the NB201 network built from the same weights
// and batch-norm folding as the engine, run eagerly on the CPU under inference mode, intra-op
// threads as set (1 by default).

#include <dlfcn.h>
#include <torch/torch.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "maplex/measure/network_walk.hpp"

namespace maplex::devices {

namespace {

namespace F = torch::nn::functional;

torch::Tensor tensor_of(const std::vector<float>& v, std::vector<std::int64_t> shape) {
  return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat32).clone();
}

// A network as a list of steps over numbered tensor slots: built once by the walks, replayed
// by run(). Handles are slot numbers.
class TorchNetwork final : public measure::Network {
 public:
  using Slot = int;

  explicit TorchNetwork(std::vector<std::int64_t> input_shape)
      : input_shape_(std::move(input_shape)) {
    slots_.push_back(torch::zeros(input_shape_));
  }

  Slot input() const { return 0; }
  Slot relu(Slot x) {
    return add([x](std::vector<torch::Tensor>& s) { return torch::relu(s[x]); });
  }
  Slot conv(Slot x, const measure::ConvBn& p) {
    const auto folded = measure::fold(p);
    const torch::Tensor w = tensor_of(folded.weight, {p.out, p.in, p.kernel, p.kernel});
    const torch::Tensor b = tensor_of(folded.bias, {p.out});
    const int stride = p.stride;
    const int pad = p.pad;
    return add([x, w, b, stride, pad](std::vector<torch::Tensor>& s) {
      return F::conv2d(s[x], w, F::Conv2dFuncOptions().bias(b).stride(stride).padding(pad));
    });
  }
  Slot pool(Slot x, int kernel, int stride, int pad) {
    return add([x, kernel, stride, pad](std::vector<torch::Tensor>& s) {
      return F::avg_pool2d(
          s[x],
          F::AvgPool2dFuncOptions(kernel).stride(stride).padding(pad).count_include_pad(false));
    });
  }
  Slot sum(const std::vector<Slot>& terms) {
    return add([terms](std::vector<torch::Tensor>& s) {
      torch::Tensor out = s[terms.front()] + s[terms[1]];
      for (std::size_t k = 2; k < terms.size(); ++k) {
        out += s[terms[k]];
      }
      return out;
    });
  }
  Slot zeros_like(Slot x) {
    return add([x](std::vector<torch::Tensor>& s) { return torch::zeros_like(s[x]); });
  }
  Slot head(Slot x, const measure::NetworkWeights& w) {
    const auto norm = measure::fold_head(w);
    const auto c = static_cast<std::int64_t>(norm.scale.size());
    const torch::Tensor scale = tensor_of(norm.scale, {1, c, 1, 1});
    const torch::Tensor shift = tensor_of(norm.shift, {1, c, 1, 1});
    const torch::Tensor fc_w = tensor_of(w.fc_weight, {measure::kClasses, c});
    const torch::Tensor fc_b = tensor_of(w.fc_bias, {measure::kClasses});
    return add([x, scale, shift, fc_w, fc_b](std::vector<torch::Tensor>& s) {
      const torch::Tensor normed = torch::relu(s[x] * scale + shift);
      return F::linear(
          torch::flatten(F::adaptive_avg_pool2d(normed, F::AdaptiveAvgPool2dFuncOptions(1)), 1),
          fc_w, fc_b);
    });
  }
  void finish(Slot out) { output_ = out; }

  std::vector<float> forward(const std::vector<float>& input) override {
    if (static_cast<std::int64_t>(input.size()) != slots_[0].numel()) {
      throw std::invalid_argument("LibTorch network: expected an input of " +
                                  std::to_string(slots_[0].numel()) + " values");
    }
    slots_[0] = tensor_of(input, input_shape_);
    run();
    const torch::Tensor out = slots_[static_cast<std::size_t>(output_)].contiguous();
    const float* p = out.data_ptr<float>();
    return {p, p + out.numel()};
  }

  void run() override {
    const c10::InferenceMode guard;
    for (std::size_t k = 0; k < steps_.size(); ++k) {
      slots_[k + 1] = steps_[k](slots_);
    }
  }

  void randomise(std::uint64_t seed) {
    const auto v = measure::make_input(static_cast<std::size_t>(slots_[0].numel()), seed);
    slots_[0] = tensor_of(v, input_shape_);
  }

 private:
  using Step = std::function<torch::Tensor(std::vector<torch::Tensor>&)>;
  Slot add(Step step) {
    steps_.push_back(std::move(step));
    slots_.emplace_back();
    return static_cast<Slot>(steps_.size());
  }

  std::vector<std::int64_t> input_shape_;
  std::vector<Step> steps_;
  std::vector<torch::Tensor> slots_;  // slot 0: the input; slot k: step k's output
  Slot output_ = 0;
};

class TorchRuntime final : public measure::Runtime {
 public:
  std::string name() const override { return "torch"; }
  std::string version() const override { return TORCH_VERSION; }
  // LibTorch's intra-op threads, and the BLAS it calls (OpenBLAS runs its own threads, one per
  // core by default, whatever LibTorch's setting).
  void set_threads(int threads) const override {
    torch::set_num_threads(threads);
    using SetThreads = void (*)(int);
    if (void* f = ::dlsym(RTLD_DEFAULT, "openblas_set_num_threads")) {
      reinterpret_cast<SetThreads>(f)(threads);
    }
  }
  std::unique_ptr<measure::Network> build(const measure::NetworkWeights& weights) const override {
    auto n = std::make_unique<TorchNetwork>(std::vector<std::int64_t>{1, 3, 32, 32});
    n->finish(measure::walk_network(*n, n->input(), weights));
    return n;
  }
  std::unique_ptr<measure::Network> op_chain(measure::LutOp op, int stage, int copies,
                                             std::uint64_t seed) const override {
    if (stage < 0 || stage > 2 || copies < 1) {
      throw std::invalid_argument("op_chain: expected a stage in 0..2 and copies >= 1");
    }
    const std::int64_t c = measure::kStageChannels[static_cast<std::size_t>(stage)];
    const std::int64_t size = measure::kStageSize[static_cast<std::size_t>(stage)];
    auto n = std::make_unique<TorchNetwork>(std::vector<std::int64_t>{1, c, size, size});
    n->finish(measure::walk_op_chain(*n, n->input(), op, stage, copies, seed));
    n->randomise(seed);
    return n;
  }
};

}  // namespace

}  // namespace maplex::devices

// The plugin's entry point (runtimes.hpp).
extern "C" __attribute__((visibility("default"))) const maplex::measure::Runtime* maplex_runtime() {
  static const maplex::devices::TorchRuntime runtime;
  return &runtime;
}
