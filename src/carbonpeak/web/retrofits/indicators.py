"""The plan's building indicators computed from the retrofit registry, the meters and the occupant counts.

Thresholds, scopes and years come from the current plan's targets (``current_targets``), never from
code: ``rule.uses``/``rule.min_floor_area_m2`` (scope), ``rule.threshold`` (deep retrofits' savings in %),
``rule.applies_from`` (new data centres), ``baseline_year`` (public institutions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from carbonpeak.core.buildings.metrics import building_energy, pue
from carbonpeak.core.mv import SavingsResult
from carbonpeak.core.mv.savings import savings_gate
from carbonpeak.core.plan.model import Target
from carbonpeak.core.units import convert
from carbonpeak.web.buildings.models import Building, Meter, MeterRollup
from carbonpeak.web.buildings.selectors import consumption_by_class, meter_year_totals
from carbonpeak.web.plan.selectors import current_plan, current_targets
from carbonpeak.web.reference.selectors import factor_library
from carbonpeak.web.retrofits.models import OccupantCount, RetrofitProject
from carbonpeak.web.retrofits.selectors import latest_result, year_end
from carbonpeak.web.tracking.registry import ComputedValue, register

INDICATORS = (
    "public_building_retrofit_area",
    "deep_retrofit_area",
    "green_mall_conversion_rate",
    "data_centre_pue",
    "pi_energy_per_floor_area",
    "pi_energy_per_capita",
    "pi_water_per_capita",
    "pi_carbon_per_floor_area",
)
"""The plan indicators this module computes (each registered below; ten targets)."""

_REGISTRY = "retrofit project registry (M&V)"


def _in_scope(building: Building, target: Target) -> bool:
    rule = target.rule
    if rule is None:
        return True
    if rule.uses and building.primary_use not in rule.uses:
        return False
    return not (rule.min_floor_area_m2 is not None and building.floor_area_m2 < rule.min_floor_area_m2)


def _area_unit(target: Target, area_m2: float) -> float:
    """An area in the target's unit (万m2 or m2)."""
    return convert(area_m2, "m2", target.unit) if target.unit else area_m2


@dataclass
class DeepRetrofitCheck:
    """A completed project judged against the deep-retrofit rule."""

    project: RetrofitProject
    counted: bool
    reason: str
    savings_pct: float | None
    kind: str = ""
    """Why it is not counted: ``no_threshold``, ``not_computed``, ``refused``, ``failed``, ``gate`` or
    ``below_threshold`` (the page shows a translated label, ``reason`` keeps the words)."""
    rules: tuple[str, ...] = ()
    """The failed sufficiency rules of a refused computation."""


def completed_projects(target: Target, today: date) -> list[RetrofitProject]:
    """Projects in the target's scope whose reporting period is complete."""
    projects = RetrofitProject.objects.select_related("building").filter(reporting_end__lte=today)
    return [p for p in projects if _in_scope(p.building, target)]


def deep_retrofit_checks(target: Target, today: date | None = None) -> list[DeepRetrofitCheck]:
    """Each completed project against ``rule.threshold`` [%] and the Guideline 14 gate, with the reason."""
    today = today or timezone.localdate()
    threshold = target.rule.threshold if target.rule is not None else None
    out = []
    for project in completed_projects(target, today):
        result = latest_result(project)
        if threshold is None:
            out.append(
                DeepRetrofitCheck(project, False, "the target has no rule.threshold", None, "no_threshold")
            )
            continue
        if result is None:
            out.append(DeepRetrofitCheck(project, False, "savings not computed yet", None, "not_computed"))
            continue
        if result.document is None:
            rules = tuple(result.failed_rules)
            kind = "refused" if result.status == "refused" else "failed"
            out.append(DeepRetrofitCheck(project, False, result.reason or result.status, None, kind, rules))
            continue
        savings = SavingsResult.from_dict(result.document)
        pct = 100.0 * savings.savings_fraction
        passed, why = savings_gate(savings)
        if not passed:
            out.append(DeepRetrofitCheck(project, False, why, pct, "gate"))
        elif pct < threshold:
            reason = f"savings {pct:.1f} % below {threshold:g} %"
            out.append(DeepRetrofitCheck(project, False, reason, pct, "below_threshold"))
        else:
            out.append(DeepRetrofitCheck(project, True, "", pct))
    return out


def _synthetic(projects: list[RetrofitProject]) -> bool:
    return any(p.synthetic for p in projects)


def _by_year(target: Target, projects: list[RetrofitProject], source: str) -> list[ComputedValue]:
    added: dict[int, float] = defaultdict(float)
    for p in projects:
        added[year_end(p.reporting_end)] += p.retrofitted_area_m2
    unit = target.unit or "m2"
    return [
        ComputedValue(
            y, round(_area_unit(target, a), 4), unit, source, _synthetic(projects), target=target.code
        )
        for y, a in sorted(added.items())
    ]


@register("public_building_retrofit_area")
def public_building_retrofit_area() -> list[ComputedValue]:
    """Retrofitted floor area of projects whose reporting period is complete, per year it completed."""
    today = timezone.localdate()
    out = []
    for target in current_targets("public_building_retrofit_area"):
        out += _by_year(target, completed_projects(target, today), _REGISTRY)
    return out


@register("deep_retrofit_area")
def deep_retrofit_area() -> list[ComputedValue]:
    """Retrofitted floor area whose measured savings reach ``rule.threshold`` % and pass the Guideline 14
    gate, per year the reporting period completed; failing projects are never counted."""
    out = []
    for target in current_targets("deep_retrofit_area"):
        checks = deep_retrofit_checks(target)
        failed = sum(1 for c in checks if not c.counted)
        source = (
            f"{_REGISTRY}; {failed} completed project(s) not counted (see /retrofits/)"
            if failed
            else _REGISTRY
        )
        out += _by_year(target, [c.project for c in checks if c.counted], source)
    return out


def green_mall_rows(target: Target) -> list[tuple[Building, date | None]]:
    """Each building in the target's scope with the date its green-mall certificate (with evidence) was
    issued, or ``None``."""
    certified: dict[int, date] = {}
    projects = RetrofitProject.objects.filter(
        ~Q(green_mall_certificate=""),
        green_mall_certified_on__isnull=False,
        evidence__kind="green_mall_certificate",
    ).distinct()
    for p in projects:
        day = p.green_mall_certified_on
        assert day is not None
        certified[p.building_id] = min(day, certified.get(p.building_id, day))
    return [(b, certified.get(b.pk)) for b in Building.objects.order_by("code") if _in_scope(b, target)]


def plan_start_year() -> int | None:
    """First year of the current plan's horizon."""
    found = current_plan()
    return None if found is None else found.plan.horizon.start


@register("green_mall_conversion_rate")
def green_mall_conversion_rate() -> list[ComputedValue]:
    """Malls in each target's scope with a green-mall certificate (and its evidence) over all of them [%],
    at the end of each year from the plan's first year; one value series per target."""
    out = []
    for target in current_targets("green_mall_conversion_rate"):
        if target.rule is None or not target.rule.uses:
            continue  # no scope in the plan file: not computable
        rows = green_mall_rows(target)
        days = [d for _, d in rows if d is not None]
        if not rows or not days:
            continue
        synthetic = any(b.synthetic for b, _ in rows)
        first = plan_start_year() or min(days).year
        for year in range(min(first, min(days).year), max(max(days).year, timezone.localdate().year) + 1):
            done = sum(1 for _, d in rows if d is not None and d.year <= year)
            out.append(
                ComputedValue(
                    year,
                    round(100.0 * done / len(rows), 2),
                    "%",
                    f"{_REGISTRY}: green-mall certificates, {done} of {len(rows)} in scope",
                    synthetic,
                    target=target.code,
                )
            )
    return out


@dataclass
class PueRow:
    """A data centre's annual PUE."""

    building: Building
    year: int
    pue: float
    new: bool | None


def _years_with_data(meters: list[Meter]) -> list[int]:
    dates = MeterRollup.objects.filter(meter__in=meters, period=MeterRollup.MONTH).dates("start", "year")
    return sorted({d.year for d in dates})


def pue_rows(applies_from: int | None) -> list[PueRow]:
    """Annual PUE of every building with an IT-load meter: total electricity (main meters) over IT."""
    out = []
    for building in Building.objects.filter(meters__it_load=True).distinct().order_by("code"):
        it_meters = [m for m in building.meters.all() if m.it_load]
        for year in _years_with_data(it_meters):
            by_class = consumption_by_class(building, year)
            if "electricity" not in by_class:
                continue
            total = convert(*by_class["electricity"], "kWh")
            totals = meter_year_totals(building, year)
            it = sum(convert(totals[m.code], m.unit, "kWh") for m in it_meters)
            if it <= 0:
                continue
            new = (
                None
                if applies_from is None or building.year_built is None
                else building.year_built >= applies_from
            )
            out.append(PueRow(building, year, pue(total, it), new))
    return out


@register("data_centre_pue")
def data_centre_pue() -> list[ComputedValue]:
    """The highest annual PUE among each target's data centres (each must comply), per year; new and
    existing centres are split by ``rule.applies_from`` on the year built, ``rule.categories`` (``new`` or
    ``existing``) saying which side a target covers. The limits are the targets' values."""
    targets = current_targets("data_centre_pue")
    out = []
    for target in targets:
        rule = target.rule
        if rule is None or rule.applies_from is None or len(rule.categories) != 1:
            continue  # the plan file does not say which centres the limit covers
        if rule.categories[0] not in ("new", "existing"):
            continue
        wants_new = rule.categories[0] == "new"
        rows = [r for r in pue_rows(rule.applies_from) if r.new is wants_new]
        by_year: dict[int, list[PueRow]] = defaultdict(list)
        for r in rows:
            by_year[r.year].append(r)
        for year, group in sorted(by_year.items()):
            worst = max(group, key=lambda r: r.pue)
            out.append(
                ComputedValue(
                    year,
                    round(worst.pue, 3),
                    "dimensionless",
                    f"building meters: highest of {len(group)} data centre(s) ({worst.building.code})",
                    any(r.building.synthetic for r in group),
                    target=target.code,
                )
            )
    return out


@dataclass
class PiYear:
    """The district's public institutions in one year: sums over the buildings with data."""

    year: int
    buildings: int
    energy_kgce: float
    co2_t: float
    floor_area_m2: float
    water_m3: float
    water_area_m2: float
    occupants: float
    occupant_buildings: int
    water_occupants: float
    synthetic: bool


def public_institution_years() -> list[PiYear]:
    """Roll-ups of the per-building figures (``building_energy`` of each public institution's metered
    consumption) per calendar year with data. Occupants come from the per-year counts of this app, else
    the building registry's figure."""
    library = factor_library()
    buildings = list(Building.objects.filter(public_institution=True).prefetch_related("meters"))
    meters = [m for b in buildings for m in b.meters.all() if not m.virtual]
    counts = {(c.building_id, c.year): c.occupants for c in OccupantCount.objects.all()}
    from carbonpeak.web.plan.selectors import current_region

    region = current_region()
    out = []
    for year in _years_with_data(meters):
        energy = co2 = area = water = water_area = people = water_people = 0.0
        n = occupied = 0
        synthetic = False
        for b in buildings:
            by_class = consumption_by_class(b, year)
            if not any(k != "water" for k in by_class):
                continue
            result = building_energy(by_class, year=year, library=library, region=region)
            if result.kgce is None or result.co2_t is None:
                continue
            n += 1
            synthetic = synthetic or b.synthetic
            energy += result.kgce
            co2 += result.co2_t
            area += b.floor_area_m2
            occupants = counts.get((b.pk, year), b.occupants)
            if occupants:
                people += occupants
                occupied += 1
            if "water" in by_class:
                water += convert(*by_class["water"], "m3")
                water_area += b.floor_area_m2
                water_people += occupants or 0.0
        if n:
            out.append(
                PiYear(
                    year, n, energy, co2, area, water, water_area, people, occupied, water_people, synthetic
                )
            )
    return out


def _pi(indicator: str, unit: str, fn: Callable[[PiYear], float | None]) -> list[ComputedValue]:
    years = public_institution_years()
    values = {y.year: fn(y) for y in years}
    out = []
    targets: list[Target | None] = [*current_targets(indicator)] or [None]
    for target in targets:
        base_year = target.baseline_year if target is not None else None
        base = values.get(base_year) if base_year is not None else None
        for y in years:
            value = values[y.year]
            if value is None:
                continue
            change = None if not base else round(100.0 * (value / base - 1.0), 2)
            source = f"building meters of {y.buildings} public institution(s)"
            out.append(
                ComputedValue(
                    y.year,
                    round(value, 4),
                    unit,
                    source,
                    y.synthetic,
                    change_pct=change,
                    target=target.code if target is not None else None,
                )
            )
    return out


@register("pi_energy_per_floor_area")
def pi_energy_per_floor_area() -> list[ComputedValue]:
    """Public institutions' energy over their floor area [kgce/m2] per year, change against the target's
    baseline year."""
    return _pi("pi_energy_per_floor_area", "kgce/m2", lambda y: y.energy_kgce / y.floor_area_m2)


@register("pi_energy_per_capita")
def pi_energy_per_capita() -> list[ComputedValue]:
    """Public institutions' energy per occupant [kgce/人] (buildings with occupant counts)."""
    return _pi(
        "pi_energy_per_capita",
        "kgce/人",
        lambda y: (
            y.energy_kgce / y.occupants if y.occupants and y.occupant_buildings == y.buildings else None
        ),
    )


@register("pi_water_per_capita")
def pi_water_per_capita() -> list[ComputedValue]:
    """Public institutions' metered water per occupant [m3/人] (buildings with water meters)."""
    return _pi(
        "pi_water_per_capita",
        "m3/人",
        lambda y: y.water_m3 / y.water_occupants if y.water_occupants else None,
    )


@register("pi_carbon_per_floor_area")
def pi_carbon_per_floor_area() -> list[ComputedValue]:
    """Public institutions' CO2 over their floor area [kgCO2/m2]."""
    return _pi("pi_carbon_per_floor_area", "kgCO2/m2", lambda y: y.co2_t * 1000.0 / y.floor_area_m2)
