// An evaluation's part as JSON, and the merge of the parts of every shard
// (`maplex evaluate --shard K/N --json part.json`, then `maplex merge`).

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/json_integer.hpp"
#include "maplex/predictor/evaluation.hpp"

namespace maplex::predictor {

namespace {

using nlohmann::json;

json number(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

double number_of(const json& v) {
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
}

json metrics_part(const Metrics& m) {
  return {{"acc10", number(m.acc10)},
          {"acc5", number(m.acc5)},
          {"spearman", number(m.spearman)},
          {"kendall", number(m.kendall)},
          {"mape", number(m.mape)},
          {"coverage95", number(m.coverage95)},
          {"count", m.count}};
}

Metrics metrics_of(const json& j) {
  Metrics m;
  m.acc10 = number_of(j.at("acc10"));
  m.acc5 = number_of(j.at("acc5"));
  m.spearman = number_of(j.at("spearman"));
  m.kendall = number_of(j.at("kendall"));
  m.mape = number_of(j.at("mape"));
  m.coverage95 = number_of(j.at("coverage95"));
  m.count = json_integer<int>(j.at("count"));
  return m;
}

// Every option the results depend on (two parts merge only when these are equal).
json options_json(const EvalOptions& o) {
  json methods = json::array();
  for (const Method m : o.methods) {
    methods.push_back(method_name(m));
  }
  json targets = json::array();
  for (const auto& t : o.targets) {
    targets.push_back(t.name);
  }
  return {{"protocol", o.protocol},
          {"methods", methods},
          {"adapt", o.adapt},
          {"trials", o.trials},
          {"select", o.select == AdaptSelect::plan ? "plan" : "random"},
          {"pool_samples", o.pool_samples},
          {"seed", o.seed},
          {"noise_ceiling", o.noise_ceiling},
          {"ceiling_samples", o.ceiling_samples},
          {"pool", o.pool},
          {"targets", targets}};
}

EvalOptions options_of(const json& j) {
  EvalOptions o;
  o.protocol = j.at("protocol").get<std::string>();
  o.methods.clear();
  for (const auto& m : j.at("methods")) {
    o.methods.push_back(parse_method(m.get<std::string>()));
  }
  o.adapt = json_integer<int>(j.at("adapt"));
  o.trials = json_integer<int>(j.at("trials"));
  o.select = j.at("select").get<std::string>() == "plan" ? AdaptSelect::plan : AdaptSelect::random;
  o.pool_samples = json_integer<int>(j.at("pool_samples"));
  o.seed = json_integer<std::uint64_t>(j.at("seed"));
  o.noise_ceiling = j.at("noise_ceiling").get<bool>();
  o.ceiling_samples = json_integer<int>(j.at("ceiling_samples"));
  o.pool = j.at("pool").get<std::vector<std::string>>();
  for (const auto& t : j.at("targets")) {
    o.targets.push_back({t.get<std::string>(), {}, {}, {}, {}});
  }
  return o;
}

json cell_json(const EvalCell& c, const EvalOptions& o) {
  json methods = json::object();
  for (std::size_t m = 0; m < o.methods.size(); ++m) {
    methods[std::string(method_name(o.methods[m]))] = {{"scored", metrics_part(c.scored[m])},
                                                       {"whole", metrics_part(c.whole[m])}};
  }
  return {{"case", c.case_index}, {"trial", c.trial}, {"methods", methods}};
}

EvalCell cell_of(const json& j, const EvalOptions& o) {
  EvalCell c;
  c.case_index = j.at("case").get<std::size_t>();
  c.trial = json_integer<int>(j.at("trial"));
  for (const Method m : o.methods) {
    const json& r = j.at("methods").at(std::string(method_name(m)));
    c.scored.push_back(metrics_of(r.at("scored")));
    c.whole.push_back(metrics_of(r.at("whole")));
  }
  return c;
}

std::size_t unit_of(const EvalCell& c, const EvalOptions& o) {
  return c.case_index * static_cast<std::size_t>(o.trials) + static_cast<std::size_t>(c.trial);
}

// What a part's numbers may be: a shard of its count, trials within reason, cells and ceilings
// of its own cases.
void check_ranges(const EvalPart& p, const std::string& name) {
  constexpr int kMaxTrials = 100000;
  bool ok = p.shard.count >= 1 && p.shard.index >= 0 && p.shard.index < p.shard.count &&
            p.options.trials >= 1 && p.options.trials <= kMaxTrials && p.options.adapt >= 1;
  for (const auto& c : p.cells) {
    ok = ok && c.case_index < p.cases.size() && c.trial >= 0 && c.trial < p.options.trials;
  }
  for (const auto& [t, m] : p.ceilings) {
    ok = ok && t < p.cases.size();
  }
  if (!ok) {
    throw InputError("evaluation part " + quote(name) +
                     " has a shard, trial count or cell out of range, expected the unedited "
                     "JSON of maplex evaluate --shard");
  }
}

}  // namespace

std::string part_document(const EvalPart& part) {
  const BuildInfo& b = build_info();
  json doc = {{"schema_version", kEvalPartSchemaVersion},
              {"command", "evaluate-part"},
              {"context", {{"maplex_version", b.version}, {"git_commit", b.git_commit}}},
              {"shard", {{"index", part.shard.index}, {"count", part.shard.count}}},
              {"options", options_json(part.options)},
              {"seconds", part.seconds}};
  json cases = json::array();
  for (const auto& c : part.cases) {
    cases.push_back({{"device", c.device}, {"group", c.group}, {"pool", c.pool}});
  }
  doc["cases"] = cases;
  json cells = json::array();
  for (const auto& c : part.cells) {
    cells.push_back(cell_json(c, part.options));
  }
  doc["cells"] = cells;
  json ceilings = json::array();
  for (const auto& [t, m] : part.ceilings) {
    ceilings.push_back({{"case", t}, {"metrics", metrics_part(m)}});
  }
  doc["ceilings"] = ceilings;
  return doc.dump(1);
}

EvalPart parse_part_document(const std::string& text, const std::string& name) {
  try {
    const json doc = json::parse(text);
    if (doc.at("command") != "evaluate-part" ||
        doc.at("schema_version") != kEvalPartSchemaVersion) {
      throw InputError("evaluation part " + quote(name) + " has command " +
                       quote(doc.at("command").dump()) + ", schema " +
                       doc.at("schema_version").dump() + ", expected an evaluate-part of schema " +
                       std::to_string(kEvalPartSchemaVersion));
    }
    EvalPart part;
    part.shard = {json_integer<int>(doc.at("shard").at("index")),
                  json_integer<int>(doc.at("shard").at("count"))};
    part.options = options_of(doc.at("options"));
    part.seconds = doc.at("seconds").get<double>();
    for (const auto& c : doc.at("cases")) {
      part.cases.push_back({c.at("device").get<std::string>(), c.at("group").get<std::string>(),
                            c.at("pool").get<std::vector<std::string>>()});
    }
    for (const auto& c : doc.at("cells")) {
      part.cells.push_back(cell_of(c, part.options));
    }
    for (const auto& c : doc.at("ceilings")) {
      part.ceilings[c.at("case").get<std::size_t>()] = metrics_of(c.at("metrics"));
    }
    check_ranges(part, name);
    return part;
  } catch (const json::exception& e) {
    throw InputError("evaluation part " + quote(name) + " is not readable (" + printable(e.what()) +
                     "), expected the JSON of maplex evaluate --shard");
  }
}

namespace {

// Checks that `p` (named `name`) belongs to the same run as `first` and holds exactly its shard's
// units.
void check_part(const EvalPart& first, const std::string& first_name, const EvalPart& p,
                const std::string& name) {
  if (options_json(p.options) != options_json(first.options)) {
    throw InputError("" + quote(name) + " was run with " + options_json(p.options).dump() +
                     " but " + quote(first_name) + " with " + options_json(first.options).dump() +
                     ", expected parts of one run");
  }
  bool same_cases = p.cases.size() == first.cases.size();
  for (std::size_t i = 0; same_cases && i < p.cases.size(); ++i) {
    same_cases = p.cases[i].device == first.cases[i].device &&
                 p.cases[i].group == first.cases[i].group && p.cases[i].pool == first.cases[i].pool;
  }
  if (!same_cases) {
    throw InputError("" + quote(name) + " has other cases (targets or pools) than " +
                     quote(first_name) + ", expected parts of one run on the same data");
  }
  const std::size_t units = p.cases.size() * static_cast<std::size_t>(p.options.trials);
  bool owned = p.cells.size() == p.shard.share(units);
  for (const auto& c : p.cells) {
    owned = owned && unit_of(c, p.options) < units && p.shard.owns(unit_of(c, p.options));
  }
  if (!owned) {
    throw InputError("" + quote(name) + " holds " + std::to_string(p.cells.size()) +
                     " (case, trial) results, expected exactly the " +
                     std::to_string(p.shard.share(units)) + " of shard " + p.shard.str() +
                     " (an unfinished or edited part)");
  }
}

}  // namespace

EvalPart merge_parts(const std::vector<std::pair<std::string, EvalPart>>& parts) {
  std::vector<std::pair<std::string, Shard>> shards;
  shards.reserve(parts.size());
  for (const auto& [name, p] : parts) {
    shards.emplace_back(name, p.shard);
  }
  check_shard_set(shards);
  const auto& [first_name, first] = parts.front();
  EvalPart out;
  out.options = first.options;
  out.cases = first.cases;
  const std::size_t units = first.cases.size() * static_cast<std::size_t>(first.options.trials);
  out.cells.resize(units);
  for (const auto& [name, p] : parts) {
    check_part(first, first_name, p, name);
    for (const auto& c : p.cells) {
      out.cells[unit_of(c, p.options)] = c;
    }
    out.ceilings.insert(p.ceilings.begin(), p.ceilings.end());
    out.seconds += p.seconds;
  }
  return out;
}

}  // namespace maplex::predictor
