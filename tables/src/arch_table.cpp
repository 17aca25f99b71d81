#include "maplex/tables/arch_table.hpp"

#include "maplex/core/error.hpp"
#include "maplex/tables/csv.hpp"

namespace maplex::tables {

namespace {

const std::vector<std::string>& expected_header() {
  static const std::vector<std::string> header = [] {
    std::vector<std::string> h = {"index", "arch_str", "e0", "e1",       "e2",
                                  "e3",    "e4",       "e5", "connected"};
    for (auto d : space::kAllDatasets) {
      h.push_back("test_acc_" + std::string(space::dataset_name(d)));
    }
    for (auto d : space::kAllDatasets) {
      const std::string ds(space::dataset_name(d));
      h.push_back("params_M_" + ds);
      h.push_back("flops_M_" + ds);
      h.push_back("flops_naslibzc_M_" + ds);
    }
    return h;
  }();
  return header;
}

space::Arch parse_arch_field(const CsvFile& file, const CsvRow& row, std::size_t field) {
  try {
    return space::Arch::parse(row.fields[field]);
  } catch (const InputError& e) {
    file.fail(row, field, e.what());
  }
}

const std::vector<std::string>& valid_header() {
  static const std::vector<std::string> header = [] {
    std::vector<std::string> h = {"index", "arch_str"};
    for (const char* kind : {"valid_acc_", "valid12_acc_", "test12_acc_"}) {
      for (auto d : space::kAllDatasets) {
        h.push_back(kind + std::string(space::dataset_name(d)));
      }
    }
    return h;
  }();
  return header;
}

double percentage(const CsvFile& file, const CsvRow& row, std::size_t field) {
  const double v = file.number(row, field, file.header().fields[field]);
  if (v < 0.0 || v > 100.0) {
    file.fail(row, field,
              file.header().fields[field] + " is " + quote(row.fields[field]) +
                  ", expected a percentage in [0, 100]");
  }
  return v;
}

}  // namespace

const ArchRecord& ArchTable::at(int nb201_index) const {
  index.arch(nb201_index);  // range check with a clear message
  return records[static_cast<std::size_t>(nb201_index)];
}

ArchTable load_arch_table(const std::filesystem::path& path) {
  const CsvFile file = CsvFile::read(path);
  file.expect_header(expected_header(), true);
  if (file.rows().size() != static_cast<std::size_t>(space::kNumArchs)) {
    throw InputError(file.path() + ": " + std::to_string(file.rows().size()) +
                     " architecture rows, expected " + std::to_string(space::kNumArchs));
  }
  std::vector<ArchRecord> records;
  records.reserve(file.rows().size());
  std::vector<space::Arch> archs;
  archs.reserve(file.rows().size());
  for (const CsvRow& row : file.rows()) {
    const int i = static_cast<int>(records.size());
    const int index = file.integer(row, 0, "index", 0, space::kNumArchs - 1);
    if (index != i) {
      file.fail(row, 0,
                "index is " + std::to_string(index) + ", expected " + std::to_string(i) +
                    " (rows in NB201 index order)");
    }
    ArchRecord rec;
    rec.arch = parse_arch_field(file, row, 1);
    for (int e = 0; e < space::kNumEdges; ++e) {
      const std::size_t f = 2 + static_cast<std::size_t>(e);
      const int op = file.integer(row, f, "op id e" + std::to_string(e), 0, space::kNumOps - 1);
      if (op != space::op_id(rec.arch.op(e))) {
        file.fail(row, f,
                  "op id e" + std::to_string(e) + " is " + std::to_string(op) + ", expected " +
                      std::to_string(space::op_id(rec.arch.op(e))) + " as in arch_str");
      }
    }
    rec.connected = file.integer(row, 8, "connected", 0, 1) == 1;
    if (rec.connected != space::cell_info(rec.arch).connected) {
      file.fail(row, 8,
                std::string("connected is ") + (rec.connected ? "1" : "0") + ", expected " +
                    (rec.connected ? "0" : "1") + " for " + rec.arch.str());
    }
    std::size_t f = 9;
    for (std::size_t d = 0; d < 3; ++d, ++f) {
      rec.test_acc[d] = percentage(file, row, f);
    }
    for (std::size_t d = 0; d < 3; ++d) {
      rec.params_m[d] = file.positive(row, f, file.header().fields[f]);
      ++f;
      rec.flops_m[d] = file.positive(row, f, file.header().fields[f]);
      ++f;
      rec.flops_naslibzc_m[d] = file.positive(row, f, file.header().fields[f]);
      ++f;
    }
    archs.push_back(rec.arch);
    records.push_back(rec);
  }
  try {
    return ArchTable{file.path(), std::move(records), space::ArchIndex(std::move(archs))};
  } catch (const InputError& e) {
    throw InputError(file.path() + ": " + e.what());
  }
}

void load_valid_accuracies(const std::filesystem::path& path, ArchTable& table) {
  const CsvFile file = CsvFile::read(path);
  file.expect_header(valid_header(), true);
  if (file.rows().size() != table.records.size()) {
    throw InputError(file.path() + ": " + std::to_string(file.rows().size()) +
                     " architecture rows, expected " + std::to_string(table.records.size()));
  }
  for (std::size_t i = 0; i < file.rows().size(); ++i) {
    const CsvRow& row = file.rows()[i];
    const int index = file.integer(row, 0, "index", 0, space::kNumArchs - 1);
    if (index != static_cast<int>(i)) {
      file.fail(row, 0,
                "index is " + std::to_string(index) + ", expected " + std::to_string(i) +
                    " (rows in NB201 index order)");
    }
    ArchRecord& rec = table.records[i];
    if (parse_arch_field(file, row, 1) != rec.arch) {
      file.fail(row, 1,
                "arch_str is " + quote(row.fields[1]) + ", expected " + quote(rec.arch.str()) +
                    " as in " + table.source);
    }
    std::size_t f = 2;
    for (auto* acc : {&rec.valid_acc, &rec.valid12_acc, &rec.test12_acc}) {
      for (std::size_t d = 0; d < 3; ++d, ++f) {
        (*acc)[d] = percentage(file, row, f);
      }
    }
  }
}

}  // namespace maplex::tables
