"""Every public name of the package explains itself: help(clipsim.noise.sample) lists its
arguments, and no public function or class is without a docstring."""

import clipsim


def test_every_public_name_has_a_docstring():
    for module in (clipsim, clipsim.noise, clipsim.theory):
        assert module.__doc__
        for name in module.__all__:
            doc = getattr(module, name).__doc__ or ""
            assert len(doc) >= 100, f"{module.__name__}.{name} has no real docstring"


def test_sample_explains_its_arguments():
    doc = clipsim.noise.sample.__doc__
    for argument in ("spec", "size", "dim", "shape", "seed", "InputError"):
        assert argument in doc, argument
