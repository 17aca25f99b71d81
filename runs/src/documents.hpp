#pragma once
// Parts of a run's result document built outside run.cpp.

#include <nlohmann/json.hpp>
#include <string>

#include "maplex/runs/judge.hpp"

namespace maplex::runs {

// The "judgement" of a pareto run (judge.hpp); `device_description` names a live device.
nlohmann::json judgement_json(const FrontJudgement& judgement,
                              const std::string& device_description);

}  // namespace maplex::runs
