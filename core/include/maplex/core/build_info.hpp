#pragma once
// What build produced this binary: recorded in every output file so a result can be traced.

#include <string_view>

namespace maplex {

struct BuildInfo {
  std::string_view version;     // project version, e.g. "0.1.0"
  std::string_view git_commit;  // short commit at configure time, or "unknown"
  std::string_view build_type;  // CMake build type, e.g. "Release"
  std::string_view compiler;    // compiler id and version
  bool sanitized;               // built with ASan/UBSan
};

const BuildInfo& build_info();

}  // namespace maplex
