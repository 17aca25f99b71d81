// maplex report: one self-contained HTML page for a run directory (report/run_report.hpp).

#include <cstdio>
#include <fstream>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/core/error.hpp"
#include "maplex/report/run_report.hpp"

namespace maplex::cli {

int run_report(int argc, char** argv) {
  auto options =
      make_options("report", "One HTML page for a run: answer, history, front, predictor");
  options.add_options()("run-dir", "The run directory", cxxopts::value<std::string>())(
      "out", "Write the page here (default RUN_DIR/report.html)", cxxopts::value<std::string>());
  options.parse_positional({"run-dir"});
  options.positional_help("<run-dir>");
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  if (args->count("run-dir") == 0U) {
    throw UsageError("expected the run directory: maplex report <run-dir> [--out report.html]");
  }
  const std::filesystem::path dir = (*args)["run-dir"].as<std::string>();
  if (!std::filesystem::is_directory(dir)) {
    throw InputError("run directory " + quote(dir.string()) + " does not exist");
  }
  const std::string out =
      args->count("out") != 0U ? (*args)["out"].as<std::string>() : (dir / "report.html").string();
  const tables::Catalog catalog = load_catalog(*args);
  const auto features = predictor::FeatureCache::build(catalog.index());
  const std::string html = report::run_report_html(dir, catalog, features);
  std::ofstream file(out);
  if (!(file << html)) {
    throw InputError("--out " + quote(out) + ": cannot write, expected a writable file path");
  }
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

}  // namespace maplex::cli
