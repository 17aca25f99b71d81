// HELP as a baseline method: it needs its reference architectures, is reproducible, and learns.

#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.hpp"
#include "maplex/predictor/evaluation.hpp"
#include "maplex/predictor/metrics.hpp"
#include "maplex/predictor/predictor.hpp"
#include "shipped_data.hpp"
#include "tables/test_files.hpp"

namespace maplex::predictor {
namespace {

const auto& catalog = maplex::testing::shipped_catalog;
using maplex::tables::testing::error_of;

using testing::features;
using testing::measured;

Pool help_pool(const std::string& target) { return testing::protocol_pool_of("help", target, 2); }

TEST(Help, NeedsItsReferenceArchitectures) {
  PredictorConfig cfg;
  cfg.method = Method::help;
  Predictor p(features(), cfg);
  EXPECT_EQ(
      error_of([&] {
        p.train(help_pool("pixel2"), measured("pixel2", {11982, 431, 7}));
      }),
      "method help: architecture 55 is not measured, expected HELP's 10 reference "
      "architectures among the measurements (11982,431,55,9,14451,8636,9881,13479,6196,1462)");
}

// With its 10 references and 10 more measurements of gold_6226 (HELP's split), it ranks the
// space far better than chance and the same seed gives the same bits.
TEST(Help, LearnsAndIsReproducible) {
  std::vector<int> archs(std::begin(kHelpReference), std::end(kHelpReference));
  for (int a : {100, 1200, 2500, 3700, 5000, 6100, 7400, 9800, 12000, 15000}) {
    archs.push_back(a);
  }
  const Adaptation target = measured("gold_6226", archs);
  const Pool pool = help_pool("gold_6226");
  PredictorConfig cfg;
  cfg.method = Method::help;
  cfg.seed = 5;
  cfg.help_meta_iterations = 500;  // a sixteenth of the default, to keep the suite short
  Predictor a(features(), cfg);
  Predictor b(features(), cfg);
  a.train(pool, target);
  b.train(pool, target);
  EXPECT_EQ(a.predictions(), b.predictions());
  const auto truth = catalog().latencies("gold_6226");
  const std::vector<double> t(truth.begin(), truth.end());
  EXPECT_GT(spearman(a.predictions(), t), 0.85);
}

}  // namespace
}  // namespace maplex::predictor
