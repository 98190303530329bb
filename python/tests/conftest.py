"""Shared by the tests of the clipsim package: the clipsim program they compare the module with.

CTest sets CLIPSIM_BINARY (the build's clipsim) and PYTHONPATH (the build's python folder);
by hand: PYTHONPATH=build/python CLIPSIM_BINARY=build/clipsim /usr/bin/python3 -m pytest python/tests
"""

import os
import subprocess

import pytest

import clipsim

# The quickstart's three methods at their theory schedules (so the analysis has regime and bound
# rows), small: 3 methods x 2 budgets x 8 seeds, with noise norms for the noise tail check.
THEORY_SWEEP = """\
seeds: 8
budgets: [3000, 30000]
master_seed: 2026
save_noise_norms: 2000
problem: {kind: huber_ripple, dim: 1}
noise: {kind: stable, alpha: 1.5, scale: 0.15}
p: 1.4
optimizer: [{method: ps_clip_sgd}, {method: clip_sgd}, {method: sgd}]
schedule: [{kind: theory}, {kind: theory}, {kind: theory, prescription: ps_clip_sgd}]
zip: [[optimizer, schedule]]
checkpoints_per_decade: 2
"""


@pytest.fixture(scope="session")
def cli():
    """Runs `clipsim ARGS...`; returns the CompletedProcess (text stdout and stderr)."""
    binary = os.environ.get("CLIPSIM_BINARY",
                            os.path.join(os.path.dirname(__file__), "..", "..", "build", "clipsim"))
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no clipsim program at {binary}: set CLIPSIM_BINARY")

    def run(*args):
        return subprocess.run([binary, *map(str, args)], capture_output=True, text=True,
                              check=False)

    return run


def cli_error(completed):
    """The message of a refused CLI call (exit code 2, "clipsim: error: MESSAGE")."""
    assert completed.returncode == 2, completed.stderr
    prefix = "clipsim: error: "
    line = completed.stderr.strip().splitlines()[-1]
    assert line.startswith(prefix), completed.stderr
    return line[len(prefix):]


@pytest.fixture(scope="session")
def swept(tmp_path_factory):
    """A finished sweep folder of THEORY_SWEEP, shared: tests only add analysis folders to it."""
    folder = tmp_path_factory.mktemp("theory_sweep")
    config = folder / "theory.yaml"
    config.write_text(THEORY_SWEEP)
    clipsim.sweep(config, folder / "out", threads=2, progress=False)
    return folder / "out"
