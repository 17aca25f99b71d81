#include "maplex/devices/command_device.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "maplex/core/error.hpp"
#include "maplex/devices/onnx_export.hpp"
#include "maplex/measure/host.hpp"
#include "maplex/measure/weights.hpp"
#include "maplex/tables/devices.hpp"

namespace maplex::devices {

namespace {

// Output kept of a command (the rest is read and dropped).
constexpr std::size_t kMaxOutput = 1 << 20;

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

// Every {name} (a lowercase identifier in braces; other braces, as in an awk program, are left
// alone) in `command`; throws for a name other than onnx, arch and index.
void check_placeholders(const std::string& command, const std::string& where) {
  static const std::regex placeholder("\\{([a-z_]+)\\}");
  for (auto it = std::sregex_iterator(command.begin(), command.end(), placeholder);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1].str();
    if (name != "onnx" && name != "arch" && name != "index") {
      throw InputError(where + ": command placeholder " + quote("{" + name + "}") +
                       ", expected {onnx}, {arch} or {index}");
    }
  }
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos)) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

std::string first_line(const std::string& text) {
  const std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) {
    return "";
  }
  const std::string line = text.substr(start, text.find('\n', start) - start);
  return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

const nlohmann::json& field(const nlohmann::json& j, const char* name, const std::string& where) {
  if (!j.contains(name) || !j[name].is_string() || j[name].get<std::string>().empty()) {
    throw InputError(where + ": field " + quote(name) + " is missing, expected a string");
  }
  return j[name];
}

}  // namespace

DeviceFile read_device_file(const std::filesystem::path& path) {
  const std::string where = "device file " + quote(path.string());
  std::ifstream in(path);
  if (!in) {
    throw InputError(where +
                     " cannot be read, expected a JSON device file (name, command, "
                     "latency_regex, timeout_s)");
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception&) {
    throw InputError(where +
                     " is not JSON, expected an object with name, command, "
                     "latency_regex and timeout_s");
  }
  if (!j.is_object()) {
    throw InputError(where + " is not a JSON object, expected name, command, latency_regex");
  }
  DeviceFile f;
  f.name = field(j, "name", where).get<std::string>();
  f.command = field(j, "command", where).get<std::string>();
  f.latency_regex = field(j, "latency_regex", where).get<std::string>();
  check_placeholders(f.command, where);
  try {
    if (std::regex(f.latency_regex).mark_count() < 1) {
      throw InputError(where + ": latency_regex " + quote(f.latency_regex) +
                       " has no capture group, expected one around the latency in ms");
    }
  } catch (const std::regex_error&) {
    throw InputError(where + ": latency_regex " + quote(f.latency_regex) +
                     " does not compile, expected an ECMAScript regular expression");
  }
  if (j.contains("timeout_s")) {
    f.timeout_s = j["timeout_s"].is_number() ? j["timeout_s"].get<double>() : -1;
    if (!(f.timeout_s > 0) || !std::isfinite(f.timeout_s)) {
      throw InputError(where + ": timeout_s " + j["timeout_s"].dump() + ", expected seconds > 0");
    }
  }
  f.description = j.value("description", "");
  f.facts.cores = j.value("cores", 0);
  f.facts.max_clock_mhz = j.value("max_clock_mhz", 0.0);
  if (j.contains("dead_ops")) {
    const nlohmann::json& d = j["dead_ops"];
    if (!d.is_string() || !tables::is_dead_ops_handling(d.get<std::string>())) {
      throw InputError(where + ": dead_ops " + d.dump() +
                       ", expected \"runs\" (the runtime executes ops on no input-output path) "
                       "or \"prunes\" (it removes them)");
    }
    f.facts.dead_ops = d.get<std::string>();
  }
  return f;
}

CommandResult run_command(const std::string& command, double timeout_s) {
  std::array<int, 2> out_pipe{};
  std::array<int, 2> err_pipe{};
  if (::pipe(out_pipe.data()) != 0 || ::pipe(err_pipe.data()) != 0) {
    throw InputError(std::string("cannot start a command: ") + std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    throw InputError(std::string("cannot start a command: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  CommandResult r;
  std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&r.out, &r.err};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  int open = 2;
  while (open > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left, 1000))) < 0 &&
        errno != EINTR) {
      break;
    }
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].fd < 0 || (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        continue;
      }
      std::array<char, 4096> buf{};
      const ssize_t n = ::read(fds[k].fd, buf.data(), buf.size());
      if (n <= 0) {
        ::close(fds[k].fd);
        fds[k].fd = -1;
        --open;
      } else if (sinks[k]->size() < kMaxOutput) {
        sinks[k]->append(buf.data(), static_cast<std::size_t>(n));
      }
    }
  }
  for (const auto& f : fds) {
    if (f.fd >= 0) {
      ::close(f.fd);
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = r.timed_out ? -1 : (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  return r;
}

CommandDevice::CommandDevice(DeviceFile file, const measure::LocalOptions& options,
                             const space::ArchIndex& index)
    : file_(std::move(file)),
      latency_(file_.latency_regex),
      index_(&index),
      fresh_(options.fresh),
      seed_(options.seed),
      key_{"cmd:" + file_.name,
           "engine=command;network=nb201-cifar-b1-fp32;seed=" + std::to_string(options.seed)},
      store_(options.store),
      work_dir_(std::filesystem::temp_directory_path() /
                ("maplex-cmd-" + std::to_string(::getpid()) + "-" + file_.name)) {}

CommandDevice::~CommandDevice() {
  std::error_code ignored;
  std::filesystem::remove_all(work_dir_, ignored);
}

std::string CommandDevice::description() const {
  return file_.name + " = command " + quote(file_.command) + " (latency " +
         quote(file_.latency_regex) + ", timeout " + format_seconds(file_.timeout_s) + " s" +
         (file_.description.empty() ? "" : "; " + file_.description) + "), store " +
         store_.path().string();
}

std::string CommandDevice::command_for(int index) {
  std::string cmd = file_.command;
  if (cmd.find("{onnx}") != std::string::npos) {
    std::filesystem::create_directories(work_dir_);
    const auto path = work_dir_ / ("nb201_" + std::to_string(index) + ".onnx");
    const std::string model = export_onnx(
        measure::make_weights(index_->arch(index), measure::arch_weight_seed(seed_, index)));
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(model.data(), static_cast<std::streamsize>(model.size()));
    if (!out) {
      throw InputError("cannot write " + quote(path.string()) + " for device " + quote(file_.name) +
                       ", expected a writable temporary directory");
    }
    cmd = replace_all(cmd, "{onnx}", shell_quoted(path.string()));
  }
  cmd = replace_all(cmd, "{arch}", shell_quoted(index_->arch(index).str()));
  return replace_all(cmd, "{index}", std::to_string(index));
}

measure::Measurement CommandDevice::measure(int index) {
  if (index < 0 || index >= index_->size()) {
    throw InputError("architecture index " + std::to_string(index) + ", expected 0.." +
                     std::to_string(index_->size() - 1));
  }
  const std::string item = "arch:" + std::to_string(index);
  if (!fresh_ || measured_now_.count(index) != 0) {
    if (auto row = store_.find(key_, item)) {
      ++hits_;
      return {index, row->ratio, *row, true, {}};
    }
  }
  const std::string cmd = command_for(index);
  const CommandResult r = run_command(cmd, file_.timeout_s);
  const std::string what = "device " + quote(file_.name) + ", architecture " +
                           std::to_string(index) + " " + index_->arch(index).str() + ": ";
  if (r.timed_out) {
    throw InputError(what + "the command ran longer than timeout_s " +
                     format_seconds(file_.timeout_s) +
                     " s and was killed, expected it to finish (exit status none)");
  }
  if (r.status != 0) {
    throw InputError(what + "the command exited with status " + std::to_string(r.status) +
                     (first_line(r.err).empty() ? "" : " (" + first_line(r.err) + ")") +
                     ", expected status 0");
  }
  std::smatch m;
  double ms = 0;
  if (std::regex_search(r.out, m, latency_)) {
    try {
      std::size_t used = 0;
      ms = std::stod(m[1].str(), &used);
      ms = used == m[1].str().size() ? ms : 0;
    } catch (const std::exception&) {
      ms = 0;
    }
  }
  if (!(ms > 0) || !std::isfinite(ms)) {
    throw InputError(what + "the command's output (" + quote(first_line(r.out)) +
                     ") has no latency matching " + quote(file_.latency_regex) +
                     " (exit status 0), expected a number of ms > 0 in its first group");
  }
  measure::StoredTiming row{item, ms, 0, ms, 0, 0, 1, measure::utc_now(), file_.name};
  store_.put(key_, row);
  measured_now_.insert(index);
  ++new_;
  measure::Measurement out{index, ms, row, false, {}};
  if (on_measured) {
    on_measured(out);
  }
  return out;
}

std::vector<std::pair<int, double>> CommandDevice::stored_latencies() {
  return measure::stored_arch_latencies(store_, key_, 1.0);  // a command reports ms: scale 1
}

}  // namespace maplex::devices
