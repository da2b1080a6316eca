"""Projection model: drivers x intensities x emission factors, calibrated on the inventory.

The district is split into **segments** (建模单元). Each segment belongs to one inventory sector and has one
driver (an activity measure such as floor area or vehicle-km). A **cell** is a segment and a carrier. For
every cell ``j`` and year ``t``::

    q[j, t]        = driver[k(j), t] x intensity[j, t]        (activity quantity of the cell)
    energy_tce[j]  = q[j]   for energy carriers [tce, calorific-equivalent basis]; 0 for ``co2e``
    co2_t[j]       = q[j] x ef[j, t]                         (ef [tCO2/tce]; 1 for ``co2e``)

For a direct-emission carrier (``co2e``: processes, waste, sinks) the quantity is the emission itself
[tCO2e], negative for removals, exactly as the inventory counts it.

**Calibration** (:func:`calibrate`) derives, for every historical year, ``intensity = q / driver`` and
``ef = co2 / energy`` from the inventory's energy and CO2 by sector and carrier. The model output for the
historical years is therefore the inventory itself, up to floating-point rounding (a few ulp).

**Projection years** are the years after the last historical year. There a driver grows at its scenario
rate, ``driver[t] = driver[t_last] x prod(1 + g)``, an intensity changes at its segment's rate, and the
emission factor of each cell stays at its last historical value, except purchased electricity, which follows
the grid-factor pathway when the scenario gives one. Levers (:mod:`carbonpeak.core.projection.levers`)
then change intensities or quantities in the projection years only.

A sector's history is split between its segments by fixed carrier shares (:class:`Segment`). The default
segmentation puts a share of commercial electricity in a data-centre segment; that share is a modelling
assumption (no district figure is known, FACTS.md section 6 [X]).

References
----------
.. [1] Kaya, Y. (1990). Impact of carbon dioxide emission control on GNP growth: interpretation of proposed
   scenarios. IPCC Energy and Industry Subgroup, Response Strategies Working Group, Paris.
.. [2] Heaps, C. G. (2022). LEAP: The Low Emissions Analysis Platform, Stockholm Environment Institute
   (activity x energy intensity x emission factor accounting, calibrated on a base year).
.. [3] GB/T 2589-2020 综合能耗计算通则: electricity, calorific-equivalent basis 0.1229 kgce/kWh.
.. [4] 省级温室气体清单编制指南（试行）, 2011 (sectors and carriers of the inventory).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.inventory.compute import RecordResult
from carbonpeak.core.inventory.model import CARRIERS, SECTORS, CarrierKind

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

ELECTRICITY_TCE_PER_MWH = 0.1229
"""Electricity on the calorific-equivalent basis [tce/MWh] (0.1229 kgce/kWh, GB/T 2589; FACTS.md [V])."""

DATA_CENTRE_ELECTRICITY_SHARE = 0.05
"""Share of commercial electricity used by data centres [-]. **Modelling assumption**: no district figure is
known (FACTS.md section 6, [X]); replace it with the data-centre registry's metered electricity."""

DRIVERS: dict[str, str] = {
    "gdp_primary_10k_yuan": "GDP of the primary industry at comparable prices [10^4 yuan]",
    "gdp_secondary_10k_yuan": "GDP of the secondary industry at comparable prices [10^4 yuan]",
    "gdp_tertiary_10k_yuan": "GDP of the tertiary industry at comparable prices [10^4 yuan]",
    "population": "resident population [persons]",
    "floor_area_public_m2": "floor area of public and commercial buildings [m2]",
    "floor_area_residential_m2": "floor area of residential buildings [m2]",
    "vehicle_stock": "registered road vehicles [vehicles]",
    "vehicle_km": "road vehicle-kilometres driven in the district [vehicle-km/a]",
    "data_centre_it_mwh": "data-centre IT equipment electricity [MWh/a]",
    "waste_t": "household waste generated [t/a]",
    "green_space_ha": "green space area [ha]",
}
"""Known drivers and their units. A segment may use any name; these are the ones the defaults use."""


class ProjectionError(CarbonpeakError, ValueError):
    """Projection inputs are inconsistent (history, drivers, scenario or uncertainty specification)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A modelling segment: part of one inventory sector, driven by one driver.

    Parameters
    ----------
    code : str
        Segment code, e.g. ``public_buildings``.
    sector : str
        Inventory sector code (see :data:`carbonpeak.core.inventory.model.SECTORS`).
    driver : str
        Name of the driver, e.g. ``floor_area_public_m2`` (see :data:`DRIVERS`).
    shares : mapping of str to float
        Share [-] of the sector's history of each carrier assigned to this segment. Empty means the
        segment takes the remainder: each sector has exactly one remainder segment.
    """

    code: str
    sector: str
    driver: str
    shares: Mapping[str, float] = field(default_factory=dict)


DEFAULT_SEGMENTS: tuple[Segment, ...] = (
    Segment("industry", "industry", "gdp_secondary_10k_yuan"),
    Segment("construction", "construction", "gdp_secondary_10k_yuan"),
    Segment("transport", "transport", "vehicle_km"),
    Segment("public_buildings", "commercial", "floor_area_public_m2"),
    Segment(
        "data_centres", "commercial", "data_centre_it_mwh", {"electricity": DATA_CENTRE_ELECTRICITY_SHARE}
    ),
    Segment("residential", "residential", "floor_area_residential_m2"),
    Segment("process", "process", "gdp_secondary_10k_yuan"),
    Segment("waste", "waste", "waste_t"),
    Segment("sinks", "sinks", "green_space_ha"),
)
"""Default segmentation of the inventory sectors (the data-centre share is an assumption, see above)."""

History = Mapping[tuple[str, str], Mapping[int, tuple[float, float]]]
"""Inventory history: ``(sector, carrier) -> {year: (energy_tce, co2_t)}`` [tce, tCO2]."""


def _kind(carrier: str) -> CarrierKind:
    try:
        return CARRIERS[carrier].kind
    except KeyError:
        raise ProjectionError(
            f"unknown carrier '{carrier}' in the history; known: {', '.join(CARRIERS)}"
        ) from None


def carries_energy(carrier: str) -> bool:
    """Whether a carrier's quantity is energy [tce] (``False`` for ``co2e``, whose quantity is tCO2e)."""
    return _kind(carrier) is not CarrierKind.DIRECT


def emits(carrier: str) -> bool:
    """Whether a carrier is an emitting energy carrier (fossil or purchased; not renewable, not ``co2e``)."""
    return _kind(carrier) in (CarrierKind.FOSSIL, CarrierKind.PURCHASED)


@dataclass(frozen=True)
class Calibration:
    """A calibrated model: historical quantities, intensities and emission factors by cell.

    Arrays are indexed ``[cell, historical year]`` or ``[driver, historical year]``.

    Attributes
    ----------
    segments : tuple of Segment
        Segments in reporting order.
    cells : tuple of (str, str)
        ``(segment code, carrier)`` of each cell.
    history_years : tuple of int
        Historical years, ascending and contiguous [a].
    drivers : tuple of str
        Driver names used by the segments.
    driver_history : ndarray [driver unit]
        Driver values; 1.0 (an index) for a driver that was not supplied.
    driver_supplied : tuple of bool
        Whether each driver was supplied (``False``: held as a constant index 1.0).
    quantity : ndarray [tce or tCO2e]
        Historical quantity of each cell: energy [tce], or emissions [tCO2e] for ``co2e``.
    intensity : ndarray [tce or tCO2e per driver unit]
        ``quantity / driver``.
    co2_per_quantity : ndarray [tCO2/tce or -]
        Emission factor of each cell; for a cell with no quantity in a year, the carrier's mean factor that
        year (nearest year if none); 1 for ``co2e``.
    carrier_ef : mapping of str to ndarray [tCO2/tce]
        Energy-weighted emission factor of each emitting carrier by historical year (nearest year filled).
    notes : tuple of str
        What the calibration had to assume (missing drivers).
    """

    segments: tuple[Segment, ...]
    cells: tuple[tuple[str, str], ...]
    history_years: tuple[int, ...]
    drivers: tuple[str, ...]
    driver_history: FloatArray
    driver_supplied: tuple[bool, ...]
    quantity: FloatArray
    intensity: FloatArray
    co2_per_quantity: FloatArray
    carrier_ef: Mapping[str, FloatArray]
    notes: tuple[str, ...] = ()

    @property
    def last_history_year(self) -> int:
        """Last historical year [a]; projection years come after it."""
        return self.history_years[-1]

    def segment(self, code: str) -> Segment:
        """Return a segment by code."""
        for seg in self.segments:
            if seg.code == code:
                return seg
        raise ProjectionError(f"unknown segment '{code}'; known: {', '.join(s.code for s in self.segments)}")

    def cell_index(self, segment: str, carrier: str) -> int | None:
        """Index of a cell, or ``None`` when the model has no such cell."""
        try:
            return self.cells.index((segment, carrier))
        except ValueError:
            return None

    def with_cells(self, extra: Iterable[tuple[str, str]]) -> Calibration:
        """Return the calibration with extra cells (zero history) that levers need, e.g. on-site PV."""
        new = [c for c in dict.fromkeys(extra) if c not in self.cells]
        if not new:
            return self
        for segment, carrier in new:
            self.segment(segment)
            _kind(carrier)
        zeros = np.zeros((len(new), len(self.history_years)))
        ef = np.stack([self._fallback_ef(carrier) for _, carrier in new])
        return Calibration(
            self.segments,
            self.cells + tuple(new),
            self.history_years,
            self.drivers,
            self.driver_history,
            self.driver_supplied,
            np.concatenate([self.quantity, zeros]),
            np.concatenate([self.intensity, zeros]),
            np.concatenate([self.co2_per_quantity, ef]),
            self.carrier_ef,
            self.notes,
        )

    def _fallback_ef(self, carrier: str) -> FloatArray:
        if not carries_energy(carrier):
            return np.ones(len(self.history_years))
        if not emits(carrier):
            return np.zeros(len(self.history_years))
        return np.asarray(
            self.carrier_ef.get(carrier, np.zeros(len(self.history_years))), dtype=np.float64
        ).copy()


def _fill_nearest(values: FloatArray) -> FloatArray:
    """Fill NaN with the nearest earlier value, then the nearest later one; all-NaN gives zeros."""
    out = values.copy()
    known = np.flatnonzero(~np.isnan(out))
    if known.size == 0:
        return np.zeros_like(out)
    idx = np.arange(out.size)
    earlier = np.searchsorted(known, idx, side="right") - 1
    pick = np.where(earlier >= 0, known[np.clip(earlier, 0, None)], known[0])
    return out[pick]


def calibrate(
    history: History,
    drivers: Mapping[str, Mapping[int, float]],
    *,
    segments: Sequence[Segment] = DEFAULT_SEGMENTS,
) -> Calibration:
    """Derive intensities and emission factors so that the model reproduces the history exactly.

    Parameters
    ----------
    history : mapping of (str, str) to mapping of int to (float, float)
        ``(sector, carrier) -> {year: (energy_tce, co2_t)}`` [tce, tCO2], e.g. from
        :func:`history_from_records`. For ``co2e`` the energy is ignored (0 in the inventory) and the CO2
        is the direct emission (negative for sinks). A year missing for one cell counts as zero.
    drivers : mapping of str to mapping of int to float
        Driver values by year [driver unit, see :data:`DRIVERS`]. A supplied driver must cover every
        historical year. A driver a segment needs but that is not supplied is held as a constant index
        1.0 (noted in :attr:`Calibration.notes`); levers that need its physical value then do nothing.
    segments : sequence of Segment
        Segmentation of the sectors (default :data:`DEFAULT_SEGMENTS`).

    Returns
    -------
    Calibration

    Raises
    ------
    ProjectionError
        Unknown carrier or sector without a segment, gaps in the years, a driver that is missing a year
        or is not positive where a cell has a quantity, energy zero with CO2 non-zero, or shares over 1.

    References
    ----------
    .. [1] Heaps, C. G. (2022). LEAP, Stockholm Environment Institute: base-year calibration of activity
       x intensity x emission factor.
    """
    if not history:
        raise ProjectionError("the history is empty: nothing to calibrate")
    years = sorted({year for series in history.values() for year in series})
    if years != list(range(years[0], years[-1] + 1)):
        raise ProjectionError(f"historical years must be contiguous, got {years}")
    th = len(years)
    col = {year: i for i, year in enumerate(years)}
    segs = tuple(segments)
    if len({s.code for s in segs}) != len(segs):
        raise ProjectionError("segment codes must be unique")
    by_sector: dict[str, list[Segment]] = {}
    for seg in segs:
        by_sector.setdefault(seg.sector, []).append(seg)
    for sector, group in by_sector.items():
        if sum(1 for s in group if not s.shares) != 1:
            raise ProjectionError(f"sector '{sector}' needs exactly one remainder segment (empty shares)")

    # Sector x carrier history as arrays, and each carrier's energy-weighted emission factor by year.
    raw: dict[tuple[str, str], tuple[FloatArray, FloatArray]] = {}
    for (sector, carrier), series in history.items():
        if sector not in by_sector:
            known = ", ".join(SECTORS)
            raise ProjectionError(f"no segment for sector '{sector}' (sectors: {known})")
        direct = not carries_energy(carrier)
        q = np.zeros(th)
        co2 = np.zeros(th)
        for year, (energy_tce, co2_t) in series.items():
            q[col[year]] = co2_t if direct else energy_tce
            co2[col[year]] = co2_t
            if not direct and energy_tce == 0.0 and co2_t != 0.0:
                raise ProjectionError(f"{sector}/{carrier} {year}: CO2 {co2_t} t with zero energy")
        raw[(sector, carrier)] = (q, co2)
    carrier_ef: dict[str, FloatArray] = {}
    for carrier in sorted({c for _, c in raw}):
        if not emits(carrier):
            continue
        q_sum = sum((raw[k][0] for k in raw if k[1] == carrier), np.zeros(th))
        c_sum = sum((raw[k][1] for k in raw if k[1] == carrier), np.zeros(th))
        with np.errstate(invalid="ignore", divide="ignore"):
            carrier_ef[carrier] = _fill_nearest(np.where(q_sum != 0, c_sum / q_sum, np.nan))

    cells: list[tuple[str, str]] = []
    quantity: list[FloatArray] = []
    ef_rows: list[FloatArray] = []
    for (sector, carrier), (q, co2) in raw.items():
        group = by_sector[sector]
        taken = sum(s.shares.get(carrier, 0.0) for s in group if s.shares)
        if taken > 1.0 + 1e-12 or any(v < 0 for s in group for v in s.shares.values()):
            raise ProjectionError(
                f"shares of '{carrier}' in sector '{sector}' must be in [0, 1] and sum <= 1"
            )
        if not carries_energy(carrier):
            ef = np.ones(th)
        elif not emits(carrier):
            ef = np.zeros(th)
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                own = np.where(q != 0, co2 / q, np.nan)
            ef = np.where(np.isnan(own), carrier_ef[carrier], own)
        parts: list[tuple[Segment, FloatArray]] = [
            (s, q * s.shares[carrier]) for s in group if s.shares and s.shares.get(carrier, 0.0) > 0
        ]
        remainder = next(s for s in group if not s.shares)
        if taken < 1.0:
            rest = q - sum((p for _, p in parts), np.zeros(th))
            parts.append((remainder, rest))
        for seg, part in parts:
            cells.append((seg.code, carrier))
            quantity.append(part)
            ef_rows.append(ef)

    order = {s.code: i for i, s in enumerate(segs)}
    carrier_order = {c: i for i, c in enumerate(CARRIERS)}
    ranked = sorted(range(len(cells)), key=lambda i: (order[cells[i][0]], carrier_order[cells[i][1]]))
    cells = [cells[i] for i in ranked]
    q_arr = np.array([quantity[i] for i in ranked]).reshape(len(cells), th)
    ef_arr = np.array([ef_rows[i] for i in ranked]).reshape(len(cells), th)

    driver_names = tuple(dict.fromkeys(s.driver for s in segs))
    d_hist = np.ones((len(driver_names), th))
    supplied: list[bool] = []
    notes: list[str] = []
    for k, name in enumerate(driver_names):
        values = drivers.get(name)
        if values is None:
            supplied.append(False)
            used_by = [s.code for s in segs if s.driver == name]
            notes.append(f"driver '{name}' not supplied: held as a constant index 1.0 ({', '.join(used_by)})")
            continue
        missing = [y for y in years if y not in values]
        if missing:
            raise ProjectionError(f"driver '{name}' has no value for {missing}")
        d_hist[k] = [float(values[y]) for y in years]
        supplied.append(True)
    seg_driver = {s.code: driver_names.index(s.driver) for s in segs}
    d_cells = d_hist[[seg_driver[seg] for seg, _ in cells]] if cells else np.zeros((0, th))
    bad = (d_cells <= 0) & (q_arr != 0)
    if bad.any():
        j, t = np.argwhere(bad)[0]
        raise ProjectionError(
            f"driver '{driver_names[seg_driver[cells[j][0]]]}' is {d_cells[j, t]} in {years[t]} "
            f"but cell {cells[j]} has a quantity: drivers must be positive"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        intensity = np.where(d_cells > 0, q_arr / np.where(d_cells > 0, d_cells, 1.0), 0.0)
    return Calibration(
        segs,
        tuple(cells),
        tuple(years),
        driver_names,
        d_hist,
        tuple(supplied),
        q_arr,
        intensity,
        ef_arr,
        carrier_ef,
        tuple(notes),
    )


def history_from_records(records: Iterable[RecordResult], *, area: str | None = None) -> History:
    """Sum an inventory's per-row results into the history :func:`calibrate` takes.

    Parameters
    ----------
    records : iterable of RecordResult
        :attr:`carbonpeak.core.inventory.InventoryResult.records`.
    area : str, optional
        Area to take; required when the records hold more than one (sub-areas must not be added to the
        district).

    Returns
    -------
    dict
        ``(sector, carrier) -> {year: (energy_tce, co2_t)}`` [tce, tCO2] (calorific-equivalent energy).

    Raises
    ------
    ProjectionError
        Several areas and none chosen, or a row whose energy or CO2 is unknown (a missing factor).
    """
    rows = list(records)
    areas = sorted({r.record.area for r in rows})
    if area is None and len(areas) > 1:
        raise ProjectionError(f"the records cover several areas ({', '.join(areas)}): choose one")
    out: dict[tuple[str, str], dict[int, tuple[float, float]]] = {}
    incomplete: list[int] = []
    for result in rows:
        rec = result.record
        if (area is not None and rec.area != area) or rec.quantity is None:
            continue
        if result.energy_tce is None or result.co2_t is None:
            incomplete.append(rec.row)
            continue
        series = out.setdefault((rec.sector, rec.carrier), {})
        energy, co2 = series.get(rec.year, (0.0, 0.0))
        series[rec.year] = (energy + result.energy_tce, co2 + result.co2_t)
    if incomplete:
        raise ProjectionError(f"rows with unknown energy or CO2 (missing factor): {incomplete[:20]}")
    return {key: dict(sorted(series.items())) for key, series in out.items()}


@dataclass
class State:
    """Arrays of one model run, changed in place by the levers (leading axis: draws, or 1).

    Attributes
    ----------
    calibration : Calibration
    years : ndarray of int [a]
        Output years, base..horizon.
    future : ndarray of bool
        ``True`` for projection years (after the last historical year); levers act only there.
    draws : int
        Number of draws ``D``; arrays have ``D`` or 1 rows.
    drivers : ndarray [driver unit]
        ``(D|1, drivers, years)``: 1 row when growth is not drawn.
    intensity : ndarray [tce or tCO2e per driver unit]
        ``(D, cells, years)``; in the energy stage it is consumed (the buffer becomes ``quantity``).
    quantity : ndarray [tce or tCO2e] or None
        ``(D, cells, years)``, set after the intensity stage.
    co2_per_quantity : ndarray [tCO2/tce or -]
        ``(cells, years)``.
    tce_per_mwh : float [tce/MWh]
        Electricity conversion (calorific-equivalent).
    notes : list of str
        What levers could not do (e.g. a missing driver).
    """

    calibration: Calibration
    years: IntArray
    future: npt.NDArray[np.bool_]
    draws: int
    drivers: FloatArray
    intensity: FloatArray
    co2_per_quantity: FloatArray
    tce_per_mwh: float = ELECTRICITY_TCE_PER_MWH
    quantity: FloatArray | None = None
    notes: list[str] = field(default_factory=list)

    def cell(self, segment: str, carrier: str) -> int | None:
        """Index of a cell, or ``None``."""
        return self.calibration.cell_index(segment, carrier)

    def segment_cells(self, segment: str, *, emitting_only: bool = False) -> list[int]:
        """Indices of a segment's energy cells (all but ``co2e``), or only its emitting ones."""
        return [
            j
            for j, (seg, carrier) in enumerate(self.calibration.cells)
            if seg == segment and (emits(carrier) if emitting_only else carries_energy(carrier))
        ]

    def driver(self, name: str) -> FloatArray:
        """Driver values ``(D|1, years)`` [driver unit]."""
        try:
            k = self.calibration.drivers.index(name)
        except ValueError:
            raise ProjectionError(
                f"driver '{name}' is not used by any segment; known: {', '.join(self.calibration.drivers)}"
            ) from None
        return self.drivers[:, k, :]

    def supplied(self, name: str) -> bool:
        """Whether a driver was supplied in physical units (not the constant index)."""
        if name not in self.calibration.drivers:
            return False
        return self.calibration.driver_supplied[self.calibration.drivers.index(name)]

    def scale_intensity(self, cells: Sequence[int], factor: FloatArray) -> None:
        """Multiply the intensity of ``cells`` by ``factor`` ``(D|1, years)`` [-]."""
        if not cells:
            return
        rows = max(self.intensity.shape[0], factor.shape[0])
        if self.intensity.shape[0] != rows:
            self.intensity = np.broadcast_to(self.intensity, (rows, *self.intensity.shape[1:])).copy()
        for j in cells:  # basic slicing: in place, no copy of the (draws, cells, years) array
            self.intensity[:, j, :] *= factor

    def add_intensity(self, cell: int, amount: FloatArray) -> None:
        """Add ``amount`` ``(D|1, years)`` to one cell's intensity [quantity per driver unit]."""
        rows = max(self.intensity.shape[0], amount.shape[0])
        if self.intensity.shape[0] != rows:
            self.intensity = np.broadcast_to(self.intensity, (rows, *self.intensity.shape[1:])).copy()
        self.intensity[:, cell, :] += amount

    def q(self) -> FloatArray:
        """The quantity array ``(D, cells, years)`` [tce or tCO2e]; only in the energy stage."""
        if self.quantity is None:
            raise ProjectionError("quantities exist only in the energy stage")
        return self.quantity


def driver_index(calibration: Calibration, segment: str) -> int:
    """Index of a segment's driver in :attr:`Calibration.drivers`."""
    return calibration.drivers.index(calibration.segment(segment).driver)
