"""Analyses and figures of a sweep folder: clipsim.analyze is `clipsim analyze`, clipsim.plot is
`clipsim plot`, the same library calls (analysis::ReadSweepDir, AnalyzeSweep, WriteAnalysisReport,
plots::WriteSweepPlots) with the CLI's options as keyword arguments."""

import dataclasses
import os

from . import _clipsim
from .sweeps import load

# The CLI's analysis options (app/src/analysis_args.hpp), as the compiled module names them.
_OPTIONS = tuple(name for name in dir(_clipsim._AnalysisCall) if not name.startswith("_"))

_OPTIONS_DOC = """
    The options of `clipsim analyze` and `clipsim plot`, by the same names (None: the CLI's
    default); they are validated by the same code, with the same messages:
    deltas:             the (1 - delta) quantiles to report, each in (0, 1) (a list).
    confidence:         coverage of every interval, in (0.5, 1).
    verdict_confidence: familywise confidence of the verdicts (Holm over cells), in (0.5, 1).
    margin:             equivalence margin on the slope, in [0, 1).
    bootstrap:          bootstrap replicates over seeds, in [100, 1000000].
    bootstrap_seed:     seed of the bootstrap (the output is a function of it).
    metrics:            metric columns to analyze (a list; None: every metric column).
    theorem_metric:     the theorem quantity ||grad f(x_R)|| of the verdicts and comparisons.
    hp_metric:          the metric of the high-probability verdicts and delta fits.
    threads:            worker threads (0: every core); the output does not depend on it.
    min_steps, max_bound_ratio, slope_tolerance, min_clipped, min_rate_budgets,
    min_rate_span:      the regime rules (where a theory cell's theorem is testable), as the
                        CLI's --min-steps, --max-bound-ratio, ... (`clipsim analyze --help`).
"""


def _call(options):
    """The compiled options object with every option that is not None set."""
    call = _clipsim._AnalysisCall()
    for name in _OPTIONS:
        value = options.get(name)
        if value is None:
            continue
        if name in ("deltas", "metrics") and isinstance(value, (str, int, float)):
            value = [value]
        setattr(call, name, value)
    return call


def analyze(out, analysis_dir=None, *, deltas=None, confidence=None, verdict_confidence=None,
            margin=None, bootstrap=None, bootstrap_seed=None, metrics=None, theorem_metric=None,
            hp_metric=None, threads=None, min_steps=None, max_bound_ratio=None,
            slope_tolerance=None, min_clipped=None, min_rate_budgets=None, min_rate_span=None):
    """Analyses a sweep folder, as `clipsim analyze OUT [--out ANALYSIS_DIR] [options]`, and
    returns the tables written (a clipsim.Analysis).

    out:          the sweep folder (written by clipsim.sweep or `clipsim sweep`).
    analysis_dir: where the tables go; None: OUT/analysis (where clipsim.load looks).
    {options}
    Writes summary.md and one CSV per table, the CLI's files byte for byte. The returned
    Analysis has the tables as DataFrames (see clipsim.Analysis) and `verdict_table`, the text
    `clipsim analyze` prints. Raises clipsim.InputError (a ValueError) with the CLI's text for a
    folder that is not a sweep's and for an option out of its range.
    """
    options = dict(locals())
    out = os.fspath(out)
    if analysis_dir is None:
        analysis_dir = os.path.join(out, _clipsim._analysis_folder)
    analysis_dir = os.fspath(analysis_dir)
    call = _call(options)
    written = _clipsim._analyze(out, analysis_dir, call)
    analysis = load(out, metrics=call.metrics, analysis_dir=analysis_dir).analysis
    analysis.verdict_table = written["verdict_table"]
    return analysis


@dataclasses.dataclass(frozen=True)
class Figure:
    """One figure of clipsim.plot: its name, caption, the PNG and PDF (\"\" when not rendered),
    the gnuplot script, the data files, and why rendering failed or was skipped (\"\" when it
    was rendered)."""
    name: str
    caption: str
    png: str
    pdf: str
    script: str
    data: list
    error: str


def plot(out, plots_dir=None, render=True, *, deltas=None, confidence=None,
         verdict_confidence=None, margin=None, bootstrap=None, bootstrap_seed=None, metrics=None,
         theorem_metric=None, hp_metric=None, threads=None, min_steps=None, max_bound_ratio=None,
         slope_tolerance=None, min_clipped=None, min_rate_budgets=None, min_rate_span=None):
    """Draws a sweep folder's figures, as `clipsim plot OUT [--out PLOTS_DIR] [--no-render]
    [options]`, and returns them as a list of clipsim.Figure.

    out:       the sweep folder.
    plots_dir: where the figures go; None: OUT/plots.
    render:    run gnuplot for the PNG and PDF files; False writes each figure's data and script
               only (--no-render). Without gnuplot the data and scripts are written and each
               Figure's `error` says why there is no picture: no exception.
    {options}
    The figures are the CLI's (plots/sweep_plots.hpp lists them); OUT/plots/index.md has their
    captions. Raises clipsim.InputError (a ValueError) with the CLI's text, as analyze.
    """
    options = dict(locals())
    out = os.fspath(out)
    if plots_dir is None:
        plots_dir = os.path.join(out, _clipsim._plots_folder)
    plots_dir = os.fspath(plots_dir)
    report = _clipsim._plot(out, plots_dir, bool(render), _call(options))
    return [Figure(**figure) for figure in report["figures"]]


analyze.__doc__ = analyze.__doc__.replace("{options}", _OPTIONS_DOC.strip())
plot.__doc__ = plot.__doc__.replace("{options}", _OPTIONS_DOC.strip())
