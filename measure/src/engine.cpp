#include "maplex/measure/engine.hpp"

#include <cmath>
#include <cstring>
#include <dnnl.hpp>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "maplex/measure/host.hpp"
#include "maplex/measure/network_walk.hpp"

namespace maplex::measure {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;
using dims = dnnl::memory::dims;

struct Engine::Impl {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  std::vector<std::pair<dnnl::primitive, std::unordered_map<int, dnnl::memory>>> net;
  dnnl::memory input;   // nchw, 1 x 3 x 32 x 32
  dnnl::memory output;  // nc, 1 x 10

  // The channel block oneDNN's JIT convolutions use on this CPU: 16 with AVX-512, else 8. With
  // the other block size they fall back to the reference convolution (about 100x slower: an
  // AVX2-only AMD EPYC measured seconds per network with 16).
  static int channel_block() {
    switch (dnnl::get_effective_cpu_isa()) {
      case dnnl::cpu_isa::sse41:
      case dnnl::cpu_isa::avx:
      case dnnl::cpu_isa::avx2:
      case dnnl::cpu_isa::avx2_vnni:
        return 8;
      default:
        return 16;
    }
  }

  // A new activation buffer of c x h x w in the blocked layout.
  dnnl::memory activation(int c, int h, int w) const {
    static const int block = channel_block();
    const tag blocked = block == 8 ? tag::nChw8c : tag::nChw16c;
    const tag t = c % block == 0 ? blocked : tag::nchw;
    return dnnl::memory({{1, c, h, w}, dt::f32, t}, engine);
  }

  static dims shape(const dnnl::memory& m) { return m.get_desc().dims(); }

  dnnl::memory relu(const dnnl::memory& src) {
    dnnl::memory dst(src.get_desc(), engine);
    const dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference,
                                        dnnl::algorithm::eltwise_relu, src.get_desc(), 0.F);
    net.emplace_back(
        dnnl::eltwise_forward({d, engine}),
        std::unordered_map<int, dnnl::memory>{{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    return dst;
  }

  // Convolution with batch norm folded in (scale into the weights, shift into the bias).
  dnnl::memory conv(const dnnl::memory& src, const ConvBn& p) {
    const auto s = shape(src);
    const int h = static_cast<int>((s[2] + 2L * p.pad - p.kernel) / p.stride + 1);
    const int w = static_cast<int>((s[3] + 2L * p.pad - p.kernel) / p.stride + 1);
    dnnl::memory dst = activation(p.out, h, w);
    const auto [weight, bias] = fold(p);
    const dnnl::memory::desc wei_any({p.out, p.in, p.kernel, p.kernel}, dt::f32, tag::any);
    const dnnl::memory::desc bias_md({p.out}, dt::f32, tag::x);
    const dnnl::convolution_forward::desc d(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src.get_desc(),
        wei_any, bias_md, dst.get_desc(), {p.stride, p.stride}, {p.pad, p.pad}, {p.pad, p.pad});
    const dnnl::convolution_forward::primitive_desc pd(d, engine);
    // Plain OIHW weights reordered once into the layout the convolution chose.
    dnnl::memory plain({{p.out, p.in, p.kernel, p.kernel}, dt::f32, tag::oihw}, engine);
    std::memcpy(plain.get_data_handle(), weight.data(), weight.size() * sizeof(float));
    dnnl::memory wei(pd.weights_desc(), engine);
    dnnl::reorder(plain, wei).execute(stream, plain, wei);
    dnnl::memory b(bias_md, engine);
    std::memcpy(b.get_data_handle(), bias.data(), bias.size() * sizeof(float));
    stream.wait();
    net.emplace_back(
        dnnl::convolution_forward(pd),
        std::unordered_map<int, dnnl::memory>{
            {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST, dst}});
    return dst;
  }

  // Average pooling that does not count the padding.
  dnnl::memory pool(const dnnl::memory& src, int kernel, int stride, int pad) {
    const auto s = shape(src);
    const int c = static_cast<int>(s[1]);
    const int h = static_cast<int>((s[2] + 2L * pad - kernel) / stride + 1);
    const int w = static_cast<int>((s[3] + 2L * pad - kernel) / stride + 1);
    dnnl::memory dst = activation(c, h, w);
    const dnnl::pooling_forward::desc d(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_avg_exclude_padding,
        src.get_desc(), dst.get_desc(), {stride, stride}, {kernel, kernel}, {pad, pad}, {pad, pad});
    net.emplace_back(
        dnnl::pooling_forward({d, engine}),
        std::unordered_map<int, dnnl::memory>{{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    return dst;
  }

  // The sum of `srcs` (at least two) into a new buffer.
  dnnl::memory sum(const std::vector<dnnl::memory>& srcs) {
    std::vector<dnnl::memory::desc> mds;
    std::unordered_map<int, dnnl::memory> args;
    for (std::size_t k = 0; k < srcs.size(); ++k) {
      mds.push_back(srcs[k].get_desc());
      args.emplace(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(k), srcs[k]);
    }
    dnnl::memory dst(srcs.front().get_desc(), engine);
    args.emplace(DNNL_ARG_DST, dst);
    const std::vector<float> scales(srcs.size(), 1.F);
    const dnnl::sum::primitive_desc pd(dst.get_desc(), scales, mds, engine);
    net.emplace_back(dnnl::sum(pd), std::move(args));
    return dst;
  }

  dnnl::memory zeros_like(const dnnl::memory& like) const {
    dnnl::memory z(like.get_desc(), engine);
    std::memset(z.get_data_handle(), 0, like.get_desc().get_size());
    return z;
  }

  // Head: batch norm + ReLU as one binary multiply with an add and a ReLU post-op, global average
  // pooling, then the linear layer.
  dnnl::memory head(const dnnl::memory& in, const NetworkWeights& w) {
    const auto s = shape(in);
    const int c = static_cast<int>(s[1]);
    dnnl::memory scale({{1, c, 1, 1}, dt::f32, tag::nchw}, engine);
    dnnl::memory shift({{1, c, 1, 1}, dt::f32, tag::nchw}, engine);
    const FoldedNorm folded = fold_head(w);
    std::memcpy(scale.get_data_handle(), folded.scale.data(), folded.scale.size() * sizeof(float));
    std::memcpy(shift.get_data_handle(), folded.shift.data(), folded.shift.size() * sizeof(float));
    dnnl::memory normed(in.get_desc(), engine);
    dnnl::post_ops ops;
    ops.append_binary(dnnl::algorithm::binary_add, shift.get_desc());
    ops.append_eltwise(1.F, dnnl::algorithm::eltwise_relu, 0.F, 0.F);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    const dnnl::binary::desc bd(dnnl::algorithm::binary_mul, in.get_desc(), scale.get_desc(),
                                normed.get_desc());
    net.emplace_back(dnnl::binary({bd, attr, engine}),
                     std::unordered_map<int, dnnl::memory>{
                         {DNNL_ARG_SRC_0, in},
                         {DNNL_ARG_SRC_1, scale},
                         {DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, shift},
                         {DNNL_ARG_DST, normed}});
    dnnl::memory pooled({{1, c, 1, 1}, dt::f32, tag::nchw}, engine);
    const dnnl::pooling_forward::desc pd(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_avg_exclude_padding,
        normed.get_desc(), pooled.get_desc(), {1, 1}, {s[2], s[3]}, {0, 0}, {0, 0});
    net.emplace_back(
        dnnl::pooling_forward({pd, engine}),
        std::unordered_map<int, dnnl::memory>{{DNNL_ARG_SRC, normed}, {DNNL_ARG_DST, pooled}});
    dnnl::memory wei({{kClasses, c, 1, 1}, dt::f32, tag::oihw}, engine);
    std::memcpy(wei.get_data_handle(), w.fc_weight.data(), w.fc_weight.size() * sizeof(float));
    dnnl::memory bias({{kClasses}, dt::f32, tag::x}, engine);
    std::memcpy(bias.get_data_handle(), w.fc_bias.data(), w.fc_bias.size() * sizeof(float));
    output = dnnl::memory({{1, kClasses}, dt::f32, tag::nc}, engine);
    const dnnl::inner_product_forward::desc id(dnnl::prop_kind::forward_inference,
                                               pooled.get_desc(), wei.get_desc(), bias.get_desc(),
                                               output.get_desc());
    net.emplace_back(dnnl::inner_product_forward({id, engine}),
                     std::unordered_map<int, dnnl::memory>{{DNNL_ARG_SRC, pooled},
                                                           {DNNL_ARG_WEIGHTS, wei},
                                                           {DNNL_ARG_BIAS, bias},
                                                           {DNNL_ARG_DST, output}});
    return output;
  }
};

Engine::Engine(const NetworkWeights& w) : impl_(std::make_unique<Impl>()) {
  try {
    auto& m = *impl_;
    m.input = dnnl::memory({{1, 3, 32, 32}, dt::f32, tag::nchw}, m.engine);
    std::memset(m.input.get_data_handle(), 0, m.input.get_desc().get_size());
    m.output = walk_network(m, m.input, w);
  } catch (const dnnl::error& e) {
    throw std::runtime_error(std::string("oneDNN could not build the network: ") + e.what());
  }
}

Engine::Engine() : impl_(std::make_unique<Impl>()) {}

const char* lut_op_name(LutOp op) {
  switch (op) {
    case LutOp::conv1x1:
      return "nor_conv_1x1";
    case LutOp::conv3x3:
      return "nor_conv_3x3";
    case LutOp::avg_pool:
      return "avg_pool_3x3";
    case LutOp::sum:
      return "sum";
  }
  return "?";
}

Engine Engine::op_chain(LutOp op, int stage, int copies, std::uint64_t seed) {
  if (stage < 0 || stage > 2 || copies < 1) {
    throw std::invalid_argument("Engine::op_chain: expected a stage in 0..2 and copies >= 1");
  }
  const int c = kStageChannels[static_cast<std::size_t>(stage)];
  const int size = kStageSize[static_cast<std::size_t>(stage)];
  Engine e;
  auto& m = *e.impl_;
  try {
    m.input = m.activation(c, size, size);
    const auto values = make_input(m.input.get_desc().get_size() / sizeof(float), seed);
    std::memcpy(m.input.get_data_handle(), values.data(), values.size() * sizeof(float));
    m.output = walk_op_chain(m, m.input, op, stage, copies, seed);
  } catch (const dnnl::error& err) {
    throw std::runtime_error(std::string("oneDNN could not build the op chain: ") + err.what());
  }
  return e;
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

void Engine::run() {
  for (auto& [primitive, args] : impl_->net) {
    primitive.execute(impl_->stream, args);
  }
  impl_->stream.wait();
}

std::vector<float> Engine::forward(const std::vector<float>& input) {
  if (input.size() != kInputSize) {
    throw std::invalid_argument("Engine::forward: expected a 3 x 32 x 32 input");
  }
  std::memcpy(impl_->input.get_data_handle(), input.data(), input.size() * sizeof(float));
  run();
  const auto* out = static_cast<const float*>(impl_->output.get_data_handle());
  return {out, out + kClasses};
}

int Engine::primitives() const { return static_cast<int>(impl_->net.size()); }

namespace {

class OnednnRuntime final : public Runtime {
 public:
  std::string name() const override { return "onednn"; }
  std::string version() const override {
    const auto* v = dnnl_version();
    return std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
           std::to_string(v->patch);
  }
  void set_threads(int threads) const override { measure::set_threads(threads); }
  // Two takes a sweep apart: on the tuning set (BENCHMARKS.md, issue 12) one session against
  // another agreed within 5% for a mean 0.839 (worst 0.725), the mean of two against two others
  // for 0.940 (worst 0.808).
  int default_rounds() const override { return 2; }
  std::unique_ptr<Network> build(const NetworkWeights& weights) const override {
    return std::make_unique<Engine>(weights);
  }
  std::unique_ptr<Network> op_chain(LutOp op, int stage, int copies,
                                    std::uint64_t seed) const override {
    return std::make_unique<Engine>(Engine::op_chain(op, stage, copies, seed));
  }
};

}  // namespace

std::shared_ptr<const Runtime> onednn_runtime() {
  static const auto runtime = std::make_shared<const OnednnRuntime>();
  return runtime;
}

}  // namespace maplex::measure
