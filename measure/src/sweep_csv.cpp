#include "maplex/measure/sweep_csv.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "maplex/core/build_info.hpp"
#include "maplex/core/error.hpp"
#include "maplex/core/hash.hpp"
#include "maplex/measure/local.hpp"
#include "maplex/measure/timing.hpp"

namespace maplex::measure {

namespace {

constexpr const char* kColumns =
    "arch,index,latency_ms,ratio,ratio_cv,raw_median_ms,raw_cv,reference_median_ms,device,"
    "measured_at";

void write_file(const std::filesystem::path& path, const std::string& text,
                const std::string& keeper) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!(out << text) || !out.flush()) {
      throw InputError("cannot write " + quote(path.string()) + ", expected a writable path" +
                       keeper);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    throw InputError("cannot write " + quote(path.string()) + " (" + ec.message() +
                     "), expected a writable path" + keeper);
  }
}

// A part as read back: its header lines, the shard line's fields, the column line and the rows.
struct ReadPart {
  std::filesystem::path path;
  std::vector<std::string> header;  // the comment lines but the shard line
  SweepPart part;
  bool sharded = false;
  std::string identity;  // "device=... fingerprint=..." of the second header line
  std::vector<std::string> rows;
};

std::string identity_of(const std::string& line) {
  const auto end = line.find(" maplex=");
  return line.substr(0, end);
}

void read_shard_line(const std::string& line, ReadPart& p) {
  unsigned long long units = 0;
  unsigned long long selection = 0;
  int k = 0;
  int n = 0;
  if (std::sscanf(line.c_str(), "# shard=%d/%d units=%llu selection=%llx", &k, &n, &units,
                  &selection) != 4) {
    throw InputError("part " + quote(p.path.string()) + " has shard line " + quote(line) +
                     ", expected '# shard=K/N units=T selection=HEX'");
  }
  p.part = {{k, n}, units, selection};
  p.sharded = true;
}

ReadPart read_part(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw InputError("part " + quote(path.string()) + " cannot be read, expected a file");
  }
  ReadPart p;
  p.path = path;
  std::string line;
  bool columns = false;
  while (std::getline(in, line)) {
    if (!columns && line.rfind("# shard=", 0) == 0) {
      read_shard_line(line, p);
    } else if (!columns && line.rfind('#', 0) == 0) {
      p.header.push_back(line);
    } else if (!columns) {
      columns = line == kColumns;
      if (!columns) {
        throw InputError("part " + quote(path.string()) + " has columns " + quote(line) +
                         ", expected " + kColumns);
      }
    } else if (!line.empty()) {
      p.rows.push_back(line);
    }
  }
  if (!p.sharded || p.header.size() < 2) {
    throw InputError("" + quote(path.string()) +
                     " is not the part of a sharded sweep, expected the --out of maplex measure "
                     "--shard K/N");
  }
  p.identity = identity_of(p.header[1]);
  return p;
}

void check_same_sweep(const ReadPart& first, const ReadPart& p) {
  if (p.part.units != first.part.units || p.part.selection != first.part.selection) {
    throw InputError("" + quote(p.path.string()) + " is from another sweep than " +
                     quote(first.path.string()) +
                     " (other architectures or order), expected the shards of one sweep (same "
                     "--arch/--sample/--all, --seed and --exclude)");
  }
  if (p.identity != first.identity) {
    throw InputError("" + quote(p.path.string()) + " was measured as " + quote(p.identity) +
                     " but " + quote(first.path.string()) + " as " + quote(first.identity) +
                     ", expected one device identity (identical nodes: --fingerprint-scope "
                     "hardware)");
  }
  if (p.rows.size() != p.part.shard.share(p.part.units)) {
    throw InputError("" + quote(p.path.string()) + " holds " + std::to_string(p.rows.size()) +
                     " rows, expected the " + std::to_string(p.part.shard.share(p.part.units)) +
                     " of shard " + p.part.shard.str() +
                     " (an unfinished shard: run it again, the store keeps "
                     "what it measured)");
  }
}

}  // namespace

std::uint64_t sweep_selection(const std::vector<int>& archs) {
  std::uint64_t h = kHashStart;
  for (const int a : archs) {
    h = fnv1a(std::to_string(a) + ",", h);
  }
  return h;
}

std::vector<int> shard_of(const std::vector<int>& archs, Shard shard) {
  std::vector<int> out;
  for (std::size_t i = 0; i < archs.size(); ++i) {
    if (shard.owns(i)) {
      out.push_back(archs[i]);
    }
  }
  return out;
}

double write_sweep_csv(const std::filesystem::path& path, const std::vector<Measurement>& rows,
                       Device& device, const space::ArchIndex& index, const SweepPart* part) {
  const BuildInfo& b = build_info();
  std::ostringstream out;
  out << "# maplex measurements schema_version=1\n"
      << "# device=" << device.name() << " fingerprint=" << device.fingerprint()
      << " maplex=" << b.version << " commit=" << b.git_commit << " build=" << b.build_type << "; "
      << device.description() << "\n"
      << "# network: NB201 CIFAR, batch 1, fp32, weights from seed 0\n";
  int fewest = 0;
  int most = 0;
  for (const auto& r : rows) {
    fewest = fewest == 0 ? take_count(r) : std::min(fewest, take_count(r));
    most = std::max(most, take_count(r));
  }
  out << "# takes per architecture: " << fewest
      << (most > fewest ? "-" + std::to_string(most) : std::string())
      << " (timings a sweep pass apart; the ratio is their geometric mean)\n";
  if (part != nullptr) {
    char line[128];
    std::snprintf(line, sizeof line, "# shard=%s units=%zu selection=%016llx\n",
                  part->shard.str().c_str(), part->units,
                  static_cast<unsigned long long>(part->selection));
    out << line;
  }
  out << kColumns << '\n';
  char buf[512];
  std::vector<double> cvs;
  for (const auto& r : rows) {
    const auto& t = r.timing;
    std::snprintf(buf, sizeof buf, "%s,%d,%.6g,%.6g,%.4g,%.6g,%.4g,%.6g,%s,%s\n",
                  index.arch(r.index).str().c_str(), r.index, r.latency_ms, t.ratio, t.ratio_cv,
                  t.target_median_ms, t.target_cv, t.reference_median_ms, device.name().c_str(),
                  t.measured_at.c_str());
    out << buf;
    cvs.push_back(t.ratio_cv);
  }
  write_file(path, out.str(),
             " (the measurements are kept in the store " + device.store().path().string() + ")");
  return median_of(cvs);
}

std::size_t merge_sweep_csvs(const std::filesystem::path& out,
                             const std::vector<std::filesystem::path>& parts) {
  std::vector<ReadPart> read;
  std::vector<std::pair<std::string, Shard>> shards;
  for (const auto& p : parts) {
    read.push_back(read_part(p));
    shards.emplace_back(p.string(), read.back().part.shard);
  }
  check_shard_set(shards);
  std::vector<const ReadPart*> by_shard(read.size());
  for (const auto& p : read) {
    check_same_sweep(read.front(), p);
    by_shard[static_cast<std::size_t>(p.part.shard.index)] = &p;
  }
  std::string text;
  for (const auto& h : by_shard.front()->header) {
    text += h + '\n';
  }
  text += "# merged from " + std::to_string(read.size()) + " shards\n";
  text += std::string(kColumns) + '\n';
  const std::size_t n = read.size();
  for (std::size_t i = 0; i < read.front().part.units; ++i) {
    text += by_shard[i % n]->rows[i / n] + '\n';
  }
  write_file(out, text, "");
  return read.front().part.units;
}

}  // namespace maplex::measure
