#pragma once
// Architecture features for latency models, for all 15,625 architectures at once (row = NB201
// index). Latency on every shipped device is close to additive in the ops a network runs:
//   counts   op counts on all edges (skip, conv1x1, conv3x3, pool; none is the baseline) - HELP's
//            PyTorch devices run every op, dead or not;
//   live     the same counts over live edges only - Eagle's TF/TFLite devices prune dead ops;
//   one_hot  the op on each edge (30) and, per edge, whether it is live with a non-none op (24);
//   bias     a constant 1 (the network's fixed part: stem, reductions, head).

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "maplex/space/index.hpp"

namespace maplex::predictor {

enum class FeatureKind {
  additive,  // counts + live + connected + bias (10 columns): the per-device latency model
  full,      // one_hot + live one-hot + counts + live + connected + bias (64): learned models
};

Eigen::MatrixXd feature_matrix(const space::ArchIndex& index, FeatureKind kind);
std::vector<std::string> feature_names(FeatureKind kind);

}  // namespace maplex::predictor
