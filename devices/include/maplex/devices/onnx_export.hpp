#pragma once
// The NB201 network as ONNX, so that any runtime runs the network maplex's own engine runs: the
// same seeded weights (measure/weights.hpp), batch norm folded the same way (each convolution's
// scale into its weights and its shift into its bias; the head's as a multiply and an add), batch
// 1, fp32, input "input" [1, 3, 32, 32], output "logits" [1, 10].
//
// Opset 13 (IR version 7): Conv, Relu, AveragePool (count_include_pad = 0), Sum (a node with two or
// more inputs), Mul, Add, GlobalAveragePool, Flatten, Gemm. `none` edges are left out; a node
// without any input is zeros (the cell's input times 0, as the engine's zero buffer), and ops that
// read it run on it, as in the engine.

#include <cstdint>
#include <string>

#include "maplex/measure/runtime.hpp"
#include "maplex/measure/weights.hpp"

namespace maplex::devices {

inline constexpr int kOnnxOpset = 13;

// The serialized ModelProto of the network.
std::string export_onnx(const measure::NetworkWeights& weights);

// `copies` chained copies of one op at stage `stage`'s shape (input "input" [1, C, H, W], output
// "output"), weights from `seed` as the engine's op chains draw them: what a per-op table times.
// Throws std::invalid_argument for a stage outside 0..2 or copies < 1.
std::string export_op_chain(measure::LutOp op, int stage, int copies, std::uint64_t seed);

// Runs onnx's checker on a serialized model; throws std::runtime_error with its message.
void check_onnx(const std::string& model);

}  // namespace maplex::devices
