"""Compute energy (tce, both bases) and CO2 (t) from activity data, keeping every factor used.

For each activity row:

* energy on the calorific-equivalent basis (当量值) = quantity x standard-coal coefficient;
* energy on the equal-value basis (等价值) = quantity x the equal-value coefficient, where one is known
  (primary fuels: the same coefficient; electricity: the year's coal rate, supplied as a statistic);
* CO2 = quantity x the emission factor valid for the year and region (electricity by the chosen series).

A factor that is missing or unknown does not stop the run: the row's value stays ``None`` and a quality flag
says why; the totals it would enter are then ``None`` too (incomplete), never silently low.

References
----------
.. [1] GB/T 2589-2020 综合能耗计算通则, clause 4 (comprehensive energy consumption).
.. [2] 省级温室气体清单编制指南（试行）, 2011, ch. 1 (energy activities).
.. [3] 沪环气〔2022〕34号 (Shanghai default electricity and heat factors).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from carbonpeak.core.errors import FactorLookupError
from carbonpeak.core.factors import Factor, FactorKind, FactorLibrary
from carbonpeak.core.inventory.model import CARRIERS, SECTORS, ActivityRecord, CarrierKind
from carbonpeak.core.units import convert


@lru_cache(maxsize=4096)
def _scale(from_unit: str, to_unit: str) -> float:
    """Conversion factor from one unit to another (cached: units repeat across thousands of rows)."""
    return convert(1.0, from_unit, to_unit)


@dataclass(frozen=True, slots=True)
class FactorRef:
    """A factor a result used: enough to find the exact row and version again."""

    factor_id: str
    table: str
    table_version: str
    kind: str
    carrier: str
    series: str
    region: str
    value: float
    unit: str
    evidence: str

    @classmethod
    def of(cls, factor: Factor) -> FactorRef:
        """Reference a factor returned by :meth:`FactorLibrary.get_factor`."""
        return cls(
            factor.factor_id,
            factor.table,
            factor.table_version,
            factor.kind.value,
            factor.carrier,
            factor.series,
            factor.region,
            factor.value,
            factor.unit,
            factor.provenance.evidence.value,
        )


@dataclass(frozen=True, slots=True)
class RecordResult:
    """The computed values of one activity row."""

    record: ActivityRecord
    energy_tce: float | None
    """Calorific-equivalent basis [tce]."""
    energy_tce_equal_value: float | None
    """Equal-value basis [tce]; ``None`` when the coefficient is unknown."""
    co2_t: float | None
    """Emissions [tCO2]; removals are negative."""
    scope: int | None
    factors: tuple[FactorRef, ...]
    flags: tuple[str, ...]


@dataclass
class SectorTotals:
    """Totals of one sector in one year and area."""

    sector: str
    energy_tce: float | None = 0.0
    energy_tce_equal_value: float | None = 0.0
    co2_t: float | None = 0.0
    scope1_t: float | None = 0.0
    scope2_t: float | None = 0.0
    rows: int = 0
    """Rows with a number (rows with only a notation key are counted in ``notations``)."""
    scope_rows: dict[int, int] = field(default_factory=dict)
    """Rows with a number by scope (1, 2), to tell 'no such row' from a zero."""
    notations: set[str] = field(default_factory=set)


@dataclass
class YearTotals:
    """Totals of one area in one year, by sector."""

    year: int
    area: str
    energy_tce: float | None = 0.0
    energy_tce_equal_value: float | None = 0.0
    co2_t: float | None = 0.0
    non_fossil_tce: float | None = 0.0
    by_sector: dict[str, SectorTotals] = field(default_factory=dict)

    @property
    def non_fossil_share(self) -> float | None:
        """Share of on-site non-fossil energy in total energy (calorific basis) [-]."""
        if self.non_fossil_tce is None or not self.energy_tce:
            return None
        return self.non_fossil_tce / self.energy_tce


@dataclass
class InventoryResult:
    """A computed inventory: per row, per year and sector, and every factor used."""

    electricity_series: str
    region: str
    records: list[RecordResult]
    years: list[YearTotals]
    factors_used: list[FactorRef]

    def flags(self) -> list[str]:
        """Every quality flag, with the row it concerns."""
        return [f"row {r.record.row}: {flag}" for r in self.records for flag in r.flags]


def _add(total: float | None, value: float | None) -> float | None:
    return None if total is None or value is None else total + value


class _Lookup:
    """Memoised factor lookups for one run (the same few factors serve thousands of rows)."""

    def __init__(self, library: FactorLibrary, region: str, series: str, coal_rates: Mapping[int, float]):
        self.library = library
        self.region = region
        self.series = series
        self.coal_rates = coal_rates
        self.cache: dict[tuple[str, str, int, str], Factor | str] = {}

    def get(self, kind: FactorKind, carrier: str, year: int, series: str | None) -> Factor | str:
        key = (kind.value, carrier, year, series or "")
        if key not in self.cache:
            try:
                self.cache[key] = self.library.get_factor(kind, carrier, self.region, year, series=series)
            except FactorLookupError as exc:
                self.cache[key] = str(exc)
        return self.cache[key]


def _apply(quantity: float, unit: str, factor: Factor, result_unit: str) -> float:
    numerator, denominator = factor.unit.split("/", 1)
    return quantity * _scale(unit, denominator) * factor.value * _scale(numerator, result_unit)


def compute_record(record: ActivityRecord, lookup: _Lookup) -> RecordResult:
    """Compute one activity row (see the module docstring)."""
    carrier = CARRIERS[record.carrier]
    sector = SECTORS[record.sector]
    if record.quantity is None:
        return RecordResult(record, None, None, None, None, (), ())
    quantity = record.quantity
    flags: list[str] = []
    factors: list[FactorRef] = []
    if carrier.kind is CarrierKind.DIRECT:
        direct = quantity * _scale(record.unit, "tCO2") * (-1.0 if sector.removal else 1.0)
        return RecordResult(record, 0.0, 0.0, direct, 1, (), ())

    energy: float | None = None
    coal = lookup.get(FactorKind.STANDARD_COAL, carrier.coal_carrier, record.year, "calorific_equivalent")
    if isinstance(coal, str):
        flags.append(f"calorific-equivalent coefficient: {coal}")
    else:
        energy = _apply(quantity, record.unit, coal, "tce")
        factors.append(FactorRef.of(coal))

    equal: float | None = None
    rate = lookup.coal_rates.get(record.year) if carrier.coal_carrier == "electricity" else None
    if rate is not None:
        equal = quantity * _scale(record.unit, "kWh") * rate / 1000.0
    else:
        ev = lookup.get(FactorKind.STANDARD_COAL, carrier.coal_carrier, record.year, "equal_value")
        if isinstance(ev, str):
            flags.append(f"equal-value coefficient: {ev}")
        else:
            equal = _apply(quantity, record.unit, ev, "tce")
            if not factors or factors[-1].factor_id != ev.factor_id:
                factors.append(FactorRef.of(ev))

    co2: float | None
    scope: int | None
    if carrier.kind is CarrierKind.RENEWABLE:
        co2, scope = 0.0, None
    else:
        series = lookup.series if record.carrier == "electricity" else None
        ef = lookup.get(FactorKind.EMISSION, record.carrier, record.year, series)
        scope = 2 if carrier.kind is CarrierKind.PURCHASED else 1
        if isinstance(ef, str):
            co2 = None
            flags.append(f"emission factor: {ef}")
        else:
            co2 = _apply(quantity, record.unit, ef, "tCO2")
            factors.append(FactorRef.of(ef))
    return RecordResult(record, energy, equal, co2, scope, tuple(factors), tuple(flags))


def compute_inventory(
    records: Iterable[ActivityRecord],
    library: FactorLibrary,
    *,
    region: str | None = None,
    electricity_series: str | None = None,
    coal_rates: Mapping[int, float] | None = None,
) -> InventoryResult:
    """Compute an inventory from activity data.

    Parameters
    ----------
    records : iterable of ActivityRecord
        Validated activity rows (see :func:`carbonpeak.io.inventory.read_activity_file`).
    library : FactorLibrary
        Reference factors.
    region : str, optional
        Region code for the factor lookup (a district's plan names it, e.g. a province's ISO 3166-2 code);
        the library's default region (its manifest's ``defaults.region``) when omitted.
    electricity_series : str, optional
        Electricity factor series; the library's default series when omitted.
        Recomputing under another series is this one argument.
    coal_rates : mapping of int to float, optional
        The year's fossil-power supply coal rate [kgce/kWh], the equal-value coefficient of electricity.

    Returns
    -------
    InventoryResult
        Per-row values with flags, totals by area, year and sector, and every factor used.
    """
    region = region or library.defaults.get("region")
    if not region:
        raise ValueError("no region given and the reference data names no default region")
    series = electricity_series or library.defaults["electricity"]
    lookup = _Lookup(library, region, series, dict(coal_rates or {}))
    results = [compute_record(record, lookup) for record in records]
    totals: dict[tuple[str, int], YearTotals] = {}
    for result in results:
        record = result.record
        year = totals.setdefault((record.area, record.year), YearTotals(record.year, record.area))
        sector = year.by_sector.setdefault(record.sector, SectorTotals(record.sector))
        if record.quantity is None:
            sector.notations.add(record.notation)
            continue
        sector.rows += 1
        if result.scope is not None:
            sector.scope_rows[result.scope] = sector.scope_rows.get(result.scope, 0) + 1
        for holder in (year, sector):
            holder.energy_tce = _add(holder.energy_tce, result.energy_tce)
            holder.energy_tce_equal_value = _add(holder.energy_tce_equal_value, result.energy_tce_equal_value)
            holder.co2_t = _add(holder.co2_t, result.co2_t)
        if result.scope == 1:
            sector.scope1_t = _add(sector.scope1_t, result.co2_t)
        elif result.scope == 2:
            sector.scope2_t = _add(sector.scope2_t, result.co2_t)
        if CARRIERS[record.carrier].non_fossil:
            year.non_fossil_tce = _add(year.non_fossil_tce, result.energy_tce)
    order = list(SECTORS)
    years = sorted(totals.values(), key=lambda t: (t.area, t.year))
    for year in years:
        year.by_sector = dict(sorted(year.by_sector.items(), key=lambda item: order.index(item[0])))
    used: dict[str, FactorRef] = {}
    for result in results:
        for ref in result.factors:
            used.setdefault(ref.factor_id, ref)
    return InventoryResult(series, region, results, years, sorted(used.values(), key=lambda f: f.factor_id))
