#!/usr/bin/python3
"""clipsim against its NumPy peer, on the same workload, back to back (issue 15, item 3).

Usage (from the repository root, with Debian's interpreter, which has NumPy and SciPy):
  /usr/bin/python3 bench/peer/run_peer.py [--build DIR] [--reps N] [--quick] [--work DIR]
                                          [--peer-sampler scipy|cms]
  /usr/bin/python3 bench/peer/run_peer.py --plant "--alpha 1.45"   # the check's planted case

  --build DIR   the build folder with clipsim and bench_noise (default: build)
  --reps N      timed runs of each side per case, alternating peer / clipsim (default 5)
  --quick       one run of each case at small sizes, for the smoke test (CTest bench.peer_quick)
  --work DIR    where the sweep configs and folders go (default: a fresh temporary folder,
                removed at the end); the configs written there are the sweeps timed
  --peer-sampler  the peer's stable draws: scipy.stats.levy_stable.rvs (default, the issue's), or
                the Chambers-Mallows-Stuck formula written out in NumPy (cms): the same
                draws from the same generator to 1e-14 (SciPy's formula and draw order), about
                6 times faster
  --plant ARGS  run only the agreement check, with ARGS appended to the peer's arguments, and
                succeed when the check tells the two apart (CTest bench.peer_planted)

What it does:
1. The agreement check: at a small size (AGREEMENT_CASES, 20 steps), the peer
   (bench/peer/peer_sgd.py) and a clipsim sweep of the same config give the same law over seeds
   of the final ||grad f||, of mean_grad_norm and of the clipped fraction: two-sample
   Kolmogorov-Smirnov p >= 1e-4 for the two norms; for the clipped methods (whose steps are
   bounded, so the means have a standard error) every mean within 4.5 standard errors; sgd
   clips nothing on either side. It decides whether the two sides do the same work: the
   timings mean nothing without it. Both sides' seeds are fixed, so the verdict is the same on
   every run of a build. Measured power: a peer with a 10% larger step or alpha 1.45 instead of
   1.5 is told apart (|z| >= 6); clip_power 1.5 instead of 1.4 or batch 15 instead of 16 is not.
2. For each case (method, d): the peer as one process (one core: NumPy with one BLAS thread) and
   `clipsim sweep CONFIG --out DIR --threads 2` as one process, alternating, --reps times each.
   Rates are sampled gradients per second of whole-process wall time (start-up, SciPy's import,
   the sweep's folder writing all included), medians over the runs. Printed: both rates, the
   ratio clipsim / peer, and the fraction of the sampler's own rate the sweep reaches,
   rate x d / (2 x sampler draws per core per s), the sampler's rate measured after each timed
   pair (build/bench_noise --benchmark_filter=StableSymmetricFill, the median of its
   repetitions, symmetric stable draws per second per core) and its median over the pairs taken;
   and beside it the fraction of what two such benchmarks run at once make together (the
   ceiling of a 2-thread sweep where the two cores do not add up, as on a shared VM). Before and
   after the cases, the sampler pinned to each core in turn: a VM's cores need not be equally
   fast, and an unpinned reading depends on where the scheduler put it.

The workload (the issue's): quadratic (identity, start x_i = 1), noise stable alpha = 1.5 with iid
coordinates (clipsim's default shape), p = 1.4, batch 16, 100 steps (budget 1600), constant step
0.05; ps_clip_sgd with clip_scale = sigma(p) in dimension d (clipsim's default, given explicitly
to both sides) and clip_power = p; clip_sgd with threshold sigma(p); sgd. The peer's seeds are the
issue's, 20000 / 1000 / 20 at d = 1 / 10 / 1000; clipsim's, 40000 / 10000 / 100, make a sweep
last 2 s or more on the 2-core development VM (5-17 s when it is shared). A full run takes
15-20 minutes on that VM when shared, most of it the peer's.

Exit status: 0 done; 1 the agreement check failed or a program failed; 77 SciPy or NumPy is
missing (the smoke test is then skipped).
"""
import argparse
import csv
import json
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PEER = HERE / "peer_sgd.py"
SKIP = 77

ALPHA = 1.5
P = 1.4
BATCH = 16
ETA = 0.05
THREADS = 2

# (method, d, peer seeds, clipsim seeds, steps, repetitions: None = --reps).
FULL_CASES = [
    ("ps_clip_sgd", 1, 20000, 40000, 100, None),
    ("ps_clip_sgd", 10, 1000, 10000, 100, None),
    ("ps_clip_sgd", 1000, 20, 100, 100, None),
    ("sgd", 10, 1000, 10000, 100, 2),
    ("clip_sgd", 10, 1000, 10000, 100, 2),
]
QUICK_CASES = [
    ("ps_clip_sgd", 1, 500, 2000, 20, 1),
    ("ps_clip_sgd", 10, 50, 500, 20, 1),
    ("ps_clip_sgd", 1000, 1, 10, 20, 1),
]
# (method, d, seeds of each side, steps): small, and 20 steps leave the start's trace in the final
# iterate (0.95^20 = 0.36), so a wrong start or step shows as well as a wrong noise or clipping.
AGREEMENT_CASES = [
    ("ps_clip_sgd", 1, 2000, 20),
    ("ps_clip_sgd", 10, 500, 20),
    ("clip_sgd", 10, 500, 20),
    ("sgd", 1, 2000, 20),
]
KS_MIN_P = 1e-4
MAX_Z = 4.5


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="clipsim against its NumPy peer on the same workload, back to back")
    parser.add_argument("--build", default="build", help="build folder (default: build)")
    parser.add_argument("--reps", type=int, default=5, help="timed runs per side (default 5)")
    parser.add_argument("--quick", action="store_true", help="one run, small sizes (smoke test)")
    parser.add_argument("--work", help="folder for configs and sweep outputs (default: temporary)")
    parser.add_argument("--peer-sampler", choices=("scipy", "cms"), default="scipy",
                        help="the peer's stable sampler: SciPy's levy_stable (default) or the "
                             "CMS formula in NumPy, about 6 times faster")
    parser.add_argument("--plant", metavar="ARGS",
                        help="the planted case: append ARGS to the peer's arguments in the "
                             "agreement check, run only the check, and succeed when it fails")
    args = parser.parse_args(argv)
    if args.reps < 1:
        parser.error("--reps must be >= 1")
    return args


def sigma_p(clipsim, d):
    """clipsim's sigma(p) of the noise in dimension d: the default clip_scale / clip_threshold."""
    out = subprocess.run([str(clipsim), "facts", "--noise", f"kind=stable,alpha={ALPHA}",
                          "--dim", str(d), "--p", str(P)],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("sigma(p):"):
            return float(line.split()[1])
    raise RuntimeError(f"no sigma(p) in the output of clipsim facts:\n{out}")


def method_keys(method, sigma):
    """The optimizer's keys, the same numbers for both sides (repr: the exact double)."""
    if method == "ps_clip_sgd":
        return {"clip_scale": sigma, "clip_power": P}
    if method == "clip_sgd":
        return {"clip_threshold": sigma}
    return {}


def write_config(path, method, d, seeds, steps, sigma):
    keys = "".join(f", {k}: {v!r}" for k, v in method_keys(method, sigma).items())
    path.write_text(
        "# Written by bench/peer/run_peer.py: the workload of bench/peer/peer_sgd.py.\n"
        f"problem: {{kind: quadratic, dim: {d}}}\n"
        f"noise: {{kind: stable, alpha: {ALPHA}}}\n"
        f"p: {P}\n"
        f"optimizer: {{method: {method}{keys}}}\n"
        f"schedule: {{kind: constant, eta0: {ETA}}}\n"
        f"batch_size: {BATCH}\n"
        f"budgets: [{steps * BATCH}]\n"
        f"seeds: {seeds}\n", encoding="ascii")


PEER_SAMPLER = ["scipy"]  # set once from --peer-sampler


def peer_args(method, d, seeds, steps, sigma):
    """The peer's command-line arguments for the workload."""
    args = ["--sampler", PEER_SAMPLER[0], "--method", method, "--dim", str(d),
            "--seeds", str(seeds), "--steps", str(steps), "--batch", str(BATCH),
            "--eta", repr(ETA), "--alpha", repr(ALPHA)]
    for key, value in method_keys(method, sigma).items():
        args += ["--" + key.replace("_", "-"), repr(value)]
    return args


def timed(cmd, env=None):
    """Whole-process wall seconds of cmd, and its standard output."""
    start = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, done.stdout


def run_sweep(clipsim, config, out):
    shutil.rmtree(out, ignore_errors=True)  # a fresh folder: an existing one would resume
    return timed([str(clipsim), "sweep", str(config), "--out", str(out),
                  "--threads", str(THREADS), "--quiet"])[0]


# The quantities compared, as (name printed, clipsim's results.csv column, the peer's column).
COMPARED = [("final ||grad f||", "grad_norm", "final_grad_norm"),
            ("mean_grad_norm", "mean_grad_norm", "mean_grad_norm"),
            ("clipped_fraction", "clipped_fraction", "clipped_fraction")]


def read_columns(path, columns, budget=None):
    """The columns of a CSV file as lists of floats; with budget, only the rows of clipsim's
    final checkpoint (target == budget): one per seed."""
    values = {c: [] for c in columns}
    with open(path, newline="", encoding="ascii") as f:
        for row in csv.DictReader(f):
            if budget is None or int(row["target"]) == budget:
                for c in columns:
                    values[c].append(float(row[c]))
    return [values[c] for c in columns]


def mean_z(a, b):
    """Welch's z of the difference of the means of a and b."""
    se = math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
    return (statistics.fmean(a) - statistics.fmean(b)) / se


def agreement(clipsim, work, sigmas, plant):
    """Runs the agreement cases, with the arguments plant appended to the peer's; returns True
    when every case agrees."""
    import peer_sgd  # noqa: E402 (beside this file; it imports NumPy and SciPy)
    from scipy.stats import ks_2samp

    print("Agreement, peer vs clipsim (same config, seeds of each side as listed, 20 steps):")
    ok = True
    for method, d, seeds, steps in AGREEMENT_CASES:
        tag = f"agree_{method}_d{d}"
        config, out, norms = work / f"{tag}.yaml", work / tag, work / f"{tag}.peer.csv"
        write_config(config, method, d, seeds, steps, sigmas[d])
        run_sweep(clipsim, config, out)
        # In this process: the check is about what the peer computes, not how fast, and the
        # smoke test saves SciPy's import in a process per case.
        peer_sgd.run(peer_sgd.parse_args(peer_args(method, d, seeds, steps, sigmas[d]) +
                                         ["--norms-out", str(norms)] + plant))
        peer = read_columns(norms, [c[2] for c in COMPARED])
        sim = read_columns(out / "results.csv", [c[1] for c in COMPARED], steps * BATCH)
        if len(sim[0]) != seeds:
            raise RuntimeError(f"{out}/results.csv: {len(sim[0])} final rows, not {seeds}")
        for (name, _, _), a, b in zip(COMPARED, peer, sim):
            text = (f"  {method:12s} d={d:<4d} n={seeds:<5d} {name:16s} "
                    f"mean peer {statistics.fmean(a):.4f} clipsim {statistics.fmean(b):.4f}")
            if name == "clipped_fraction":
                # A count of clipped rows: discrete, so no KS test; bounded, so the z of the
                # means decides. sgd never clips, on either side.
                if method == "sgd":
                    verdict = max(a) == 0 and max(b) == 0
                else:
                    z = mean_z(a, b)
                    verdict = abs(z) <= MAX_Z
                    text += f", z = {z:+.2f}"
            else:
                p_value = ks_2samp(a, b).pvalue
                verdict = p_value >= KS_MIN_P
                text += f", KS p = {p_value:.3g}"
                # Without clipping the noise has no variance: the means have no standard error.
                if method != "sgd":
                    z = mean_z(a, b)
                    verdict = verdict and abs(z) <= MAX_Z
                    text += f", z = {z:+.2f}"
            print(text + ("" if verdict else "  DISAGREE"))
            ok = ok and verdict
    return ok


def sampler_cmd(bench_noise, out, quick):
    return [str(bench_noise), "--benchmark_filter=StableSymmetricFill",
            f"--benchmark_out={out}", "--benchmark_out_format=json",
            f"--benchmark_min_time={0.02 if quick else 0.1}"]


def sampler_median(out):
    runs = json.loads(out.read_text())["benchmarks"]
    for run in runs:
        if run.get("aggregate_name") == "median":
            return run["items_per_second"]
    return statistics.median(run["items_per_second"] for run in runs)


def sampler_rate(bench_noise, work, quick):
    """Median symmetric stable draws per second per core, from bench_noise's JSON file. A short
    run (5 repetitions of 0.1 s): it is measured beside every timed pair, because this machine's
    speed for the vector code moves by several times within minutes when it is shared."""
    out = work / "bench_noise.json"
    subprocess.run(sampler_cmd(bench_noise, out, quick), check=True, capture_output=True)
    return sampler_median(out)


def sampler_pair_rate(bench_noise, work, quick):
    """The same benchmark as two processes at once: the sum of their medians, what THREADS = 2
    cores give the sampler together. On a machine whose two cores do not add up (a VM sharing
    them, SMT siblings) it is below 2 x sampler_rate, and it is the ceiling a 2-thread sweep can
    reach."""
    outs = [work / f"bench_noise_pair{i}.json" for i in range(THREADS)]
    procs = [subprocess.Popen(sampler_cmd(bench_noise, out, quick), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for out in outs]
    for proc in procs:
        if proc.wait() != 0:
            raise RuntimeError(f"{bench_noise} failed ({proc.returncode})")
    return sum(sampler_median(out) for out in outs)


def sampler_per_core(bench_noise, work, quick):
    """The sampler's rate pinned to each of the first THREADS cores this process may use, one
    after the other: {core: draws/s}. The cores of a VM need not be equally fast (on the 2-core
    development VM one read 131-137 and the other 110-113 M/s in the same minutes), so an unpinned
    single reading depends on where the scheduler put it; the sum is what the sweep's threads can
    get, like "2 at once"."""
    rates = {}
    for core in sorted(os.sched_getaffinity(0))[:THREADS]:
        out = work / f"bench_noise_core{core}.json"
        subprocess.run(sampler_cmd(bench_noise, out, quick), check=True, capture_output=True,
                       preexec_fn=lambda core=core: os.sched_setaffinity(0, {core}))
        rates[core] = sampler_median(out)
    return rates


def format_cores(rates):
    return ", ".join(f"core {core} {rate / 1e6:.1f}" for core, rate in rates.items()) + (
        f" (sum {sum(rates.values()) / 1e6:.1f})")


def measure(case, reps, clipsim, bench_noise, work, sigma, quick):
    method, d, peer_seeds, sim_seeds, steps, case_reps = case
    reps = case_reps if case_reps is not None and case_reps < reps else reps
    budget = steps * BATCH
    config, out = work / f"{method}_d{d}.yaml", work / f"{method}_d{d}"
    write_config(config, method, d, sim_seeds, steps, sigma)
    peer_cmd = [sys.executable, str(PEER)] + peer_args(method, d, peer_seeds, steps, sigma)
    peer_s, sim_s, loop_rates, samplers, pairs = [], [], [], [], []
    for _ in range(reps):
        seconds, stdout = timed(peer_cmd)
        peer_s.append(seconds)
        loop_rates.append(json.loads(stdout)["sampled_gradients_per_s"])
        sim_s.append(run_sweep(clipsim, config, out))
        samplers.append(sampler_rate(bench_noise, work, quick))
        pairs.append(sampler_pair_rate(bench_noise, work, quick))
    shutil.rmtree(out, ignore_errors=True)
    sampler = statistics.median(samplers)
    pair = statistics.median(pairs)
    peer_rate = peer_seeds * budget / statistics.median(peer_s)
    sim_rate = sim_seeds * budget / statistics.median(sim_s)
    return {
        "method": method, "d": d, "steps": steps, "reps": reps,
        "peer_seeds": peer_seeds, "clipsim_seeds": sim_seeds,
        "peer_s": statistics.median(peer_s), "clipsim_s": statistics.median(sim_s),
        "peer_rate": peer_rate, "peer_loop_rate": statistics.median(loop_rates),
        "clipsim_rate": sim_rate, "ratio": sim_rate / peer_rate,
        "sampler": sampler, "sampler_fraction": sim_rate * d / (THREADS * sampler),
        "sampler_pair": pair, "pair_fraction": sim_rate * d / pair,
    }


def print_table(rows):
    print("\nRates in sampled gradients/s, whole-process wall time, medians over the runs; peer "
          f"on 1 core (NumPy), clipsim sweep on {THREADS} threads; (loop): the peer's rate "
          "without start-up; sampler: bench_noise StableSymmetricFill, M draws/s per core, "
          "median over the runs; of sampler: sweep rate x d / (2 x sampler); 2 at once: "
          "the sum of two such benchmarks run at the same time (M draws/s), what the two cores "
          "give the sampler together; of that: sweep rate x d / it.")
    header = (f"{'method':12s} {'d':>5s} {'runs':>4s} {'peer seeds':>10s} {'peer s':>7s} "
              f"{'peer rate':>10s} {'(loop)':>10s} {'sweep seeds':>11s} {'sweep s':>7s} "
              f"{'sweep rate':>11s} {'ratio':>7s} {'sampler':>7s} {'of sampler':>10s} "
              f"{'2 at once':>9s} {'of that':>8s}")
    print(header)
    for r in rows:
        print(f"{r['method']:12s} {r['d']:5d} {r['reps']:4d} {r['peer_seeds']:10d} "
              f"{r['peer_s']:7.2f} {r['peer_rate']:10.4g} {r['peer_loop_rate']:10.4g} "
              f"{r['clipsim_seeds']:11d} {r['clipsim_s']:7.2f} {r['clipsim_rate']:11.4g} "
              f"{r['ratio']:6.1f}x {r['sampler'] / 1e6:7.1f} "
              f"{100 * r['sampler_fraction']:9.1f}% {r['sampler_pair'] / 1e6:9.1f} "
              f"{100 * r['pair_fraction']:7.1f}%")


def main(argv):
    args = parse_args(argv)
    try:
        import numpy  # noqa: F401
        import scipy.stats  # noqa: F401
    except ImportError as e:
        print(f"SKIP: the peer needs NumPy and SciPy ({e}); run with /usr/bin/python3")
        return SKIP
    build = Path(args.build).resolve()
    clipsim, bench_noise = build / "clipsim", build / "bench_noise"
    for program in (clipsim, bench_noise):
        if not os.access(program, os.X_OK):
            print(f"error: {program} not found; build it (cmake --build {build} "
                  "--target clipsim bench_noise) or give --build", file=sys.stderr)
            return 1
    PEER_SAMPLER[0] = args.peer_sampler
    cases = QUICK_CASES if args.quick else FULL_CASES
    reps = 1 if args.quick else args.reps
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="clipsim-peer-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        dims = sorted({c[1] for c in cases} | {c[1] for c in AGREEMENT_CASES})
        sigmas = {d: sigma_p(clipsim, d) for d in dims}
        if args.plant is not None:
            if agreement(clipsim, work, sigmas, shlex.split(args.plant)):
                print(f"error: the peer with {args.plant} passed the agreement check: the "
                      "check cannot tell different work apart", file=sys.stderr)
                return 1
            print(f"The peer with {args.plant} was told apart, as it must be.")
            return 0
        if not agreement(clipsim, work, sigmas, []):
            print("error: the peer and clipsim disagree: the timings would compare different "
                  "work", file=sys.stderr)
            return 1
        load_before = os.getloadavg()
        cores_before = sampler_per_core(bench_noise, work, args.quick)
        rows = []
        for case in cases:
            rows.append(measure(case, reps, clipsim, bench_noise, work, sigmas[case[1]],
                                args.quick))
            print(f"  measured {case[0]} d={case[1]}", flush=True)
        print_table(rows)
        print(f"Sampler pinned to each core (M draws/s), before: {format_cores(cores_before)}; "
              f"after: {format_cores(sampler_per_core(bench_noise, work, args.quick))}")
        # Both sides share the machine with whatever else runs: the load says how far to trust
        # the figures (the ratio less affected than the rates, as the runs alternate).
        print("Load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}, after: "
              "{:.2f} {:.2f} {:.2f}".format(*load_before, *os.getloadavg()))
    except subprocess.CalledProcessError as e:
        print(f"error: {' '.join(map(str, e.cmd))} exited with {e.returncode}:\n"
              f"{e.stderr}", file=sys.stderr)
        return 1
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
