#!/usr/bin/python3
"""The NumPy + SciPy peer of a clipsim sweep: what a researcher writes instead of using clipsim.

Usage:
  /usr/bin/python3 bench/peer/peer_sgd.py --method ps_clip_sgd --dim 10 --seeds 1000 \
      --steps 100 --clip-scale SIGMA [--batch 16] [--eta 0.05] [--alpha 1.5] [--clip-power 1.4] \
      [--clip-threshold LAMBDA] [--rng-seed 0] [--sampler scipy|cms] [--norms-out FILE]

Runs every seed of one clipsim run config at once: the iterates of all seeds are one array
(seeds x d), and one NumPy step advances them all. The workload is clipsim's, key for key:

  problem   quadratic (clipsim's default: identity Hessian, x* = 0, start x_i = 1), so
            grad f(x) = x and ||grad f(x)|| = ||x||;
  noise     g_k = grad f(x) + xi_k, xi_k with iid coordinates, each symmetric alpha-stable of
            scale 1 (scipy.stats.levy_stable, parameterization S1, beta = 0: clipsim's
            `{kind: stable, alpha: A}` with its default shape iid);
  method    sgd:         x -= eta mean_k g_k
            clip_sgd:    m = mean_k g_k; x -= eta min(1, lambda / ||m||) m
            ps_clip_sgd: x -= eta mean_k min(1, clip_scale k^(1/clip_power) / ||g_k||) g_k,
                         k = 1..n the sample's position in its batch;
  records   what clipsim records of a run that the researcher would want: the final ||grad f||
            and value gap, mean_grad_norm = (1/T) sum_{t<T} ||grad f(x_t)||, min_grad_norm over
            t <= T, and the clipped fraction (clipsim counts a per-sample clip per row, a batch
            clip as every row of the step).

Prints one JSON object: the rate in sampled gradients (and stable draws) per second of the loop,
the loop's seconds, and the mean over seeds of each recorded quantity. --norms-out writes one
line per seed (final_grad_norm,mean_grad_norm,clipped_fraction) for the comparison with clipsim's
results.

NumPy runs it on one core: the BLAS thread variables are set to 1 before NumPy is imported (its
elementwise work is single-threaded anyway), which is how the issue's comparison was made.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy.stats import levy_stable  # noqa: E402

METHODS = ("sgd", "clip_sgd", "ps_clip_sgd")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--method", choices=METHODS, required=True)
    parser.add_argument("--dim", type=int, required=True)
    parser.add_argument("--seeds", type=int, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--eta", type=float, default=0.05)
    parser.add_argument("--alpha", type=float, default=1.5)
    parser.add_argument("--clip-scale", type=float, default=float("inf"),
                        help="ps_clip_sgd's clip_scale (clipsim's default: sigma(p) in dim d)")
    parser.add_argument("--clip-power", type=float, default=1.4, help="ps_clip_sgd's clip_power")
    parser.add_argument("--clip-threshold", type=float, default=float("inf"),
                        help="clip_sgd's lambda (clipsim's default: sigma(p) in dim d)")
    parser.add_argument("--rng-seed", type=int, default=0)
    parser.add_argument("--sampler", choices=("scipy", "cms"), default="scipy",
                        help="scipy.stats.levy_stable.rvs (default), or the CMS formula in NumPy")
    parser.add_argument("--norms-out", help="write the per-seed results here (CSV)")
    args = parser.parse_args(argv)
    for name in ("dim", "seeds", "steps", "batch"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1")
    return args


def draw_noise(sampler, alpha, size, rng):
    """Symmetric alpha-stable draws of scale 1 (S1, alpha != 1): SciPy's sampler, or the same
    Chambers-Mallows-Stuck formula written out in NumPy, which is about 6 times faster than
    SciPy 1.10's levy_stable.rvs (whose generic masking, np.take, is half its time)."""
    if sampler == "scipy":
        return levy_stable.rvs(alpha, 0.0, size=size, random_state=rng)
    v = rng.uniform(-np.pi / 2, np.pi / 2, size)
    w = rng.exponential(size=size)
    return (np.sin(alpha * v) / np.cos(v) ** (1 / alpha) *
            (np.cos((1 - alpha) * v) / w) ** ((1 - alpha) / alpha))


def direction(method, g, thresholds, clip_threshold):
    """The step direction of every seed (seeds x d) from its batch g (seeds x n x d), and the
    number of clipped rows of every seed in this step."""
    n = g.shape[1]
    if method == "sgd":
        return g.mean(axis=1), 0
    if method == "clip_sgd":
        m = g.mean(axis=1)
        norm = np.sqrt(np.einsum("sd,sd->s", m, m))
        with np.errstate(divide="ignore"):
            factor = np.minimum(1.0, clip_threshold / norm)
        return factor[:, None] * m, n * (factor < 1.0)
    norms = np.sqrt(np.einsum("snd,snd->sn", g, g))
    with np.errstate(divide="ignore"):
        gamma = np.minimum(1.0, thresholds / norms)
    return np.einsum("sn,snd->sd", gamma, g) / n, (gamma < 1.0).sum(axis=1)


def run(args):
    rng = np.random.default_rng(args.rng_seed)
    seeds, d, n = args.seeds, args.dim, args.batch
    thresholds = args.clip_scale * np.arange(1, n + 1, dtype=float) ** (1.0 / args.clip_power)
    x = np.ones((seeds, d))
    sum_norm = np.zeros(seeds)
    min_norm = np.full(seeds, np.inf)
    clipped = np.zeros(seeds)
    start = time.perf_counter()
    for _ in range(args.steps):
        grad_norm = np.sqrt(np.einsum("sd,sd->s", x, x))
        sum_norm += grad_norm
        np.minimum(min_norm, grad_norm, out=min_norm)
        xi = draw_noise(args.sampler, args.alpha, (seeds, n, d), rng)
        g = x[:, None, :] + xi
        step, clipped_rows = direction(args.method, g, thresholds, args.clip_threshold)
        clipped += clipped_rows
        x -= args.eta * step
    final_norm = np.sqrt(np.einsum("sd,sd->s", x, x))
    np.minimum(min_norm, final_norm, out=min_norm)
    seconds = time.perf_counter() - start
    mean_norm = sum_norm / args.steps
    samples = seeds * args.steps * n
    report = {
        "method": args.method, "dim": d, "seeds": seeds, "steps": args.steps, "batch": n,
        "loop_seconds": seconds,
        "sampled_gradients_per_s": samples / seconds,
        "draws_per_s": samples * d / seconds,
        "mean_final_grad_norm": float(final_norm.mean()),
        "mean_value_gap": float((0.5 * final_norm**2).mean()),
        "mean_mean_grad_norm": float(mean_norm.mean()),
        "mean_min_grad_norm": float(min_norm.mean()),
        "clipped_fraction": float(clipped.sum() / samples),
    }
    if args.norms_out:
        with open(args.norms_out, "w", encoding="ascii") as out:
            out.write("final_grad_norm,mean_grad_norm,clipped_fraction\n")
            for final, mean, rows in zip(final_norm, mean_norm, clipped / (args.steps * n)):
                out.write(f"{final!r},{mean!r},{rows!r}\n")
    return report


def main(argv):
    args = parse_args(argv)
    print(json.dumps(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
