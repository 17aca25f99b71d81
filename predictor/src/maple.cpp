// MAPLE, MAPLE-X1 and MAPLE-X: one regression network over [architecture features, device
// descriptor], trained on the pool and the target's measurements (and virtual examples).

#include <algorithm>
#include <cmath>

#include "context.hpp"

namespace maplex::predictor::detail {

namespace {

// The device descriptor: log latency on the measured architectures (its mean, then the centred
// pattern), then log specs (0 and a flag 1 where missing). `probe` holds the latencies.
Eigen::RowVectorXd descriptor(const std::vector<double>& probe, const SpecVector& spec) {
  const auto n = static_cast<Eigen::Index>(probe.size());
  Eigen::RowVectorXd d(1 + n + 6);
  double mean = 0;
  for (double v : probe) {
    mean += std::log(v);
  }
  mean /= static_cast<double>(n);
  d(0) = mean;
  for (Eigen::Index k = 0; k < n; ++k) {
    d(1 + k) = std::log(probe[static_cast<std::size_t>(k)]) - mean;
  }
  const std::optional<double> s[3] = {spec.cores, spec.max_clock_mhz, spec.tdp_w};
  for (Eigen::Index k = 0; k < 3; ++k) {
    const auto& v = s[static_cast<std::size_t>(k)];
    d(1 + n + 2 * k) = v ? std::log(*v) : 0.0;
    d(1 + n + 2 * k + 1) = v ? 0.0 : 1.0;
  }
  return d;
}

// A pool device's latency on an architecture: measured when the pool holds it, else its model.
double pool_latency(const Context& c, std::size_t d, int arch) {
  const auto& dev = c.pool.devices[d];
  const auto it = std::lower_bound(dev.archs.begin(), dev.archs.end(), arch);
  if (it != dev.archs.end() && *it == arch) {
    return dev.latency_ms[static_cast<std::size_t>(it - dev.archs.begin())];
  }
  return c.additive[d](arch);
}

struct Row {
  int arch;
  std::size_t device;  // pool device, or pool size for the target
  double log_latency;
  double weight;
};

// Virtual examples around each measured architecture (the anchor): its latency neighbourhood on
// the pool, labelled v(a) = LUT(a) - mean LUT over the neighbourhood and anchor + measured latency.
std::vector<Row> virtual_rows(const Context& c, double weight, TrainReport& report) {
  const Eigen::VectorXd lut = predict_lut(c);
  const auto& candidates = c.pool.devices.front().archs;  // the pool's common sample
  Eigen::MatrixXd cand_lat(static_cast<Eigen::Index>(candidates.size()),
                           static_cast<Eigen::Index>(c.pool.devices.size()));
  for (std::size_t d = 0; d < c.pool.devices.size(); ++d) {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      cand_lat(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d)) =
          c.pool.devices[d].latency_ms[i];
    }
  }
  std::vector<Row> rows;
  std::vector<char> measured(static_cast<std::size_t>(lut.size()), 0);
  for (int a : c.target.archs) {
    measured[static_cast<std::size_t>(a)] = 1;
  }
  for (std::size_t k = 0; k < c.target.archs.size(); ++k) {
    const int anchor = c.target.archs[k];
    std::vector<double> anchor_lat;
    for (std::size_t d = 0; d < c.pool.devices.size(); ++d) {
      anchor_lat.push_back(pool_latency(c, d, anchor));
    }
    Neighbourhood nb =
        find_neighbourhood(anchor, anchor_lat, candidates, cand_lat, c.config.neighbourhood);
    std::vector<double> member_lut;
    for (int a : nb.members) {
      member_lut.push_back(lut(a));
    }
    const auto labels = virtual_labels(lut(anchor), member_lut, c.target.latency_ms[k]);
    for (std::size_t m = 0; m < nb.members.size(); ++m) {
      const int a = nb.members[m];
      if (measured[static_cast<std::size_t>(a)] == 0 && labels[m] > 0) {
        rows.push_back({a, c.pool.devices.size(), std::log(labels[m]), weight});
      }
    }
    report.neighbourhoods.push_back(std::move(nb));
  }
  report.virtual_examples = static_cast<int>(rows.size());
  return rows;
}

}  // namespace

Eigen::VectorXd predict_maple(const Context& c, bool virtual_examples, bool weighted,
                              TrainReport& report) {
  const std::size_t k = c.pool.devices.size();
  // Descriptors: pool devices, then the target.
  std::vector<Eigen::RowVectorXd> desc;
  for (std::size_t d = 0; d < k; ++d) {
    std::vector<double> probe;
    for (int a : c.target.archs) {
      probe.push_back(pool_latency(c, d, a));
    }
    desc.push_back(descriptor(probe, c.pool.devices[d].spec));
  }
  desc.push_back(descriptor(c.target.latency_ms, c.target.spec.value_or(SpecVector{})));

  std::vector<Row> rows;
  double pool_weight = 0;
  for (std::size_t d = 0; d < k; ++d) {
    const double w = weighted ? c.hardware_weight[d] : 1.0;
    const auto& dev = c.pool.devices[d];
    for (std::size_t i = 0; i < dev.archs.size(); ++i) {
      rows.push_back({dev.archs[i], d, std::log(dev.latency_ms[i]), w});
      pool_weight += w;
    }
  }
  const double n_adapt = static_cast<double>(c.target.archs.size());
  const double adapt_w = std::max(1.0, c.config.adaptation_share * pool_weight / n_adapt);
  for (std::size_t t = 0; t < c.target.archs.size(); ++t) {
    rows.push_back({c.target.archs[t], k, std::log(c.target.latency_ms[t]), adapt_w});
  }
  if (virtual_examples) {
    const auto extra = virtual_rows(c, c.config.virtual_weight * adapt_w, report);
    rows.insert(rows.end(), extra.begin(), extra.end());
  }
  const Eigen::Index p = c.features.full.cols() + desc.front().size();
  Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), p);
  Eigen::VectorXd y(x.rows());
  Eigen::VectorXd w(x.rows());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const Row& row = rows[static_cast<std::size_t>(r)];
    x.row(r) << c.features.full.row(row.arch), desc[row.device];
    // Relative to the device's mean log probe latency, so the scale of a device comes from its
    // descriptor and the network learns how latency varies across architectures and devices.
    y(r) = row.log_latency - desc[row.device](0);
    w(r) = row.weight;
  }
  Mlp mlp(c.config.mlp, c.config.seed);
  mlp.train(x, y, w);
  Eigen::MatrixXd all(c.features.full.rows(), p);
  all << c.features.full, desc.back().replicate(c.features.full.rows(), 1);
  return (mlp.predict(all).array() + desc.back()(0)).exp().matrix();
}

}  // namespace maplex::predictor::detail
