// maplex merge: the parts of a sharded run (`--shard K/N`) joined into what the unsharded run
// writes. The kind is read from the parts: measurement stores (SQLite), measurement CSVs,
// evaluation parts, compare and search-batch JSONs; the merging itself is library code.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "eval_report.hpp"
#include "maplex/core/error.hpp"
#include "maplex/measure/store.hpp"
#include "maplex/measure/sweep_csv.hpp"
#include "maplex/predictor/evaluation.hpp"
#include "maplex/runs/batch.hpp"
#include "maplex/runs/compare.hpp"

namespace maplex::cli {

namespace {

std::string read_text(const std::string& path, std::size_t limit = std::string::npos) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError("part " + quote(path) + " cannot be read, expected an existing file");
  }
  if (limit != std::string::npos) {
    std::string head(limit, '\0');
    in.read(head.data(), static_cast<std::streamsize>(limit));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

enum class Kind { store, csv, evaluate, compare, search };

Kind kind_of(const std::string& path) {
  const std::string head = read_text(path, 64);
  if (head.rfind("SQLite format 3", 0) == 0) {
    return Kind::store;
  }
  if (head.rfind("# maplex measurements", 0) == 0) {
    return Kind::csv;
  }
  if (!head.empty() && head.front() == '{') {
    const auto doc = nlohmann::json::parse(read_text(path), nullptr, false);
    const std::string command =
        doc.is_object() && doc.contains("command") && doc["command"].is_string()
            ? doc["command"].get<std::string>()
            : "";
    for (const auto& [name, kind] :
         {std::pair{"evaluate-part", Kind::evaluate}, std::pair{"compare", Kind::compare},
          std::pair{"search-batch", Kind::search}}) {
      if (command == name) {
        return kind;
      }
    }
  }
  throw InputError("part " + quote(path) +
                   " is not a part of a sharded run, expected a measurement store, a measurements "
                   "CSV, or the JSON of evaluate, compare or search with --shard");
}

int merge_evaluations(const std::vector<std::string>& paths, const std::string& out,
                      const cxxopts::ParseResult& args) {
  std::vector<std::pair<std::string, predictor::EvalPart>> parts;
  parts.reserve(paths.size());
  for (const auto& p : paths) {
    parts.emplace_back(p, predictor::parse_part_document(read_text(p), p));
  }
  const auto merged = predictor::merge_parts(parts);
  const tables::Catalog catalog = load_catalog(args);
  auto doc = evaluation_json(predictor::assemble(merged), catalog, 0);
  doc["config"].erase("threads");
  doc["merged_from"] = paths;
  write_json_file(out, doc);
  std::printf("merged %zu evaluation parts (%zu cells) into %s\n", paths.size(),
              merged.cells.size(), out.c_str());
  return 0;
}

int merge_stores(const std::vector<std::string>& paths, const std::string& out) {
  std::vector<std::filesystem::path> parts(paths.begin(), paths.end());
  for (const auto& p : parts) {
    std::error_code ec;
    if (std::filesystem::equivalent(p, out, ec)) {
      throw InputError("part " + quote(p.string()) +
                       " is the --out store itself, expected other stores");
    }
  }
  measure::Store store(out);
  const auto c = store.merge(parts);
  std::printf(
      "merged %zu stores into %s (journal %s): %d rows added, %d already held, %d conflicts "
      "(%d replaced: the lower ratio_cv wins, then the earlier measured_at, then the row held), "
      "%d profiles added\n",
      parts.size(), out.c_str(), store.journal_mode().c_str(), c.inserted, c.identical, c.conflicts,
      c.replaced, c.profiles);
  return 0;
}

int merge_csvs(const std::vector<std::string>& paths, const std::string& out) {
  const std::size_t rows = measure::merge_sweep_csvs(
      out, std::vector<std::filesystem::path>(paths.begin(), paths.end()));
  std::printf("merged %zu measurement CSVs (%zu rows) into %s\n", paths.size(), rows, out.c_str());
  return 0;
}

// Compare and search-batch parts: `merge` joins the texts; `what` counts the merged document's
// `list` entries in the summary line.
int merge_documents(const std::vector<std::string>& paths, const std::string& out,
                    std::string (*merge)(const std::vector<std::pair<std::string, std::string>>&),
                    const char* kind, const char* list, const char* what) {
  std::vector<std::pair<std::string, std::string>> parts;
  parts.reserve(paths.size());
  for (const auto& p : paths) {
    parts.emplace_back(p, read_text(p));
  }
  auto doc = nlohmann::json::parse(merge(parts));
  doc["merged_from"] = paths;
  write_json_file(out, doc);
  std::printf("merged %zu %s parts (%zu %s) into %s\n", paths.size(), kind, doc.at(list).size(),
              what, out.c_str());
  return 0;
}

}  // namespace

int run_merge(int argc, char** argv) {
  auto options = make_options(
      "merge", "Join the parts of a sharded run (--shard K/N) into what one process writes");
  options.add_options()("out", "The merged file", cxxopts::value<std::string>())(
      "parts", "The parts (every shard once)", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"parts"});
  options.positional_help("PART...");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  if (args->count("out") == 0U || args->count("parts") == 0U) {
    throw UsageError("expected maplex merge --out FILE PART... (see maplex merge --help)");
  }
  const std::string out = (*args)["out"].as<std::string>();
  const auto paths = (*args)["parts"].as<std::vector<std::string>>();
  std::vector<Kind> kinds;
  for (const auto& p : paths) {
    kinds.push_back(kind_of(p));
    if (kinds.back() != kinds.front()) {
      throw InputError("part " + quote(p) + " is of another kind than " + quote(paths.front()) +
                       ", expected parts of one run");
    }
  }
  switch (kinds.front()) {  // every kind is handled
    case Kind::evaluate:
      return merge_evaluations(paths, out, *args);
    case Kind::store:
      return merge_stores(paths, out);
    case Kind::csv:
      return merge_csvs(paths, out);
    case Kind::compare:
      return merge_documents(paths, out, runs::merge_compare_documents, "compare", "cases",
                             "cases");
    case Kind::search:
      return merge_documents(paths, out, runs::merge_batch_documents, "search-batch", "units",
                             "runs");
  }
  return 1;  // not reached: every kind is handled above
}

}  // namespace maplex::cli
