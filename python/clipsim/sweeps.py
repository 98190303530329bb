"""Sweeps from Python: clipsim.sweep runs the engine of `clipsim sweep` (the same folder, byte for
byte, resumable), clipsim.load reads a results folder through the reader of `clipsim analyze`
(analysis::ReadSweepDir), so Python never parses the folder's files itself."""

import dataclasses
import json
import os

from . import _clipsim


@dataclasses.dataclass(frozen=True)
class SweepReport:
    """What one call of clipsim.sweep did.

    complete:     every run of the sweep is committed and the results files are written.
    runs:         runs of the whole sweep (cells x budgets x seeds).
    runs_now:     runs computed by this call (0 when the folder was complete already).
    diverged_now: of those, runs that diverged (data, not errors).
    already_done: runs committed before this call.
    results_path: results.csv (or results.csv.gz) when complete, else "".
    seconds:      wall-clock time of this call.
    """
    complete: bool
    runs: int
    runs_now: int
    diverged_now: int
    already_done: int
    results_path: str
    seconds: float


def _dict_text(config):
    """The YAML text of a config given as a dict, for the CLI's YAML loader: YAML is a superset of
    JSON, and one key a line makes the loader's messages point at the key."""
    return json.dumps(config, indent=2, allow_nan=False)


class _TqdmProgress:
    """clipsim.sweep's tqdm bar, made at the engine's first report (which gives the total and the
    runs committed before this call)."""

    def __init__(self, tqdm):
        self._tqdm = tqdm
        self._bar = None

    def __call__(self, done, total):
        if self._bar is None:
            self._bar = self._tqdm(total=total, initial=done, unit="run", desc="clipsim.sweep")
        else:
            self._bar.update(done - self._bar.n)

    def close(self):
        if self._bar is not None:
            self._bar.close()


def _tqdm_progress():
    """A _TqdmProgress where tqdm is installed (tqdm.auto: a widget in Jupyter), else None."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return _TqdmProgress(tqdm)


def sweep(config, out, threads=None, progress=True):
    """Runs a sweep, as `clipsim sweep CONFIG --out OUT [--threads N]`, and returns a SweepReport.

    config:   the path of a sweep file (YAML; configs/README.md), or a dict with the same keys,
              e.g. {"seeds": 100, "budgets": [1000, 10000], "problem": {"kind": "quadratic"},
              ...}: checked by the same loader, with the same messages (naming "<dict>", the
              line of its JSON text and the key). The folder keeps a copy of the config's text
              (OUT/sweep.yaml) that resuming, growing and `clipsim merge` read; a dict's copy is
              its JSON text, which is YAML.
    out:      the output folder, created; a folder of the same config resumes (only `seeds` and
              `budgets` may grow), another config's folder is refused.
    threads:  worker threads; None uses every core.
    progress: True: a tqdm bar where tqdm is installed (a widget in Jupyter), else the engine's
              own progress line on stderr (a bar on a terminal, else a line every few seconds);
              False: none; a callable: called as progress(done, total) with the runs done of the
              whole sweep and their total, at most every 200 ms and once at the end.

    The folder is the CLI's, results.csv byte for byte. The engine runs with the GIL released.
    Ctrl-C (KeyboardInterrupt) stops it cleanly: the workers finish their current runs, finished
    chunks stay committed, and KeyboardInterrupt is raised; calling again with the same arguments
    resumes. Raises clipsim.InputError (a ValueError) with the CLI's text for a bad config or a
    folder of another config or build.
    """
    if isinstance(config, dict):
        config_file, text, label = "", _dict_text(config), "<dict>"
    elif isinstance(config, (str, os.PathLike)):
        config_file, text, label = os.fspath(config), "", ""
    else:
        raise TypeError("config must be the path of a sweep file (YAML) or a dict, not "
                        + type(config).__name__)
    if threads is None:
        threads = 0
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1 and threads != 0:
        raise _clipsim.InputError(f"threads: {threads!r} must be None or an integer >= 1")
    out = os.fspath(out)
    shown = repr(config_file) if config_file else "{...}"
    call = f"clipsim.sweep({shown}, {out!r}, threads={threads or None!r})"
    bar = _tqdm_progress() if progress is True else None
    callback = bar if bar is not None else progress if callable(progress) else None
    engine_line = progress is True and bar is None
    try:
        report = _clipsim._sweep(config_file, text, label, out, threads, engine_line, call,
                                 callback)
    finally:
        if bar is not None:
            bar.close()
    return SweepReport(**{f.name: report[f.name] for f in dataclasses.fields(SweepReport)})


def _typed(values):
    """A column of text as numbers where every entry is one (ints if all are integers)."""
    import pandas as pd

    column = pd.Series(values, dtype=object)
    try:
        numbers = pd.to_numeric(column)
    except (ValueError, TypeError):
        return column.astype(str)
    return numbers


def _frame(columns, typed=()):
    import pandas as pd

    data = {}
    for name, values in columns:
        data[name] = _typed(values) if name in typed else values
    return pd.DataFrame(data)


class Analysis:
    """The tables `clipsim analyze` (or clipsim.analyze) wrote into a sweep's analysis folder.

    One attribute per table, named for its file (analysis/report.hpp declares them): budgets,
    quantiles, rates, verdicts, delta_fits, regime, bounds, paired, noise_tail; each a DataFrame
    with typed columns (ids and words as text, integers int64, other numbers float64 with inf and
    NaN as written, an empty field NaN), or None when the folder lacks that file. A table with a
    `cell` column has the cell's parameter columns (the grid's axes, as in Results.results)
    inserted right after it. tables: the same DataFrames by name (only the files present);
    summary: summary.md's text (None when missing); path: the folder; verdict_table: the text
    `clipsim analyze` prints, in an Analysis that clipsim.analyze returns (None otherwise).
    """

    def __init__(self, path, read, cells, param_columns):
        self.path = path
        self.summary = read["summary"]
        self.verdict_table = None
        self.tables = {}
        for name, columns in read["tables"]:
            self.tables[name] = _join_params(_frame(columns), cells, param_columns)
        for name in _clipsim._analysis_tables:
            setattr(self, name, self.tables.get(name))

    def __repr__(self):
        return f"clipsim.Analysis({self.path!r}: {', '.join(self.tables) or 'no tables'})"


def _join_params(frame, cells, param_columns):
    """frame with cells' parameter columns inserted after its `cell` column (where it has one)."""
    if "cell" not in frame.columns or not param_columns:
        return frame
    params = cells[["cell"] + [c for c in param_columns if c not in frame.columns]]
    joined = frame.merge(params, on="cell", how="left", sort=False)
    at = list(frame.columns).index("cell") + 1
    order = list(frame.columns[:at]) + list(params.columns[1:]) + list(frame.columns[at:])
    return joined[order]


class Results:
    """A sweep's results folder, read by clipsim.load.

    results:       a DataFrame with one row per run: cell (id), the grid's parameter columns
                   (numbers where every value is one), budget and seed (int64, uint64), and the
                   final value of every metric (float64; inf for a diverged run, as in every
                   analysis of clipsim).
    cells:         cells.csv: cell, the parameter columns, problem, dim, noise, p, method,
                   schedule, noise_stream and config.
    timings:       per (cell, budget) the median seconds of a run and the number of runs
                   (timings.csv; empty when the folder has none).
    manifest:      the manifest's summary (commit, config, counts), as `clipsim analyze` prints.
    param_columns: the grid's axes; metrics: the metric columns of results.
    analysis:      the tables of the folder's analysis (an Analysis), read from
                   OUT/analysis/; None when that folder does not exist (run clipsim.analyze(OUT)
                   or `clipsim analyze OUT` first).
    path:          the folder; results_file: the results file read.
    """

    def __init__(self, path, read, analysis_read):
        self.path = path
        self.results_file = read["results_file"]
        self.param_columns = list(read["param_columns"])
        self.metrics = list(read["metrics"])
        self.manifest = read["manifest"]
        self.results = _frame(read["results"], typed=self.param_columns)
        self.cells = _frame(read["cells"], typed=self.param_columns + ["dim", "p"])
        self.timings = _frame(read["timings"])
        if len(self.timings.columns) and len(self.timings) == 0:
            self.timings = self.timings.astype({"budget": "int64", "median_seconds": "float64",
                                                "runs": "int64"})
        self.analysis = None
        if analysis_read["found"]:
            self.analysis = Analysis(analysis_read["path"], analysis_read, self.cells,
                                     self.param_columns)

    def __repr__(self):
        return (f"clipsim.Results({self.path!r}: {len(self.cells)} cells, {len(self.results)} "
                f"runs, metrics {', '.join(self.metrics)})")


def load(out, metrics=None, analysis_dir=None):
    """Reads the results folder `out` (written by clipsim.sweep or `clipsim sweep`) as a Results.

    metrics:      the metric columns to read, in this order; None reads every checkpoint column
                  that is an error metric (mean_grad_norm first), as `clipsim analyze` does.
    analysis_dir: the folder of its analysis tables (`clipsim analyze --out`); None:
                  OUT/analysis. Results.analysis is None when that folder does not exist.

    Read by the reader of `clipsim analyze`: a folder of another results-folder format
    (manifest.json's schema_version) is refused, as are a missing or damaged manifest, missing
    results and an unknown metric: clipsim.InputError (a ValueError) with the CLI's text.
    """
    if isinstance(metrics, str):
        metrics = [metrics]
    out = os.fspath(out)
    read = _clipsim._load(out, list(metrics or []))
    if analysis_dir is None:
        analysis_dir = os.path.join(out, _clipsim._analysis_folder)
    analysis_dir = os.fspath(analysis_dir)
    analysis_read = _clipsim._load_analysis(analysis_dir)
    analysis_read["path"] = analysis_dir
    return Results(out, read, analysis_read)
