"""Read-only queries for buildings. Pages and metrics read rollups, never raw readings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Sum

from carbonpeak.core.buildings.categories import CATEGORIES, ancestors, is_generation
from carbonpeak.core.buildings.metrics import (
    InsufficientDataError,
    Quota,
    base_load_ratio,
    building_energy,
    normalise_degree_days,
    peer_percentile,
    public_institution_indicators,
    pue,
    pue_status,
    quota_position,
)
from carbonpeak.core.factors import FactorLibrary
from carbonpeak.web.buildings.models import Building, DegreeDays, Meter, MeterRollup, QuarantinedReading
from carbonpeak.web.buildings.plan_rules import BuildingRules, building_rules
from carbonpeak.web.plan.selectors import current_region
from carbonpeak.web.reference.selectors import factor_library, latest_versions, table_rows

SHANGHAI = ZoneInfo("Asia/Shanghai")
NON_PUBLIC_USES = {"residential", "industrial"}
"""Public buildings over 10,000 m² need energy audits (杨府发〔2022〕13号, 三(三)3)."""


def main_meters(building: Building) -> list[Meter]:
    """Meters whose sum is the building's consumption, per energy class.

    For each energy class: its ``total`` meters when it has any; otherwise its sub-meters whose category has
    no metered ancestor in that class, so a metered parent and its metered children are not counted twice.
    Generation meters (on-site PV output) measure energy produced, not used, and are never chosen.
    """
    physical = [m for m in building.meters.all() if not m.virtual and not is_generation(m.category)]
    chosen = []
    for energy_class in sorted({m.energy_class for m in physical}):
        meters = [m for m in physical if m.energy_class == energy_class]
        totals = [m for m in meters if m.category == "total"]
        if totals:
            chosen += totals
            continue
        metered = {m.category for m in meters}
        chosen += [m for m in meters if not any(a in metered for a in ancestors(m.category)[1:])]
    return chosen


def quotas_by_use() -> dict[str, Quota]:
    """The default quota of each primary use, from the latest loaded quota table."""
    version = next((t for t in latest_versions() if t.kind == "building_quotas"), None)
    if version is None:
        return {}
    out = {}
    for row in table_rows(table_version=version):
        data = row.data
        if not data.get("primary_use"):
            continue

        def num(key: str, data: dict[str, str] = data) -> float | None:
            return float(data[key]) if data.get(key) else None

        out[data["primary_use"]] = Quota(
            data["quota_id"],
            data["standard"],
            data["category"],
            num("constraint"),
            num("benchmark"),
            num("guide"),
            data["unit"],
            num("electricity_kgce_per_kwh"),
            data.get("correction", ""),
        )
    return out


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def consumption_by_class(building: Building, year: int) -> dict[str, tuple[float, str]]:
    """The building's consumption in the year per energy class, from monthly rollups of its main meters."""
    start, end = _year_bounds(year)
    out: dict[str, tuple[float, str]] = {}
    meters = main_meters(building)
    sums = dict(
        MeterRollup.objects.filter(
            meter__in=meters, period=MeterRollup.MONTH, start__gte=start, start__lt=end
        )
        .values_list("meter_id")
        .annotate(total=Sum("consumption"))
    )
    from carbonpeak.core.units import convert

    for meter in meters:
        if meter.pk not in sums:
            continue
        quantity, unit = out.get(meter.energy_class, (0.0, meter.unit))
        out[meter.energy_class] = (quantity + convert(sums[meter.pk], meter.unit, unit), unit)
    return out


def coverage_pct(building: Building, start: datetime, end: datetime) -> float | None:
    """Share of expected readings received from the building's physical meters in [start, end) [%]."""
    meters = [m for m in building.meters.all() if not m.virtual]
    if not meters:
        return None
    end = min(end, datetime.now(SHANGHAI))  # the future is not missing data
    if end <= start:
        return None
    minutes = (end - start).total_seconds() / 60
    expected = sum(minutes / m.interval_minutes for m in meters)
    got = MeterRollup.objects.filter(
        meter__in=meters, period=MeterRollup.DAY, start__gte=start, start__lt=end
    )
    received = got.aggregate(n=Sum("readings"))["n"] or 0
    return 100.0 * received / expected if expected else None


def audit_status(building: Building, today: date, rules: BuildingRules | None = None) -> dict[str, Any]:
    """Whether the building must be audited and when next (public buildings over the plan's floor area,
    in the reference plan 10,000 m²); ``no_rule`` when the plan states no audit duty."""
    threshold = (rules or building_rules()).audit_min_floor_area_m2
    if threshold is None:
        return {"required": False, "due": None, "status": "no_rule"}
    required = building.primary_use not in NON_PUBLIC_USES and building.floor_area_m2 > threshold
    if not required:
        return {"required": False, "due": None, "status": "not_required"}
    if building.last_audit_date is None:
        return {"required": True, "due": None, "status": "never_audited"}
    if building.audit_interval_years is None:
        return {"required": True, "due": None, "status": "interval_not_set"}
    last = building.last_audit_date
    year = last.year + building.audit_interval_years
    due = last.replace(year=year, day=28) if (last.month, last.day) == (2, 29) else last.replace(year=year)
    return {"required": True, "due": due, "status": "overdue" if due < today else "scheduled"}


def audit_list(*, today: date) -> list[dict[str, Any]]:
    """The energy-audit list: every public building over the plan's floor area, most urgent first.

    Order: never audited, then overdue (oldest due first), then interval not set, then scheduled by due date.
    Empty when the plan states no audit duty.
    """
    rank = {"never_audited": 0, "overdue": 1, "interval_not_set": 2, "scheduled": 3}
    rows: list[dict[str, Any]] = []
    rules = building_rules()
    if rules.audit_min_floor_area_m2 is None:
        return rows
    for building in Building.objects.filter(floor_area_m2__gt=rules.audit_min_floor_area_m2).exclude(
        primary_use__in=NON_PUBLIC_USES
    ):
        status = audit_status(building, today, rules)
        rows.append(
            {
                "building": building,
                "last_audit_date": building.last_audit_date,
                "interval_years": building.audit_interval_years,
                "due": status["due"],
                "status": status["status"],
            }
        )
    rows.sort(key=lambda r: (rank[r["status"]], r["due"] or date.max, r["building"].code))
    return rows


@dataclass
class BuildingMetrics:
    """One building's metrics for a year (the CLI's JSON object, plus detail for pages)."""

    building: Building
    values: dict[str, Any]
    factors: list[Any]
    flags: list[str]


def metrics_for_year(
    *,
    year: int,
    buildings: list[Building] | None = None,
    library: FactorLibrary | None = None,
    today: date | None = None,
) -> list[BuildingMetrics]:
    """Metrics of every building (or the given ones) for a year.

    Peer percentiles (within each primary use, over the whole district) are filled in only when every
    building is computed, i.e. without ``buildings``.
    """
    library = library or factor_library()
    rules = building_rules()
    quotas = quotas_by_use()
    today = today or date.today()
    start, end = _year_bounds(year)
    items = buildings if buildings is not None else list(Building.objects.prefetch_related("meters"))
    out = []
    for building in items:
        by_class = consumption_by_class(building, year)
        energy = building_energy(by_class, year=year, library=library, region=rules.region)
        area = building.floor_area_m2
        quota = quotas.get(building.primary_use)
        position = quota_position(energy, area, quota, operating_hours_h_per_a=building.operating_hours)
        audit = audit_status(building, today, rules)
        values: dict[str, Any] = {
            "id": building.code,
            "primary_use": building.primary_use,
            "floor_area_m2": area,
            "energy_kwh": _r(energy.energy_kwh),
            "eui_kwh_per_m2": _r(energy.energy_kwh / area if energy.energy_kwh is not None else None),
            "eui_kgce_per_m2": _r(energy.kgce / area if energy.kgce is not None else None),
            "eui_kgce_per_m2_equal_value": _r(
                energy.kgce_equal_value / area if energy.kgce_equal_value else None
            ),
            "co2_t": _r(energy.co2_t),
            "co2_kg_per_m2": _r(energy.co2_t * 1000 / area if energy.co2_t else None),
            "quota_id": quota.quota_id if quota else None,
            "quota_constraint": quota.constraint if quota else None,
            "quota_guide": quota.guide if quota else None,
            "quota_unit": quota.unit if quota else None,
            "quota_value": _r(position.value),
            "quota_value_uncorrected": _r(position.uncorrected_value),
            "quota_correction_factor": _r(position.correction_factor),
            "quota_status": position.status,
            "coverage_pct": _r(coverage_pct(building, start, end), 2),
            "peer_percentile": None,
            "audit_due": audit["due"].isoformat()
            if audit["due"]
            else audit["status"]
            if audit["required"]
            else None,
            "synthetic": building.synthetic,
        }
        it = [m for m in building.meters.all() if m.it_load]
        if building.primary_use == "data_centre" and it and energy.electricity_kwh:
            it_kwh = sum(_meter_total(m, start, end, "kWh") for m in it if m.energy_class == "electricity")
            if it_kwh:
                values["pue"] = _r(pue(energy.electricity_kwh, it_kwh), 3)
                limit = rules.pue_limit(building.year_built)
                if limit is not None:
                    values["pue_limit"] = limit
                    values["pue_status"] = pue_status(values["pue"], limit=limit)
        out.append(BuildingMetrics(building, values, energy.factors, [*energy.flags, *position.flags]))
    if buildings is not None:
        # A percentile among a subset would be wrong (a single building would always be 50): the district
        # percentile comes from the whole registry, on the list page and from the CLI.
        return out
    peers: dict[str, list[float]] = defaultdict(list)
    for m in out:
        if m.values["eui_kgce_per_m2"] is not None and m.values["energy_kwh"]:
            peers[m.values["primary_use"]].append(m.values["eui_kgce_per_m2"])
    for m in out:
        group = peers.get(m.values["primary_use"], [])
        if m.values["eui_kgce_per_m2"] is not None and m.values["energy_kwh"] and group:
            m.values["peer_percentile"] = peer_percentile(m.values["eui_kgce_per_m2"], group)
    return out


def _physical_terms(meter: Meter, depth: int = 0) -> list[tuple[int, Meter]]:
    """A meter as signed physical meters: itself, or a virtual meter's members resolved (up to 5 levels)."""
    if not meter.virtual:
        return [(1, meter)]
    if depth >= 5:
        raise ValueError(f"virtual meter {meter.code} nests too deep (a cycle?)")
    members = {m.code: m for m in Meter.objects.filter(code__in=[t["meter"] for t in meter.virtual])}
    return [
        (term["sign"] * sign, physical)
        for term in meter.virtual
        if term["meter"] in members
        for sign, physical in _physical_terms(members[term["meter"]], depth + 1)
    ]


def _meter_total(meter: Meter, start: datetime, end: datetime, unit: str) -> float:
    """A meter's consumption between two times (monthly rollups), converted to ``unit``.

    A virtual meter is the signed sum of its members (which may be virtual themselves).
    """
    from carbonpeak.core.units import convert

    total = 0.0
    for sign, physical in _physical_terms(meter):
        consumption = (
            MeterRollup.objects.filter(
                meter=physical, period=MeterRollup.MONTH, start__gte=start, start__lt=end
            ).aggregate(s=Sum("consumption"))["s"]
            or 0.0
        )
        total += sign * convert(consumption, physical.unit, unit)
    return total


def generation_kwh(building: Building, year: int) -> float | None:
    """Metered on-site generation of the building in the year [kWh] (its generation meters' monthly rollups).

    ``None`` when it has no generation meter, or none of them sent a reading in the year: the yield is then
    unknown (and may be estimated by the caller), not zero.
    """
    meters = [m for m in building.meters.all() if not m.virtual and is_generation(m.category)]
    if not meters:
        return None
    start, end = _year_bounds(year)
    months = MeterRollup.objects.filter(
        meter__in=meters, period=MeterRollup.MONTH, start__gte=start, start__lt=end
    )
    if not months.exists():
        return None
    return sum(_meter_total(m, start, end, "kWh") for m in meters)


def meter_year_totals(building: Building, year: int) -> dict[str, float]:
    """Each meter's consumption in the year, in its own unit (virtual meters computed from their members)."""
    start, end = _year_bounds(year)
    return {m.code: _meter_total(m, start, end, m.unit) for m in building.meters.all()}


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _last_hour(meters: list[Meter]) -> datetime | None:
    """Start of the latest hourly rollup of any of the meters: one backward index scan per meter."""
    latest = [
        MeterRollup.objects.filter(meter=m, period=MeterRollup.HOUR)
        .order_by("-start")
        .values_list("start", flat=True)
        .first()
        for m in meters
    ]
    found = [t for t in latest if t is not None]
    return max(found) if found else None


def hourly_profile(building: Building, *, days: int = 7, end: datetime | None = None) -> dict[str, Any]:
    """Hourly load by sub-metering category over the last ``days`` with data (from hourly rollups).

    On-site generation is not load: its meters come back as separate lines (``generation``), not stacked.
    """
    electric = [m for m in building.meters.all() if not m.virtual and m.energy_class == "electricity"]
    meters = [m for m in electric if not is_generation(m.category)]
    generators = [m for m in electric if is_generation(m.category)]
    last = _last_hour(meters + generators)
    if last is None:
        return {"hours": [], "series": [], "virtual": [], "generation": []}
    stop = end or (last + timedelta(hours=1))
    begin = stop - timedelta(days=days)
    rows = (
        MeterRollup.objects.filter(
            meter__in=meters, period=MeterRollup.HOUR, start__gte=begin, start__lt=stop
        )
        .values("meter__category", "start")
        .annotate(total=Sum("consumption"))
    )
    hours = sorted({r["start"] for r in rows})
    index = {h: i for i, h in enumerate(hours)}
    series: dict[str, list[float]] = {}
    for r in rows:
        data = series.setdefault(r["meter__category"], [0.0] * len(hours))
        data[index[r["start"]]] += r["total"]
    virtual = [
        {
            "meter": m.code,
            "data": [round(v, 6) for v in _virtual_hourly(m, hours, begin, stop)],
        }
        for m in building.meters.all()
        if m.virtual and m.energy_class == "electricity"
    ]
    generation = [
        {"meter": m.code, "data": [round(v, 6) for v in _terms_hourly([(1, m)], hours, begin, stop)]}
        for m in generators
    ]
    return {
        "generation": generation,
        "hours": [h.astimezone(SHANGHAI).strftime("%m-%d %H:00") for h in hours],
        "series": [
            {"category": c, "name": CATEGORIES[c].name_zh, "name_en": CATEGORIES[c].name_en, "data": d}
            for c, d in sorted(series.items())
        ],
        "virtual": virtual,
    }


def _virtual_hourly(meter: Meter, hours: list[datetime], begin: datetime, stop: datetime) -> list[float]:
    """A virtual meter's hourly consumption: the signed sum of its members' hourly rollups."""
    return _terms_hourly(_physical_terms(meter), hours, begin, stop)


def _terms_hourly(
    terms: list[tuple[int, Meter]], hours: list[datetime], begin: datetime, stop: datetime
) -> list[float]:
    """The signed sum of some meters' hourly rollups at ``hours``."""
    index = {h: i for i, h in enumerate(hours)}
    out = [0.0] * len(hours)
    for sign, physical in terms:
        rows = MeterRollup.objects.filter(
            meter=physical, period=MeterRollup.HOUR, start__gte=begin, start__lt=stop
        ).values_list("start", "consumption")
        for start, consumption in rows:
            if start in index:
                out[index[start]] += sign * consumption
    return out


def base_load(building: Building, *, days: int = 28) -> dict[str, Any]:
    """Night-and-weekend base-load ratio of the electricity main meters over the last ``days`` with data."""
    meters = [m for m in main_meters(building) if m.energy_class == "electricity"]
    last = _last_hour(meters)
    if last is None:
        return {"ratio": None, "days": days, "end": None}
    stop = last + timedelta(hours=1)
    rows = (
        MeterRollup.objects.filter(
            meter__in=meters, period=MeterRollup.HOUR, start__gte=stop - timedelta(days=days), start__lt=stop
        )
        .values("start")
        .annotate(total=Sum("consumption"))
    )
    hourly = [(r["start"].astimezone(SHANGHAI), r["total"]) for r in rows]
    return {"ratio": base_load_ratio(hourly), "days": days, "end": stop.astimezone(SHANGHAI)}


def public_institution(building: Building, year: int, library: FactorLibrary | None = None) -> dict[str, Any]:
    """The plan's public-institution indicators in ``year`` against the plan's baseline year (in the
    reference plan four cuts against 2020), or what is missing."""
    if not building.public_institution:
        return {"applies": False}
    rules = building_rules()
    baseline_year = rules.pi_baseline_year
    if baseline_year is None or not rules.pi_cuts_pct:
        return {"applies": True, "indicators": None, "missing": "plan targets"}
    if not building.occupants:
        return {"applies": True, "indicators": None, "missing": "occupants"}
    library = library or factor_library()
    values = {}
    for y in (year, baseline_year):
        by_class = consumption_by_class(building, y)
        energy = building_energy(by_class, year=y, library=library, region=rules.region)
        if energy.kgce is None or not energy.energy_kwh or energy.co2_t is None:
            return {"applies": True, "indicators": None, "missing": f"energy {y}"}
        if "water" not in by_class:
            return {"applies": True, "indicators": None, "missing": f"water {y}"}
        from carbonpeak.core.units import convert

        water, unit = by_class["water"]
        values[y] = {
            "energy_kgce": energy.kgce,
            "water_m3": convert(water, unit, "m3"),
            "co2_t": energy.co2_t,
            "floor_area_m2": building.floor_area_m2,
            "occupants": building.occupants,
        }
    return {
        "applies": True,
        "indicators": public_institution_indicators(
            values[year], values[baseline_year], cuts_pct=rules.pi_cuts_pct
        ),
        "baseline_year": baseline_year,
        "missing": None,
    }


def monthly_bars(building: Building, year: int) -> dict[str, Any]:
    """Monthly consumption per energy class of the main meters (from monthly rollups)."""
    start, end = _year_bounds(year)
    rows = (
        MeterRollup.objects.filter(
            meter__in=main_meters(building), period=MeterRollup.MONTH, start__gte=start, start__lt=end
        )
        .values("meter__energy_class", "meter__unit", "start")
        .annotate(total=Sum("consumption"))
    )
    months = list(range(1, 13))
    series: dict[str, list[float]] = {}
    units: dict[str, str] = {}
    from carbonpeak.core.units import convert

    for r in rows:
        month = r["start"].astimezone(SHANGHAI).month
        unit = units.setdefault(
            r["meter__energy_class"], r["meter__unit"]
        )  # the first meter's unit for the class
        values = series.setdefault(r["meter__energy_class"], [0.0] * 12)
        values[month - 1] += convert(r["total"], r["meter__unit"], unit)
    return {
        "months": months,
        "series": [{"energy_class": k, "unit": units[k], "data": v} for k, v in series.items()],
    }


def quarantined(building: Building, limit: int = 50) -> list[QuarantinedReading]:
    """The building's latest quarantined readings, with reasons."""
    return list(
        QuarantinedReading.objects.filter(meter__building=building).order_by("-received_at", "-id")[:limit]
    )


def quarantine_counts() -> dict[int, int]:
    """Quarantined readings per building id."""
    return dict(
        QuarantinedReading.objects.filter(meter__isnull=False)
        .values_list("meter__building_id")
        .annotate(n=Count("id"))
    )


def latest_year_with_data() -> int | None:
    """The last year any monthly rollup falls in."""
    last = MeterRollup.objects.filter(period=MeterRollup.MONTH).order_by("-start").first()
    return last.start.astimezone(SHANGHAI).year if last else None


def weather_station() -> str | None:
    """The station whose degree-days are used: the configured one, else the only one loaded."""
    if settings.BUILDINGS_WEATHER_STATION:
        return str(settings.BUILDINGS_WEATHER_STATION)
    stations = list(DegreeDays.objects.order_by("station").values_list("station", flat=True).distinct()[:2])
    return stations[0] if len(stations) == 1 else None


def weather_normalised(building: Building, year: int, library: FactorLibrary | None = None) -> dict[str, Any]:
    """The building's site energy in ``year`` normalised to the normal year's degree-days, or what is missing.

    A monthly regression E = a + b x (HDD + CDD) over the year's months with data, applied to the normal year
    (:func:`carbonpeak.core.buildings.metrics.normalise_degree_days`); fewer than 9 months are refused.
    """
    station = weather_station()
    if station is None:
        return {"problem": "no degree-day series loaded (carbonpeak weather import FILE)"}
    rows = {d.period: d for d in DegreeDays.objects.filter(station=station)}
    normal = [rows.get(f"normal-{m:02d}") for m in range(1, 13)]
    if any(d is None for d in normal):
        return {"station": station, "problem": f"the normal year at {station} is incomplete"}
    library = library or factor_library()
    start, end = _year_bounds(year)
    monthly: dict[int, dict[str, tuple[float, str]]] = defaultdict(dict)
    from carbonpeak.core.units import convert

    for r in (
        MeterRollup.objects.filter(
            meter__in=main_meters(building), period=MeterRollup.MONTH, start__gte=start, start__lt=end
        )
        .values("meter__energy_class", "meter__unit", "start")
        .annotate(total=Sum("consumption"))
    ):
        month = r["start"].astimezone(SHANGHAI).month
        quantity, unit = monthly[month].get(r["meter__energy_class"], (0.0, r["meter__unit"]))
        monthly[month][r["meter__energy_class"]] = (
            quantity + convert(r["total"], r["meter__unit"], unit),
            unit,
        )
    # Site energy is linear in each carrier's quantity: one kWh-per-unit figure per energy class and unit.
    per_unit: dict[tuple[str, str], float | None] = {}
    for classes in monthly.values():
        for energy_class, (_, unit) in classes.items():
            if (energy_class, unit) not in per_unit:
                one = building_energy(
                    {energy_class: (1.0, unit)}, year=year, library=library, region=current_region()
                )
                per_unit[(energy_class, unit)] = one.energy_kwh
    months, energy, degree_days = [], [], []
    for month in sorted(monthly):
        observed = rows.get(f"{year}-{month:02d}")
        parts = [
            (quantity, per_unit[(energy_class, unit)])
            for energy_class, (quantity, unit) in monthly[month].items()
            if per_unit[(energy_class, unit)] is not None
        ]
        kwh = sum(q * (k or 0.0) for q, k in parts)
        if observed is None or not kwh:
            continue
        months.append(month)
        energy.append(kwh)
        degree_days.append(observed.heating_kd + observed.cooling_kd)
    result: dict[str, Any] = {
        "station": station,
        "months": months,
        "actual_kwh": sum(energy),
        "synthetic": any(d.synthetic for d in rows.values()),
        "problem": None,
    }
    try:
        result["normalised_kwh"] = normalise_degree_days(
            energy, degree_days, [d.heating_kd + d.cooling_kd for d in normal if d is not None]
        )
    except InsufficientDataError as exc:
        result["problem"] = str(exc)
    return result
