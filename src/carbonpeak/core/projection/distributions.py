"""Uncertainty specifications as data: ``{"name", "dist", "params"}``, sampled with numpy.

Names say what a draw perturbs:

* ``growth:<driver>`` — a deviation [1/a] added to the driver's central annual growth rate, the same in
  every projection year of a draw;
* ``intensity:<segment>`` — a deviation [1/a] added to the segment's central annual intensity change;
* ``delivery:<lever>`` — the share [-] of the lever's effect that is delivered (1 = as planned).

``*`` in place of the item (``growth:*``) applies to every item without a spec of its own; each item still
gets independent draws. Distributions and their parameters (numpy's definitions):

* ``normal``: ``mean``, ``sd``;
* ``lognormal``: ``mean`` and ``sigma`` of the underlying normal;
* ``triangular``: ``left``, ``mode``, ``right`` (``left < right``);
* ``uniform``: ``low``, ``high``.

References
----------
.. [1] NumPy ``numpy.random.Generator`` (PCG64), https://numpy.org/doc/stable/reference/random/generator.html.
.. [2] IPCC (2006). Guidelines for National GHG Inventories, Vol. 1, ch. 3 (Uncertainties), section 3.2.3.2
   (Monte Carlo simulation with specified probability density functions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from carbonpeak.core.projection.model import FloatArray, ProjectionError

KINDS: tuple[str, ...] = ("growth", "intensity", "delivery")
"""What a spec may perturb (the part of its name before the colon)."""


def _normal(rng: np.random.Generator, p: Mapping[str, float], size: int) -> FloatArray:
    return rng.normal(p["mean"], p["sd"], size)


def _lognormal(rng: np.random.Generator, p: Mapping[str, float], size: int) -> FloatArray:
    return rng.lognormal(p["mean"], p["sigma"], size)


def _triangular(rng: np.random.Generator, p: Mapping[str, float], size: int) -> FloatArray:
    return rng.triangular(p["left"], p["mode"], p["right"], size)


def _uniform(rng: np.random.Generator, p: Mapping[str, float], size: int) -> FloatArray:
    return rng.uniform(p["low"], p["high"], size)


SAMPLERS: dict[
    str, tuple[tuple[str, ...], Callable[[np.random.Generator, Mapping[str, float], int], FloatArray]]
] = {
    "normal": (("mean", "sd"), _normal),
    "lognormal": (("mean", "sigma"), _lognormal),
    "triangular": (("left", "mode", "right"), _triangular),
    "uniform": (("low", "high"), _uniform),
}
"""Distributions by name: their parameter names and the sampler."""


@dataclass(frozen=True, slots=True)
class Distribution:
    """One uncertainty specification (see the module docstring).

    Parameters
    ----------
    name : str
        ``growth:<driver>``, ``intensity:<segment>`` or ``delivery:<lever>``, or ``*`` for the item.
    dist : str
        ``normal``, ``lognormal``, ``triangular`` or ``uniform``.
    params : mapping of str to float
        The distribution's parameters [1/a for growth and intensity, - for delivery].
    note : str
        Where the numbers come from (e.g. ``assumption: ...``).
    """

    name: str
    dist: str
    params: Mapping[str, float] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        kind, _, item = self.name.partition(":")
        if kind not in KINDS or not item:
            raise ProjectionError(
                f"uncertainty name '{self.name}' must be <kind>:<item> with kind one of {', '.join(KINDS)}"
            )
        if self.dist not in SAMPLERS:
            raise ProjectionError(f"unknown distribution '{self.dist}'; choose one of: {', '.join(SAMPLERS)}")
        expected = SAMPLERS[self.dist][0]
        if set(self.params) != set(expected):
            raise ProjectionError(f"'{self.dist}' for '{self.name}' takes parameters {list(expected)}")
        p = self.params
        if (self.dist == "normal" and p["sd"] < 0) or (self.dist == "lognormal" and p["sigma"] < 0):
            raise ProjectionError(f"'{self.name}': the spread must not be negative")
        if self.dist == "triangular" and (
            not p["left"] <= p["mode"] <= p["right"] or p["left"] >= p["right"]
        ):
            raise ProjectionError(f"'{self.name}': triangular needs left <= mode <= right and left < right")
        if self.dist == "uniform" and p["low"] > p["high"]:
            raise ProjectionError(f"'{self.name}': uniform needs low <= high")

    @property
    def kind(self) -> str:
        """``growth``, ``intensity`` or ``delivery``."""
        return self.name.partition(":")[0]

    @property
    def item(self) -> str:
        """Driver, segment or lever code, or ``*``."""
        return self.name.partition(":")[2]

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` values."""
        return sample(self, rng, size)

    def to_dict(self) -> dict[str, Any]:
        """Serialise as ``{"name", "dist", "params", "note"}``."""
        return {"name": self.name, "dist": self.dist, "params": dict(self.params), "note": self.note}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Distribution:
        """Build from :meth:`to_dict`'s form; unknown keys are refused."""
        extra = sorted(set(data) - {"name", "dist", "params", "note"})
        if extra:
            raise ProjectionError(f"unknown uncertainty keys {extra}")
        try:
            params = {str(k): float(v) for k, v in dict(data.get("params") or {}).items()}
            return cls(str(data["name"]), str(data["dist"]), params, str(data.get("note", "")))
        except KeyError as exc:
            raise ProjectionError(f"an uncertainty spec needs {exc}") from None


def sample(spec: Distribution, rng: np.random.Generator, size: int) -> FloatArray:
    """Draw ``size`` values of a spec with its named sampler; unknown distributions are refused.

    References
    ----------
    .. [1] NumPy ``numpy.random.Generator`` methods ``normal``, ``lognormal``, ``triangular``, ``uniform``.
    """
    try:
        _, sampler = SAMPLERS[spec.dist]
    except KeyError:
        raise ProjectionError(
            f"unknown distribution '{spec.dist}'; choose one of: {', '.join(SAMPLERS)}"
        ) from None
    return np.asarray(sampler(rng, spec.params, size), dtype=np.float64)


DEFAULT_UNCERTAINTY: tuple[Distribution, ...] = (
    Distribution(
        "growth:*",
        "normal",
        {"mean": 0.0, "sd": 0.01},
        "assumption: +/- 1 percentage point a year (1 sd) around each driver's central growth",
    ),
    Distribution(
        "intensity:*",
        "normal",
        {"mean": 0.0, "sd": 0.005},
        "assumption: +/- 0.5 percentage point a year (1 sd) around each segment's central intensity change",
    ),
    Distribution(
        "delivery:*",
        "triangular",
        {"left": 0.5, "mode": 0.9, "right": 1.0},
        "assumption: levers deliver 50-100 % of their planned effect, most likely 90 %",
    ),
)
"""Default uncertainty: every number here is a modelling assumption (see each ``note``)."""
