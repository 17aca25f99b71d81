#pragma once
// Printing and serialising an evaluation.

#include <nlohmann/json.hpp>

#include "maplex/predictor/evaluation.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::cli {

// Tables like MAPLE-X's Table 1, one per metric, devices by methods, then the noise ceiling.
void print_evaluation(const predictor::Evaluation& e);

// One set of metrics as the JSON reports write it (evaluate's tables, predict's checks).
nlohmann::json metrics_json(const predictor::Metrics& m);

nlohmann::json evaluation_json(const predictor::Evaluation& e, const tables::Catalog& catalog,
                               int threads);

}  // namespace maplex::cli
