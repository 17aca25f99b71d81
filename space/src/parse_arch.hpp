#pragma once

#include <string_view>

#include "maplex/space/arch.hpp"

namespace maplex::space::detail {

// Parses |op~0|+|op~0|op~1|+|op~0|op~1|op~2| strictly; positions in messages are 1-based.
Arch parse_arch(std::string_view text);

}  // namespace maplex::space::detail
