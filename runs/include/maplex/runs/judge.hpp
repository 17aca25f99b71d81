#pragma once
// A pareto run's front judged where the truth is known: its hypervolume at the latencies the search
// saw, at the true latencies (a shipped table), at the latencies measured on a live device after
// the search, and against the true front, with EvoXBench's normalised hypervolume ratio and IGD.
// The reference point is the median accuracy of the connected architectures and the largest
// latency on the device. The run's result document carries it as "judgement".

#include "maplex/objectives/front.hpp"
#include "maplex/runs/prepare.hpp"
#include "maplex/runs/run.hpp"

namespace maplex::runs {

struct FrontJudgement {
  double reference_accuracy = 0;
  double reference_latency_ms = 0;
  std::vector<objectives::FrontPoint> found;           // at the search's latencies
  std::vector<objectives::FrontPoint> found_true;      // members the table knows, true latency
  std::vector<objectives::FrontPoint> found_measured;  // live device: measured after the search
  std::vector<objectives::FrontPoint> true_front;      // empty when the truth is unknown
};

FrontJudgement judge_front(const RunSpec& spec, const Prepared& prepared,
                           const tables::Catalog& catalog, const RunResult& result);

}  // namespace maplex::runs
