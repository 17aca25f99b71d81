#pragma once
// Parts of a run's result document built outside run.cpp.

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "maplex/runs/judge.hpp"

namespace maplex::runs {

// A number, or JSON null for NaN (unknown).
inline nlohmann::json num_or_null(double v) {
  return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

// The "judgement" of a pareto run (judge.hpp); `device_description` names a live device.
nlohmann::json judgement_json(const FrontJudgement& judgement,
                              const std::string& device_description);

}  // namespace maplex::runs
