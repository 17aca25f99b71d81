#pragma once
// The files of a run directory:
//   config.json      the RunSpec (written once, before the first evaluation)
//   history.csv      every admitted evaluation, one line each, flushed as it happens; exact
//                    (17 significant digits) so a resumed run reuses identical values
//   checkpoint.json  the search state (engine, population, counters), replaced atomically
//   result.json      the outcome, written at the end
// A run killed at any point leaves at worst a partial last history line, which resume drops.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "maplex/search/evaluator.hpp"
#include "maplex/search/state.hpp"
#include "maplex/space/index.hpp"

namespace maplex::runs {

class HistoryWriter {
 public:
  // Appends to `path`, writing the header first when the file is new or empty.
  explicit HistoryWriter(const std::filesystem::path& path, const space::ArchIndex& index);
  ~HistoryWriter();
  HistoryWriter(const HistoryWriter&) = delete;
  HistoryWriter& operator=(const HistoryWriter&) = delete;

  void append(const search::Record& record, std::int64_t ordinal);
  void flush();

 private:
  std::FILE* file_ = nullptr;
  const space::ArchIndex* index_;
  std::string path_;
};

// Reads history.csv; drops an incomplete last line (a write cut by a kill) and truncates the file
// to the complete lines. Throws InputError "file:line: ..." for any other malformed line.
std::vector<search::Record> read_history(const std::filesystem::path& path);

struct Checkpoint {
  std::int64_t step = 0;
  std::int64_t evaluations = 0;  // history lines covered
  double seconds = 0;
  bool finished = false;
  std::string rng_state;
  std::vector<std::pair<int, std::int64_t>> population;  // (index, born)
};

void write_checkpoint(const std::filesystem::path& path, const Checkpoint& checkpoint);
// Throws InputError for a malformed file.
Checkpoint read_checkpoint(const std::filesystem::path& path);

// The writer's claim on a run directory: an exclusive lock on DIR/lock (flock), held while the
// object lives and released by the kernel when the process ends, even by SIGKILL, so a killed
// run can be resumed at once. Throws InputError naming the directory and the holder's process id
// when another process is writing the run.
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::filesystem::path& dir);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

// Writes `text` to `path` through a temporary file and a rename, so readers never see half a file.
void write_atomically(const std::filesystem::path& path, const std::string& text);
std::string read_text(const std::filesystem::path& path);

}  // namespace maplex::runs
