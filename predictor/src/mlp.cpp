#include "maplex/predictor/mlp.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "maplex/core/rng.hpp"

namespace maplex::predictor {

namespace {

// Standard normal from two uniforms (Box-Muller), platform independent.
double normal(Rng& rng) {
  const double u1 = 1.0 - rng.uniform();
  const double u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

// Adam's constants (Kingma and Ba's defaults).
constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr double kEps = 1e-8;

}  // namespace

void Mlp::init_layers(Rng& rng, int inputs) {
  layers_.clear();
  std::vector<int> sizes = {inputs};
  sizes.insert(sizes.end(), config_.hidden.begin(), config_.hidden.end());
  sizes.push_back(1);
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    Layer layer{Eigen::MatrixXd(sizes[l], sizes[l + 1]), Eigen::RowVectorXd::Zero(sizes[l + 1])};
    const double scale = std::sqrt(2.0 / sizes[l]);  // He initialisation
    for (Eigen::Index i = 0; i < layer.w.size(); ++i) {
      layer.w.data()[i] = normal(rng) * scale;
    }
    layers_.push_back(std::move(layer));
  }
}

void Mlp::adam_step(const std::vector<Eigen::MatrixXd>& acts, Eigen::MatrixXd grad,
                    std::vector<Layer>& m1, std::vector<Layer>& m2, int step) {
  const double c1 = 1.0 - std::pow(kBeta1, step);
  const double c2 = 1.0 - std::pow(kBeta2, step);
  for (std::size_t l = layers_.size(); l-- > 0;) {
    const Eigen::MatrixXd gw = acts[l].transpose() * grad + config_.weight_decay * layers_[l].w;
    const Eigen::RowVectorXd gb = grad.colwise().sum();
    if (l > 0) {
      grad = (grad * layers_[l].w.transpose())
                 .cwiseProduct((acts[l].array() > 0.0).cast<double>().matrix());
    }
    m1[l].w = kBeta1 * m1[l].w + (1 - kBeta1) * gw;
    m2[l].w = kBeta2 * m2[l].w + (1 - kBeta2) * gw.cwiseAbs2();
    m1[l].b = kBeta1 * m1[l].b + (1 - kBeta1) * gb;
    m2[l].b = kBeta2 * m2[l].b + (1 - kBeta2) * gb.cwiseAbs2();
    layers_[l].w.array() -=
        config_.learning_rate * (m1[l].w.array() / c1) / ((m2[l].w.array() / c2).sqrt() + kEps);
    layers_[l].b.array() -=
        config_.learning_rate * (m1[l].b.array() / c1) / ((m2[l].b.array() / c2).sqrt() + kEps);
  }
}

Eigen::MatrixXd Mlp::forward(const Eigen::MatrixXd& xs, std::vector<Eigen::MatrixXd>* acts) const {
  Eigen::MatrixXd h = xs;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    if (acts != nullptr) {
      acts->push_back(h);
    }
    Eigen::MatrixXd z = (h * layers_[l].w).rowwise() + layers_[l].b;
    if (l + 1 < layers_.size()) {
      z = z.cwiseMax(0.0);
    }
    h = std::move(z);
  }
  return h;
}

double Mlp::train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& w) {
  if (x.rows() != y.size() || y.size() != w.size() || x.rows() == 0) {
    throw std::invalid_argument("mlp: " + std::to_string(x.rows()) + " rows, " +
                                std::to_string(y.size()) + " targets, " + std::to_string(w.size()) +
                                " weights, expected equal and > 0");
  }
  const auto n = x.rows();
  const auto p = x.cols();
  const double wsum = w.sum();
  x_mean_ = (x.array().colwise() * w.array()).colwise().sum() / wsum;
  Eigen::MatrixXd xc = x.rowwise() - x_mean_;
  x_scale_ = ((xc.array().square().colwise() * w.array()).colwise().sum() / wsum).sqrt();
  for (Eigen::Index j = 0; j < p; ++j) {
    x_scale_(j) = x_scale_(j) > 1e-12 ? 1.0 / x_scale_(j) : 0.0;
  }
  const Eigen::MatrixXd xs = xc.array().rowwise() * x_scale_.array();
  y_mean_ = w.dot(y) / wsum;
  y_scale_ = std::sqrt(w.dot((y.array() - y_mean_).square().matrix()) / wsum);
  if (y_scale_ < 1e-12) {
    y_scale_ = 1.0;
  }
  const Eigen::VectorXd ys = (y.array() - y_mean_) / y_scale_;
  const Eigen::VectorXd wn = w * (static_cast<double>(n) / wsum);  // mean weight 1

  Rng rng(seed_);
  init_layers(rng, static_cast<int>(p));
  // Adam state.
  std::vector<Layer> m1 = layers_;
  std::vector<Layer> m2 = layers_;
  for (auto& l : m1) {
    l.w.setZero();
    l.b.setZero();
  }
  m2 = m1;
  int step = 0;
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  const auto batch = static_cast<Eigen::Index>(config_.batch);
  for (int epoch = 0; epoch < config_.epochs; ++epoch) {
    for (std::size_t i = order.size(); i > 1; --i) {
      std::swap(order[i - 1], order[static_cast<std::size_t>(rng.below(i))]);
    }
    for (Eigen::Index start = 0; start < n; start += batch) {
      const Eigen::Index m = std::min(batch, n - start);
      Eigen::MatrixXd xb(m, p);
      Eigen::VectorXd yb(m);
      Eigen::VectorXd wb(m);
      for (Eigen::Index r = 0; r < m; ++r) {
        const Eigen::Index src = order[static_cast<std::size_t>(start + r)];
        xb.row(r) = xs.row(src);
        yb(r) = ys(src);
        wb(r) = wn(src);
      }
      std::vector<Eigen::MatrixXd> acts;
      const Eigen::MatrixXd out = forward(xb, &acts);
      // d loss / d out for loss = sum w (out - y)^2 / m
      Eigen::MatrixXd grad = (2.0 / static_cast<double>(m)) * ((out.col(0) - yb).cwiseProduct(wb));
      adam_step(acts, std::move(grad), m1, m2, ++step);
    }
  }
  const Eigen::VectorXd fit = predict(x);
  return w.dot((fit - y).cwiseAbs2()) / wsum;
}

Eigen::VectorXd Mlp::predict(const Eigen::MatrixXd& x) const {
  if (layers_.empty()) {
    throw std::logic_error("mlp: predict before train");
  }
  const Eigen::MatrixXd xs = (x.rowwise() - x_mean_).array().rowwise() * x_scale_.array();
  return (forward(xs, nullptr).col(0).array() * y_scale_ + y_mean_).matrix();
}

}  // namespace maplex::predictor
