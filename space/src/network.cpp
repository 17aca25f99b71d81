#include "maplex/space/network.hpp"

#include "maplex/core/error.hpp"

namespace maplex::space {

namespace {

class Builder {
 public:
  explicit Builder(int hw) : hw_(hw) {}

  void conv(int cin, int cout, int k, int stride, const std::string& where) {
    const int pad = k / 2;
    const int out = (hw_ + 2 * pad - k) / stride + 1;
    layers_.push_back({LayerKind::conv, cin, cout, k, stride, pad, hw_, out, false, where});
    hw_ = out;
  }
  void bn(int c, const std::string& where) { same(LayerKind::batch_norm, c, where); }
  void relu(int c, const std::string& where) { same(LayerKind::relu, c, where); }
  void add(int c, const std::string& where) { same(LayerKind::add, c, where); }
  void avg_pool(int c, int k, int stride, int pad, const std::string& where) {
    const int out = (hw_ + 2 * pad - k) / stride + 1;
    layers_.push_back({LayerKind::avg_pool, c, c, k, stride, pad, hw_, out, false, where});
    hw_ = out;
  }
  void global_pool(int c, const std::string& where) {
    layers_.push_back({LayerKind::global_avg_pool, c, c, hw_, 1, 0, hw_, 1, false, where});
    hw_ = 1;
  }
  void linear(int in, int out, const std::string& where) {
    layers_.push_back({LayerKind::linear, in, out, 0, 1, 0, 1, 1, true, where});
  }
  int hw() const { return hw_; }
  void set_hw(int hw) { hw_ = hw; }
  std::vector<Layer> take() { return std::move(layers_); }

 private:
  void same(LayerKind kind, int c, const std::string& where) {
    layers_.push_back({kind, c, c, 0, 1, 0, hw_, hw_, false, where});
  }

  int hw_;
  std::vector<Layer> layers_;
};

void add_cell(Builder& b, const Arch& arch, int c, const std::string& where) {
  for (int e = 0; e < kNumEdges; ++e) {
    const std::string at = where + ".edge" + std::to_string(e);
    switch (arch.op(e)) {
      case Op::nor_conv_1x1:
      case Op::nor_conv_3x3:
        b.relu(c, at);
        b.conv(c, c, arch.op(e) == Op::nor_conv_3x3 ? 3 : 1, 1, at);
        b.bn(c, at);
        break;
      case Op::avg_pool_3x3:
        b.avg_pool(c, 3, 1, 1, at);
        break;
      case Op::skip_connect:
      case Op::none:
        break;
    }
  }
  for (int node = 2; node < kNumNodes; ++node) {
    b.add(c, where + ".node" + std::to_string(node));
  }
}

void add_reduction(Builder& b, int cin, int cout, const std::string& where) {
  const int hw = b.hw();
  b.relu(cin, where + ".conv_a");
  b.conv(cin, cout, 3, 2, where + ".conv_a");
  b.bn(cout, where + ".conv_a");
  b.relu(cout, where + ".conv_b");
  b.conv(cout, cout, 3, 1, where + ".conv_b");
  b.bn(cout, where + ".conv_b");
  const int out = b.hw();
  b.set_hw(hw);
  b.avg_pool(cin, 2, 2, 0, where + ".shortcut");
  b.conv(cin, cout, 1, 1, where + ".shortcut");
  b.set_hw(out);
  b.add(cout, where + ".sum");
}

}  // namespace

std::string_view dataset_name(Dataset dataset) {
  switch (dataset) {
    case Dataset::cifar10:
      return "cifar10";
    case Dataset::cifar100:
      return "cifar100";
    case Dataset::imagenet16_120:
      return "imagenet16_120";
  }
  return "?";
}

Dataset parse_dataset(std::string_view name) {
  for (Dataset d : kAllDatasets) {
    if (dataset_name(d) == name) {
      return d;
    }
  }
  throw InputError("dataset " + quote(name) +
                   " is unknown, expected one of cifar10, cifar100, "
                   "imagenet16_120");
}

DatasetShape dataset_shape(Dataset dataset) {
  switch (dataset) {
    case Dataset::cifar10:
      return {32, 10};
    case Dataset::cifar100:
      return {32, 100};
    case Dataset::imagenet16_120:
      return {16, 120};
  }
  return {0, 0};
}

std::int64_t Layer::params() const {
  switch (kind) {
    case LayerKind::conv:
      return std::int64_t{in_channels} * out_channels * kernel * kernel + (bias ? out_channels : 0);
    case LayerKind::linear:
      return std::int64_t{in_channels} * out_channels + (bias ? out_channels : 0);
    case LayerKind::batch_norm:
      return 2 * std::int64_t{out_channels};
    default:
      return 0;
  }
}

std::int64_t Layer::macs() const {
  const std::int64_t pixels = std::int64_t{out_hw} * out_hw;
  switch (kind) {
    case LayerKind::conv:
      return (std::int64_t{in_channels} * kernel * kernel + (bias ? 1 : 0)) * out_channels * pixels;
    case LayerKind::linear:
      return std::int64_t{in_channels} * out_channels + (bias ? out_channels : 0);
    default:
      return 0;
  }
}

std::vector<Layer> network_layers(const Arch& arch, Dataset dataset) {
  const DatasetShape shape = dataset_shape(dataset);
  Builder b(shape.input_hw);
  b.conv(3, kStageChannels[0], 3, 1, "stem");
  b.bn(kStageChannels[0], "stem");
  for (std::size_t stage = 0; stage < kStageChannels.size(); ++stage) {
    const int c = kStageChannels[stage];
    const std::string name = "stage" + std::to_string(stage + 1);
    if (stage > 0) {
      add_reduction(b, kStageChannels[stage - 1], c, "reduction" + std::to_string(stage));
    }
    for (int cell = 0; cell < kCellsPerStage; ++cell) {
      add_cell(b, arch, c, name + ".cell" + std::to_string(cell));
    }
  }
  const int last = kStageChannels.back();
  b.bn(last, "head");
  b.relu(last, "head");
  b.global_pool(last, "head");
  b.linear(last, shape.classes, "head");
  return b.take();
}

namespace {

struct Count {
  std::int64_t macs = 0;
  std::int64_t params = 0;
};

Count count_layers(const Arch& arch, Dataset dataset) {
  Count n;
  for (const Layer& layer : network_layers(arch, dataset)) {
    n.macs += layer.macs();
    n.params += layer.params();
  }
  return n;
}

// Every cell of a stage has the same channels and resolution, and every edge's op is built
// whatever the others are (dead edges included), so a network's counts are those of the cell with
// every edge `none` plus, per edge, what its op adds there. Exact in integers; built once per
// dataset from network_layers, which stays the definition.
struct CostTable {
  Count base;
  std::array<Count, kNumOps> per_edge;

  explicit CostTable(Dataset dataset) {
    const auto uniform = [&](Op op) {
      std::array<Op, kNumEdges> ops;
      ops.fill(op);
      return count_layers(Arch(ops), dataset);
    };
    base = uniform(Op::none);
    for (Op op : kAllOps) {
      const Count all = uniform(op);
      per_edge[static_cast<std::size_t>(op_id(op))] = {(all.macs - base.macs) / kNumEdges,
                                                       (all.params - base.params) / kNumEdges};
    }
  }
};

const CostTable& cost_table(Dataset dataset) {
  static const std::array<CostTable, 3> tables = {CostTable(Dataset::cifar10),
                                                  CostTable(Dataset::cifar100),
                                                  CostTable(Dataset::imagenet16_120)};
  return tables[static_cast<std::size_t>(dataset)];
}

}  // namespace

Costs costs(const Arch& arch, Dataset dataset) {
  const CostTable& t = cost_table(dataset);
  Count n = t.base;
  for (int e = 0; e < kNumEdges; ++e) {
    const Count& edge = t.per_edge[static_cast<std::size_t>(op_id(arch.op(e)))];
    n.macs += edge.macs;
    n.params += edge.params;
  }
  return {static_cast<double>(n.macs) / 1e6, static_cast<double>(n.params) / 1e6};
}

}  // namespace maplex::space
