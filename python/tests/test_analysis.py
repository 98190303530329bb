"""clipsim.load's analysis tables, clipsim.analyze and clipsim.plot: the tables are the CSV files
of `clipsim analyze` with typed columns and the cells' parameters joined, analyze and plot write
the CLI's files byte for byte, and bad options raise ValueError with the CLI's text."""

import os

import numpy as np
import pandas as pd
import pytest

import clipsim
from conftest import cli_error

TABLES = ["budgets", "quantiles", "rates", "verdicts", "delta_fits", "regime", "bounds", "paired",
          "noise_tail"]


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def test_load_has_no_analysis_until_the_folder_is_analysed(swept, cli, tmp_path):
    assert clipsim.load(swept).analysis is None

    done = cli("analyze", swept, "--bootstrap", 200, "--out", tmp_path / "a")
    assert done.returncode == 0, done.stderr
    loaded = clipsim.load(swept, analysis_dir=tmp_path / "a")
    analysis = loaded.analysis
    assert sorted(analysis.tables) == sorted(TABLES)
    assert analysis.summary.startswith("# Analysis of ")
    assert "budgets" in repr(analysis)
    for name in TABLES:
        table = getattr(analysis, name)
        assert table is analysis.tables[name]
        raw = pd.read_csv(tmp_path / "a" / f"{name}.csv", dtype=str, keep_default_na=False)
        assert len(table) == len(raw), name
        assert len(table) > 0, name

    # Typed columns, and the values of the file.
    budgets = analysis.budgets
    assert budgets["cell"].dtype == object and budgets["method"].dtype == object
    assert budgets["budget"].dtype == np.int64 and budgets["seeds"].dtype == np.int64
    assert budgets["mean"].dtype == np.float64
    raw = pd.read_csv(tmp_path / "a" / "budgets.csv", float_precision="round_trip")
    np.testing.assert_array_equal(budgets["mean"], raw["mean"])
    np.testing.assert_array_equal(budgets["budget"], raw["budget"])
    assert analysis.bounds["bound"].dtype == np.float64
    assert analysis.regime["testable"].dtype == np.int64
    assert analysis.noise_tail["noise_stream"].dtype == object  # ids stay text

    # The cell's parameters right after `cell`, as in Results.results.
    params = loaded.param_columns
    assert params
    for name in ("budgets", "quantiles", "rates", "verdicts", "regime", "bounds"):
        table = getattr(analysis, name)
        at = list(table.columns).index("cell")
        assert list(table.columns[at + 1:at + 1 + len(params)]) == params, name
        by_cell = loaded.cells.set_index("cell")
        for column in params:
            assert (table[column].to_numpy() == by_cell.loc[table["cell"], column].to_numpy()).all()
    assert "cell" not in analysis.paired.columns  # cell_a and cell_b: nothing joined


def test_analyze_writes_the_clis_files_byte_for_byte(swept, cli, tmp_path):
    done = cli("analyze", swept, "--bootstrap", 200, "--deltas", "0.5,0.1", "--out",
               tmp_path / "cli")
    assert done.returncode == 0, done.stderr
    analysis = clipsim.analyze(swept, tmp_path / "py", bootstrap=200, deltas=[0.5, 0.1])
    names = sorted(os.listdir(tmp_path / "cli"))
    assert names == sorted(os.listdir(tmp_path / "py"))
    assert "summary.md" in names and len(names) == len(TABLES) + 1
    for name in names:
        assert read_bytes(tmp_path / "py" / name) == read_bytes(tmp_path / "cli" / name), name
    assert analysis.verdict_table in done.stdout
    assert sorted(analysis.quantiles["delta"].unique()) == [0.1, 0.5]

    # The default folder is OUT/analysis, where clipsim.load finds it.
    default = clipsim.analyze(swept, bootstrap=200)
    assert default.path == os.path.join(str(swept), "analysis")
    assert clipsim.load(swept).analysis.tables.keys() == default.tables.keys()


def test_plot_writes_the_clis_figures(swept, cli, tmp_path):
    done = cli("plot", swept, "--bootstrap", 200, "--no-render", "--out", tmp_path / "cli")
    assert done.returncode == 0, done.stderr
    figures = clipsim.plot(swept, tmp_path / "py", render=False, bootstrap=200)
    assert figures and all(isinstance(f, clipsim.Figure) for f in figures)
    assert all(f.png == "" and f.script.endswith(".gp") for f in figures)
    names = sorted(os.listdir(tmp_path / "cli"))
    assert names == sorted(os.listdir(tmp_path / "py"))
    for name in names:
        text = read_bytes(tmp_path / "py" / name)
        # Scripts and the index name their own folder.
        expected = read_bytes(tmp_path / "cli" / name).replace(
            str(tmp_path / "cli").encode(), str(tmp_path / "py").encode())
        assert text == expected, name


def test_bad_options_raise_value_error_with_the_clis_text(swept, cli, tmp_path):
    with pytest.raises(clipsim.InputError, match="confidence") as raised:
        clipsim.analyze(swept, tmp_path / "a", confidence=2.0)
    assert str(raised.value) == cli_error(cli("analyze", swept, "--confidence", 2, "--out",
                                              tmp_path / "a"))
    with pytest.raises(ValueError, match="no_such_metric"):
        clipsim.analyze(swept, tmp_path / "a", metrics=["no_such_metric"])
    with pytest.raises(ValueError, match="results.csv"):
        clipsim.plot(tmp_path, render=False)  # holds no sweep
    with pytest.raises(TypeError):
        clipsim.analyze(swept, bootstrap="many")


def test_analyze_and_plot_document_their_options():
    for f in (clipsim.analyze, clipsim.plot):
        assert "{options}" not in f.__doc__
        for option in ("deltas", "bootstrap", "min_rate_span", "InputError"):
            assert option in f.__doc__, (f.__name__, option)
