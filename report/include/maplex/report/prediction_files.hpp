#pragma once
// `maplex predict`'s files: every architecture's predicted latency as CSV, and the prediction
// against the latencies it was checked on as an SVG. Both written whole or not at all.

#include <string>

#include "maplex/predictor/check.hpp"
#include "maplex/predictor/predictor.hpp"
#include "maplex/predictor/target.hpp"
#include "maplex/space/index.hpp"

namespace maplex::report {

// index,arch_str,latency_ms,log_sd for every architecture of `index`, after a schema line and a
// line with `context` (the prediction's JSON report, one line).
void write_predictions_csv(const std::string& path, const predictor::Predictor& p,
                           const space::ArchIndex& index, int schema_version,
                           const std::string& context);

// Predicted against measured on `checks`' architectures (the adaptation's own when there are
// none), log axes, the +-10% band.
void write_prediction_plot(const std::string& path, const predictor::Predictor& p,
                           const predictor::Target& target, const predictor::CheckSet& checks);

}  // namespace maplex::report
