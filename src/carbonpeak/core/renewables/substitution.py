"""Renewable substitution rate of new urban buildings (城镇新建建筑可再生能源替代率), from metered building
energy and on-site PV yield.

The plan's target (三(一)2: 10 % by 2025, 15 % by 2030) is set on the **design-stage calculation basis** of
the building standards: a building's designed renewable supply over its calculated demand. This module
computes an **operational** rate from what is metered and registered instead, per calendar year:

.. math::

    r = \\frac{\\sum_i R_i}{\\sum_i (E_i + R_i)} \\times 100\\ \\%

over the new buildings *i* with metered energy in the year, where

* :math:`E_i` is the building's metered energy use in the year [kWh]: grid electricity as metered, other
  carriers (gas, district heat) through their calorific value, i.e. site energy on the calorific-equivalent
  (当量值) basis of GB/T 2589, expressed in kWh;
* :math:`R_i` is the on-site renewable energy of its rooftop, BIPV and façade PV in the year [kWh]: metered
  generation when a generation meter gives it, otherwise *estimated* as capacity × specific yield
  (:func:`estimated_yield_kwh`), pro-rated for an installation commissioned during the year.

Definition and assumptions (label ``assumption``; a reviewer should check them):

* The denominator is *grid + renewable*: the main meters measure what the building draws from the grids,
  so the building's total use is that plus the on-site generation, **all of which is assumed to be used
  on site** (no export is metered). A building whose generation exceeds its metered use is flagged, since
  it probably exports and its rate is then overstated.
* PV is the only renewable counted (solar thermal, heat pumps and other renewables are not registered
  yet), so the rate is a lower bound of the plan's rate.
* The rate is energy-weighted over the buildings (total renewable over total use), not a mean of the
  buildings' rates; each building's own rate is returned too.
* "New urban building": ``year_built`` ≥ 2022 (the plan's rules for new buildings apply from 2022) and
  built by the year assessed. A building with no ``year_built`` cannot be placed and is listed apart.
* The structure (renewable energy supplied over the building's total energy use, on one energy basis)
  follows the renewable energy utilisation rate (可再生能源利用率) of GB/T 51350-2019 近零能耗建筑技术标准,
  but the standard's exact formula (its primary-energy conversion and the end uses it covers) could not
  be confirmed from the text available to the project: the formula above is **the project's assumption**,
  not a transcription of the standard. Published algorithms differ on exactly these points [3]_.

Data quality is returned, not logged: a building with no metered energy in the year is *excluded and
flagged* (never silently dropped), and every building row says whether its yield is metered or estimated.

References
----------
.. [1] The reference district's plan, 杨府发〔2022〕13号, 三(一)2 因地制宜发展各类可再生能源: 到2025年,
   城镇新建建筑可再生能源替代率达到10%;到2030年,进一步提升到15% (targets
   ``renewable_substitution_new_buildings_2025``, ``_2030``).
.. [2] GB/T 51350-2019 近零能耗建筑技术标准, 可再生能源利用率 (followed in structure only; exact formula not
   confirmed, see above). The national target for the same rate (城镇建筑可再生能源替代率 8 % by 2025) is set
   in MOHURD's 《"十四五"建筑节能与绿色建筑发展规划》 (2022), which gives no formula either.
.. [3] 新区规划可再生能源利用率算法研究与探讨, 暖通空调 (HV&AC), http://www.hvacjournal.cn/Item/467.aspx:
   algorithms of the rate are not unified (whether conventional energy is deducted, energy grades).
.. [4] GB/T 2589 综合能耗计算通则 (calorific-equivalent basis); CalTRACK data sufficiency (≥ 90 % coverage),
   see FACTS.md §8, for the coverage flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from carbonpeak.core.pv.potential import DEFAULT_AZIMUTH_DEG, DEFAULT_TILT_DEG

ONSITE_KINDS = ("rooftop", "bipv", "facade")
"""Installation kinds counted as the building's on-site renewable supply (carport PV is not counted:
assumption, a carport often serves a car park rather than the building)."""

FACADE_TILT_DEG = 90.0
"""Tilt of façade PV for the yield estimate [°]: vertical. Assumption."""

ESTIMATE_ORIENTATION: Mapping[str, tuple[float, float]] = {
    "rooftop": (DEFAULT_TILT_DEG["flat"], DEFAULT_AZIMUTH_DEG),
    "bipv": (DEFAULT_TILT_DEG["pitched"], DEFAULT_AZIMUTH_DEG),
    "facade": (FACADE_TILT_DEG, DEFAULT_AZIMUTH_DEG),
}
"""Tilt and azimuth [°, azimuth clockwise from north] used to estimate each kind's yield when the registry
records no orientation: rooftop as a flat-roof rack (20°), BIPV flush on a pitched roof (25°), façade
vertical; all due south, so a façade facing elsewhere is overestimated. Assumption (see docs/pv.md)."""

COVERAGE_MIN_PCT = 90.0
"""Metering coverage below which a building's year is flagged [%] (CalTRACK data sufficiency, ≥ 90 %)."""

METERED = "metered"
ESTIMATED = "estimated"
NO_PV = "none"

FLAG_NO_METERED_ENERGY = "no_metered_energy"
"""No metered energy in the year: the building is excluded from the rate."""
FLAG_ESTIMATED_YIELD = "estimated_yield"
"""The PV yield is capacity × specific yield on the default weather, not metered."""
FLAG_PV_PART_YEAR = "pv_part_year"
"""An installation was commissioned during the year: its estimated yield is pro-rated by days."""
FLAG_LOW_COVERAGE = "metering_coverage_low"
"""Metered readings cover less than :data:`COVERAGE_MIN_PCT` of the year: the use is understated."""
FLAG_CLASS_NOT_COUNTED = "energy_class_not_counted"
"""A metered energy class has no energy factor (e.g. district cooling) and is left out of the use."""
FLAG_ENERGY_NOT_CONVERTED = "energy_not_converted"
"""The metered energy could not be put on the common basis (a factor is missing): excluded."""
FLAG_GENERATION_ABOVE_USE = "generation_above_metered_use"
"""On-site generation exceeds the metered use: the building probably exports; its rate is overstated."""


@dataclass(frozen=True)
class BuildingEnergyYear:
    """One building's metered energy in a year, as the rate needs it."""

    code: str
    year_built: int | None
    energy_kwh: float | None
    """Metered energy use in the year [kWh] (site energy, calorific-equivalent basis); ``None`` when no
    meter recorded energy in the year."""
    coverage_pct: float | None = None
    """Share of the expected readings received in the year [%]; ``None`` when unknown."""
    metered_pv_kwh: float | None = None
    """Metered on-site PV generation in the year [kWh]; ``None`` when no generation meter gives it."""
    flags: tuple[str, ...] = ()
    """Problems found while reading the energy (e.g. a class with no energy factor), passed through."""


@dataclass(frozen=True)
class OnsitePv:
    """A PV installation of a building, with the specific yield to estimate its generation."""

    code: str
    building: str
    kind: str
    capacity_kwp: float
    commissioned: date
    specific_yield_kwh_per_kwp: float
    """Annual yield of 1 kWp at the installation's (assumed) orientation [kWh/(kWp·a)]."""


@dataclass(frozen=True)
class SubstitutionRow:
    """One new building's part of the rate in a year."""

    code: str
    energy_kwh: float | None
    """Metered energy use [kWh]; ``None`` when there was none (the building is then excluded)."""
    renewable_kwh: float
    """On-site PV energy [kWh], metered or estimated (see ``yield_basis``)."""
    yield_basis: str
    """``metered``, ``estimated`` or ``none`` (no on-site PV in operation in the year)."""
    included: bool
    flags: tuple[str, ...] = ()

    @property
    def rate_pct(self) -> float | None:
        """The building's own rate ``R / (E + R)`` [%]; ``None`` when excluded."""
        if not self.included or self.energy_kwh is None:
            return None
        total = self.energy_kwh + self.renewable_kwh
        return 100.0 * self.renewable_kwh / total if total > 0 else None


@dataclass(frozen=True)
class SubstitutionResult:
    """The rate of one year with its per-building breakdown."""

    year: int
    rows: tuple[SubstitutionRow, ...]
    unknown_year_built: tuple[str, ...] = field(default=())
    """Buildings with no ``year_built``: they cannot be placed as new or not, and are left out."""

    @property
    def included(self) -> tuple[SubstitutionRow, ...]:
        """The buildings that count (metered energy in the year)."""
        return tuple(r for r in self.rows if r.included)

    @property
    def excluded(self) -> tuple[SubstitutionRow, ...]:
        """New buildings left out for want of metered energy (flagged ``no_metered_energy``)."""
        return tuple(r for r in self.rows if not r.included)

    @property
    def renewable_kwh(self) -> float:
        """On-site renewable energy of the included buildings [kWh]."""
        return sum(r.renewable_kwh for r in self.included)

    @property
    def energy_kwh(self) -> float:
        """Metered energy use of the included buildings [kWh]."""
        return sum(r.energy_kwh or 0.0 for r in self.included)

    @property
    def rate_pct(self) -> float | None:
        """``ΣR / Σ(E + R)`` over the included buildings [%]; ``None`` when no building counts."""
        total = self.energy_kwh + self.renewable_kwh
        return 100.0 * self.renewable_kwh / total if self.included and total > 0 else None

    @property
    def estimated(self) -> bool:
        """Whether any included building's yield is estimated rather than metered."""
        return any(r.yield_basis == ESTIMATED for r in self.included)


def operating_fraction(commissioned: date, year: int) -> float:
    """Share of ``year`` an installation commissioned on ``commissioned`` is in operation [-].

    Days from the commissioning day (inclusive) to 31 December over the days of the year: 1 for an
    installation commissioned before the year, 0 for one commissioned after it. Counting days weighs every
    day alike, although summer days yield more than winter ones (assumption).
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    if commissioned > last:
        return 0.0
    start = max(commissioned, first)
    return ((last - start).days + 1) / ((last - first).days + 1)


def estimated_yield_kwh(
    capacity_kwp: float, specific_yield_kwh_per_kwp: float, commissioned: date, year: int
) -> float:
    """Estimated generation of an installation in a calendar year [kWh].

    Parameters
    ----------
    capacity_kwp : float
        Rated DC capacity [kWp].
    specific_yield_kwh_per_kwp : float
        Annual yield of 1 kWp at the installation's orientation on the default weather [kWh/(kWp·a)]
        (:func:`carbonpeak.core.pv.yield_.building_yield`).
    commissioned : date
        Commissioning day.
    year : int
        Calendar year [a].

    Returns
    -------
    float
        ``capacity_kwp × specific_yield_kwh_per_kwp × operating_fraction(commissioned, year)`` [kWh].

    References
    ----------
    .. [1] Dobos (2014), PVWatts Version 5 Manual, NREL/TP-6A20-62641 (the yield model, docs/pv.md).
    """
    if capacity_kwp < 0 or specific_yield_kwh_per_kwp < 0:
        raise ValueError("capacity and specific yield must be zero or more")
    return capacity_kwp * specific_yield_kwh_per_kwp * operating_fraction(commissioned, year)


def is_new_urban_building(year_built: int | None, year: int, *, new_from: int) -> bool:
    """Whether a building counts as new in ``year``: built from ``new_from`` (the plan's first year of new
    buildings, e.g. 2022) and no later than ``year``."""
    return year_built is not None and new_from <= year_built <= year


def _building_row(building: BuildingEnergyYear, installations: list[OnsitePv], year: int) -> SubstitutionRow:
    flags: list[str] = list(building.flags)
    running = [i for i in installations if operating_fraction(i.commissioned, year) > 0]
    if building.metered_pv_kwh is not None:
        renewable, basis = building.metered_pv_kwh, METERED
    elif running:
        renewable, basis = (
            sum(
                estimated_yield_kwh(i.capacity_kwp, i.specific_yield_kwh_per_kwp, i.commissioned, year)
                for i in running
            ),
            ESTIMATED,
        )
        flags.append(FLAG_ESTIMATED_YIELD)
        if any(operating_fraction(i.commissioned, year) < 1.0 for i in running):
            flags.append(FLAG_PV_PART_YEAR)
    else:
        renewable, basis = 0.0, NO_PV
    energy = building.energy_kwh
    included = energy is not None and energy > 0
    if not included:
        flags.insert(0, FLAG_NO_METERED_ENERGY)
        energy = None
    else:
        if building.coverage_pct is not None and building.coverage_pct < COVERAGE_MIN_PCT:
            flags.append(FLAG_LOW_COVERAGE)
        if energy is not None and renewable > energy:
            flags.append(FLAG_GENERATION_ABOVE_USE)
    return SubstitutionRow(building.code, energy, renewable, basis, included, tuple(flags))


def renewable_substitution(
    buildings: Iterable[BuildingEnergyYear], installations: Iterable[OnsitePv], *, year: int, new_from: int
) -> SubstitutionResult:
    """Renewable substitution rate of new urban buildings in ``year``, with each building's part.

    Parameters
    ----------
    buildings : iterable of BuildingEnergyYear
        Buildings with their metered energy in ``year`` [kWh]; those not new in ``year``
        (:func:`is_new_urban_building`) are ignored, those without ``year_built`` listed apart.
    installations : iterable of OnsitePv
        PV installations of the buildings; kinds outside :data:`ONSITE_KINDS` are not counted.
    year : int
        Calendar year [a].
    new_from : int
        First year of construction that makes a building new [a] (the plan target's ``applies_from``).

    Returns
    -------
    SubstitutionResult
        ``rate_pct`` = ΣR / Σ(E + R) over the buildings with metered energy [%], the per-building rows
        (sorted by code) with their flags, and the buildings that could not be placed.

    References
    ----------
    .. [1] Reference plan 三(一)2 (targets ``renewable_substitution_new_buildings_2025``/``_2030``); the
       definition and its assumptions are in the module docstring (structure after GB/T 51350-2019,
       exact formula not confirmed: the project's assumption).
    """
    by_building: dict[str, list[OnsitePv]] = {}
    for pv in installations:
        if pv.kind in ONSITE_KINDS:
            by_building.setdefault(pv.building, []).append(pv)
    rows, unknown = [], []
    for building in sorted(buildings, key=lambda b: b.code):
        if building.year_built is None:
            unknown.append(building.code)
            continue
        if is_new_urban_building(building.year_built, year, new_from=new_from):
            rows.append(_building_row(building, by_building.get(building.code, []), year))
    return SubstitutionResult(year, tuple(rows), tuple(unknown))
