"""Shared by the tests of the clipsim package: the clipsim program they compare the module with.

CTest sets CLIPSIM_BINARY (the build's clipsim) and PYTHONPATH (the build's python folder);
by hand: PYTHONPATH=build/python CLIPSIM_BINARY=build/clipsim /usr/bin/python3 -m pytest python/tests
"""

import os
import subprocess

import pytest


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
