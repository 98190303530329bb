"""clipsim.load's analysis tables: the CSV files of `clipsim analyze` with typed columns and the
cells' parameters joined, and None before the folder is analysed."""

import os

import numpy as np
import pandas as pd
import clipsim

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
