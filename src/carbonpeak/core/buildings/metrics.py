"""Building metrics: EUI on both coal bases, carbon, quota position, peers, PUE, base load, weather.

Energy and carbon reuse the district inventory (:func:`carbonpeak.core.inventory.compute_inventory`), so a
building's kgce and tCO2 use exactly the factors and provenance the district uses.

References
----------
.. [1] GB/T 51161-2016 民用建筑能耗标准 (EUI per floor area, operating-hours correction).
.. [2] DB31/T 1341-2021, DB31/T 552-2017, DB31/T 783: Shanghai energy quotas in kgce/(m2 a), each with its own
   electricity coefficient (FACTS.md §8 [S]).
.. [3] GB 40879-2021 数据中心能效限定值及能效等级 (PUE).
.. [4] ASHRAE Guideline 14-2014, degree-day regression for weather normalisation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.factors import FactorLibrary
from carbonpeak.core.inventory import ActivityRecord, FactorRef, compute_inventory
from carbonpeak.core.units import convert

CLASS_CARRIER = {"electricity": "electricity", "gas": "natural_gas", "district_heat": "heat"}
"""Meter energy class -> inventory carrier. Water is not energy; district cooling has no factor yet [X]."""

KWH_PER_KGCE = 29307.0 / 3600.0
"""kWh per kgce (GB/T 2589: 1 kgce = 29 307 kJ), to express non-electric energy in kWh."""


class InsufficientDataError(CarbonpeakError):
    """Too little data to fit a model; pass ``allow_insufficient=True`` to fit anyway."""


@dataclass
class BuildingEnergy:
    """A building's energy and carbon over a period."""

    energy_kwh: float | None
    """Site energy [kWh]: electricity as metered, other carriers via their calorific value."""
    kgce: float | None
    """Calorific-equivalent basis [kgce]."""
    kgce_equal_value: float | None
    """Equal-value basis [kgce]; ``None`` when the electricity coal rate is unknown."""
    co2_t: float | None
    electricity_kwh: float
    electricity_kgce: float = 0.0
    """Electricity's share of ``kgce``, with the library's calorific coefficient [kgce]."""
    factors: list[FactorRef] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def building_energy(
    consumption: Mapping[str, tuple[float, str]],
    *,
    year: int,
    library: FactorLibrary,
    region: str,
    electricity_series: str | None = None,
    coal_rate_kgce_per_kwh: float | None = None,
) -> BuildingEnergy:
    """Energy on both coal bases and CO2 of one building and year.

    Parameters
    ----------
    consumption : mapping of energy class to (quantity, unit)
        e.g. ``{"electricity": (1_200_000, "kWh"), "gas": (30_000, "m3")}``; ``water`` is ignored here.
    year : int
        Accounting year [a], which selects the factors.
    library : FactorLibrary
        Reference factors.
    region, electricity_series : str
        As for the district inventory.
    coal_rate_kgce_per_kwh : float, optional
        The year's electricity coal rate [kgce/kWh] for the equal-value basis.
    """
    records = []
    flags = []
    electricity_kwh = 0.0
    for number, (energy_class, (quantity, unit)) in enumerate(sorted(consumption.items()), start=1):
        if energy_class == "water":
            continue
        carrier = CLASS_CARRIER.get(energy_class)
        if carrier is None:
            flags.append(f"{energy_class}: no energy carrier or factor for this class; not counted")
            continue
        if carrier == "electricity":
            electricity_kwh += convert(quantity, unit, "kWh")
        records.append(ActivityRecord(year, "building", "commercial", carrier, quantity, unit, row=number))
    result = compute_inventory(
        records,
        library,
        region=region,
        electricity_series=electricity_series,
        coal_rates={year: coal_rate_kgce_per_kwh} if coal_rate_kgce_per_kwh else None,
    )
    flags += result.flags()
    if not result.years:
        return BuildingEnergy(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, [], flags)
    total = result.years[0]
    kgce = None if total.energy_tce is None else total.energy_tce * 1000.0
    ev = None if total.energy_tce_equal_value is None else total.energy_tce_equal_value * 1000.0
    energy_kwh = None
    electricity_kgce = electricity_kwh * _electricity_coefficient(result.factors_used)
    if kgce is not None:
        energy_kwh = electricity_kwh + (kgce - electricity_kgce) * KWH_PER_KGCE
    return BuildingEnergy(
        energy_kwh, kgce, ev, total.co2_t, electricity_kwh, electricity_kgce, list(result.factors_used), flags
    )


def _electricity_coefficient(factors: Sequence[FactorRef]) -> float:
    for ref in factors:
        if ref.kind == "standard_coal" and ref.carrier == "electricity":
            return convert(ref.value, ref.unit, "kgce/kWh")
    return 0.0


@dataclass(frozen=True, slots=True)
class Quota:
    """A quota row (能耗限额): constraint, benchmark and guide values on the standard's own basis."""

    quota_id: str
    standard: str
    category: str
    constraint: float | None
    benchmark: float | None
    guide: float | None
    unit: str
    electricity_kgce_per_kwh: float | None
    """The standard's coefficient for electricity [kgce/kWh] (0.1229 calorific, 0.28232 equal-value)."""
    correction: str = ""
    """The standard's correction of the measured value: a name in :data:`QUOTA_CORRECTIONS`, ``""`` for none,
    or ``not_transcribed`` when the standard corrects but its factors are not in the reference data."""


@dataclass(frozen=True, slots=True)
class QuotaPosition:
    """Where a building stands against its quota."""

    value: float | None
    """The building's intensity on the quota's basis [quota unit]."""
    status: str
    """``over_constraint`` (an alert), ``over_guide``, ``within_guide`` or ``no_quota``."""
    ratio_to_constraint: float | None
    uncorrected_value: float | None = None
    """The intensity before the standard's correction [quota unit]; equal to ``value`` when none applies."""
    correction_factor: float | None = None
    """The factor applied to the measured intensity [-]; ``None`` when none was applied."""
    flags: tuple[str, ...] = ()
    """Why a correction the standard asks for could not be applied."""


def gbt51161_operating_hours(
    *, operating_hours_h_per_a: float, standard_hours_h_per_a: float = 2500.0
) -> float:
    """Operating-hours correction of an office's measured energy intensity, gamma1 = 0.3 + 0.7 x (T0 / T).

    Parameters
    ----------
    operating_hours_h_per_a : float
        The building's actual annual operating hours T [h/a].
    standard_hours_h_per_a : float
        The standard's reference hours T0 [h/a] (2500 for office buildings).

    Returns
    -------
    float
        gamma1 [-]: below 1 for a building used longer than the standard assumes, so its measured
        intensity is scaled down before it is compared with the constraint and guide values.

    References
    ----------
    .. [1] GB/T 51161-2016 民用建筑能耗标准, office buildings, correction for operating time; formula as in
       ``shared/reference/FACTS.md`` §8 [S]. The standard's second factor, for occupant density, is not in
       the reference data and is not applied.
    """
    if operating_hours_h_per_a <= 0:
        raise ValueError(f"operating hours must be positive, not {operating_hours_h_per_a} h/a")
    return 0.3 + 0.7 * (standard_hours_h_per_a / operating_hours_h_per_a)


QUOTA_CORRECTIONS = {"gbt51161_operating_hours": gbt51161_operating_hours}
"""Named corrections of a measured intensity, as a quota table's ``correction`` column names them."""
UNTRANSCRIBED_CORRECTION = "not_transcribed"
"""A standard that corrects the measured value with factors the reference data does not hold (evidence X)."""


def quota_correction(method: str, **inputs: float) -> float:
    """The correction factor [-] of a named method (:data:`QUOTA_CORRECTIONS`); unknown names are refused."""
    try:
        function = QUOTA_CORRECTIONS[method]
    except KeyError:
        known = ", ".join(QUOTA_CORRECTIONS)
        raise ValueError(f"unknown quota correction '{method}'; choose one of: {known}") from None
    return function(**inputs)


def quota_position(
    energy: BuildingEnergy,
    floor_area_m2: float,
    quota: Quota | None,
    *,
    operating_hours_h_per_a: float | None = None,
) -> QuotaPosition:
    """Compare a building's annual intensity with its quota, on the quota's own basis.

    A kgce quota counts electricity with the standard's coefficient (calorific 0.1229 for offices under
    DB31/T 1341, equal-value 0.28232 for malls under DB31/T 552) and the other carriers at calorific value.
    A kWh quota (GB/T 51161) uses site energy. When the quota's standard corrects the measured value
    (GB/T 51161: operating hours), the corrected value is compared; without the building's operating hours,
    or for a standard whose factors are not transcribed, the uncorrected value is compared and flagged.

    Parameters
    ----------
    energy : BuildingEnergy
        The building's annual energy.
    floor_area_m2 : float
        Gross floor area [m2].
    quota : Quota or None
        The building's quota row.
    operating_hours_h_per_a : float, optional
        Annual operating hours [h/a], for corrections that need them.
    """
    if quota is None or quota.constraint is None or energy.kgce is None or energy.energy_kwh is None:
        return QuotaPosition(None, "no_quota", None)
    if quota.unit.startswith("kWh"):
        value = energy.energy_kwh / floor_area_m2
    else:
        electricity = energy.electricity_kgce
        if (
            quota.electricity_kgce_per_kwh is not None
        ):  # the standard's own coefficient replaces the library's
            electricity = energy.electricity_kwh * quota.electricity_kgce_per_kwh
        value = (energy.kgce - energy.electricity_kgce + electricity) / floor_area_m2
    uncorrected = value
    factor: float | None = None
    flags: list[str] = []
    if quota.correction == UNTRANSCRIBED_CORRECTION:
        flags.append(f"{quota.standard} corrects the measured value with factors not in the reference data")
    elif quota.correction and operating_hours_h_per_a is None:
        flags.append(f"operating hours unknown: the {quota.standard} correction is not applied")
    elif quota.correction and operating_hours_h_per_a is not None:
        factor = quota_correction(quota.correction, operating_hours_h_per_a=operating_hours_h_per_a)
        value = uncorrected * factor
    if value > quota.constraint:
        status = "over_constraint"
    elif quota.guide is not None and value > quota.guide:
        status = "over_guide"
    else:
        status = "within_guide"
    return QuotaPosition(value, status, value / quota.constraint, uncorrected, factor, tuple(flags))


def peer_percentile(value: float, peers: Sequence[float]) -> int:
    """Percentile (1-100) of ``value`` among ``peers`` (its category, itself included): 1 = lowest EUI.

    The percentile rank 100 x (below + equal / 2) / n, rounded up: ties share one percentile.

    References
    ----------
    .. [1] Crocker, L., Algina, J. (1986). Introduction to classical and modern test theory, ch. 19
       (percentile rank with the mid-point convention).
    """
    if not peers:
        raise ValueError("no peers")
    below = sum(1 for p in peers if p < value)
    equal = sum(1 for p in peers if p == value)
    return max(1, min(100, math.ceil(100 * (below + equal / 2) / len(peers))))


def pue(total_kwh: float, it_kwh: float) -> float:
    """Power usage effectiveness [-]: total facility energy over IT energy (GB 40879-2021)."""
    if it_kwh <= 0:
        raise ValueError("IT energy must be positive")
    return total_kwh / it_kwh


def pue_status(value: float, *, limit: float) -> str:
    """``within_limit`` or ``over_limit`` against a plan's PUE limit (for new or existing data centres)."""
    return "within_limit" if value <= limit else "over_limit"


def base_load_ratio(hourly: Sequence[tuple[datetime, float]]) -> float | None:
    """Night-and-weekend base load over weekday working-hours load [-].

    Base: mean of hours 00-05 on any day and all weekend hours; working: weekdays 09-17. A high ratio
    means equipment runs when the building is empty.
    """
    base = [v for t, v in hourly if t.hour < 5 or t.weekday() >= 5]
    work = [v for t, v in hourly if t.weekday() < 5 and 9 <= t.hour < 17]
    if not base or not work or sum(work) == 0:
        return None
    return (sum(base) / len(base)) / (sum(work) / len(work))


def year_over_year_pct(current: float, previous: float) -> float:
    """Change against the previous year [%]."""
    return 100.0 * (current / previous - 1.0)


def normalise_degree_days(
    monthly_energy: Sequence[float],
    monthly_degree_days: Sequence[float],
    normal_degree_days: Sequence[float],
    *,
    allow_insufficient: bool = False,
) -> float:
    """Weather-normalised annual energy by a monthly degree-day regression, E = a + b x DD.

    Parameters
    ----------
    monthly_energy : sequence of float
        Energy per month [any unit].
    monthly_degree_days : sequence of float
        Heating plus cooling degree-days of the same months [K d].
    normal_degree_days : sequence of float
        Degree-days of a normal year, 12 months [K d].
    allow_insufficient : bool
        Fit on fewer than 9 months anyway.

    Raises
    ------
    InsufficientDataError
        With fewer than 9 months, unless ``allow_insufficient``.
    """
    n = len(monthly_energy)
    if n != len(monthly_degree_days):
        raise ValueError("energy and degree-days must have the same months")
    if n < 9 and not allow_insufficient:
        raise InsufficientDataError(f"{n} months of data; a degree-day model needs at least 9")
    mean_x = sum(monthly_degree_days) / n
    mean_y = sum(monthly_energy) / n
    sxx = sum((x - mean_x) ** 2 for x in monthly_degree_days)
    b = (
        0.0
        if sxx == 0
        else sum(
            (x - mean_x) * (y - mean_y) for x, y in zip(monthly_degree_days, monthly_energy, strict=True)
        )
        / sxx
    )
    a = mean_y - b * mean_x
    return a * len(normal_degree_days) + b * sum(normal_degree_days)


PUBLIC_INSTITUTION_RATIOS = ("energy_per_m2", "energy_per_capita", "water_per_capita", "carbon_per_m2")
"""The four public-institution ratios: energy per m² and per person, water per person, carbon per m²."""


def public_institution_indicators(
    current: Mapping[str, float], baseline: Mapping[str, float], *, cuts_pct: Mapping[str, float]
) -> dict[str, dict[str, float | bool]]:
    """Change of each public-institution ratio against the baseline year and whether the plan's cut is met.

    Both mappings hold ``energy_kgce``, ``water_m3``, ``co2_t``, ``floor_area_m2`` and ``occupants``.
    ``cuts_pct`` gives the plan's required fall of each ratio [%] (keys of
    :data:`PUBLIC_INSTITUTION_RATIOS`); a ratio without a cut is left out.
    """

    def ratios(v: Mapping[str, float]) -> dict[str, float]:
        return {
            "energy_per_m2": v["energy_kgce"] / v["floor_area_m2"],
            "energy_per_capita": v["energy_kgce"] / v["occupants"],
            "water_per_capita": v["water_m3"] / v["occupants"],
            "carbon_per_m2": v["co2_t"] * 1000.0 / v["floor_area_m2"],
        }

    now, base = ratios(current), ratios(baseline)
    out: dict[str, dict[str, float | bool]] = {}
    for key, target in cuts_pct.items():
        change = 100.0 * (now[key] / base[key] - 1.0)
        out[key] = {
            "value": now[key],
            "baseline": base[key],
            "change_pct": change,
            "target_pct": -target,
            "met": change <= -target,
        }
    return out
