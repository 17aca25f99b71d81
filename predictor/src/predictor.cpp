#include "maplex/predictor/predictor.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "context.hpp"
#include "maplex/core/error.hpp"

namespace maplex::predictor {

std::string_view method_name(Method method) {
  switch (method) {
    case Method::lut:
      return "lut";
    case Method::nearest:
      return "nearest";
    case Method::maple:
      return "maple";
    case Method::maple_x1:
      return "maple-x1";
    case Method::maple_x:
      return "maple-x";
    case Method::maplex:
      return "maplex";
  }
  return "?";
}

Method parse_method(std::string_view name) {
  for (Method m : kAllMethods) {
    if (method_name(m) == name) {
      return m;
    }
  }
  throw InputError("method " + quote(name) +
                   " is unknown, expected one of lut, nearest, maple, maple-x1, maple-x, maplex");
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
  switch (config_.method) {
    case Method::lut:
      pred = detail::predict_lut(c);
      break;
    case Method::nearest:
      pred = detail::predict_nearest(c, report_);
      break;
    case Method::maple:
      pred = detail::predict_maple(c, false, false, report_);
      break;
    case Method::maple_x1:
      pred = detail::predict_maple(c, true, false, report_);
      break;
    case Method::maple_x:
      pred = detail::predict_maple(c, true, true, report_);
      break;
    case Method::maplex:
      pred = detail::predict_bma(c, report_, log_var);
      break;
  }
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
