// clipsim tune TUNING_DIR --template EVAL.yaml --out eval.yaml [--table tuning.md]
// [--tuned tuned.csv]: picks per method and budget the tuned setting from a tuning sweep
// (claims_tuning.hpp) and writes the evaluation sweep that runs every chosen setting on fresh
// seeds, the tuning table for the report, and the table of which setting was tuned for which
// budget (for a claim that compares, at each budget, the settings tuned for it).
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/claims/claims_tuning.hpp"
#include "clipsim/core/file_text.hpp"
#include "clipsim/core/input_error.hpp"
#include "command.hpp"

namespace clipsim::app {
namespace {

struct TuneArgs {
  std::string dir;
  std::string template_path;
  std::string out;
  std::string table;
  std::string tuned;
  std::string metric = "grad_norm_at_R";
};

void WriteText(const std::string& path, const std::string& text, const std::string& option) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError(option, path, "a writable file path");
  out << text;
}

int RunTune(const TuneArgs& args) {
  const std::string text = ReadFileText(args.template_path, "template sweep file (--template)");
  analysis::ReadOptions read;
  read.metrics = {args.metric};
  read.theorem_metric = args.metric;
  const analysis::SweepResults tuning = analysis::ReadSweepDir(args.dir, read);
  const claims::TuningResult chosen = claims::ChooseTuned(tuning, args.metric);
  WriteText(args.out, claims::EvaluationConfig(text, args.template_path, chosen), "--out");
  if (!args.table.empty()) {
    WriteText(args.table, claims::TuningMarkdown(chosen, args.dir), "--table");
  }
  if (!args.tuned.empty()) WriteText(args.tuned, claims::TunedTableCsv(chosen), "--tuned");
  for (const claims::TuningChoice& c : chosen.per_budget) {
    std::printf("%-14s N=%-8lld %s (median %s %.4g over %d seeds, %d candidates)\n",
                c.best.method.c_str(), static_cast<long long>(c.budget), c.best.label.c_str(),
                args.metric.c_str(), c.best.score, c.best.seeds, c.candidates);
  }
  std::printf("evaluation sweep: %s\n", args.out.c_str());
  return 0;
}

}  // namespace

void RegisterTune(CLI::App& root, Action& action) {
  auto args = std::make_shared<TuneArgs>();
  CLI::App* cmd = root.add_subcommand(
      "tune",
      "Pick per method and budget the best setting of a tuning sweep and write the evaluation "
      "sweep");
  cmd->add_option("dir", args->dir, "Tuning sweep folder")->required();
  cmd->add_option("--template", args->template_path,
                  "Evaluation sweep without optimizer/schedule/zip keys")
      ->required();
  cmd->add_option("--out", args->out, "Evaluation sweep file to write")->required();
  cmd->add_option("--table", args->table, "Markdown tuning table to write");
  cmd->add_option("--tuned", args->tuned,
                  "CSV to write: the setting tuned for each (method, budget) (claims' `tuned`)");
  cmd->add_option("--metric", args->metric, "Metric minimized (its median, at each budget)")
      ->capture_default_str();
  cmd->callback([args, &action] { action = [args] { return RunTune(*args); }; });
}

}  // namespace clipsim::app
