// clipsim sweep CONFIG.yaml --out DIR [--threads N] [--shard i/n] [--dry-run]
// clipsim merge --out DIR [--shards N] [--dry-run] SHARD_DIR...
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/sweep/config.hpp"
#include "clipsim/sweep/engine.hpp"
#include "clipsim/sweep/merge.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

// Exit code of a sweep stopped by Ctrl-C (the shell's convention for SIGINT).
constexpr int kInterrupted = 130;

std::atomic<bool> g_stop{false};

extern "C" void OnInterrupt(int /*signal*/) {
  g_stop.store(true);
  // A second Ctrl-C ends the process at once.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

struct SweepArgs {
  std::string config;
  std::string out;
  int threads = 0;
  std::string shard = "0/1";
  bool dry_run = false;
  bool quiet = false;
  bool verify = false;
};

void ParseShard(const std::string& text, int& index, int& count) {
  const std::string allowed =
      "must be i/n with n >= 1 and 0 <= i < n (0-based, as Slurm's "
      "SLURM_ARRAY_TASK_ID)";
  const auto slash = text.find('/');
  std::int64_t i = -1, n = 0;
  if (slash == std::string::npos || !ParseInt64(std::string_view(text).substr(0, slash), i) ||
      !ParseInt64(std::string_view(text).substr(slash + 1), n) || n < 1 || n > (1 << 30) || i < 0 ||
      i >= n) {
    throw InputError("--shard", text, allowed);
  }
  index = static_cast<int>(i);
  count = static_cast<int>(n);
}

int RunSweepCommand(const SweepArgs& args, const std::string& command_line) {
  sweep::SweepOptions options;
  options.out_dir = args.out;
  options.threads = args.threads;
  ParseShard(args.shard, options.shard_index, options.shard_count);
  options.progress = !args.quiet;
  options.command_line = command_line;
  options.stop = &g_stop;
  options.verify = args.verify;
  const sweep::SweepConfig config = sweep::LoadSweepConfig(args.config);

  if (args.dry_run) {
    const sweep::SweepSize s = sweep::PlanSweep(config, options);
    std::printf(
        "%s: valid\n"
        "cells %lld x budgets %lld x seeds %lld = %lld runs in %lld chunks of <= %lld seeds\n"
        "checkpoint rows (estimated) %lld, results.csv about %.1f MB uncompressed\n"
        "already committed in %s: %lld runs; to run in shard %d/%d: %lld runs\n",
        args.config.c_str(), static_cast<long long>(s.cells), static_cast<long long>(s.budgets),
        static_cast<long long>(s.seeds), static_cast<long long>(s.runs),
        static_cast<long long>(s.chunks), static_cast<long long>(config.chunk_seeds),
        static_cast<long long>(s.rows), static_cast<double>(s.bytes) / 1e6, args.out.c_str(),
        static_cast<long long>(s.already_done), options.shard_index, options.shard_count,
        static_cast<long long>(s.shard_runs));
    return 0;
  }

  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  const sweep::SweepReport r = sweep::RunSweep(config, options);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);

  if (r.interrupted) {
    std::fprintf(stderr,
                 "sweep: interrupted; %lld of %lld runs are committed in %s.\n"
                 "Resume with the same command:\n  %s\n",
                 static_cast<long long>(r.size.already_done + r.runs_now),
                 static_cast<long long>(r.size.runs), args.out.c_str(), command_line.c_str());
    return kInterrupted;
  }
  std::printf("sweep: %lld new runs (%lld diverged) in %.1f s; %lld of %lld runs committed\n",
              static_cast<long long>(r.runs_now), static_cast<long long>(r.diverged_now), r.seconds,
              static_cast<long long>(r.size.already_done + r.runs_now),
              static_cast<long long>(r.size.runs));
  if (r.damaged_chunks > 0) {
    std::printf("sweep: %lld damaged chunk%s found and computed again\n",
                static_cast<long long>(r.damaged_chunks),
                r.damaged_chunks == 1 ? " was" : "s were");
  }
  if (r.complete) {
    std::printf("results: %s\n", r.results_path.c_str());
  } else {
    std::printf(
        "shard %d/%d is done; join the shard folders with\n"
        "  clipsim merge --out MERGED_DIR SHARD_DIR...\n",
        options.shard_index, options.shard_count);
  }
  return 0;
}

}  // namespace

void RegisterSweep(CLI::App& root, Action& action, const std::string& command_line) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* cmd = root.add_subcommand(
      "sweep", "Run every cell of a sweep config for all its seeds and budgets (resumable)");
  cmd->add_option("config", args->config, "Sweep file (YAML); see configs/README.md")->required();
  cmd->add_option("--out", args->out, "Output folder (created; re-run to resume or grow)")
      ->required();
  cmd->add_option("--threads", args->threads, "Worker threads (default: every core)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--shard", args->shard,
                  "Run part i of n disjoint parts, 0 <= i < n (join with clipsim merge)");
  cmd->add_flag("--dry-run", args->dry_run, "Validate and print the sweep's size; run nothing");
  cmd->add_flag("--quiet", args->quiet, "No progress output");
  cmd->add_flag("--verify", args->verify,
                "Check every committed chunk against its hash first (reads all results once) and "
                "compute damaged ones again");
  cmd->callback([args, &action, command_line] {
    action = [args, command_line] { return RunSweepCommand(*args, command_line); };
  });
}

namespace {

// Exit code of a merge that lacks chunks (0: complete, 2: bad input).
constexpr int kIncomplete = 3;

struct MergeArgs {
  std::string out;
  std::vector<std::string> shards;
  int shard_count = 0;
  bool dry_run = false;
};

int RunMergeCommand(const MergeArgs& args, const std::string& command_line) {
  sweep::MergeOptions options;
  options.shard_count = args.shard_count;
  options.dry_run = args.dry_run;
  options.command_line = command_line;
  const sweep::MergeReport r = sweep::MergeSweeps(args.shards, args.out, options);
  const char* what = args.dry_run ? "would add" : "added";
  if (r.missing.empty()) {
    std::printf("merge: complete (%s %lld chunks, %lld were merged before); %s %s\n", what,
                static_cast<long long>(r.chunks_added), static_cast<long long>(r.chunks_present),
                args.dry_run ? "would write results in" : "results in", args.out.c_str());
    return 0;
  }
  std::fprintf(stderr, "merge: %zu chunks are missing:\n", r.missing.size());
  for (const std::string& m : r.missing) std::fprintf(stderr, "  %s\n", m.c_str());
  // One line on standard output that scripts read (scripts/slurm_sweep.sh).
  std::printf("merge: incomplete (%s %lld chunks, %lld were merged before)", what,
              static_cast<long long>(r.chunks_added), static_cast<long long>(r.chunks_present));
  if (args.shard_count > 0) {
    std::printf("; missing shards:");
    for (int i : r.missing_shards) std::printf(" %d", i);
  }
  std::printf("\n");
  std::fprintf(stderr,
               "run the missing shards%s and merge again, or finish here with\n"
               "  clipsim sweep %s/sweep.yaml --out %s\n",
               args.shard_count > 0 ? " (--shard i/n for each i listed)" : "", args.out.c_str(),
               args.out.c_str());
  return kIncomplete;
}

}  // namespace

void RegisterMerge(CLI::App& root, Action& action, const std::string& command_line) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = root.add_subcommand(
      "merge",
      "Join the output folders of sweep shards (--shard i/n) into one. Exit code 0: complete, "
      "results written; 2: bad input (another config or build, overlapping shards); 3: incomplete "
      "(missing chunks listed, and with --shards the indices of the shards to run again)");
  cmd->add_option("--out", args->out, "Merged output folder (new or a previous merge)")->required();
  cmd->add_option("--shards", args->shard_count,
                  "n of the shards' --shard i/n: name missing chunks by shard index")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--dry-run", args->dry_run, "Check and report what is missing; write nothing");
  cmd->add_option("shards", args->shards, "Shard output folders")->required();
  cmd->callback([args, &action, command_line] {
    action = [args, command_line] { return RunMergeCommand(*args, command_line); };
  });
}

}  // namespace clipsim::app
