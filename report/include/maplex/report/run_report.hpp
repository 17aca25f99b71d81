#pragma once
// One self-contained HTML page per run directory (`maplex report`): the configuration, the answer
// with its predicted, checked and true latency, the search's history, its front against the true
// front where the tables know it, and the predictor's scatter (predicted against true latency for
// a shipped device; against the measured architectures for a live one). The figures are inline
// SVG: the page needs no network and no script.

#include <filesystem>
#include <string>

#include "maplex/predictor/feature_cache.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::report {

// Throws InputError naming the directory when it holds no finished run (config.json and
// result.json), or as the run's records do when they are malformed. The predictor of a run on a
// shipped device or a measurement file is adapted again from the run's spec (same seed, same
// predictions); a live device is not measured again.
std::string run_report_html(const std::filesystem::path& run_dir, const tables::Catalog& catalog,
                            const predictor::FeatureCache& features);

}  // namespace maplex::report
