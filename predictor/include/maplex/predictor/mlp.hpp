#pragma once
// A small fully connected regression network (ReLU hidden layers, linear output) trained with Adam
// on a weighted squared error. Inputs and the target are standardised internally. Seeded: the
// initial weights and the minibatch order come from the seed alone, so a fit is reproducible.

#include <Eigen/Dense>

#include <cstdint>
#include <vector>
#include "maplex/core/rng.hpp"

namespace maplex::predictor {

struct MlpConfig {
  std::vector<int> hidden = {64, 64};
  int epochs = 60;
  int batch = 128;
  double learning_rate = 2e-3;
  double weight_decay = 1e-5;
};

class Mlp {
 public:
  Mlp() = default;  // untrained: predict() throws
  explicit Mlp(MlpConfig config, std::uint64_t seed) : config_(std::move(config)), seed_(seed) {}

  // Fits x (n x p) to y with per-sample weights w; returns the final weighted mean squared error
  // on the training data, in the units of y.
  double train(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& w);
  Eigen::VectorXd predict(const Eigen::MatrixXd& x) const;
  bool trained() const { return !layers_.empty(); }

 private:
  struct Layer {
    Eigen::MatrixXd w;  // in x out
    Eigen::RowVectorXd b;
  };
  Eigen::MatrixXd forward(const Eigen::MatrixXd& xs, std::vector<Eigen::MatrixXd>* acts) const;
  // He-initialised layers for `inputs` features (drawn from `rng`).
  void init_layers(Rng& rng, int inputs);
  // One Adam step (the `step`-th) of back-propagation from `grad` (d loss / d output) through the
  // layers whose inputs were `acts`; m1 and m2 are Adam's moments.
  void adam_step(const std::vector<Eigen::MatrixXd>& acts, Eigen::MatrixXd grad,
                 std::vector<Layer>& m1, std::vector<Layer>& m2, int step);

  MlpConfig config_;
  std::uint64_t seed_ = 0;
  std::vector<Layer> layers_;
  Eigen::RowVectorXd x_mean_;
  Eigen::RowVectorXd x_scale_;
  double y_mean_ = 0;
  double y_scale_ = 1;
};

}  // namespace maplex::predictor
