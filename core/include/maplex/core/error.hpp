#pragma once
// The one exception type for bad user input (malformed strings, bad files, unknown names).
// Its message is complete and meant for a person: it names the caller, the offending value and
// what was expected. The CLI prints it as one line on stderr and exits non-zero.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace maplex {

std::string printable(std::string_view text);

// The message is kept as printable() makes it (one line of printable UTF-8, whatever a file, an
// argument or another library's message put into it).
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(printable(message)) {}
};

// Quotes a user value for an error message: control characters and bytes that are not UTF-8 are
// escaped (\n, \t, \xNN), so the message is printable UTF-8 on one line; a value longer than 200
// characters (code points, never cut inside one) is cut and its length given.
std::string quote(std::string_view value);

// `text` with the same escapes as quote (no quotes, no cut): for messages from other libraries.
std::string printable(std::string_view text);

}  // namespace maplex

namespace maplex {

// "; did you mean 'x'?" for the known name nearest to `value` (edit distance at most a third of
// its length, at least 1), else "". Appended to an "unknown name" error.
std::string did_you_mean(std::string_view value, const std::vector<std::string>& known);

}  // namespace maplex
