// The per-op table of a local device (LocalDevice::lut) on a machine that is disturbed while the
// table is first timed: the disturbed takes are kept in the store, the ops are timed again once
// the machine runs quiet, and the table is built from the quiet takes. The runtime is a stand-in
// whose networks spin for set times; a disturbed machine slows the reference 1.5x and an average
// pool 2x (a memory-bound op suffers more than the reference's convolutions).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stdexcept>

#include "maplex/measure/local.hpp"
#include "shipped_data.hpp"
#include "spinning.hpp"

namespace maplex::measure {
namespace {

constexpr double kReferenceUs = 400;
constexpr double kChainUs = 1000;  // every op's chain of copies, on a quiet machine

struct Machine {
  std::atomic<double> reference_slowdown{1.0};
  std::atomic<double> pool_slowdown{1.0};
  std::atomic<int> chains_built{0};
  int quiet_after_chains = 0;  // the machine runs quiet at the first reference built after these
  void set_disturbed(bool on) {
    reference_slowdown = on ? 1.5 : 1.0;
    pool_slowdown = on ? 2.0 : 1.0;
  }
};

class DisturbedRuntime final : public Runtime {
 public:
  explicit DisturbedRuntime(Machine* m) : m_(m) {}
  std::string name() const override { return "disturbed"; }
  std::string version() const override { return "1"; }
  void set_threads(int /*threads*/) const override {}
  std::unique_ptr<Network> build(const NetworkWeights& w) const override {
    if (w.arch.str() != kReferenceArch) {
      return std::make_unique<spin::Spinning>(300, nullptr);
    }
    if (m_->quiet_after_chains > 0 && m_->chains_built >= m_->quiet_after_chains) {
      m_->set_disturbed(false);  // settle's probe: the machine has run quiet again
    }
    return std::make_unique<spin::Spinning>(kReferenceUs, &m_->reference_slowdown);
  }
  std::unique_ptr<Network> op_chain(LutOp op, int /*stage*/, int /*copies*/,
                                    std::uint64_t /*seed*/) const override {
    ++m_->chains_built;
    return std::make_unique<spin::Spinning>(kChainUs,
                                            op == LutOp::avg_pool ? &m_->pool_slowdown : nullptr);
  }

 private:
  Machine* m_;
};

LocalOptions options(Machine* m, const std::filesystem::path& store) {
  LocalOptions o;
  o.repeats = 7;
  o.warmup = 1;
  o.store = store;
  o.runtime = std::make_shared<DisturbedRuntime>(m);
  return o;
}

const space::ArchIndex& index() { return ::maplex::testing::shipped_catalog().index(); }

TEST(OpTable, OpsTimedOnADisturbedMachineAreTimedAgainOnceItRunsQuiet) {
  const auto store = spin::fresh_store_path("op_table", "retime.sqlite");
  Machine m;
  LocalDevice d(index(), options(&m, store));  // calibrated on the quiet machine
  m.set_disturbed(true);
  m.quiet_after_chains = 3 * kLutOps;  // after the first take of every entry
  const auto table = d.lut();
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(d.table_retaken(), 3 * kLutOps);
  // Quiet: every chain 1000 us against a 400 us reference, a ratio of 2.5, so an op is
  // 2.5 x 0.4 ms / 10 copies = 0.1 ms. Disturbed, a convolution's entry would be 0.067 ms and a
  // pool's 0.133 ms.
  const double quiet_ms = kChainUs / kReferenceUs * d.scale_ms() / 10;
  EXPECT_NEAR(d.scale_ms(), 0.4, 0.06);
  for (std::size_t s = 0; s < 3; ++s) {
    for (std::size_t o = 0; o < static_cast<std::size_t>(kLutOps); ++o) {
      EXPECT_NEAR(table->op_ms[s][o], quiet_ms, 0.12 * quiet_ms) << "stage " << s << " op " << o;
    }
  }
  // Nothing measured is lost: both takes of every entry are in the store, the first disturbed.
  const auto rows = d.store().all(d.key(), "op:");
  ASSERT_EQ(rows.size(), 2U * 3 * kLutOps);
  const auto pool = d.store().takes(d.key(), "op:avg_pool_3x3:1");
  ASSERT_EQ(pool.size(), 2U);
  EXPECT_GT(pool[0].reference_median_ms, 1.3 * pool[1].reference_median_ms);
  EXPECT_NEAR(pool[0].ratio, 2000.0 / 600, 0.4);
  // A later session takes the store's table as it is: nothing timed again.
  LocalDevice again(index(), options(&m, store));
  const int before = again.new_measurements();
  const auto second = again.lut();
  EXPECT_EQ(again.new_measurements(), before);
  EXPECT_NEAR(second->op_ms[1][2], table->op_ms[1][2], 1e-9);
  EXPECT_EQ(again.table_retaken(), 0);
}

TEST(OpTable, ATableTimedQuietIsTimedOnce) {
  const auto store = spin::fresh_store_path("op_table", "quiet.sqlite");
  Machine m;
  LocalDevice d(index(), options(&m, store));
  const auto table = d.lut();
  EXPECT_EQ(d.table_retaken(), 0);
  EXPECT_EQ(d.store().all(d.key(), "op:").size(), 3U * kLutOps);
  EXPECT_NEAR(table->op_ms[0][2], kChainUs / kReferenceUs * d.scale_ms() / 10,
              0.12 * kChainUs / kReferenceUs * d.scale_ms() / 10);
}

}  // namespace
}  // namespace maplex::measure
