#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "maplex/core/error.hpp"
#include "maplex/runs/spec.hpp"

namespace maplex::runs {
namespace {

TEST(SpecFromOptions, CommandDefaultsAsTheCliHasThem) {
  const RunSpec search = spec_from_options("search", "{}");
  EXPECT_EQ(search.algorithm, "screen");  // the predicted source: latencies free to read
  // Where every latency is a measurement, or there is one fidelity, regularized evolution.
  EXPECT_EQ(spec_from_options("search", R"({"latency_source": "table"})").algorithm, "re");
  EXPECT_EQ(spec_from_options("search", R"({"latency_source": "live"})").algorithm, "re");
  EXPECT_EQ(spec_from_options("search", R"({"fidelity_epochs": 12})").algorithm, "re");
  EXPECT_EQ(spec_from_options("search", R"({"algorithm": "bo"})").algorithm, "bo");
  EXPECT_EQ(search.limits.queries, 300);
  EXPECT_EQ(search.verify, 2);
  EXPECT_FALSE(search.budget_ms.has_value());
  const RunSpec pareto = spec_from_options("pareto", "{}");
  EXPECT_EQ(pareto.command, "pareto");
  EXPECT_EQ(pareto.algorithm, "layers");
  // Where layers cannot screen, the front comes from NSGA-II.
  EXPECT_EQ(spec_from_options("pareto", R"({"fidelity_epochs": 12})").algorithm, "nsga2");
  EXPECT_EQ(spec_from_options("pareto", R"({"latency_source": "live"})").algorithm, "nsga2");
  EXPECT_EQ(spec_from_options("pareto", R"({"algorithm": "re"})").algorithm, "re");
  // An empty name is the default, for a search as for a front.
  EXPECT_EQ(spec_from_options("search", R"({"algorithm": ""})").algorithm, "screen");
  EXPECT_EQ(pareto.limits.queries, 1000);
  EXPECT_EQ(pareto.verify, 7);
}

TEST(SpecFromOptions, GivenFieldsOverTheDefaults) {
  const RunSpec s =
      spec_from_options("search",
                        R"({"device": "pixel3", "latency_budget_ms": 4.5, "queries": 120, "seed": 7,
          "pool": ["1080ti_1", "gold_6226"], "local": {"threads": 2}, "max_flops_m": null})");
  EXPECT_EQ(s.device, "pixel3");
  EXPECT_DOUBLE_EQ(*s.budget_ms, 4.5);
  EXPECT_EQ(s.limits.queries, 120);
  EXPECT_EQ(s.seed, 7U);
  EXPECT_EQ(s.pool, (std::vector<std::string>{"1080ti_1", "gold_6226"}));
  EXPECT_EQ(s.local.threads, 2);
  EXPECT_EQ(s.local.repeats, 15);  // the rest of "local" keeps its defaults
  EXPECT_FALSE(s.max_flops_m.has_value());
  EXPECT_EQ(s.algorithm, "screen");
}

void expect_error(const std::string& command, const std::string& json, const std::string& part) {
  try {
    spec_from_options(command, json);
    ADD_FAILURE() << "no error for " << json;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(SpecFromOptions, BadOptionsNameTheField) {
  expect_error("search", R"({"algoritm": "re"})",
               "search: unknown option 'algoritm'; did you mean 'algorithm'? (expected one of ");
  expect_error("search", R"({"command": "pareto"})", "unknown option 'command'");
  expect_error("search", R"({"local": {"thread": 2}})", "did you mean 'threads'");
  expect_error("search", R"({"queries": "many"})", "field 'queries'");
  expect_error("search", "[1, 2]", "expected an object");
  expect_error("search", "{", "not JSON");
  expect_error("optimum", "{}", "run command 'optimum', expected search or pareto");
}

TEST(SpecReference, ARunConfigKeepsItsReferenceAndAnOldOneResumesWithTheOldReference) {
  RunSpec s = spec_from_options(
      "search",
      R"({"local": {"reference": "|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|"}})");
  EXPECT_EQ(s.local.reference, "|none~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|");
  EXPECT_EQ(parse_spec(spec_to_json(s), "config.json").local.reference, s.local.reference);
  // The default ("" = the measuring library's) round-trips as itself.
  const RunSpec plain = spec_from_options("search", "{}");
  EXPECT_EQ(plain.local.reference, "");
  EXPECT_EQ(parse_spec(spec_to_json(plain), "config.json").local.reference, "");
  // A config written before the field: the reference of that time, three 3x3 convolutions.
  auto j = nlohmann::json::parse(spec_to_json(plain));
  j["local"].erase("reference");
  EXPECT_EQ(
      parse_spec(j.dump(), "config.json").local.reference,
      "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
}

TEST(SpecHoldOut, TheFamilyHoldOutRoundTripsAndAnOldConfigHeldOutTheHardware) {
  const RunSpec family = spec_from_options("search", R"({"pool_hold_out": "family"})");
  EXPECT_TRUE(family.hold_out_family);
  EXPECT_TRUE(parse_spec(spec_to_json(family), "config.json").hold_out_family);
  const RunSpec plain = spec_from_options("search", "{}");
  EXPECT_FALSE(plain.hold_out_family);
  EXPECT_EQ(nlohmann::json::parse(spec_to_json(plain))["pool_hold_out"], "hardware");
  auto j = nlohmann::json::parse(spec_to_json(family));
  j.erase("pool_hold_out");  // written before the field
  EXPECT_FALSE(parse_spec(j.dump(), "config.json").hold_out_family);
  EXPECT_EQ(parse_spec(spec_to_json(spec_from_options("search", R"({"dead_ops": "prunes"})")),
                       "config.json")
                .dead_ops,
            "prunes");
  EXPECT_EQ(parse_spec(j.dump(), "config.json").dead_ops, "");  // (j has the default)
  expect_error("search", R"({"pool_hold_out": "chip"})",
               "field 'pool_hold_out' 'chip', expected hardware or family");
  expect_error("search", R"({"pool_hold_out": 1})", "field 'pool_hold_out' '1', expected");
}

}  // namespace
}  // namespace maplex::runs
