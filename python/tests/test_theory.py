"""clipsim.theory: the registry's prescriptions are what the theory schedule of a sweep ran with
(resolved.csv), its bounds are what `clipsim analyze` checks (regime.csv), and bad inputs raise
ValueError naming the input."""

import math

import numpy as np
import pandas as pd
import pytest

import clipsim


def test_methods_entries_and_slopes():
    assert clipsim.theory.methods() == ["ps_clip_sgd", "clip_sgd", "sgd"]
    entry = clipsim.theory.entry("ps_clip_sgd")
    assert entry["method"] == "ps_clip_sgd" and entry["source"] and entry["assumptions"]
    assert entry["max_p"] == 2.0
    assert clipsim.theory.slope("clip_sgd", 1.4) == pytest.approx(-(1.4 - 1) / (3 * 1.4 - 2))


def test_prescriptions_are_what_the_theory_schedule_ran_with(swept):
    resolved = pd.read_csv(swept / "resolved.csv", float_precision="round_trip",
                           keep_default_na=False, na_values=["nan"])
    assert len(resolved) == 6
    for row in resolved.itertuples():
        pr = clipsim.theory.prescribe(row.prescription, L=row.L, delta=row.delta,
                                      sigma=row.sigma, p=row.p, budget=row.budget)
        assert pr["batch_size"] == row.batch_size
        assert pr["iterations"] == row.iterations
        assert pr["eta"] == row.eta
        assert pr["formula"]
        if row.method == "clip_sgd":
            assert pr["clip_threshold"] == row.clip_threshold
            assert math.isnan(pr["clip_scale"])
        if row.method == "ps_clip_sgd":
            assert pr["clip_scale"] == row.clip_scale and pr["clip_power"] == row.clip_power
            assert math.isnan(pr["clip_threshold"])
    # The sweep's sigma is the noise's sigma(p) in the problem's dimension.
    assert resolved["sigma"].iloc[0] == clipsim.noise.sigma(
        "kind=stable,alpha=1.5,scale=0.15", p=1.4, dim=1)


def test_bounds_are_what_clipsim_analyze_checks(swept, cli, tmp_path):
    done = cli("analyze", swept, "--bootstrap", 200, "--out", tmp_path / "a")
    assert done.returncode == 0, done.stderr
    regime = pd.read_csv(tmp_path / "a" / "regime.csv", float_precision="round_trip")
    resolved = pd.read_csv(swept / "resolved.csv", float_precision="round_trip")
    facts = resolved.set_index(["cell", "budget"])
    assert len(regime) == 6
    for row in regime.itertuples():
        f = facts.loc[(row.cell, row.budget)]
        b = clipsim.theory.bound(row.entry, L=f["L"], delta=f["delta"], sigma=f["sigma"],
                                 p=f["p"], budget=row.budget, gradient_bound=f["gradient_bound"])
        assert b["available"], b["why_not"]
        assert b["value"] == row.bound
        assert b["value"] == pytest.approx(math.sqrt(b["optimization"] + b["noise"]))
        assert b["prescription"]["batch_size"] == row.batch_size

    high = clipsim.theory.bound("ps_clip_sgd", L=1.0, delta=1.0, sigma=1.0, p=1.5, budget=10**5,
                                gradient_bound=2.0, failure_probability=0.01)
    expectation = clipsim.theory.bound("ps_clip_sgd", L=1.0, delta=1.0, sigma=1.0, p=1.5,
                                       budget=10**5, gradient_bound=2.0)
    assert high["available"] and high["value"] > expectation["value"] > 0
    unbounded = clipsim.theory.bound("clip_sgd", L=1.0, delta=1.0, sigma=1.0, p=1.5,
                                     budget=10**5)
    assert not unbounded["available"] and unbounded["why_not"]
    assert np.isnan(unbounded["value"])


def test_bad_inputs_raise_value_error_naming_the_input():
    with pytest.raises(clipsim.InputError, match="ps_clip_sgd, clip_sgd, sgd"):
        clipsim.theory.prescribe("adam", L=1, delta=1, sigma=1, p=1.5, budget=100)
    with pytest.raises(ValueError, match="L"):
        clipsim.theory.prescribe("ps_clip_sgd", L=-1, delta=1, sigma=1, p=1.5, budget=100)
    with pytest.raises(ValueError, match="p"):
        clipsim.theory.prescribe("sgd", L=1, delta=1, sigma=1, p=1.5, budget=100)
    with pytest.raises(ValueError, match="budget"):
        clipsim.theory.prescribe("clip_sgd", L=1, delta=1, sigma=1, p=1.5, budget=0)
    with pytest.raises(ValueError):
        clipsim.theory.bound("ps_clip_sgd", L=1, delta=1, sigma=1, p=1.5, budget=100,
                             gradient_bound=1.0, failure_probability=1.5)


def test_theory_functions_document_their_arguments():
    for f in (clipsim.theory.prescribe, clipsim.theory.bound):
        for word in ("method", "sigma", "budget", "InputError"):
            assert word in f.__doc__
