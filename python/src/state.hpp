#pragma once
// What every call of the Python module shares: the shipped data (found as the CLI finds it, or set
// with maplex.set_data_dir) and the feature cache over it, loaded once on first use.

#include <memory>
#include <optional>
#include <string>

#include "maplex/predictor/feature_cache.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::python {

struct Data {
  // The features view the catalog's index, so they are built in place after it.
  explicit Data(tables::Catalog loaded)
      : catalog(std::move(loaded)), features(predictor::FeatureCache::build(catalog.index())) {}
  Data(const Data&) = delete;
  Data& operator=(const Data&) = delete;

  tables::Catalog catalog;
  predictor::FeatureCache features;
};

// The loaded data (loading it on the first call); shared so arrays and predictors that view it
// stay valid after set_data_dir loads another folder.
std::shared_ptr<const Data> data();

// Loads `dir` now (throws InputError as the CLI's --data-dir does); nullopt = the default search.
void set_data_dir(const std::optional<std::string>& dir);

}  // namespace maplex::python
