// Run records: exact history round trip, torn last lines, checkpoints, specs.
#include "maplex/runs/record.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "maplex/core/error.hpp"
#include "maplex/runs/spec.hpp"
#include "maplex/space/arch.hpp"
#include "nlohmann/json.hpp"

namespace maplex::runs {
namespace {

const space::ArchIndex& code_order() {
  static const space::ArchIndex index = [] {
    std::vector<space::Arch> v;
    v.reserve(15625);
    for (int c = 0; c < 15625; ++c) {
      v.push_back(space::Arch::from_code(c));
    }
    return space::ArchIndex(std::move(v));
  }();
  return index;
}

std::filesystem::path temp(const std::string& name) {
  auto p = ::maplex::testing::test_temp_dir() /
           ("maplex_rec_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(p);
  return p;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<search::Record> sample_records() {
  std::vector<search::Record> r;
  r.push_back(
      {0, objectives::Fitness{17, 93.123456789012345, 5.1 / 3.0, 0.1 + 0.2, 0}, true, false});
  r.push_back(
      {1, objectives::Fitness{4242, objectives::kNaN, 7.25, 8.000000000000002, 1.5}, false, true});
  r.push_back({1, objectives::Fitness{15624, 10.0, 1e-3, 2e-3, 0}, true, true});
  return r;
}

void write_history(const std::filesystem::path& path) {
  HistoryWriter w(path, code_order());
  std::int64_t k = 0;
  for (const auto& r : sample_records()) {
    w.append(r, k++);
  }
  w.flush();
}

void expect_same(const search::Record& a, const search::Record& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.fitness.index, b.fitness.index);
  // Bit-exact doubles: a resumed run reuses them.
  EXPECT_TRUE(a.fitness.accuracy == b.fitness.accuracy ||
              (std::isnan(a.fitness.accuracy) && std::isnan(b.fitness.accuracy)));
  EXPECT_EQ(a.fitness.latency_ms, b.fitness.latency_ms);
  EXPECT_EQ(a.fitness.bound_ms, b.fitness.bound_ms);
  EXPECT_EQ(a.fitness.violation, b.fitness.violation);
  EXPECT_EQ(a.new_query, b.new_query);
  EXPECT_EQ(a.new_measurement, b.new_measurement);
}

TEST(History, RoundTripIsExact) {
  const auto path = temp("h1.csv");
  write_history(path);
  EXPECT_EQ(slurp(path).rfind("# maplex history schema_version=1\n", 0), 0U);
  const auto back = read_history(path);
  const auto want = sample_records();
  ASSERT_EQ(back.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    expect_same(back[i], want[i]);
  }
  std::filesystem::remove(path);
}

TEST(History, TornLastLineIsDroppedAndTruncated) {
  const auto path = temp("h2.csv");
  write_history(path);
  const std::string whole = slurp(path);
  {
    std::ofstream out(path, std::ios::app);
    out << "3,2,99,|none~0|+|none~0|none~1|+|no";  // a write cut by SIGKILL
  }
  const auto back = read_history(path);
  EXPECT_EQ(back.size(), 3U);
  EXPECT_EQ(slurp(path), whole);  // the file holds only complete lines again
  std::filesystem::remove(path);
}

TEST(History, MalformedCompleteLineNamesFileAndLine) {
  const auto path = temp("h3.csv");
  write_history(path);
  std::string text = slurp(path);
  const auto third = text.find('\n', text.find('\n', text.find('\n') + 1) + 1);  // end of row 1
  text.insert(third + 1, "x,y,z\n");
  std::ofstream(path, std::ios::trunc) << text;
  try {
    (void)read_history(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path.string() + ":4"), std::string::npos) << msg;
  }
  std::filesystem::remove(path);
}

TEST(Checkpoint, RoundTripAndAtomicReplace) {
  const auto path = temp("cp.json");
  Checkpoint c;
  c.step = 41;
  c.evaluations = 845;
  c.seconds = 0.125;
  c.finished = true;
  c.rng_state = "1 2 3 4";
  c.population = {{5, 0}, {6, 40}};
  write_checkpoint(path, c);
  c.step = 42;
  write_checkpoint(path, c);  // replaced, not appended
  const Checkpoint back = read_checkpoint(path);
  EXPECT_EQ(back.step, 42);
  EXPECT_EQ(back.evaluations, 845);
  EXPECT_DOUBLE_EQ(back.seconds, 0.125);
  EXPECT_TRUE(back.finished);
  EXPECT_EQ(back.rng_state, "1 2 3 4");
  EXPECT_EQ(back.population, c.population);
  std::ofstream(path, std::ios::trunc) << "{\"step\": ";
  EXPECT_THROW((void)read_checkpoint(path), InputError);
  std::filesystem::remove(path);
}

// Found by fuzz_run_records: a population entry of 1.2e52 was cast to int unchecked (undefined
// behaviour). Every integer of a record is a JSON integer within its type's range, or one line.
TEST(Checkpoint, IntegersOutOfRangeOrFractionalAreRefusedByName) {
  const auto path = temp("cp_range.json");
  const auto message = [&](const std::string& population) {
    std::ofstream(path, std::ios::trunc)
        << R"({"schema_version": 1, "step": 3, "evaluations": 7, "seconds": 0.5, )"
        << R"("finished": false, "rng_state": "1", "population": )" << population << "}";
    try {
      (void)read_checkpoint(path);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("[[5, 0], [6, 1]]"), "accepted");
  for (const std::string bad :
       {"[[1.2e52, 0]]", "[[5.5, 0]]", "[[2147483648, 0]]", "[[-2147483649, 0]]", "[[5, 1e300]]",
        "[[5, 18446744073709551615]]"}) {
    const std::string m = message(bad);
    EXPECT_NE(m.find(path.string()), std::string::npos) << bad << ": " << m;
    EXPECT_NE(m.find("is not an integer from"), std::string::npos) << bad << ": " << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
  std::filesystem::remove(path);
}

TEST(Spec, AnIntegerFieldOutOfRangeIsRefusedByName) {
  RunSpec s;
  s.device = "pixel3";
  s.budget_ms = 8;
  auto j = nlohmann::json::parse(spec_to_json(s));
  j["population"] = 1e40;
  try {
    (void)parse_spec(j.dump(), "config.json");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("field 'population'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("is not an integer from"), std::string::npos) << e.what();
  }
}

TEST(Spec, RoundTripKeepsEveryField) {
  RunSpec s;
  s.command = "pareto";
  s.device = "pixel3";
  s.dataset = "cifar100";
  s.source = "table";
  s.budget_ms = 12.5;
  s.algorithm = "nsga2";
  s.population = 30;
  s.sample = 4;
  s.limits.queries = 123;
  s.limits.measurements = 45;
  s.limits.seconds = 6.5;
  s.limits.evaluations = 789;
  s.seed = 18446744073709551615ULL;
  s.confidence = 0.9;
  s.method = "maple-x";
  s.pool = {"gold_6226", "1080ti_1"};
  s.pool_samples = 100;
  s.adapt = 5;
  s.verify = 2;
  s.search_confidence = 0.6;
  s.throttle_ms = 3;
  s.local.layouts = 6;
  const RunSpec b = parse_spec(spec_to_json(s), "config.json");
  EXPECT_EQ(spec_to_json(b), spec_to_json(s));
  EXPECT_EQ(b.seed, s.seed);
  EXPECT_EQ(*b.budget_ms, 12.5);
  EXPECT_EQ(b.pool, s.pool);
  EXPECT_EQ(b.verify, 2);
  EXPECT_EQ(b.local.layouts, 6);
}

TEST(Spec, AConfigFromBeforeLayoutsMeasuresInOne) {
  RunSpec s;
  s.local.layouts = 6;
  auto j = nlohmann::json::parse(spec_to_json(s));
  j["local"].erase("layouts");
  EXPECT_EQ(parse_spec(j.dump(), "config.json").local.layouts, 1);
}

TEST(Spec, MissingFieldAndWrongVersionRejected) {
  auto j = spec_to_json(RunSpec{});
  const auto cut = j.find("\"dataset\"");
  std::string missing = j;
  missing.replace(cut, std::string("\"dataset\"").size(), "\"dataset_x\"");
  try {
    (void)parse_spec(missing, "run/config.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("run/config.json: no field 'dataset'"), std::string::npos)
        << e.what();
  }
  std::string version = j;
  version.replace(version.find("\"schema_version\": 1"), 19, "\"schema_version\": 7");
  EXPECT_THROW((void)parse_spec(version, "c.json"), InputError);
  EXPECT_THROW((void)parse_spec("not json", "c.json"), InputError);
}

}  // namespace
}  // namespace maplex::runs
