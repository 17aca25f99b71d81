#pragma once
// The shipped tables, loaded once per test program, and one device's latencies as a vector.

#include <string>
#include <vector>

#include "maplex/tables/catalog.hpp"

namespace maplex::testing {

inline const tables::Catalog& shipped_catalog() {
  static const tables::Catalog c = tables::Catalog::load(MAPLEX_TEST_DATA_DIR);
  return c;
}

inline std::vector<double> shipped_latencies(const std::string& device) {
  const auto l = shipped_catalog().latencies(device);
  return {l.begin(), l.end()};
}

}  // namespace maplex::testing
