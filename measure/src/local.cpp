#include "maplex/measure/local.hpp"

#include <ctime>
#include <vector>

#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/rng.hpp"

namespace maplex::measure {

namespace {

// Chained copies of an op in a per-op timing: long enough to time well above the clock's
// resolution, short enough for the cache behaviour of one cell.
constexpr int kOpCopies = 10;
// A measurement whose pair ratios vary more than this (the 96th percentile on the project's
// machine) fell in a disturbed stretch and is taken once more.
constexpr double kUnsteadyCv = 0.10;
// The reference's calibration runs this many times the repeats of a measurement.
constexpr int kCalibrationRounds = 4;

LocalOptions checked(LocalOptions o) {
  if (o.threads < 1) {
    throw InputError("--threads " + std::to_string(o.threads) + ", expected at least 1");
  }
  if (o.repeats < 1) {
    throw InputError("--repeats " + std::to_string(o.repeats) + ", expected at least 1");
  }
  if (o.warmup < 0) {
    throw InputError("--warmup " + std::to_string(o.warmup) + ", expected at least 0");
  }
  if (o.pin_cpu >= 0) {
    if (o.threads != 1) {
      throw InputError("--pin-cpu " + std::to_string(o.pin_cpu) + " with --threads " +
                       std::to_string(o.threads) + ", expected 1 thread when pinning");
    }
    pin_to_cpu(o.pin_cpu);
  }
  // Before any engine is built: OpenMP sizes its thread team at the first parallel region.
  set_threads(o.threads);
  return o;
}

std::string settings_of(const LocalOptions& o, const Host& h) {
  return "engine=onednn-" + h.onednn_version + ";build=" + std::string(build_info().build_type) +
         ";threads=" + std::to_string(o.threads) + ";warmup=" + std::to_string(o.warmup) +
         ";repeats=" + std::to_string(o.repeats) + ";seed=" + std::to_string(o.seed) +
         ";network=nb201-cifar-b1-fp32;reference=" + kReferenceArch;
}

std::string arch_item(int index) { return "arch:" + std::to_string(index); }

}  // namespace

double Lut::predict(const space::Arch& arch) const {
  double per_cell = 0;
  for (std::size_t s = 0; s < 3; ++s) {
    const auto& t = op_ms[s];
    std::array<int, 4> inputs{};
    for (int e = 0; e < space::kNumEdges; ++e) {
      const auto ue = static_cast<std::size_t>(e);
      switch (arch.op(e)) {
        case space::Op::none:
          continue;
        case space::Op::skip_connect:
          break;
        case space::Op::nor_conv_1x1:
          per_cell += t[static_cast<std::size_t>(LutOp::conv1x1)];
          break;
        case space::Op::nor_conv_3x3:
          per_cell += t[static_cast<std::size_t>(LutOp::conv3x3)];
          break;
        case space::Op::avg_pool_3x3:
          per_cell += t[static_cast<std::size_t>(LutOp::avg_pool)];
          break;
      }
      ++inputs[static_cast<std::size_t>(space::kEdgeTarget[ue])];
    }
    for (const int k : inputs) {
      if (k > 1) {
        per_cell += (k - 1) * t[static_cast<std::size_t>(LutOp::sum)];
      }
    }
  }
  return base_ms + 5 * per_cell;
}

LocalDevice::LocalDevice(const space::ArchIndex& index, LocalOptions options)
    : index_(&index),
      options_(checked(std::move(options))),
      host_(read_host()),
      key_{device_fingerprint(host_), settings_of(options_, host_)},
      store_(options_.store),
      reference_(make_weights(space::Arch::parse(kReferenceArch), Rng::derive(options_.seed, 1))) {
  // The scale is calibrated once per machine and settings and kept: every latency of this key, in
  // every session, is its ratio times the same reference time.
  auto calibration = store_.find(key_, "reference");
  if (!calibration) {
    Engine twin(make_weights(space::Arch::parse(kReferenceArch), Rng::derive(options_.seed, 1)));
    calibration = time_item("reference", twin, kCalibrationRounds * options_.repeats);
    ++new_;
  }
  scale_ms_ = calibration->reference_median_ms;
}

StoredTiming LocalDevice::time_item(const std::string& item, Engine& engine, int repeats) {
  const Timing t = time_against(engine, reference_, {options_.warmup, repeats});
  StoredTiming row{
      item,    t.ratio,   t.ratio_cv,    t.target_median_ms, t.target_cv, t.reference_median_ms,
      repeats, utc_now(), host_.hostname};
  store_.put(key_, row);
  measured_now_.insert(item);
  return row;
}

std::optional<StoredTiming> LocalDevice::stored(const std::string& item) {
  if (options_.fresh && measured_now_.count(item) == 0) {
    return std::nullopt;  // --fresh: measured again once in this session
  }
  auto row = store_.find(key_, item);
  if (row) {
    ++hits_;
  }
  return row;
}

LocalMeasurement LocalDevice::measure(int index) {
  if (index < 0 || index >= index_->size()) {
    throw InputError("architecture index " + std::to_string(index) + ", expected 0.." +
                     std::to_string(index_->size() - 1));
  }
  const std::string item = arch_item(index);
  if (auto row = stored(item)) {
    return {index, row->ratio * scale_ms_, *row, true};
  }
  Engine engine(make_weights(index_->arch(index),
                             Rng::derive(options_.seed, 2 + static_cast<std::uint64_t>(index))));
  StoredTiming row = time_item(item, engine, options_.repeats);
  if (row.ratio_cv > kUnsteadyCv) {
    // A disturbed stretch of the machine: measured once more, the steadier of the two kept.
    const StoredTiming again = time_item(item, engine, options_.repeats);
    if (row.ratio_cv < again.ratio_cv) {
      store_.put(key_, row);
    } else {
      row = again;
    }
    ++remeasured_;
  }
  ++new_;
  LocalMeasurement m{index, row.ratio * scale_ms_, row, false};
  if (on_measured) {
    on_measured(m);
  }
  return m;
}

Lut LocalDevice::lut() {
  Lut lut;
  // The network without cell ops: every edge none.
  const int empty =
      index_->index_of(space::Arch::parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"));
  lut.base_ms = measure(empty).latency_ms;
  for (int s = 0; s < 3; ++s) {
    for (int o = 0; o < kLutOps; ++o) {
      const auto op = static_cast<LutOp>(o);
      const std::string item = std::string("op:") + lut_op_name(op) + ":" + std::to_string(s);
      std::optional<StoredTiming> row = stored(item);
      if (!row) {
        Engine chain = Engine::op_chain(
            op, s, kOpCopies, Rng::derive(options_.seed, 100 + static_cast<std::uint64_t>(o)));
        row = time_item(item, chain, options_.repeats);
        ++new_;
      }
      lut.op_ms[static_cast<std::size_t>(s)][static_cast<std::size_t>(o)] =
          row->ratio * scale_ms_ / kOpCopies;
    }
  }
  return lut;
}

}  // namespace maplex::measure
