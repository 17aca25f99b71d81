#pragma once
// Output files a user names (--out, --plot, --json FILE): written whole or not at all.
#include <string>

namespace maplex {

// Writes `text` to `path` through a temporary file renamed over it, so a reader never sees half a
// file; a device or a pipe (/dev/stdout) is written in place. Throws InputError naming the path.
void write_text_file(const std::string& path, const std::string& text);

// The shortest text that reads back as the same double ("10.7544", "0.129306"): CSV cells.
std::string num(double value);

}  // namespace maplex
