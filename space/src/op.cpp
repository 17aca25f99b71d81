#include "maplex/space/op.hpp"

namespace maplex::space {

namespace {
constexpr std::array<std::string_view, kNumOps> kNames = {"none", "skip_connect", "nor_conv_1x1",
                                                          "nor_conv_3x3", "avg_pool_3x3"};
}  // namespace

std::string_view op_name(Op op) { return kNames.at(static_cast<std::size_t>(op)); }

std::optional<Op> op_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) {
      return static_cast<Op>(i);
    }
  }
  return std::nullopt;
}

std::string_view op_names_list() {
  return "none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3";
}

}  // namespace maplex::space
