"""clipsim.sweep and clipsim.load: the folder is the CLI's (results.csv byte for byte), a second
call resumes, Ctrl-C stops cleanly and the sweep resumes to the same bytes, load reads the final
value of every run as `clipsim analyze` does, and bad configs and folders raise ValueError."""

import copy
import json
import os
import shutil
import signal
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest

import clipsim
from conftest import cli_error

# Two cells (eta0 0.05 and 5: the second diverges), two budgets, three seeds.
TINY = """\
seeds: 3
budgets: [1000, 3000]
master_seed: 5
problem: {kind: quadratic, dim: 3}
noise: {kind: stable, alpha: 1.5}
p: 1.4
optimizer: {method: sgd}
schedule: {kind: constant, eta0: [0.05, 5.0]}
batch_size: 2
checkpoints_per_decade: 2
"""


# TINY as a dict.
TINY_DICT = {
    "seeds": 3, "budgets": [1000, 3000], "master_seed": 5,
    "problem": {"kind": "quadratic", "dim": 3}, "noise": {"kind": "stable", "alpha": 1.5},
    "p": 1.4, "optimizer": {"method": "sgd"},
    "schedule": {"kind": "constant", "eta0": [0.05, 5.0]}, "batch_size": 2,
    "checkpoints_per_decade": 2,
}


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def test_sweep_writes_the_clis_folder_and_load_reads_it(cli, tiny, tmp_path):
    out = tmp_path / "py"
    report = clipsim.sweep(tiny, out, threads=2, progress=False)
    assert report.complete and report.runs == 12 and report.runs_now == 12
    assert report.diverged_now == 6  # every run of the eta0 = 5 cell
    assert report.results_path == str(out / "results.csv")

    done = cli("sweep", tiny, "--out", tmp_path / "cli", "--threads", 1, "--quiet")
    assert done.returncode == 0, done.stderr
    for name in ("results.csv", "cells.csv", "resolved.csv"):
        assert read_bytes(out / name) == read_bytes(tmp_path / "cli" / name), name

    loaded = clipsim.load(out)
    frame = loaded.results
    assert list(frame.columns[:4]) == ["cell", "schedule.eta0", "budget", "seed"]
    assert loaded.param_columns == ["schedule.eta0"]
    assert loaded.metrics[0] == "mean_grad_norm"
    assert list(frame.columns[4:]) == loaded.metrics
    assert frame["budget"].dtype == np.int64 and frame["seed"].dtype == np.uint64
    assert frame["schedule.eta0"].dtype == np.float64
    assert all(frame[m].dtype == np.float64 for m in loaded.metrics)
    assert len(frame) == 12

    # The final value of a run is its last checkpoint in results.csv; a diverged run is inf.
    raw = pd.read_csv(out / "results.csv", float_precision="round_trip")
    last = raw.sort_values("target", kind="stable").groupby(
        ["cell", "budget", "seed"], sort=False).tail(1)
    expected = frame.merge(last, on=["cell", "budget", "seed"], suffixes=("", "_csv"))
    assert len(expected) == 12
    for metric in loaded.metrics:
        want = np.where(expected["diverged"] == 1, np.inf, expected[metric + "_csv"])
        np.testing.assert_array_equal(expected[metric].to_numpy(), want)
    assert np.isinf(frame.loc[frame["schedule.eta0"] == 5.0, "mean_grad_norm"]).all()
    assert np.isfinite(frame.loc[frame["schedule.eta0"] == 0.05, "mean_grad_norm"]).all()

    cells = loaded.cells
    assert list(cells["cell"]) == list(frame["cell"].unique())
    assert list(cells.columns[:2]) == ["cell", "schedule.eta0"]
    assert cells["dim"].tolist() == [3, 3] and cells["method"].tolist() == ["sgd", "sgd"]
    assert sorted(loaded.timings["budget"].unique()) == [1000, 3000]
    assert (loaded.timings["runs"] == 3).all()
    assert "config" in loaded.manifest and "cells" in loaded.manifest
    assert "2 cells, 12 runs" in repr(loaded)

    chosen = clipsim.load(out, metrics=["grad_norm", "value_gap"])
    assert chosen.metrics == ["grad_norm", "value_gap"]
    np.testing.assert_array_equal(chosen.results["grad_norm"], frame["grad_norm"])


def test_a_second_call_resumes_and_grown_seeds_run_only_the_new_runs(tmp_path):
    # Chunks of one seed: growing the seeds leaves the committed chunks as they are.
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(TINY + "chunk_seeds: 1\n")
    out = tmp_path / "out"
    first = clipsim.sweep(tiny, out, progress=False)
    again = clipsim.sweep(str(tiny), str(out), threads=1, progress=False)
    assert again.complete and again.runs_now == 0 and again.already_done == 12
    tiny.write_text(TINY.replace("seeds: 3", "seeds: 5") + "chunk_seeds: 1\n")
    grown = clipsim.sweep(tiny, out, progress=False)
    assert grown.complete and grown.runs == 20 and grown.runs_now == 8
    assert first.results_path == grown.results_path


def test_ctrl_c_stops_cleanly_and_the_sweep_resumes_to_the_same_bytes(cli, tmp_path):
    # About 2 s of runs on one thread, committed in chunks of 4 seeds.
    config = tmp_path / "long.yaml"
    config.write_text(TINY.replace("seeds: 3", "seeds: 120\nchunk_seeds: 4")
                      .replace("budgets: [1000, 3000]", "budgets: [100000]")
                      .replace("dim: 3", "dim: 10").replace("[0.05, 5.0]", "0.05"))
    out = tmp_path / "out"
    finished = threading.Event()

    def interrupt_after_the_first_chunk():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not finished.is_set():
            logs = list((out / "chunks").glob("*.log")) if (out / "chunks").is_dir() else []
            if any(log.stat().st_size > 0 for log in logs):
                os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C does
                return
            time.sleep(0.005)

    killer = threading.Thread(target=interrupt_after_the_first_chunk)
    killer.start()
    try:
        with pytest.raises(KeyboardInterrupt, match="resume") as raised:
            clipsim.sweep(config, out, threads=1, progress=False)
    finally:
        finished.set()
        killer.join()
    assert "of 120 runs are committed" in str(raised.value)
    assert not (out / "manifest.json").exists()

    resumed = clipsim.sweep(config, out, threads=2, progress=False)
    assert resumed.complete and 0 < resumed.already_done < 120
    assert resumed.runs_now == 120 - resumed.already_done
    done = cli("sweep", config, "--out", tmp_path / "cli", "--quiet")
    assert done.returncode == 0, done.stderr
    assert read_bytes(out / "results.csv") == read_bytes(tmp_path / "cli" / "results.csv")


def test_bad_configs_and_folders_raise_value_error_with_the_clis_text(cli, tiny, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.replace("alpha: 1.5", "alpha: 2.5"))
    with pytest.raises(clipsim.InputError, match="alpha") as raised:
        clipsim.sweep(bad, tmp_path / "out", progress=False)
    assert str(raised.value) == cli_error(cli("sweep", bad, "--out", tmp_path / "out"))
    assert not (tmp_path / "out").exists()

    clipsim.sweep(tiny, tmp_path / "out", progress=False)
    other = tmp_path / "other.yaml"
    other.write_text(TINY.replace("master_seed: 5", "master_seed: 6"))
    with pytest.raises(ValueError, match="another config"):
        clipsim.sweep(other, tmp_path / "out", progress=False)
    with pytest.raises(TypeError):
        clipsim.sweep(["seeds", 3], tmp_path / "out")
    with pytest.raises(ValueError, match="threads"):
        clipsim.sweep(tiny, tmp_path / "out", threads=-1)


def test_load_refuses_another_schema_and_what_is_not_a_results_folder(tiny, tmp_path):
    out = tmp_path / "out"
    clipsim.sweep(tiny, out, progress=False)
    with pytest.raises(ValueError, match="no_such_metric"):
        clipsim.load(out, metrics=["no_such_metric"])

    old = tmp_path / "old"
    shutil.copytree(out, old)
    manifest = json.loads((old / "manifest.json").read_text())
    manifest["schema_version"] = 1
    (old / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(clipsim.InputError, match="schema_version"):
        clipsim.load(old)

    with pytest.raises(ValueError, match="results.csv"):
        clipsim.load(tmp_path)  # holds no sweep


def test_sweep_and_load_document_their_arguments():
    for f in (clipsim.sweep, clipsim.load):
        assert f.__doc__ and len(f.__doc__) > 200
    assert "resume" in clipsim.sweep.__doc__ and "metrics" in clipsim.load.__doc__


def test_a_dict_config_is_the_yaml_files_sweep(cli, tiny, tmp_path):
    config = copy.deepcopy(TINY_DICT)
    report = clipsim.sweep(config, tmp_path / "dict", threads=2, progress=False)
    assert report.complete and report.runs == 12
    clipsim.sweep(tiny, tmp_path / "file", threads=1, progress=False)
    for name in ("results.csv", "cells.csv", "resolved.csv"):
        assert read_bytes(tmp_path / "dict" / name) == read_bytes(tmp_path / "file" / name), name
    # The folder's copy is the dict's text: the same dict resumes, and so does the CLI from it.
    assert json.loads((tmp_path / "dict" / "sweep.yaml").read_text()) == config
    assert clipsim.sweep(config, tmp_path / "dict", progress=False).runs_now == 0
    grown = clipsim.sweep(dict(config, seeds=5), tmp_path / "dict", progress=False)
    assert grown.complete and grown.runs == 20
    done = cli("sweep", tmp_path / "dict" / "sweep.yaml", "--out", tmp_path / "dict", "--quiet")
    assert done.returncode == 0, done.stderr


def test_a_bad_dict_config_raises_the_yaml_files_error_naming_the_key(cli, tmp_path):
    config = copy.deepcopy(TINY_DICT)
    config["noise"]["alpha"] = 2.5
    with pytest.raises(clipsim.InputError, match="alpha") as raised:
        clipsim.sweep(config, tmp_path / "out", progress=False)
    assert str(raised.value).startswith("<dict>:")
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.replace("alpha: 1.5", "alpha: 2.5"))
    from_file = cli_error(cli("sweep", bad, "--out", tmp_path / "cli"))
    # The same message but for where: the file's line and column, the dict's.
    assert str(raised.value).split(": ", 2)[-1] == from_file.split(": ", 2)[-1]
    with pytest.raises(clipsim.InputError, match="no_such_key"):
        clipsim.sweep(dict(TINY_DICT, no_such_key=1), tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_progress_goes_to_a_callable_a_tqdm_bar_or_the_engines_line(tiny, tmp_path, capfd,
                                                                      monkeypatch):
    calls = []
    clipsim.sweep(tiny, tmp_path / "called", progress=lambda done, total: calls.append(
        (done, total)))
    assert calls[0] == (0, 12) and calls[-1] == (12, 12)
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))
    assert capfd.readouterr().err == ""

    pytest.importorskip("tqdm")
    clipsim.sweep(tiny, tmp_path / "bar", progress=True)
    err = capfd.readouterr().err
    assert "clipsim.sweep" in err and "12/12" in err and "runs/s" not in err

    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as if tqdm were not installed
    clipsim.sweep(tiny, tmp_path / "line", progress=True)
    err = capfd.readouterr().err
    assert "sweep: 12/12 runs" in err

    def broken(done, total):
        raise RuntimeError("a broken progress callback")
    reported = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    report = clipsim.sweep(tiny, tmp_path / "broken", progress=broken)
    assert report.complete  # the callback's exception is reported, the sweep goes on
    assert reported and "broken progress" in str(reported[0].exc_value)
