#include "maplex/core/output.hpp"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "maplex/core/error.hpp"

namespace maplex {

void write_text_file(const std::string& path, const std::string& text) {
  const auto fail = [&path] {
    return InputError("cannot write " + quote(path) + ", expected a writable file path");
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    std::ofstream out(path);  // a device or a pipe (/dev/stdout): written in place
    if (!(out << text)) {
      throw fail();
    }
    return;
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!(out << text) || !out.flush()) {
      std::remove(tmp.c_str());
      throw fail();
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw fail();
  }
}

std::string num(double value) {
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return ec == std::errc() ? std::string(buf, ptr) : std::string("?");
}

}  // namespace maplex
