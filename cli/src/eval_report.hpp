#pragma once
// Printing and serialising an evaluation.

#include <nlohmann/json.hpp>

#include "maplex/predictor/evaluation.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::cli {

// Tables like MAPLE-X's Table 1, one per metric, devices by methods, then the noise ceiling.
void print_evaluation(const predictor::Evaluation& e);

nlohmann::json evaluation_json(const predictor::Evaluation& e, const tables::Catalog& catalog,
                               int threads);

}  // namespace maplex::cli
