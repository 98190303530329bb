// The sweep engine's promises: byte-identical results whatever the thread count or shard split,
// growing by seeds and budgets runs only what is new, a changed config or a bad one is refused.
#include "clipsim/sweep/engine.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <xxhash.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "clipsim/core/build_info.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/resolved_table.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sweep/config.hpp"
#include "clipsim/sweep/merge.hpp"
#include "common/temp_files.hpp"

namespace clipsim::sweep {
namespace {

using clipsim::testing::ReadText;
using clipsim::testing::TempDir;
using clipsim::testing::WriteText;

// Small but not trivial: 2 methods x 2 alphas (zipped with p) = 4 cells, 2 budgets, 23 seeds in
// chunks of 5 (so the last chunk is partial), heavy enough noise that some runs clip.
constexpr const char* kSweep = R"(seeds: 23
budgets: [200, 600]
chunk_seeds: 5
master_seed: 11
problem: {kind: quadratic, dim: 3}
noise: {kind: stable, alpha: [1.5, 1.8]}
p: [1.4, 1.7]
zip: [[noise.alpha, p]]
optimizer: [{method: sgd}, {method: ps_clip_sgd}]
schedule: {kind: constant, eta0: 0.05}
batch_size: 4
)";

SweepOptions Options(const std::string& out, int threads) {
  SweepOptions o;
  o.out_dir = out;
  o.threads = threads;
  o.progress = false;
  return o;
}

std::string RunToResults(const std::string& config_path, const std::string& out, int threads) {
  const SweepReport r = RunSweep(LoadSweepConfig(config_path), Options(out, threads));
  EXPECT_TRUE(r.complete);
  return ReadText(out + "/results.csv");
}

TEST(SweepConfig, ExpandsListsZipsAndValidates) {
  TempDir dir("cfg");
  const SweepConfig c = LoadSweepConfig(WriteText(dir / "s.yaml", kSweep));
  EXPECT_EQ(c.cells.size(), 4u);  // (alpha, p) zipped: 2, times 2 optimizers
  EXPECT_EQ(c.seeds.count(), 23u);
  ASSERT_EQ(c.budgets.size(), 2u);
  // Last axis fastest: cells alternate optimizers.
  EXPECT_NE(c.cells[0].text, c.cells[1].text);
  for (const Cell& cell : c.cells) EXPECT_EQ(cell.id.size(), 16u);
}

TEST(Sweep, ThreadCountDoesNotChangeResults) {
  TempDir dir("threads");
  const std::string cfg = WriteText(dir / "s.yaml", kSweep);
  const std::string one = RunToResults(cfg, dir / "t1", 1);
  const std::string two = RunToResults(cfg, dir / "t2", 2);
  const std::string eight = RunToResults(cfg, dir / "t8", 8);
  ASSERT_GT(one.size(), 1000u);
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, eight);
}

// The progress callback (clipsim.sweep's bar) sees counts that only grow, of the whole sweep's
// total, ending at the total; it changes nothing in the results.
TEST(Sweep, ProgressCallbackCountsUpToTheTotalAndChangesNoResult) {
  TempDir dir("progress");
  const std::string cfg = WriteText(dir / "s.yaml", kSweep);
  const std::string plain = RunToResults(cfg, dir / "plain", 2);
  std::vector<std::pair<std::int64_t, std::int64_t>> calls;
  SweepOptions o = Options(dir / "called", 2);
  o.on_progress = [&calls](std::int64_t done, std::int64_t total) {
    calls.emplace_back(done, total);
  };
  const SweepReport r = RunSweep(LoadSweepConfig(cfg), o);
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(ReadText(dir / "called" + "/results.csv"), plain);
  ASSERT_GE(calls.size(), 2u);  // at the start and at the end
  EXPECT_EQ(calls.front().first, 0);
  for (std::size_t i = 1; i < calls.size(); ++i) {
    EXPECT_GE(calls[i].first, calls[i - 1].first);
    EXPECT_EQ(calls[i].second, r.size.runs);
  }
  EXPECT_EQ(calls.back().first, r.size.runs);
  EXPECT_EQ(r.size.runs, 4 * 2 * 23);
}

// The manifest's hash is of results.csv exactly as written (header included), so that
// `xxhsum -H3 results.csv` checks a copy; rows and runs count what the file holds.
TEST(Sweep, ManifestHashesAndCountsTheResultsFile) {
  TempDir dir("manifest");
  const std::string results = RunToResults(WriteText(dir / "s.yaml", kSweep), dir / "out", 2);
  const nlohmann::json m = nlohmann::json::parse(ReadText(dir / "out/manifest.json"));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(results.data(), results.size())));
  EXPECT_EQ(m["results"]["xxh3_64"].get<std::string>(), hex);
  EXPECT_EQ(m["results"]["bytes_uncompressed"].get<std::size_t>(), results.size());
  const auto lines = std::count(results.begin(), results.end(), '\n');
  EXPECT_EQ(m["counts"]["rows"].get<std::int64_t>(), lines - 1);
  EXPECT_EQ(m["counts"]["runs"].get<std::int64_t>(), 4 * 2 * 23);
}

// Golden values of a tiny sweep (2 noises x 2 methods, 2 budgets, 6 seeds; the stable and
// Student-t samplers and a clipped method), taken once and written out as literals. A change of
// any of them means every existing sweep folder no longer matches what this build computes: the
// cell ids (StableHash of the resolved cell text) name the folder's rows, and the results hash
// pins the streams, samplers, optimizers and the results.csv format together. Such a change must
// be deliberate: bump results_folder::kSchemaVersion (core/results_folder.hpp, and the chunk
// state schema of sweep/src/folder.cpp) and update the literals in the same commit. If only the
// hash moved after a dependency update (Sleef, Eigen, Boost, glibc's libm), results differ from
// earlier builds' in the last bits although the build id in state.json does not say so: say so in
// the commit.
//
// The cell ids depend on no build setting. The results hash depends on the vector instruction set
// (build_info::kSimd: the samplers' Sleef/Eigen code differs per set) and on the compiler and
// optimization level (whether a * b + c is contracted to one fused multiply-add), so it is kept
// per (kSimd, kCompiler, kBuildType), the build facts the sweep folder's build id records; a build
// with no golden value skips and prints its own, to be added after checking where it differs.
constexpr const char* kTinySweep = R"(seeds: 6
budgets: [100, 300]
chunk_seeds: 4
master_seed: 5
problem: {kind: quadratic, dim: 3}
noise: [{kind: stable, alpha: 1.5}, {kind: student_t, dof: 2.5}]
p: 1.4
optimizer: [{method: sgd}, {method: ps_clip_sgd}]
schedule: {kind: constant, eta0: 0.05}
batch_size: 4
)";

struct GoldenResults {
  const char* simd;
  const char* compiler;
  const char* build_type;
  const char* xxh3_64;  // of results.csv, as the manifest and `xxhsum -H3` print it
};
// Measured with the build each line names (CLIPSIM_SIMD=avx2, sse2, avx512 on one x86-64 host with
// AVX-512; the hash cross-checked against manifest.json, and for avx2 against `clipsim sweep
// --threads 1`). Each set differs: avx512 since results format 3 (its log is SLEEF's 1.0-ulp one,
// noise/src/vecmath.hpp; it agreed with avx2 before).
constexpr GoldenResults kGoldenResults[] = {
    {"avx2", "GNU 12.2.0", "Release", "a693b498c186fb74"},
    {"avx512", "GNU 12.2.0", "Release", "ba6055a13267f39a"},
    {"sse2", "GNU 12.2.0", "Release", "535b5bc4a1f66121"},
};

TEST(Sweep, TinySweepCellIdsAndResultsHashAreFixed) {
  TempDir dir("golden");
  const SweepConfig config = LoadSweepConfig(WriteText(dir / "s.yaml", kTinySweep));
  const char* const kCellIds[] = {"e469a121ba39bd3d", "259c986ce487cf41", "fe2a27d004d0c43f",
                                  "6a7843f130d71c49"};
  ASSERT_EQ(config.cells.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(config.cells[i].id, kCellIds[i]) << i;

  const SweepReport r = RunSweep(config, Options(dir / "out", 2));
  ASSERT_TRUE(r.complete);
  const std::string results = ReadText(dir / "out/results.csv");
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(results.data(), results.size())));
  const nlohmann::json m = nlohmann::json::parse(ReadText(dir / "out/manifest.json"));
  EXPECT_EQ(m["results"]["xxh3_64"].get<std::string>(), hex);
  EXPECT_EQ(m["counts"]["runs"].get<std::int64_t>(), 4 * 2 * 6);

  const std::string build = std::string("simd=") + build_info::kSimd + ", compiler " +
                            build_info::kCompiler + ", build type " + build_info::kBuildType;
  for (const GoldenResults& g : kGoldenResults) {
    if (std::string(g.simd) == build_info::kSimd &&
        std::string(g.compiler) == build_info::kCompiler &&
        std::string(g.build_type) == build_info::kBuildType) {
      EXPECT_EQ(std::string(hex), g.xxh3_64)
          << "results.csv of the tiny sweep changed on " << build
          << ": every existing sweep's results change with it (see the comment above)";
      return;
    }
  }
  GTEST_SKIP() << "no golden results hash for " << build << " (this build's: " << hex
               << "); the cell ids were checked";
}

// resolved.csv (core/resolved_table.hpp) holds, per (cell, budget), exactly what the runs used
// (the same ResolveParameters) and the problem's facts: here a theory cell, its plain-SGD control
// at the same prescription, and a constant-step cell.
TEST(Sweep, ResolvedTableHoldsWhatEachRunUsed) {
  TempDir dir("resolved");
  const std::string cfg = WriteText(dir / "s.yaml", R"(seeds: 3
budgets: [1000, 10000]
master_seed: 1
problem: {kind: nonconvex_sum, dim: 1}
noise: {kind: stable, alpha: 1.5, scale: 0.1}
p: 1.4
optimizer: [{method: ps_clip_sgd}, {method: sgd}, {method: sgd}]
schedule: [{kind: theory}, {kind: theory, prescription: ps_clip_sgd}, {kind: constant, eta0: 0.1}]
zip: [[optimizer, schedule]]
)");
  const SweepConfig config = LoadSweepConfig(cfg);
  RunSweep(config, Options(dir / "out", 2));
  const std::string text = ReadText(dir / "out/resolved.csv");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1) {
    std::vector<std::string> fields(1);
    for (char c : text.substr(at, end - at)) {
      if (c == ',') {
        fields.emplace_back();
      } else {
        fields.back() += c;
      }
    }
    rows.push_back(fields);
  }
  ASSERT_EQ(rows.size(), 1u + 3 * 2);
  ASSERT_EQ(rows[0].size(), resolved_table::kColumns.size());
  for (std::size_t c = 0; c < rows[0].size(); ++c)
    EXPECT_EQ(rows[0][c], resolved_table::kColumns[c]);
  const auto col = [&](const std::string& name) {
    for (std::size_t c = 0; c < rows[0].size(); ++c) {
      if (rows[0][c] == name) return c;
    }
    ADD_FAILURE() << name;
    return std::size_t{0};
  };
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::size_t cell = (r - 1) / 2;
    const std::int64_t budget = r % 2 == 1 ? 1000 : 10000;
    EXPECT_EQ(rows[r][col("cell")], config.cells[cell].id);
    EXPECT_EQ(rows[r][col("budget")], std::to_string(budget));
    // The same resolution as the run itself.
    sim::RunConfig run = config.cells[cell].run;
    run.budget = budget;
    const sim::ResolvedParameters p = sim::PreparedRun(run).resolved();
    EXPECT_EQ(rows[r][col("batch_size")], std::to_string(p.optimizer.batch_size));
    EXPECT_EQ(rows[r][col("iterations")], std::to_string(p.iterations));
    EXPECT_EQ(std::stod(rows[r][col("eta")]), p.eta0);
    EXPECT_EQ(rows[r][col("prescription")], p.prescription);
    // nonconvex_sum, d = 1: L = 2, Delta = 0.5, G = 3 sqrt(3) / 8, ||grad f(x0)|| = 0.5.
    EXPECT_EQ(rows[r][col("L")], "2");
    EXPECT_EQ(rows[r][col("delta")], "0.5");
    EXPECT_NEAR(std::stod(rows[r][col("gradient_bound")]), 3.0 * std::sqrt(3.0) / 8.0, 1e-15);
    EXPECT_EQ(rows[r][col("start_grad_norm")], "0.5");
    EXPECT_EQ(std::stod(rows[r][col("sigma")]), p.sigma);
  }
  // The control runs PS-Clip-SGD's batch and step; the constant cell has no prescription.
  EXPECT_EQ(rows[3][col("batch_size")], rows[1][col("batch_size")]);
  EXPECT_EQ(rows[3][col("prescription")], "ps_clip_sgd");
  EXPECT_EQ(rows[3][col("method")], "sgd");
  EXPECT_EQ(rows[5][col("prescription")], "");
  EXPECT_EQ(rows[5][col("batch_size")], "1");
}

// results.csv is written while the sweep runs (each chunk appended as it is committed, others read
// back); assembling it again from the chunk logs alone, as a finished sweep run once more does,
// gives the same bytes. Temporaries a killed assembly left behind are removed.
TEST(Sweep, ResultsWrittenDuringTheSweepEqualAReassemblyFromChunks) {
  TempDir dir("reassemble");
  const std::string cfg = WriteText(dir / "s.yaml", kSweep);
  const std::string during = RunToResults(cfg, dir / "out", 2);
  const std::string stale = dir / "out/results.csv.tmp.99999.0";
  WriteText(stale, "half of a results file");
  std::filesystem::remove(dir / "out/results.csv");
  const SweepReport again = RunSweep(LoadSweepConfig(cfg), Options(dir / "out", 2));
  EXPECT_EQ(again.runs_now, 0);
  EXPECT_EQ(ReadText(dir / "out/results.csv"), during);
  EXPECT_FALSE(std::filesystem::exists(stale));
}

// compress: true writes results.csv.gz holding exactly the bytes of results.csv (the manifest's
// hash and size are of those bytes), and leaves no plain results.csv beside it.
TEST(Sweep, CompressedResultsHoldTheSameBytes) {
  TempDir dir("gzip");
  const std::string plain = RunToResults(WriteText(dir / "plain.yaml", kSweep), dir / "plain", 2);
  const std::string cfg = WriteText(dir / "gz.yaml", std::string(kSweep) + "compress: true\n");
  ASSERT_TRUE(RunSweep(LoadSweepConfig(cfg), Options(dir / "gz", 2)).complete);
  EXPECT_FALSE(std::filesystem::exists(dir / "gz/results.csv"));
  const std::string gz_path = dir / "gz/results.csv.gz";
  gzFile in = gzopen(gz_path.c_str(), "rb");
  ASSERT_NE(in, nullptr);
  std::string unpacked;
  char buf[1 << 16];
  for (int n; (n = gzread(in, buf, sizeof buf)) > 0;)
    unpacked.append(buf, static_cast<std::size_t>(n));
  gzclose(in);
  EXPECT_EQ(unpacked, plain);
  EXPECT_LT(std::filesystem::file_size(gz_path), plain.size() / 2);
  const nlohmann::json m = nlohmann::json::parse(ReadText(dir / "gz/manifest.json"));
  const nlohmann::json p = nlohmann::json::parse(ReadText(dir / "plain/manifest.json"));
  EXPECT_EQ(m["results"]["file"].get<std::string>(), "results.csv.gz");
  EXPECT_EQ(m["results"]["xxh3_64"], p["results"]["xxh3_64"]);
  EXPECT_EQ(m["results"]["bytes_uncompressed"].get<std::size_t>(), plain.size());
}

// A committed chunk whose bytes changed on disk is refused by its log and name, not silently
// assembled; the same sweep with verify finds it, computes that chunk alone again, and restores
// the results; later runs read the new record (the later record of a chunk wins).
TEST(Sweep, ADamagedChunkIsRefusedByNameAndVerifyComputesItAgain) {
  TempDir dir("damaged");
  const std::string cfg = WriteText(dir / "s.yaml", kSweep);
  const std::string expected = RunToResults(cfg, dir / "out", 2);
  std::string log;
  for (const auto& e : std::filesystem::directory_iterator(dir / "out/chunks")) {
    log = e.path().string();
  }
  ASSERT_FALSE(log.empty());
  std::string text = ReadText(log);
  // A digit in the middle of the log, in some record's rows: one changed result.
  std::size_t at = text.size() / 2;
  while (at < text.size() && !std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  ASSERT_LT(at, text.size());
  const std::size_t header = text.rfind("#chunk ", at);
  const std::size_t name_end = text.find(' ', header + 7);
  const std::string chunk = text.substr(header + 7, name_end - header - 7);
  text[at] = text[at] == '7' ? '8' : '7';
  WriteText(log, text);
  try {
    RunSweep(LoadSweepConfig(cfg), Options(dir / "out", 2));
    FAIL() << "a damaged chunk was assembled";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(log), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(chunk), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--verify"), std::string::npos) << e.what();
  }

  SweepOptions verify = Options(dir / "out", 2);
  verify.verify = true;
  const SweepReport repaired = RunSweep(LoadSweepConfig(cfg), verify);
  EXPECT_EQ(repaired.damaged_chunks, 1);
  // That chunk alone ran again: its seeds are the name's "-s<first>-<last>".
  const std::size_t s_at = chunk.rfind("-s");
  const std::size_t dash = chunk.find('-', s_at + 2);
  const int first = std::stoi(chunk.substr(s_at + 2, dash - s_at - 2));
  const int last = std::stoi(chunk.substr(dash + 1));
  EXPECT_EQ(repaired.runs_now, last - first + 1);
  EXPECT_EQ(ReadText(dir / "out/results.csv"), expected);
  const SweepReport plain = RunSweep(LoadSweepConfig(cfg), Options(dir / "out", 2));
  EXPECT_EQ(plain.runs_now, 0);
  EXPECT_EQ(ReadText(dir / "out/results.csv"), expected);
}

TEST(Sweep, MergedShardsEqualTheUnshardedRun) {
  TempDir dir("shards");
  const std::string cfg = WriteText(dir / "s.yaml", kSweep);
  const std::string whole = RunToResults(cfg, dir / "whole", 2);
  std::vector<std::string> parts;
  for (int i = 0; i < 3; ++i) {
    SweepOptions o = Options(dir / ("part" + std::to_string(i)), 1);
    o.shard_index = i;
    o.shard_count = 3;
    const SweepReport r = RunSweep(LoadSweepConfig(cfg), o);
    EXPECT_FALSE(r.complete) << "a third of the chunks cannot complete the sweep";
    parts.push_back(o.out_dir);
  }
  // Two of three shards: the merge reports what is missing, and which shard owns it, and
  // writes no results.
  MergeOptions by_index;
  by_index.shard_count = 3;
  const MergeReport partial = MergeSweeps({parts[0], parts[2]}, dir / "merged", by_index);
  EXPECT_FALSE(partial.missing.empty());
  EXPECT_FALSE(partial.complete);
  EXPECT_EQ(partial.missing_shards, std::vector<int>{1});
  EXPECT_FALSE(std::filesystem::exists(dir / "merged/results.csv"));

  // Merging again with every shard adds only the missing one's chunks (the others are there with
  // the same bytes), and completes.
  const MergeReport full = MergeSweeps(parts, dir / "merged", by_index);
  EXPECT_TRUE(full.complete);
  EXPECT_TRUE(full.missing.empty());
  EXPECT_EQ(full.chunks_present, partial.chunks_added);
  EXPECT_GT(full.chunks_added, 0);
  EXPECT_EQ(ReadText(dir / "merged/results.csv"), whole);
  // A dry run writes nothing and says the same.
  MergeOptions dry = by_index;
  dry.dry_run = true;
  const MergeReport checked = MergeSweeps({parts[1]}, dir / "dry", dry);
  EXPECT_EQ(checked.missing_shards, (std::vector<int>{0, 2}));
  EXPECT_FALSE(std::filesystem::exists(dir / "dry"));
  // A shard given twice overlaps itself: refused.
  EXPECT_THROW(MergeSweeps({parts[0], parts[1], parts[2], parts[0]}, dir / "again", {}),
               InputError);
}

TEST(Sweep, MergeRefusesAChunkItHoldsWithOtherBytes) {
  TempDir dir("remerge");
  const std::string cfg = WriteText(dir / "s.yaml", kSweep);
  SweepOptions o = Options(dir / "part0", 1);
  o.shard_count = 2;
  RunSweep(LoadSweepConfig(cfg), o);
  MergeSweeps({o.out_dir}, dir / "merged", {});
  // The same shard computed again elsewhere: same rows, other timings, so other bytes.
  SweepOptions again = Options(dir / "again0", 1);
  again.shard_count = 2;
  RunSweep(LoadSweepConfig(cfg), again);
  EXPECT_THROW(MergeSweeps({again.out_dir}, dir / "merged", {}), InputError);
}

TEST(Sweep, GrowingBySeedsAndBudgetsRunsOnlyWhatIsNew) {
  TempDir dir("grow");
  std::string small = kSweep;
  small.replace(small.find("seeds: 23"), 9, "seeds: 12");
  small.replace(small.find("budgets: [200, 600]"), 19, "budgets: [200]");
  const SweepConfig first = LoadSweepConfig(WriteText(dir / "small.yaml", small));
  const SweepReport r1 = RunSweep(first, Options(dir / "out", 2));
  EXPECT_EQ(r1.runs_now, 4 * 12);

  const std::string full = WriteText(dir / "full.yaml", kSweep);
  const SweepReport r2 = RunSweep(LoadSweepConfig(full), Options(dir / "out", 2));
  // Budget 200: seeds 10..22 are new (chunk 10-14 was partial at 10-11); budget 600: all 23.
  EXPECT_EQ(r2.runs_now, 4 * (13 + 23));
  EXPECT_EQ(ReadText(dir / "out/results.csv"), RunToResults(full, dir / "fresh", 2));
  // Each run of the sweep that committed anything added one chunk log, whatever its chunk count
  // (12 + 32 chunks here), and a run with nothing left to do adds none.
  RunSweep(LoadSweepConfig(full), Options(dir / "out", 2));
  int logs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "out/chunks")) {
    logs += e.path().extension() == ".log";
  }
  EXPECT_EQ(logs, 2);
}

TEST(Sweep, AChangedConfigIsRefusedInAnExistingFolder) {
  TempDir dir("changed");
  RunSweep(LoadSweepConfig(WriteText(dir / "a.yaml", kSweep)), Options(dir / "out", 2));
  std::string changed = kSweep;
  changed.replace(changed.find("eta0: 0.05"), 10, "eta0: 0.06");
  const SweepConfig c = LoadSweepConfig(WriteText(dir / "b.yaml", changed));
  try {
    RunSweep(c, Options(dir / "out", 2));
    FAIL() << "a changed config must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("another config"), std::string::npos) << e.what();
  }
}

// Each bad input is refused with the file, line and column, and the key.
struct BadCase {
  std::string name;
  std::string from;  // text in kSweep to replace
  std::string to;
  std::string key;  // must appear in the message
  int line;         // expected line (1-based), 0: any
};

class BadSweep : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadSweep, IsRefusedWithLocationAndKey) {
  const BadCase& c = GetParam();
  std::string text = kSweep;
  const auto at = text.find(c.from);
  ASSERT_NE(at, std::string::npos) << c.from;
  text.replace(at, c.from.size(), c.to);
  TempDir dir("bad");
  const std::string path = WriteText(dir / "bad.yaml", text);
  try {
    LoadSweepConfig(path);
    FAIL() << c.name << ": accepted";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.key), std::string::npos) << msg;
    if (c.line > 0) {
      EXPECT_NE(msg.find(path + ":" + std::to_string(c.line) + ":"), std::string::npos) << msg;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Sweep, BadSweep,
    ::testing::Values(
        BadCase{"unknown key", "batch_size: 4", "batch_sise: 4", "batch_sise", 11},
        BadCase{"wrong type", "batch_size: 4", "batch_size: four", "batch_size", 11},
        BadCase{"alpha out of range", "alpha: [1.5, 1.8]", "alpha: [1.5, 2.8]", "alpha", 6},
        BadCase{"p out of range", "p: [1.4, 1.7]", "p: [1.4, 2.5]", "p", 7},
        BadCase{"p not below the tail index", "p: [1.4, 1.7]", "p: [1.6, 1.7]", "p", 7},
        BadCase{"step not positive", "eta0: 0.05", "eta0: -1", "eta0", 10},
        BadCase{"seeds not positive", "seeds: 23", "seeds: 0", "seeds", 1},
        BadCase{"budget not positive", "budgets: [200, 600]", "budgets: [200, 0]", "budgets", 2},
        BadCase{"zip of unequal lists", "p: [1.4, 1.7]", "p: [1.4, 1.7, 1.3]", "zip", 0},
        BadCase{"yaml syntax", "budgets: [200, 600]", "budgets: [200, 600", "YAML", 0}),
    [](const ::testing::TestParamInfo<BadCase>& param_info) {
      std::string n = param_info.param.name;
      for (char& ch : n) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
      return n;
    });

TEST(SweepCli, BadInputExitsWithCode2AndAMissingFileIsNamed) {
  TempDir dir("cli");
  const std::string missing = dir / "nope.yaml";
  const std::string cmd = std::string(CLIPSIM_BINARY) + " sweep " + missing + " --out " +
                          (dir / "out") + " 2> " + (dir / "err.txt");
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(ReadText(dir / "err.txt").find(missing), std::string::npos);
}

TEST(SweepCli, DryRunPrintsTheSizeAndRunsNothing) {
  TempDir dir("dry");
  const std::string cfg = WriteText(dir / "s.yaml", kSweep);
  const std::string cmd = std::string(CLIPSIM_BINARY) + " sweep " + cfg + " --out " +
                          (dir / "out") + " --dry-run > " + (dir / "dry.txt");
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string text = ReadText(dir / "dry.txt");
  EXPECT_NE(text.find("4 x budgets 2 x seeds 23 = 184 runs"), std::string::npos) << text;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

// Every shipped sweep (configs/quickstart.yaml, configs/sweeps/, configs/paper/) must validate,
// so that a schema change cannot silently break a documented example.
TEST(SweepCli, EveryShippedSweepValidates) {
  namespace fs = std::filesystem;
  const fs::path configs = fs::path(CLIPSIM_TEST_DATA_DIR) / ".." / ".." / "configs";
  std::vector<fs::path> files = {configs / "quickstart.yaml"};
  for (const char* sub : {"sweeps", "paper"}) {
    for (const auto& entry : fs::directory_iterator(configs / sub)) {
      const std::string name = entry.path().filename().string();
      // claims.yaml is a claims file (clipsim report), not a sweep; *_eval.yaml are templates
      // that `clipsim tune` completes with the tuned optimizers (tests/paper checks them).
      const bool eval_template =
          name.size() > 10 && name.compare(name.size() - 10, 10, "_eval.yaml") == 0;
      if (entry.path().extension() == ".yaml" && name != "claims.yaml" && !eval_template) {
        files.push_back(entry.path());
      }
    }
  }
  ASSERT_GE(files.size(), 4u);
  TempDir dir("shipped");
  for (const fs::path& f : files) {
    const std::string cmd = std::string(CLIPSIM_BINARY) + " sweep " + f.string() + " --out " +
                            (dir / "out") + " --dry-run > " + (dir / "dry.txt") + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << f << ": " << ReadText(dir / "dry.txt");
  }
}

}  // namespace
}  // namespace clipsim::sweep
