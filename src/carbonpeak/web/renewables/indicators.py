"""The plan's PV and charging indicators, computed from the registries for the tracking registry.

Values for per-year additions (capacity, chargers, taxi stations) are given per commissioning year; a
share is the state of the registry now, dated to the latest commissioning year in its registry (the last
year the registry records a change), so a requirement in force is judged on it. The PV
capacity is given in 万kW, the unit of the plan's target ``pv_capacity_added_14th``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db.models import Max

from carbonpeak.core.renewables import rules
from carbonpeak.web.buildings.models import Building
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
    """New PV capacity per year of 2021-2025 [万kW]."""
    synthetic = _pv_synthetic()
    return [
        ComputedValue(year, round(kw / 10_000, 4), "万kW", _PV_SOURCE, synthetic)
        for year, kw in rules.capacity_added_kw_by_year(pv_sites()).items()
    ]


@register("pv_roof_coverage")
def pv_roof_coverage() -> list[ComputedValue]:
    """Rooftop PV coverage of public-institution and industrial buildings (by count) at the end of each
    year from 2021 to the latest commissioning year [%]."""
    latest = PvInstallation.objects.aggregate(latest=Max("commissioned"))["latest"]
    if latest is None:
        return []
    buildings, sites, synthetic = roof_buildings(), pv_sites(), _pv_synthetic()
    out = []
    for year in range(rules.PLAN_PERIOD[0].year, max(latest.year, rules.PLAN_PERIOD[0].year) + 1):
        share = rules.roof_coverage(buildings, sites, as_of=date(year, 12, 31)).share_pct
        if share is not None:
            source = f"{_PV_SOURCE} and building registry"
            out.append(ComputedValue(year, round(share, 2), "%", source, synthetic))
    return out


@register("pv_roof_area_share_new_buildings")
def pv_roof_area_share_new_buildings() -> list[ComputedValue]:
    """The lowest roof PV area share among the new buildings of each rule [%], one value per target: the
    50 % rule's buildings are judged against ``pv_roof_area_share_new_gov_school_factory`` only, the 30 %
    rule's against ``pv_roof_area_share_new_other_public`` only."""
    if not PvInstallation.objects.exists():
        return []
    compliance = rules.new_building_compliance(roof_buildings(), pv_sites())
    synthetic = _pv_synthetic()
    out = []
    for target in (rules.RULE_50_PCT, rules.RULE_30_PCT):
        group = [c for c in compliance if c.rule == target]
        values = _share(rules.min_space_share_pct(group), "%", _PV_SOURCE, synthetic)
        out += [replace(v, target=target) for v in values]
    return out


@register("public_dedicated_chargers_added")
def public_dedicated_chargers_added() -> list[ComputedValue]:
    """New public and dedicated chargers per year of 2021-2025."""
    synthetic = _sites_synthetic()
    return [
        ComputedValue(year, float(n), "个", _SITE_SOURCE, synthetic)
        for year, n in rules.chargers_added_by_year(charging_rows()).items()
    ]


@register("taxi_demo_stations_added")
def taxi_demo_stations_added() -> list[ComputedValue]:
    """New taxi demonstration stations per year of 2021-2025."""
    synthetic = _sites_synthetic()
    return [
        ComputedValue(year, float(n), "个", _SITE_SOURCE, synthetic)
        for year, n in rules.taxi_stations_by_year(charging_rows()).items()
    ]


@register("charger_space_share_new_offices")
def charger_space_share_new_offices() -> list[ComputedValue]:
    """The lowest charger share of parking spaces among new offices and public facilities [%]."""
    compliance = rules.office_charger_compliance(charging_rows())
    return _share(rules.min_space_share_pct(compliance), "%", _SITE_SOURCE, _sites_synthetic())


@register("fast_charger_share")
def fast_charger_share() -> list[ComputedValue]:
    """Fast chargers over all chargers at new offices and public facilities [%]."""
    coverage = rules.fast_charger_share(charging_rows())
    return _share(coverage.share_pct, "%", _SITE_SOURCE, _sites_synthetic())


@register("charger_equipped_share_new_parking")
def charger_equipped_share_new_parking() -> list[ComputedValue]:
    """New parking lots with chargers over all new parking lots [%]."""
    coverage = rules.parking_lots_equipped(charging_rows())
    return _share(coverage.share_pct, "%", _SITE_SOURCE, _sites_synthetic())


@register("charging_ready_share_new_residential")
def charging_ready_share_new_residential() -> list[ComputedValue]:
    """New residential communities whose every parking space is ready for charging over all new
    residential communities [%]."""
    coverage = rules.residential_ready_share(rules.residential_readiness(charging_rows()))
    return _share(coverage.share_pct, "%", _SITE_SOURCE, _sites_synthetic())


@register("renewable_substitution_rate_new_buildings")
def renewable_substitution_rate_new_buildings() -> list[ComputedValue]:
    """On-site PV energy over total energy use of new buildings (built from 2022), per complete calendar
    year [%]: operational (metered use, estimated yield), not the plan's design-stage basis; see
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
