"""Energy and carbon intensity per 10^4 yuan of GDP at comparable prices, and progress toward a target.

Comparable-price GDP re-expresses each year's current-price GDP in the prices of a base year with the GDP
deflator (any index base)::

    GDP_comparable(y) = GDP_current(y) x deflator(base) / deflator(y)

Progress toward a reduction target of ``p`` % from ``baseline_year`` to ``target_year``:

* change against the baseline: ``I(y) / I(baseline) - 1``;
* progress: the share of the required cut achieved, ``(1 - I(y)/I(baseline)) / (p/100)``;
* annual rate still needed: ``1 - (I_target / I(y)) ** (1 / (target_year - y))`` with
  ``I_target = I(baseline) x (1 - p/100)``; zero when the target is already met.

References
----------
.. [1] 国家统计局, 单位GDP能耗 (energy consumption per unit of GDP) — computed at comparable prices.
.. [2] A plan's energy-intensity goal, e.g. the reference district's 二 主要目标 (its value, baseline and
   deadline are read from the plan file, never from code).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from carbonpeak.core.inventory.compute import YearTotals
from carbonpeak.core.plan import Comparator, Plan
from carbonpeak.core.units import convert

STATISTIC_INDICATORS: dict[str, str] = {
    "gdp_current": "money",
    "gdp_deflator": "dimensionless",
    "electricity_coal_rate": "dimensionless",
}
"""Statistics an inventory can use, with the dimension of their unit.

``gdp_current`` is GDP at current prices (e.g. 亿元); ``gdp_deflator`` an index in any base; and
``electricity_coal_rate`` the year's fossil-power supply coal rate (kgce/kWh or gce/kWh, a ratio of two
energies), which is the equal-value coefficient of electricity.
"""


@dataclass(frozen=True, slots=True)
class StatisticRecord:
    """One statistic of one year and area (GDP, deflator, coal rate)."""

    year: int
    area: str
    indicator: str
    value: float
    unit: str
    source: str = ""
    quality: str = ""
    note: str = ""
    row: int = 0


@dataclass
class IntensityYear:
    """Intensities of one area in one year, and progress toward the target."""

    year: int
    area: str
    gdp_current_10k_yuan: float | None
    gdp_10k_yuan: float | None
    """GDP at comparable prices of ``price_base_year`` [10^4 yuan]."""
    energy_tce: float | None
    co2_t: float | None
    energy_intensity_tce_per_10k_yuan: float | None
    co2_intensity_t_per_10k_yuan: float | None
    energy_intensity_change_pct: float | None = None
    co2_intensity_change_pct: float | None = None
    target_progress: float | None = None
    required_annual_rate_pct: float | None = None
    target_intensity: float | None = None
    flags: list[str] = field(default_factory=list)


def coal_rates(statistics: Iterable[StatisticRecord], area: str | None = None) -> dict[int, float]:
    """The electricity coal rate by year [kgce/kWh], from the statistics."""
    return {
        s.year: convert(s.value, s.unit, "kgce/kWh")
        for s in statistics
        if s.indicator == "electricity_coal_rate" and (area is None or s.area == area)
    }


def target_trajectory(
    baseline_intensity: float, *, baseline_year: int, target_year: int, reduction_pct: float
) -> dict[int, float]:
    """Compound path from the baseline to the target intensity, year by year [same unit as the baseline]."""
    span = target_year - baseline_year
    factor = 1.0 - reduction_pct / 100.0
    return {baseline_year + k: baseline_intensity * factor ** (k / span) for k in range(span + 1)}


@dataclass(frozen=True)
class IntensityTarget:
    """A plan's energy-intensity target: ``reduction_pct`` below ``baseline_year`` by ``target_year``."""

    baseline_year: int
    target_year: int
    reduction_pct: float


def plan_intensity_target(plan: Plan) -> IntensityTarget | None:
    """A plan's energy-intensity goal: its first ``reduction_pct`` target of indicator ``energy_intensity``
    with a value and a baseline year, or ``None`` when the plan states none."""
    horizon = (plan.plan.horizon.start, plan.plan.horizon.end)
    for _, target in plan.all_targets():
        if (
            target.indicator == "energy_intensity"
            and target.comparator is Comparator.REDUCTION_PCT
            and target.baseline_year is not None
            and target.value is not None
        ):
            return IntensityTarget(target.baseline_year, target.deadline.years(horizon)[1], target.value)
    return None


def first_deflator_year(statistics: Iterable[StatisticRecord]) -> int | None:
    """The first year with a GDP deflator: the price base when no plan states a baseline year [a]."""
    years = [s.year for s in statistics if s.indicator == "gdp_deflator"]
    return min(years) if years else None


def compute_intensities(
    totals: Iterable[YearTotals],
    statistics: Iterable[StatisticRecord],
    *,
    price_base_year: int,
    target: IntensityTarget | None,
    basis: str = "calorific_equivalent",
) -> list[IntensityYear]:
    """Compute energy and CO2 intensity per 10^4 yuan of comparable-price GDP, with target progress.

    Parameters
    ----------
    totals : iterable of YearTotals
        Inventory totals by area and year.
    statistics : iterable of StatisticRecord
        ``gdp_current`` and ``gdp_deflator`` by area and year.
    price_base_year : int
        Year whose prices GDP is expressed in [a] (the plan's baseline year, or the first year with a
        deflator when there is no plan).
    target : IntensityTarget or None
        The plan's energy-intensity target (baseline year, deadline and required fall [%]); ``None``
        computes the intensities without target progress.
    basis : {'calorific_equivalent', 'equal_value'}
        Energy basis of the energy intensity.

    Returns
    -------
    list of IntensityYear
        One per area and year in ``totals``; a value is ``None`` where an input is missing, with a flag.
    """
    if basis not in ("calorific_equivalent", "equal_value"):
        raise ValueError(f"unknown energy basis '{basis}': use calorific_equivalent or equal_value")
    stats = list(statistics)
    gdp = {(s.area, s.year): convert(s.value, s.unit, "万元") for s in stats if s.indicator == "gdp_current"}
    deflator = {(s.area, s.year): s.value for s in stats if s.indicator == "gdp_deflator"}
    out: list[IntensityYear] = []
    for total in sorted(totals, key=lambda t: (t.area, t.year)):
        flags: list[str] = []
        key = (total.area, total.year)
        current = gdp.get(key)
        comparable = None
        if current is None:
            flags.append(f"no gdp_current for {total.area} {total.year}")
        elif key not in deflator or (total.area, price_base_year) not in deflator:
            flags.append(
                f"no gdp_deflator for {total.area} {total.year} or the price base year {price_base_year}"
            )
        else:
            comparable = current * deflator[(total.area, price_base_year)] / deflator[key]
        energy = total.energy_tce if basis == "calorific_equivalent" else total.energy_tce_equal_value
        if energy is None:
            flags.append(f"energy on the {basis} basis is incomplete for {total.year}")
        out.append(
            IntensityYear(
                total.year,
                total.area,
                current,
                comparable,
                energy,
                total.co2_t,
                energy / comparable if energy is not None and comparable else None,
                total.co2_t / comparable if total.co2_t is not None and comparable else None,
                flags=flags,
            )
        )
    if target is not None:
        _progress(out, target.baseline_year, target.target_year, target.reduction_pct)
    return out


def _progress(rows: list[IntensityYear], baseline_year: int, target_year: int, pct: float) -> None:
    base = {r.area: r for r in rows if r.year == baseline_year}
    for row in rows:
        ref = base.get(row.area)
        if ref is None or ref.energy_intensity_tce_per_10k_yuan is None:
            row.flags.append(f"no {baseline_year} baseline intensity")
            continue
        if ref.co2_intensity_t_per_10k_yuan and row.co2_intensity_t_per_10k_yuan is not None:
            row.co2_intensity_change_pct = 100.0 * (
                row.co2_intensity_t_per_10k_yuan / ref.co2_intensity_t_per_10k_yuan - 1
            )
        intensity = row.energy_intensity_tce_per_10k_yuan
        if intensity is None:
            continue
        target = ref.energy_intensity_tce_per_10k_yuan * (1 - pct / 100.0)
        row.target_intensity = target
        ratio = intensity / ref.energy_intensity_tce_per_10k_yuan
        row.energy_intensity_change_pct = 100.0 * (ratio - 1)
        row.target_progress = (1 - ratio) / (pct / 100.0)
        if row.year < target_year:
            needed = (
                0.0 if intensity <= target else 1 - (target / intensity) ** (1 / (target_year - row.year))
            )
            row.required_annual_rate_pct = 100.0 * needed
