#include "clipsim/sweep/merge.hpp"

#include <filesystem>
#include <map>
#include <set>

#include "atomic_file.hpp"
#include "chunk_log.hpp"
#include "chunk_plan.hpp"
#include "clipsim/core/file_text.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/sweep/engine.hpp"
#include "folder.hpp"
#include "results_assembler.hpp"

namespace clipsim::sweep {
namespace fs = std::filesystem;

MergeReport MergeSweeps(const std::vector<std::string>& shard_dirs, const std::string& out_dir,
                        const MergeOptions& options) {
  if (options.shard_count < 0) {
    throw InputError("--shards", std::to_string(options.shard_count), "an integer >= 1");
  }
  if (shard_dirs.empty()) throw InputError("merge needs at least one shard folder");
  std::error_code ec;
  std::vector<detail::FolderState> states(shard_dirs.size());
  for (std::size_t i = 0; i < shard_dirs.size(); ++i) {
    if (fs::equivalent(shard_dirs[i], out_dir, ec)) {
      throw InputError("--out must be a new folder, not one of the shards", {out_dir});
    }
    if (!detail::ReadFolderState(shard_dirs[i], states[i])) {
      throw InputError("not a sweep folder (no state.json)", {shard_dirs[i]});
    }
    if (states[i].fingerprint != states[0].fingerprint) {
      throw InputError("this shard belongs to another sweep config (fingerprint " +
                           states[i].fingerprint + ", first shard " + states[0].fingerprint + ")",
                       {shard_dirs[i]});
    }
    if (states[i].build_id != states[0].build_id) {
      throw InputError("this shard was computed by another build or instruction set ('" +
                           states[i].build_id + "' vs '" + states[0].build_id +
                           "'); results of two builds are not mixed",
                       {shard_dirs[i]});
    }
  }

  // Which folder holds each chunk; a chunk in two shards means the split overlapped.
  std::vector<detail::ChunkIndex> shards;
  std::map<std::string, std::size_t, std::less<>> owner;
  for (std::size_t i = 0; i < shard_dirs.size(); ++i) {
    shards.push_back(detail::ChunkIndex::Scan(shard_dirs[i]));
    shards.back().ForEach(
        [&](std::string_view name, const std::string&, const detail::ChunkRecord&) {
          auto [it, inserted] = owner.emplace(name, i);
          if (!inserted) {
            throw InputError("chunk " + std::string(name) + " is in two shard folders (" +
                                 shard_dirs[it->second] + " and " + shard_dirs[i] +
                                 "): the shards overlap; merge each part once",
                             {shard_dirs[i]});
          }
        });
  }

  const std::string config_path = shard_dirs[0] + "/sweep.yaml";
  const SweepConfig config = ParseSweepConfig(states[0].config_text, config_path);
  if (config.fingerprint != states[0].fingerprint) {
    throw InputError("the stored config does not match its fingerprint (edited by hand?)",
                     {config_path});
  }

  // What --out holds already, then (below) the records this merge adds: the chunks it has.
  MergeReport report;
  detail::ChunkIndex have;
  detail::FolderState existing;
  if (detail::ReadFolderState(out_dir, existing)) {
    if (existing.fingerprint != states[0].fingerprint || existing.build_id != states[0].build_id) {
      throw InputError("--out holds a sweep of another config or build", {out_dir});
    }
    have = detail::ChunkIndex::Scan(out_dir);
    have.ForEach([&](std::string_view name, const std::string&, const detail::ChunkRecord& record) {
      const auto it = owner.find(name);
      if (it == owner.end()) return;
      // Merged before from the same shard record: nothing to add. Other bytes: the chunk was
      // computed twice, by overlapping splits.
      if (shards[it->second].Find(name)->hash != record.hash) {
        throw InputError("chunk " + std::string(name) +
                             " is already in --out with other bytes than in " +
                             shard_dirs[it->second] + ": the shards overlap",
                         {out_dir});
      }
      ++report.chunks_present;
      owner.erase(it);
    });
  } else if (fs::exists(out_dir) && !fs::is_empty(out_dir)) {
    throw InputError("--out names a folder that is not empty and holds no sweep", {out_dir});
  }

  const detail::ChunkPlan plan(config);
  std::set<int> missing_shards;
  for (std::size_t at = 0; at < plan.size(); ++at) {
    const detail::Chunk c = plan[at];
    const std::string name = plan.Name(c);
    if (have.Has(name) || owner.count(name)) continue;
    report.missing.push_back("cell " + config.cells[c.cell].id + " budget " +
                             std::to_string(config.budgets[c.budget]) + " seeds " +
                             std::to_string(c.first_seed) + "-" + std::to_string(c.last_seed));
    for (int i = 0; i < options.shard_count; ++i) {
      if (detail::InShard(name, i, options.shard_count)) missing_shards.insert(i);
    }
  }
  report.missing_shards.assign(missing_shards.begin(), missing_shards.end());
  report.chunks_added = static_cast<std::int64_t>(owner.size());
  if (options.dry_run) return report;

  fs::create_directories(out_dir + "/chunks");
  fs::create_directories(out_dir + "/noise");
  if (existing.fingerprint.empty()) {
    detail::WriteFileAtomically(out_dir + "/sweep.yaml", states[0].config_text);
    detail::WriteFileAtomically(out_dir + "/state.json",
                                ReadFileText(shard_dirs[0] + "/state.json"));
  }
  // Every chunk into one new log of --out (hash checked on the way), flushed once at the end.
  {
    detail::ChunkLog log(out_dir);
    std::string content;
    for (const auto& [name, i] : owner) {
      content.clear();
      shards[i].Read(name, content);
      log.Append(name, content, /*flush=*/false);
    }
    log.Flush();
  }
  // Saved noise norms are drawn from their own stream, identical in every shard that made them.
  for (const std::string& dir : shard_dirs) {
    for (const auto& entry : fs::directory_iterator(dir + "/noise", ec)) {
      const std::string target = out_dir + "/noise/" + entry.path().filename().string();
      const std::string bytes = ReadFileText(entry.path().string());
      if (fs::exists(target)) {
        if (ReadFileText(target) != bytes) {
          throw InputError("noise norms differ between shards", {entry.path().string()});
        }
        continue;
      }
      detail::WriteFileAtomically(target, bytes);
    }
  }

  if (report.missing.empty()) {
    // What --out holds now: what it held and the new log (read again rather than added to, so
    // that the index stays a sorted, compact one).
    const detail::ChunkIndex merged = detail::ChunkIndex::Scan(out_dir);
    detail::ResultsAssembler(config, out_dir, merged).Finish(options.command_line);
    report.complete = true;
  }
  return report;
}

}  // namespace clipsim::sweep
