#pragma once
// What runs NB201 networks on this machine. A Runtime builds a Network from its weights (and the
// chains of one op that a per-op table times); a Network runs one inference. oneDNN (maplex's own
// engine) is here; OpenCV DNN and LibTorch live in the devices module, which links them. Every
// runtime is timed the same way (timing.hpp: alternating with a reference network built by the same
// runtime), so their latencies are comparable.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "maplex/measure/weights.hpp"

namespace maplex::measure {

// The ops of the layer-wise latency table (LUT): what one cell edge or node adds. A nor_conv edge
// is ReLU + convolution (batch norm folded); a node with k inputs adds k - 1 two-input sums.
enum class LutOp { conv1x1, conv3x3, avg_pool, sum };
inline constexpr int kLutOps = 4;
const char* lut_op_name(LutOp op);

class Network {
 public:
  virtual ~Network() = default;
  // Sets the input (3 x 32 x 32, CHW), runs the network and returns the 10 logits. Throws
  // std::invalid_argument for an input of another size.
  virtual std::vector<float> forward(const std::vector<float>& input) = 0;
  // One inference on the current input, finished when it returns: what a measurement times.
  virtual void run() = 0;
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  // "onednn", "opencv", "torch": the device is `local` for onednn, else `local:<name>`.
  virtual std::string name() const = 0;
  // The linked library's version, part of every stored measurement's settings.
  virtual std::string version() const = 0;
  // Threads per inference, set before any network is built.
  virtual void set_threads(int threads) const = 0;
  // Memory layouts a measurement averages over unless told otherwise (timing.hpp,
  // time_over_layouts): more where a network's speed depends on where its buffers fall.
  virtual int default_layouts() const { return 1; }
  // Takes a sweep times of each network, a whole pass apart (sweep.hpp, rounds), by default.
  virtual int default_rounds() const { return 1; }
  // Whether timings are corrected for the session's op balance (balance.hpp) by default. Off for
  // every runtime so far: on oneDNN the anchors helped on the tuning set and in one held-out run of
  // two, and lost in the other (BENCHMARKS.md, issue 12, "Held out, 2026-12-05").
  virtual bool default_balance() const { return false; }
  // What it does with ops on no input-to-output path (DeviceFacts::dead_ops): "runs" or "prunes".
  // Every runtime here builds the network op by op from network_walk.hpp, which builds dead ops
  // too, and executes all of them (a cell whose three convolutions are all dead measured 3.4x
  // (oneDNN) to 10x (OpenCV DNN, LibTorch) its pruned twin, 2026-12-08); a runtime that compiles
  // the graph and drops them says "prunes".
  virtual std::string dead_ops() const { return "runs"; }
  // Throws std::runtime_error when the runtime cannot build it.
  virtual std::unique_ptr<Network> build(const NetworkWeights& weights) const = 0;
  // `copies` chained copies of one op at stage `stage`'s shape, weights from `seed`: what a per-op
  // timing runs. Throws std::invalid_argument for a stage outside 0..2 or copies < 1.
  virtual std::unique_ptr<Network> op_chain(LutOp op, int stage, int copies,
                                            std::uint64_t seed) const = 0;
};

// maplex's own oneDNN engine (engine.hpp).
std::shared_ptr<const Runtime> onednn_runtime();

}  // namespace maplex::measure
