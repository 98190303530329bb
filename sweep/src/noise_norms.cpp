#include "noise_norms.hpp"

#include <filesystem>
#include <set>

#include "atomic_file.hpp"
#include "clipsim/core/csv_field.hpp"
#include "clipsim/core/file_text.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/core/rng.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "output.hpp"

namespace clipsim::sweep::detail {

using sim::NoiseStreamIdentity;

namespace {

// Stream id for saved norms: distinct from every stream a run uses.
constexpr std::uint64_t kNoiseNormStream = 0x6e6f726d73ULL;  // "norms"

}  // namespace

std::string CellNoiseId(const SweepConfig& /*config*/, const Cell& cell) {
  return Hex16(StableHash(NoiseStreamIdentity(cell.run)));
}

void WriteNoiseNormFiles(const SweepConfig& config, const std::string& dir) {
  std::filesystem::create_directories(dir + "/noise");
  std::set<std::string> done;
  for (const Cell& cell : config.cells) {
    const std::string id = CellNoiseId(config, cell);
    const std::string path = dir + "/noise/" + id + ".csv";
    if (!cell.run.noise_enabled) continue;  // exact or data-only gradients: no noise to save
    if (!done.insert(id).second || std::filesystem::exists(path)) continue;
    const auto model = noise::MakeNoise(cell.run.noise);
    const int dim = cell.run.problem.dim;
    Rng rng =
        MakeRng({config.master_seed, StableHash(NoiseStreamIdentity(cell.run)), kNoiseNormStream});
    Batch batch(1, dim);
    std::string text;
    for (std::int64_t i = 0; i < config.save_noise_norms; ++i) {
      model->SampleBatch(rng, batch);
      AppendShortest(text, batch.row(0).norm());
      text += '\n';
    }
    WriteFileAtomically(path, text);
  }
}

void WriteNoiseNormsTable(const SweepConfig& config, const std::string& dir) {
  std::string out = results_folder::HeaderLine(results_folder::kNoiseNormsColumns) + "\n";
  std::set<std::string> done;
  for (const Cell& cell : config.cells) {
    const std::string id = CellNoiseId(config, cell);
    if (!cell.run.noise_enabled || !done.insert(id).second) continue;
    const std::string prefix = id + "," + CsvField(noise::FormatNoiseSpec(cell.run.noise)) + "," +
                               std::to_string(cell.run.problem.dim) + ",";
    const std::string norms = ReadFileText(dir + "/noise/" + id + ".csv");
    std::size_t start = 0;
    while (start < norms.size()) {
      const std::size_t end = norms.find('\n', start);
      out += prefix;
      out.append(norms, start, end - start);
      out += '\n';
      start = end + 1;
    }
  }
  WriteFileAtomically(results_folder::PathIn(dir, results_folder::kNoiseNormsFile), out);
}

}  // namespace clipsim::sweep::detail
