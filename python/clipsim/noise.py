"""Noise models: draws bit-identical to `clipsim sample`, and exact facts (tail index, moments,
sigma(p)), for the spec strings of the CLI and the YAML configs ("kind=stable,alpha=1.5,scale=1";
configs/README.md lists the kinds and keys). stable_cdf, stable_sf and stable_pdf evaluate the
alpha-stable law in the S1 parameterization (scipy's levy_stable with parameterization "S1")."""

from ._clipsim import noise as _noise

sample = _noise.sample
moment = _noise.moment
moment_detail = _noise.moment_detail
sigma = _noise.sigma
tail_index = _noise.tail_index
stable_cdf = _noise.stable_cdf
stable_sf = _noise.stable_sf
stable_pdf = _noise.stable_pdf

__all__ = ["sample", "moment", "moment_detail", "sigma", "tail_index", "stable_cdf", "stable_sf",
           "stable_pdf"]
