#include "common.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "maplex/core/error.hpp"

#include "maplex/core/build_info.hpp"
#include "maplex/tables/data_dir.hpp"

namespace maplex::cli {

cxxopts::Options make_options(const std::string& name, const std::string& summary, bool json_file) {
  cxxopts::Options options("maplex " + name, summary);
  options.add_options()("h,help", "Show this help")(
      "data-dir",
      "Folder holding nb201_archs.csv and the other shipped tables (default: "
      "$MAPLEX_DATA, else found next to the binary)",
      cxxopts::value<std::string>());
  if (json_file) {
    options.add_options()("json",
                          "Write the JSON report (with schema_version) to FILE, or print it "
                          "instead of text when no FILE is given",
                          cxxopts::value<std::string>()->implicit_value("-"),
                          "[FILE]")("json-path", "", cxxopts::value<std::string>());
    options.parse_positional({"json-path"});
  } else {
    options.add_options()("json", "Print JSON (with schema_version) instead of text");
  }
  return options;
}

std::optional<std::string> json_target(const cxxopts::ParseResult& args) {
  if (args.count("json") == 0U) {
    if (args.count("json-path") != 0U) {
      throw UsageError("unexpected argument '" + args["json-path"].as<std::string>() + "'");
    }
    return std::nullopt;
  }
  std::string target = args["json"].as<std::string>();
  if (target == "-" && args.count("json-path") != 0U) {
    target = args["json-path"].as<std::string>();
  }
  return target;
}

namespace {

// A cxxopts message as maplex writes its own: escaped, with ASCII quotes for its curly ones.
std::string cxxopts_message(const std::exception& e) {
  std::string text = e.what();
  for (const char* curly : {"\u2018", "\u2019"}) {
    for (auto at = text.find(curly); at != std::string::npos; at = text.find(curly, at)) {
      text.replace(at, std::string_view(curly).size(), "'");
    }
  }
  return printable(text);
}

// "unknown option '--x'; did you mean '--y'?" for the first long option of argv that `options`
// lacks; nothing when every long option is known.
std::optional<std::string> unknown_option(const cxxopts::Options& options, int argc, char** argv) {
  std::vector<std::string> known;
  for (const std::string& group : options.groups()) {
    for (const auto& o : options.group_help(group).options) {
      for (const std::string& name : o.l) {
        known.push_back("--" + name);
      }
    }
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::string name = arg.substr(0, arg.find('='));
    if (name.rfind("--", 0) == 0 && name.size() > 2 &&
        std::find(known.begin(), known.end(), name) == known.end()) {
      return "unknown option " + quote(name) + did_you_mean(name, known);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<cxxopts::ParseResult> parse(cxxopts::Options& options, int argc, char** argv) {
  try {
    auto result = options.parse(argc, argv);
    if (result.count("help") != 0U) {
      std::cout << options.help() << '\n';
      return std::nullopt;
    }
    if (!result.unmatched().empty()) {
      throw UsageError("unexpected argument '" + result.unmatched().front() + "' (see " +
                       options.program() + " --help)");
    }
    return result;
  } catch (const cxxopts::exceptions::no_such_option& e) {
    throw UsageError(unknown_option(options, argc, argv).value_or(cxxopts_message(e)) + " (see " +
                     options.program() + " --help)");
  } catch (const cxxopts::exceptions::exception& e) {
    throw UsageError(cxxopts_message(e) + " (see " + options.program() + " --help)");
  }
}

tables::Catalog load_catalog(const cxxopts::ParseResult& args) {
  std::optional<std::string> dir;
  if (args.count("data-dir") != 0U) {
    dir = args["data-dir"].as<std::string>();
  }
  return tables::Catalog::load(tables::find_data_dir(dir));
}

nlohmann::json json_envelope(const std::string& command, const tables::Catalog& catalog) {
  const BuildInfo& b = build_info();
  return {{"schema_version", kJsonSchemaVersion},
          {"command", command},
          {"context",
           {{"maplex_version", b.version},
            {"git_commit", b.git_commit},
            {"build_type", b.build_type},
            {"data_dir", catalog.dir().string()}}}};
}

void write_json_file(const std::string& path, const nlohmann::json& doc) {
  write_text_file(path, doc.dump(2) + "\n");
}

std::string approx(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", value);
  return buf;
}

std::string num_or_dash(double value) { return std::isnan(value) ? "-" : num(value); }

nlohmann::json json_or_null(double value) {
  return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value);
}

}  // namespace maplex::cli
