#include "sweep/sweep_output.hpp"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "clipsim/core/build_info.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/checkpoint.hpp"
#include "clipsim/sim/optimizer_options.hpp"
#include "clipsim/sim/run_config.hpp"
#include "clipsim/sim/schedule.hpp"
#include "clipsim/sim/sweep.hpp"
#include "sweep/atomic_file.hpp"
#include "sweep/noise_norms.hpp"
#include "sweep/sweep_folder.hpp"

namespace clipsim::sim::detail {
namespace {

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

std::string HostName() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

void WriteGzip(const std::string& path, const std::string& content) {
  // zlib writes a gzip header without name or time stamp, so equal content gives equal bytes.
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  gzFile f = gzopen(tmp.c_str(), "wb6");
  if (f == nullptr) throw InputError("cannot write", {tmp});
  std::size_t done = 0;
  while (done < content.size()) {
    const unsigned part =
        static_cast<unsigned>(std::min<std::size_t>(content.size() - done, 1u << 30));
    if (gzwrite(f, content.data() + done, part) != static_cast<int>(part)) {
      gzclose(f);
      throw InputError("cannot write", {tmp});
    }
    done += part;
  }
  if (gzclose(f) != Z_OK) throw InputError("cannot write", {tmp});
  std::filesystem::rename(tmp, path);
}

}  // namespace

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string ResultsHeader(const SweepConfig& config) {
  std::string h = "cell";
  for (const std::string& c : config.param_columns) h += "," + CsvField(c);
  h += ",budget,seed";
  for (const std::string& c : CheckpointColumns()) h += "," + c;
  return h + "\n";
}

std::string CellPrefix(const SweepConfig& config, const Cell& cell) {
  std::string row = cell.id;
  for (const std::string& column : config.param_columns) {
    row += ',';
    for (const auto& [path, value] : cell.axis_values) {
      if (path == column) {
        row += CsvField(value);
        break;
      }
    }
  }
  return row;
}

std::string AssembleOutputs(const SweepConfig& config, const std::vector<Chunk>& chunks,
                            const std::string& dir, const std::string& command_line) {
  std::string results = ResultsHeader(config);
  std::string timings = "cell,budget,seed,seconds,termination\n";
  std::int64_t runs = 0;
  std::int64_t diverged = 0;
  // One allocation for all of results (page faults cost on a VM), and each chunk read straight
  // into place; its timings part is then moved out.
  std::uintmax_t total = results.size();
  for (const Chunk& chunk : chunks) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(ChunkPath(dir, chunk.name), ec);
    if (!ec) total += size;
  }
  results.reserve(static_cast<std::size_t>(total));
  for (const Chunk& chunk : chunks) {
    const std::string path = ChunkPath(dir, chunk.name);
    const std::size_t start = results.size();
    AppendWholeFile(path, results);
    const ChunkParts parts = SplitChunk(std::string_view(results).substr(start), path);
    timings += parts.timings;
    // Timing lines end in the run's termination type.
    for (std::size_t pos = parts.timings.find("diverged"); pos != std::string_view::npos;
         pos = parts.timings.find("diverged", pos + 1)) {
      ++diverged;
    }
    results.resize(start + parts.rows.size());  // parts is not used past this point
    runs += chunk.runs();
  }
  const std::int64_t rows = std::count(results.begin(), results.end(), '\n') - 1;  // less header

  const std::string results_name = config.compress ? "results.csv.gz" : "results.csv";
  const std::string results_path = dir + "/" + results_name;
  // Leave only one form of the results, so a reader never picks up a stale one.
  std::filesystem::remove(dir + (config.compress ? "/results.csv" : "/results.csv.gz"));
  if (config.compress) {
    WriteGzip(results_path, results);
  } else {
    WriteFileAtomically(results_path, results);
  }
  WriteFileAtomically(dir + "/timings.csv", timings);

  std::string cells = "cell";
  for (const std::string& c : config.param_columns) cells += "," + CsvField(c);
  // Resolved identity columns, so that a reader needs no YAML parser to group cells.
  cells += ",problem,dim,noise,p,method,schedule,noise_stream,config\n";
  for (const Cell& cell : config.cells) {
    std::string row = CellPrefix(config, cell);
    const RunConfig& r = cell.run;
    row += "," + CsvField(r.problem.kind) + "," + std::to_string(r.problem.dim) + "," +
           CsvField(r.noise_enabled ? noise::FormatNoiseSpec(r.noise) : std::string("none")) + "," +
           ShortestText(r.p) + "," + std::string(ToString(r.optimizer.method)) + "," +
           std::string(ToString(r.schedule.kind));
    cells += row + "," + CellNoiseId(config, cell) + "," + CsvField(cell.text) + "\n";
  }
  WriteFileAtomically(dir + "/cells.csv", cells);
  if (config.save_noise_norms > 0) WriteNoiseNormsTable(config, dir);

  FolderState state;
  ReadFolderState(dir, state);
  nlohmann::json manifest = {
      {"schema_version", kManifestSchemaVersion},
      {"program",
       {{"name", "clipsim"},
        {"version", build_info::kVersion},
        {"git_commit", build_info::kGitCommit},
        {"compiler", build_info::kCompiler},
        {"build_type", build_info::kBuildType},
        {"simd", build_info::kSimd},
        {"build_id", BuildId()}}},
      {"context",
       {{"host", HostName()}, {"cpu", CpuModel()}, {"cores", std::thread::hardware_concurrency()}}},
      {"command_line", command_line},
      {"config_file", config.file},
      {"config", state.config_text},
      {"fingerprint", config.fingerprint},
      {"started", state.created},
      {"finished", NowIso8601()},
      {"counts",
       {{"cells", config.cells.size()},
        {"budgets", config.budgets.size()},
        {"seeds", config.seeds.count()},
        {"runs", runs},
        {"rows", rows},
        {"diverged_runs", diverged}}},
      {"results",
       {{"file", results_name},
        {"order",
         "cells in grid order, budgets in file order, seeds ascending, checkpoints "
         "ascending"},
        {"bytes_uncompressed", results.size()},
        {"xxh3_64", HashHex(results)},
        {"columns", nlohmann::json::array()}}},
  };
  {
    std::string header = ResultsHeader(config);
    header.pop_back();
    std::size_t start = 0;
    for (std::size_t comma; (comma = header.find(',', start)) != std::string::npos;
         start = comma + 1) {
      manifest["results"]["columns"].push_back(header.substr(start, comma - start));
    }
    manifest["results"]["columns"].push_back(header.substr(start));
  }
  WriteFileAtomically(dir + "/manifest.json", manifest.dump(2) + "\n");
  return results_path;
}

}  // namespace clipsim::sim::detail
