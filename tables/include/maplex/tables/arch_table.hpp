#pragma once
// The NB201 architecture table (data/nb201_archs.csv): index order, accuracies and costs.

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "maplex/space/index.hpp"
#include "maplex/space/network.hpp"

namespace maplex::tables {

struct ArchRecord {
  space::Arch arch;
  bool connected = false;
  // Per dataset, indexed by space::Dataset (cifar10, cifar100, imagenet16_120).
  std::array<double, 3> test_acc{};  // %, 200 epochs, mean over seeds
  std::array<double, 3> params_m{};  // parameters / 1e6
  std::array<double, 3> flops_m{};   // NB201 MACs / 1e6
  std::array<double, 3> flops_naslibzc_m{};
};

struct ArchTable {
  std::string source;               // file it was read from
  std::vector<ArchRecord> records;  // by NB201 index
  space::ArchIndex index;

  const ArchRecord& at(int nb201_index) const;
};

// Reads and checks the table: exact header; index column 0..15624 in order; arch_str canonical and
// equal to e0..e5; connected equal to the cell's graph; accuracies in [0, 100]; costs positive; the
// index order a bijection onto the 15,625 cells. Throws InputError "file:line:column: ...".
ArchTable load_arch_table(const std::filesystem::path& path);

}  // namespace maplex::tables
