#include "maplex/runs/spec.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "maplex/core/error.hpp"
#include "maplex/core/json_integer.hpp"
#include "maplex/predictor/pool.hpp"

namespace maplex::runs {

std::string RunSpec::name() const { return command + "-" + device; }

objectives::AccuracyChoice RunSpec::accuracy_choice() const {
  return objectives::parse_accuracy(accuracy, fidelity);
}

std::string spec_to_json(const RunSpec& s) {
  nlohmann::json j = {
      {"schema_version", kSchemaVersion},
      {"command", s.command},
      {"device", s.device},
      {"measurements", s.measurements},
      {"dataset", s.dataset},
      {"accuracy", s.accuracy},
      {"fidelity_epochs", s.fidelity},
      {"latency_source", s.source},
      {"latency_budget_ms", s.budget_ms ? nlohmann::json(*s.budget_ms) : nullptr},
      {"max_flops_m", s.max_flops_m ? nlohmann::json(*s.max_flops_m) : nullptr},
      {"max_params_m", s.max_params_m ? nlohmann::json(*s.max_params_m) : nullptr},
      {"algorithm", s.algorithm},
      {"population", s.population},
      {"sample", s.sample},
      {"queries", s.limits.queries},
      {"measurement_limit", s.limits.measurements},
      {"time_limit_s", s.limits.seconds},
      {"evaluation_limit", s.limits.evaluations},
      {"seed", s.seed},
      {"confidence", s.confidence},
      {"method", s.method},
      {"pool", s.pool},
      {"pool_samples", s.pool_samples},
      {"pool_hold_out", predictor::hold_out_name(s.hold_out_family)},
      {"dead_ops", s.dead_ops},
      {"adapt", s.adapt},
      {"verify", s.verify},
      {"search_confidence", s.search_confidence},
      {"local",
       {{"threads", s.local.threads},
        {"repeats", s.local.repeats},
        {"layouts", s.local.layouts},
        {"balance", s.local.balance ? nlohmann::json(*s.local.balance) : nlohmann::json(nullptr)},
        {"reference", s.local.reference},
        {"warmup", s.local.warmup},
        {"lut", s.local.lut},
        {"pin_cpu", s.local.pin_cpu},
        {"store", s.local.store}}},
      {"throttle_ms", s.throttle_ms},
      {"front_csv", s.front_csv},
      {"front_plot", s.front_plot}};
  return j.dump(2);
}

namespace {

// The reference of configs written before the field: the one of that time (measure's
// kReferenceArchBefore; the store keeps their timings under it).
constexpr const char* kReferenceBefore =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|none~2|";

// null = the runtime's default; configs written before the op balance measured without it.
std::optional<bool> balance_of(const nlohmann::json& local) {
  if (!local.contains("balance")) {
    return false;
  }
  const auto& b = local.at("balance");
  return b.is_null() ? std::nullopt : std::optional<bool>(b.get<bool>());
}

// Configs written before the family hold-out held out the hardware.
bool hold_out_family_of(const nlohmann::json& j, const std::string& source) {
  const auto it = j.find("pool_hold_out");
  const std::string value =
      it == j.end() ? "hardware" : (it->is_string() ? it->get<std::string>() : it->dump());
  return predictor::parse_hold_out(value, source + ": field " + quote("pool_hold_out"));
}

}  // namespace

RunSpec parse_spec(const std::string& json_text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(source + ": not JSON (" + e.what() + "), expected a maplex run config");
  }
  const char* current = "";  // the field being read, for the error message
  const auto field = [&](const char* key) -> const nlohmann::json& {
    current = key;
    if (!j.is_object() || !j.contains(key)) {
      throw InputError(source + ": no field " + quote(key) + ", expected a maplex run config");
    }
    return j.at(key);
  };
  RunSpec s;
  try {
    if (json_integer<int>(field("schema_version")) != kSchemaVersion) {
      throw InputError(source + ": schema_version " + field("schema_version").dump() +
                       ", expected " + std::to_string(kSchemaVersion));
    }
    s.command = field("command").get<std::string>();
    s.device = field("device").get<std::string>();
    s.measurements = field("measurements").get<std::string>();
    s.dataset = field("dataset").get<std::string>();
    // Configs written before validation accuracy was shipped selected on test accuracy.
    s.accuracy = j.value("accuracy", std::string("test"));
    current = "fidelity_epochs";
    s.fidelity = j.contains("fidelity_epochs") ? json_integer<int>(j.at("fidelity_epochs")) : 200;
    s.source = field("latency_source").get<std::string>();
    if (!field("latency_budget_ms").is_null()) {
      s.budget_ms = field("latency_budget_ms").get<double>();
    }
    if (!field("max_flops_m").is_null()) {
      s.max_flops_m = field("max_flops_m").get<double>();
    }
    if (!field("max_params_m").is_null()) {
      s.max_params_m = field("max_params_m").get<double>();
    }
    s.algorithm = field("algorithm").get<std::string>();
    s.population = json_integer<int>(field("population"));
    s.sample = json_integer<int>(field("sample"));
    s.limits.queries = json_integer<int>(field("queries"));
    s.limits.measurements = json_integer<int>(field("measurement_limit"));
    s.limits.seconds = field("time_limit_s").get<double>();
    s.limits.evaluations = json_integer<std::int64_t>(field("evaluation_limit"));
    s.seed = json_integer<std::uint64_t>(field("seed"));
    s.confidence = field("confidence").get<double>();
    s.method = field("method").get<std::string>();
    s.pool = field("pool").get<std::vector<std::string>>();
    s.pool_samples = json_integer<int>(field("pool_samples"));
    s.hold_out_family = hold_out_family_of(j, source);
    current = "dead_ops";
    s.dead_ops = j.value("dead_ops", std::string());  // "" before the field
    s.adapt = json_integer<int>(field("adapt"));
    s.verify = json_integer<int>(field("verify"));
    s.search_confidence = field("search_confidence").get<double>();
    s.throttle_ms = json_integer<int>(field("throttle_ms"));
    // Configs written before the front files were recorded have neither.
    current = "front_csv";
    s.front_csv = j.value("front_csv", std::string());
    current = "front_plot";
    s.front_plot = j.value("front_plot", std::string());
    const auto& local = field("local");
    s.local.threads = json_integer<int>(local.at("threads"));
    s.local.repeats = json_integer<int>(local.at("repeats"));
    // Configs written before layouts were recorded measured in one.
    s.local.layouts = local.contains("layouts") ? json_integer<int>(local.at("layouts")) : 1;
    s.local.balance = balance_of(local);
    s.local.reference = local.value("reference", std::string(kReferenceBefore));
    s.local.warmup = json_integer<int>(local.at("warmup"));
    s.local.lut = local.at("lut").get<bool>();
    s.local.pin_cpu = json_integer<int>(local.at("pin_cpu"));
    s.local.store = local.at("store").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(source + ": field " + quote(current) + ": " + e.what() +
                     ", expected a maplex run config");
  }
  return s;
}

namespace {

void check_keys(const nlohmann::json& given, const nlohmann::json& known,
                const std::string& where) {
  std::vector<std::string> names;  // what a caller may set
  std::string list;
  for (const auto& [key, value] : known.items()) {
    if (key != "schema_version" && key != "command") {
      list += (names.empty() ? "" : ", ") + key;
      names.push_back(key);
    }
  }
  for (const auto& [key, value] : given.items()) {
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      std::string message = where;
      message += ": unknown option " + quote(key);
      message += did_you_mean(key, names);
      message += " (expected one of " + list;
      throw InputError(message + ")");
    }
  }
}

}  // namespace

std::string front_algorithm_for(const RunSpec& spec) {
  const bool screens = spec.fidelity == 200 && spec.source != "live";
  return std::string(screens ? search::kDefaultFrontAlgorithm : search::kFallbackFrontAlgorithm);
}

std::string search_algorithm_for(const RunSpec& spec) {
  const bool screens = spec.fidelity == 200 && spec.source == "predicted";
  return std::string(screens ? search::kPredictedDefaultAlgorithm : search::kDefaultAlgorithm);
}

void settle_algorithm(RunSpec& spec) {
  if (spec.algorithm.empty()) {
    spec.algorithm =
        spec.command == "pareto" ? front_algorithm_for(spec) : search_algorithm_for(spec);
  }
}

RunSpec spec_from_options(const std::string& command, const std::string& options_json) {
  if (command != "search" && command != "pareto") {
    throw InputError("run command " + quote(command) + ", expected search or pareto");
  }
  RunSpec defaults;
  defaults.command = command;
  defaults.algorithm.clear();  // decided below from the run's fidelity and source
  if (command == "pareto") {
    defaults.limits.queries = 1000;
    defaults.verify = 7;
  }
  nlohmann::json j = nlohmann::json::parse(spec_to_json(defaults));
  nlohmann::json given;
  try {
    given = nlohmann::json::parse(options_json);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(command + " options: not JSON (" + e.what() + ")");
  }
  if (!given.is_object()) {
    throw InputError(command + " options: " + given.dump() + ", expected an object");
  }
  check_keys(given, j, command);
  if (given.contains("local")) {
    if (!given["local"].is_object()) {
      throw InputError(command + ": local " + given["local"].dump() + ", expected an object");
    }
    check_keys(given["local"], j["local"], command + " local");
  }
  j.merge_patch(given);
  // merge_patch deletes a key given as null; the spec reads null as "not set" for these.
  for (const char* key : {"latency_budget_ms", "max_flops_m", "max_params_m"}) {
    if (!j.contains(key)) {
      j[key] = nullptr;
    }
  }
  RunSpec spec = parse_spec(j.dump(), command + " options");
  settle_algorithm(spec);
  for (auto* path : {&spec.front_csv, &spec.front_plot}) {
    if (!path->empty() && command != "pareto") {
      throw InputError(command + ": front_csv / front_plot " + quote(*path) +
                       ", expected them only for pareto (a search has no front)");
    }
    if (!path->empty()) {
      *path = std::filesystem::absolute(*path).string();  // the run may resume elsewhere
    }
  }
  return spec;
}

}  // namespace maplex::runs
