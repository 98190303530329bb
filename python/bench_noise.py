"""Draws per second of clipsim.noise.sample against scipy.stats.levy_stable.rvs and NumPy's
Generator.standard_normal, in the same run, one thread each, per CPU second (so per core), with
clipsim's own C++ batch fill (build/bench_noise, BM_StableSymmetricFill) for comparison. Every
figure is the median of --repetitions timings; the ratios are of those medians.

    PYTHONPATH=build/python /usr/bin/python3 python/bench_noise.py [--bench-binary PROGRAM]

Targets (issue 16): clipsim >= 10x scipy for symmetric stable draws, and within 1.5x of the C++
batch fill (C++ rate / Python rate <= 1.5).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

# python/, this file's folder and so the first entry of sys.path, holds the package's sources
# without its compiled part: import the built package (PYTHONPATH=build/python) instead.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]
import clipsim  # noqa: E402

SPEC = "kind=stable,alpha=1.5"  # symmetric alpha-stable, scale 1: BM_StableSymmetricFill's law


def rate(draw, size, repetitions):
    """Median draws per CPU second of draw(size) over `repetitions` timed calls (after one
    warm-up). CPU time of the calling thread, which does all the work of each of the three, as
    Google Benchmark's items_per_second is per CPU second: a figure per core, which other load on
    the machine does not halve as it does wall-clock time."""
    draw(size)
    seconds = []
    for _ in range(repetitions):
        start = time.thread_time()
        draw(size)
        seconds.append(time.thread_time() - start)
    return size / statistics.median(seconds)


def cpp_fill_rate(binary):
    """Median items per second of BM_StableSymmetricFill (5 repetitions, the program's own
    setting), or None without the benchmark program."""
    if not binary or not os.access(binary, os.X_OK):
        return None
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "bench.json")
        # --benchmark_out: the program prints through a reporter of its own, the file is JSON.
        subprocess.run([binary, "--benchmark_filter=^BM_StableSymmetricFill/",
                        f"--benchmark_out={out}", "--benchmark_out_format=json"],
                       capture_output=True, text=True, check=True)
        with open(out) as f:
            runs = json.load(f)["benchmarks"]
    for run in runs:
        if run.get("aggregate_name") == "median":
            return run["items_per_second"]
    return None


def cpu_model():
    """The CPU's model name (Linux), else the machine type."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2_000_000,
                        help="draws per timed call of clipsim and NumPy (default 2e6)")
    parser.add_argument("--scipy-size", type=int, default=200_000,
                        help="draws per timed call of scipy, which is slower (default 2e5)")
    parser.add_argument("--repetitions", type=int, default=7, help="timed calls (default 7)")
    parser.add_argument("--bench-binary",
                        default=os.path.join(_here, "..", "build", "bench_noise"),
                        help="clipsim's C++ benchmark program (default build/bench_noise)")
    args = parser.parse_args()
    if args.repetitions < 5:
        parser.error("--repetitions must be >= 5 (medians of at least five timings)")

    rows = []
    ours = rate(lambda n: clipsim.noise.sample(SPEC, n, seed=1), args.size, args.repetitions)
    rows.append(("clipsim.noise.sample (stable, alpha 1.5)", ours))
    gen = np.random.default_rng(1)
    numpy_rate = rate(gen.standard_normal, args.size, args.repetitions)
    rows.append(("numpy Generator.standard_normal", numpy_rate))
    try:
        from scipy.stats import levy_stable
    except ImportError:
        scipy_rate = None
    else:
        state = np.random.default_rng(1)
        scipy_rate = rate(lambda n: levy_stable.rvs(1.5, 0.0, size=n, random_state=state),
                          args.scipy_size, args.repetitions)
        rows.append(("scipy levy_stable.rvs (alpha 1.5)", scipy_rate))
    cpp = cpp_fill_rate(args.bench_binary)
    if cpp is not None:
        rows.append(("C++ batch fill (BM_StableSymmetricFill)", cpp))

    print(f"{cpu_model()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print(f"median of {args.repetitions} timings, one thread each: million draws per CPU second")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value / 1e6:8.2f}")
    print("ratios:")
    print(f"  clipsim / numpy standard_normal   {ours / numpy_rate:6.2f}")
    if scipy_rate is not None:
        verdict = "meets" if ours / scipy_rate >= 10 else "misses"
        print(f"  clipsim / scipy levy_stable       {ours / scipy_rate:6.1f}  "
              f"({verdict} the target >= 10)")
    else:
        print("  clipsim / scipy levy_stable       (scipy is not installed)")
    if cpp is not None:
        verdict = "meets" if cpp / ours <= 1.5 else "misses"
        print(f"  C++ fill / clipsim.noise.sample   {cpp / ours:6.2f}  "
              f"({verdict} the target <= 1.5)")
    else:
        print(f"  C++ fill: no benchmark program at {args.bench_binary} "
              "(build with -DCLIPSIM_BUILD_BENCHMARKS=ON)")


if __name__ == "__main__":
    main()
