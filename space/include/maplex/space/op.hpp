#pragma once
// The five NB201 edge operations, with their ids as NB201 and the shipped tables number them.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace maplex::space {

enum class Op : std::uint8_t {
  none = 0,
  skip_connect = 1,
  nor_conv_1x1 = 2,
  nor_conv_3x3 = 3,
  avg_pool_3x3 = 4,
};

inline constexpr int kNumOps = 5;

inline constexpr std::array<Op, kNumOps> kAllOps = {Op::none, Op::skip_connect, Op::nor_conv_1x1,
                                                    Op::nor_conv_3x3, Op::avg_pool_3x3};

// The canonical NB201 name, e.g. "nor_conv_3x3".
std::string_view op_name(Op op);

// The op with that exact name, or nothing.
std::optional<Op> op_from_name(std::string_view name);

// "none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3", for error messages.
std::string_view op_names_list();

constexpr int op_id(Op op) { return static_cast<int>(op); }

// Whether the op has learnable parameters and arithmetic (the two convolutions).
constexpr bool is_conv(Op op) { return op == Op::nor_conv_1x1 || op == Op::nor_conv_3x3; }

}  // namespace maplex::space
