"""clipsim.noise: draws bit-identical to `clipsim sample`, their law against scipy's levy_stable,
the facts against closed forms, and refusals as ValueError with the CLI's text."""

import math

import numpy as np
import pytest

import clipsim
from conftest import cli_error


def cli_draws(cli, spec, count, dim, seed, shape=None):
    args = ["sample", "--noise", spec, "--count", count, "--dim", dim, "--seed", seed]
    if shape is not None:
        args += ["--shape", shape]
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    # The CLI writes shortest round-trip numbers: float() reads each back to the same double.
    rows = [[float(t) for t in line.split(" ")] for line in done.stdout.splitlines()]
    return np.array(rows, dtype=np.float64).reshape(count, dim)


@pytest.mark.parametrize("spec, count, dim, seed, shape", [
    ("kind=stable,alpha=1.5,skew=0.3,scale=1", 1000, 1, 7, None),
    ("kind=gaussian,scale=2", 70000, 1, 3, None),                   # more than one chunk
    ("kind=pareto,tail=1.5", 500, 3, 1, None),
    ("kind=pareto,tail=3,scale=2", 200, 4, 5, "radial"),
    ("kind=stable,alpha=1.2", 40, 4096, 9, "isotropic"),            # chunks of 16 rows
    ("kind=contaminated,eps=0.3,other=[kind=student_t,dof=2]", 300, 2, 11, None),
    ("kind=contaminated,eps=0.5,other=[kind=stable,alpha=1.5]", 100, 3, 2, "isotropic"),
    ("kind=two_point,atom=3", 100, 1, 4, None),
    ("kind=lomax,tail=2.5", 100, 2, 6, None),
    ("kind=uniform,scale=2,loc=1", 100, 1, 8, None),
])
def test_draws_equal_clipsim_sample_bit_for_bit(cli, spec, count, dim, seed, shape):
    got = clipsim.noise.sample(spec, count, dim=dim, shape=shape, seed=seed)
    assert got.dtype == np.float64
    assert got.shape == ((count,) if dim == 1 else (count, dim))
    expected = cli_draws(cli, spec, count, dim, seed, shape)
    assert np.array_equal(got.reshape(count, dim).view(np.uint64), expected.view(np.uint64))


def test_defaults_are_the_clis_seed_and_the_specs_shape(cli):
    got = clipsim.noise.sample("kind=stable,alpha=1.7", 50)
    done = cli("sample", "--noise", "kind=stable,alpha=1.7", "--count", 50)
    assert np.array_equal(got, np.array([float(t) for t in done.stdout.split()]))
    assert clipsim.noise.sample("kind=gaussian", 0).shape == (0,)


def test_the_same_seed_repeats_and_another_differs():
    a = clipsim.noise.sample("kind=pareto,tail=2", 1000, seed=3)
    assert np.array_equal(a, clipsim.noise.sample("kind=pareto,tail=2", 1000, seed=3))
    assert not np.array_equal(a, clipsim.noise.sample("kind=pareto,tail=2", 1000, seed=4))


def test_symmetric_and_skewed_stable_draws_follow_scipys_levy_stable():
    """Two-sample KS against scipy's own sampler (S1; an independent implementation)."""
    scipy_stats = pytest.importorskip("scipy.stats")
    levy = scipy_stats.levy_stable
    saved = levy.parameterization
    levy.parameterization = "S1"
    try:
        for alpha, skew in [(1.5, 0.0), (1.2, 0.5), (0.8, -0.3)]:
            ours = clipsim.noise.sample(f"kind=stable,alpha={alpha},skew={skew},scale=2,loc=1",
                                        20000, seed=12)
            theirs = levy.rvs(alpha, skew, loc=1, scale=2, size=20000,
                              random_state=np.random.default_rng(12))
            p = scipy_stats.ks_2samp(ours, theirs).pvalue
            assert p > 1e-3, (alpha, skew, p)
        # The planted failure: another alpha is told apart.
        other = levy.rvs(1.9, 0.0, size=20000, random_state=np.random.default_rng(12))
        ours = clipsim.noise.sample("kind=stable,alpha=1.5", 20000, seed=12)
        assert scipy_stats.ks_2samp(ours, other).pvalue < 1e-6
    finally:
        levy.parameterization = saved


def test_stable_cdf_and_pdf_match_closed_forms_and_scipy():
    x = np.array([-3.0, -0.5, 0.0, 0.7, 4.0])
    # alpha = 2: N(0, 2); alpha = 1, skew = 0: Cauchy.
    np.testing.assert_allclose(clipsim.noise.stable_pdf(x, 2.0),
                               np.exp(-x**2 / 4) / math.sqrt(4 * math.pi), rtol=1e-12)
    np.testing.assert_allclose(clipsim.noise.stable_cdf(x, 1.0),
                               0.5 + np.arctan(x) / math.pi, rtol=1e-12)
    assert isinstance(clipsim.noise.stable_cdf(0.0, 1.5), float)
    scipy_stats = pytest.importorskip("scipy.stats")
    levy = scipy_stats.levy_stable
    saved = levy.parameterization
    levy.parameterization = "S1"
    try:
        np.testing.assert_allclose(clipsim.noise.stable_cdf(x, 1.5, 0.3, 2.0, 1.0),
                                   levy.cdf(x, 1.5, 0.3, loc=1.0, scale=2.0), atol=1e-7)
        np.testing.assert_allclose(clipsim.noise.stable_sf(x, 1.5, 0.3),
                                   levy.sf(x, 1.5, 0.3), atol=1e-7)
    finally:
        levy.parameterization = saved


def gaussian_moment(scale, p, dim):
    """E||scale G||^p for G standard normal in dimension dim."""
    return scale**p * 2**(p / 2) * math.gamma((dim + p) / 2) / math.gamma(dim / 2)


@pytest.mark.parametrize("p, dim", [(1.0, 1), (1.4, 1), (2.0, 1), (1.5, 10), (0.5, 3)])
def test_gaussian_facts_are_the_closed_form(p, dim):
    spec = "kind=gaussian,scale=2"
    expected = gaussian_moment(2.0, p, dim)
    assert clipsim.noise.moment(spec, p, dim) == pytest.approx(expected, rel=1e-12)
    assert clipsim.noise.sigma(spec, p, dim) == pytest.approx(expected**(1 / p), rel=1e-12)
    detail = clipsim.noise.moment_detail(spec, p, dim)
    assert detail["exact"] and detail["error_bound"] == 0.0


def test_tail_index_and_infinite_moments():
    assert clipsim.noise.tail_index("kind=gaussian") == math.inf
    assert clipsim.noise.tail_index("kind=stable,alpha=1.5") == 1.5
    assert clipsim.noise.tail_index("kind=pareto,tail=3") == 3.0
    assert clipsim.noise.tail_index("kind=student_t,dof=2.5") == 2.5
    assert clipsim.noise.moment("kind=stable,alpha=1.5", 1.5) == math.inf
    assert clipsim.noise.sigma("kind=pareto,tail=3", 3.5) == math.inf
    # Pareto: E|X|^p = tail scale^p / (tail - p), closed form.
    assert clipsim.noise.moment("kind=pareto,tail=3,scale=2", 1.5) == pytest.approx(
        3 * 2**1.5 / 1.5, rel=1e-12)


@pytest.mark.parametrize("spec, key", [
    ("kind=stable,alpha=2.5", "alpha"),
    ("kind=stable,skew=2", "skew"),
    ("kind=pareto,tail=-1", "tail"),
    ("kind=gaussian,nope=1", "nope"),
    ("kind=cauchy", "kind"),
    ("kind=contaminated,eps=0.5,other=[kind=stable,alpha=3]", "other.alpha"),
])
def test_bad_specs_raise_value_error_with_the_clis_text(cli, spec, key):
    with pytest.raises(ValueError) as raised:
        clipsim.noise.sample(spec, 10)
    assert isinstance(raised.value, clipsim.InputError)
    assert key in str(raised.value)
    assert str(raised.value) == cli_error(cli("sample", "--noise", spec, "--count", 10))
    for fact in (lambda: clipsim.noise.moment(spec, 1.0), lambda: clipsim.noise.tail_index(spec)):
        with pytest.raises(ValueError, match=key):
            fact()


def test_bad_arguments_raise_value_error_naming_them():
    with pytest.raises(ValueError, match="shape"):
        clipsim.noise.sample("kind=gaussian", 10, shape="round")
    with pytest.raises(ValueError, match="shape"):
        clipsim.noise.sample("kind=pareto,tail=3", 10, dim=2, shape="isotropic")
    with pytest.raises(ValueError, match="dim"):
        clipsim.noise.sample("kind=gaussian", 10, dim=0)
    with pytest.raises(ValueError, match="size"):
        clipsim.noise.sample("kind=gaussian", -1)
    with pytest.raises(ValueError, match="alpha"):
        clipsim.noise.stable_cdf(0.0, 2.5)
    with pytest.raises(ValueError):
        clipsim.noise.moment("kind=gaussian", -1.0)
    with pytest.raises(TypeError):
        clipsim.noise.sample("kind=gaussian", 10, seed=-1)


def test_every_function_documents_its_arguments():
    for name in clipsim.noise.__all__:
        doc = getattr(clipsim.noise, name).__doc__
        assert doc and len(doc) > 80, name
    assert "spec" in clipsim.noise.sample.__doc__ and "seed" in clipsim.noise.sample.__doc__
