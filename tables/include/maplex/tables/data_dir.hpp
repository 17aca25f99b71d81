#pragma once
// Where the shipped data lives. In order: an explicit --data-dir, the MAPLEX_DATA environment
// variable, then next to the running binary: <exe>/../data (build tree), <exe>/../share/maplex/data
// (install), <exe>/../../data (binaries one level deeper, e.g. build/tests), the install prefix's
// share/maplex/data, and the source tree the library was built from.

#include <filesystem>
#include <optional>
#include <string>

namespace maplex::tables {

// Throws InputError naming the directory tried (or all of them) when none holds nb201_archs.csv.
std::filesystem::path find_data_dir(const std::optional<std::string>& explicit_dir);

}  // namespace maplex::tables
