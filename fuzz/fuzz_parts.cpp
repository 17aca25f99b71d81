// The parts `maplex merge` reads (evaluation, compare and search-batch documents, --shard values):
// the first byte picks the kind, the rest is the part.
#include "fuzz_check.hpp"
#include "maplex/core/shard.hpp"
#include "maplex/predictor/evaluation.hpp"
#include "maplex/runs/batch.hpp"
#include "maplex/runs/compare.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0:
      maplex::fuzz::expect_clean([&] {
        const auto part = maplex::predictor::parse_part_document(text, "part.json");
        maplex::predictor::merge_parts({{"part.json", part}});
      });
      break;
    case 1:
      maplex::fuzz::expect_clean([&] { maplex::runs::merge_compare_documents({{"a", text}}); });
      break;
    case 2:
      maplex::fuzz::expect_clean([&] { maplex::runs::merge_batch_documents({{"a", text}}); });
      break;
    default:
      maplex::fuzz::expect_clean([&] { maplex::parse_shard(text); });
      break;
  }
  return 0;
}
