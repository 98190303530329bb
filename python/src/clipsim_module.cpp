// clipsim._clipsim: the compiled part of the Python package clipsim (python/clipsim/), over the
// libraries the clipsim program uses, so that Python gets the CLI's draws, facts, runs, sweeps,
// results folders and messages. Every InputError becomes clipsim.InputError, a subclass of
// ValueError with the CLI's text; the long computations (draws, quadrature, runs, sweeps, reading
// a results folder) release the GIL.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "clipsim/analysis/csv.hpp"
#include "clipsim/analysis/report.hpp"
#include "clipsim/analysis/sweep_analysis.hpp"
#include "clipsim/analysis/sweep_results.hpp"
#include "clipsim/core/input_error.hpp"
#include "clipsim/core/number_parse.hpp"
#include "clipsim/core/results_folder.hpp"
#include "clipsim/core/types.hpp"
#include "clipsim/core/yaml_input.hpp"
#include "clipsim/noise/noise_model.hpp"
#include "clipsim/noise/noise_spec.hpp"
#include "clipsim/noise/sample_stream.hpp"
#include "clipsim/noise/stable_distribution.hpp"
#include "clipsim/plots/sweep_plots.hpp"
#include "clipsim/sim/checkpoint.hpp"
#include "clipsim/sim/run.hpp"
#include "clipsim/sim/run_config.hpp"
#include "clipsim/sweep/config.hpp"
#include "clipsim/sweep/engine.hpp"
#include "clipsim/theory/registry.hpp"

namespace py = pybind11;

namespace clipsim::python {
namespace {

constexpr std::int64_t kMaxDim = std::int64_t{1} << 24;  // as `clipsim sample --dim`

std::unique_ptr<noise::NoiseModel> MakeModel(const std::string& spec,
                                             const std::optional<std::string>& shape) {
  const noise::NoiseSpec parsed = noise::ParseNoiseSpec(spec);
  return noise::MakeNoise(shape ? noise::WithShape(parsed, *shape, "shape") : parsed);
}

py::array_t<double> Sample(const std::string& spec, std::int64_t size, std::int64_t dim,
                           const std::optional<std::string>& shape, std::uint64_t seed) {
  if (size < 0) throw InputError("size", std::to_string(size), "must be an integer >= 0");
  if (dim < 1 || dim > kMaxDim) {
    throw InputError("dim", std::to_string(dim),
                     "must be an integer in [1, " + std::to_string(kMaxDim) + "]");
  }
  const std::unique_ptr<noise::NoiseModel> model = MakeModel(spec, shape);
  py::array_t<double> out = dim == 1 ? py::array_t<double>(py::ssize_t{size})
                                     : py::array_t<double>({py::ssize_t{size}, py::ssize_t{dim}});
  double* data = out.mutable_data();
  {
    py::gil_scoped_release release;
    noise::SampleStream(*model, seed, dim).Fill(Eigen::Map<Batch>(data, size, dim));
  }
  return out;
}

noise::MomentValue Moment(const std::string& spec, double p, int dim) {
  const std::unique_ptr<noise::NoiseModel> model = MakeModel(spec, std::nullopt);
  py::gil_scoped_release release;
  return model->Moment(p, dim);
}

// One run: the CSV text that `clipsim run` writes (sim::CheckpointTable) and the run's report.
// config_file: the YAML file to load, or "" to parse `text` (labelled `label` in messages).
py::dict Run(const std::string& config_file, const std::string& text, const std::string& label,
             std::uint64_t seed, std::optional<std::uint64_t> master_seed) {
  std::string csv;
  sim::RunSummary summary;
  {
    py::gil_scoped_release release;
    const sim::RunConfig config = config_file.empty()
                                      ? sim::ParseRunConfig(yaml::Parse(text, label), label)
                                      : sim::LoadRunConfig(config_file);
    const sim::PreparedRun run(config);
    summary = run.Run(master_seed.value_or(config.master_seed), seed);
    csv = sim::CheckpointTable(summary.checkpoints);
  }
  py::dict out;
  out["csv"] = csv;
  out["termination"] = std::string(sim::ToString(summary.termination));
  out["message"] = summary.message;
  out["report"] = summary.BriefReport();
  return out;
}

// A sweep (clipsim.sweep): sweep::RunSweep, the engine of `clipsim sweep`, in a thread of its own
// while the calling thread, holding the GIL only for that, checks for signals every 100 ms. On
// Ctrl-C (KeyboardInterrupt, or any exception a signal handler raises) it sets the engine's stop
// flag, waits until the workers have finished their current runs and committed the finished
// chunks, and raises KeyboardInterrupt saying how much is committed: calling again resumes.
// config_file: the sweep file to load, or "" to parse `text` (a dict's YAML, labelled `label` in
// messages). on_progress: None, or a callable(done, total) that the engine's coordinating thread
// calls (SweepOptions::on_progress) with the GIL taken for the call only; an exception it raises
// is reported as unraisable and the sweep goes on.
py::dict Sweep(const std::string& config_file, const std::string& text, const std::string& label,
               const std::string& out, int threads, bool progress, const std::string& command_line,
               const py::object& on_progress) {
  std::atomic<bool> stop{false};
  sweep::SweepOptions options;
  options.out_dir = out;
  options.threads = threads;
  options.progress = progress;
  options.command_line = command_line;
  options.stop = &stop;
  if (!on_progress.is_none()) {
    // By pointer: on_progress outlives the engine (this function waits for it), and the engine's
    // copies of the std::function must not copy or destroy a Python object without the GIL.
    const py::object* callback = &on_progress;
    options.on_progress = [callback](std::int64_t done, std::int64_t total) {
      py::gil_scoped_acquire gil;
      try {
        (*callback)(done, total);
      } catch (py::error_already_set& e) {
        e.discard_as_unraisable("clipsim.sweep's progress callback");
      }
    };
  }
  std::future<sweep::SweepReport> done;
  {
    py::gil_scoped_release release;
    // Validated here, so that a bad config raises before any thread starts.
    auto config = std::make_shared<const sweep::SweepConfig>(
        config_file.empty() ? sweep::ParseSweepConfig(text, label)
                            : sweep::LoadSweepConfig(config_file));
    done = std::async(std::launch::async,
                      [config, options] { return sweep::RunSweep(*config, options); });
  }
  std::optional<py::error_already_set> signal;
  while (true) {
    bool finished = false;
    {
      py::gil_scoped_release release;
      finished = done.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
    }
    if (finished) break;
    if (PyErr_CheckSignals() != 0) {
      signal.emplace();  // takes the pending exception (KeyboardInterrupt)
      stop.store(true);
      py::gil_scoped_release release;
      done.wait();
      break;
    }
  }
  sweep::SweepReport report;
  {
    // get() rethrows the engine's exception (InputError -> clipsim.InputError); the GIL is
    // released meanwhile since the engine's exception may need no Python at all.
    py::gil_scoped_release release;
    report = done.get();
  }
  if (signal) {
    if (!signal->matches(PyExc_KeyboardInterrupt) || !report.interrupted) throw *signal;
    const std::string message =
        "sweep interrupted; " + std::to_string(report.size.already_done + report.runs_now) +
        " of " + std::to_string(report.size.runs) + " runs are committed in " + out +
        ". Call clipsim.sweep again with the same arguments to resume";
    PyErr_SetString(PyExc_KeyboardInterrupt, message.c_str());
    throw py::error_already_set();
  }
  py::dict result;
  result["complete"] = report.complete;
  result["runs"] = report.size.runs;
  result["runs_now"] = report.runs_now;
  result["diverged_now"] = report.diverged_now;
  result["already_done"] = report.size.already_done;
  result["damaged_chunks"] = report.damaged_chunks;
  result["results_path"] = report.results_path;
  result["seconds"] = report.seconds;
  return result;
}

// A results folder (clipsim.load), read by analysis::ReadSweepDir and ReadTimings, as columns:
// "results" (one entry per run: cell, the parameter columns as text, budget, seed and every
// metric's final value, +inf for a diverged run), "cells" (cells.csv's columns as text) and
// "timings" (per cell and budget); pandas frames are made in python/clipsim/sweeps.py.
py::dict Load(const std::string& dir, const std::vector<std::string>& metrics) {
  analysis::SweepResults results;
  std::vector<analysis::CellTiming> timings;
  {
    py::gil_scoped_release release;
    analysis::ReadOptions options;
    options.metrics = metrics;
    results = analysis::ReadSweepDir(dir, options);
    timings = analysis::ReadTimings(dir);
  }
  py::ssize_t runs = 0;
  for (const analysis::CellResults& c : results.cells) {
    for (const analysis::BudgetRuns& b : c.budgets)
      runs += static_cast<py::ssize_t>(b.seeds.size());
  }
  py::list cell;
  std::vector<py::list> params(results.param_columns.size());
  py::array_t<std::int64_t> budget(runs);
  py::array_t<std::uint64_t> seed(runs);
  std::vector<py::array_t<double>> finals;
  for (std::size_t m = 0; m < results.metrics.size(); ++m) finals.emplace_back(runs);
  py::ssize_t row = 0;
  for (const analysis::CellResults& c : results.cells) {
    for (const analysis::BudgetRuns& b : c.budgets) {
      for (std::size_t i = 0; i < b.seeds.size(); ++i, ++row) {
        cell.append(c.info.id);
        for (std::size_t k = 0; k < params.size(); ++k) params[k].append(c.info.params[k]);
        budget.mutable_at(row) = b.budget;
        seed.mutable_at(row) = b.seeds[i];
        for (std::size_t m = 0; m < finals.size(); ++m) finals[m].mutable_at(row) = b.finals[m][i];
      }
    }
  }
  py::list columns;  // (name, values) in order
  columns.append(py::make_tuple(std::string(results_folder::kCellColumn), cell));
  for (std::size_t k = 0; k < params.size(); ++k) {
    columns.append(py::make_tuple(results.param_columns[k], params[k]));
  }
  columns.append(py::make_tuple(std::string(results_folder::kRunColumns[0]), budget));
  columns.append(py::make_tuple(std::string(results_folder::kRunColumns[1]), seed));
  for (std::size_t m = 0; m < finals.size(); ++m) {
    columns.append(py::make_tuple(results.metrics[m], finals[m]));
  }

  // cells.csv: every column of every cell, in the first cell's column order.
  py::list cell_columns;
  if (!results.cells.empty()) {
    for (const auto& [name, value] : results.cells.front().info.columns) {
      py::list values;
      for (const analysis::CellResults& c : results.cells) {
        std::string text;
        for (const auto& [other, v] : c.info.columns) {
          if (other == name) text = v;
        }
        values.append(text);
      }
      cell_columns.append(py::make_tuple(name, values));
    }
  }

  py::list timing_cell;
  py::list timing_budget;
  py::list timing_median;
  py::list timing_runs;
  for (const analysis::CellTiming& t : timings) {
    timing_cell.append(t.cell);
    timing_budget.append(t.budget);
    timing_median.append(t.median_seconds);
    timing_runs.append(t.runs);
  }
  py::list timing_columns;
  timing_columns.append(py::make_tuple("cell", timing_cell));
  timing_columns.append(py::make_tuple("budget", timing_budget));
  timing_columns.append(py::make_tuple("median_seconds", timing_median));
  timing_columns.append(py::make_tuple("runs", timing_runs));

  py::dict out;
  out["results"] = columns;
  out["cells"] = cell_columns;
  out["timings"] = timing_columns;
  out["param_columns"] = results.param_columns;
  out["metrics"] = results.metrics;
  out["results_file"] = results.results_file;
  out["manifest"] = results.manifest_summary;
  return out;
}

// A column of a table clipsim wrote, typed by its values (read with core/number_parse.hpp, the
// parser of every clipsim file): ids (16 hex digits, core/number_text.hpp's Hex16) stay text;
// integers become int64; numbers, with "inf"/"nan" and empty fields (NaN), float64; anything else
// stays text.
py::object TypedColumn(const std::vector<std::string>& values) {
  bool ids = !values.empty();
  bool integers = !values.empty();
  bool numbers = true;
  std::uint64_t hex = 0;
  std::int64_t i = 0;
  double d = 0.0;
  for (const std::string& v : values) {
    ids = ids && ParseHex16(v, hex);
    integers = integers && ParseInt64(v, i);
    numbers = numbers && (v.empty() || ParseDouble(v, d, NumberSyntax::kResults));
  }
  const auto n = static_cast<py::ssize_t>(values.size());
  if (!ids && integers) {
    py::array_t<std::int64_t> out(n);
    for (py::ssize_t k = 0; k < n; ++k) {
      ParseInt64(values[static_cast<std::size_t>(k)], out.mutable_at(k));
    }
    return out;
  }
  if (!ids && numbers && !values.empty()) {
    py::array_t<double> out(n);
    for (py::ssize_t k = 0; k < n; ++k) {
      const std::string& v = values[static_cast<std::size_t>(k)];
      double& x = out.mutable_at(k);
      if (v.empty() || !ParseDouble(v, x, NumberSyntax::kResults)) {
        x = std::numeric_limits<double>::quiet_NaN();
      }
    }
    return out;
  }
  return py::cast(values);
}

// The analysis tables of `dir` (written by `clipsim analyze`, analysis/report.hpp names them):
// {"tables": [(name without .csv, [(column, values)...])...] for each file present, "summary":
// summary.md's text or None, "found": whether the folder exists}. Read with analysis' CSV reader.
py::dict LoadAnalysis(const std::string& dir) {
  namespace fs = std::filesystem;
  struct Table {
    std::string name;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> columns;
  };
  std::vector<Table> tables;
  std::optional<std::string> summary;
  const bool found = fs::is_directory(dir);
  {
    py::gil_scoped_release release;
    for (std::string_view file : analysis::kAnalysisTables) {
      const std::string path = dir + "/" + std::string(file);
      if (!fs::exists(path)) continue;
      const std::string text = analysis::ReadFileMaybeGzip(path);
      analysis::CsvReader reader(text, path);
      std::vector<std::string_view> fields;
      Table t;
      t.name = fs::path(file).stem().string();
      if (!reader.Next(fields)) throw InputError("the file is empty (no header)", {path, 1, 0});
      t.header.assign(fields.begin(), fields.end());
      t.columns.resize(t.header.size());
      while (reader.Next(fields)) {
        analysis::RequireFieldCount(reader, fields.size(), t.header.size());
        for (std::size_t k = 0; k < fields.size(); ++k) t.columns[k].emplace_back(fields[k]);
      }
      tables.push_back(std::move(t));
    }
    const std::string summary_path = dir + "/" + std::string(analysis::kSummaryFile);
    if (fs::exists(summary_path)) summary = analysis::ReadFileMaybeGzip(summary_path);
  }
  py::list out_tables;
  for (const Table& t : tables) {
    py::list columns;
    for (std::size_t k = 0; k < t.header.size(); ++k) {
      columns.append(py::make_tuple(t.header[k], TypedColumn(t.columns[k])));
    }
    out_tables.append(py::make_tuple(t.name, columns));
  }
  py::dict out;
  out["tables"] = out_tables;
  out["summary"] = summary ? py::object(py::str(*summary)) : py::object(py::none());
  out["found"] = found;
  return out;
}

// The options of `clipsim analyze` and `clipsim plot` (app/src/analysis_args.hpp), exposed to
// Python under the CLI's option names (AnalysisCall below), so that clipsim.analyze(out,
// bootstrap=500) is `clipsim analyze OUT --bootstrap 500`; AnalysisOptions::Validate checks them,
// as for the CLI.
struct AnalysisCall {
  analysis::AnalysisOptions options;
  std::vector<std::string> metrics;  // empty: every metric column

  // What app/src/cmd_analyze.cpp and cmd_plot.cpp do first: read the folder, analyse it.
  std::pair<analysis::SweepResults, analysis::SweepAnalysis> Analyze(const std::string& dir) const {
    analysis::ReadOptions read;
    read.metrics = metrics;
    read.theorem_metric = options.theorem_metric;
    analysis::SweepResults results = analysis::ReadSweepDir(dir, read);
    analysis::SweepAnalysis a = analysis::AnalyzeSweep(results, options);
    return {std::move(results), std::move(a)};
  }
};

// clipsim.analyze: `clipsim analyze DIR [--out OUT_DIR]`; returns the verdict table it prints and
// the files written.
py::dict Analyze(const std::string& dir, const std::string& out_dir, const AnalysisCall& call) {
  std::string table;
  std::vector<std::string> files;
  {
    py::gil_scoped_release release;
    const auto [results, a] = call.Analyze(dir);
    files = analysis::WriteAnalysisReport(a, out_dir);
    table = analysis::VerdictTable(a);
  }
  py::dict out;
  out["verdict_table"] = table;
  out["files"] = files;
  return out;
}

// clipsim.plot: `clipsim plot DIR [--out OUT_DIR] [--no-render]`; returns the figures' files.
py::dict Plot(const std::string& dir, const std::string& out_dir, bool render,
              const AnalysisCall& call) {
  plots::PlotReport report;
  {
    py::gil_scoped_release release;
    const auto [results, a] = call.Analyze(dir);
    plots::PlotOptions options;
    options.render = render;
    report = plots::WriteSweepPlots(results, a, out_dir, options);
  }
  py::list figures;
  for (const plots::FigureFiles& f : report.figures) {
    py::dict figure;
    figure["name"] = f.name;
    figure["caption"] = f.caption;
    figure["png"] = f.png;
    figure["pdf"] = f.pdf;
    figure["script"] = f.script;
    figure["data"] = f.data;
    figure["error"] = f.error;
    figures.append(figure);
  }
  py::dict out;
  out["figures"] = figures;
  out["index"] = report.index;
  out["note"] = report.note;
  return out;
}

void DefineAnalysis(py::module_& m) {
  // Each property is one option of app/src/analysis_args.hpp, under its name there.
  py::class_<AnalysisCall>(m, "_AnalysisCall")
      .def(py::init<>())
      .def_property(
          "deltas", [](const AnalysisCall& c) { return c.options.deltas; },
          [](AnalysisCall& c, std::vector<double> v) { c.options.deltas = std::move(v); })
      .def_property(
          "confidence", [](const AnalysisCall& c) { return c.options.confidence; },
          [](AnalysisCall& c, double v) { c.options.confidence = v; })
      .def_property(
          "verdict_confidence", [](const AnalysisCall& c) { return c.options.verdict.confidence; },
          [](AnalysisCall& c, double v) { c.options.verdict.confidence = v; })
      .def_property(
          "margin", [](const AnalysisCall& c) { return c.options.verdict.margin; },
          [](AnalysisCall& c, double v) { c.options.verdict.margin = v; })
      .def_property(
          "bootstrap", [](const AnalysisCall& c) { return c.options.bootstrap_resamples; },
          [](AnalysisCall& c, int v) { c.options.bootstrap_resamples = v; })
      .def_property(
          "bootstrap_seed", [](const AnalysisCall& c) { return c.options.bootstrap_seed; },
          [](AnalysisCall& c, std::uint64_t v) { c.options.bootstrap_seed = v; })
      .def_readwrite("metrics", &AnalysisCall::metrics)
      .def_property(
          "theorem_metric", [](const AnalysisCall& c) { return c.options.theorem_metric; },
          [](AnalysisCall& c, std::string v) { c.options.theorem_metric = std::move(v); })
      .def_property(
          "hp_metric", [](const AnalysisCall& c) { return c.options.hp_metric; },
          [](AnalysisCall& c, std::string v) { c.options.hp_metric = std::move(v); })
      .def_property(
          "threads", [](const AnalysisCall& c) { return c.options.threads; },
          [](AnalysisCall& c, int v) { c.options.threads = v; })
      .def_property(
          "min_steps", [](const AnalysisCall& c) { return c.options.regime.min_steps; },
          [](AnalysisCall& c, std::int64_t v) { c.options.regime.min_steps = v; })
      .def_property(
          "max_bound_ratio", [](const AnalysisCall& c) { return c.options.regime.max_bound_ratio; },
          [](AnalysisCall& c, double v) { c.options.regime.max_bound_ratio = v; })
      .def_property(
          "slope_tolerance", [](const AnalysisCall& c) { return c.options.regime.slope_tolerance; },
          [](AnalysisCall& c, double v) { c.options.regime.slope_tolerance = v; })
      .def_property(
          "min_clipped", [](const AnalysisCall& c) { return c.options.regime.min_clipped_per_run; },
          [](AnalysisCall& c, double v) { c.options.regime.min_clipped_per_run = v; })
      .def_property(
          "min_rate_budgets",
          [](const AnalysisCall& c) { return c.options.regime.min_rate_budgets; },
          [](AnalysisCall& c, int v) { c.options.regime.min_rate_budgets = v; })
      .def_property(
          "min_rate_span", [](const AnalysisCall& c) { return c.options.regime.min_rate_span; },
          [](AnalysisCall& c, double v) { c.options.regime.min_rate_span = v; });
  m.def("_analyze", &Analyze, py::arg("dir"), py::arg("out_dir"), py::arg("call"),
        "`clipsim analyze` (use clipsim.analyze).");
  m.def("_plot", &Plot, py::arg("dir"), py::arg("out_dir"), py::arg("render"), py::arg("call"),
        "`clipsim plot` (use clipsim.plot).");
}

// f of the stable law at x: a float for a number, else a float64 array of x's shape (evaluated
// with the GIL released).
py::object EvalStable(const py::object& x, const noise::StableLaw& law,
                      double (noise::StableLaw::*f)(double) const) {
  if (py::isinstance<py::float_>(x) || py::isinstance<py::int_>(x)) {
    return py::float_((law.*f)(x.cast<double>()));
  }
  const auto in = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(x);
  if (!in) throw py::type_error("x must be a number or an array of numbers");
  py::array_t<double> out(in.request().shape);
  const double* from = in.data();
  double* to = out.mutable_data();
  const py::ssize_t n = in.size();
  {
    py::gil_scoped_release release;
    for (py::ssize_t i = 0; i < n; ++i) to[i] = (law.*f)(from[i]);
  }
  return out;
}

void DefineNoise(py::module_& m) {
  m.def("sample", &Sample, py::arg("spec"), py::arg("size"), py::arg("dim") = 1,
        py::arg("shape") = py::none(), py::arg("seed") = 1,
        R"(Draws from a noise model, the same numbers as `clipsim sample`.

spec:  a noise spec, e.g. "kind=stable,alpha=1.5,skew=0.3,scale=1" (configs/README.md lists the
       kinds and keys).
size:  number of draws (rows), >= 0.
dim:   coordinates of each draw, in [1, 2^24].
shape: overrides the spec's vector shape: "iid", "isotropic" (stable) or "radial" (pareto); for a
       contaminated law the shape of its `other` part. None keeps the spec's.
seed:  seed of the generator (as `clipsim sample --seed`).

Returns a float64 array of shape (size,) when dim == 1, else (size, dim): bit for bit the
numbers `clipsim sample --noise SPEC --count SIZE --dim DIM [--shape SHAPE] --seed SEED` prints.
Raises clipsim.InputError (a ValueError) naming the key for a bad spec or argument.)");

  m.def(
      "moment",
      [](const std::string& spec, double p, int dim) { return Moment(spec, p, dim).value; },
      py::arg("spec"), py::arg("p"), py::arg("dim") = 1,
      R"(E||xi||^p for a noise vector xi of dimension dim with the spec's law and shape.

The raw moment (loc included); inf where p >= the tail index. Closed forms where they exist,
otherwise numerical integration (10-50 ms; see moment_detail for its error bound).
Raises clipsim.InputError (a ValueError) for a bad spec, p <= 0 or dim < 1.)");

  m.def(
      "moment_detail",
      [](const std::string& spec, double p, int dim) {
        const noise::MomentValue v = Moment(spec, p, dim);
        py::dict out;
        out["value"] = v.value;
        out["error_bound"] = v.error_bound;
        out["exact"] = v.exact;
        return out;
      },
      py::arg("spec"), py::arg("p"), py::arg("dim") = 1,
      R"(E||xi||^p as moment(), with how it was computed: a dict with `value`, `error_bound`
(absolute; 0 for closed forms) and `exact` (True for a closed form, False for quadrature).)");

  m.def(
      "sigma",
      [](const std::string& spec, double p, int dim) {
        const std::unique_ptr<noise::NoiseModel> model = MakeModel(spec, std::nullopt);
        py::gil_scoped_release release;
        return model->Sigma(p, dim);
      },
      py::arg("spec"), py::arg("p"), py::arg("dim") = 1,
      R"(sigma(p) = E||xi||^p ^ (1/p): the sigma of the theory's assumption E||xi||^p <= sigma^p,
which sets the default clipping thresholds and the theory schedule. inf where p >= the tail
index. Raises clipsim.InputError (a ValueError) for a bad spec, p <= 0 or dim < 1.)");

  m.def(
      "tail_index",
      [](const std::string& spec) { return MakeModel(spec, std::nullopt)->TailIndex(); },
      py::arg("spec"),
      R"(The tail index sup{p : E|xi|^p < inf} of the spec's law; inf for light tails.)");

  m.def(
      "stable_cdf",
      [](const py::object& x, double alpha, double skew, double scale, double loc) {
        return EvalStable(x, {alpha, skew, scale, loc}, &noise::StableLaw::Cdf);
      },
      py::arg("x"), py::arg("alpha"), py::arg("skew") = 0.0, py::arg("scale") = 1.0,
      py::arg("loc") = 0.0,
      R"(P(X <= x) for the alpha-stable law in the S1 parameterization (scipy's levy_stable with
parameterization "S1"): alpha in (0, 2], skew in [-1, 1], scale > 0, loc. Nolan's integral with
Boost quadrature, about 1e-12 absolute accuracy and 30-60 us per value.
x: a number (returns a float) or an array-like (returns a float64 array of its shape).
Raises clipsim.InputError (a ValueError) naming a parameter out of its range.)");
  m.def(
      "stable_sf",
      [](const py::object& x, double alpha, double skew, double scale, double loc) {
        return EvalStable(x, {alpha, skew, scale, loc}, &noise::StableLaw::Sf);
      },
      py::arg("x"), py::arg("alpha"), py::arg("skew") = 0.0, py::arg("scale") = 1.0,
      py::arg("loc") = 0.0,
      R"(P(X > x) for the S1 alpha-stable law, computed directly (accurate far in the right
tail). Arguments as stable_cdf.)");
  m.def(
      "stable_pdf",
      [](const py::object& x, double alpha, double skew, double scale, double loc) {
        return EvalStable(x, {alpha, skew, scale, loc}, &noise::StableLaw::Pdf);
      },
      py::arg("x"), py::arg("alpha"), py::arg("skew") = 0.0, py::arg("scale") = 1.0,
      py::arg("loc") = 0.0, R"(The density of the S1 alpha-stable law. Arguments as stable_cdf.)");
}

// The registry entry of `method`; an unknown method is refused naming the entries.
const theory::TheoryEntry& TheoryEntry(const std::string& method) {
  const theory::TheoryEntry* entry = theory::FindTheory(method);
  if (entry == nullptr) {
    throw InputError("method", method,
                     "must be a theory-registry entry (" + theory::TheoryMethodList() + ")");
  }
  return *entry;
}

theory::TheoryInputs TheoryInputs(double L, double delta, double sigma, double p,
                                  std::int64_t budget) {
  theory::TheoryInputs in;
  in.L = L;
  in.delta = delta;
  in.sigma = sigma;
  in.p = p;
  in.budget = budget;
  return in;
}

py::dict PrescriptionDict(const theory::Prescription& pr) {
  py::dict out;
  out["batch_size"] = pr.batch_size;
  out["iterations"] = pr.iterations;
  out["eta"] = pr.eta;
  out["clip_threshold"] = pr.clip_threshold;
  out["clip_scale"] = pr.clip_scale;
  out["clip_power"] = pr.clip_power;
  out["formula"] = pr.formula;
  return out;
}

void DefineTheory(py::module_& m) {
  m.def(
      "methods",
      [] {
        std::vector<std::string> out;
        for (const theory::TheoryEntry& e : theory::TheoryEntries()) out.emplace_back(e.method);
        return out;
      },
      R"(The methods the theory registry covers, in its order ("ps_clip_sgd", "clip_sgd", "sgd").)");

  m.def(
      "entry",
      [](const std::string& method) {
        const theory::TheoryEntry& e = TheoryEntry(method);
        py::dict out;
        out["method"] = std::string(e.method);
        out["assumptions"] = std::string(e.assumptions);
        out["source"] = std::string(e.source);
        out["min_p"] = e.min_p;
        out["max_p"] = e.max_p;
        out["min_p_inclusive"] = e.min_p_inclusive;
        return out;
      },
      py::arg("method"),
      R"(What the registry says of a method: a dict with `method`, `assumptions` (the exact
statement), `source` (paper and result, or the section of analysis/THEORY.md), and the range of p
it covers: (min_p, max_p], or [min_p, max_p] when `min_p_inclusive`.
Raises clipsim.InputError (a ValueError) for a method the registry does not have.)");

  m.def(
      "slope", [](const std::string& method, double p) { return TheoryEntry(method).Slope(p); },
      py::arg("method"), py::arg("p"),
      R"(The exponent s of the predicted rate E||grad f(x_R)|| ~ N^s: -(p-1)/(3p-2).)");

  m.def(
      "prescribe",
      [](const std::string& method, double L, double delta, double sigma, double p,
         std::int64_t budget) {
        return PrescriptionDict(
            TheoryEntry(method).Prescribe(TheoryInputs(L, delta, sigma, p, budget)));
      },
      py::arg("method"), py::arg("L"), py::arg("delta"), py::arg("sigma"), py::arg("p"),
      py::arg("budget"),
      R"(What the method's theorem prescribes for a budget of N sampled gradients: the parameters
that `schedule: {kind: theory}` runs with (before any step_factor, batch_factor, clip_factor).

method: a registry entry (methods()): "ps_clip_sgd", "clip_sgd" or "sgd".
L:      the problem's Lipschitz constant of grad f, > 0 (resolved.csv's L).
delta:  f(x_0) - f_low, > 0 (resolved.csv's delta).
sigma:  sigma(p) = (E||xi||^p)^(1/p) of one sample's noise, > 0 (clipsim.noise.sigma;
        resolved.csv's sigma).
p:      the moment order, in the entry's range (entry(method)).
budget: N, sampled gradients, >= 1.

Returns a dict: batch_size (n), iterations (T = floor(N / n)), eta (the constant step),
clip_threshold (clip_sgd; NaN otherwise), clip_scale and clip_power (ps_clip_sgd: lambda_k =
clip_scale * k^(1/clip_power); NaN otherwise) and formula (the prescription in words).
Raises clipsim.InputError (a ValueError) naming the input out of its range.)");

  m.def(
      "bound",
      [](const std::string& method, double L, double delta, double sigma, double p,
         std::int64_t budget, double gradient_bound, std::optional<double> failure_probability) {
        const theory::TheoryEntry& e = TheoryEntry(method);
        theory::BoundInputs in;
        in.theory = TheoryInputs(L, delta, sigma, p, budget);
        in.gradient_bound = gradient_bound;
        const theory::TheoryBound b = failure_probability
                                          ? e.HighProbabilityBound(in, *failure_probability)
                                          : e.ExpectationBound(in);
        py::dict out;
        out["available"] = b.available;
        out["why_not"] = b.why_not;
        out["value"] = b.value;
        out["optimization"] = b.optimization;
        out["noise"] = b.noise;
        out["prescription"] = PrescriptionDict(b.prescription);
        return out;
      },
      py::arg("method"), py::arg("L"), py::arg("delta"), py::arg("sigma"), py::arg("p"),
      py::arg("budget"), py::arg("gradient_bound") = std::numeric_limits<double>::infinity(),
      py::arg("failure_probability") = py::none(),
      R"(The method's bound, with its constants, at its own prescription (prescribe()): the bound
`clipsim analyze` checks (bounds.csv's `bound`; analysis/THEORY.md Part II).

method, L, delta, sigma, p, budget: as prescribe().
gradient_bound:      G = sup ||grad f|| of the problem, >= 0 (resolved.csv's gradient_bound);
                     inf (the default) when it has none: then the clipped methods have no bound.
failure_probability: None for the in-expectation bound on sqrt((1/T) sum_t E||grad f(x_t)||^2);
                     a number in (0, 1) for the bound that holds with probability >= 1 - it on
                     sqrt((1/T) sum_t ||grad f(x_t)||^2) (sgd has none).

Returns a dict: available (False where a premise fails; why_not says which), value =
sqrt(optimization + noise), optimization (2 Delta / (eta T)), noise (the estimator term) and
prescription (as prescribe()). Raises clipsim.InputError (a ValueError) for inputs out of range.)");
}

}  // namespace
}  // namespace clipsim::python

PYBIND11_MODULE(_clipsim, m) {
  using namespace clipsim::python;  // NOLINT(google-build-using-namespace)
  m.doc() = "The compiled part of the clipsim package; use it through `import clipsim`.";
  py::register_exception<clipsim::InputError>(m, "InputError", PyExc_ValueError);

  py::module_ noise = m.def_submodule("noise", "Noise models: draws and exact facts.");
  DefineNoise(noise);
  py::module_ theory = m.def_submodule(
      "theory", "The theory registry: prescriptions and bounds (theory/registry.hpp).");
  DefineTheory(theory);

  m.def("_run", &Run, py::arg("config_file"), py::arg("text"), py::arg("label"), py::arg("seed"),
        py::arg("master_seed") = py::none(),
        "One run (use clipsim.run): a dict with the checkpoints' CSV text, termination, message "
        "and report.");
  m.def("_sweep", &Sweep, py::arg("config_file"), py::arg("text"), py::arg("label"), py::arg("out"),
        py::arg("threads"), py::arg("progress"), py::arg("command_line"), py::arg("on_progress"),
        "A sweep (use clipsim.sweep): a dict with complete, runs, runs_now, diverged_now, "
        "already_done, damaged_chunks, results_path and seconds.");
  m.def("_load", &Load, py::arg("dir"), py::arg("metrics"),
        "A results folder's columns (use clipsim.load).");
  m.def("_load_analysis", &LoadAnalysis, py::arg("dir"),
        "An analysis folder's tables (use clipsim.load).");
  DefineAnalysis(m);
  m.attr("_analysis_folder") = std::string(clipsim::analysis::kAnalysisFolder);
  m.attr("_plots_folder") = std::string(clipsim::plots::kPlotsFolder);
  py::list tables;
  for (std::string_view file : clipsim::analysis::kAnalysisTables) {
    tables.append(std::filesystem::path(file).stem().string());
  }
  m.attr("_analysis_tables") = tables;
}
