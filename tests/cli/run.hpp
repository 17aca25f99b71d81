#pragma once
// Runs the maplex binary and captures its exit code, stdout and stderr.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace maplex::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// `env` is prepended to the command ("MAPLEX_DATA=/x"); stdin is /dev/null.
inline RunResult run_maplex(const std::vector<std::string>& args, const std::string& env = "") {
  static int counter = 0;
  const auto base = ::maplex::testing::test_temp_dir() /
                    ("maplex_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::string cmd = env.empty() ? "" : env + " ";
  cmd += shell_quote(MAPLEX_BIN);
  for (const auto& a : args) {
    cmd += " " + shell_quote(a);
  }
  cmd += " </dev/null >" + shell_quote(base.string() + ".out") + " 2>" +
         shell_quote(base.string() + ".err");
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(base.string() + ".out");
  r.err = slurp(base.string() + ".err");
  std::filesystem::remove(base.string() + ".out");
  std::filesystem::remove(base.string() + ".err");
  return r;
}

// Starts maplex with `args` in a child process (output to /dev/null, standard error to `err`
// when given) and returns its pid.
inline pid_t spawn_maplex(const std::vector<std::string>& args, const std::string& err = "") {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<std::string> argv_s = {MAPLEX_BIN};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::freopen("/dev/null", "w", stdout);
    std::freopen(err.empty() ? "/dev/null" : err.c_str(), "w", stderr);
    ::execv(MAPLEX_BIN, argv.data());
    std::_Exit(127);
  }
  return pid;
}

inline int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) {
    n += c == '\n' ? 1 : 0;
  }
  return n;
}

// A failed command: exit `code`, nothing on stdout, one line on stderr containing `text`.
inline void expect_one_line_error(const RunResult& r, int code, const std::string& text) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
}

// The architecture rows of a measurement store, read with plain SQLite (not through the store):
// item ("arch:<index>") -> ratio of each architecture's first take, or with `takes` of every take
// ("arch:<index>#<k>" too). Empty when the file cannot be opened.
inline std::map<std::string, double> stored_archs(const std::filesystem::path& db,
                                                  bool takes = false) {
  std::map<std::string, double> out;
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return out;
  }
  sqlite3_stmt* s = nullptr;
  const char* query = takes ? "SELECT item, ratio FROM timings WHERE item LIKE 'arch:%'"
                            : "SELECT item, ratio FROM timings WHERE item LIKE 'arch:%' AND item "
                              "NOT LIKE '%#%'";
  if (sqlite3_prepare_v2(h, query, -1, &s, nullptr) == SQLITE_OK) {
    while (sqlite3_step(s) == SQLITE_ROW) {
      out[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] = sqlite3_column_double(s, 1);
    }
  }
  sqlite3_finalize(s);
  sqlite3_close(h);
  return out;
}

}  // namespace maplex::testing
