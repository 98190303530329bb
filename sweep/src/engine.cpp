#include "clipsim/sweep/engine.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "atomic_file.hpp"
#include "chunk_committer.hpp"
#include "chunk_log.hpp"
#include "chunk_plan.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/sim/checkpoint.hpp"
#include "clipsim/sim/run.hpp"
#include "folder.hpp"
#include "noise_norms.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "results_assembler.hpp"

namespace clipsim::sweep {

using sim::AppendCheckpointLines;
using sim::RunSummary;
using sim::Termination;
using sim::ToString;

using sim::CheckpointSchedule;
using sim::PreparedRun;
using sim::RunConfig;
using sim::RunStreams;

namespace {

using detail::Chunk;

// Typical width of one results row, for --dry-run's size estimate (measured on the quickstart
// sweep; the README states the measured figure).
constexpr std::int64_t kEstimatedBytesPerRow = 170;

// What a killed process left half-written: results or tables being assembled. (A chunk record
// cut short needs no cleaning: it is not committed, and the log it ends is never appended to.)
void RemoveStaleTemporaries(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

// What becomes of a chunk in this process.
enum class Fate {
  kOnDisk,      // committed before
  kRunHere,     // run and committed now
  kOtherShard,  // left to another shard
};

Fate FateOf(std::string_view name, const detail::ChunkIndex& on_disk, const SweepOptions& options) {
  if (on_disk.Has(name)) return Fate::kOnDisk;
  return detail::InShard(name, options.shard_index, options.shard_count) ? Fate::kRunHere
                                                                         : Fate::kOtherShard;
}

// Everything a worker needs to run one chunk, and the outcome counters. Workers take plan indices
// in turn and skip the chunks that are on disk or in another shard, instead of a list of the
// pending ones being made first: what the sweep holds does not grow with its chunks.
struct SharedWork {
  SharedWork(const SweepConfig& c, const SweepOptions& o, const detail::ChunkIndex& d,
             const std::vector<std::unique_ptr<PreparedRun>>& r, detail::ChunkCommitter& f,
             detail::BufferPool& b)
      : config(c),
        options(o),
        plan(c),
        on_disk(d),
        prepared(r),
        stop(o.stop),
        committer(f),
        buffers(b) {}
  const SweepConfig& config;
  const SweepOptions& options;
  const detail::ChunkPlan plan;
  const detail::ChunkIndex& on_disk;  // committed before this process started
  const std::vector<std::unique_ptr<PreparedRun>>& prepared;  // [cell * budgets + budget]
  const std::atomic<bool>* stop;
  detail::ChunkCommitter& committer;
  detail::BufferPool& buffers;       // for the chunks' contents
  std::atomic<std::size_t> next{0};  // plan index
  std::atomic<std::int64_t> runs_done{0};
  std::atomic<std::size_t> chunks_done{0};  // handed to the committer whole
  std::atomic<std::int64_t> diverged{0};
  std::atomic<bool> failed{false};
  std::atomic<int> active{0};
  std::mutex mutex;
  std::condition_variable wake;
  std::exception_ptr error;
};

bool StopRequested(const SharedWork& w) {
  return w.failed.load() || (w.stop != nullptr && w.stop->load());
}

// Runs seeded together (PreparedRun::SeedStreams). Seeding a run's 2-3 streams one key at a time
// was 15% of a sweep of short scalar runs (d = 1, 100 steps of 16). 16 runs are 32 or 48 keys,
// whole passes of 4, 8 or 16 lanes; 8 runs with data (24 keys) would leave half a pass of 16 lanes
// empty, ~25% more per key (bench_sweep's seeding figures). 16 runs' streams are ~120 KB.
constexpr std::size_t kSeedGroup = 16;

// Runs one chunk and commits it; returns false (committing nothing) when asked to stop.
// Formatting is per row, so it stays lean: the cell's and budget's part of every row and timing
// line is built once per chunk, and the buffers grow to their final size after the first run.
// `streams` (kSeedGroup of them, the worker's) holds the streams of the runs seeded together.
bool RunChunk(SharedWork& w, std::size_t i, const Chunk& chunk, std::string name,
              std::span<RunStreams> streams) {
  const Cell& cell = w.config.cells[chunk.cell];
  const std::int64_t budget = w.config.budgets[chunk.budget];
  const PreparedRun& run = *w.prepared[chunk.cell * w.config.budgets.size() + chunk.budget];
  const std::string row_start =
      detail::CellPrefix(w.config, cell) + ',' + std::to_string(budget) + ',';
  const std::string time_start = cell.id + ',' + std::to_string(budget) + ',';
  std::string rows = w.buffers.Take();  // a circulating buffer (BufferPool)
  std::string times;
  std::string row_prefix = row_start;  // row_start and the seed
  // Runs seeded kSeedGroup at a time, then run RunsInTurn() at a time (PreparedRun::RunSeeds
  // advances scalar runs in lockstep). A run's seconds: its turn's time over the runs of the turn,
  // plus an equal share of its seeding call, so that a chunk's seconds add up to its runs' cost.
  std::array<RunSummary, PreparedRun::kRunsInTurn> summaries;
  const std::size_t turn = run.RunsInTurn();
  for (std::uint64_t first = chunk.first_seed; first <= chunk.last_seed; first += streams.size()) {
    if (StopRequested(w)) return false;
    const auto seeded = static_cast<std::size_t>(
        std::min<std::uint64_t>(streams.size(), chunk.last_seed - first + 1));
    const auto s0 = std::chrono::steady_clock::now();
    run.SeedStreams(w.config.master_seed, first, streams.first(seeded));
    const double seeding_share =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count() /
        static_cast<double>(seeded);
    for (std::size_t at = 0; at < seeded; at += turn) {
      if (at > 0 && StopRequested(w)) return false;
      const std::size_t count = std::min(turn, seeded - at);
      const auto t0 = std::chrono::steady_clock::now();
      run.RunSeeds(streams.subspan(at, count), std::span(summaries.data(), count));
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() /
              static_cast<double>(count) +
          seeding_share;
      for (std::size_t k = 0; k < count; ++k) {
        const std::uint64_t seed = first + at + k;
        const RunSummary& summary = summaries[k];
        const std::size_t row_begin = rows.size();
        row_prefix.resize(row_start.size());
        AppendInteger(row_prefix, static_cast<std::int64_t>(seed));
        row_prefix += ',';
        AppendCheckpointLines(rows, row_prefix, summary.checkpoints);
        if (seed == chunk.first_seed) {
          const auto runs = static_cast<std::size_t>(chunk.runs());
          times.reserve((time_start.size() + 40) * runs);
          rows.reserve((rows.size() - row_begin) * runs * 9 / 8 + times.capacity());
        }
        times += time_start;
        AppendInteger(times, static_cast<std::int64_t>(seed));
        times += ',';
        // Six significant digits, as %.6g would print them, without printf's locale and parsing.
        char buf[32];
        times.append(
            buf, std::to_chars(buf, buf + sizeof buf, seconds, std::chars_format::general, 6).ptr);
        times += ',';
        times += ToString(summary.termination);
        times += '\n';
        if (summary.termination == Termination::kDiverged) w.diverged.fetch_add(1);
        w.runs_done.fetch_add(1);
      }
    }
  }
  // One record: the chunk counts as committed once its record is complete in the log.
  rows += detail::kTimingsMarker;
  rows += times;
  w.committer.Commit(std::move(name), std::move(rows), i);
  w.chunks_done.fetch_add(1);
  return true;
}

void Worker(SharedWork& w) {
  try {
    std::vector<RunStreams> streams(kSeedGroup);  // whatever the number of seeds
    for (;;) {
      const std::size_t i = w.next.fetch_add(1);
      if (i >= w.plan.size() || StopRequested(w)) break;
      const Chunk chunk = w.plan[i];
      std::string name = w.plan.Name(chunk);
      if (FateOf(name, w.on_disk, w.options) != Fate::kRunHere) continue;
      if (!RunChunk(w, i, chunk, std::move(name), streams)) break;
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(w.mutex);
    if (!w.error) w.error = std::current_exception();
    w.failed = true;
  }
  {
    std::lock_guard<std::mutex> lock(w.mutex);
    w.active.fetch_sub(1);
  }
  w.wake.notify_all();
}

std::int64_t CheckpointsPerRun(const SweepConfig& config, std::int64_t budget) {
  RunConfig run = config.cells.front().run;
  run.budget = budget;
  return static_cast<std::int64_t>(CheckpointSchedule(run).size());
}

void CheckShard(const SweepOptions& options) {
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count) {
    throw InputError(
        "--shard", std::to_string(options.shard_index) + "/" + std::to_string(options.shard_count),
        "must be i/n with n >= 1 and 0 <= i < n");
  }
}

// The size of the sweep and of what is left, given what is committed; and what this process has
// to do. One pass over the plan, building names only where what is on disk or sharding asks.
struct Survey {
  SweepSize size;
  std::size_t chunks_here = 0;   // to be run by this process
  bool completes = true;         // this process will commit every chunk not yet on disk
  std::vector<bool> pairs_here;  // [cell * budgets + budget]: some chunk of it runs here
};

Survey SurveyPlan(const SweepConfig& config, const SweepOptions& options,
                  const detail::ChunkIndex& on_disk) {
  const detail::ChunkPlan plan(config);
  Survey survey;
  SweepSize& size = survey.size;
  size.cells = static_cast<std::int64_t>(config.cells.size());
  size.budgets = static_cast<std::int64_t>(config.budgets.size());
  size.seeds = static_cast<std::int64_t>(config.seeds.count());
  size.chunks = static_cast<std::int64_t>(plan.size());
  std::vector<std::int64_t> per_run(config.budgets.size());
  for (std::size_t b = 0; b < config.budgets.size(); ++b) {
    per_run[b] = CheckpointsPerRun(config, config.budgets[b]);
  }
  survey.pairs_here.assign(config.cells.size() * config.budgets.size(), false);
  const bool by_name = !on_disk.empty() || options.shard_count > 1;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const Chunk chunk = plan[i];
    size.runs += chunk.runs();
    size.rows += chunk.runs() * per_run[chunk.budget];
    const Fate fate = by_name ? FateOf(plan.Name(chunk), on_disk, options) : Fate::kRunHere;
    if (fate == Fate::kOnDisk) {
      size.already_done += chunk.runs();
    } else if (fate == Fate::kRunHere) {
      size.shard_runs += chunk.runs();
      ++survey.chunks_here;
      survey.pairs_here[chunk.cell * config.budgets.size() + chunk.budget] = true;
    } else {
      survey.completes = false;
    }
  }
  size.bytes = size.rows * kEstimatedBytesPerRow;
  return survey;
}

}  // namespace

SweepSize PlanSweep(const SweepConfig& config, const SweepOptions& options) {
  CheckShard(options);
  detail::CheckFolder(config, options.out_dir, /*create=*/false);
  return SurveyPlan(config, options, detail::ChunkIndex::Scan(options.out_dir, options.verify))
      .size;
}

SweepReport RunSweep(const SweepConfig& config, const SweepOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  SweepReport report;
  CheckShard(options);
  detail::CheckFolder(config, options.out_dir, /*create=*/true);
  RemoveStaleTemporaries(options.out_dir);
  const detail::ChunkIndex on_disk = detail::ChunkIndex::Scan(options.out_dir, options.verify);
  const Survey survey = SurveyPlan(config, options, on_disk);
  report.size = survey.size;
  report.damaged_chunks = static_cast<std::int64_t>(on_disk.damaged());
  if (config.save_noise_norms > 0) detail::WriteNoiseNormFiles(config, options.out_dir);

  // One prepared run per (cell, budget) that has work here, built before any thread starts so
  // that a refusal (say, the theory schedule on a problem without a global L) comes first.
  std::vector<std::unique_ptr<PreparedRun>> prepared(config.cells.size() * config.budgets.size());
  for (std::size_t c = 0; c < config.cells.size(); ++c) {
    for (std::size_t b = 0; b < config.budgets.size(); ++b) {
      const std::size_t pair = c * config.budgets.size() + b;
      if (!survey.pairs_here[pair]) continue;
      RunConfig run = config.cells[c].run;
      run.budget = config.budgets[b];
      prepared[pair] = std::make_unique<PreparedRun>(run);
    }
  }

  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(
      1, std::min<int>(threads, static_cast<int>(std::max<std::size_t>(survey.chunks_here, 1))));

  // When this process can complete the sweep, the results are assembled as chunks are committed
  // (otherwise another shard holds chunks this one lacks, and nothing is assembled here).
  // The chunks' content buffers circulate: worker -> committer (-> assembler) -> worker. Kept: as
  // many as are in flight in the steady state (one per worker, a committer's batch of a few, a
  // few held ahead), within 64 MB; a burst beyond allocates and frees as before.
  using detail::ChunkCommitter;
  detail::BufferPool buffers(2 * static_cast<std::size_t>(threads) + 8, std::size_t{64} << 20);
  std::unique_ptr<detail::ResultsAssembler> assembler;
  if (survey.completes) {
    assembler = std::make_unique<detail::ResultsAssembler>(
        config, options.out_dir, on_disk, detail::ResultsAssembler::kMaxHeldBytes, &buffers);
  }
  ChunkCommitter committer(
      options.out_dir,
      assembler ? ChunkCommitter::Published(
                      [&assembler](std::size_t index, std::string_view content,
                                   const std::string& log, const detail::ChunkRecord& record) {
                        assembler->Add(index, content, log, record);
                      })
                : nullptr,
      ChunkCommitter::kMaxChunks, ChunkCommitter::kMaxBytes, &buffers);
  SharedWork work{config, options, on_disk, prepared, committer, buffers};
  detail::Progress progress(report.size.already_done + report.size.shard_runs,
                            report.size.already_done, options.progress, options.on_progress);
  {
    std::vector<std::jthread> pool;
    pool.reserve(static_cast<std::size_t>(threads));
    work.active = threads;
    for (int t = 0; t < threads; ++t) pool.emplace_back([&work] { Worker(work); });
    std::unique_lock<std::mutex> lock(work.mutex);
    while (work.active.load() > 0) {
      work.wake.wait_for(lock, std::chrono::milliseconds(200));
      lock.unlock();
      progress.Update(work.runs_done.load());
      lock.lock();
    }
  }  // joins the pool
  progress.Finish(work.runs_done.load());
  if (work.error) std::rethrow_exception(work.error);
  committer.Drain();  // every chunk handed over is committed (or this throws)

  report.runs_now = work.runs_done.load();
  report.diverged_now = work.diverged.load();
  report.interrupted = options.stop != nullptr && options.stop->load();
  // Every chunk was on disk at the start or has been committed now: no need to read the folder
  // again (the assembler, which knows both, refuses a chunk that is missing all the same).
  report.complete = survey.completes && work.chunks_done.load() == survey.chunks_here;
  if (report.complete) {
    if (config.save_noise_norms > 0) detail::WriteNoiseNormFiles(config, options.out_dir);
    report.results_path = assembler->Finish(options.command_line);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace clipsim::sweep
