#pragma once
// The NB201 network of one architecture as a oneDNN inference graph on the CPU: batch 1, fp32,
// activations in oneDNN's blocked channel layout (nChw16c), convolution weights in the layout the
// convolution picks, batch norm folded into each convolution's weights and bias. Built once, run
// many times: run() is what a latency measurement times.

#include <cstdint>
#include <memory>
#include <vector>

#include "maplex/measure/runtime.hpp"
#include "maplex/measure/weights.hpp"

namespace maplex::measure {

class Engine final : public Network {
 public:
  // Builds every primitive and reorders the weights. Throws std::runtime_error when oneDNN cannot.
  explicit Engine(const NetworkWeights& weights);
  ~Engine() override;
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // A chain of `copies` of one op at stage `stage`'s shape (channels, size), weights from `seed`:
  // what a per-op timing runs. Throws std::invalid_argument for a stage outside 0..2 or copies < 1.
  static Engine op_chain(LutOp op, int stage, int copies, std::uint64_t seed);

  // Sets the input (3 x 32 x 32, CHW), runs the network and returns the 10 logits.
  std::vector<float> forward(const std::vector<float>& input) override;
  // One inference on the current input, waiting for it to finish.
  void run() override;
  // Primitives executed per inference.
  int primitives() const;

 private:
  Engine();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace maplex::measure
