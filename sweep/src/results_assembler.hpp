// Builds results.csv (or .gz) and timings.csv from committed chunks in plan order, while the
// sweep still runs. The committer hands each chunk over right after committing it; the one next
// in plan order is appended from memory, and so is one committed ahead of its turn, held until
// then (up to a bound on the bytes held); beyond the bound, and for chunks an earlier process
// committed before a resume, the chunk is read back from its log when its turn comes. So when the
// last run ends only that run's chunk, a flush and the small tables are left to do: re-reading
// every chunk after the sweep and writing the results in one piece held the whole file in memory
// and took ~2% of a one-second sweep (bench_sweep) after its last run. Reading back every chunk
// that came out of order (~180 of 800 chunks on 2 threads: an open, a read and a hash each) is
// what holding them saves.
//
// What it keeps is independent of the number of chunks: the chunks ahead of its position, not a
// record of every chunk appended.
//
// Both files grow under temporary names and are renamed into place by Finish; an assembler
// destroyed unfinished (the sweep was interrupted) removes them, and a process killed outright
// leaves names with ".tmp." that the next sweep in the folder deletes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "buffer_pool.hpp"
#include "chunk_log.hpp"
#include "chunk_plan.hpp"
#include "clipsim/sweep/config.hpp"

namespace clipsim::sweep::detail {

class ResultsAssembler {
 public:
  // Bytes of content held at most for chunks that arrive ahead of their turn: far above what two
  // to a few dozen threads put ahead in sweeps of ordinary chunks, so that reading back is rare.
  static constexpr std::size_t kMaxHeldBytes = std::size_t{64} << 20;

  // on_disk: the chunks committed before this process started (read when their turn comes; it
  // must outlive the assembler). Opens the temporary files (InputError naming one that cannot be
  // created).
  // With a pool, the strings that hold chunks ahead of their turn come from it and go back to it.
  ResultsAssembler(const SweepConfig& config, std::string dir, const ChunkIndex& on_disk,
                   std::size_t max_held_bytes = kMaxHeldBytes, BufferPool* pool = nullptr);
  ~ResultsAssembler();
  ResultsAssembler(const ResultsAssembler&) = delete;
  ResultsAssembler& operator=(const ResultsAssembler&) = delete;

  // Chunk `index` of the plan has been committed with this content, as `record` in `log` (from
  // one thread at a time; every chunk of one assembler in the same log, as a ChunkCommitter
  // writes them).
  void Add(std::size_t index, std::string_view content, const std::string& log,
           const ChunkRecord& record);

  // Appends every chunk not yet appended (all must be committed by now), publishes results and
  // timings, writes cells.csv, the noise-norm table and manifest.json. Returns the results path.
  std::string Finish(const std::string& command_line);

 private:
  class Output;
  // A chunk committed ahead of its turn: its content, or where to read it back (in log_).
  struct Ahead {
    std::string content;
    ChunkRecord record;
    bool held = false;
  };
  void Append(std::size_t index, std::string_view content, const std::string& log);
  void AppendReady();

  const SweepConfig& config_;
  const ChunkPlan plan_;
  const std::string dir_;
  const ChunkIndex& on_disk_;
  const std::size_t max_held_bytes_;
  BufferPool* const pool_;              // may be null
  std::map<std::size_t, Ahead> ahead_;  // by plan index, all beyond next_
  std::size_t held_bytes_ = 0;          // of the contents in ahead_
  std::string log_;                     // where this process's chunks lie
  std::size_t next_ = 0;                // plan index of the next chunk to append
  std::unique_ptr<Output> results_;
  std::unique_ptr<Output> timings_;
  std::int64_t runs_ = 0;
  std::int64_t rows_ = 0;
  std::int64_t diverged_ = 0;
};

}  // namespace clipsim::sweep::detail
