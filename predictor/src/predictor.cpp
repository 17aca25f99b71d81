#include "maplex/predictor/predictor.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "context.hpp"
#include "maplex/core/error.hpp"

namespace maplex::predictor {

namespace {

using MethodFn = Eigen::VectorXd (*)(const detail::Context&, TrainReport&, Eigen::VectorXd&);

struct MethodEntry {
  Method method;
  std::string_view name;
  MethodFn fit;  // predictions in ms; may fill the log variance (else the pooled residual)
};

// The one registry of methods: a method is its own file plus one line here.
constexpr MethodEntry kRegistry[] = {
    {Method::flops, "flops",
     [](const detail::Context& c, TrainReport&, Eigen::VectorXd&) {
       return detail::predict_flops(c);
     }},
    {Method::lut, "lut",
     [](const detail::Context& c, TrainReport&, Eigen::VectorXd&) {
       return detail::predict_lut(c);
     }},
    {Method::nearest, "nearest",
     [](const detail::Context& c, TrainReport& r, Eigen::VectorXd&) {
       return detail::predict_nearest(c, r);
     }},
    {Method::maple, "maple",
     [](const detail::Context& c, TrainReport& r, Eigen::VectorXd&) {
       return detail::predict_maple(c, false, false, r);
     }},
    {Method::maple_x1, "maple-x1",
     [](const detail::Context& c, TrainReport& r, Eigen::VectorXd&) {
       return detail::predict_maple(c, true, false, r);
     }},
    {Method::maple_x, "maple-x",
     [](const detail::Context& c, TrainReport& r, Eigen::VectorXd&) {
       return detail::predict_maple(c, true, true, r);
     }},
    {Method::help, "help",
     [](const detail::Context& c, TrainReport&, Eigen::VectorXd&) {
       return detail::predict_help(c);
     }},
    {Method::bma, "bma", &detail::predict_bma},
    {Method::maplex_posterior, "maplex-posterior",
     [](const detail::Context& c, TrainReport& r, Eigen::VectorXd& log_var) {
       return detail::predict_hier(c, r, log_var, false);
     }},
    {Method::maplex, "maplex",
     [](const detail::Context& c, TrainReport& r, Eigen::VectorXd& log_var) {
       return detail::predict_hier(c, r, log_var, true);
     }},
};

const MethodEntry& entry(Method method) {
  for (const MethodEntry& e : kRegistry) {
    if (e.method == method) {
      return e;
    }
  }
  throw std::logic_error("predictor: method without a registry entry");
}

}  // namespace

std::string_view method_name(Method method) { return entry(method).name; }

std::span<const int> required_archs(Method method) {
  if (method == Method::help) {
    return kHelpReference;
  }
  return {};
}

std::string method_list() {
  std::string known;
  for (const MethodEntry& e : kRegistry) {
    known += (known.empty() ? "" : ", ") + std::string(e.name);
  }
  return known;
}

Method parse_method(std::string_view name) {
  for (const MethodEntry& e : kRegistry) {
    if (e.name == name) {
      return e.method;
    }
  }
  throw InputError("method " + quote(name) + " is unknown, expected one of " + method_list());
}

Predictor::Predictor(const FeatureCache& features, PredictorConfig config)
    : features_(&features), config_(std::move(config)) {}

double Predictor::train(const Pool& pool, const Adaptation& target) {
  if (target.archs.empty() || target.archs.size() != target.latency_ms.size()) {
    throw InputError("adaptation: " + std::to_string(target.archs.size()) + " architectures and " +
                     std::to_string(target.latency_ms.size()) +
                     " latencies, expected at least one measured architecture with its latency");
  }
  for (std::size_t k = 0; k < target.archs.size(); ++k) {
    features_->index->arch(target.archs[k]);  // range check
    if (!(target.latency_ms[k] > 0) || !std::isfinite(target.latency_ms[k])) {
      throw InputError("adaptation: latency " + std::to_string(target.latency_ms[k]) +
                       " ms of architecture " + std::to_string(target.archs[k]) +
                       ", expected a finite latency > 0");
    }
  }
  if (!target.lut_ms.empty()) {
    if (target.lut_ms.size() != static_cast<std::size_t>(features_->index->size())) {
      throw InputError("adaptation: a layer-wise table of " + std::to_string(target.lut_ms.size()) +
                       " entries, expected one per architecture (" +
                       std::to_string(features_->index->size()) + ")");
    }
    for (const double v : target.lut_ms) {
      if (!(v > 0) || !std::isfinite(v)) {
        throw InputError("adaptation: layer-wise table entry " + std::to_string(v) +
                         " ms, expected a finite latency > 0");
      }
    }
  }
  if (pool.devices.empty()) {
    throw InputError("training pool is empty, expected at least one training device");
  }
  report_ = TrainReport{};
  report_.pool = pool.names();
  const detail::Context c = detail::make_context(*features_, pool, target, config_);
  report_.hardware_weight = c.hardware_weight;
  Eigen::VectorXd pred;
  Eigen::VectorXd log_var;
  pred = entry(config_.method).fit(c, report_, log_var);
  predictions_.assign(pred.data(), pred.data() + pred.size());
  if (log_var.size() != pred.size()) {
    log_var = Eigen::VectorXd::Constant(pred.size(), detail::pooled_residual_var(c));
  }
  log_sd_.resize(predictions_.size());
  for (std::size_t i = 0; i < log_sd_.size(); ++i) {
    log_sd_[i] = std::sqrt(std::max(0.0, log_var(static_cast<Eigen::Index>(i))));
  }
  double sq = 0;
  for (std::size_t k = 0; k < target.archs.size(); ++k) {
    const double r =
        std::log(predictions_[static_cast<std::size_t>(target.archs[k])] / target.latency_ms[k]);
    sq += r * r;
  }
  report_.training_error = std::sqrt(sq / static_cast<double>(target.archs.size()));
  return report_.training_error;
}

const std::vector<double>& Predictor::predictions() const {
  if (!trained()) {
    throw std::logic_error("predictor: predictions before train");
  }
  return predictions_;
}

const std::vector<double>& Predictor::log_sd() const {
  if (!trained()) {
    throw std::logic_error("predictor: log_sd before train");
  }
  return log_sd_;
}

double Predictor::predict(int index) const {
  features_->index->arch(index);  // range check
  return predictions().at(static_cast<std::size_t>(index));
}

void Predictor::predict(std::span<const int> indices, std::span<double> out) const {
  if (indices.size() != out.size()) {
    throw std::invalid_argument("predictor: " + std::to_string(indices.size()) + " indices but " +
                                std::to_string(out.size()) + " outputs");
  }
  const auto& all = predictions();
  for (std::size_t i = 0; i < indices.size(); ++i) {
    features_->index->arch(indices[i]);
    out[i] = all[static_cast<std::size_t>(indices[i])];
  }
}

}  // namespace maplex::predictor
