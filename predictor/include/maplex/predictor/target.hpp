#pragma once
// The target device of a prediction and its adaptation measurements: read from a user's long-form
// CSV, or simulated for a shipped device by reading the planned architectures' latencies from its
// table (each counted as one measurement).

#include <functional>
#include <string>
#include <vector>

#include "maplex/predictor/pool.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::predictor {

struct Target {
  std::string name;  // device name, or the measurement file's stem
  Adaptation adaptation;
  bool simulated = false;  // latencies read from a shipped table
  std::string source;      // the file, or "table <data_file>"
};

// From `measurements_path` (with `device` choosing among a multi-device file), or, when the path is
// empty, simulated on shipped `device` with `count` planned architectures (plan_adaptation on the
// default pool with `pool`'s options). Throws InputError for an unknown device, a file naming
// several devices without `device`, or a planned architecture the table has no latency for.
Target make_target(const tables::Catalog& catalog, const std::string& device,
                   const std::string& measurements_path, const PoolOptions& pool, int count);

// A device measured now (this machine): `count` planned architectures (plan_adaptation on the
// default pool for `name` with `pool`'s options) measured with `measure` (ms).
Target make_measured_target(const tables::Catalog& catalog, const std::string& name,
                            const std::string& source, const PoolOptions& pool, int count,
                            const std::function<double(int)>& measure, const SpecVector& spec,
                            std::vector<double> lut_ms);

// What the target's runtime does with dead ops (PredictorConfig::use_dead_ops): "runs" or
// "prunes" as its user states it, "table" for what is known of it (its spec's dead_ops:
// devices.csv's for a shipped device, its runtime's for a live one), "" for not used. Returns
// whether it is used. Throws InputError for another value, or "table" where nothing is known.
bool state_dead_ops(Target& target, const std::string& dead_ops);

}  // namespace maplex::predictor
