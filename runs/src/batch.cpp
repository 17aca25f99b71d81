#include "maplex/runs/batch.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "documents.hpp"
#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/json_integer.hpp"
#include "maplex/runs/prepare.hpp"
#include "maplex/runs/run.hpp"

namespace maplex::runs {

namespace {

using nlohmann::json;

std::string budget_text(double ms) {
  std::ostringstream s;
  s << ms;
  return s.str();
}

std::filesystem::path unit_dir(const BatchOptions& o, std::uint64_t seed, double budget) {
  return o.dir / ("budget" + budget_text(budget) + "ms-seed" + std::to_string(seed));
}

// One unit: its finished result when its directory holds one, else the run (resumed when a
// killed shard left it unfinished).
json run_unit(const BatchOptions& o, std::uint64_t seed, double budget,
              const tables::Catalog& catalog, const predictor::FeatureCache& features,
              const LiveDevice* live) {
  const std::filesystem::path dir = unit_dir(o, seed, budget);
  RunSpec spec = o.base;
  spec.seed = seed;
  spec.budget_ms = budget;
  if (std::ifstream done(dir / "result.json"); done) {
    json result = json::parse(done, nullptr, false);
    if (result.is_discarded() || !result.contains("config") ||
        result["config"] != json::parse(spec_to_json(spec))) {
      throw InputError("search batch: " + quote(dir.string()) +
                       " holds a run of another configuration, expected this batch's (a new "
                       "--run-dir for another batch)");
    }
    return result;
  }
  RunOptions ro;
  ro.dir = dir;
  ro.resume = std::filesystem::exists(dir / "config.json");
  const Prepared prepared = prepare(spec, catalog, features, live);
  return json::parse(execute(spec, prepared, catalog, ro).result_json);
}

double median(std::vector<double> v) {
  if (v.empty()) {
    return std::nan("");
  }
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Over the units: how many found a feasible answer, how many are within the budget by the
// device's true latency, the median test accuracy of the answers and the device measurements.
json summary_of(const json& units) {
  int found = 0;
  int truly = 0;
  std::vector<double> test;
  std::vector<double> measurements;
  for (const auto& u : units) {
    const json& r = u.at("result");
    measurements.push_back(r.at("spent").at("device_measurements").get<double>());
    if (r.at("best").is_null() || !r.at("best_feasible").get<bool>()) {
      continue;
    }
    ++found;
    test.push_back(r.at("best").at("test_accuracy").get<double>());
    const json& t = r.at("best").at("true_latency_ms");
    truly += !t.is_null() && t.get<double>() <= u.at("latency_budget_ms").get<double>() ? 1 : 0;
  }
  return {{"units", units.size()},
          {"answers", found},
          {"within_budget_on_truth", truly},
          {"median_test_accuracy", num_or_null(median(test))},
          {"median_device_measurements", num_or_null(median(measurements))}};
}

json config_of(const BatchOptions& o) {
  json config = json::parse(spec_to_json(o.base));
  config.erase("seed");
  config.erase("latency_budget_ms");
  config["seeds"] = o.seeds;
  config["budgets_ms"] = o.budgets_ms;
  return config;
}

}  // namespace

std::string run_batch(const BatchOptions& o, const tables::Catalog& catalog,
                      const predictor::FeatureCache& features, const LiveDevice* live,
                      const std::function<void(std::size_t, std::size_t)>& progress) {
  if (o.seeds.empty() || o.budgets_ms.empty() || o.dir.empty()) {
    throw InputError("search batch: expected at least one seed, one budget and a directory");
  }
  const std::size_t total = o.seeds.size() * o.budgets_ms.size();
  json units = json::array();
  for (std::size_t u = 0; u < total; ++u) {
    if (!o.shard.owns(u)) {
      continue;
    }
    const std::uint64_t seed = o.seeds[u % o.seeds.size()];
    const double budget = o.budgets_ms[u / o.seeds.size()];
    units.push_back({{"unit", u},
                     {"seed", seed},
                     {"latency_budget_ms", budget},
                     {"run_dir", unit_dir(o, seed, budget).string()},
                     {"result", run_unit(o, seed, budget, catalog, features, live)}});
    if (progress) {
      progress(units.size(), o.shard.share(total));
    }
  }
  const BuildInfo& b = build_info();
  json doc = {{"schema_version", kBatchSchemaVersion},
              {"command", "search-batch"},
              {"context",
               {{"maplex_version", b.version},
                {"git_commit", b.git_commit},
                {"build_type", b.build_type},
                {"data_dir", catalog.dir().string()}}},
              {"config", config_of(o)},
              {"units", units},
              {"summary", summary_of(units)}};
  doc["shard"] = {{"index", o.shard.index}, {"count", o.shard.count}};
  return doc.dump(2);
}

namespace {

std::string merge_batch_documents_json(
    const std::vector<std::pair<std::string, std::string>>& parts) {
  std::vector<json> docs;
  std::vector<std::pair<std::string, Shard>> shards;
  for (const auto& [name, text] : parts) {
    try {
      docs.push_back(json::parse(text));
      const auto& s = docs.back().at("shard");
      shards.emplace_back(
          name, Shard{json_integer<int>(s.at("index")), json_integer<int>(s.at("count"))});
    } catch (const json::exception& e) {
      throw InputError("" + quote(name) + " is not the JSON of maplex search --shard (" +
                       printable(e.what()) + ")");
    }
  }
  check_shard_set(shards);
  const json& config = docs.front().at("config");
  const std::size_t total = config.at("seeds").size() * config.at("budgets_ms").size();
  if (total > 1000000) {
    throw InputError("a batch of " + std::to_string(total) +
                     " runs, expected at most 1,000,000 (seeds x budgets)");
  }
  std::vector<json> units(total);
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const Shard shard = shards[i].second;
    if (docs[i].at("config") != config) {
      throw InputError("" + quote(parts[i].first) + " has another config than " +
                       quote(parts.front().first) + ", expected the shards of one batch");
    }
    std::size_t owned = 0;
    for (const auto& u : docs[i].at("units")) {
      const auto k = u.at("unit").get<std::size_t>();
      if (k >= total || !shard.owns(k)) {
        throw InputError("" + quote(parts[i].first) + " holds unit " + std::to_string(k) +
                         ", which is not shard " + shard.str() + "'s");
      }
      units[k] = u;
      ++owned;
    }
    if (owned != shard.share(total)) {
      throw InputError("" + quote(parts[i].first) + " holds " + std::to_string(owned) +
                       " units, expected the " + std::to_string(shard.share(total)) + " of shard " +
                       shard.str() + " (an unfinished shard)");
    }
  }
  json out = docs.front();
  out["shard"] = {{"index", 0}, {"count", 1}};
  out["units"] = units;
  out["summary"] = summary_of(out["units"]);
  return out.dump(2);
}

}  // namespace

std::string merge_batch_documents(const std::vector<std::pair<std::string, std::string>>& parts) {
  try {
    return merge_batch_documents_json(parts);
  } catch (const nlohmann::json::exception& e) {
    throw InputError("a part lacks what a search-batch part holds (" + std::string(e.what()) +
                     "), expected the unedited JSON of maplex search --shard");
  }
}

namespace {

template <typename T>
std::vector<T> parse_list(const std::string& text, const std::string& option, bool ranges) {
  std::vector<T> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    try {
      const auto dash = ranges ? item.find('-', 1) : std::string::npos;
      if (dash != std::string::npos) {
        const auto lo = std::stoull(item.substr(0, dash), &used);
        const auto hi = std::stoull(item.substr(dash + 1));
        if (used != dash || hi < lo || hi - lo > 100000) {
          throw std::invalid_argument(item);
        }
        for (auto v = lo; v <= hi; ++v) {
          out.push_back(static_cast<T>(v));
        }
        continue;
      }
      const double v = std::stod(item, &used);
      if (used != item.size() || !(v >= 0) || (ranges && v != std::floor(v)) ||
          (!ranges && !(v > 0))) {
        throw std::invalid_argument(item);
      }
      out.push_back(static_cast<T>(v));
    } catch (const std::exception&) {
      throw InputError("--" + option + " item " + quote(item) + ", expected " +
                       (ranges ? "a seed (integer >= 0) or a range A-B" : "a budget in ms > 0"));
    }
  }
  if (out.empty()) {
    throw InputError("--" + option + " " + quote(text) + " is empty, expected a list");
  }
  return out;
}

}  // namespace

std::vector<std::uint64_t> parse_seed_list(const std::string& text) {
  return parse_list<std::uint64_t>(text, "seeds", true);
}

std::vector<double> parse_budget_list(const std::string& text) {
  return parse_list<double>(text, "budgets-ms", false);
}

}  // namespace maplex::runs
