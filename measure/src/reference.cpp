#include "maplex/measure/reference.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace maplex::measure {

namespace {

struct Map {
  int c = 0;
  int h = 0;
  int w = 0;
  std::vector<double> v;  // CHW

  Map(int channels, int height, int width)
      : c(channels), h(height), w(width), v(static_cast<std::size_t>(channels * height * width)) {}
  std::size_t offset(int ch, int y, int x) const {
    return (static_cast<std::size_t>(ch) * static_cast<std::size_t>(h) +
            static_cast<std::size_t>(y)) *
               static_cast<std::size_t>(w) +
           static_cast<std::size_t>(x);
  }
  double& at(int ch, int y, int x) { return v[offset(ch, y, x)]; }
  double at(int ch, int y, int x) const { return v[offset(ch, y, x)]; }
};

Map relu(Map m) {
  for (auto& x : m.v) {
    x = std::max(0.0, x);
  }
  return m;
}

Map add(Map a, const Map& b) {
  for (std::size_t i = 0; i < a.v.size(); ++i) {
    a.v[i] += b.v[i];
  }
  return a;
}

Map batch_norm(Map m, const std::vector<float>& gamma, const std::vector<float>& beta,
               const std::vector<float>& mean, const std::vector<float>& var) {
  for (int ch = 0; ch < m.c; ++ch) {
    const auto k = static_cast<std::size_t>(ch);
    const double scale = gamma[k] / std::sqrt(static_cast<double>(var[k]) + kBnEpsilon);
    for (int y = 0; y < m.h; ++y) {
      for (int x = 0; x < m.w; ++x) {
        m.at(ch, y, x) = (m.at(ch, y, x) - mean[k]) * scale + beta[k];
      }
    }
  }
  return m;
}

Map conv(const Map& in, const ConvBn& p) {
  const int oh = (in.h + 2 * p.pad - p.kernel) / p.stride + 1;
  const int ow = (in.w + 2 * p.pad - p.kernel) / p.stride + 1;
  Map out(p.out, oh, ow);
  for (int o = 0; o < p.out; ++o) {
    for (int y = 0; y < oh; ++y) {
      for (int x = 0; x < ow; ++x) {
        double sum = 0;
        for (int i = 0; i < p.in; ++i) {
          for (int ky = 0; ky < p.kernel; ++ky) {
            for (int kx = 0; kx < p.kernel; ++kx) {
              const int sy = y * p.stride - p.pad + ky;
              const int sx = x * p.stride - p.pad + kx;
              if (sy < 0 || sy >= in.h || sx < 0 || sx >= in.w) {
                continue;
              }
              const auto wi = static_cast<std::size_t>(o * p.in + i) *
                                  static_cast<std::size_t>(p.kernel * p.kernel) +
                              static_cast<std::size_t>(ky * p.kernel + kx);
              sum += p.weight[wi] * in.at(i, sy, sx);
            }
          }
        }
        out.at(o, y, x) = sum;
      }
    }
  }
  if (p.bn) {
    return batch_norm(std::move(out), p.gamma, p.beta, p.mean, p.var);
  }
  return out;
}

// Average pooling that divides by the number of in-bounds elements.
Map avg_pool(const Map& in, int kernel, int stride, int pad) {
  const int oh = (in.h + 2 * pad - kernel) / stride + 1;
  const int ow = (in.w + 2 * pad - kernel) / stride + 1;
  Map out(in.c, oh, ow);
  for (int ch = 0; ch < in.c; ++ch) {
    for (int y = 0; y < oh; ++y) {
      for (int x = 0; x < ow; ++x) {
        double sum = 0;
        int n = 0;
        for (int ky = 0; ky < kernel; ++ky) {
          for (int kx = 0; kx < kernel; ++kx) {
            const int sy = y * stride - pad + ky;
            const int sx = x * stride - pad + kx;
            if (sy >= 0 && sy < in.h && sx >= 0 && sx < in.w) {
              sum += in.at(ch, sy, sx);
              ++n;
            }
          }
        }
        out.at(ch, y, x) = sum / n;
      }
    }
  }
  return out;
}

Map cell(const Map& in, const space::Arch& arch, const CellWeights& w) {
  std::vector<Map> nodes;
  nodes.push_back(in);
  for (int j = 1; j <= 3; ++j) {
    Map node(in.c, in.h, in.w);  // zeros
    for (int e = 0; e < space::kNumEdges; ++e) {
      if (space::kEdgeTarget[static_cast<std::size_t>(e)] != j) {
        continue;
      }
      const Map& src =
          nodes[static_cast<std::size_t>(space::kEdgeSource[static_cast<std::size_t>(e)])];
      switch (arch.op(e)) {
        case space::Op::none:
          break;
        case space::Op::skip_connect:
          node = add(std::move(node), src);
          break;
        case space::Op::nor_conv_1x1:
        case space::Op::nor_conv_3x3:
          node = add(std::move(node), conv(relu(src), w.conv[static_cast<std::size_t>(e)]));
          break;
        case space::Op::avg_pool_3x3:
          node = add(std::move(node), avg_pool(src, 3, 1, 1));
          break;
      }
    }
    nodes.push_back(std::move(node));
  }
  return nodes[3];
}

Map block(const Map& in, const BlockWeights& b) {
  const Map main = conv(relu(conv(relu(in), b.a)), b.b);
  const Map shortcut = conv(avg_pool(in, 2, 2, 0), b.shortcut);
  return add(main, shortcut);
}

}  // namespace

std::vector<double> reference_forward(const NetworkWeights& w, const std::vector<float>& input) {
  if (input.size() != kInputSize) {
    throw std::invalid_argument("reference_forward: expected a 3 x 32 x 32 input");
  }
  Map x(3, 32, 32);
  std::copy(input.begin(), input.end(), x.v.begin());
  x = conv(x, w.stem);
  for (int s = 0; s < 3; ++s) {
    for (int k = 0; k < kCellsPerStage; ++k) {
      x = cell(x, w.arch, w.cells[cell_slot(s, k)]);
    }
    if (s < 2) {
      x = block(x, w.blocks[static_cast<std::size_t>(s)]);
    }
  }
  x = relu(batch_norm(std::move(x), w.head_gamma, w.head_beta, w.head_mean, w.head_var));
  std::vector<double> logits(kClasses);
  for (int o = 0; o < kClasses; ++o) {
    double sum = w.fc_bias[static_cast<std::size_t>(o)];
    for (int ch = 0; ch < x.c; ++ch) {
      double mean = 0;
      for (int y = 0; y < x.h; ++y) {
        for (int xx = 0; xx < x.w; ++xx) {
          mean += x.at(ch, y, xx);
        }
      }
      mean /= x.h * x.w;
      sum += w.fc_weight[static_cast<std::size_t>(o) * static_cast<std::size_t>(x.c) +
                         static_cast<std::size_t>(ch)] *
             mean;
    }
    logits[static_cast<std::size_t>(o)] = sum;
  }
  return logits;
}

}  // namespace maplex::measure
