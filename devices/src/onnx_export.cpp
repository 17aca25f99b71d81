#include "maplex/devices/onnx_export.hpp"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "maplex/measure/network_walk.hpp"

namespace maplex::devices {

namespace {

using measure::ConvBn;

// Builds one ONNX graph: every op returns the name of its output.
class Graph {
 public:
  explicit Graph(onnx::GraphProto* g) : g_(g) {}

  std::string input(const std::string& name, const std::vector<std::int64_t>& shape) {
    value_info(g_->add_input(), name, shape);
    return name;
  }
  void output(const std::string& name, const std::vector<std::int64_t>& shape) {
    value_info(g_->add_output(), name, shape);
  }
  std::string constant(const std::vector<float>& values, const std::vector<std::int64_t>& shape) {
    std::string name = "c" + std::to_string(constants_++);
    onnx::TensorProto* t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (const auto d : shape) {
      t->add_dims(d);
    }
    t->set_raw_data(values.data(), values.size() * sizeof(float));
    return name;
  }
  std::string relu(const std::string& x) { return node("Relu", {x}); }
  std::string conv(const std::string& x, const ConvBn& p) {
    const auto [weight, bias] = measure::fold(p);
    const std::string w = constant(weight, {p.out, p.in, p.kernel, p.kernel});
    const std::string b = constant(bias, {p.out});
    auto* n = add_node("Conv", {x, w, b});
    ints(n, "kernel_shape", {p.kernel, p.kernel});
    ints(n, "strides", {p.stride, p.stride});
    ints(n, "pads", {p.pad, p.pad, p.pad, p.pad});
    return n->output(0);
  }
  std::string pool(const std::string& x, int kernel, int stride, int pad) {
    auto* n = add_node("AveragePool", {x});
    ints(n, "kernel_shape", {kernel, kernel});
    ints(n, "strides", {stride, stride});
    ints(n, "pads", {pad, pad, pad, pad});
    auto* a = n->add_attribute();
    a->set_name("count_include_pad");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(0);
    return n->output(0);
  }
  std::string sum(const std::vector<std::string>& terms) { return node("Sum", terms); }
  // Zeros shaped like `x`: x times 0, as the engine's zero buffer (no constant folding needed).
  std::string zeros_like(const std::string& x) { return node("Mul", {x, constant({0.F}, {})}); }
  // Batch norm as the engine folds it (a multiply and an add), ReLU, global average pooling and
  // the linear layer.
  std::string head(const std::string& x, const measure::NetworkWeights& w) {
    const measure::FoldedNorm norm = measure::fold_head(w);
    const auto c = static_cast<std::int64_t>(norm.scale.size());
    const std::string scaled = node("Mul", {x, constant(norm.scale, {1, c, 1, 1})});
    const std::string normed = relu(node("Add", {scaled, constant(norm.shift, {1, c, 1, 1})}));
    const std::string flat = node("Flatten", {node("GlobalAveragePool", {normed})});
    auto* gemm = add_node("Gemm", {flat, constant(w.fc_weight, {measure::kClasses, c}),
                                   constant(w.fc_bias, {measure::kClasses})});
    auto* a = gemm->add_attribute();
    a->set_name("transB");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(1);
    return gemm->output(0);
  }
  std::string node(const std::string& op, const std::vector<std::string>& inputs) {
    return add_node(op, inputs)->output(0);
  }
  onnx::NodeProto* add_node(const std::string& op, const std::vector<std::string>& inputs) {
    onnx::NodeProto* n = g_->add_node();
    n->set_op_type(op);
    n->set_name(op + "_" + std::to_string(nodes_));
    for (const auto& i : inputs) {
      n->add_input(i);
    }
    n->add_output("t" + std::to_string(nodes_++));
    return n;
  }
  static void ints(onnx::NodeProto* n, const std::string& name,
                   const std::vector<std::int64_t>& values) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (const auto v : values) {
      a->add_ints(v);
    }
  }

 private:
  static void value_info(onnx::ValueInfoProto* v, const std::string& name,
                         const std::vector<std::int64_t>& shape) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (const auto d : shape) {
      t->mutable_shape()->add_dim()->set_dim_value(d);
    }
  }
  onnx::GraphProto* g_;
  int constants_ = 0;
  int nodes_ = 0;
};

onnx::ModelProto new_model(const std::string& graph_name) {
  onnx::ModelProto m;
  m.set_ir_version(7);
  m.set_producer_name("maplex");
  m.add_opset_import()->set_version(kOnnxOpset);
  m.mutable_graph()->set_name(graph_name);
  return m;
}

std::string serialized(const onnx::ModelProto& m) {
  std::string out;
  if (!m.SerializeToString(&out)) {
    throw std::runtime_error("ONNX export: protobuf could not serialize the model");
  }
  return out;
}

}  // namespace

std::string export_onnx(const measure::NetworkWeights& w) {
  onnx::ModelProto m = new_model("nb201_" + w.arch.str());
  Graph g(m.mutable_graph());
  const std::string logits = measure::walk_network(g, g.input("input", {1, 3, 32, 32}), w);
  // The graph's output keeps its own name: an Identity from the last node.
  g.add_node("Identity", {logits})->set_output(0, "logits");
  g.output("logits", {1, measure::kClasses});
  return serialized(m);
}

std::string export_op_chain(measure::LutOp op, int stage, int copies, std::uint64_t seed) {
  if (stage < 0 || stage > 2 || copies < 1) {
    throw std::invalid_argument("export_op_chain: expected a stage in 0..2 and copies >= 1");
  }
  const std::int64_t c = measure::kStageChannels[static_cast<std::size_t>(stage)];
  const std::int64_t size = measure::kStageSize[static_cast<std::size_t>(stage)];
  onnx::ModelProto m = new_model(std::string("chain_") + measure::lut_op_name(op));
  Graph g(m.mutable_graph());
  const std::string out =
      measure::walk_op_chain(g, g.input("input", {1, c, size, size}), op, stage, copies, seed);
  g.add_node("Identity", {out})->set_output(0, "output");
  g.output("output", {1, c, size, size});
  return serialized(m);
}

void check_onnx(const std::string& model) {
  onnx::ModelProto m;
  if (!m.ParseFromString(model)) {
    throw std::runtime_error("ONNX checker: not a serialized ModelProto");
  }
  try {
    onnx::checker::check_model(m);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("ONNX checker: ") + e.what());
  }
}

}  // namespace maplex::devices
