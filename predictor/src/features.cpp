#include "maplex/predictor/features.hpp"

#include "maplex/space/cell.hpp"

namespace maplex::predictor {

namespace {

constexpr int kCountOps = space::kNumOps - 1;  // skip, conv1x1, conv3x3, pool

int columns(FeatureKind kind) {
  const int additive = 2 * kCountOps + 2;
  return kind == FeatureKind::additive
             ? additive
             : additive + space::kNumEdges * space::kNumOps + space::kNumEdges * kCountOps;
}

}  // namespace

Eigen::MatrixXd feature_matrix(const space::ArchIndex& index, FeatureKind kind) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(index.size(), columns(kind));
  for (int i = 0; i < index.size(); ++i) {
    const space::Arch& a = index.arch(i);
    const space::CellInfo& cell = index.cell(i);
    int c = 0;
    if (kind == FeatureKind::full) {
      for (int e = 0; e < space::kNumEdges; ++e) {
        x(i, c + space::kNumOps * e + space::op_id(a.op(e))) = 1.0;
      }
      c += space::kNumEdges * space::kNumOps;
      for (int e = 0; e < space::kNumEdges; ++e) {
        if (cell.live(e)) {
          x(i, c + kCountOps * e + space::op_id(a.op(e)) - 1) = 1.0;
        }
      }
      c += space::kNumEdges * kCountOps;
    }
    for (int e = 0; e < space::kNumEdges; ++e) {
      const int op = space::op_id(a.op(e));
      if (op > 0) {
        x(i, c + op - 1) += 1.0;
        if (cell.live(e)) {
          x(i, c + kCountOps + op - 1) += 1.0;
        }
      }
    }
    c += 2 * kCountOps;
    x(i, c) = cell.connected ? 1.0 : 0.0;
    x(i, c + 1) = 1.0;
  }
  return x;
}

std::vector<std::string> feature_names(FeatureKind kind) {
  std::vector<std::string> names;
  if (kind == FeatureKind::full) {
    for (int e = 0; e < space::kNumEdges; ++e) {
      for (space::Op op : space::kAllOps) {
        names.push_back("edge" + std::to_string(e) + "=" + std::string(space::op_name(op)));
      }
    }
    for (int e = 0; e < space::kNumEdges; ++e) {
      for (int k = 1; k < space::kNumOps; ++k) {
        names.push_back("live_edge" + std::to_string(e) + "=" +
                        std::string(space::op_name(static_cast<space::Op>(k))));
      }
    }
  }
  for (const char* block : {"count:", "live:"}) {
    for (int k = 1; k < space::kNumOps; ++k) {
      names.push_back(block + std::string(space::op_name(static_cast<space::Op>(k))));
    }
  }
  names.emplace_back("connected");
  names.emplace_back("bias");
  return names;
}

}  // namespace maplex::predictor
