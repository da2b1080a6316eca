"""The plan's PV and charging indicators, computed from the registries for the tracking registry.

Values for per-year additions (capacity, chargers, taxi stations) are given per commissioning year; a
share is the state of the registry now, dated to the latest commissioning year in its registry (the last
year the registry records a change), so a requirement in force is judged on it. The PV
capacity is given in 万kW, the unit of the plan's target ``pv_capacity_added_14th``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from django.db.models import Max

from carbonpeak.core.renewables import rules
from carbonpeak.core.units import convert
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.renewables import plan_rules
from carbonpeak.web.renewables.models import ChargingSite, PvInstallation
from carbonpeak.web.renewables.selectors import charging_rows, pv_sites, roof_buildings, substitution_years
from carbonpeak.web.tracking.registry import ComputedValue, register

INDICATORS = (
    "pv_capacity_added",
    "pv_roof_coverage",
    "pv_roof_area_share_new_buildings",
    "renewable_substitution_rate_new_buildings",
    "public_dedicated_chargers_added",
    "taxi_demo_stations_added",
    "charger_space_share_new_offices",
    "fast_charger_share",
    "charger_equipped_share_new_parking",
    "charging_ready_share_new_residential",
)
"""The plan indicators this module computes (each registered below)."""

_PV_SOURCE = "PV installation registry"
_SITE_SOURCE = "charging site registry"


def _pv_synthetic() -> bool:
    return PvInstallation.objects.filter(synthetic=True).exists()


def _sites_synthetic() -> bool:
    return ChargingSite.objects.filter(synthetic=True).exists()


def _share(value: float | None, unit: str, source: str, synthetic: bool) -> list[ComputedValue]:
    model = PvInstallation if source.startswith(_PV_SOURCE) else ChargingSite
    latest = model.objects.aggregate(latest=Max("commissioned"))["latest"]
    if value is None or latest is None:
        return []
    year = latest.year
    return [ComputedValue(year=year, value=round(value, 2), unit=unit, source=source, synthetic=synthetic)]


@register("pv_capacity_added")
def pv_capacity_added() -> list[ComputedValue]:
    """New PV capacity per year of the target's period, in the target's unit (e.g. 万kW)."""
    planned = plan_rules.capacity_target()
    if planned is None:
        return []
    unit = planned.target.unit or "kW"
    synthetic = _pv_synthetic()
    return [
        ComputedValue(year, round(convert(kw, "kW", unit), 4), unit, _PV_SOURCE, synthetic)
        for year, kw in rules.capacity_added_kw_by_year(pv_sites(), period=planned.period).items()
    ]


@register("pv_roof_coverage")
def pv_roof_coverage() -> list[ComputedValue]:
    """Rooftop PV coverage of the plan's scope (reference plan: public-institution and industrial
    buildings, by count) at the end of each year from the target's start to the latest commissioning
    year [%]."""
    latest = PvInstallation.objects.aggregate(latest=Max("commissioned"))["latest"]
    scope, targets = plan_rules.coverage_scope(), plan_rules.coverage_targets()
    if latest is None or scope is None or not targets:
        return []
    first_year = min(t.period[0].year for t in targets)
    buildings, sites, synthetic = roof_buildings(), pv_sites(), _pv_synthetic()
    out = []
    for year in range(first_year, max(latest.year, first_year) + 1):
        share = rules.roof_coverage(buildings, sites, scope=scope, as_of=date(year, 12, 31)).share_pct
        if share is not None:
            source = f"{_PV_SOURCE} and building registry"
            out.append(ComputedValue(year, min(round(share, 2), 100.0), "%", source, synthetic))
    return out


@register("pv_roof_area_share_new_buildings")
def pv_roof_area_share_new_buildings() -> list[ComputedValue]:
    """The lowest roof PV area share among the new buildings of each rule [%], one value per target: each
    rule's buildings are judged against their own target only (reference plan: 50 % and 30 %)."""
    roof_rules = plan_rules.roof_area_rules()
    if not PvInstallation.objects.exists() or not roof_rules:
        return []
    compliance = rules.new_building_compliance(roof_buildings(), pv_sites(), rules=roof_rules)
    synthetic = _pv_synthetic()
    out = []
    for rule in roof_rules:
        group = [c for c in compliance if c.rule == rule.target]
        values = _share(rules.min_space_share_pct(group), "%", _PV_SOURCE, synthetic)
        out += [replace(v, target=rule.target) for v in values]
    return out


def _additions(
    planned: plan_rules.PlannedTarget | None, count: Callable[..., dict[int, int]]
) -> list[ComputedValue]:
    if planned is None:
        return []
    synthetic = _sites_synthetic()
    unit = planned.target.unit or "个"
    return [
        ComputedValue(year, float(n), unit, _SITE_SOURCE, synthetic)
        for year, n in count(charging_rows(), period=planned.period).items()
    ]


@register("public_dedicated_chargers_added")
def public_dedicated_chargers_added() -> list[ComputedValue]:
    """New public and dedicated chargers per year of the target's period."""
    return _additions(plan_rules.charger_target(), rules.chargers_added_by_year)


@register("taxi_demo_stations_added")
def taxi_demo_stations_added() -> list[ComputedValue]:
    """New taxi demonstration stations per year of the target's period."""
    return _additions(plan_rules.taxi_target(), rules.taxi_stations_by_year)


@register("charger_space_share_new_offices")
def charger_space_share_new_offices() -> list[ComputedValue]:
    """The lowest charger share of parking spaces among the rule's new sites [%]."""
    office = plan_rules.office_rule()
    if office is None:
        return []
    compliance = rules.office_charger_compliance(charging_rows(), period=office[1], rule=office[0])
    return _share(rules.min_space_share_pct(compliance), "%", _SITE_SOURCE, _sites_synthetic())


@register("fast_charger_share")
def fast_charger_share() -> list[ComputedValue]:
    """Fast chargers over all chargers at the office rule's new sites [%]."""
    office = plan_rules.office_rule()
    if office is None:
        return []
    coverage = rules.fast_charger_share(charging_rows(), period=office[1], site_kinds=office[0].site_kinds)
    return _share(coverage.share_pct, "%", _SITE_SOURCE, _sites_synthetic())


@register("charger_equipped_share_new_parking")
def charger_equipped_share_new_parking() -> list[ComputedValue]:
    """New parking lots with chargers over all new parking lots [%]."""
    planned = plan_rules.parking_target()
    if planned is None:
        return []
    coverage = rules.parking_lots_equipped(charging_rows(), period=planned.period)
    return _share(coverage.share_pct, "%", _SITE_SOURCE, _sites_synthetic())


@register("charging_ready_share_new_residential")
def charging_ready_share_new_residential() -> list[ComputedValue]:
    """New residential communities whose every parking space is ready for charging over all new
    residential communities [%]."""
    planned = plan_rules.ready_target()
    if planned is None:
        return []
    homes = rules.residential_readiness(charging_rows(), period=planned.period, target=planned.code)
    coverage = rules.residential_ready_share(homes)
    return _share(coverage.share_pct, "%", _SITE_SOURCE, _sites_synthetic())


@register("renewable_substitution_rate_new_buildings")
def renewable_substitution_rate_new_buildings() -> list[ComputedValue]:
    """On-site PV energy over total energy use of new buildings (built from the plan's year), per complete
    calendar year [%]: operational (metered use, estimated yield), not the plan's design-stage basis; see
    ``carbonpeak.core.renewables.substitution`` and docs/renewables.md."""
    if not PvInstallation.objects.exists():
        return []
    out = []
    for result in substitution_years():
        if result.rate_pct is None:
            continue
        codes = [r.code for r in result.included]
        synthetic = _pv_synthetic() or Building.objects.filter(code__in=codes, synthetic=True).exists()
        source = "building meters and PV installation registry"
        if result.estimated:
            source += "; PV yield estimated on the default weather"
        if result.excluded:
            source += f"; {len(result.excluded)} new building(s) without metered energy excluded"
        out.append(ComputedValue(result.year, round(result.rate_pct, 2), "%", source, synthetic))
    return out
