#pragma once
// A pareto run's front as files: a CSV of its members and an SVG of the found against the true
// front. Written when the run ends, by `maplex pareto --out/--plot` and again by `maplex resume`
// (the run's config.json records where), so a resumed run leaves the files an uninterrupted one
// does.

#include <string>

#include "maplex/runs/prepare.hpp"
#include "maplex/runs/run.hpp"
#include "maplex/tables/catalog.hpp"

namespace maplex::report {

// The run's front (its result document's "front") as CSV, with a schema line and the rest of the
// result document as context.
void write_front_csv(const std::string& path, const std::string& result_json);

// The found front at the search's, the true and the measured latency, and the true front.
void write_front_plot(const std::string& path, const runs::RunSpec& spec,
                      const runs::Prepared& prepared, const tables::Catalog& catalog,
                      const runs::RunResult& result);

// Both, to the paths the spec records (spec.front_csv, spec.front_plot; none when empty).
void write_front_files(const runs::RunSpec& spec, const runs::Prepared& prepared,
                       const tables::Catalog& catalog, const runs::RunResult& result);

}  // namespace maplex::report
