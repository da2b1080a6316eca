"""Monte Carlo projection: draws of driver growth, intensity change and lever delivery, fully vectorised.

The draws are taken from ``numpy.random.default_rng(seed)`` in a fixed order: one block of ``N`` values per
driver (in :attr:`Calibration.drivers` order), then per segment, then per lever (``LEVER_ORDER``), for every
item that has a spec (its own or a ``*`` one). The same seed, calibration and scenario therefore give the
same result bit for bit.

The whole model runs once on arrays ``(draws, cells, years)``. The result keeps the district CO2 of every
draw and year, from which come the P10/P50/P90 fan (numpy's default linear interpolation between order
statistics, Hyndman & Fan type 7), the peak year of each draw (the year of its maximum, the first one on a
tie, over the output years base..horizon — a peak in the horizon year means no peak within the horizon),
``P(peak year <= Y)`` and the distribution of the peak value.

References
----------
.. [1] IPCC (2006). Guidelines for National GHG Inventories, Vol. 1, ch. 3, section 3.2.3.2 (Approach 2:
   Monte Carlo simulation).
.. [2] Hyndman, R. J., Fan, Y. (1996). Sample quantiles in statistical packages. The American Statistician
   50(4), 361-365, doi:10.1080/00031305.1996.10473566.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from carbonpeak.core.projection.distributions import Distribution
from carbonpeak.core.projection.levers import LEVERS
from carbonpeak.core.projection.model import DRIVERS, Calibration, FloatArray, IntArray, ProjectionError
from carbonpeak.core.projection.peak import (
    DEFAULT_PEAK_TEST,
    PeakProbability,
    peak_probability,
    peak_year_by_draw,
    sustained_decline_by_draw,
)
from carbonpeak.core.projection.scenario import Scenario, run

DEFAULT_DRAWS = 10_000
"""Default number of draws."""


def _resolve(
    specs: Sequence[Distribution], kind: str, items: Sequence[str], known: set[str]
) -> list[Distribution | None]:
    own = {}
    wildcard = None
    for spec in specs:
        if spec.kind != kind:
            continue
        if spec.item == "*":
            wildcard = spec
        elif spec.item in known:
            own[spec.item] = spec
        else:
            raise ProjectionError(
                f"uncertainty '{spec.name}': unknown {kind} item; known: {', '.join(sorted(known))}"
            )
    return [own.get(item, wildcard) for item in items]


@dataclass(frozen=True)
class MonteCarloResult:
    """District CO2 of every draw, and the statistics drawn from it.

    Attributes
    ----------
    scenario : str
    years : tuple of int [a]
    co2_t : ndarray [tCO2]
        ``(draws, years)``.
    seed : int
    """

    scenario: str
    years: tuple[int, ...]
    co2_t: FloatArray
    seed: int

    @property
    def draws(self) -> int:
        """Number of draws."""
        return int(self.co2_t.shape[0])

    def percentile(self, p: float) -> FloatArray:
        """The ``p``-th percentile [tCO2] of each year (``p`` in 0..100)."""
        return np.asarray(np.percentile(self.co2_t, p, axis=0), dtype=np.float64)

    @property
    def peak_year(self) -> IntArray:
        """Peak year of each draw [a] (year of the maximum; see the module docstring)."""
        return peak_year_by_draw(self.years, self.co2_t)

    @property
    def peak_co2_t(self) -> FloatArray:
        """Peak value of each draw [tCO2]."""
        return np.asarray(self.co2_t.max(axis=1), dtype=np.float64)

    def peak_year_distribution(self) -> dict[int, float]:
        """Share of draws peaking in each year [-]; years with no draw are left out."""
        years, counts = np.unique(self.peak_year, return_counts=True)
        return {int(y): float(c) / self.draws for y, c in zip(years, counts, strict=True)}

    def p_peak_by(self, year: int) -> float:
        """Share of draws whose peak year is ``year`` or earlier [-]."""
        return float(np.mean(self.peak_year <= year))

    def peak_probability(
        self, peak_by: int, *, test: str = DEFAULT_PEAK_TEST, **params: float
    ) -> PeakProbability:
        """P(peak <= ``peak_by``) under a named peak test (see :func:`.peak.peaked_by_draw`)."""
        return peak_probability(self.years, self.co2_t, test=test, peak_by=peak_by, **params)

    def p_sustained_decline(self, *, min_years: int = 3, min_decline_pct: float = 1.0) -> float:
        """Share of draws passing the sustained-decline test [-] (see :mod:`.peak`)."""
        passed = sustained_decline_by_draw(
            self.years, self.co2_t, min_years=min_years, min_decline_pct=min_decline_pct
        )
        return float(np.mean(passed))


def simulate(
    calibration: Calibration, scenario: Scenario, *, draws: int = DEFAULT_DRAWS, seed: int = 0
) -> MonteCarloResult:
    """Run ``draws`` Monte Carlo draws of a scenario under its uncertainty specification.

    Parameters
    ----------
    calibration : Calibration
    scenario : Scenario
        Its ``uncertainty`` names what is drawn (see :mod:`.distributions`).
    draws : int
        Number of draws (default 10,000).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    MonteCarloResult

    Raises
    ------
    ProjectionError
        ``draws`` below 1, or a spec naming an unknown driver, segment or lever.

    References
    ----------
    .. [1] IPCC (2006). Guidelines for National GHG Inventories, Vol. 1, ch. 3, section 3.2.3.2.
    """
    if draws < 1:
        raise ProjectionError(f"draws must be at least 1, got {draws}")
    rng = np.random.default_rng(seed)
    specs = scenario.uncertainty
    drivers = calibration.drivers
    segments = [s.code for s in calibration.segments]
    levers = [lever.code for lever in scenario.ordered_levers()]

    growth_specs = _resolve(specs, "growth", drivers, set(drivers) | set(DRIVERS))
    growth = None
    if any(growth_specs):
        growth = np.zeros((draws, len(drivers)))
        for k, spec in enumerate(growth_specs):
            if spec is not None:
                growth[:, k] = spec.sample(rng, draws)
    intensity_specs = _resolve(specs, "intensity", segments, set(segments))
    intensity = None
    if any(intensity_specs):
        intensity = np.zeros((draws, len(segments)))
        for g, spec in enumerate(intensity_specs):
            if spec is not None:
                intensity[:, g] = spec.sample(rng, draws)
    delivery: dict[str, FloatArray] = {}
    for code, spec in zip(levers, _resolve(specs, "delivery", levers, set(LEVERS)), strict=True):
        if spec is not None:
            delivery[code] = spec.sample(rng, draws)

    state, out = run(
        calibration,
        scenario,
        draws=draws,
        growth_deviation=growth,
        intensity_deviation=intensity,
        delivery=delivery,
    )
    co2 = np.einsum("djt,jt->dt", state.q()[:, :, out], state.co2_per_quantity[:, out], optimize=False)
    return MonteCarloResult(scenario.name, tuple(int(y) for y in state.years[out]), co2, seed)
