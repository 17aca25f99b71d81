// maplex: Bayesian regression of the device's additive latency model under the pool's prior
// (prior.hpp), averaged with the measurements' marginal likelihood over centres and widths.
//
// A member is a centre (a pool device's normalised coefficients, or the pool's mean) and a width:
// the coefficients b ~ N(s0 centre, s0^2 (rho Sigma_pool + tau^2 D + mean-scale term)), where s0 is
// the device's overall speed from the measurements (geometric mean of measured / centre
// prediction), Sigma_pool the spread of the pool's devices and D an isotropic inflation (a device
// outside the pool's span stays expressible). A measurement is y = x.b + e, e ~ N(0, (y sigma)^2),
// sigma^2 = the measurement noise plus the pool's mean non-additive residual. Each member's
// posterior is Gaussian (a linear-kernel Gaussian process) with a closed-form marginal likelihood;
// the members are averaged with it, times the centre's hardware prior. Few measurements that agree
// with a pool device keep the answer near it (like bma); more measurements, or ones no pool device
// explains, move it to the device's own fit, and the predictive spread (parameter variance plus
// the residual, as a log-normal's log-sd) widens when the members disagree.

#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>
#include <string>

#include "context.hpp"
#include "maplex/space/op.hpp"
#include "prior.hpp"

namespace maplex::predictor::detail {

namespace {

// The grids the posterior averages over: how far a device may sit from a pool device along the
// directions the pool's devices differ in (rho), and in any direction (tau).
constexpr std::array<double, 5> kRhos = {0.0, 0.25, 1.0, 4.0, 16.0};
constexpr std::array<double, 2> kTaus = {0.0, 0.05};
// The device's overall speed relative to s0 is known to about a factor e^1 a priori.
constexpr double kScaleVar = 1.0;
// The target's own layer-wise table, measured on the target itself, is a centre with this many
// times the whole pool's prior weight (bma's rule, BENCHMARKS.md "Predictor accuracy on local").
constexpr double kOwnTablePrior = 100;

struct Fit {
  Eigen::VectorXd beta;
  Eigen::MatrixXd cov;
  double log_ml = 0;
};

Fit posterior(const Eigen::MatrixXd& xa, const Eigen::VectorXd& y, const Eigen::VectorXd& m0,
              const Eigen::MatrixXd& s, double noise_var) {
  const Eigen::Index n = xa.rows();
  Eigen::MatrixXd k = xa * s * xa.transpose();
  for (Eigen::Index i = 0; i < n; ++i) {
    k(i, i) += y(i) * y(i) * noise_var;
  }
  const Eigen::LLT<Eigen::MatrixXd> llt(k);
  const Eigen::VectorXd r = y - xa * m0;
  const Eigen::VectorXd alpha = llt.solve(r);
  const Eigen::MatrixXd sx = s * xa.transpose();  // p x n
  Fit f;
  f.beta = m0 + sx * alpha;
  f.cov = s - sx * llt.solve(sx.transpose());
  const Eigen::MatrixXd l = llt.matrixL();
  f.log_ml = -0.5 * r.dot(alpha) - l.diagonal().array().log().sum() -
             0.5 * static_cast<double>(n) * std::log(2 * std::numbers::pi);
  return f;
}

struct Centre {
  Eigen::VectorXd coef;  // normalised coefficients
  double log_prior = 0;
  double residual_var = 0;  // the non-additive residual under "the target is like this"
  std::string label;
  // The own table: what its additive fit misses, normalised like coef, by NB201 index.
  Eigen::VectorXd remainder;
  // The device's costs under the target's dead-op handling (as_other_dead_ops): the pool's
  // spread around it is turned the same way.
  bool converted = false;
};

// The additive features (features.hpp) count each op over all edges (a runtime that runs dead
// ops pays it there) and over live edges (one that prunes them pays it there). The same op costs
// under the other handling: the two blocks of coefficients swapped.
constexpr Eigen::Index kCounted = space::kNumOps - 1;  // the ops but none, per block

Eigen::VectorXd as_other_dead_ops(const Eigen::VectorXd& coef) {
  Eigen::VectorXd out = coef;
  out.segment(0, kCounted) = coef.segment(kCounted, kCounted);
  out.segment(kCounted, kCounted) = coef.segment(0, kCounted);
  return out;
}

Eigen::MatrixXd as_other_dead_ops(const Eigen::MatrixXd& cov) {
  Eigen::PermutationMatrix<Eigen::Dynamic> swap(cov.rows());
  swap.setIdentity();
  for (Eigen::Index k = 0; k < kCounted; ++k) {
    swap.indices()(k) = static_cast<int>(k + kCounted);
    swap.indices()(k + kCounted) = static_cast<int>(k);
  }
  return swap * cov * swap.transpose();
}

// Pool device d's centre is converted when the config asks for it and both its and the target's
// dead-op handling are known and differ (devices.csv's dead_ops, or the user's statement).
bool converts(const Context& c, Eigen::Index d) {
  if (!c.config.use_dead_ops) {
    return false;
  }
  const std::string target = c.target.spec ? c.target.spec->dead_ops : "";
  const std::string& own = c.pool.devices[static_cast<std::size_t>(d)].spec.dead_ops;
  return !target.empty() && !own.empty() && own != target;
}

// Every pool device (its hardware weight as prior, MAPLE-X's as bma uses it), the pool's mean
// (an average device) and, when the target has one, its own layer-wise table. bma's pairwise
// mixtures as point centres measured worse on every protocol but loo (BENCHMARKS.md): the widths
// already reach between devices.
std::vector<Centre> centres(const Context& c, const AdditivePrior& prior) {
  const auto k = prior.devices.cols();
  const auto hw = [&](Eigen::Index d) {
    return std::pow(c.setting_weight[static_cast<std::size_t>(d)], c.config.hardware_sharpness);
  };
  const auto name = [&](Eigen::Index d) {
    return c.pool.devices[static_cast<std::size_t>(d)].name;
  };
  std::vector<Centre> out;
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(prior.devices.rows());
  bool any = false;
  for (Eigen::Index d = 0; d < k; ++d) {
    const bool convert = converts(c, d);
    any = any || convert;
    const Eigen::VectorXd coef = prior.devices.col(d);
    out.push_back({convert ? as_other_dead_ops(coef) : coef,
                   std::log(hw(d)),
                   prior.residual_vars(d),
                   name(d) + (convert ? " (dead ops converted)" : ""),
                   {},
                   convert});
    mean += out.back().coef / static_cast<double>(k);
  }
  // The pool's mean device, of the converted costs where any is.
  out.push_back({any ? mean : prior.mean, 0.0, prior.residual_var, "pool mean", {}});
  if (!c.target.lut_ms.empty()) {
    // The own table as additive coefficients, fitted on every connected architecture like a pool
    // device is on its samples; its residual is what the features miss of the table.
    DeviceSamples table;
    for (int a = 0; a < static_cast<int>(c.target.lut_ms.size()); ++a) {
      if (c.features.index->cell(a).connected) {
        table.archs.push_back(a);
        table.latency_ms.push_back(c.target.lut_ms[static_cast<std::size_t>(a)]);
      }
    }
    const Eigen::VectorXd beta = fit_coefficients(c.features.additive, table);
    double pool_weight = 0;
    for (Eigen::Index d = 0; d < k; ++d) {
      pool_weight += hw(d);
    }
    const Eigen::RowVectorXd x_mean = c.features.additive.colwise().mean();
    const double m = x_mean.dot(beta);
    const Eigen::VectorXd remainder = (own_table(c) - c.features.additive * beta) / m;
    out.push_back({beta / m, std::log(kOwnTablePrior * pool_weight), 0.0, "own layer-wise table",
                   remainder, false});
  }
  return out;
}

// exp(mean log(y / (xa coef + rem))): the device's overall speed relative to a centre.
double speed(const Eigen::MatrixXd& xa, const Eigen::VectorXd& y, const Eigen::VectorXd& coef,
             const Eigen::VectorXd& rem) {
  double log_s0 = 0;
  for (Eigen::Index i = 0; i < xa.rows(); ++i) {
    log_s0 += std::log(y(i) / std::max(xa.row(i).dot(coef) + rem(i), 1e-3));
  }
  return std::exp(log_s0 / static_cast<double>(xa.rows()));
}

}  // namespace

std::vector<PosteriorMember> hier_posterior(const Context& c) {
  return hier_posterior(c, additive_prior(c.features.additive, c.pool));
}

std::vector<PosteriorMember> hier_posterior(const Context& c, const AdditivePrior& prior) {
  const Eigen::MatrixXd& x = c.features.additive;
  const auto n = static_cast<Eigen::Index>(c.target.archs.size());
  Eigen::MatrixXd xa(n, x.cols());
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    xa.row(i) = x.row(c.target.archs[static_cast<std::size_t>(i)]);
    y(i) = c.target.latency_ms[static_cast<std::size_t>(i)];
  }
  std::vector<PosteriorMember> members;
  double best = -1e300;
  // The pool's spread around a converted centre, turned once for every centre and width.
  const Eigen::MatrixXd converted_cov =
      c.config.use_dead_ops ? as_other_dead_ops(prior.cov) : Eigen::MatrixXd();
  for (const Centre& centre : centres(c, prior)) {
    const Eigen::MatrixXd& cov = centre.converted ? converted_cov : prior.cov;
    // Under the own table the measurements are x . b plus the table's remainder at the speed s0.
    Eigen::VectorXd rem = Eigen::VectorXd::Zero(n);
    for (Eigen::Index i = 0; i < n && centre.remainder.size() > 0; ++i) {
      rem(i) = centre.remainder(c.target.archs[static_cast<std::size_t>(i)]);
    }
    const double s0 = speed(xa, y, centre.coef, rem);
    const Eigen::VectorXd yc = y - s0 * rem;
    const double noise_var = c.config.bma_sigma * c.config.bma_sigma + centre.residual_var;
    // The own table was measured on the target: how far the target sits from it is not how far
    // pool devices sit from each other, so only the isotropic widths apply around it (rho = 0).
    const bool own = centre.remainder.size() > 0;
    const std::size_t widths = (own ? 1 : kRhos.size()) * kTaus.size();
    for (std::size_t g = 0; g < widths; ++g) {
      const double rho = own ? 0.0 : kRhos[g / kTaus.size()];
      const double tau = kTaus[g % kTaus.size()];
      const AdditivePrior around{{}, centre.coef, rho * cov, prior.inflate, {}, 0};
      Fit f = posterior(xa, yc, s0 * centre.coef, s0 * s0 * prior_cov(around, tau, kScaleVar),
                        noise_var);
      char name[200];
      std::snprintf(name, sizeof name, "%s, rho=%g, tau=%g", centre.label.c_str(), rho, tau);
      members.push_back({std::move(f.beta), std::move(f.cov),
                         f.log_ml + centre.log_prior - std::log(static_cast<double>(widths)),
                         centre.residual_var, name,
                         centre.remainder.size() > 0 ? Eigen::VectorXd(s0 * centre.remainder)
                                                     : Eigen::VectorXd()});
      best = std::max(best, members.back().weight);
    }
  }
  // Log marginal likelihoods to normalised weights; members below 1e-9 are dropped.
  double total = 0;
  for (PosteriorMember& m : members) {
    m.weight = std::exp(m.weight - best);
    total += m.weight;
  }
  std::erase_if(members, [&](PosteriorMember& m) {
    m.weight /= total;
    return m.weight < 1e-9;
  });
  return members;
}

Moments mixture_moments(const Context& c, const std::vector<PosteriorMember>& members,
                        const std::vector<int>& rows) {
  const auto size = static_cast<Eigen::Index>(rows.size());
  Eigen::MatrixXd x(size, c.features.additive.cols());
  for (Eigen::Index i = 0; i < size; ++i) {
    x.row(i) = c.features.additive.row(rows[static_cast<std::size_t>(i)]);
  }
  Eigen::VectorXd m1 = Eigen::VectorXd::Zero(size);
  Eigen::VectorXd m2 = Eigen::VectorXd::Zero(size);
  // The members' parameter variances enter the second moment linearly: x' (sum w C) x, one
  // product for the whole mixture instead of one per member.
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(x.cols(), x.cols());
  for (const PosteriorMember& m : members) {
    Eigen::VectorXd mean = x * m.beta;
    for (Eigen::Index i = 0; i < size && m.offset.size() > 0; ++i) {
      mean(i) += m.offset(rows[static_cast<std::size_t>(i)]);
    }
    cov += m.weight * m.cov;
    m1 += m.weight * mean;
    m2 += m.weight * mean.cwiseAbs2() * (1 + m.residual_var);
  }
  m2 += (x * cov).cwiseProduct(x).rowwise().sum();
  // A prediction is floored (prediction_floor: half the fastest measurement, as every pool
  // device's fit is, or half the own table's where lower); the log-sd is that of a log-normal
  // with the same two moments.
  const Eigen::VectorXd floor = prediction_floor(c);
  Moments out{std::vector<double>(rows.size()), std::vector<double>(rows.size())};
  for (Eigen::Index a = 0; a < size; ++a) {
    const double m = std::max(m1(a), floor(rows[static_cast<std::size_t>(a)]));
    const double v = std::max(m2(a) - m1(a) * m1(a), 0.0) + (m - m1(a)) * (m - m1(a));
    out.mean[static_cast<std::size_t>(a)] = m;
    out.log_var[static_cast<std::size_t>(a)] = std::log1p(v / (m * m));
  }
  return out;
}

Eigen::VectorXd predict_hier(const Context& c, TrainReport& report, Eigen::VectorXd& log_var,
                             bool stacked) {
  const AdditivePrior prior = additive_prior(c.features.additive, c.pool);
  const std::vector<PosteriorMember> members = hier_posterior(c, prior);
  const Calibration cal = calibrate(c, prior, stacked);
  report.top_members.clear();
  for (const PosteriorMember& m : members) {
    report.top_members.emplace_back(m.label, m.weight);
  }
  std::sort(report.top_members.begin(), report.top_members.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  if (report.top_members.size() > 5) {
    report.top_members.resize(5);
  }
  std::vector<int> all(static_cast<std::size_t>(c.features.additive.rows()));
  std::iota(all.begin(), all.end(), 0);
  const Moments m = mixture_moments(c, members, all);
  report.log_sd_scale = cal.log_sd_scale;
  report.posterior_weight = cal.posterior_weight;
  const double k2 = cal.log_sd_scale * cal.log_sd_scale;
  const Eigen::VectorXd simple = simplest_fit(c);
  Eigen::VectorXd mean(static_cast<Eigen::Index>(all.size()));
  log_var.resize(mean.size());
  for (Eigen::Index a = 0; a < mean.size(); ++a) {
    const auto i = static_cast<std::size_t>(a);
    mean(a) = stack(cal.posterior_weight, m.mean[i], simple(a));
    log_var(a) = m.log_var[i] * k2;
  }
  return mean;
}

}  // namespace maplex::predictor::detail
