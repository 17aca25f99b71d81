#pragma once
// Feature matrices of all 15,625 architectures, built once and shared by every model fit.

#include <Eigen/Dense>

#include "maplex/predictor/features.hpp"
#include "maplex/space/index.hpp"

namespace maplex::predictor {

struct FeatureCache {
  const space::ArchIndex* index = nullptr;
  Eigen::MatrixXd additive;  // FeatureKind::additive
  Eigen::MatrixXd full;      // FeatureKind::full
  Eigen::MatrixXd lut;       // one-hot of the edge ops + bias: a layer-wise lookup table
  Eigen::VectorXd flops_m;   // CIFAR-10 network MACs / 1e6

  static FeatureCache build(const space::ArchIndex& index);
};

}  // namespace maplex::predictor
