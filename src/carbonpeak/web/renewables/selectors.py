"""Reads: the registries as the core rule dataclasses, and the page's summary of the plan's rules."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from carbonpeak.core.renewables import rules, substitution
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.renewables import plan_rules
from carbonpeak.web.renewables.models import ChargingSite, PvInstallation


def _filtered(qs: QuerySet[Any], building: str, commissioned_year: int | None, **exact: str) -> QuerySet[Any]:
    """``qs`` filtered by building code, commissioning year and the non-empty ``exact`` field values."""
    if building:
        qs = qs.filter(building__code=building)
    if commissioned_year is not None:
        qs = qs.filter(commissioned__year=commissioned_year)
    return qs.filter(**{k: v for k, v in exact.items() if v}).select_related("building").order_by("code")


def pv_installations(
    *, building: str = "", kind: str = "", commissioned_year: int | None = None
) -> QuerySet[PvInstallation]:
    """PV installations, filtered by building code, kind and commissioning year (empty: no filter)."""
    return _filtered(PvInstallation.objects.all(), building, commissioned_year, kind=kind)


def charging_sites(
    *, building: str = "", site_kind: str = "", access: str = "", commissioned_year: int | None = None
) -> QuerySet[ChargingSite]:
    """Charging sites, filtered by building code, kind of site, access and commissioning year."""
    return _filtered(
        ChargingSite.objects.all(), building, commissioned_year, site_kind=site_kind, access=access
    )


def pv_sites() -> list[rules.PvSite]:
    """Every PV installation as a core row."""
    return [
        rules.PvSite(p.code, p.capacity_kwp, p.kind, p.commissioned, p.building.code if p.building else None)
        for p in PvInstallation.objects.select_related("building")
    ]


def roof_buildings() -> list[rules.RoofBuilding]:
    """Every building of the registry as the roof rules need it."""
    return [
        rules.RoofBuilding(*row)
        for row in Building.objects.values_list(
            "code", "primary_use", "public_institution", "roof_area_m2", "year_built"
        )
    ]


def charging_rows() -> list[rules.ChargingSiteRow]:
    """Every charging site as a core row."""
    return [
        rules.ChargingSiteRow(
            s.code,
            s.site_kind,
            s.access,
            s.parking_spaces,
            s.fast_count,
            s.slow_count,
            s.commissioned,
            s.ready_spaces,
        )
        for s in ChargingSite.objects.all()
    ]


def onsite_pv(*, kinds: tuple[str, ...] = substitution.ONSITE_KINDS) -> list[substitution.OnsitePv]:
    """Every building's on-site PV installation with the specific yield of its kind's assumed orientation
    on the default weather (:data:`carbonpeak.core.renewables.substitution.ESTIMATE_ORIENTATION`)."""
    out = []
    for p in PvInstallation.objects.filter(building__isnull=False, kind__in=kinds).select_related("building"):
        assert p.building is not None
        tilt, azimuth = substitution.ESTIMATE_ORIENTATION[p.kind]
        specific = _specific_yield(tilt, azimuth)
        out.append(
            substitution.OnsitePv(p.code, p.building.code, p.kind, p.capacity_kwp, p.commissioned, specific)
        )
    return out


def new_building_energy(*, year: int, new_from: int) -> list[substitution.BuildingEnergyYear]:
    """The metered energy in ``year`` of every building new in that year (built from ``new_from``, the
    plan's first year of new buildings, to ``year``), plus every building without ``year_built`` (listed
    apart by the rate).

    Energy is read from the monthly rollups of each building's main meters
    (:func:`carbonpeak.web.buildings.selectors.consumption_by_class`) and put on one basis, site energy in
    kWh (calorific-equivalent), with the district's factor library
    (:func:`carbonpeak.core.buildings.metrics.building_energy`). Water is not energy. A building with
    generation meters (sub-metering category ``generation.pv``) gives its metered PV yield; the others' yield
    is estimated by the rate.
    """
    from carbonpeak.core.buildings.metrics import CLASS_CARRIER, building_energy
    from carbonpeak.web.buildings.selectors import consumption_by_class, coverage_pct, generation_kwh
    from carbonpeak.web.plan.selectors import current_region
    from carbonpeak.web.reference.selectors import factor_library

    library = factor_library()
    region = current_region()
    zone = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=zone)
    end = datetime(year + 1, 1, 1, tzinfo=zone)
    out = []
    scope = Building.objects.filter(year_built__gte=new_from, year_built__lte=year).prefetch_related("meters")
    for building in scope:
        energy = {k: v for k, v in consumption_by_class(building, year).items() if k != "water"}
        energy_kwh: float | None = None
        flags: tuple[str, ...] = ()
        if energy:
            energy_kwh = building_energy(energy, year=year, library=library, region=region).energy_kwh
            # what the site-energy total leaves out (the equal-value basis is not used here)
            flags = tuple(
                f"{c}: {substitution.FLAG_CLASS_NOT_COUNTED}" for c in energy if c not in CLASS_CARRIER
            )
            if energy_kwh is None:
                flags += (substitution.FLAG_ENERGY_NOT_CONVERTED,)
        out.append(
            substitution.BuildingEnergyYear(
                building.code,
                building.year_built,
                energy_kwh,
                coverage_pct(building, start, end) if energy else None,
                metered_pv_kwh=generation_kwh(building, year),
                flags=flags,
            )
        )
    unknown = Building.objects.filter(year_built__isnull=True).values_list("code", flat=True)
    out += [substitution.BuildingEnergyYear(code, None, None) for code in unknown]
    return out


def substitution_years(*, as_of: date | None = None) -> list[substitution.SubstitutionResult]:
    """The renewable substitution rate of new buildings for every complete calendar year from the plan's
    first year of new buildings up to the last year with metered data (oldest first); a year with no new
    building is left out, and nothing is computed when the plan has no such target.

    Only complete years count (the year before ``as_of``, default today, at the latest): the rate of a year
    in progress would compare part of a year's use with part of its yield.
    """
    from carbonpeak.web.buildings.selectors import latest_year_with_data

    new_from = plan_rules.substitution_new_from()
    latest = latest_year_with_data()
    today = as_of or timezone.localdate()
    if latest is None or new_from is None:
        return []
    pv = onsite_pv()
    out = []
    for year in range(new_from, min(latest, today.year - 1) + 1):
        energy = new_building_energy(year=year, new_from=new_from)
        result = substitution.renewable_substitution(energy, pv, year=year, new_from=new_from)
        if result.rows:
            out.append(result)
    return out


def substitution_summary(*, as_of: date | None = None) -> dict[str, Any]:
    """The page's view of the rate: each year's rate against the targets and the latest year's breakdown
    (building names, synthetic labels, flags)."""
    every = substitution_years(as_of=as_of)
    years = [y for y in every if y.rate_pct is not None] or every[-1:]  # years before any metering: left out
    if not years:
        return {"years": [], "latest": None, "rows": []}
    latest = years[-1]
    info = {
        b["code"]: b
        for b in Building.objects.filter(code__in=[r.code for r in latest.rows]).values(
            "code", "name", "year_built", "synthetic"
        )
    }
    rows = [{**asdict(r), "rate_pct": r.rate_pct, **info.get(r.code, {})} for r in latest.rows]
    return {
        "years": [
            {
                "year": y.year,
                "rate_pct": y.rate_pct,
                "buildings": len(y.included),
                "excluded": len(y.excluded),
            }
            for y in years
        ],
        "latest": latest,
        "rows": rows,
        "targets": {
            t.period[1].year: t.target.value
            for t in plan_rules.substitution_targets()
            if t.target.value is not None
        },
        "unknown_year_built": len(latest.unknown_year_built),
    }


def synthetic_data() -> bool:
    """Whether any PV installation or charging site is synthetic."""
    return (
        PvInstallation.objects.filter(synthetic=True).exists()
        or ChargingSite.objects.filter(synthetic=True).exists()
    )


@dataclass(frozen=True)
class Progress:
    """One progress bar: a value against a target of the current plan."""

    key: str
    value: float
    target: float
    unit: str
    target_code: str = ""

    @property
    def percent(self) -> float:
        """Value over target, capped at 100 [%]."""
        return min(100.0, 100.0 * self.value / self.target) if self.target else 0.0


def pv_summary(*, as_of: date | None = None) -> dict[str, Any]:
    """What the PV page shows: progress against the plan's PV targets and the new buildings that do not
    comply. Every bar's target comes from the current plan; a target the plan lacks has no bar.

    The roof-rule bars count the new buildings of each rule that comply (each must), against all of them.
    """
    pv = pv_sites()
    buildings = roof_buildings()
    scope = plan_rules.coverage_scope()
    coverage = rules.roof_coverage(buildings, pv, scope=scope, as_of=as_of) if scope else None
    progress = []
    capacity = plan_rules.capacity_target()
    if capacity is not None and (target_kw := capacity.value_in("kW")) is not None:
        capacity_kw = sum(rules.capacity_added_kw_by_year(pv, period=capacity.period).values())
        progress.append(Progress("pv_capacity_added", capacity_kw, target_kw, "kW", capacity.code))
    coverage_targets = plan_rules.coverage_targets()
    if coverage is not None and coverage_targets and coverage_targets[0].target.value is not None:
        first = coverage_targets[0]
        progress.append(
            Progress(
                "pv_roof_coverage", coverage.share_pct or 0.0, first.value_in("%") or 0.0, "%", first.code
            )
        )
    roof_rules = plan_rules.roof_area_rules()
    compliance = rules.new_building_compliance(buildings, pv, rules=roof_rules)
    for rule in roof_rules:
        group = [c for c in compliance if c.rule == rule.target]
        if group:
            complying = 100.0 * sum(1 for c in group if c.complies) / len(group)
            progress.append(Progress(rule.target, complying, 100.0, "%", rule.target))
    names = dict(Building.objects.values_list("code", "name"))
    return {
        "pv_progress": progress,
        "coverage": coverage,
        "failing_buildings": [
            {**asdict(c), "name": names.get(c.code, "")} for c in compliance if not c.complies
        ],
        "density_kwp_per_m2": rules.MODULE_DENSITY_KWP_PER_M2,
        "synthetic": synthetic_data(),
    }


def charging_summary() -> dict[str, Any]:
    """What the charging page shows: progress against the plan's charging targets, new sites below the
    office charger rule, and new residential communities not fully ready for chargers."""
    sites = charging_rows()
    progress = []
    chargers_planned = plan_rules.charger_target()
    for key, planned, count in (
        ("public_dedicated_chargers_added", chargers_planned, rules.chargers_added_by_year),
        ("taxi_demo_stations_added", plan_rules.taxi_target(), rules.taxi_stations_by_year),
    ):
        if planned is not None and planned.target.value is not None:
            done = sum(count(sites, period=planned.period).values())
            progress.append(Progress(key, done, planned.target.value, "", planned.code))
    parking, ready_planned = plan_rules.parking_target(), plan_rules.ready_target()
    lots = rules.parking_lots_equipped(sites, period=parking.period) if parking else None
    homes = (
        rules.residential_readiness(sites, period=ready_planned.period, target=ready_planned.code)
        if ready_planned
        else []
    )
    ready = rules.residential_ready_share(homes) if ready_planned else None
    office = plan_rules.office_rule()
    fast_target = plan_rules.fast_share_target()
    fast = (
        rules.fast_charger_share(sites, period=office[1], site_kinds=office[0].site_kinds) if office else None
    )
    for key, share, planned in (
        ("charger_equipped_share_new_parking", lots.share_pct if lots else None, parking),
        ("charging_ready_share_new_residential", ready.share_pct if ready else None, ready_planned),
        ("fast_charger_share", fast.share_pct if fast else None, fast_target),
    ):
        if share is not None and planned is not None and planned.target.value is not None:
            progress.append(Progress(key, share, planned.value_in("%") or 0.0, "%", planned.code))
    names = dict(ChargingSite.objects.values_list("code", "name"))
    fast_pct = {s.code: 100.0 * s.fast_count / s.chargers if s.chargers else 0.0 for s in sites}
    failing_sites = (
        [
            c
            for c in rules.office_charger_compliance(sites, period=office[1], rule=office[0])
            if not c.complies
        ]
        if office
        else []
    )
    return {
        "charging_progress": progress,
        "lots": lots,
        "fast": fast,
        "ready": ready,
        "office_rule": office[0] if office else None,
        "charger_period": (
            (chargers_planned.period[0].year, chargers_planned.period[1].year) if chargers_planned else None
        ),
        "failing_sites": [
            {**asdict(c), "name": names.get(c.code, ""), "fast_pct": fast_pct[c.code]} for c in failing_sites
        ],
        "failing_homes": [{**asdict(c), "name": names.get(c.code, "")} for c in homes if not c.complies],
        "synthetic": synthetic_data(),
    }


def renewables_summary(*, as_of: date | None = None) -> dict[str, Any]:
    """Everything the overview page shows: the PV and charging summaries, with every progress bar."""
    pv, charging = pv_summary(as_of=as_of), charging_summary()
    return pv | charging | {"progress": pv["pv_progress"] + charging["charging_progress"]}


def map_points(*, layer: str | None = None) -> list[dict[str, Any]]:
    """PV installations (layer ``pv``) and charging sites (``chargers``) located through their building
    (lon/lat), for the map; one layer only when ``layer`` is given."""
    points: list[dict[str, Any]] = []
    if layer in (None, "pv"):
        for p in PvInstallation.objects.select_related("building").filter(building__lat__isnull=False):
            assert p.building is not None
            points.append(
                {
                    "layer": "pv",
                    "id": p.code,
                    "building": p.building.code,
                    "name": p.building.name,
                    "lon": p.building.lon,
                    "lat": p.building.lat,
                    "size": p.capacity_kwp,
                    "label": f"{p.capacity_kwp:g} kWp",
                }
            )
    if layer in (None, "chargers"):
        for s in ChargingSite.objects.select_related("building").filter(building__lat__isnull=False):
            assert s.building is not None
            points.append(
                {
                    "layer": "chargers",
                    "id": s.code,
                    "building": s.building.code,
                    "name": s.name,
                    "lon": s.building.lon,
                    "lat": s.building.lat,
                    "size": s.chargers,
                    "label": f"{s.fast_count} + {s.slow_count}",
                }
            )
    return points


MAP_FOOTPRINTS_MAX = 2_000
"""At most this many building outlines are sent to the map (the buildings with points first)."""


def map_footprints(points: list[dict[str, Any]], *, limit: int = MAP_FOOTPRINTS_MAX) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of building footprints (Polygon or MultiPolygon) for ECharts'
    ``registerMap`` (drawn offline, no tiles): the buildings with points first, then the others as the
    district's background, at most ``limit``. Buildings without a footprint are left out."""
    with_points = {p["building"] for p in points}
    rows = sorted(
        Building.objects.filter(footprint__isnull=False).values_list("code", "footprint"),
        key=lambda r: (r[0] not in with_points, r[0]),
    )
    features = [
        {"type": "Feature", "properties": {"name": code}, "geometry": footprint}
        for code, footprint in rows
        if isinstance(footprint, dict) and footprint.get("type") in ("Polygon", "MultiPolygon")
    ]
    return {"type": "FeatureCollection", "features": features[:limit]}


def building_potentials(*, limit: int = 500) -> dict[str, Any]:
    """Each building's rooftop PV potential: usable roof, capacity and annual yield on the default weather.

    Buildings with a recorded roof area and coordinates, largest capacity first (at most ``limit``). The
    yield uses the synthetic Shanghai typical year (:func:`carbonpeak.io.weather.default_weather`, labelled
    synthetic) and each roof type's default orientation; see docs/pv.md for the assumptions.
    """
    import numpy as np

    from carbonpeak.core.pv.potential import default_orientation, rooftop_potential

    rows = list(
        Building.objects.filter(roof_area_m2__gt=0, lat__isnull=False, lon__isnull=False)
        .order_by("code")
        .values("code", "name", "primary_use", "roof_area_m2", "synthetic")
    )
    if not rows:
        return {"rows": [], "weather": None}
    roof_types = ["flat"] * len(rows)
    roof_m2 = [float(r["roof_area_m2"] or 0.0) for r in rows]  # the query keeps roofs > 0 only
    potential = rooftop_potential(roof_m2, [r["primary_use"] for r in rows], roof_types)
    tilt, azimuth = default_orientation(roof_types)
    specific = np.array([_specific_yield(float(t), float(a)) for t, a in zip(tilt, azimuth, strict=True)])
    annual = np.asarray(potential.capacity_kwp) * specific  # yield is linear in capacity
    order = np.argsort(-np.asarray(potential.capacity_kwp), kind="stable")[:limit]
    out = [
        rows[k]
        | {
            "usable_area_m2": float(potential.usable_area_m2[k]),
            "capacity_kwp": float(potential.capacity_kwp[k]),
            "annual_kwh": float(annual[k]),
            "specific_yield_kwh_per_kwp": float(specific[k]),
        }
        for k in order.tolist()
    ]
    return {
        "rows": out,
        "weather": default_weather_year().source,
        "total_kwp": float(np.sum(potential.capacity_kwp)),
    }


@functools.cache
def _specific_yield(tilt_deg: float, azimuth_deg: float) -> float:
    """Annual yield of 1 kWp [kWh/kWp] at an orientation on the default weather, computed once per process."""
    from carbonpeak.core.pv.yield_ import building_yield

    weather = default_weather_year()
    result = building_yield(
        weather.data,
        weather.latitude_deg,
        weather.longitude_deg,
        weather.altitude_m,
        [1.0],
        [tilt_deg],
        [azimuth_deg],
    )
    return float(result.specific_yield_kwh_per_kwp[0])


@functools.cache
def default_weather_year() -> Any:
    """The default (synthetic) Shanghai typical year, built once per process."""
    from carbonpeak.io.weather import default_weather

    return default_weather()
