#include "maplex/measure/weights.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "maplex/core/rng.hpp"

namespace maplex::measure {

namespace {

std::vector<float> uniform(Rng& rng, std::size_t n, double lo, double hi) {
  std::vector<float> v(n);
  for (auto& x : v) {
    x = static_cast<float>(lo + (hi - lo) * rng.uniform());
  }
  return v;
}

ConvBn conv_bn(Rng& rng, int in, int out, int kernel, int stride, int pad, bool bn) {
  ConvBn c{in, out, kernel, stride, pad, bn, {}, {}, {}, {}, {}};
  const double bound = std::sqrt(3.0 / (in * kernel * kernel));
  c.weight = uniform(rng,
                     static_cast<std::size_t>(out) * static_cast<std::size_t>(in) *
                         static_cast<std::size_t>(kernel) * static_cast<std::size_t>(kernel),
                     -bound, bound);
  if (bn) {
    const auto n = static_cast<std::size_t>(out);
    c.gamma = uniform(rng, n, 0.5, 1.5);
    c.beta = uniform(rng, n, -0.1, 0.1);
    c.mean = uniform(rng, n, -0.1, 0.1);
    c.var = uniform(rng, n, 0.5, 1.5);
  }
  return c;
}

}  // namespace

NetworkWeights make_weights(const space::Arch& arch, std::uint64_t seed) {
  Rng rng(seed);
  NetworkWeights w;
  w.arch = arch;
  w.stem = conv_bn(rng, 3, kStageChannels[0], 3, 1, 1, true);
  for (int s = 0; s < 3; ++s) {
    const int c = kStageChannels[static_cast<std::size_t>(s)];
    for (int k = 0; k < kCellsPerStage; ++k) {
      auto& cell = w.cells[cell_slot(s, k)];
      for (int e = 0; e < space::kNumEdges; ++e) {
        const auto op = arch.op(e);
        if (op == space::Op::nor_conv_1x1 || op == space::Op::nor_conv_3x3) {
          const int kernel = op == space::Op::nor_conv_3x3 ? 3 : 1;
          cell.conv[static_cast<std::size_t>(e)] = conv_bn(rng, c, c, kernel, 1, kernel / 2, true);
        }
      }
    }
    if (s < 2) {
      const int out = kStageChannels[static_cast<std::size_t>(s) + 1];
      auto& b = w.blocks[static_cast<std::size_t>(s)];
      b.a = conv_bn(rng, c, out, 3, 2, 1, true);
      b.b = conv_bn(rng, out, out, 3, 1, 1, true);
      b.shortcut = conv_bn(rng, c, out, 1, 1, 0, false);
    }
  }
  const auto c = static_cast<std::size_t>(kStageChannels[2]);
  w.head_gamma = uniform(rng, c, 0.5, 1.5);
  w.head_beta = uniform(rng, c, -0.1, 0.1);
  w.head_mean = uniform(rng, c, -0.1, 0.1);
  w.head_var = uniform(rng, c, 0.5, 1.5);
  const double bound = std::sqrt(3.0 / static_cast<double>(c));
  w.fc_weight = uniform(rng, static_cast<std::size_t>(kClasses) * c, -bound, bound);
  w.fc_bias = uniform(rng, kClasses, -0.1, 0.1);
  return w;
}

std::vector<float> make_input(std::uint64_t seed) { return make_input(kInputSize, seed); }

std::vector<float> make_input(std::size_t size, std::uint64_t seed) {
  Rng rng(seed);
  return uniform(rng, size, -1.0, 1.0);
}

std::uint64_t arch_weight_seed(std::uint64_t seed, int index) {
  return Rng::derive(seed, 2 + static_cast<std::uint64_t>(index));
}

ConvBn op_chain_conv(int kernel, int stage, std::uint64_t seed, int copy) {
  if (stage < 0 || stage > 2) {
    throw std::invalid_argument("op_chain_conv: stage " + std::to_string(stage) +
                                ", expected 0..2");
  }
  const auto w = make_weights(
      space::Arch::parse(kernel == 1 ? "|nor_conv_1x1~0|+|none~0|none~1|+|none~0|none~1|none~2|"
                                     : "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|"),
      Rng::derive(seed, static_cast<std::uint64_t>(copy)));
  return w.cells[cell_slot(stage, 0)].conv[0];
}

FoldedConv fold(const ConvBn& p) {
  FoldedConv f{p.weight, std::vector<float>(static_cast<std::size_t>(p.out), 0.F)};
  if (!p.bn) {
    return f;
  }
  const std::size_t per_out = static_cast<std::size_t>(p.in) * static_cast<std::size_t>(p.kernel) *
                              static_cast<std::size_t>(p.kernel);
  for (std::size_t o = 0; o < static_cast<std::size_t>(p.out); ++o) {
    const float scale = p.gamma[o] / std::sqrt(p.var[o] + kBnEpsilon);
    for (std::size_t k = 0; k < per_out; ++k) {
      f.weight[o * per_out + k] *= scale;
    }
    f.bias[o] = p.beta[o] - p.mean[o] * scale;
  }
  return f;
}

FoldedNorm fold_head(const NetworkWeights& w) {
  FoldedNorm f;
  for (std::size_t k = 0; k < w.head_gamma.size(); ++k) {
    f.scale.push_back(w.head_gamma[k] / std::sqrt(w.head_var[k] + kBnEpsilon));
    f.shift.push_back(w.head_beta[k] - w.head_mean[k] * f.scale.back());
  }
  return f;
}

}  // namespace maplex::measure
