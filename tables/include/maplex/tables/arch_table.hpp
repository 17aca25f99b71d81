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
  // From nb201_valid_acc.csv (load_valid_accuracies): validation accuracy after 200 epochs, and
  // validation and test accuracy after the short 12-epoch schedule; %, mean over seeds.
  std::array<double, 3> valid_acc{};
  std::array<double, 3> valid12_acc{};
  std::array<double, 3> test12_acc{};
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

// Reads the validation and 12-epoch accuracies (data/nb201_valid_acc.csv) into `table`: exact
// header; rows in NB201 index order with the table's arch_str; accuracies in [0, 100]. Throws
// InputError "file:line:column: ...".
void load_valid_accuracies(const std::filesystem::path& path, ArchTable& table);

}  // namespace maplex::tables
