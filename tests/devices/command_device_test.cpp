// A device reached by a command: the device file, running a command with a timeout, and the
// device's measurements, failures and store.
#include "maplex/devices/command_device.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "maplex/core/error.hpp"
#include "maplex/devices/registry.hpp"
#include "shipped_data.hpp"

namespace maplex::devices {
namespace {

const space::ArchIndex& index() { return testing::shipped_catalog().index(); }

std::filesystem::path temp(const std::string& name) {
  return ::maplex::testing::test_temp_dir() /
         ("maplex_cmd_" + std::to_string(::getpid()) + "_" + name);
}

std::filesystem::path device_file(const std::string& name, const std::string& json) {
  const auto path = temp(name);
  std::ofstream(path) << json;
  return path;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

void expect_file_error(const std::string& json, const std::string& message) {
  const auto path = device_file("bad.json", json);
  const std::string what = error_of([&] { (void)read_device_file(path); });
  EXPECT_NE(what.find(message), std::string::npos) << json << " -> " << what;
  EXPECT_NE(what.find(path.string()), std::string::npos) << what;
}

TEST(DeviceFile, MalformedFilesAreOneClearError) {
  const std::string ok_tail = R"j("latency_regex": "avg=([0-9.]+)", "timeout_s": 5})j";
  expect_file_error("{\"name\": \"d\", " + ok_tail, "field 'command' is missing");
  expect_file_error(R"j({"command": "echo", )j" + ok_tail, "field 'name' is missing");
  expect_file_error(R"j({"name": "d", "command": "echo", "timeout_s": 5})j",
                    "field 'latency_regex' is missing");
  expect_file_error(R"j({"name": "d", "command": "echo", "latency_regex": "avg=([0-9.]+"})j",
                    "does not compile");
  expect_file_error(R"j({"name": "d", "command": "echo", "latency_regex": "avg=[0-9.]+"})j",
                    "has no capture group");
  expect_file_error(R"j({"name": "d", "command": "run {model}", "latency_regex": "(x)"})j",
                    "placeholder '{model}', expected {onnx}, {arch} or {index}");
  expect_file_error(R"j({"name": "d", "command": "echo", "latency_regex": "(x)", "timeout_s": 0})j",
                    "timeout_s 0, expected seconds > 0");
  expect_file_error(
      R"j({"name": "d", "command": "echo", "latency_regex": "(x)", "dead_ops": "skips"})j",
      "dead_ops \"skips\", expected \"runs\"");
  expect_file_error("{not json", "is not JSON");
  const std::string missing = error_of([] { (void)read_device_file(temp("none.json")); });
  EXPECT_NE(missing.find("cannot be read"), std::string::npos) << missing;
}

// The shipped example device files (untested devices) are well-formed.
TEST(DeviceFile, ShippedExamplesLoad) {
  const auto dir =
      std::filesystem::path(MAPLEX_TEST_DATA_DIR).parent_path() / "examples" / "devices";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") {
      SCOPED_TRACE(entry.path().string());
      const DeviceFile f = read_device_file(entry.path());
      EXPECT_FALSE(f.name.empty());
      EXPECT_NE(f.description.find("UNTESTED HERE"), std::string::npos);
      // What the runtime does with dead ops, where the example states it: maplex's OpenCV runtime
      // over ssh runs them (runtime.hpp), LiteRT's converted graph prunes them.
      const std::string stem = entry.path().stem().string();
      EXPECT_EQ(f.facts.dead_ops, stem == "ssh-host"         ? "runs"
                                  : stem == "android-litert" ? "prunes"
                                                             : "");
      ++files;
    }
  }
  EXPECT_EQ(files, 4);
}

TEST(RunCommand, StatusOutputAndTimeout) {
  const auto ok = run_command("echo out; echo err >&2; exit 3", 10);
  EXPECT_EQ(ok.status, 3);
  EXPECT_FALSE(ok.timed_out);
  EXPECT_EQ(ok.out, "out\n");
  EXPECT_EQ(ok.err, "err\n");
  const auto start = std::chrono::steady_clock::now();
  // The child's own children are killed with it (a process group).
  const auto hung = run_command("sleep 30 & sleep 30; echo never", 0.3);
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(hung.timed_out);
  EXPECT_EQ(hung.status, -1);
  EXPECT_EQ(hung.out, "");
  EXPECT_LT(took, 5.0);
}

measure::LocalOptions in_store(const std::filesystem::path& store) {
  measure::LocalOptions o;
  o.store = store;
  return o;
}

std::unique_ptr<measure::Device> open_with(const std::string& command, double timeout,
                                           const std::filesystem::path& store) {
  const nlohmann::json j = {{"name", "test-device"},
                            {"command", command},
                            {"latency_regex", "avg=([0-9.]+) ms"},
                            {"timeout_s", timeout}};
  const auto path = device_file("dev.json", j.dump());
  return open_device("cmd:" + path.string(), in_store(store), index());
}

TEST(CommandDevice, SubstitutesParsesAndStores) {
  const auto store = temp("ok.sqlite");
  const int a = 11472;
  const std::string arch = index().arch(a).str();
  // {index} as the latency; {arch} arrives as one shell word; {onnx} is a non-empty file.
  auto d = open_with("test {arch} = '" + arch + "' && test -s {onnx} && echo \"avg={index} ms\"",
                     10, store);
  EXPECT_EQ(d->name(), "test-device");
  EXPECT_EQ(d->fingerprint(), "cmd:test-device");
  EXPECT_FALSE(d->lut().has_value());
  const auto m = d->measure(a);
  EXPECT_DOUBLE_EQ(m.latency_ms, a);
  EXPECT_FALSE(m.from_store);
  EXPECT_EQ(d->new_measurements(), 1);
  // Read back, in this session and the next (the command is not run again: it would now fail).
  EXPECT_TRUE(d->measure(a).from_store);
  auto again = open_with("exit 1", 10, store);
  const auto stored = again->measure(a);
  EXPECT_TRUE(stored.from_store);
  EXPECT_DOUBLE_EQ(stored.latency_ms, a);
  ASSERT_EQ(again->stored_latencies().size(), 1U);
  std::filesystem::remove(store);
}

TEST(CommandDevice, FailuresNameTheArchitectureAndKeepTheStore) {
  const auto store = temp("fail.sqlite");
  open_with("echo 'avg=2.5 ms'", 10, store)->measure(7);
  const std::string arch = index().arch(8).str();
  const std::string failed =
      error_of([&] { open_with("echo boom >&2; exit 3", 10, store)->measure(8); });
  EXPECT_NE(failed.find("architecture 8 " + arch), std::string::npos) << failed;
  EXPECT_NE(failed.find("exited with status 3 (boom)"), std::string::npos) << failed;
  const std::string garbage =
      error_of([&] { open_with("echo 'hello there'", 10, store)->measure(8); });
  EXPECT_NE(garbage.find("'hello there'"), std::string::npos) << garbage;
  EXPECT_NE(garbage.find("has no latency matching 'avg=([0-9.]+) ms'"), std::string::npos)
      << garbage;
  const std::string zero = error_of([&] { open_with("echo 'avg=0 ms'", 10, store)->measure(8); });
  EXPECT_NE(zero.find("has no latency matching"), std::string::npos) << zero;
  const std::string hung = error_of([&] { open_with("sleep 20", 0.2, store)->measure(8); });
  EXPECT_NE(hung.find("ran longer than timeout_s 0.2 s and was killed"), std::string::npos) << hung;
  for (const auto& what : {failed, garbage, hung}) {
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;  // one line
  }
  // What was measured before stays; nothing of the failures was stored.
  const auto left = open_with("exit 1", 10, store)->stored_latencies();
  ASSERT_EQ(left.size(), 1U);
  EXPECT_EQ(left.front().first, 7);
  EXPECT_DOUBLE_EQ(left.front().second, 2.5);
  std::filesystem::remove(store);
}

}  // namespace
}  // namespace maplex::devices
