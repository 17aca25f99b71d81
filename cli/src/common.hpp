#pragma once
// What every maplex command shares: option parsing with --help/--json/--data-dir, output helpers,
// and the JSON envelope (schema_version and context).

#include <cxxopts.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "maplex/core/error.hpp"
#include "maplex/core/output.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::cli {

// Version of every JSON document maplex writes; bump on an incompatible change.
inline constexpr int kJsonSchemaVersion = 1;

// Thrown for a wrong command line (unknown option, missing argument); exit code 2.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(printable(message)) {}
};

// cxxopts options for `maplex <name>` with --help, --json and --data-dir added. With json_file,
// --json takes an optional file (`--json` = stdout, `--json out.json` or `--json=out.json` = file).
cxxopts::Options make_options(const std::string& name, const std::string& summary,
                              bool json_file = false);

// With json_file options: the file --json names, "-" for stdout, or nothing without --json.
std::optional<std::string> json_target(const cxxopts::ParseResult& args);

// Parses argv; on --help prints the help and returns nothing. Throws UsageError on bad options.
std::optional<cxxopts::ParseResult> parse(cxxopts::Options& options, int argc, char** argv);

// The catalog from --data-dir, MAPLEX_DATA or the default locations.
tables::Catalog load_catalog(const cxxopts::ParseResult& args);

// {"schema_version", "command", "context": {maplex version, commit, build type, data dir}}.
nlohmann::json json_envelope(const std::string& command, const tables::Catalog& catalog);

// Writes `doc` to `path` (pretty, trailing newline); throws InputError when it cannot.
void write_json_file(const std::string& path, const nlohmann::json& doc);

// Four significant digits for estimates a person reads ("5.583"); JSON keeps every digit.
std::string approx(double value);
// num(v), or "-" for a missing (NaN) value.
std::string num_or_dash(double value);
// JSON number, or null for a missing (NaN) value.
nlohmann::json json_or_null(double value);

}  // namespace maplex::cli
