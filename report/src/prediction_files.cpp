#include "maplex/report/prediction_files.hpp"

#include <sstream>

#include "maplex/core/output.hpp"
#include "maplex/report/figures.hpp"

namespace maplex::report {

void write_predictions_csv(const std::string& path, const predictor::Predictor& p,
                           const space::ArchIndex& index, int schema_version,
                           const std::string& context) {
  std::ostringstream out;
  out << "# maplex predictions schema_version=" << schema_version << '\n'
      << "# " << context << '\n'
      << "# log_sd: predictive standard deviation of log latency (the truth lies within "
         "latency_ms * exp(+-1.96 log_sd) with about 95% probability)\n"
      << "index,arch_str,latency_ms,log_sd\n";
  for (int i = 0; i < index.size(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    out << i << ',' << index.arch(i).str() << ',' << num(p.predictions()[k]) << ','
        << num(p.log_sd()[k]) << '\n';
  }
  write_text_file(path, out.str());
}

void write_prediction_plot(const std::string& path, const predictor::Predictor& p,
                           const predictor::Target& target, const predictor::CheckSet& checks) {
  const bool none = checks.archs.empty();
  const auto& archs = none ? target.adaptation.archs : checks.archs;
  const auto& measured = none ? target.adaptation.latency_ms : checks.ms;
  std::vector<double> predicted;
  predicted.reserve(archs.size());
  for (int a : archs) {
    predicted.push_back(p.predictions()[static_cast<std::size_t>(a)]);
  }
  const std::string title = "maplex predict: " + target.name + " (" +
                            std::string(predictor::method_name(p.config().method)) + ")";
  write_svg(path, scatter_plot(title, archs, predicted, measured));
}

}  // namespace maplex::report
