"""Scenarios (BAU, Plan, user-defined), the model run, deterministic projections and lever wedges.

A :class:`Scenario` holds everything a run needs besides the calibration: the years, central driver growth
and intensity change, the grid-factor pathway, the levers and the uncertainty specification. It is plain data
and round-trips through :meth:`Scenario.to_dict` / :meth:`Scenario.from_dict` (JSON-ready).

* **BAU**: no levers. **Plan**: every lever at its plan default. Both take the same assumptions (growth,
  intensity change, grid pathway), so that their difference is the levers' effect alone.
* **Wedges**: the levers are added one by one in :data:`~carbonpeak.core.projection.levers.LEVER_ORDER`;
  a lever's wedge is the CO2 of the run before it minus the run with it. The wedges telescope, so they sum
  to BAU minus Plan in every year with no interaction term; the price is that a wedge depends on the order
  (a lever later in the order acts on what the earlier ones left).

References
----------
.. [1] Pacala, S., Socolow, R. (2004). Stabilization wedges. Science 305(5686), 968-972,
   doi:10.1126/science.1100103.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from carbonpeak.core.inventory.model import CARRIERS, CarrierKind
from carbonpeak.core.projection.distributions import DEFAULT_UNCERTAINTY, Distribution
from carbonpeak.core.projection.levers import LEVER_ORDER, Lever, level, lever_from_dict, plan_levers
from carbonpeak.core.projection.model import (
    DRIVERS,
    ELECTRICITY_TCE_PER_MWH,
    Calibration,
    FloatArray,
    ProjectionError,
    State,
    carries_energy,
)

Rate = float | Mapping[int, float]
"""An annual rate [1/a]: constant, or a level schedule by year (interpolated, flat outside)."""


@dataclass(frozen=True)
class Scenario:
    """A scenario (see the module docstring).

    Parameters
    ----------
    name : str
        Scenario name, e.g. ``plan``.
    levers : tuple of Lever
        Levers; applied in ``LEVER_ORDER`` whatever their order here. Codes must be unique.
    base_year, horizon : int
        First and last output year [a]; ``base_year`` must be a historical year or later.
    driver_growth : mapping of str to rate
        Central annual growth rate of each driver [1/a]; drivers not named do not grow.
    intensity_change : mapping of str to rate
        Central annual change of each segment's intensities [1/a] (negative = improving); default 0.
    grid_t_per_mwh : mapping of int to float
        Purchased-electricity emission factor pathway [tCO2/MWh] for the projection years, a level schedule;
        empty keeps each cell's last historical factor.
    uncertainty : tuple of Distribution
        Monte Carlo specification (default :data:`DEFAULT_UNCERTAINTY`, all assumptions).
    tce_per_mwh : float
        Electricity conversion [tce/MWh], calorific-equivalent (GB/T 2589: 0.1229).
    """

    name: str
    levers: tuple[Lever, ...] = ()
    base_year: int = 2020
    horizon: int = 2035
    driver_growth: Mapping[str, Rate] = field(default_factory=dict)
    intensity_change: Mapping[str, Rate] = field(default_factory=dict)
    grid_t_per_mwh: Mapping[int, float] = field(default_factory=dict)
    uncertainty: tuple[Distribution, ...] = DEFAULT_UNCERTAINTY
    tce_per_mwh: float = ELECTRICITY_TCE_PER_MWH

    def __post_init__(self) -> None:
        if self.horizon < self.base_year:
            raise ProjectionError(f"horizon {self.horizon} is before the base year {self.base_year}")
        codes = [lever.code for lever in self.levers]
        if len(set(codes)) != len(codes):
            raise ProjectionError(f"each lever may appear once, got {codes}")

    def ordered_levers(self) -> tuple[Lever, ...]:
        """Levers in :data:`LEVER_ORDER`."""
        return tuple(sorted(self.levers, key=lambda lever: LEVER_ORDER.index(lever.code)))

    def to_dict(self) -> dict[str, Any]:
        """Serialise to JSON-ready data (year keys as strings)."""
        return {
            "name": self.name,
            "base_year": self.base_year,
            "horizon": self.horizon,
            "levers": [lever.to_dict() for lever in self.ordered_levers()],
            "driver_growth": {k: _rate_out(v) for k, v in self.driver_growth.items()},
            "intensity_change": {k: _rate_out(v) for k, v in self.intensity_change.items()},
            "grid_t_per_mwh": {str(y): float(v) for y, v in self.grid_t_per_mwh.items()},
            "uncertainty": [spec.to_dict() for spec in self.uncertainty],
            "tce_per_mwh": self.tce_per_mwh,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Build from :meth:`to_dict`'s form. Missing keys take the defaults; unknown keys are refused."""
        known = {"name", "base_year", "horizon", "levers", "driver_growth", "intensity_change"}
        known |= {"grid_t_per_mwh", "uncertainty", "tce_per_mwh"}
        extra = sorted(set(data) - known)
        if extra:
            raise ProjectionError(f"unknown scenario keys {extra}; known: {sorted(known)}")
        if "name" not in data:
            raise ProjectionError("a scenario needs a name")
        try:
            return cls(
                name=str(data["name"]),
                levers=tuple(lever_from_dict(item) for item in data.get("levers", ())),
                base_year=int(data.get("base_year", 2020)),
                horizon=int(data.get("horizon", 2035)),
                driver_growth={str(k): _rate_in(v) for k, v in dict(data.get("driver_growth", {})).items()},
                intensity_change={
                    str(k): _rate_in(v) for k, v in dict(data.get("intensity_change", {})).items()
                },
                grid_t_per_mwh={int(y): float(v) for y, v in dict(data.get("grid_t_per_mwh", {})).items()},
                uncertainty=tuple(Distribution.from_dict(d) for d in data["uncertainty"])
                if "uncertainty" in data
                else DEFAULT_UNCERTAINTY,
                tce_per_mwh=float(data.get("tce_per_mwh", ELECTRICITY_TCE_PER_MWH)),
            )
        except (TypeError, ValueError) as exc:
            if isinstance(exc, ProjectionError):
                raise
            raise ProjectionError(f"bad scenario value: {exc}") from None


def _rate_out(value: Rate) -> float | dict[str, float]:
    return float(value) if isinstance(value, int | float) else {str(y): float(v) for y, v in value.items()}


def _rate_in(value: Any) -> Rate:
    if isinstance(value, Mapping):
        return {int(y): float(v) for y, v in value.items()}
    return float(value)


def bau_scenario(**assumptions: Any) -> Scenario:
    """Business as usual: no levers; ``assumptions`` are :class:`Scenario` fields (growth, grid, years)."""
    return Scenario(name="bau", levers=(), **assumptions)


def plan_scenario(**assumptions: Any) -> Scenario:
    """The plan: every lever at its plan default; ``assumptions`` as for :func:`bau_scenario`."""
    return Scenario(name="plan", levers=plan_levers(), **assumptions)


SCENARIOS: dict[str, Callable[..., Scenario]] = {"bau": bau_scenario, "plan": plan_scenario}
"""Named scenarios (user-defined ones come from :meth:`Scenario.from_dict`)."""


def named_scenario(name: str, **assumptions: Any) -> Scenario:
    """Return a named scenario (``bau`` or ``plan``); unknown names are refused."""
    try:
        return SCENARIOS[name](**assumptions)
    except KeyError:
        raise ProjectionError(f"unknown scenario '{name}'; choose one of: {', '.join(SCENARIOS)}") from None


def _rates(spec: Mapping[str, Rate], names: Sequence[str], years: FloatArray, what: str) -> FloatArray:
    out = np.zeros((len(names), years.size))
    for key, value in spec.items():
        if key not in names:
            if what == "driver" and key in DRIVERS:
                continue  # a known driver no segment uses (e.g. population): nothing to grow
            raise ProjectionError(f"unknown {what} '{key}'; known: {', '.join(names)}")
        i = list(names).index(key)
        out[i] = value if isinstance(value, int | float) else level(value, years)
    return out


def _growth(rate: FloatArray, first_future: int) -> FloatArray:
    """Turn ``rate`` (a fresh array, changed in place) into the cumulative growth factor ``prod(1 + rate)``
    over the projection years (columns from ``first_future`` on), 1 in the historical years."""
    rate += 1.0
    rate[..., :first_future] = 1.0
    if first_future < rate.shape[-1]:
        np.cumprod(rate[..., first_future:], axis=-1, out=rate[..., first_future:])
    return rate


def run(
    calibration: Calibration,
    scenario: Scenario,
    *,
    draws: int = 1,
    growth_deviation: FloatArray | None = None,
    intensity_deviation: FloatArray | None = None,
    delivery: Mapping[str, FloatArray] | None = None,
) -> tuple[State, slice]:
    """Run the model; return the final state and the slice of its years that are the output years.

    Parameters
    ----------
    calibration : Calibration
    scenario : Scenario
    draws : int
        Number of draws ``D``.
    growth_deviation : ndarray, optional [1/a]
        ``(D, drivers)`` deviations added to the central growth rates.
    intensity_deviation : ndarray, optional [1/a]
        ``(D, segments)`` deviations added to the central intensity change.
    delivery : mapping of str to ndarray, optional [-]
        Lever code to ``(D,)`` delivered shares; 1 where absent.

    Returns
    -------
    tuple of (State, slice)
        The state's ``quantity`` is ``(D, cells, years)``; the state starts at the last historical year when
        the base year is later, so levers see it.

    References
    ----------
    .. [1] Heaps, C. G. (2022). LEAP, Stockholm Environment Institute (driver x intensity x factor).
    """
    levers = scenario.ordered_levers()
    calib = calibration.with_cells(cell for lever in levers for cell in lever.cells())
    hist = calib.history_years
    if scenario.base_year < hist[0]:
        raise ProjectionError(f"base year {scenario.base_year} is before the first historical year {hist[0]}")
    last = hist[-1]
    start = min(scenario.base_year, last)
    years = np.arange(start, scenario.horizon + 1)
    yf = years.astype(float)
    future = years > last
    cols = np.clip(years - hist[0], 0, len(hist) - 1)

    first_future = int(np.searchsorted(years, last, side="right"))
    g = _rates(scenario.driver_growth, calib.drivers, yf, "driver")[None]
    if growth_deviation is not None:
        g = g + growth_deviation[:, :, None]
    drivers = _growth(g, first_future)
    drivers *= calib.driver_history[:, cols][None]

    seg_codes = [s.code for s in calib.segments]
    c = _rates(scenario.intensity_change, seg_codes, yf, "segment")[None]
    if intensity_deviation is not None:
        c = c + intensity_deviation[:, :, None]
    # One (draws, cells, years) buffer holds the intensities, then (in place) the quantities: at 10,000
    # draws it is the only large array, filled cell by cell without large temporaries.
    seg_growth = _growth(c, first_future)
    base = calib.intensity[:, cols]
    buffer = np.empty((draws, len(calib.cells), years.size))
    for j, (seg, _) in enumerate(calib.cells):
        np.multiply(seg_growth[:, seg_codes.index(seg), :], base[j], out=buffer[:, j, :])

    ef = calib.co2_per_quantity[:, cols].copy()
    if scenario.grid_t_per_mwh and future.any():
        grid = level(scenario.grid_t_per_mwh, yf[future]) / scenario.tce_per_mwh
        for j, (_, carrier) in enumerate(calib.cells):
            if carrier == "electricity":
                ef[j, future] = grid

    state = State(calib, years, future, draws, drivers, buffer, ef, scenario.tce_per_mwh)
    ones = np.ones(1)
    given = delivery or {}
    for lever in levers:
        if lever.stage == "intensity":
            lever.apply(state, given.get(lever.code, ones))
    q = state.intensity
    for j, (seg, _) in enumerate(calib.cells):
        q[:, j, :] *= state.drivers[:, calib.drivers.index(calib.segment(seg).driver), :]
    state.quantity = q
    state.intensity = np.empty((0, 0, 0))  # consumed: the buffer now holds the quantities
    for lever in levers:
        if lever.stage == "energy":
            lever.apply(state, given.get(lever.code, ones))
    return state, slice(scenario.base_year - start, None)


@dataclass(frozen=True)
class Projection:
    """A deterministic projection (central values, every lever fully delivered).

    Attributes
    ----------
    scenario : str
    years : tuple of int [a]
    last_history_year : int [a]
    cells : tuple of (str, str)
        ``(segment, carrier)``.
    sectors : tuple of str
        Inventory sector of each cell.
    activity : ndarray [driver unit]
        ``(cells, years)``: the cell's driver.
    energy_tce : ndarray [tce]
        ``(cells, years)``, calorific-equivalent; 0 for ``co2e``.
    co2_t : ndarray [tCO2]
        ``(cells, years)``; removals negative.
    emission_factor : ndarray [tCO2/tce, or 1 for ``co2e``]
        ``(cells, years)``: ``co2_t = quantity x emission_factor``.
    notes : tuple of str
    """

    scenario: str
    years: tuple[int, ...]
    last_history_year: int
    cells: tuple[tuple[str, str], ...]
    sectors: tuple[str, ...]
    activity: FloatArray
    energy_tce: FloatArray
    co2_t: FloatArray
    emission_factor: FloatArray
    notes: tuple[str, ...] = ()

    @property
    def total_co2_t(self) -> FloatArray:
        """District CO2 by year [tCO2]."""
        return np.asarray(self.co2_t.sum(axis=0), dtype=np.float64)

    @property
    def total_energy_tce(self) -> FloatArray:
        """District energy by year [tce]."""
        return np.asarray(self.energy_tce.sum(axis=0), dtype=np.float64)

    def year(self, year: int) -> int:
        """Column of a year."""
        try:
            return self.years.index(year)
        except ValueError:
            raise ProjectionError(f"{year} is outside {self.years[0]}-{self.years[-1]}") from None

    def by_sector(self, what: str = "co2_t") -> dict[str, FloatArray]:
        """``co2_t`` [tCO2] or ``energy_tce`` [tce] by inventory sector and year."""
        data = self._pick(what)
        out: dict[str, FloatArray] = {}
        for j, sector in enumerate(self.sectors):
            out[sector] = out.get(sector, np.zeros(len(self.years))) + data[j]
        return out

    def by_sector_carrier(self, what: str = "co2_t") -> dict[tuple[str, str], FloatArray]:
        """``co2_t`` [tCO2] or ``energy_tce`` [tce] by (sector, carrier) and year."""
        data = self._pick(what)
        out: dict[tuple[str, str], FloatArray] = {}
        for j, sector in enumerate(self.sectors):
            key = (sector, self.cells[j][1])
            out[key] = out.get(key, np.zeros(len(self.years))) + data[j]
        return out

    def scope2_co2_t(self) -> FloatArray:
        """CO2 of purchased electricity and heat (scope 2) by year [tCO2]."""
        rows = [j for j, (_, c) in enumerate(self.cells) if CARRIERS[c].kind is CarrierKind.PURCHASED]
        return np.asarray(self.co2_t[rows].sum(axis=0), dtype=np.float64)

    def _pick(self, what: str) -> FloatArray:
        if what == "co2_t":
            return self.co2_t
        if what == "energy_tce":
            return self.energy_tce
        raise ProjectionError(f"unknown quantity '{what}': use co2_t or energy_tce")


def project(calibration: Calibration, scenario: Scenario) -> Projection:
    """Deterministic projection of a scenario (central growth, every lever fully delivered).

    Parameters
    ----------
    calibration : Calibration
        From :func:`~carbonpeak.core.projection.model.calibrate`.
    scenario : Scenario

    Returns
    -------
    Projection
        Energy [tce] and CO2 [tCO2] by cell and year, base year to horizon.

    References
    ----------
    .. [1] Kaya, Y. (1990), IPCC Response Strategies Working Group: emissions as activity x energy intensity
       x carbon intensity of energy.
    """
    state, out = run(calibration, scenario)
    calib = state.calibration
    q = state.q()[0][:, out]
    ef = state.co2_per_quantity[:, out]
    energy_rows = np.array([carries_energy(c) for _, c in calib.cells], dtype=bool)
    seg_driver = {s.code: calib.drivers.index(s.driver) for s in calib.segments}
    activity = state.drivers[0][[seg_driver[s] for s, _ in calib.cells]][:, out]
    return Projection(
        scenario.name,
        tuple(int(y) for y in state.years[out]),
        calib.last_history_year,
        calib.cells,
        tuple(calib.segment(seg).sector for seg, _ in calib.cells),
        activity,
        np.where(energy_rows[:, None], q, 0.0),
        q * ef,
        ef,
        calib.notes + tuple(dict.fromkeys(state.notes)),
    )


@dataclass(frozen=True)
class Wedge:
    """One lever's contribution: CO2 of the run before it minus the run with it [tCO2] (see module doc)."""

    lever: str
    task: str
    clause: str
    targets: tuple[str, ...]
    years: tuple[int, ...]
    co2_t: FloatArray

    def at(self, year: int) -> float:
        """The wedge in one year [tCO2]."""
        try:
            return float(self.co2_t[self.years.index(year)])
        except ValueError:
            raise ProjectionError(f"{year} is outside {self.years[0]}-{self.years[-1]}") from None


def wedges(calibration: Calibration, scenario: Scenario) -> list[Wedge]:
    """Each lever's wedge, cumulating the levers in ``LEVER_ORDER``; they sum to BAU minus the scenario.

    Parameters
    ----------
    calibration : Calibration
    scenario : Scenario
        Its levers are the ones decomposed; BAU is the same scenario without levers.

    Returns
    -------
    list of Wedge
        In ``LEVER_ORDER``; ``sum(w.co2_t) == project(BAU).total_co2_t - project(scenario).total_co2_t``.

    References
    ----------
    .. [1] Pacala, S., Socolow, R. (2004). Stabilization wedges. Science 305(5686), 968-972,
       doi:10.1126/science.1100103.
    """
    ordered = scenario.ordered_levers()
    previous = project(calibration, replace(scenario, levers=())).total_co2_t
    out: list[Wedge] = []
    for k, lever in enumerate(ordered):
        current = project(calibration, replace(scenario, levers=ordered[: k + 1]))
        out.append(
            Wedge(
                lever.code,
                lever.task,
                lever.clause,
                lever.targets,
                current.years,
                previous - current.total_co2_t,
            )
        )
        previous = current.total_co2_t
    return out
