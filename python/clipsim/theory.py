"""The theory registry (theory/registry.hpp, derivations in analysis/THEORY.md): what each
method's theorem prescribes for a budget of N sampled gradients (batch n, step eta, thresholds,
steps T), its bounds with their constants, and its rate exponent; the values that the `theory`
schedule of `clipsim run`/`clipsim sweep` runs with and that `clipsim analyze` checks.

    import clipsim
    sigma = clipsim.noise.sigma("kind=stable,alpha=1.5", p=1.4, dim=10)
    clipsim.theory.prescribe("ps_clip_sgd", L=1.0, delta=5.0, sigma=sigma, p=1.4, budget=10**5)
"""

from ._clipsim import theory as _theory

methods = _theory.methods
entry = _theory.entry
slope = _theory.slope
prescribe = _theory.prescribe
bound = _theory.bound

__all__ = ["methods", "entry", "slope", "prescribe", "bound"]
