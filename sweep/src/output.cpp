#include "output.hpp"

#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "atomic_file.hpp"
#include "clipsim/core/build_info.hpp"
#include "clipsim/core/csv_field.hpp"
#include "clipsim/core/hitting_table.hpp"
#include "clipsim/core/number_text.hpp"
#include "clipsim/core/resolved_table.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/sim/checkpoint.hpp"
#include "clipsim/sim/optimizer_options.hpp"
#include "clipsim/sim/problem.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "clipsim/sim/schedule.hpp"
#include "clipsim/sweep/engine.hpp"
#include "folder.hpp"
#include "noise_norms.hpp"

namespace clipsim::sweep::detail {

using sim::OptimizerSettings;
using sim::ProblemFacts;
using sim::ResolvedParameters;
using sim::ResolveParameters;
using sim::ScheduleKind;
using sim::ToString;

using sim::MakeRunProblem;
using sim::Problem;
using sim::RunConfig;
using sim::RunStart;

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

}  // namespace

std::string ResolvedTable(const SweepConfig& config) {
  std::string table = results_folder::HeaderLine(resolved_table::kColumns) + "\n";
  for (const Cell& cell : config.cells) {
    // The noise once per cell; the problem per budget (MakeRunProblem: a lower_bound_chain with
    // hardness > 0 has T(N) links at each budget N).
    std::unique_ptr<noise::NoiseModel> noise;
    if (cell.run.noise_enabled) noise = noise::MakeNoise(cell.run.noise);
    for (std::int64_t budget : config.budgets) {
      RunConfig run = cell.run;
      run.budget = budget;
      const std::unique_ptr<Problem> problem = MakeRunProblem(run);
      const ProblemFacts facts = problem->Facts();
      const Vector start = RunStart(run, *problem);
      Vector grad(problem->dim());
      problem->Gradient(start, grad);
      const double delta = problem->Value(start) - problem->LowerBound();
      const ResolvedParameters r = ResolveParameters(run, *problem, noise.get());
      const OptimizerSettings& o = r.optimizer;
      const bool theory = run.schedule.kind == ScheduleKind::kTheory;
      const double step_factor = theory ? run.schedule.step_factor : 1.0;
      const double batch_factor = theory ? run.schedule.batch_factor : 1.0;
      const double clip_factor = theory ? run.schedule.clip_factor : 1.0;
      std::string row = cell.id + "," + std::to_string(budget) + "," +
                        std::string(ToString(o.method)) + "," + r.prescription + "," +
                        std::to_string(o.batch_size) + "," + std::to_string(o.accumulation) + "," +
                        std::to_string(r.iterations) + "," + std::to_string(r.samples);
      for (double v :
           {r.eta0, step_factor, batch_factor, clip_factor, o.clip_threshold, o.clip_scale,
            o.clip_power, r.sigma, run.p, facts.L, delta, facts.gradient_bound, grad.norm()}) {
        row += ',';
        row += ShortestText(v);
      }
      table += row + '\n';
    }
  }
  return table;
}

bool HasHittingTimes(const SweepConfig& config) {
  for (const Cell& cell : config.cells) {
    if (cell.run.stop_at_grad_norm > 0.0) return true;
  }
  return false;
}

std::string HittingTable(const SweepConfig& config) {
  std::string table = results_folder::HeaderLine(hitting_table::kColumns) + "\n";
  for (const Cell& cell : config.cells) {
    for (std::int64_t budget : config.budgets) {
      RunConfig run = cell.run;
      run.budget = budget;
      const std::unique_ptr<Problem> problem = MakeRunProblem(run);
      const ProblemFacts facts = problem->Facts();
      std::string row = cell.id + "," + std::to_string(budget);
      for (double v : {run.stop_at_grad_norm, facts.L0, facts.L1,
                       problem->LevelSetGradientBound(RunStart(run, *problem))}) {
        row += ',';
        row += ShortestText(v);
      }
      table += row + '\n';
    }
  }
  return table;
}

std::string ResultsHeader(const SweepConfig& config) {
  std::string h(results_folder::kCellColumn);
  for (const std::string& c : config.param_columns) h += "," + CsvField(c);
  h += "," + results_folder::HeaderLine(results_folder::kRunColumns);
  h += "," + results_folder::HeaderLine(results_folder::kCheckpointColumns);
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

void WriteSweepTables(const SweepConfig& config, const std::string& dir,
                      const std::string& command_line, const ResultsSummary& results) {
  std::string cells(results_folder::kCellColumn);
  for (const std::string& c : config.param_columns) cells += "," + CsvField(c);
  // The columns of results_folder::kCellColumns, in order.
  cells += "," + results_folder::HeaderLine(results_folder::kCellColumns) + "\n";
  for (const Cell& cell : config.cells) {
    std::string row = CellPrefix(config, cell);
    const RunConfig& r = cell.run;
    row += "," + CsvField(r.problem.kind) + "," + std::to_string(r.problem.dim) + "," +
           CsvField(r.noise_enabled ? noise::FormatNoiseSpec(r.noise) : std::string("none")) + "," +
           ShortestText(r.p) + "," + std::string(ToString(r.optimizer.method)) + "," +
           std::string(ToString(r.schedule.kind));
    cells += row + "," + CellNoiseId(config, cell) + "," + CsvField(cell.text) + "\n";
  }
  WriteFileAtomically(results_folder::PathIn(dir, results_folder::kCellsFile), cells);
  WriteFileAtomically(results_folder::PathIn(dir, resolved_table::kFileName),
                      ResolvedTable(config));
  if (HasHittingTimes(config)) {
    WriteFileAtomically(results_folder::PathIn(dir, hitting_table::kFileName),
                        HittingTable(config));
  }
  if (config.save_noise_norms > 0) WriteNoiseNormsTable(config, dir);

  FolderState state;
  ReadFolderState(dir, state);
  nlohmann::json manifest = {
      {"schema_version", results_folder::kSchemaVersion},
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
        {"runs", results.runs},
        {"rows", results.rows},
        {"diverged_runs", results.diverged}}},
      {"results",
       {{"file", results.file},
        {"order",
         "cells in grid order, budgets in file order, seeds ascending, checkpoints "
         "ascending"},
        {"bytes_uncompressed", results.bytes_uncompressed},
        {"xxh3_64", results.xxh3_64},
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
  WriteFileAtomically(results_folder::PathIn(dir, results_folder::kManifestFile),
                      manifest.dump(2) + "\n");
}

}  // namespace clipsim::sweep::detail
