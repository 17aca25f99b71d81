// help: HELP (Lee et al., NeurIPS 2021) as a baseline: a latency regressor conditioned on a
// hardware embedding (the device's latencies on 10 fixed reference architectures), meta-trained
// on the pool's devices with first-order MAML (Adam outside, plain steps inside) and adapted to the
// target by the same few gradient steps on its measurements.
//
// Deviations from HELP's code, stated: first-order MAML (no second derivatives); a plain MLP over
// [architecture features, embedding] instead of HELP's layer-wise hardware modulation and its
// amortised latent variable; log latency relative to the device's mean log reference latency as
// the target (HELP normalises latencies per device); a pool device's latency on a reference
// architecture its sample lacks comes from its additive model.

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <span>

#include "context.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"

namespace maplex::predictor::detail {

namespace {

constexpr std::span<const int> kReference = kHelpReference;
constexpr int kHidden = 100;
constexpr int kTasksPerIteration = 4;
constexpr int kSupport = 10;
constexpr int kQuery = 20;
constexpr int kInnerSteps = 5;
constexpr double kInnerRate = 0.05;
constexpr double kOuterRate = 1e-3;

struct Net {
  Eigen::MatrixXd w1, w2, w3;
  Eigen::RowVectorXd b1, b2, b3;

  Eigen::VectorXd forward(const Eigen::MatrixXd& x, Eigen::MatrixXd* a1,
                          Eigen::MatrixXd* a2) const {
    Eigen::MatrixXd h1 = ((x * w1).rowwise() + b1).cwiseMax(0.0);
    Eigen::MatrixXd h2 = ((h1 * w2).rowwise() + b2).cwiseMax(0.0);
    Eigen::VectorXd y = ((h2 * w3).rowwise() + b3).col(0);
    if (a1 != nullptr) {
      *a1 = std::move(h1);
      *a2 = std::move(h2);
    }
    return y;
  }

  // The gradient of the mean squared error on (x, t), as a Net of the same shapes.
  Net gradient(const Eigen::MatrixXd& x, const Eigen::VectorXd& t) const {
    Eigen::MatrixXd a1;
    Eigen::MatrixXd a2;
    const Eigen::VectorXd y = forward(x, &a1, &a2);
    const Eigen::MatrixXd d3 = 2.0 * (y - t) / static_cast<double>(x.rows());
    Net g;
    g.w3 = a2.transpose() * d3;
    g.b3 = d3.colwise().sum();
    const Eigen::MatrixXd d2 =
        (d3 * w3.transpose()).cwiseProduct((a2.array() > 0).cast<double>().matrix());
    g.w2 = a1.transpose() * d2;
    g.b2 = d2.colwise().sum();
    const Eigen::MatrixXd d1 =
        (d2 * w2.transpose()).cwiseProduct((a1.array() > 0).cast<double>().matrix());
    g.w1 = x.transpose() * d1;
    g.b1 = d1.colwise().sum();
    return g;
  }

  // Adam's update with state m, v (Nets of the same shapes), step count t >= 1.
  void adam(const Net& g, Net& m, Net& v, int t, double rate) {
    constexpr double kB1 = 0.9;
    constexpr double kB2 = 0.999;
    const double c1 = 1 - std::pow(kB1, t);
    const double c2 = 1 - std::pow(kB2, t);
    const auto upd = [&](auto& w, const auto& gw, auto& mw, auto& vw) {
      mw = kB1 * mw + (1 - kB1) * gw;
      vw = kB2 * vw + (1 - kB2) * gw.cwiseAbs2();
      w.array() -= rate * (mw.array() / c1) / ((vw.array() / c2).sqrt() + 1e-8);
    };
    upd(w1, g.w1, m.w1, v.w1);
    upd(w2, g.w2, m.w2, v.w2);
    upd(w3, g.w3, m.w3, v.w3);
    upd(b1, g.b1, m.b1, v.b1);
    upd(b2, g.b2, m.b2, v.b2);
    upd(b3, g.b3, m.b3, v.b3);
  }

  Net zero() const {
    return {
        Eigen::MatrixXd::Zero(w1.rows(), w1.cols()), Eigen::MatrixXd::Zero(w2.rows(), w2.cols()),
        Eigen::MatrixXd::Zero(w3.rows(), w3.cols()), Eigen::RowVectorXd::Zero(b1.size()),
        Eigen::RowVectorXd::Zero(b2.size()),         Eigen::RowVectorXd::Zero(b3.size())};
  }

  void step(const Net& g, double rate) {
    w1 -= rate * g.w1;
    w2 -= rate * g.w2;
    w3 -= rate * g.w3;
    b1 -= rate * g.b1;
    b2 -= rate * g.b2;
    b3 -= rate * g.b3;
  }
};

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, Rng& rng) {
  const double scale = std::sqrt(2.0 / static_cast<double>(rows));  // He initialisation
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    m(i) = scale * (2 * rng.uniform() - 1) * std::sqrt(3.0);
  }
  return m;
}

// A device's task: its architectures, their log latency relative to its mean log reference
// latency, and its embedding (the centred log reference latencies).
struct Task {
  std::vector<int> archs;
  Eigen::VectorXd target;
  Eigen::RowVectorXd embedding;
};

Task make_task(const std::vector<int>& archs, const std::vector<double>& latency,
               const std::array<double, std::size(kHelpReference)>& reference) {
  Eigen::RowVectorXd e(static_cast<Eigen::Index>(reference.size()));
  for (std::size_t r = 0; r < reference.size(); ++r) {
    e(static_cast<Eigen::Index>(r)) = std::log(reference[r]);
  }
  const double mean = e.mean();
  Task t{archs, Eigen::VectorXd(static_cast<Eigen::Index>(archs.size())), e.array() - mean};
  for (std::size_t i = 0; i < archs.size(); ++i) {
    t.target(static_cast<Eigen::Index>(i)) = std::log(latency[i]) - mean;
  }
  return t;
}

Eigen::MatrixXd inputs(const Context& c, const Task& t, const std::vector<int>& archs) {
  const Eigen::Index f = c.features.full.cols();
  Eigen::MatrixXd x(static_cast<Eigen::Index>(archs.size()), f + t.embedding.size());
  for (std::size_t i = 0; i < archs.size(); ++i) {
    x.row(static_cast<Eigen::Index>(i)) << c.features.full.row(archs[i]), t.embedding;
  }
  return x;
}

Net adapt(Net net, const Eigen::MatrixXd& x, const Eigen::VectorXd& t) {
  for (int s = 0; s < kInnerSteps; ++s) {
    net.step(net.gradient(x, t), kInnerRate);
  }
  return net;
}

// The target's latencies on the reference architectures, which must be among its measurements.
std::array<double, std::size(kHelpReference)> target_reference(const Context& c) {
  std::array<double, std::size(kHelpReference)> ref{};
  for (std::size_t r = 0; r < kReference.size(); ++r) {
    const auto it = std::find(c.target.archs.begin(), c.target.archs.end(), kReference[r]);
    if (it == c.target.archs.end()) {
      std::string list;
      for (int a : kReference) {
        list += (list.empty() ? "" : ",") + std::to_string(a);
      }
      throw InputError("method help: architecture " + std::to_string(kReference[r]) +
                       " is not measured, expected HELP's 10 reference architectures among the "
                       "measurements (" +
                       list + ")");
    }
    ref[r] = c.target.latency_ms[static_cast<std::size_t>(it - c.target.archs.begin())];
  }
  return ref;
}

std::vector<Task> pool_tasks(const Context& c) {
  std::vector<Task> tasks;
  tasks.reserve(c.pool.devices.size());
  for (std::size_t d = 0; d < c.pool.devices.size(); ++d) {
    const auto& dev = c.pool.devices[d];
    std::array<double, std::size(kHelpReference)> ref{};
    for (std::size_t r = 0; r < kReference.size(); ++r) {
      const auto it = std::lower_bound(dev.archs.begin(), dev.archs.end(), kReference[r]);
      ref[r] = it != dev.archs.end() && *it == kReference[r]
                   ? dev.latency_ms[static_cast<std::size_t>(it - dev.archs.begin())]
                   : std::max(c.additive[d](kReference[r]), 1e-6);
    }
    tasks.push_back(make_task(dev.archs, dev.latency_ms, ref));
  }
  return tasks;
}

// `count` random rows of a task: inputs, and their targets in y.
Eigen::MatrixXd batch(const Context& c, const Task& t, int count, Rng& rng, Eigen::VectorXd& y) {
  std::vector<int> archs(static_cast<std::size_t>(count));
  y.resize(count);
  for (int i = 0; i < count; ++i) {
    const auto k = static_cast<std::size_t>(rng.below(t.archs.size()));
    archs[static_cast<std::size_t>(i)] = t.archs[k];
    y(i) = t.target(static_cast<Eigen::Index>(k));
  }
  return inputs(c, t, archs);
}

// First-order MAML over the pool's devices: each step adapts to a few tasks' support sets and
// moves the initial weights along the query loss's gradient at the adapted weights.
Net meta_train(const Context& c, const std::vector<Task>& tasks) {
  Rng rng(c.config.seed);
  const Eigen::Index in = c.features.full.cols() + static_cast<Eigen::Index>(kReference.size());
  Net net{random_matrix(in, kHidden, rng),   random_matrix(kHidden, kHidden, rng),
          random_matrix(kHidden, 1, rng),    Eigen::RowVectorXd::Zero(kHidden),
          Eigen::RowVectorXd::Zero(kHidden), Eigen::RowVectorXd::Zero(1)};
  Net m = net.zero();
  Net v = net.zero();
  for (int it = 0; it < c.config.help_meta_iterations; ++it) {
    Net total = net.zero();
    for (int k = 0; k < kTasksPerIteration; ++k) {
      const Task& t = tasks[static_cast<std::size_t>(rng.below(tasks.size()))];
      Eigen::VectorXd ys;
      Eigen::VectorXd yq;
      const Eigen::MatrixXd xs = batch(c, t, kSupport, rng, ys);
      const Eigen::MatrixXd xq = batch(c, t, kQuery, rng, yq);
      total.step(adapt(net, xs, ys).gradient(xq, yq), -1.0 / kTasksPerIteration);
    }
    net.adam(total, m, v, it + 1, kOuterRate);
  }
  return net;
}

}  // namespace

Eigen::VectorXd predict_help(const Context& c) {
  const auto ref = target_reference(c);
  const Net net = meta_train(c, pool_tasks(c));
  const Task target = make_task(c.target.archs, c.target.latency_ms, ref);
  const Net adapted = adapt(net, inputs(c, target, target.archs), target.target);
  std::vector<int> all(static_cast<std::size_t>(c.features.full.rows()));
  std::iota(all.begin(), all.end(), 0);
  double log_mean = 0;
  for (double v : ref) {
    log_mean += std::log(v);
  }
  log_mean /= static_cast<double>(ref.size());
  return (adapted.forward(inputs(c, target, all), nullptr, nullptr).array() + log_mean)
      .exp()
      .matrix();
}

}  // namespace maplex::predictor::detail
