#pragma once
// Integers read from JSON records (run records, shard parts): nlohmann's get<int>() casts a float
// or an out-of-range integer without a check, and a float beyond int's range is undefined
// behaviour (found by fuzz_run_records: a checkpoint's population entry 1.2e52). json_integer<T>
// returns v only when it is a JSON integer within T's range; otherwise it throws a json exception,
// which every reader already turns into its one-line InputError naming the file and field.
// Header-only: for the modules that link nlohmann_json.

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace maplex {

class JsonIntegerError : public nlohmann::json::exception {
 public:
  explicit JsonIntegerError(const std::string& what)
      : nlohmann::json::exception(406, what.c_str()) {}
};

template <typename T>
T json_integer(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (std::in_range<T>(u)) {
      return static_cast<T>(u);
    }
  } else if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if (std::in_range<T>(i)) {
      return static_cast<T>(i);
    }
  }
  throw JsonIntegerError("[json.exception.out_of_range.406] " + v.dump().substr(0, 40) +
                         " is not an integer from " +
                         std::to_string(std::numeric_limits<T>::min()) + " to " +
                         std::to_string(std::numeric_limits<T>::max()));
}

}  // namespace maplex
