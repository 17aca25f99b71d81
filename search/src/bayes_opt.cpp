#include "maplex/search/bayes_opt.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "maplex/core/error.hpp"

namespace maplex::search {

namespace {

constexpr int kOps = space::kNumOps - 1;  // skip, conv 1x1, conv 3x3, pool (none ends a path)
constexpr int kPathFeatures = kOps + kOps * kOps + kOps * kOps * kOps;
constexpr int kFeatures = kPathFeatures + space::kNumEdges * space::kNumOps + 1;
// The input-to-output paths of an NB201 cell as edge lists (-1 = shorter path).
constexpr std::array<std::array<int, 3>, 4> kPaths = {
    {{3, -1, -1}, {0, 4, -1}, {1, 5, -1}, {0, 2, 5}}};
// Ridge penalty of each ensemble member (features are 0/1 counts; accuracy in points).
constexpr double kRidge = 1.0;
// The spread the expected improvement assumes at least (accuracy points).
constexpr double kMinSpread = 0.05;

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2 * 3.141592653589793); }

const Eigen::MatrixXd& feature_matrix(const space::ArchIndex& index) {
  static const Eigen::MatrixXd x = [&] {
    Eigen::MatrixXd m(index.size(), kFeatures);
    for (int i = 0; i < index.size(); ++i) {
      const std::vector<double> f = surrogate_features(index.arch(i));
      m.row(i) = Eigen::Map<const Eigen::RowVectorXd>(f.data(), kFeatures);
    }
    return m;
  }();
  if (x.rows() != index.size()) {
    throw std::logic_error("bo: the feature table was built for another space");
  }
  return x;
}

// xs^T xs (a symmetric rank update: half the work of the product).
Eigen::MatrixXd gram(const Eigen::MatrixXd& xs) {
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(xs.cols(), xs.cols());
  a.selfadjointView<Eigen::Lower>().rankUpdate(xs.transpose());
  return a.selfadjointView<Eigen::Lower>();
}

// Ridge coefficients of y on xs.
Eigen::VectorXd ridge_solve(const Eigen::MatrixXd& xs, const Eigen::VectorXd& y, double penalty) {
  Eigen::MatrixXd a = gram(xs);
  a.diagonal().array() += penalty;
  return a.ldlt().solve(xs.transpose() * y);
}

// The feature rows of `cells`.
Eigen::MatrixXd rows_of(const Eigen::MatrixXd& x, std::span<const int> cells) {
  Eigen::MatrixXd xs(static_cast<Eigen::Index>(cells.size()), x.cols());
  for (std::size_t k = 0; k < cells.size(); ++k) {
    xs.row(static_cast<Eigen::Index>(k)) = x.row(cells[k]);
  }
  return xs;
}

// Candidates the search may still evaluate, with their probability of meeting the budget.
struct Candidates {
  std::vector<int> index;
  std::vector<double> p_feasible;
};

// Measured sources know a latency only after measuring it: a ridge model of log latency on the
// archive's measurements (the same features) gives the log-normal P(latency <= budget) instead,
// with its residual as spread; empty (no model) below 5 measurements.
struct LatencyModel {
  Eigen::VectorXd beta;
  double sd = 0;
};

LatencyModel fit_latency(const SearchState& state, const space::ArchIndex& index) {
  const Eigen::MatrixXd& x = feature_matrix(index);
  std::vector<int> rows;
  std::vector<double> logs;
  for (const Fitness& f : state.archive()) {
    if (std::isfinite(f.latency_ms) && f.latency_ms > 0) {
      rows.push_back(f.index);
      logs.push_back(std::log(f.latency_ms));
    }
  }
  LatencyModel m;
  if (rows.size() < 5) {
    return m;
  }
  const auto n = static_cast<Eigen::Index>(rows.size());
  const Eigen::MatrixXd xs = rows_of(x, rows);
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(logs.data(), n);
  m.beta = ridge_solve(xs, y, 0.1);
  m.sd = std::max(std::sqrt((xs * m.beta - y).squaredNorm() / static_cast<double>(n)), 0.02);
  return m;
}

Candidates admissible(const SearchState& state, const Evaluator& evaluator,
                      const space::ArchIndex& index) {
  const objectives::Problem& problem = evaluator.problem();
  const auto& source = problem.source();
  const auto budget = problem.budget_ms();
  const bool predicted = source.kind == objectives::SourceKind::predicted;
  const LatencyModel measured = !predicted && budget ? fit_latency(state, index) : LatencyModel{};
  const Eigen::VectorXd log_latency = measured.beta.size() > 0
                                          ? Eigen::VectorXd(feature_matrix(index) * measured.beta)
                                          : Eigen::VectorXd();
  Candidates c;
  for (int i = 0; i < index.size(); ++i) {
    if (!index.cell(i).connected || state.archived(i) || evaluator.answered_by(i) >= 0 ||
        !problem.meets_limits(i)) {
      continue;
    }
    double p = 1.0;
    const auto k = static_cast<std::size_t>(i);
    if (predicted && budget) {
      if (source.bound_ms[k] > *budget) {
        continue;  // the evaluator would not admit it as feasible: no query, a wasted step
      }
      const double sd = std::max(source.log_sd.empty() ? 0.0 : source.log_sd[k], 1e-6);
      p = normal_cdf(std::log(*budget / source.latency_ms[k]) / sd);
    } else if (budget && measured.beta.size() > 0) {
      p = normal_cdf((std::log(*budget) - log_latency(i)) / measured.sd);
    }
    c.index.push_back(i);
    c.p_feasible.push_back(p);
  }
  return c;
}

// Bootstrap ridge ensemble: coefficients (features x members) fitted on the queried archive.
Eigen::MatrixXd fit_ensemble(const SearchState& state, const space::ArchIndex& index, int members,
                             Rng& rng, double& offset) {
  const Eigen::MatrixXd& x = feature_matrix(index);
  std::vector<int> rows;
  std::vector<double> acc;
  for (const Fitness& f : state.archive()) {
    if (f.queried()) {
      rows.push_back(f.index);
      acc.push_back(f.accuracy);
    }
  }
  offset = std::accumulate(acc.begin(), acc.end(), 0.0) / static_cast<double>(acc.size());
  const auto n = static_cast<Eigen::Index>(rows.size());
  Eigen::MatrixXd b(kFeatures, members);
  for (int m = 0; m < members; ++m) {
    Eigen::MatrixXd xs(n, kFeatures);
    Eigen::VectorXd y(n);
    for (Eigen::Index k = 0; k < n; ++k) {
      const auto pick = static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(n)));
      xs.row(k) = x.row(rows[pick]);
      y(k) = acc[pick] - offset;
    }
    b.col(m) = ridge_solve(xs, y, kRidge);
  }
  return b;
}

// The `count` candidates of highest expected improvement x P(feasible) (ties: lower index).
std::vector<int> best_scored(SearchState& state, const space::ArchIndex& index, const Candidates& c,
                             int count, int members) {
  double offset = 0;
  const Eigen::MatrixXd b = fit_ensemble(state, index, members, state.rng, offset);
  double incumbent = -1e300;
  for (const Fitness& f : state.archive()) {
    if (f.queried() && f.feasible()) {
      incumbent = std::max(incumbent, f.accuracy);
    }
  }
  // Every architecture's prediction per member (cheaper than gathering the candidates' rows).
  const Eigen::MatrixXd pred = (feature_matrix(index) * b).array() + offset;
  const auto n = static_cast<Eigen::Index>(c.index.size());
  std::vector<double> score(c.index.size());
  for (Eigen::Index k = 0; k < n; ++k) {
    const auto row = pred.row(c.index[static_cast<std::size_t>(k)]);
    const double mean = row.mean();
    const double var = (row.array() - mean).square().sum() / static_cast<double>(members - 1);
    const double sd = std::max(std::sqrt(var), kMinSpread);
    double ei = mean;  // no feasible incumbent yet: the mean alone
    if (incumbent > -1e299) {
      const double z = (mean - incumbent) / sd;
      ei = (mean - incumbent) * normal_cdf(z) + sd * normal_pdf(z);
    }
    score[static_cast<std::size_t>(k)] = ei * c.p_feasible[static_cast<std::size_t>(k)];
  }
  std::vector<std::size_t> order(c.index.size());
  std::iota(order.begin(), order.end(), 0);
  const auto k = std::min<std::size_t>(order.size(), static_cast<std::size_t>(count));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](std::size_t a, std::size_t b2) {
                      return score[a] != score[b2] ? score[a] > score[b2]
                                                   : c.index[a] < c.index[b2];
                    });
  std::vector<int> out;
  for (std::size_t i = 0; i < k; ++i) {
    out.push_back(c.index[order[i]]);
  }
  return out;
}

}  // namespace

std::vector<double> surrogate_features(const space::Arch& arch) {
  std::vector<double> f(static_cast<std::size_t>(kFeatures), 0.0);
  for (const auto& path : kPaths) {
    int code = 0;
    int length = 0;
    bool open = true;
    for (int e : path) {
      if (e < 0) {
        break;
      }
      const int op = space::op_id(arch.op(e));
      open = open && op > 0;
      code = code * kOps + (op - 1);
      ++length;
    }
    if (open) {
      const int base = length == 1 ? 0 : length == 2 ? kOps : kOps + kOps * kOps;
      const int position = base + code;
      f[static_cast<std::size_t>(position)] += 1.0;
    }
  }
  for (int e = 0; e < space::kNumEdges; ++e) {
    const int position = kPathFeatures + space::kNumOps * e + space::op_id(arch.op(e));
    f[static_cast<std::size_t>(position)] = 1.0;
  }
  f.back() = 1.0;
  return f;
}

std::vector<double> ridge_predictions(const space::ArchIndex& index, std::span<const int> fitted,
                                      std::span<const double> values, std::span<const int> scored) {
  if (fitted.size() != values.size()) {
    throw std::logic_error("ridge_predictions: " + std::to_string(fitted.size()) + " cells, " +
                           std::to_string(values.size()) + " values");
  }
  std::vector<double> out(scored.size(), 0.0);
  if (fitted.empty()) {
    return out;
  }
  const Eigen::MatrixXd& x = feature_matrix(index);
  const double offset =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  const Eigen::VectorXd y =
      Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()))
          .array() -
      offset;
  const Eigen::VectorXd beta = ridge_solve(rows_of(x, fitted), y, kRidge);
  for (std::size_t k = 0; k < scored.size(); ++k) {
    out[k] = offset + x.row(scored[k]).dot(beta);
  }
  return out;
}

BayesOpt::BayesOpt(int initial, int batch, int ensemble)
    : initial_(initial), batch_(batch), ensemble_(ensemble) {
  if (initial < 2 || batch < 1 || ensemble < 2) {
    throw InputError("bo: initial " + std::to_string(initial) + ", batch " + std::to_string(batch) +
                     ", ensemble " + std::to_string(ensemble) +
                     ", expected initial >= 2, batch >= 1 and ensemble >= 2");
  }
}

void BayesOpt::step(SearchState& state, Evaluator& evaluator, const space::ArchIndex& index) const {
  const Candidates c = admissible(state, evaluator, index);
  if (c.index.empty()) {
    state.finished = true;  // every admissible network is known
    return;
  }
  const int queried = evaluator.usage().queries;
  std::vector<int> batch;
  if (queried < initial_) {
    // Initial design: distinct random admissible candidates.
    std::vector<std::size_t> order(c.index.size());
    std::iota(order.begin(), order.end(), 0);
    const auto k =
        std::min<std::size_t>(order.size(), static_cast<std::size_t>(initial_ - queried));
    for (std::size_t i = 0; i < k; ++i) {
      std::swap(order[i], order[i + static_cast<std::size_t>(state.rng.below(order.size() - i))]);
      batch.push_back(c.index[order[i]]);
    }
  } else {
    batch = best_scored(state, index, c, batch_, ensemble_);
  }
  evaluate_into(state, evaluator, batch);
}

}  // namespace maplex::search
