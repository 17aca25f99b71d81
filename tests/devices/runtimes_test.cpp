// Every runtime of the registry runs the network maplex's own engine runs: the ONNX export passes
// onnx's checker, and each runtime's logits match the plain reference forward pass on
// architectures that put every op on every edge; each runtime is its own device in the store.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>

#include "maplex/core/error.hpp"
#include "maplex/devices/onnx_export.hpp"
#include "maplex/devices/registry.hpp"
#include "maplex/devices/session.hpp"
#include "maplex/measure/reference.hpp"
#include "maplex/space/arch.hpp"
#include "maplex/space/index.hpp"
#include "shipped_data.hpp"
#include "temp_dir.hpp"

namespace maplex::devices {
namespace {

// Each op on all six edges (none: a network of zero cells), then mixtures that sum several
// inputs, read dead nodes and reuse one ReLU for two convolutions.
const std::vector<std::string>& archs() {
  static const std::vector<std::string> a = {
      "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
      "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_"
      "connect~2|",
      "|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_"
      "1x1~2|",
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_"
      "3x3~2|",
      "|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_"
      "3x3~2|",
      "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|",
      "|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|",
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|none~0|none~1|none~2|",
  };
  return a;
}

const space::ArchIndex& index() { return testing::shipped_catalog().index(); }

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) {
    m = std::max(m, std::abs(x));
  }
  return m;
}

TEST(OnnxExport, PassesTheChecker) {
  for (const auto& a : archs()) {
    SCOPED_TRACE(a);
    const std::string model = export_onnx(measure::make_weights(space::Arch::parse(a), 3));
    EXPECT_GT(model.size(), 10000U);
    EXPECT_NO_THROW(check_onnx(model));
  }
  for (int op = 0; op < measure::kLutOps; ++op) {
    for (int stage = 0; stage < 3; ++stage) {
      EXPECT_NO_THROW(check_onnx(export_op_chain(static_cast<measure::LutOp>(op), stage, 4, 5)));
    }
  }
  EXPECT_THROW(check_onnx("not a model"), std::runtime_error);
  EXPECT_THROW(export_op_chain(measure::LutOp::sum, 3, 1, 0), std::invalid_argument);
}

TEST(Runtimes, EveryRuntimeMatchesTheReference) {
  ASSERT_GE(runtime_names().size(), 2U);
  for (const auto& name : runtime_names()) {
    SCOPED_TRACE(name);
    const auto runtime = find_runtime(name);
    ASSERT_TRUE(runtime);
    EXPECT_EQ(runtime->name(), name);
    EXPECT_FALSE(runtime->version().empty());
    runtime->set_threads(1);
    std::uint64_t seed = 10;
    for (const auto& a : archs()) {
      SCOPED_TRACE(a);
      const auto weights = measure::make_weights(space::Arch::parse(a), seed);
      const auto input = measure::make_input(seed + 1);
      ++seed;
      const auto want = measure::reference_forward(weights, input);
      const auto got = runtime->build(weights)->forward(input);
      ASSERT_EQ(got.size(), want.size());
      const double scale = max_abs(want);
      ASSERT_GT(scale, 1e-3);  // the logits are not trivially zero
      for (std::size_t k = 0; k < want.size(); ++k) {
        EXPECT_NEAR(got[k], want[k], 1e-3 * scale) << "logit " << k;
      }
    }
    for (int op = 0; op < measure::kLutOps; ++op) {
      EXPECT_NO_THROW(runtime->op_chain(static_cast<measure::LutOp>(op), 1, 3, 7)->run());
    }
  }
}

TEST(Runtimes, EachRuntimeIsItsOwnDeviceInTheStore) {
  const auto store = ::maplex::testing::test_temp_dir() /
                     ("maplex_runtimes_" + std::to_string(::getpid()) + ".sqlite");
  measure::LocalOptions o;
  o.repeats = 3;
  o.warmup = 1;
  o.store = store;
  std::set<std::string> fingerprints;
  for (const auto& name : runtime_names()) {
    SCOPED_TRACE(name);
    const auto device = open_device(local_device_name(name), o, index());
    EXPECT_EQ(device->name(), local_device_name(name));
    EXPECT_TRUE(fingerprints.insert(device->fingerprint()).second);
    EXPECT_NE(device->description().find(find_runtime(name)->version()), std::string::npos);
    // Each measures in its own default number of memory layouts (at most the repeats); one
    // layout leaves the stored settings as they were before layouts.
    const int layouts = std::min(find_runtime(name)->default_layouts(), o.repeats);
    EXPECT_EQ(device->key().settings.find(";layouts=" + std::to_string(layouts) + ";") !=
                  std::string::npos,
              layouts > 1)
        << device->key().settings;
    // Each runs dead ops (runtime.hpp), and a live target's spec says so (--dead-ops table).
    EXPECT_EQ(live_view(*device, ::maplex::testing::shipped_catalog(), false).spec.dead_ops,
              "runs");
    const auto m = device->measure(11472);
    EXPECT_GT(m.latency_ms, 0);
    EXPECT_FALSE(m.from_store);
    const auto stored = device->stored_latencies();
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored.front().first, 11472);
    EXPECT_DOUBLE_EQ(stored.front().second, m.latency_ms);
  }
  std::filesystem::remove(store);
  // OpenCV DNN's networks depend on their memory layout (BENCHMARKS.md, issue 12).
  EXPECT_EQ(find_runtime("opencv")->default_layouts(), 8);
  EXPECT_EQ(find_runtime("onednn")->default_layouts(), 1);
}

TEST(Registry, UnknownDevicesAreOneClearError) {
  measure::LocalOptions o;
  try {
    (void)open_device("local:tensorflow", o, index());
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("runtime 'tensorflow' is unknown"), std::string::npos) << what;
    EXPECT_NE(what.find("local:opencv"), std::string::npos) << what;
  }
  EXPECT_THROW((void)open_device("titan_rtx_1", o, index()), InputError);
}

}  // namespace
}  // namespace maplex::devices
