// maplex: Bayesian model averaging over pool device models and their pairwise mixtures.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "context.hpp"
#include "maplex/core/parallel.hpp"

namespace maplex::predictor::detail {

namespace {

constexpr int kMixSteps = 9;  // alpha = 0.1, 0.2, ..., 0.9
// Prior of the target's own layer-wise table against the whole pool: measured on the target, it
// is the better model unless the measurements contradict it (BENCHMARKS.md: local).
constexpr double kOwnTablePrior = 100;

struct Member {
  std::size_t i;
  std::size_t j;  // == i for a single device
  double alpha;   // weight of device i
  double log_weight = 0;
  double log_scale = 0;
};

// The dictionary: every pool device's model normalised to mean 1 over the space, their
// hardware-weighted mean (index k) and the target's own table (index k + 1, when measured); the
// members are each single model and the pairwise mixtures. Returns the own table's prior.
double dictionary(const Context& c, std::vector<Eigen::VectorXd>& norm,
                  std::vector<Member>& members) {
  const std::size_t k = c.additive.size();
  // Each device's model normalised to mean 1 over the space.
  norm.reserve(k + 2);
  for (const auto& m : c.additive) {
    norm.emplace_back(m / m.mean());
  }
  // The hardware-weighted mean of every device's normalised model (index k in norm).
  Eigen::VectorXd mean_model = Eigen::VectorXd::Zero(norm.front().size());
  double wsum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double w = std::pow(c.setting_weight[i], c.config.hardware_sharpness);
    mean_model += w * norm[i];
    wsum += w;
  }
  norm.emplace_back(mean_model / wsum);
  members.push_back(Member{k, k, 1.0});
  // The target's own layer-wise table (index k + 1): measured on the target itself, it needs no
  // mixing with other devices.
  double own_prior = 1.0;
  if (!c.target.lut_ms.empty()) {
    const Eigen::VectorXd lut = own_table(c);
    norm.emplace_back(lut / lut.mean());
    members.push_back(Member{k + 1, k + 1, 1.0});
    for (std::size_t i = 0; i < k; ++i) {
      own_prior += kOwnTablePrior * std::pow(c.setting_weight[i], c.config.hardware_sharpness);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    members.push_back({i, i, 1.0});
    for (std::size_t j = i + 1; j < k; ++j) {
      for (int s = 1; s <= kMixSteps; ++s) {
        members.push_back({i, j, s / (kMixSteps + 1.0)});
      }
    }
  }
  return own_prior;
}

// Each member's log weight (prior x Gaussian likelihood of the log ratios) and log scale; the
// weights are returned as exp(log weight - max), unnormalised, with their total.
double weigh(const Context& c, const std::vector<Eigen::VectorXd>& norm,
             std::vector<Member>& members, double own_prior) {
  const std::size_t k = c.additive.size();
  const std::size_t n = c.target.archs.size();
  const double var = c.config.bma_sigma * c.config.bma_sigma;
  double best = -1e300;
  for (Member& m : members) {
    double mean = 0;
    std::vector<double> r(n);
    for (std::size_t t = 0; t < n; ++t) {
      const int a = c.target.archs[t];
      const double model = m.alpha * norm[m.i](a) + (1 - m.alpha) * norm[m.j](a);
      r[t] = std::log(c.target.latency_ms[t] / model);
      mean += r[t];
    }
    mean /= static_cast<double>(n);
    double err = 0;
    for (double x : r) {
      err += (x - mean) * (x - mean);
    }
    // The pool mean counts as an average device; the target's own table as the most similar.
    const auto hw = [&](std::size_t d) {
      return d < k ? std::pow(c.setting_weight[d], c.config.hardware_sharpness)
                   : (d == k ? 1.0 : own_prior);
    };
    const double prior = m.alpha * hw(m.i) + (1 - m.alpha) * hw(m.j);
    // A mixture is one of 9 per pair: its prior share is split so pairs do not drown singles.
    const double share = m.i == m.j ? 1.0 : 1.0 / kMixSteps;
    m.log_scale = mean;
    m.log_weight = std::log(prior * share) - err / (2 * var);
    best = std::max(best, m.log_weight);
  }
  double total = 0;
  for (Member& m : members) {
    m.log_weight = std::exp(m.log_weight - best);
    total += m.log_weight;
  }
  return total;
}

// The five heaviest members by name, for the report.
void report_members(const Context& c, const std::vector<Member>& members,
                    std::vector<std::pair<double, std::size_t>> ranked, TrainReport& report) {
  const std::size_t k = c.additive.size();
  std::sort(ranked.rbegin(), ranked.rend());
  report.top_members.clear();
  for (std::size_t r = 0; r < std::min<std::size_t>(5, ranked.size()); ++r) {
    const Member& m = members[ranked[r].second];
    const auto name_of = [&](std::size_t d) {
      return d < k ? c.pool.devices[d].name : (d == k ? "pool mean" : "own LUT");
    };
    std::string name = name_of(m.i);
    if (m.j != m.i) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "%.1f*%s + %.1f*%s", m.alpha, name.c_str(), 1 - m.alpha,
                    name_of(m.j).c_str());
      name = buf;
    }
    report.top_members.emplace_back(name, ranked[r].first);
  }
}

}  // namespace

Eigen::VectorXd predict_bma(const Context& c, TrainReport& report, Eigen::VectorXd& log_var) {
  const std::size_t k = c.additive.size();
  std::vector<Eigen::VectorXd> norm;
  std::vector<Member> members;
  const double own_prior = dictionary(c, norm, members);
  const double var = c.config.bma_sigma * c.config.bma_sigma;
  const double total = weigh(c, norm, members, own_prior);
  // Members below 1e-9 of the total are dropped (no full-space evaluation), the rest renormalised.
  std::vector<std::pair<double, std::size_t>> ranked;
  double kept = 0;
  for (std::size_t idx = 0; idx < members.size(); ++idx) {
    const double w = members[idx].log_weight / total;
    if (w >= 1e-9) {
      ranked.emplace_back(w, idx);
      kept += w;
    }
  }
  // Posterior mean and variance of log latency, E[x] and E[x^2] - E[x]^2 over the members, plus
  // the members' residual variance. In parallel over architectures; each one sums the members in
  // the same order, so the result does not depend on the thread count.
  const double pooled = pooled_residual_var(c);
  double residual_var = 0;
  for (auto& [w, idx] : ranked) {
    w /= kept;
    const Member& m = members[idx];
    // The own table is the target's additive model: its residual is taken as the measurement
    // noise (on this machine the additive model explains latency to about 3%, BENCHMARKS.md).
    const auto rv = [&](std::size_t d) {
      return d < k ? c.residual_sd[d] * c.residual_sd[d] : (d == k ? pooled : var);
    };
    residual_var += w * (m.alpha * rv(m.i) + (1 - m.alpha) * rv(m.j));
  }
  const auto size = norm.front().size();
  Eigen::VectorXd log_pred(size);
  log_var.resize(size);
  parallel_blocks(static_cast<std::size_t>(size), 256, [&](std::size_t begin, std::size_t end) {
    for (auto a = static_cast<Eigen::Index>(begin); a != static_cast<Eigen::Index>(end); ++a) {
      double s1 = 0;
      double s2 = 0;
      for (const auto& [w, idx] : ranked) {
        const Member& m = members[idx];
        const double x =
            std::log(m.alpha * norm[m.i](a) + (1 - m.alpha) * norm[m.j](a)) + m.log_scale;
        s1 += w * x;
        s2 += w * x * x;
      }
      log_pred(a) = s1;
      log_var(a) = std::max(0.0, s2 - s1 * s1) + residual_var;
    }
  });
  report_members(c, members, ranked, report);
  return log_pred.array().exp().matrix();
}

}  // namespace maplex::predictor::detail
