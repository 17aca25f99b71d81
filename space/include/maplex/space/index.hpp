#pragma once
// ArchIndex: the NB201 numbering of the 15,625 cells and what is known per index.
//
// NB201's index order is a seeded shuffle of the cells, not an enumeration rule, so it is loaded
// from data (tables::load_arch_table builds it from nb201_archs.csv) and checked to be a bijection.
// Isomorphism classes: class ids are dense, 0..num_classes()-1, numbered in order of each class's
// smallest NB201 index (the class representative).

#include <string_view>
#include <vector>

#include "maplex/space/arch.hpp"
#include "maplex/space/cell.hpp"

namespace maplex::space {

class ArchIndex {
 public:
  // by_index[i] is the cell with NB201 index i. Throws InputError unless it holds each of the
  // 15,625 cells exactly once (naming the first duplicate and both its indices, or the count).
  explicit ArchIndex(std::vector<Arch> by_index);

  int size() const { return static_cast<int>(by_index_.size()); }
  // Throws InputError for an index outside 0..15624.
  const Arch& arch(int index) const;
  int index_of(const Arch& arch) const {
    return index_by_code_[static_cast<std::size_t>(arch.code())];
  }

  // An architecture named by a user: a decimal NB201 index or a canonical string. Throws
  // InputError naming the value and what was expected.
  int resolve(std::string_view spec) const;

  const CellInfo& cell(int index) const { return cell_info(arch(index)); }
  int class_id(int index) const;
  int num_classes() const { return num_classes_; }
  // Smallest NB201 index of the class.
  int class_representative(int class_id) const;
  // How many NB201 indices share the class.
  int class_size(int class_id) const;

 private:
  std::vector<Arch> by_index_;
  std::vector<int> index_by_code_;
  std::vector<int> class_of_;        // by NB201 index
  std::vector<int> representative_;  // by class id
  std::vector<int> class_size_;      // by class id
  int num_classes_ = 0;
};

}  // namespace maplex::space
