// Builds results.csv (or .gz) and timings.csv from committed chunks in plan order, while the
// sweep still runs. The committer hands each chunk over right after committing it; the one next
// in plan order is appended from memory, any chunk committed earlier (by this process out of
// order, or by an earlier one before a resume) is read back from its log when its turn comes.
// So when the last run ends only that run's chunk, a flush and the small tables are left to do:
// re-reading every chunk after the sweep and writing the results in one piece held the whole
// file in memory and took ~2% of a one-second sweep (bench_sweep) after its last run.
//
// Both files grow under temporary names and are renamed into place by Finish; an assembler
// destroyed unfinished (the sweep was interrupted) removes them, and a process killed outright
// leaves names with ".tmp." that the next sweep in the folder deletes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chunk_log.hpp"
#include "chunk_plan.hpp"
#include "clipsim/sweep/config.hpp"

namespace clipsim::sweep::detail {

class ResultsAssembler {
 public:
  // plan: every chunk of the sweep in canonical order; committed: the chunks already on disk.
  // Opens the temporary files (InputError naming one that cannot be created).
  ResultsAssembler(const SweepConfig& config, const std::vector<Chunk>& plan, std::string dir,
                   ChunkIndex committed);
  ~ResultsAssembler();
  ResultsAssembler(const ResultsAssembler&) = delete;
  ResultsAssembler& operator=(const ResultsAssembler&) = delete;

  // Chunk `index` of the plan has been committed with this content, as `record` (from one
  // thread at a time).
  void Add(std::size_t index, std::string_view content, const ChunkRecord& record);

  // Appends every chunk not yet appended (all must be committed by now), publishes results and
  // timings, writes cells.csv, the noise-norm table and manifest.json. Returns the results path.
  std::string Finish(const std::string& command_line);

 private:
  class Output;
  void Append(std::size_t index, std::string_view content);
  void AppendCommittedFromDisk();

  const SweepConfig& config_;
  const std::vector<Chunk>& plan_;
  const std::string dir_;
  ChunkIndex committed_;
  std::size_t next_ = 0;  // plan index of the next chunk to append
  std::unique_ptr<Output> results_;
  std::unique_ptr<Output> timings_;
  std::int64_t runs_ = 0;
  std::int64_t rows_ = 0;
  std::int64_t diverged_ = 0;
};

}  // namespace clipsim::sweep::detail
