#include "maplex/core/shard.hpp"

#include <charconv>
#include <cstdlib>
#include <map>

#include "maplex/core/error.hpp"

namespace maplex {

namespace {

bool to_int(std::string_view text, int& out) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && !text.empty();
}

int slurm_int(const char* name) {
  const char* value = std::getenv(name);
  int out = 0;
  if (value == nullptr || !to_int(value, out)) {
    throw InputError(std::string("--shard slurm: $") + name + " is " +
                     (value == nullptr ? std::string("not set") : quote(value)) +
                     ", expected an integer (run inside a Slurm job array: sbatch --array)");
  }
  return out;
}

}  // namespace

std::size_t Shard::share(std::size_t units) const {
  const auto k = static_cast<std::size_t>(index);
  const auto n = static_cast<std::size_t>(count);
  return units > k ? (units - k + n - 1) / n : 0;
}

std::string Shard::str() const { return std::to_string(index) + "/" + std::to_string(count); }

Shard parse_shard(const std::string& text) {
  Shard s;
  if (text == "slurm") {
    s.count = slurm_int("SLURM_ARRAY_TASK_COUNT");
    s.index = slurm_int("SLURM_ARRAY_TASK_ID") - slurm_int("SLURM_ARRAY_TASK_MIN");
  } else {
    const auto slash = text.find('/');
    if (slash == std::string::npos || !to_int(std::string_view(text).substr(0, slash), s.index) ||
        !to_int(std::string_view(text).substr(slash + 1), s.count)) {
      throw InputError("--shard " + quote(text) +
                       ", expected K/N (shard K of N, 0 <= K < N) or slurm");
    }
  }
  if (s.count < 1 || s.index < 0 || s.index >= s.count) {
    throw InputError("--shard " + quote(text) + " is shard " + std::to_string(s.index) + " of " +
                     std::to_string(s.count) + ", expected 0 <= K < N");
  }
  return s;
}

void check_shard_set(const std::vector<std::pair<std::string, Shard>>& parts) {
  if (parts.empty()) {
    throw InputError("no parts, expected the parts of one sharded run");
  }
  const int n = parts.front().second.count;
  std::map<int, std::vector<std::string>> seen;
  for (const auto& [name, shard] : parts) {
    if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count) {
      throw InputError(quote(name) + " says it is shard " + std::to_string(shard.index) + " of " +
                       std::to_string(shard.count) + ", expected K of N with 0 <= K < N");
    }
    if (shard.count != n) {
      throw InputError("" + quote(name) + " is shard " + shard.str() + " but " +
                       quote(parts.front().first) + " is shard " + parts.front().second.str() +
                       ", expected parts of one run (the same N)");
    }
    seen[shard.index].push_back(name);
  }
  std::string missing;
  for (int k = 0; k < n; ++k) {
    if (seen.count(k) == 0U) {
      missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
    }
  }
  if (!missing.empty()) {
    throw InputError("shard " + missing + " missing, expected every shard 0.." +
                     std::to_string(n - 1) + " of " + std::to_string(n) + " once");
  }
  for (const auto& [k, names] : seen) {
    if (names.size() > 1) {
      throw InputError("shard " + std::to_string(k) + "/" + std::to_string(n) + " given twice (" +
                       quote(names[0]) + " and " + quote(names[1]) +
                       "), expected every shard once");
    }
  }
}

}  // namespace maplex
