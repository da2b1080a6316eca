"""Dispatch linear programmes solved with HiGHS: VPP allocation and PV-storage-flexible (光储直柔) buildings.

Two problems, each a linear programme solved by HiGHS through ``highspy``:

* :func:`allocate` — split a requested reduction [kW] across opted-in resources at least cost, within each
  resource's controllable capacity, its ramp limit over the notice time and its duration limit;
* :func:`simulate` — optimal hourly or 15-minute dispatch of a building or microgrid with PV, a battery and
  a shiftable share of its load under a time-of-use tariff, over a day or a year::

      minimise   Σ_t price_t · g_t · Δ  (+ ε · Σ_t (c_t + d_t) · Δ, a tie-break against idle cycling)
      subject to g_t + u_t + d_t − c_t − s_t = (1 − f) · L_t                  (balance; PV may be curtailed)
                 SOC_t = SOC_{t−1} + η · c_t · Δ − d_t · Δ / η                (η = √(round-trip efficiency))
                 SOC_min ≤ SOC_t ≤ SOC_max,  SOC_T ≥ SOC_0
                 Σ_{t ∈ day} s_t = f · Σ_{t ∈ day} L_t,  0 ≤ s_t ≤ S_max          (shiftable load, per day)
                 0 ≤ u_t ≤ PV_t,  0 ≤ c_t, d_t ≤ P,  g_t ≥ 0

  with grid import g, PV used u, charge c, discharge d, shifted load s [kW], step Δ [h] and shiftable share f.
  There is no export (a building that may export is a different tariff). Simultaneous charge and discharge is
  not excluded by a binary: after the solve a post-check counts the intervals where both exceed 1e-6 kW and
  reports them (``simultaneous_intervals``).

Time-of-use tariffs are reference data (``flex/tou_tariffs.csv``); :func:`tariff_prices` turns them into a
price per interval and refuses a tariff whose price is unknown (evidence X).

References
----------
.. [1] Huangfu, Q., Hall, J. A. J. (2018), "Parallelizing the dual revised simplex method", *Mathematical
   Programming Computation* 10, 119–142, doi:10.1007/s12532-017-0130-5 (HiGHS).
.. [2] 住房和城乡建设部, GB 55015-2021 建筑节能与可再生能源利用通用规范 and JGJ/T 469 (光储直柔 terms: PV,
   storage, DC distribution, flexible load).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import highspy
import numpy as np
import numpy.typing as npt

from carbonpeak.core.flex import FlexInputError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TIE_BREAK_YUAN_PER_KWH = 1e-6
"""Cost on charge and discharge energy [元/kWh] that breaks ties against idle cycling (not a price)."""
SIMULTANEOUS_TOL_KW = 1e-6
"""Power above which charge and discharge in the same interval count as simultaneous [kW]."""


@dataclass(frozen=True, slots=True)
class _Csc:
    """A sparse matrix in compressed-column form, as HiGHS takes it."""

    start: IntArray
    index: IntArray
    value: FloatArray

    @classmethod
    def from_triplets(cls, rows: IntArray, cols: IntArray, values: FloatArray, ncol: int) -> _Csc:
        order = np.lexsort((rows, cols))
        counts = np.bincount(cols, minlength=ncol)
        start = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        return cls(start, rows[order].astype(np.int64), values[order].astype(np.float64))


def _solve(
    cost: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    matrix: _Csc,
    row_lower: FloatArray,
    row_upper: FloatArray,
) -> tuple[FloatArray, float]:
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.start
    lp.a_matrix_.index_ = matrix.index
    lp.a_matrix_.value_ = matrix.value
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise FlexInputError(
            f"the dispatch problem has no optimal solution ({h.modelStatusToString(status)})"
        )
    solution = h.getSolution()
    return np.asarray(solution.col_value, dtype=np.float64), float(h.getInfo().objective_function_value)


# --------------------------------------------------------------------------------------------------------
# (a) VPP allocation.


@dataclass(frozen=True, slots=True)
class DispatchResource:
    """An opted-in resource as the allocation needs it.

    Attributes
    ----------
    code : str
        Resource code.
    capacity_kw : float
        Controllable capacity [kW].
    cost_yuan_per_kwh : float
        Cost of (or price asked for) its reduction [元/kWh].
    ramp_kw_per_min : float or None
        Ramp limit [kW/min]; with the notice time it caps the reduction reachable at the event start.
    max_duration_h : float or None
        Longest reduction it can hold [h]; a shorter one than the event excludes it.
    """

    code: str
    capacity_kw: float
    cost_yuan_per_kwh: float
    ramp_kw_per_min: float | None = None
    max_duration_h: float | None = None


@dataclass(frozen=True, slots=True)
class Allocation:
    """Least-cost split of a request.

    Attributes
    ----------
    requested_kw : float
        The request [kW].
    allocated_kw : dict of str to float
        Reduction per resource code [kW] (0 for those excluded or not needed).
    limit_kw : dict of str to float
        Each resource's usable limit after ramp and duration limits [kW].
    excluded : dict of str to str
        Resources that cannot take part, with the reason.
    shortfall_kw : float
        Part of the request no resource can cover [kW].
    cost_yuan : float
        Cost of the allocation over the event [元].
    """

    requested_kw: float
    duration_h: float
    allocated_kw: dict[str, float]
    limit_kw: dict[str, float]
    excluded: dict[str, str]
    shortfall_kw: float
    cost_yuan: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Allocation:
        """Inverse of :meth:`to_dict`."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def allocate(
    requested_kw: float,
    resources: Sequence[DispatchResource],
    *,
    duration_h: float,
    notice_min: float | None = None,
) -> Allocation:
    """Allocate a requested reduction across resources at least cost (LP, HiGHS).

    ``minimise Σ_i cost_i · x_i · duration + M · shortfall`` subject to ``Σ_i x_i + shortfall = requested``
    and ``0 ≤ x_i ≤ min(capacity_i, ramp_i · notice)``; resources whose duration limit is shorter than the
    event are excluded. ``M`` exceeds every cost, so a shortfall appears only when the limits cannot cover
    the request.

    Parameters
    ----------
    requested_kw : float
        Requested reduction [kW], positive.
    resources : sequence of DispatchResource
        Opted-in resources (codes unique).
    duration_h : float
        Event duration [h].
    notice_min : float, optional
        Notice time [min]; with a resource's ramp limit it caps its reduction.

    Returns
    -------
    Allocation
    """
    if not math.isfinite(requested_kw) or requested_kw <= 0:
        raise FlexInputError(f"the requested reduction must be positive, got {requested_kw}")
    if not math.isfinite(duration_h) or duration_h <= 0:
        raise FlexInputError(f"the event duration must be positive, got {duration_h}")
    codes = [r.code for r in resources]
    if len(set(codes)) != len(codes):
        raise FlexInputError("resource codes must be unique")
    limits: dict[str, float] = {}
    excluded: dict[str, str] = {}
    usable: list[DispatchResource] = []
    for r in resources:
        if not math.isfinite(r.capacity_kw) or r.capacity_kw < 0 or not math.isfinite(r.cost_yuan_per_kwh):
            raise FlexInputError(
                f"resource {r.code}: capacity and cost must be finite, capacity non-negative"
            )
        limit = r.capacity_kw
        if r.max_duration_h is not None and r.max_duration_h < duration_h:
            excluded[r.code] = (
                f"holds a reduction for {r.max_duration_h:g} h, the event lasts {duration_h:g} h"
            )
            limits[r.code] = 0.0
            continue
        if r.ramp_kw_per_min is not None and notice_min is not None:
            limit = min(limit, r.ramp_kw_per_min * notice_min)
        limits[r.code] = float(limit)
        usable.append(r)
    n = len(usable)
    costs = np.array([r.cost_yuan_per_kwh * duration_h for r in usable], dtype=np.float64)
    big = float((np.max(np.abs(costs)) if n else 1.0) * 1000.0 + 1000.0)
    cost = np.append(costs, big)
    lower = np.zeros(n + 1)
    upper = np.append(np.array([limits[r.code] for r in usable], dtype=np.float64), requested_kw)
    matrix = _Csc.from_triplets(
        np.zeros(n + 1, dtype=np.int64), np.arange(n + 1, dtype=np.int64), np.ones(n + 1), n + 1
    )
    x, _ = _solve(cost, lower, upper, matrix, np.array([requested_kw]), np.array([requested_kw]))
    allocated = {code: 0.0 for code in codes}
    for r, value in zip(usable, x[:n], strict=True):
        allocated[r.code] = float(max(value, 0.0))
    shortfall = float(max(x[n], 0.0))
    total = float(sum(allocated[r.code] * r.cost_yuan_per_kwh * duration_h for r in usable))
    return Allocation(float(requested_kw), float(duration_h), allocated, limits, excluded, shortfall, total)


# --------------------------------------------------------------------------------------------------------
# Time-of-use tariffs.


@dataclass(frozen=True, slots=True)
class TariffPeriod:
    """One period of a time-of-use tariff (a row of ``flex/tou_tariffs.csv``).

    ``start``/``end`` are clock times ``HH:MM`` ([start, end), ``24:00`` allowed as an end); the months are
    inclusive. ``price_yuan_per_kwh`` is ``None`` when the price is unknown (``price_evidence`` X).
    """

    tariff_id: str
    period: str
    month_from: int
    month_to: int
    start: str
    end: str
    price_yuan_per_kwh: float | None
    evidence: str
    price_evidence: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TariffPeriod:
        """Inverse of :meth:`to_dict`."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def tariff_prices(periods: Sequence[TariffPeriod], timestamps: Sequence[datetime]) -> FloatArray:
    """Price of each interval [元/kWh] from a tariff's periods (by the interval's start).

    Raises
    ------
    FlexInputError
        When a period's price is unknown (evidence X), or an interval is covered by no period or by two.
    """
    unknown = [p for p in periods if p.price_yuan_per_kwh is None]
    if unknown:
        raise FlexInputError(
            f"tariff {unknown[0].tariff_id}: the {unknown[0].period} price is unknown (evidence "
            f"{unknown[0].price_evidence}); pass your own prices"
        )
    out = np.empty(len(timestamps), dtype=np.float64)
    for i, ts in enumerate(timestamps):
        minute = ts.hour * 60 + ts.minute
        hits = [
            p
            for p in periods
            if p.month_from <= ts.month <= p.month_to and _minutes(p.start) <= minute < _minutes(p.end)
        ]
        if len(hits) != 1:
            what = "no period" if not hits else f"{len(hits)} periods"
            raise FlexInputError(f"tariff: {ts.isoformat()} is covered by {what}")
        out[i] = float(hits[0].price_yuan_per_kwh or 0.0)
    return out


# --------------------------------------------------------------------------------------------------------
# (b) PV-storage-flexible building / microgrid.


@dataclass(frozen=True, slots=True)
class Battery:
    """A battery.

    Attributes
    ----------
    capacity_kwh : float
        Usable nameplate energy [kWh].
    power_kw : float
        Charge and discharge power limit [kW].
    round_trip_efficiency : float
        AC-AC round-trip efficiency [-] in (0, 1]; one way η = √ of it.
    soc_min, soc_max, soc_start : float
        State-of-charge limits and start as fractions of ``capacity_kwh`` [-].
    """

    capacity_kwh: float
    power_kw: float
    round_trip_efficiency: float = 0.9
    soc_min: float = 0.1
    soc_max: float = 0.9
    soc_start: float = 0.5

    def check(self) -> None:
        """Raise :class:`FlexInputError` naming the first implausible field."""
        if not (math.isfinite(self.capacity_kwh) and self.capacity_kwh >= 0):
            raise FlexInputError(f"battery capacity must be a non-negative kWh, got {self.capacity_kwh}")
        if not (math.isfinite(self.power_kw) and self.power_kw >= 0):
            raise FlexInputError(f"battery power must be a non-negative kW, got {self.power_kw}")
        if not 0 < self.round_trip_efficiency <= 1:
            raise FlexInputError(f"round-trip efficiency must be in (0, 1], got {self.round_trip_efficiency}")
        for name in ("soc_min", "soc_max", "soc_start"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise FlexInputError(f"{name} is a fraction of capacity in [0, 1], got {value}")
        if not self.soc_min <= self.soc_start <= self.soc_max:
            raise FlexInputError("soc_start must lie between soc_min and soc_max")

    @property
    def one_way_efficiency(self) -> float:
        """η = √(round-trip efficiency) [-]."""
        return math.sqrt(self.round_trip_efficiency)


@dataclass(frozen=True, slots=True)
class FlexibleLoad:
    """A shiftable share of the load, movable within each day.

    Attributes
    ----------
    shiftable_share : float
        Share of each day's load energy that may move within the day [-].
    max_kw : float or None
        Most shifted load in one interval [kW]; default the shiftable share of the peak load.
    """

    shiftable_share: float
    max_kw: float | None = None


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """Dispatch of a PV-storage-flexible building; ``*_without`` is no battery and no shifting.

    Energies [kWh], costs [元], powers [kW], shares [-]. Series are per interval [kW] (``soc_kwh`` [kWh],
    at the end of each interval).
    """

    interval_h: float
    load_kwh: float
    pv_kwh: float
    cost_without_yuan: float
    cost_with_yuan: float
    grid_without_kwh: float
    grid_with_kwh: float
    self_consumption_without: float | None
    self_consumption_with: float | None
    self_sufficiency_without: float
    self_sufficiency_with: float
    peak_without_kw: float
    peak_with_kw: float
    curtailed_kwh: float
    simultaneous_intervals: int
    dc_bus_share: float | None
    dc_bus_kwh: float | None
    grid_kw: tuple[float, ...] = field(repr=False)
    pv_used_kw: tuple[float, ...] = field(repr=False)
    charge_kw: tuple[float, ...] = field(repr=False)
    discharge_kw: tuple[float, ...] = field(repr=False)
    soc_kwh: tuple[float, ...] = field(repr=False)
    shifted_kw: tuple[float, ...] = field(repr=False)

    @property
    def savings_yuan(self) -> float:
        """Cost without minus cost with storage and shifting [元]."""
        return self.cost_without_yuan - self.cost_with_yuan

    def to_dict(self, *, series: bool = True) -> dict[str, Any]:
        """JSON-ready form (``series=False`` leaves the per-interval series out)."""
        data = asdict(self)
        for key in ("grid_kw", "pv_used_kw", "charge_kw", "discharge_kw", "soc_kwh", "shifted_kw"):
            if series:
                data[key] = list(data[key])
            else:
                del data[key]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SimulationResult:
        """Inverse of :meth:`to_dict` (with series)."""
        values = {k: data[k] for k in cls.__dataclass_fields__}
        for key in ("grid_kw", "pv_used_kw", "charge_kw", "discharge_kw", "soc_kwh", "shifted_kw"):
            values[key] = tuple(values[key])
        return cls(**values)


def _series(name: str, values: Sequence[float] | FloatArray, n: int | None = None) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or (n is not None and len(arr) != n):
        raise FlexInputError(f"{name} must be one value per interval ({n} intervals), got {arr.shape}")
    bad = ~np.isfinite(arr)
    if bool(np.any(bad)):
        raise FlexInputError(f"{name} has a missing or non-finite value at interval {int(np.argmax(bad))}")
    return arr


def simulate(
    load_kw: Sequence[float] | FloatArray,
    pv_kw: Sequence[float] | FloatArray,
    price_yuan_per_kwh: Sequence[float] | FloatArray,
    *,
    interval_h: float = 1.0,
    battery: Battery | None = None,
    flexible: FlexibleLoad | None = None,
    day_of_interval: Sequence[int] | None = None,
    dc_bus_share: float | None = None,
) -> SimulationResult:
    """Optimal dispatch of a PV-storage-flexible (光储直柔) building or microgrid (LP, HiGHS).

    Parameters
    ----------
    load_kw : sequence of float
        Mean load per interval [kW], non-negative.
    pv_kw : sequence of float
        Mean PV output per interval [kW], non-negative (e.g. :func:`carbonpeak.core.pv.yield_` kWh/kWp
        times capacity, divided by the interval).
    price_yuan_per_kwh : sequence of float
        Import price per interval [元/kWh] (:func:`tariff_prices`, or the caller's own).
    interval_h : float, optional
        Step [h]: 1 or 0.25.
    battery : Battery, optional
        No battery when ``None`` (or of zero capacity).
    flexible : FlexibleLoad, optional
        Shiftable load; shifts are balanced within each day.
    day_of_interval : sequence of int, optional
        Day number of each interval (for the daily shift balance); default consecutive blocks of 24 h.
    dc_bus_share : float, optional
        Declared share of the load on the DC bus [-]; reported, not optimised.

    Returns
    -------
    SimulationResult

    Raises
    ------
    FlexInputError
        On a missing, non-finite or negative input, an inconsistent battery, or an infeasible problem.

    References
    ----------
    .. [1] See the module docstring (formulation; HiGHS).
    """
    load = _series("load", load_kw)
    n = len(load)
    if n == 0:
        raise FlexInputError("the load has no intervals")
    pv = _series("pv", pv_kw, n)
    price = _series("prices", price_yuan_per_kwh, n)
    if bool(np.any(load < 0)) or bool(np.any(pv < 0)):
        raise FlexInputError("load and PV must be non-negative")
    if not math.isfinite(interval_h) or interval_h <= 0 or interval_h > 1:
        raise FlexInputError(f"the interval must be in (0, 1] h, got {interval_h}")
    if dc_bus_share is not None and not 0 <= dc_bus_share <= 1:
        raise FlexInputError(f"the DC-bus share is a fraction in [0, 1], got {dc_bus_share}")
    dt = float(interval_h)
    if battery is not None:
        battery.check()
    share = 0.0 if flexible is None else float(flexible.shiftable_share)
    if not 0 <= share <= 1:
        raise FlexInputError(f"the shiftable share is a fraction in [0, 1], got {share}")
    if day_of_interval is None:
        per_day = round(24 / dt)
        days = np.arange(n) // per_day
    else:
        days = np.asarray(day_of_interval, dtype=np.int64)
        if len(days) != n:
            raise FlexInputError("day_of_interval must give one day per interval")

    # Without storage or shifting: import what PV does not cover.
    grid0 = np.maximum(load - pv, 0.0)
    pv_used0 = np.minimum(load, pv)

    cap = battery.capacity_kwh if battery is not None else 0.0
    power = battery.power_kw if battery is not None else 0.0
    has_battery = cap > 0 and power > 0
    has_shift = share > 0
    eta = battery.one_way_efficiency if battery is not None else 1.0

    blocks = ["g", "u"] + (["c", "d", "soc"] if has_battery else []) + (["s"] if has_shift else [])
    offset = {name: i * n for i, name in enumerate(blocks)}
    nvar = len(blocks) * n
    t = np.arange(n)

    cost = np.zeros(nvar)
    lower = np.zeros(nvar)
    upper = np.full(nvar, highspy.kHighsInf)
    cost[offset["g"] : offset["g"] + n] = price * dt
    upper[offset["u"] : offset["u"] + n] = pv

    rows: list[IntArray] = []
    cols: list[IntArray] = []
    vals: list[FloatArray] = []
    row_lower: list[FloatArray] = []
    row_upper: list[FloatArray] = []
    row = 0

    def add(r: npt.NDArray[Any], c: npt.NDArray[Any], v: float | FloatArray) -> None:
        rows.append(np.asarray(r, dtype=np.int64))
        cols.append(np.asarray(c, dtype=np.int64))
        vals.append(np.broadcast_to(np.asarray(v, dtype=np.float64), np.shape(r)).copy())

    # balance: g + u + d − c − s = (1 − f) L
    add(row + t, offset["g"] + t, 1.0)
    add(row + t, offset["u"] + t, 1.0)
    if has_battery:
        add(row + t, offset["d"] + t, 1.0)
        add(row + t, offset["c"] + t, -1.0)
    if has_shift:
        add(row + t, offset["s"] + t, -1.0)
    fixed = (1.0 - share) * load
    row_lower.append(fixed)
    row_upper.append(fixed)
    row += n

    soc_start = 0.0
    if has_battery and battery is not None:
        soc_start = battery.soc_start * cap
        tie = TIE_BREAK_YUAN_PER_KWH * dt
        cost[offset["c"] : offset["c"] + n] = tie
        cost[offset["d"] : offset["d"] + n] = tie
        upper[offset["c"] : offset["c"] + n] = power
        upper[offset["d"] : offset["d"] + n] = power
        lower[offset["soc"] : offset["soc"] + n] = battery.soc_min * cap
        upper[offset["soc"] : offset["soc"] + n] = battery.soc_max * cap
        lower[offset["soc"] + n - 1] = max(battery.soc_min * cap, soc_start)
        # SOC_t − SOC_{t−1} − η Δ c_t + Δ/η d_t = 0 (SOC_{−1} = start, moved to the right-hand side)
        add(row + t, offset["soc"] + t, 1.0)
        add(row + t[1:], offset["soc"] + t[:-1], -1.0)
        add(row + t, offset["c"] + t, -eta * dt)
        add(row + t, offset["d"] + t, dt / eta)
        rhs = np.zeros(n)
        rhs[0] = soc_start
        row_lower.append(rhs)
        row_upper.append(rhs)
        row += n

    if has_shift and flexible is not None:
        shift_max = flexible.max_kw if flexible.max_kw is not None else share * float(load.max())
        upper[offset["s"] : offset["s"] + n] = shift_max
        unique_days, day_row = np.unique(days, return_inverse=True)
        add(row + day_row, offset["s"] + t, 1.0)
        daily = np.asarray(np.bincount(day_row, weights=share * load), dtype=np.float64)
        row_lower.append(daily)
        row_upper.append(daily)
        row += len(unique_days)
        if bool(np.any(np.bincount(day_row) * shift_max < daily - 1e-9)):
            raise FlexInputError("the shifted-load limit is too small to place a day's shiftable energy")

    matrix = _Csc.from_triplets(np.concatenate(rows), np.concatenate(cols), np.concatenate(vals), nvar)
    x, _ = _solve(cost, lower, upper, matrix, np.concatenate(row_lower), np.concatenate(row_upper))

    def block(name: str) -> FloatArray:
        if name not in offset:
            return np.zeros(n)
        return np.maximum(x[offset[name] : offset[name] + n], 0.0)

    grid, used = block("g"), block("u")
    charge, discharge, shifted = block("c"), block("d"), block("s")
    soc = x[offset["soc"] : offset["soc"] + n] if "soc" in offset else np.zeros(n)
    both = int(np.sum((charge > SIMULTANEOUS_TOL_KW) & (discharge > SIMULTANEOUS_TOL_KW)))
    load_kwh = float(load.sum() * dt)
    pv_kwh = float(pv.sum() * dt)
    grid_with = float(grid.sum() * dt)
    grid_without = float(grid0.sum() * dt)

    def share_of(part: float, whole: float) -> float | None:
        return None if whole <= 0 else part / whole

    return SimulationResult(
        interval_h=dt,
        load_kwh=load_kwh,
        pv_kwh=pv_kwh,
        cost_without_yuan=float(np.sum(price * grid0) * dt),
        cost_with_yuan=float(np.sum(price * grid) * dt),
        grid_without_kwh=grid_without,
        grid_with_kwh=grid_with,
        self_consumption_without=share_of(float(pv_used0.sum() * dt), pv_kwh),
        self_consumption_with=share_of(float(used.sum() * dt), pv_kwh),
        self_sufficiency_without=1.0 - grid_without / load_kwh if load_kwh > 0 else 0.0,
        self_sufficiency_with=1.0 - grid_with / load_kwh if load_kwh > 0 else 0.0,
        peak_without_kw=float(grid0.max()),
        peak_with_kw=float(grid.max()),
        curtailed_kwh=float(np.maximum(pv - used, 0.0).sum() * dt),
        simultaneous_intervals=both,
        dc_bus_share=dc_bus_share,
        dc_bus_kwh=None if dc_bus_share is None else dc_bus_share * load_kwh,
        grid_kw=tuple(float(v) for v in grid),
        pv_used_kw=tuple(float(v) for v in used),
        charge_kw=tuple(float(v) for v in charge),
        discharge_kw=tuple(float(v) for v in discharge),
        soc_kwh=tuple(float(v) for v in soc),
        shifted_kw=tuple(float(v) for v in shifted),
    )
