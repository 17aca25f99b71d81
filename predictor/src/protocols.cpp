// The evaluation protocols: which devices are targets, which form each target's pool, and which
// architectures are scored. One registry; a protocol is a function here plus one line in it.

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <span>
#include <string_view>

#include "maplex/core/error.hpp"
#include "maplex/predictor/evaluation.hpp"

namespace maplex::predictor {

namespace {

using List = std::span<const std::string_view>;

constexpr std::string_view kLooDevices[] = {"silver_4114", "gold_6226", "gold_6240",
                                            "1080ti_1",    "2080ti_1",  "titan_rtx_1"};
constexpr std::string_view kHelpTrain[] = {
    "1080ti_1",    "1080ti_32",  "1080ti_256",     "silver_4114", "silver_4210r",
    "samsung_a50", "pixel3",     "essential_ph_1", "samsung_s7",  "titanx_1",
    "titanx_32",   "titanx_256", "gold_6240"};
constexpr std::string_view kHelpTest[] = {"titan_rtx_256", "gold_6226", "fpga",
                                          "pixel2",        "raspi4",    "eyeriss"};

// NASFLAT (Akhauri & Abdelfattah, MLSys 2024), correlation_trainer/device_task_list.py, NB201.
constexpr std::string_view kTask0Train[] = {"1080ti_1",    "1080ti_32",      "1080ti_256",
                                            "silver_4114", "silver_4210r",   "samsung_a50",
                                            "pixel3",      "essential_ph_1", "samsung_s7"};
constexpr std::string_view kTask0Test[] = {"titan_rtx_256", "gold_6226", "fpga",
                                           "pixel2",        "raspi4",    "eyeriss"};
constexpr std::string_view kTask1Train[] = {"embedded_tpu_edge_tpu_int8", "eyeriss",
                                            "mobile_gpu_snapdragon_675_adreno_612_int8",
                                            "mobile_gpu_snapdragon_855_adreno_640_int8", "pixel3"};
constexpr std::string_view kTask1Test[] = {"1080ti_1", "titan_rtx_32", "titanxp_1", "2080ti_32",
                                           "titan_rtx_1"};
constexpr std::string_view kTask2Train[] = {"1080ti_1", "1080ti_32", "titanx_32", "titanxp_1",
                                            "titanxp_32"};
constexpr std::string_view kTask2Test[] = {"embedded_gpu_jetson_nano_fp16",
                                           "embedded_tpu_edge_tpu_int8",
                                           "mobile_dsp_snapdragon_675_hexagon_685_int8",
                                           "mobile_dsp_snapdragon_855_hexagon_690_int8", "pixel3"};
constexpr std::string_view kTask3Train[] = {
    "desktop_gpu_gtx_1080ti_fp32", "embedded_gpu_jetson_nano_fp16", "eyeriss",
    "mobile_dsp_snapdragon_675_hexagon_685_int8", "mobile_gpu_snapdragon_855_adreno_640_int8"};
constexpr std::string_view kTask3Test[] = {"1080ti_1", "2080ti_1", "titanxp_1", "2080ti_32",
                                           "titanxp_32"};
constexpr std::string_view kTask4Train[] = {"desktop_cpu_core_i7_7820x_fp32",
                                            "embedded_gpu_jetson_nano_fp32",
                                            "embedded_tpu_edge_tpu_int8",
                                            "eyeriss",
                                            "mobile_cpu_snapdragon_855_kryo_485_int8",
                                            "mobile_dsp_snapdragon_675_hexagon_685_int8",
                                            "mobile_dsp_snapdragon_855_hexagon_690_int8",
                                            "mobile_gpu_snapdragon_675_adreno_612_int8",
                                            "mobile_gpu_snapdragon_855_adreno_640_int8",
                                            "pixel2"};
constexpr std::string_view kTask4Test[] = {"1080ti_1", "2080ti_1", "titan_rtx_1"};
constexpr std::string_view kTask5Train[] = {
    "titan_rtx_1", "titan_rtx_32", "titanxp_1",    "2080ti_1",    "titanx_1",  "1080ti_1",
    "titanx_32",   "titanxp_32",   "2080ti_32",    "1080ti_32",   "gold_6226", "samsung_s7",
    "silver_4114", "gold_6240",    "silver_4210r", "samsung_a50", "pixel2"};
constexpr std::string_view kTask5Test[] = {"eyeriss", "desktop_gpu_gtx_1080ti_fp32",
                                           "embedded_tpu_edge_tpu_int8"};

struct Task {
  List train;
  List test;
};
constexpr std::array<Task, 6> kNasflatTasks = {{{kTask0Train, kTask0Test},
                                                {kTask1Train, kTask1Test},
                                                {kTask2Train, kTask2Test},
                                                {kTask3Train, kTask3Test},
                                                {kTask4Train, kTask4Test},
                                                {kTask5Train, kTask5Test}}};

// Device families from devices.csv's category: the family protocol never pools a relative.

std::vector<std::string> names(List list, std::string_view except = {}) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (std::string_view d : list) {
    if (d != except) {
      out.emplace_back(d);
    }
  }
  return out;
}

void add(std::vector<EvalCase>& out, const tables::Catalog& catalog, const std::string& group,
         std::string_view device, std::vector<std::string> pool) {
  out.push_back({group, shipped_target(catalog, std::string(device)), std::move(pool)});
}

std::vector<EvalCase> loo_cases(const tables::Catalog& catalog) {
  std::vector<EvalCase> out;
  for (std::string_view d : kLooDevices) {
    add(out, catalog, "loo", d, names(kLooDevices, d));
  }
  return out;
}

std::vector<EvalCase> help_cases(const tables::Catalog& catalog) {
  std::vector<EvalCase> out;
  for (std::string_view d : kHelpTest) {
    add(out, catalog, "help", d, names(kHelpTrain));
  }
  return out;
}

std::vector<EvalCase> family_cases(const tables::Catalog& catalog) {
  std::vector<EvalCase> out;
  for (const auto& target : catalog.devices()) {
    add(out, catalog, device_family(target), target.key, default_pool(catalog, target.key, true));
  }
  return out;
}

std::vector<EvalCase> nasflat_cases(const tables::Catalog& catalog) {
  std::vector<EvalCase> out;
  for (std::size_t t = 0; t < kNasflatTasks.size(); ++t) {
    for (std::string_view d : kNasflatTasks[t].test) {
      add(out, catalog, "task" + std::to_string(t), d, names(kNasflatTasks[t].train));
    }
  }
  return out;
}

// HELP's test architectures (its NB201 loader): indices 900-1899, less the 10% fastest and the
// 10% slowest on the target.
std::vector<int> help_test_set(const std::vector<double>& truth) {
  std::vector<int> range;
  for (int a = 900; a < 1900 && a < static_cast<int>(truth.size()); ++a) {
    if (!std::isnan(truth[static_cast<std::size_t>(a)])) {
      range.push_back(a);
    }
  }
  std::stable_sort(range.begin(), range.end(), [&](int a, int b) {
    return truth[static_cast<std::size_t>(a)] < truth[static_cast<std::size_t>(b)];
  });
  const std::size_t cut = range.size() / 10;
  std::vector<int> out(range.begin() + static_cast<std::ptrdiff_t>(cut),
                       range.end() - static_cast<std::ptrdiff_t>(cut));
  std::sort(out.begin(), out.end());
  return out;
}

struct ProtocolEntry {
  std::string_view name;
  std::string_view scored;  // which architectures are scored, for reports
  std::vector<EvalCase> (*cases)(const tables::Catalog&);
  std::vector<int> (*score_set)(const std::vector<double>&);
};

const std::array<ProtocolEntry, 4> kProtocols = {{
    {"loo", "every architecture the target's table holds, less the measured ones", &loo_cases,
     &known_archs},
    {"help",
     "HELP's test set: NB201 indices 900-1899 less the 10% fastest and 10% slowest on the target "
     "(whole space beside it)",
     &help_cases, &help_test_set},
    {"family", "every architecture the target's table holds, less the measured ones", &family_cases,
     &known_archs},
    {"nasflat", "every architecture the target's table holds, less the measured ones",
     &nasflat_cases, &known_archs},
}};

const ProtocolEntry& find_protocol(const std::string& name) {
  std::string known;
  for (const ProtocolEntry& p : kProtocols) {
    if (p.name == name) {
      return p;
    }
    known += (known.empty() ? "" : ", ") + std::string(p.name);
  }
  throw InputError("protocol " + quote(name) + " is unknown, expected one of " + known);
}

}  // namespace

std::vector<int> known_archs(const std::vector<double>& truth) {
  std::vector<int> out;
  for (std::size_t a = 0; a < truth.size(); ++a) {
    if (!std::isnan(truth[a])) {
      out.push_back(static_cast<int>(a));
    }
  }
  return out;
}

std::vector<std::string> protocol_names() {
  std::vector<std::string> out;
  out.reserve(kProtocols.size());
  for (const ProtocolEntry& p : kProtocols) {
    out.emplace_back(p.name);
  }
  return out;
}

std::vector<EvalCase> protocol_cases(const tables::Catalog& catalog, const std::string& protocol) {
  return find_protocol(protocol).cases(catalog);
}

std::vector<int> scored_archs(const std::string& protocol, const std::vector<double>& truth) {
  return find_protocol(protocol).score_set(truth);
}

std::string scored_description(const std::string& protocol) {
  return std::string(find_protocol(protocol).scored);
}

std::vector<std::string> protocol_pool(const std::string& protocol, const std::string& target) {
  if (protocol == "loo") {
    return names(kLooDevices, target);
  }
  if (protocol == "help") {
    return names(kHelpTrain, target);
  }
  find_protocol(protocol);  // validates
  throw InputError("protocol " + quote(protocol) +
                   " has a pool per case, expected loo or help for a single pool");
}

EvalTarget shipped_target(const tables::Catalog& catalog, const std::string& device) {
  const auto& spec = catalog.device(device);
  const auto column = catalog.latencies(device);
  return {
      device, std::vector<double>(column.begin(), column.end()), spec_of(spec), spec.hardware, {}};
}

}  // namespace maplex::predictor
