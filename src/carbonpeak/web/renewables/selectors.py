"""Reads: the registries as the core rule dataclasses, and the page's summary of the plan's rules."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from carbonpeak.core.renewables import rules
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.renewables.models import ChargingSite, PvInstallation

PV_TARGET_KW = 29_000.0
"""Plan target ``pv_capacity_added_14th``: 2.9万千瓦 of new PV in 2021-2025 [kW]."""
CHARGER_TARGET = 1_800
"""Plan target ``public_dedicated_chargers_14th``: new public and dedicated chargers in 2021-2025."""
COVERAGE_TARGET_PCT = 50.0
"""Plan target ``pv_roof_coverage_2025`` [%]."""
TAXI_TARGET = 2
"""Plan target ``taxi_demo_stations_14th``."""


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
            s.code, s.site_kind, s.access, s.parking_spaces, s.fast_count, s.slow_count, s.commissioned
        )
        for s in ChargingSite.objects.all()
    ]


def synthetic_data() -> bool:
    """Whether any PV installation or charging site is synthetic."""
    return (
        PvInstallation.objects.filter(synthetic=True).exists()
        or ChargingSite.objects.filter(synthetic=True).exists()
    )


@dataclass(frozen=True)
class Progress:
    """One progress bar: a value against a target."""

    key: str
    value: float
    target: float
    unit: str

    @property
    def percent(self) -> float:
        """Value over target, capped at 100 [%]."""
        return min(100.0, 100.0 * self.value / self.target) if self.target else 0.0


def renewables_summary(*, as_of: date | None = None) -> dict[str, Any]:
    """Everything the overview page shows: progress, non-compliant new buildings and sites, map points."""
    pv = pv_sites()
    buildings = roof_buildings()
    sites = charging_rows()
    coverage = rules.roof_coverage(buildings, pv, as_of=as_of)
    capacity_kw = sum(rules.capacity_added_kw_by_year(pv).values())
    chargers = sum(rules.chargers_added_by_year(sites).values())
    taxi = sum(rules.taxi_stations_by_year(sites).values())
    progress = [
        Progress("pv_capacity_added", capacity_kw, PV_TARGET_KW, "kW"),
        Progress("public_dedicated_chargers_added", chargers, CHARGER_TARGET, ""),
        Progress("pv_roof_coverage", coverage.share_pct or 0.0, COVERAGE_TARGET_PCT, "%"),
        Progress("taxi_demo_stations_added", taxi, TAXI_TARGET, ""),
    ]
    lots = rules.parking_lots_equipped(sites)
    names = dict(Building.objects.values_list("code", "name"))
    failing_buildings = [
        {**asdict(c), "name": names.get(c.code, "")}
        for c in rules.new_building_compliance(buildings, pv)
        if not c.complies
    ]
    failing_sites = [asdict(c) for c in rules.office_charger_compliance(sites) if not c.complies]
    return {
        "progress": progress,
        "coverage": coverage,
        "lots": lots,
        "fast": rules.fast_charger_share(sites),
        "failing_buildings": failing_buildings,
        "failing_sites": failing_sites,
        "density_kwp_per_m2": rules.MODULE_DENSITY_KWP_PER_M2,
        "synthetic": synthetic_data(),
    }


def map_points() -> list[dict[str, Any]]:
    """PV installations and charging sites located through their building (lon/lat), for the map."""
    points: list[dict[str, Any]] = []
    for p in PvInstallation.objects.select_related("building").filter(building__lat__isnull=False):
        assert p.building is not None
        points.append(
            {
                "layer": "pv",
                "id": p.code,
                "name": p.building.name,
                "lon": p.building.lon,
                "lat": p.building.lat,
                "size": p.capacity_kwp,
                "label": f"{p.capacity_kwp:g} kWp",
            }
        )
    for s in ChargingSite.objects.select_related("building").filter(building__lat__isnull=False):
        assert s.building is not None
        points.append(
            {
                "layer": "chargers",
                "id": s.code,
                "name": s.name,
                "lon": s.building.lon,
                "lat": s.building.lat,
                "size": s.fast_count + s.slow_count,
                "label": f"{s.fast_count} + {s.slow_count}",
            }
        )
    return points


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
        "weather": _default_weather().source,
        "total_kwp": float(np.sum(potential.capacity_kwp)),
    }


@functools.cache
def _specific_yield(tilt_deg: float, azimuth_deg: float) -> float:
    """Annual yield of 1 kWp [kWh/kWp] at an orientation on the default weather, computed once per process."""
    from carbonpeak.core.pv.yield_ import building_yield

    weather = _default_weather()
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
def _default_weather() -> Any:
    """The default (synthetic) Shanghai typical year, built once per process."""
    from carbonpeak.io.weather import default_weather

    return default_weather()
