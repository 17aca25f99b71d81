#include "maplex/space/index.hpp"

#include <charconv>
#include <string>
#include <unordered_map>

#include "maplex/core/error.hpp"

namespace maplex::space {

ArchIndex::ArchIndex(std::vector<Arch> by_index) : by_index_(std::move(by_index)) {
  if (by_index_.size() != static_cast<std::size_t>(kNumArchs)) {
    throw InputError("arch index: " + std::to_string(by_index_.size()) +
                     " architectures, expected all " + std::to_string(kNumArchs) + " NB201 cells");
  }
  index_by_code_.assign(kNumArchs, -1);
  for (int i = 0; i < kNumArchs; ++i) {
    const Arch& a = by_index_[static_cast<std::size_t>(i)];
    int& slot = index_by_code_[static_cast<std::size_t>(a.code())];
    if (slot >= 0) {
      throw InputError("arch index: " + a.str() + " appears at index " + std::to_string(slot) +
                       " and again at index " + std::to_string(i) +
                       ", expected each NB201 cell exactly once");
    }
    slot = i;
  }
  std::unordered_map<std::string, int> class_by_key;
  class_of_.resize(by_index_.size());
  for (int i = 0; i < kNumArchs; ++i) {
    const auto [it, inserted] = class_by_key.try_emplace(
        canonical_key(by_index_[static_cast<std::size_t>(i)]), num_classes_);
    if (inserted) {
      representative_.push_back(i);
      class_size_.push_back(0);
      ++num_classes_;
    }
    ++class_size_[static_cast<std::size_t>(it->second)];
    class_of_[static_cast<std::size_t>(i)] = it->second;
  }
}

const Arch& ArchIndex::arch(int index) const {
  if (index < 0 || index >= size()) {
    throw InputError("arch index " + std::to_string(index) + " is out of range, expected 0.." +
                     std::to_string(size() - 1));
  }
  return by_index_[static_cast<std::size_t>(index)];
}

int ArchIndex::resolve(std::string_view spec) const {
  const bool numeric =
      !spec.empty() && spec.find_first_not_of("0123456789") == std::string_view::npos;
  const bool negative = spec.size() > 1 && spec[0] == '-' &&
                        spec.find_first_not_of("0123456789", 1) == std::string_view::npos;
  if (negative) {
    throw InputError("arch index " + std::string(spec) + " is out of range, expected 0.." +
                     std::to_string(size() - 1));
  }
  if (numeric) {
    long long value = 0;
    const auto [ptr, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), value);
    if (ec != std::errc() || value >= size()) {
      throw InputError("arch index " + std::string(spec) + " is out of range, expected 0.." +
                       std::to_string(size() - 1));
    }
    return static_cast<int>(value);
  }
  return index_of(Arch::parse(spec));
}

int ArchIndex::class_id(int index) const {
  arch(index);  // range check
  return class_of_[static_cast<std::size_t>(index)];
}

namespace {
std::size_t checked_class(int class_id, int num_classes) {
  if (class_id < 0 || class_id >= num_classes) {
    throw InputError("class id " + std::to_string(class_id) + " is out of range, expected 0.." +
                     std::to_string(num_classes - 1));
  }
  return static_cast<std::size_t>(class_id);
}
}  // namespace

int ArchIndex::class_representative(int class_id) const {
  return representative_[checked_class(class_id, num_classes_)];
}

int ArchIndex::class_size(int class_id) const {
  return class_size_[checked_class(class_id, num_classes_)];
}

}  // namespace maplex::space
