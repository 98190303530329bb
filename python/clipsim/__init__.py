"""clipsim from Python: the noise samplers and facts, single runs, sweeps and their results folders,
over clipsim's C++ libraries.

    import clipsim
    x = clipsim.noise.sample("kind=stable,alpha=1.5", 100000, seed=1)  # as `clipsim sample`
    clipsim.noise.sigma("kind=stable,alpha=1.5", p=1.4, dim=10)       # sigma(p) of the theory
    df = clipsim.run("configs/examples/ps_clip_stable.yaml", seed=7)  # as `clipsim run`
    clipsim.sweep("configs/quickstart.yaml", "out/quickstart")        # as `clipsim sweep`
    results = clipsim.load("out/quickstart").results                  # one row per run
    clipsim.analyze("out/quickstart").verdicts                        # as `clipsim analyze`

Bad input raises clipsim.InputError, a ValueError whose text is the CLI's message (file, line,
column, key, allowed range).
"""

import io
import os

from . import _clipsim
from . import noise
from . import theory
from .reports import Figure, analyze, plot
from .sweeps import Analysis, Results, SweepReport, _dict_text, load, sweep

InputError = _clipsim.InputError
InputError.__doc__ = """Bad input (a spec, a config, an argument, a folder): a ValueError whose text is the
message of the clipsim program for the same input (file, line, column, key, allowed range)."""

__all__ = ["Analysis", "Figure", "InputError", "Results", "SweepReport", "analyze", "load", "noise",
           "plot", "run", "sweep", "theory"]


def run(config, seed, master_seed=None):
    """Runs one run and returns its checkpoints as a pandas DataFrame.

    config:      a run config: the path of a YAML file, or a dict with the same keys (see
                 configs/README.md), e.g. {"problem": {"kind": "quadratic", "dim": 10}, ...}.
    seed:        the run's seed (as `clipsim run --seed`), an integer >= 0.
    master_seed: as `clipsim run --master-seed`; None takes the config's master_seed (else 0).

    The DataFrame has the columns and values `clipsim run CONFIG --seed SEED` writes (target,
    samples, iterations, grad_norm, value_gap, mean_grad_norm, mean_sq_grad_norm, grad_norm_at_R,
    min_grad_norm, clipped_fraction, diverged), one row per checkpoint; its attrs hold the run's
    termination ("finished", "diverged", ...), message and one-line report. A diverged run is a
    result, not an error. Raises clipsim.InputError (a ValueError) naming the key for a bad config.
    """
    import pandas as pd

    if isinstance(config, dict):
        result = _clipsim._run("", _dict_text(config), "<dict>", seed, master_seed)
    elif isinstance(config, (str, os.PathLike)):
        result = _clipsim._run(os.fspath(config), "", "", seed, master_seed)
    else:
        raise TypeError("config must be a dict or the path of a YAML file, not "
                        + type(config).__name__)
    # round_trip: the CSV's shortest round-trip numbers read back to the same doubles.
    frame = pd.read_csv(io.StringIO(result["csv"]), float_precision="round_trip")
    frame.attrs.update(termination=result["termination"], message=result["message"],
                       report=result["report"])
    return frame
