#pragma once
// The op balance of a session. A ratio to one reference network cancels a machine state that slows
// every op alike, not one that slows some ops more than others. On this project's machines a whole
// session once ran its 3x3 convolutions about 8% slower against everything else (oneDNN's ratios
// moved by 0-11% with each network's number of them), and a neighbour streaming memory on the
// other core slows pooling and 1x1 convolutions most (BENCHMARKS.md, issue 12). So a session times
// a fixed panel of anchor architectures; the store's first complete panel is the canonical one,
// and the session's log ratios against it, fitted (ridge, towards no shift) as a constant plus a
// term per op per edge, give every architecture's factor: its timed ratio over the ratio the
// canonical balance would have given.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "maplex/measure/store.hpp"
#include "maplex/space/arch.hpp"
#include "maplex/space/index.hpp"

namespace maplex::measure {

// The anchors: kAnchors distinct connected architectures, the same for every store.
inline constexpr int kAnchors = 20;
std::vector<int> anchor_archs(const space::ArchIndex& index);

// "anchor:<panel>/<index>".
std::string anchor_item(const std::string& panel, int index);

// The ratio of each anchor in `rows` (one panel's items, as anchor_item makes them); nullopt
// unless every anchor is there.
std::optional<std::map<int, double>> anchor_panel(const std::vector<StoredTiming>& rows,
                                                  const std::vector<int>& anchors);

// The store's canonical panel: the first (in item order, which is time order) with every anchor.
std::optional<std::map<int, double>> canonical_panel(const Store& store, const StoreKey& key,
                                                     const std::vector<int>& anchors);

// A session's shift: log(ratio / canonical ratio) = b0 + sum over an architecture's edges of
// b[op] (3x3 convolution, 1x1 convolution, pooling, skip; none 0).
struct OpShift {
  std::array<double, 5> b{};
  double factor(const space::Arch& arch) const;
};

// The ridge fit (every coefficient pulled towards 0 with weight `ridge`) of the session panel's
// log ratios against the canonical panel's. Throws std::invalid_argument unless both hold the same
// architectures.
OpShift fit_op_shift(const std::map<int, double>& session, const std::map<int, double>& canonical,
                     const space::ArchIndex& index, double ridge);

}  // namespace maplex::measure
