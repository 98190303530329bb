"""clipsim from Python in one page: draw heavy-tailed noise, run a small sweep of PS-Clip-SGD,
Clip-SGD and SGD at their theory schedules, analyse it, and plot it with matplotlib.

    PYTHONPATH=build/python /usr/bin/python3 python/examples/quickstart.py --out out/py-quickstart

Writes the sweep folder (results, analysis/ tables) and OUT/quickstart.png. A smaller version of
configs/quickstart.yaml; `--seeds` sets its size (CTest runs it with a few seeds).
"""

import argparse
import os

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402 (after choosing the backend)
import numpy as np  # noqa: E402

import clipsim  # noqa: E402

NOISE = "kind=stable,alpha=1.5,scale=0.15"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out/py-quickstart", help="the sweep folder")
    parser.add_argument("--seeds", type=int, default=100, help="seeds per (method, budget)")
    parser.add_argument("--threads", type=int, default=None, help="default: every core")
    args = parser.parse_args()

    # 1. Noise: draws (the same numbers as `clipsim sample`) and the sigma(p) of the theory.
    draws = clipsim.noise.sample(NOISE, 200_000, seed=1)
    sigma = clipsim.noise.sigma(NOISE, p=1.4)
    print(f"noise {NOISE}: tail index {clipsim.noise.tail_index(NOISE)}, sigma(1.4) = {sigma:.4g}")

    # 2. A sweep given as a dict (the keys of a sweep file, configs/README.md).
    config = {
        "seeds": args.seeds,
        "budgets": [3000, 30000, 300000],
        "master_seed": 2026,
        "problem": {"kind": "huber_ripple", "dim": 1},
        "noise": {"kind": "stable", "alpha": 1.5, "scale": 0.15},
        "p": 1.4,
        "optimizer": [{"method": "ps_clip_sgd"}, {"method": "clip_sgd"}, {"method": "sgd"}],
        "schedule": [{"kind": "theory"}, {"kind": "theory"},
                     {"kind": "theory", "prescription": "ps_clip_sgd"}],
        "zip": [["optimizer", "schedule"]],
        "checkpoints_per_decade": 2,
    }
    report = clipsim.sweep(config, args.out, threads=args.threads)
    print(f"sweep: {report.runs} runs ({report.runs_now} now) in {report.seconds:.1f} s")

    # 3. Analyse (as `clipsim analyze`) and load the results with the analysis tables.
    clipsim.analyze(args.out, bootstrap=500)
    results = clipsim.load(args.out)
    verdicts = results.analysis.verdicts[["method", "statistic", "slope", "theory_slope",
                                          "verdict"]]
    print(verdicts.to_string(index=False))

    # 4. Plot: the noise's tail, and the theorem quantity against the budget per method.
    fig, (tail, rate) = plt.subplots(1, 2, figsize=(10, 4))
    norms = np.sort(np.abs(draws))[::-1]
    survival = np.arange(1, norms.size + 1) / norms.size
    tail.loglog(norms, survival, label="draws")
    x = np.logspace(np.log10(norms[norms.size // 2]), np.log10(norms[0]), 50)
    tail.loglog(x, 2 * clipsim.noise.stable_sf(x, alpha=1.5, scale=0.15), "--",
                label="P(|X| > x), S1 law")
    tail.set(title=f"|noise|: {NOISE}", xlabel="x", ylabel="P(|X| > x)")
    tail.legend()

    runs = results.results
    for method, group in runs.groupby("optimizer.method", sort=False):
        median = group.groupby("budget")["mean_grad_norm"].median()
        rate.loglog(median.index, median.to_numpy(), "o-", label=method)
    rate.set(title="huber_ripple, d = 1: median over seeds", xlabel="budget N (samples)",
             ylabel="mean ||grad f(x_t)||")
    rate.legend()
    fig.tight_layout()
    png = os.path.join(args.out, "quickstart.png")
    fig.savefig(png, dpi=100)
    print(f"figure: {png}")


if __name__ == "__main__":
    main()
