#include "maplex/runs/judge.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "documents.hpp"
#include "maplex/objectives/accuracy.hpp"
#include "maplex/objectives/pareto.hpp"

namespace maplex::runs {

namespace {

double median_connected_accuracy(const tables::Catalog& catalog, const std::vector<double>& acc) {
  std::vector<double> connected;
  for (int i = 0; i < catalog.index().size(); ++i) {
    if (catalog.index().cell(i).connected) {
      connected.push_back(acc[static_cast<std::size_t>(i)]);
    }
  }
  const auto mid = static_cast<std::ptrdiff_t>(connected.size() / 2);
  std::nth_element(connected.begin(), connected.begin() + mid, connected.end());
  return connected[static_cast<std::size_t>(mid)];
}

double largest(const std::vector<double>& v) {
  double out = 0;
  for (double x : v) {
    out = std::isnan(x) ? out : std::max(out, x);
  }
  return out;
}

std::vector<objectives::Point> minimised(const std::vector<objectives::FrontPoint>& front) {
  std::vector<objectives::Point> out;
  out.reserve(front.size());
  for (const auto& q : front) {
    out.push_back({-q.accuracy, q.latency_ms});
  }
  return out;
}

}  // namespace

FrontJudgement judge_front(const RunSpec& spec, const Prepared& prepared,
                           const tables::Catalog& catalog, const RunResult& result) {
  const auto acc = objectives::accuracies(catalog.archs(), space::parse_dataset(spec.dataset),
                                          spec.accuracy_choice());
  const auto& truth = prepared.true_latency_ms;
  const bool know_truth =
      std::any_of(truth.begin(), truth.end(), [](double v) { return !std::isnan(v); });
  FrontJudgement j;
  j.reference_accuracy = median_connected_accuracy(catalog, acc);
  j.reference_latency_ms = largest(know_truth ? truth : prepared.problem.source().latency_ms);
  std::map<int, double> measured(result.measured_after.begin(), result.measured_after.end());
  for (const auto& f : result.outcome.front) {
    j.found.push_back({f.index, f.accuracy, f.latency_ms});
    // Judged by the cell's own accuracy in the table (a cell isomorphic to one queried before
    // carries that one's answer).
    const double t = truth[static_cast<std::size_t>(f.index)];
    if (!std::isnan(t)) {
      j.found_true.push_back({f.index, acc[static_cast<std::size_t>(f.index)], t});
    }
    if (const auto it = measured.find(f.index); it != measured.end()) {
      j.found_measured.push_back({f.index, f.accuracy, it->second});
    }
  }
  if (know_truth) {
    std::vector<objectives::FrontPoint> all;
    for (int i = 0; i < catalog.index().size(); ++i) {
      const double t = truth[static_cast<std::size_t>(i)];
      if (!std::isnan(t)) {
        all.push_back({i, acc[static_cast<std::size_t>(i)], t});
      }
    }
    j.true_front = objectives::non_dominated(all);
  }
  return j;
}

nlohmann::json judgement_json(const FrontJudgement& j, const std::string& device_description) {
  const double ra = j.reference_accuracy;
  const double rl = j.reference_latency_ms;
  nlohmann::json out = {
      {"reference_accuracy", ra},
      {"reference_latency_ms", rl},
      {"reference",
       "median accuracy of the connected architectures; the largest latency on the "
       "device"},
      {"front_size", j.found.size()},
      {"hypervolume_source", objectives::hypervolume(j.found, ra, rl)}};
  if (!j.found_measured.empty()) {
    out["hypervolume_found_measured_latency"] =
        objectives::hypervolume(objectives::non_dominated(j.found_measured), ra, rl);
    out["device_description"] = device_description;
  }
  if (!j.true_front.empty()) {
    const auto found_true = objectives::non_dominated(j.found_true);
    const double hv_found = objectives::hypervolume(found_true, ra, rl);
    const double hv_true = objectives::hypervolume(j.true_front, ra, rl);
    out["hypervolume_found_true_latency"] = hv_found;
    out["hypervolume_true_front"] = hv_true;
    out["hypervolume_ratio"] = hv_true > 0 ? hv_found / hv_true : 0.0;
    out["true_front_size"] = j.true_front.size();
    // EvoXBench's judgement: both objectives normalised by the true front's ideal and nadir.
    const auto quality = objectives::front_quality(minimised(found_true), minimised(j.true_front));
    out["normalised_hypervolume_ratio"] = quality.hypervolume_ratio;
    out["normalised_igd"] = num_or_null(quality.igd);
  }
  return out;
}

}  // namespace maplex::runs
