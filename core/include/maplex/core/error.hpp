#pragma once
// The one exception type for bad user input (malformed strings, bad files, unknown names).
// Its message is complete and meant for a person: it names the caller, the offending value and
// what was expected. The CLI prints it as one line on stderr and exits non-zero.

#include <stdexcept>
#include <string>
#include <string_view>

namespace maplex {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// Quotes a user value for an error message, escaping control characters and cutting very long
// values.
std::string quote(std::string_view value);

}  // namespace maplex
