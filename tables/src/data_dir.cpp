#include "maplex/tables/data_dir.hpp"

#include <cstdlib>
#include <vector>

#include "maplex/core/error.hpp"

namespace maplex::tables {

namespace {

bool holds_data(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir / "nb201_archs.csv", ec);
}

void check_named(const std::filesystem::path& dir, const std::string& how) {
  if (!holds_data(dir)) {
    throw InputError(how + " " + quote(dir.string()) +
                     " holds no nb201_archs.csv, expected the maplex data directory");
  }
}

}  // namespace

std::filesystem::path find_data_dir(const std::optional<std::string>& explicit_dir) {
  if (explicit_dir) {
    check_named(*explicit_dir, "--data-dir");
    return *explicit_dir;
  }
  if (const char* env = std::getenv("MAPLEX_DATA"); env != nullptr && *env != '\0') {
    check_named(env, "MAPLEX_DATA");
    return env;
  }
  std::vector<std::filesystem::path> tried;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto bin = exe.parent_path();
    tried = {bin.parent_path() / "data", bin.parent_path() / "share" / "maplex" / "data",
             bin.parent_path().parent_path() / "data"};
  }
  tried.emplace_back(MAPLEX_INSTALL_DATA_DIR);
  tried.emplace_back(MAPLEX_SOURCE_DATA_DIR);
  for (const auto& dir : tried) {
    if (holds_data(dir)) {
      return dir.lexically_normal();
    }
  }
  std::string list;
  for (const auto& dir : tried) {
    list += (list.empty() ? "" : ", ") + dir.string();
  }
  throw InputError("data directory not found (tried " + list +
                   "), expected --data-dir DIR or MAPLEX_DATA=DIR naming a folder with "
                   "nb201_archs.csv");
}

}  // namespace maplex::tables
