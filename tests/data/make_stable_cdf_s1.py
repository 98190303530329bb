#!/usr/bin/env python3
"""Makes and checks tests/data/stable_cdf_s1.csv, the S1 stable CDF table of
tests/noise/stable_cdf_test.cpp. Python standard library only.

Where the table came from: it is a byte-for-byte copy of ../shared/reference/stable_cdf_s1.csv
(relative to the project root: the shared reference folder next to the project's checkout), a
table made outside this repository with scipy 1.10.1's levy_stable (parameterization S1, default
cdf method), printed with 12 significant digits ("%.12g"), on the grid

    alpha in {0.5, 0.8, 0.95, 1.0, 1.05, 1.3, 1.5, 1.8} x skew in {-1, -0.5, 0, 0.5, 1}
    x in {-10, -3, -1, -0.3, 0, 0.3, 1, 3, 10}, and alpha = 2 with skew 0 (369 rows),

i.e. for each row `"%.12g" % levy_stable.cdf(x, alpha, skew)` with
`levy_stable.parameterization = "S1"`. Its four header lines state each row's accuracy: the
closed forms (alpha = 2, alpha = 1 with skew 0, alpha = 1/2 with skew 1) to 5.55e-17, the 210
points with alpha in {0.8, 1, 1.05, 1.3, 1.5, 1.8} and |x| <= 3 to 2.9e-11 (the largest
difference from an inversion of the characteristic function), every other row to 1e-7; two
rows where scipy 1.10 is wrong hold the inversion's value. scipy is no dependency of this project
(and this script does not need it): the scipy values are copied, and this script checks them.

    python3 tests/data/make_stable_cdf_s1.py copy [REFERENCE]   # copy, then check the copy
    python3 tests/data/make_stable_cdf_s1.py check [TABLE]      # check (default: the repo copy)

`copy` takes REFERENCE (default ../shared/reference/stable_cdf_s1.csv from the project root),
refuses it unless it passes the checks below, and writes it unchanged to tests/data/.

`check` recomputes every row independently by Gil-Pelaez inversion of the S1 characteristic
function (below), then reports per class of rows the largest difference from the table and fails
(exit status 1) where one exceeds what the header states, plus the rounding of the printed value
(half a unit in the 12th significant digit, at most 5e-13). It also checks the grid and the
closed forms. It takes about 10 s of CPU.

Inversion (Gil-Pelaez 1951): F(x) = 1/2 - (1/pi) int_0^inf Im[exp(-i t x) phi(t)] / t dt with the
S1 characteristic function phi (Samorodnitsky & Taqqu 1994, Definition 1.1.6), i.e.
    alpha != 1: F(x) = 1/2 - (1/pi) int_0^inf exp(-t^alpha) sin(skew tan(pi alpha/2) t^alpha - x t) / t dt
    alpha == 1: F(x) = 1/2 + (1/pi) int_0^inf exp(-t) sin((2/pi) skew t log t + x t) / t dt.
The integral runs to T with T^alpha = 40 (the rest is below exp(-40)), the first piece [0, t0]
(where the integrand may be singular like t^(alpha-1)) by tanh-sinh quadrature, the rest in
pieces shorter than a third of the local period of the sine, 24-point Gauss-Legendre on each.
Doing it again with pieces half as long changes no value by more than the printed `self-check`
figure (5e-15 for this table), far below every tolerance checked.
"""

import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_REFERENCE = os.path.join(PROJECT, "..", "shared", "reference", "stable_cdf_s1.csv")
REPO_COPY = os.path.join(HERE, "stable_cdf_s1.csv")

ALPHAS = [0.5, 0.8, 0.95, 1.0, 1.05, 1.3, 1.5, 1.8]
SKEWS = [-1.0, -0.5, 0.0, 0.5, 1.0]
XS = [-10, -3, -1, -0.3, 0, 0.3, 1, 3, 10]
INVERSION_ALPHAS = [0.8, 1.0, 1.05, 1.3, 1.5, 1.8]  # the header's 210 points, with |x| <= 3
SCIPY_DEFECT_ROWS = [(0.95, -0.5, -0.3), (0.95, 0.5, 0.3)]  # the header's two rows (mirror images)

# The accuracy the table's header states, per class of rows (see the module docstring).
STATED = {"closed form": 5.55e-17, "inversion": 2.9e-11, "other": 1e-7}


def gauss_legendre(n):
    """Nodes and weights on [-1, 1] (Newton on the Legendre recurrence)."""
    nodes, weights = [], []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1)
            step = p1 / dp
            x -= step
            if abs(step) < 1e-16:
                break
        nodes.append(x)
        weights.append(2 / ((1 - x * x) * dp * dp))
    return nodes, weights


GL_NODES, GL_WEIGHTS = gauss_legendre(24)


def tanh_sinh(f, a, b):
    """int_a^b f, endpoint singularities allowed; distances to the ends computed without
    cancellation. Halves the step until two levels agree to 1e-16 relative."""
    half = (b - a) / 2
    h = 1.0 / 8
    total = None
    for _ in range(8):
        s_sum = 0.0
        k = -int(4.0 / h)
        while k <= int(4.0 / h):
            s = k * h
            u = math.pi / 2 * math.sinh(s)
            if abs(u) > 300:
                k += 1
                continue
            w = half * math.pi / 2 * math.cosh(s) / math.cosh(u) ** 2
            if w == 0.0:
                k += 1
                continue
            # a + (b - a) / (1 + exp(-2u)) and b - (b - a) / (1 + exp(2u)), whichever end is near.
            t = a + (b - a) / (1 + math.exp(-2 * u)) if u < 0 else b - (b - a) / (1 + math.exp(2 * u))
            if a < t < b:
                s_sum += w * f(t)
            k += 1
        value = s_sum * h
        if total is not None and abs(value - total) <= 1e-16 * max(1.0, abs(value)):
            return value
        total = value
        h /= 2
    return total


def gil_pelaez(x, alpha, skew, refine=1):
    """F(x) for the standard S1 law. refine = 2 halves every piece (the self-check)."""
    if alpha == 1.0:
        def g(t):
            return math.exp(-t) * math.sin((2 / math.pi) * skew * t * math.log(t) + x * t) / t

        def rate(t):  # |d phase / dt|
            return abs((2 / math.pi) * skew * (math.log(t) + 1) + x)

        sign = 1.0
    else:
        k = skew * math.tan(math.pi * alpha / 2)

        def g(t):
            return math.exp(-t ** alpha) * math.sin(k * t ** alpha - x * t) / t

        def rate(t):
            return abs(k * alpha * t ** (alpha - 1) - x)

        sign = -1.0
    top = 40.0 ** (1 / alpha)
    t0 = min(1.0, top)
    total = tanh_sinh(g, 0.0, t0)
    t = t0
    while t < top:
        # Shorter than a third of the sine's local period at both ends (and at most 0.5).
        length = 0.5
        for _ in range(3):
            fastest = max(rate(t), rate(min(t + length, top)), 1e-300)
            length = min(0.5, 2 * math.pi / 3 / fastest)
        length = min(length / refine, top - t)
        mid, half = t + length / 2, length / 2
        total += half * sum(w * g(mid + half * z) for z, w in zip(GL_NODES, GL_WEIGHTS))
        t += length
    return 0.5 + sign * total / math.pi


def closed_form(x, alpha, skew):
    """The closed forms the header names, or None."""
    if alpha == 2.0:
        return 0.5 * math.erfc(-x / 2)  # normal with variance 2
    if alpha == 1.0 and skew == 0.0:
        return 0.5 + math.atan(x) / math.pi  # Cauchy
    if alpha == 0.5 and skew == 1.0:
        return math.erfc(math.sqrt(1 / (2 * x))) if x > 0 else 0.0  # Levy
    return None


def row_class(alpha, skew, x):
    if closed_form(x, alpha, skew) is not None:
        return "closed form"
    if alpha in INVERSION_ALPHAS and abs(x) <= 3:
        return "inversion"
    return "other"


def printed_rounding(value):
    """Half a unit in the 12th significant digit of a "%.12g" value."""
    if value == 0.0:
        return 0.0
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - 11)


def read_table(path):
    header, rows = [], []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                header.append(line)
            elif line and not line.startswith("alpha"):
                a, s, x, c = line.split(",")
                rows.append((float(a), float(s), float(x), float(c), c))
    return header, rows


def check(path):
    header, rows = read_table(path)
    failures = []
    grid = [(a, s, float(x)) for a in ALPHAS for s in SKEWS for x in XS]
    grid += [(2.0, 0.0, float(x)) for x in XS]
    if [(a, s, x) for a, s, x, _, _ in rows] != grid:
        failures.append("the rows are not the documented grid")
    if "2.9e-11" not in " ".join(header) or "1e-7" not in " ".join(header):
        failures.append("the header does not state the accuracies this script checks")
    for _, _, _, value, text in rows:
        if text != "%.12g" % value and float("%.12g" % value) != value:
            failures.append("a value is not printed with 12 significant digits: " + text)
    worst = {}  # class -> (excess over stated accuracy + rounding, difference, row)
    worst_closed = 0.0
    self_check = 0.0
    for alpha, skew, x, value, _ in rows:
        exact = closed_form(x, alpha, skew)
        if exact is not None:
            worst_closed = max(worst_closed, abs(exact - value) - printed_rounding(value))
        inverted = gil_pelaez(x, alpha, skew)
        self_check = max(self_check, abs(gil_pelaez(x, alpha, skew, refine=2) - inverted))
        reference = exact if exact is not None else inverted
        c = row_class(alpha, skew, x)
        if (alpha, skew, x) in SCIPY_DEFECT_ROWS:
            c = "other (scipy defect, inversion value)"
        diff = abs(reference - value)
        allowed = STATED.get(c, STATED["other"]) + printed_rounding(value)
        if c not in worst or diff > worst[c][0]:
            worst[c] = (diff, allowed, (alpha, skew, x))
        if diff > allowed:
            failures.append("alpha=%g skew=%g x=%g: table %.12g, independent value %.15g, "
                            "difference %.3g > %.3g" % (alpha, skew, x, value, reference, diff,
                                                         allowed))
    print("%s: %d rows" % (path, len(rows)))
    print("  closed forms against the table: beyond the printed rounding by at most %.3g"
          % max(worst_closed, 0.0))
    for c, (diff, allowed, at) in sorted(worst.items()):
        n = sum(1 for a, s, x, _, _ in rows
                if (row_class(a, s, x) if (a, s, x) not in SCIPY_DEFECT_ROWS
                    else "other (scipy defect, inversion value)") == c)
        print("  %-38s %3d rows: worst |table - independent| = %.3g (allowed %.3g) at "
              "alpha=%g skew=%g x=%g" % (c, n, diff, allowed, *at))
    print("  self-check of the inversion (pieces halved): values move by at most %.3g" % self_check)
    for f in failures:
        print("FAIL: " + f)
    return not failures


def main(argv):
    if len(argv) >= 2 and argv[1] == "check":
        return 0 if check(argv[2] if len(argv) > 2 else REPO_COPY) else 1
    if len(argv) >= 2 and argv[1] == "copy":
        source = argv[2] if len(argv) > 2 else DEFAULT_REFERENCE
        if not check(source):
            print("not copied: %s fails the checks" % source)
            return 1
        with open(source, "rb") as f:
            data = f.read()
        with open(REPO_COPY, "wb") as f:
            f.write(data)
        print("copied %s to %s" % (source, REPO_COPY))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
