#include "maplex/runs/record.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "maplex/core/error.hpp"
#include "maplex/core/json_integer.hpp"
#include "maplex/runs/spec.hpp"

namespace maplex::runs {

namespace {

constexpr const char* kHeader =
    "ordinal,step,index,arch_str,accuracy,latency_ms,bound_ms,violation,new_query,"
    "new_measurement,low_fidelity";
// Before multi-fidelity search (every row at the full fidelity); still read.
constexpr const char* kHeaderWithoutFidelity =
    "ordinal,step,index,arch_str,accuracy,latency_ms,bound_ms,violation,new_query,"
    "new_measurement";

std::string exact(double v) {
  if (std::isnan(v)) {
    return "";
  }
  if (std::isinf(v)) {
    return v > 0 ? "inf" : "-inf";
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

double parse_exact(const std::string& text, const std::string& where) {
  if (text.empty()) {
    return objectives::kNaN;
  }
  if (text == "inf") {
    return objectives::kInf;
  }
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size()) {
    throw InputError(where + ": " + quote(text) + ", expected a number");
  }
  return v;
}

// An integer field of a history line in [lo, hi] (an ordinal, a step, an NB201 index).
std::int64_t parse_integer(const std::string& text, const std::string& where, std::int64_t lo,
                           std::int64_t hi) {
  const double v = parse_exact(text, where);
  if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi)) || v != std::floor(v)) {
    throw InputError(where + ": " + quote(text) + ", expected an integer in " + std::to_string(lo) +
                     ".." + std::to_string(hi));
  }
  return static_cast<std::int64_t>(v);
}

}  // namespace

HistoryWriter::HistoryWriter(const std::filesystem::path& path, const space::ArchIndex& index)
    : index_(&index), path_(path.string()) {
  const bool fresh = !std::filesystem::exists(path) || std::filesystem::file_size(path) == 0;
  file_ = std::fopen(path_.c_str(), "a");
  if (file_ == nullptr) {
    throw InputError("cannot append to " + quote(path_) + " (" + std::strerror(errno) +
                     "), expected a writable run directory");
  }
  if (fresh) {
    std::fprintf(file_, "# maplex history schema_version=%d\n%s\n", kSchemaVersion, kHeader);
    flush();
  }
}

HistoryWriter::~HistoryWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
  }
}

void HistoryWriter::append(const search::Record& r, std::int64_t ordinal) {
  const auto& f = r.fitness;
  std::fprintf(file_, "%lld,%lld,%d,%s,%s,%s,%s,%s,%d,%d,%d\n", static_cast<long long>(ordinal),
               static_cast<long long>(r.step), f.index, index_->arch(f.index).str().c_str(),
               exact(f.accuracy).c_str(), exact(f.latency_ms).c_str(), exact(f.bound_ms).c_str(),
               exact(f.violation).c_str(), r.new_query ? 1 : 0, r.new_measurement ? 1 : 0,
               r.low_fidelity ? 1 : 0);
}

void HistoryWriter::flush() {
  if (std::fflush(file_) != 0) {
    throw InputError("cannot write " + quote(path_) + " (" + std::strerror(errno) + ")");
  }
}

std::vector<search::Record> read_history(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError("cannot read " + quote(path.string()) + ", expected a run's history.csv");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::vector<search::Record> out;
  std::size_t pos = 0;
  std::size_t complete = 0;  // bytes of complete lines
  int line_no = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) {
      break;  // a partial last line: the writer was killed mid-line
    }
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const std::string where = path.string() + ":" + std::to_string(line_no);
    if (line.empty() || line[0] == '#' || line == kHeader || line == kHeaderWithoutFidelity) {
      complete = pos;
      continue;
    }
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
      cells.push_back(cell);
    }
    if (line.back() == ',') {
      cells.emplace_back();
    }
    if (cells.size() != 10 && cells.size() != 11) {
      throw InputError(where + ": " + std::to_string(cells.size()) + " fields, expected 11 (" +
                       kHeader + ")");
    }
    search::Record r;
    constexpr std::int64_t kMaxCount = std::int64_t{1} << 52;  // exact in a double
    const auto ordinal = parse_integer(cells[0], where, 0, kMaxCount);
    if (ordinal != static_cast<std::int64_t>(out.size())) {
      throw InputError(where + ": ordinal " + cells[0] + ", expected " +
                       std::to_string(out.size()));
    }
    r.step = parse_integer(cells[1], where, 0, kMaxCount);
    r.fitness.index = static_cast<int>(parse_integer(cells[2], where, 0, space::kNumArchs - 1));
    r.fitness.accuracy = parse_exact(cells[4], where);
    r.fitness.latency_ms = parse_exact(cells[5], where);
    r.fitness.bound_ms = parse_exact(cells[6], where);
    r.fitness.violation = parse_exact(cells[7], where);
    r.new_query = cells[8] == "1";
    r.new_measurement = cells[9] == "1";
    r.low_fidelity = cells.size() == 11 && cells[10] == "1";
    out.push_back(r);
    complete = pos;
  }
  if (complete < text.size()) {
    std::filesystem::resize_file(path, complete);
  }
  return out;
}

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!(out << text)) {
      throw InputError("cannot write " + quote(tmp) + ", expected a writable run directory");
    }
  }
  std::filesystem::rename(tmp, path);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError("cannot read " + quote(path.string()) + ", expected an existing file");
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_checkpoint(const std::filesystem::path& path, const Checkpoint& c) {
  nlohmann::json pop = nlohmann::json::array();
  for (const auto& [index, born] : c.population) {
    pop.push_back({index, born});
  }
  const nlohmann::json j = {{"schema_version", kSchemaVersion},
                            {"step", c.step},
                            {"evaluations", c.evaluations},
                            {"seconds", c.seconds},
                            {"finished", c.finished},
                            {"rng_state", c.rng_state},
                            {"population", pop}};
  write_atomically(path, j.dump() + "\n");
}

Checkpoint read_checkpoint(const std::filesystem::path& path) {
  Checkpoint c;
  try {
    const auto j = nlohmann::json::parse(read_text(path));
    if (json_integer<int>(j.at("schema_version")) != kSchemaVersion) {
      throw InputError(path.string() + ": schema_version " + j.at("schema_version").dump() +
                       ", expected " + std::to_string(kSchemaVersion));
    }
    c.step = json_integer<std::int64_t>(j.at("step"));
    c.evaluations = json_integer<std::int64_t>(j.at("evaluations"));
    c.seconds = j.at("seconds").get<double>();
    c.finished = j.at("finished").get<bool>();
    c.rng_state = j.at("rng_state").get<std::string>();
    for (const auto& m : j.at("population")) {
      c.population.emplace_back(json_integer<int>(m.at(0)), json_integer<std::int64_t>(m.at(1)));
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path.string() + ": " + e.what() + ", expected a maplex checkpoint");
  }
  return c;
}

DirectoryLock::DirectoryLock(const std::filesystem::path& dir) {
  const std::string path = (dir / "lock").string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw InputError("run directory " + quote(dir.string()) + ": cannot create " + quote(path) +
                     ", expected a writable directory");
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    char holder[32] = {};
    const ssize_t n = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    throw InputError("run directory " + quote(dir.string()) +
                     " is being written by another process (pid " +
                     (n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : "unknown") +
                     "), expected one writer at a time: wait for it to end, or use another "
                     "--run-dir");
  }
  // The pid only improves a second writer's message; the lock holds without it.
  const std::string pid = std::to_string(::getpid());
  [[maybe_unused]] const bool noted =
      ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, pid.data(), pid.size(), 0) > 0;
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) {
    ::close(fd_);  // releases the lock
  }
}

}  // namespace maplex::runs
