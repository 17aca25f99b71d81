// maplex measure: latency of NB201 networks on this machine (the device `local`), timed with the
// oneDNN engine against a fixed reference network (../shared/MEASURING.md), as a long-form CSV that
// `--measurements` reads elsewhere.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <set>

#include "commands.hpp"
#include "common.hpp"
#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"
#include "maplex/measure/host.hpp"
#include "maplex/measure/timing.hpp"
#include "maplex/space/cell.hpp"
#include "maplex/space/sampling.hpp"
#include "predictor_options.hpp"

namespace maplex::cli {

namespace {

// The reference every measurement alternates with: a mid-sized ResNet-like cell.
constexpr const char* kReferenceArch =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|skip_connect~0|nor_conv_3x3~1|none~2|";

struct Row {
  int index = -1;
  measure::Timing timing;
  std::string when;
};

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

std::vector<int> chosen_archs(const cxxopts::ParseResult& args, const tables::Catalog& catalog,
                              Rng& rng) {
  const auto& index = catalog.index();
  std::vector<int> out;
  if (args.count("arch") != 0U) {
    for (const auto& a : args["arch"].as<std::vector<std::string>>()) {
      out.push_back(index.resolve(a));
    }
  } else if (args.count("sample") != 0U) {
    const int n = int_option(args, "sample", 1);
    std::set<int> seen;
    while (static_cast<int>(out.size()) < n && static_cast<int>(seen.size()) < 15284) {
      const int a = index.index_of(space::sample_connected(rng));
      if (seen.insert(a).second) {
        out.push_back(a);
      }
    }
  } else if (args.count("all") != 0U) {
    for (int i = 0; i < index.size(); ++i) {
      out.push_back(i);
    }
  } else {
    throw UsageError("expected --arch A[,B...], --sample N or --all (see maplex measure --help)");
  }
  // Shuffled (seeded), so no group of architectures sits in one slow stretch of the machine.
  for (std::size_t i = out.size(); i > 1; --i) {
    std::swap(out[i - 1], out[static_cast<std::size_t>(rng.below(i))]);
  }
  return out;
}

}  // namespace

int run_measure(int argc, char** argv) {
  auto options = make_options(
      "measure", "Latency of NB201 networks on this machine (oneDNN, batch 1, fp32, CIFAR)");
  options.add_options()("device", "The target: only `local` (this machine) can be measured",
                        cxxopts::value<std::string>()->default_value("local"))(
      "arch", "Architectures to measure: indices or strings (repeat or comma-separate)",
      cxxopts::value<std::vector<std::string>>())(
      "sample", "Measure this many distinct connected architectures drawn with --seed",
      cxxopts::value<int>())("all", "Measure all 15,625 architectures")(
      "pairs", "Timed (architecture, reference) run pairs per architecture",
      cxxopts::value<int>()->default_value("15"))("warmup", "Untimed runs of each network first",
                                                  cxxopts::value<int>()->default_value("3"))(
      "threads", "oneDNN threads per inference", cxxopts::value<int>()->default_value("1"))(
      "seed", "Seed of the sample, the order and the weights",
      cxxopts::value<std::uint64_t>()->default_value("0"))(
      "out", "Write the measurements to this CSV (long form: arch,latency_ms,...)",
      cxxopts::value<std::string>());
  const auto args = parse(options, argc, argv);
  if (!args) {
    return 0;
  }
  const std::string device = (*args)["device"].as<std::string>();
  if (device != "local") {
    throw InputError("device " + quote(device) +
                     " cannot be measured from here, expected local (this machine)");
  }
  if (args->count("out") == 0U) {
    throw UsageError("expected --out FILE.csv (see maplex measure --help)");
  }
  const std::string out_path = (*args)["out"].as<std::string>();
  const tables::Catalog catalog = load_catalog(*args);
  const auto seed = (*args)["seed"].as<std::uint64_t>();
  Rng rng(seed);
  const auto archs = chosen_archs(*args, catalog, rng);
  const int threads = int_option(*args, "threads", 1);
  measure::set_threads(threads);
  const measure::TimingOptions topt{int_option(*args, "warmup", 0), int_option(*args, "pairs", 1)};
  const measure::Host host = measure::read_host();
  const auto ref_arch = space::Arch::parse(kReferenceArch);
  measure::Engine reference(measure::make_weights(ref_arch, Rng::derive(seed, 1)));

  // Raw results are appended and flushed as they complete, so a killed sweep keeps them.
  const std::string partial_path = out_path + ".partial";
  std::ofstream partial(partial_path, std::ios::app);
  if (!partial) {
    throw InputError("cannot write " + quote(partial_path) + ", expected a writable path");
  }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  std::vector<Row> rows;
  for (std::size_t k = 0; k < archs.size(); ++k) {
    const int a = archs[k];
    measure::Engine engine(measure::make_weights(
        catalog.index().arch(a), Rng::derive(seed, 2 + static_cast<std::uint64_t>(a))));
    Row r{a, measure::time_against(engine, reference, topt), utc_now()};
    partial << a << ',' << r.timing.ratio << ',' << r.timing.target_median_ms << ','
            << r.timing.reference_median_ms << ',' << r.when << '\n'
            << std::flush;
    rows.push_back(std::move(r));
    if (tty) {
      const double spent =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double eta =
          spent / static_cast<double>(k + 1) * static_cast<double>(archs.size() - k - 1);
      std::fprintf(stderr, "\rmeasure: %zu/%zu, %.0f s left   ", k + 1, archs.size(), eta);
    }
  }
  if (tty) {
    std::fprintf(stderr, "\n");
  }
  // Latency = ratio x the reference's median over the whole sweep: the drift cancels.
  std::vector<double> ref_medians;
  ref_medians.reserve(rows.size());
  for (const auto& r : rows) {
    ref_medians.push_back(r.timing.reference_median_ms);
  }
  const double sweep_ref = measure::median_of(ref_medians);
  std::ofstream out(out_path + ".tmp", std::ios::trunc);
  if (!out) {
    throw InputError("cannot write " + quote(out_path) + ", expected a writable path");
  }
  const BuildInfo& b = build_info();
  out << "# maplex measurements schema_version=1\n"
      << "# device=local host=" << host.hostname << " cpu=\"" << host.cpu_model
      << "\" logical_cpus=" << host.logical_cpus << " threads=" << threads
      << " onednn=" << host.onednn_version << " maplex=" << b.version << " commit=" << b.git_commit
      << " build=" << b.build_type << "\n"
      << "# network: NB201 CIFAR, batch 1, fp32, weights from seed " << seed
      << "; latency_ms = median(arch/reference time ratio) x the reference's sweep median "
      << sweep_ref << " ms; reference " << kReferenceArch << "; " << topt.pairs << " pairs after "
      << topt.warmup << " warm-up runs\n"
      << "arch,index,latency_ms,ratio,ratio_cv,raw_median_ms,raw_cv,reference_median_ms,device,"
         "measured_at\n";
  char buf[512];
  for (const auto& r : rows) {
    std::snprintf(buf, sizeof buf, "%s,%d,%.6g,%.6g,%.4g,%.6g,%.4g,%.6g,local,%s\n",
                  catalog.index().arch(r.index).str().c_str(), r.index, r.timing.ratio * sweep_ref,
                  r.timing.ratio, r.timing.ratio_cv, r.timing.target_median_ms, r.timing.target_cv,
                  r.timing.reference_median_ms, r.when.c_str());
    out << buf;
  }
  out.close();
  std::rename((out_path + ".tmp").c_str(), out_path.c_str());
  partial.close();
  std::remove(partial_path.c_str());
  std::vector<double> cvs;
  cvs.reserve(rows.size());
  for (const auto& r : rows) {
    cvs.push_back(r.timing.ratio_cv);
  }
  std::printf(
      "measured %zu architectures on %s (%s, %d thread%s), reference %.4g ms; median cv of "
      "the ratios %.2f%%; written to %s\n",
      rows.size(), host.hostname.c_str(), host.cpu_model.c_str(), threads, threads == 1 ? "" : "s",
      sweep_ref, 100 * measure::median_of(cvs), out_path.c_str());
  return 0;
}

}  // namespace maplex::cli
