"""clipsim.run: the checkpoints of one run equal `clipsim run`'s CSV, from a YAML file or a dict,
and bad configs raise ValueError naming the key."""

import io
import json

import pandas as pd
import pytest

import clipsim
from conftest import cli_error

CONFIG = {
    "problem": {"kind": "quadratic", "dim": 5},
    "noise": {"kind": "stable", "alpha": 1.5, "skew": 0.2},
    "p": 1.4,
    "optimizer": {"method": "ps_clip_sgd"},
    "schedule": {"kind": "constant", "eta0": 0.05},
    "batch_size": 4,
    "budget": 3000,
    "checkpoints_per_decade": 3,
    "master_seed": 11,
}


def write_config(tmp_path, config, name="run.yaml"):
    path = tmp_path / name
    path.write_text(json.dumps(config, indent=2))
    return path


def cli_frame(cli, *args):
    done = cli("run", *args, "--quiet")
    assert done.returncode == 0, done.stderr
    return pd.read_csv(io.StringIO(done.stdout), float_precision="round_trip")


def test_run_equals_clipsim_runs_csv(cli, tmp_path):
    path = write_config(tmp_path, CONFIG)
    expected = cli_frame(cli, path, "--seed", 7)
    assert list(expected.columns) == [
        "target", "samples", "iterations", "grad_norm", "value_gap", "mean_grad_norm",
        "mean_sq_grad_norm", "grad_norm_at_R", "min_grad_norm", "clipped_fraction", "diverged"]
    assert len(expected) > 5
    from_file = clipsim.run(path, seed=7)
    pd.testing.assert_frame_equal(from_file, expected, check_exact=True)
    pd.testing.assert_frame_equal(clipsim.run(str(path), 7), expected, check_exact=True)
    pd.testing.assert_frame_equal(clipsim.run(CONFIG, seed=7), expected, check_exact=True)
    assert from_file.attrs["termination"] == "finished"
    assert "finished" in from_file.attrs["report"]


def test_master_seed_overrides_the_configs_as_on_the_command_line(cli, tmp_path):
    path = write_config(tmp_path, CONFIG)
    expected = cli_frame(cli, path, "--seed", 7, "--master-seed", 3)
    got = clipsim.run(CONFIG, seed=7, master_seed=3)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert not got.equals(clipsim.run(CONFIG, seed=7))


def test_a_diverged_run_is_a_result():
    config = dict(CONFIG, optimizer={"method": "sgd"}, schedule={"kind": "constant", "eta0": 5.0})
    frame = clipsim.run(config, seed=1)
    assert frame.attrs["termination"] == "diverged"
    assert frame["diverged"].iloc[-1] == 1


@pytest.mark.parametrize("change, key", [
    ({"noise": {"kind": "stable", "alpha": 2.5}}, "alpha"),
    ({"p": 1.7}, "p"),                      # above the tail index 1.5
    ({"budget": 0}, "budget"),
    ({"optimizer": {"method": "newton"}}, "method"),
    ({"learning_rate": 0.1}, "learning_rate"),
])
def test_bad_configs_raise_value_error_naming_the_key(cli, tmp_path, change, key):
    config = dict(CONFIG, **change)
    with pytest.raises(ValueError, match=key):
        clipsim.run(config, seed=1)
    # From a file, the text is the CLI's, file, line and column included.
    path = write_config(tmp_path, config)
    with pytest.raises(clipsim.InputError) as raised:
        clipsim.run(path, seed=1)
    assert str(raised.value) == cli_error(cli("run", path, "--seed", 1))
    assert str(path) in str(raised.value)


def test_unreadable_or_unusable_configs():
    with pytest.raises(ValueError, match="no_such_file"):
        clipsim.run("/nonexistent/no_such_file.yaml", seed=1)
    with pytest.raises(TypeError):
        clipsim.run(42, seed=1)
    with pytest.raises(ValueError):
        clipsim.run(dict(CONFIG, p=float("nan")), seed=1)
