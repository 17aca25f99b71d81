#include "maplex/measure/balance.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

#include "maplex/core/rng.hpp"
#include "maplex/space/sampling.hpp"

namespace maplex::measure {

namespace {

constexpr std::uint64_t kAnchorSeed = 0x616e63686f7273;  // "anchors"

std::array<double, 5> features(const space::Arch& arch) {
  std::array<double, 5> x{1, 0, 0, 0, 0};
  for (int e = 0; e < space::kNumEdges; ++e) {
    switch (arch.op(e)) {
      case space::Op::nor_conv_3x3:
        ++x[1];
        break;
      case space::Op::nor_conv_1x1:
        ++x[2];
        break;
      case space::Op::avg_pool_3x3:
        ++x[3];
        break;
      case space::Op::skip_connect:
        ++x[4];
        break;
      case space::Op::none:
        break;
    }
  }
  return x;
}

// Solves a x = y for the symmetric positive definite 5 x 5 a (Gaussian elimination; the ridge
// keeps it well conditioned).
std::array<double, 5> solve(std::array<std::array<double, 5>, 5> a, std::array<double, 5> y) {
  for (std::size_t i = 0; i < 5; ++i) {
    for (std::size_t r = i + 1; r < 5; ++r) {
      const double f = a[r][i] / a[i][i];
      for (std::size_t c = i; c < 5; ++c) {
        a[r][c] -= f * a[i][c];
      }
      y[r] -= f * y[i];
    }
  }
  std::array<double, 5> x{};
  for (std::size_t i = 5; i-- > 0;) {
    double s = y[i];
    for (std::size_t c = i + 1; c < 5; ++c) {
      s -= a[i][c] * x[c];
    }
    x[i] = s / a[i][i];
  }
  return x;
}

}  // namespace

std::vector<int> anchor_archs(const space::ArchIndex& index) {
  Rng rng(kAnchorSeed);
  return space::sample_distinct_connected(rng, kAnchors, index, {});
}

std::string anchor_item(const std::string& panel, int index) {
  return "anchor:" + panel + "/" + std::to_string(index);
}

std::optional<std::map<int, double>> anchor_panel(const std::vector<StoredTiming>& rows,
                                                  const std::vector<int>& anchors) {
  std::map<int, double> ratio;
  for (const auto& r : rows) {
    ratio[std::stoi(r.item.substr(r.item.rfind('/') + 1))] = r.ratio;
  }
  std::map<int, double> out;
  for (const int a : anchors) {
    const auto it = ratio.find(a);
    if (it == ratio.end()) {
      return std::nullopt;
    }
    out.insert(*it);
  }
  return out;
}

std::optional<std::map<int, double>> canonical_panel(const Store& store, const StoreKey& key,
                                                     const std::vector<int>& anchors) {
  std::vector<StoredTiming> panel;
  const auto panel_of = [](const StoredTiming& r) { return r.item.substr(0, r.item.rfind('/')); };
  for (auto& row : store.all(key, "anchor:")) {
    if (!panel.empty() && panel_of(row) != panel_of(panel.front())) {
      if (auto found = anchor_panel(panel, anchors)) {
        return found;
      }
      panel.clear();
    }
    panel.push_back(std::move(row));
  }
  return anchor_panel(panel, anchors);
}

double OpShift::factor(const space::Arch& arch) const {
  const auto x = features(arch);
  double s = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    s += b[i] * x[i];
  }
  return std::exp(s);
}

OpShift fit_op_shift(const std::map<int, double>& session, const std::map<int, double>& canonical,
                     const space::ArchIndex& index, double ridge) {
  std::array<std::array<double, 5>, 5> a{};
  std::array<double, 5> y{};
  for (const auto& [arch, ratio] : session) {
    const auto c = canonical.find(arch);
    if (c == canonical.end()) {
      throw std::invalid_argument("fit_op_shift: anchor " + std::to_string(arch) +
                                  " not in the canonical panel");
    }
    const auto x = features(index.arch(arch));
    const double v = std::log(ratio / c->second);
    for (std::size_t i = 0; i < 5; ++i) {
      for (std::size_t j = 0; j < 5; ++j) {
        a[i][j] += x[i] * x[j];
      }
      y[i] += x[i] * v;
    }
  }
  if (session.size() != canonical.size()) {
    throw std::invalid_argument("fit_op_shift: the panels hold different anchors");
  }
  for (std::size_t i = 0; i < 5; ++i) {
    a[i][i] += ridge;
  }
  return {solve(a, y)};
}

}  // namespace maplex::measure
