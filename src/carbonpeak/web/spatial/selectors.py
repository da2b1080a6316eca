"""Reads of the spatial app: stored layers as WGS 84 features or core features in the district's CRS,
and the computations the map page, the API and the indicators share."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from django.db.models import Max
from shapely.geometry import mapping, shape

import carbonpeak.data
from carbonpeak.core.fleets import Vehicle as CoreVehicle
from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.coverage import CoverageResult, RadiusTable, euclidean_boundary
from carbonpeak.core.spatial.crs import Projector
from carbonpeak.core.spatial.features import BusStop, LayerKind, Park, Period, Residential, Station
from carbonpeak.core.spatial.green import SinkResult, green_space_sink, park_area_by_vegetation
from carbonpeak.core.spatial.transit import TransitCoverage, station_bus_coverage
from carbonpeak.io.spatial import (
    RawFeature,
    layer_features,
    read_radius_table,
    read_sink_rates,
    vehicles_from_rows,
)
from carbonpeak.web.plan.selectors import current_plan
from carbonpeak.web.spatial.models import LAYER_LABELS, MapFeature, PopulationStat, Vehicle


def district_crs() -> str | None:
    """The projected CRS of the current plan's district (``plan.crs``), or ``None``."""
    plan = current_plan()
    return plan.plan.crs if plan is not None else None


def bus_radius_m() -> float | None:
    """The walking radius of the plan's station bus-coverage target (its ``rule.radius_m``)."""
    from carbonpeak.web.plan.selectors import current_targets

    for target in current_targets("bus_coverage_new_rail_stations"):
        if target.rule is not None and target.rule.radius_m is not None:
            return target.rule.radius_m
    return None


def plan_start_year() -> int | None:
    """First year of the current plan's horizon."""
    plan = current_plan()
    return plan.plan.horizon.start if plan is not None else None


def projector() -> Projector | None:
    """Reprojection into the district's CRS, or ``None`` when the plan names none."""
    crs = district_crs()
    return Projector(crs) if crs else None


def raw_features(kind: LayerKind | str) -> list[RawFeature]:
    """The stored features of a layer, in WGS 84."""
    out = []
    for row in MapFeature.objects.filter(layer=LayerKind(kind).value):
        props = dict(row.properties)
        if row.opened is not None:
            props["opened"] = row.opened
        out.append(RawFeature(row.feature_id, shape(json.loads(row.geometry)), props))
    return out


def core_features(kind: LayerKind | str, proj: Projector) -> list[Any]:
    """The stored features of a layer as core features in metres."""
    return layer_features(kind, raw_features(kind), proj)


def layer_synthetic(*kinds: LayerKind) -> bool:
    """Whether any stored feature of the layers is synthetic."""
    return MapFeature.objects.filter(layer__in=[k.value for k in kinds], synthetic=True).exists()


def layer_counts() -> list[dict[str, Any]]:
    """Each layer with its label, feature count and whether it is synthetic."""
    return [
        {
            "kind": kind.value,
            "label": label,
            "count": MapFeature.objects.filter(layer=kind.value).count(),
            "synthetic": MapFeature.objects.filter(layer=kind.value, synthetic=True).exists(),
        }
        for kind, label in LAYER_LABELS.items()
    ]


@lru_cache(maxsize=1)
def radius_table() -> RadiusTable:
    """The packaged park service radius table (read once per process)."""
    return read_radius_table(_data_dir())


def _data_dir() -> Path:
    return Path(carbonpeak.data.__file__).parent


def capped_radius_table(cap_m: float | None) -> RadiusTable:
    """The radius table with each radius at most ``cap_m`` (the plan's nominal radius), if given."""
    table = radius_table()
    if cap_m is None:
        return table
    from dataclasses import replace

    bands = tuple(replace(b, radius_m=min(b.radius_m, cap_m)) for b in table.bands)
    return RadiusTable(f"{table.version} (at most {cap_m:g} m)", bands)


def park_coverage(
    *,
    as_of: date | None = None,
    cap_m: float | None = None,
    layers: tuple[list[Park], list[Residential]] | None = None,
) -> CoverageResult | None:
    """Park service coverage (euclidean_boundary, by area, radius table) of the stored layers (or of
    ``layers``, already loaded)."""
    if layers is None:
        proj = projector()
        if proj is None:
            return None
        layers = (core_features(LayerKind.PARKS, proj), core_features(LayerKind.RESIDENTIAL, proj))
    parks, residential = layers
    if not parks or not residential:
        return None
    if as_of is not None:
        parks = [p for p in parks if p.opened is None or p.opened <= as_of]
    return euclidean_boundary(parks, residential, radii=capped_radius_table(cap_m), weight="area")


def transit_coverage(*, radius_m: float, period: Period | None = None) -> TransitCoverage | None:
    """Bus coverage of the stored rail stations (all, or opened in ``period``)."""
    proj = projector()
    if proj is None:
        return None
    stations: list[Station] = core_features(LayerKind.RAIL_STATIONS, proj)
    stops: list[BusStop] = core_features(LayerKind.BUS_STOPS, proj)
    if not stations:
        return None
    return station_bus_coverage(stations, stops, radius_m=radius_m, period=period)


def latest_opening_year(kind: LayerKind) -> int | None:
    """The latest opening year recorded in a layer."""
    latest = MapFeature.objects.filter(layer=kind.value).aggregate(latest=Max("opened"))["latest"]
    return latest.year if latest else None


def population_for(year: int) -> PopulationStat | None:
    """The population of ``year``, else the latest one before it."""
    return PopulationStat.objects.filter(year__lte=year).order_by("-year").first()


def vehicles() -> list[CoreVehicle]:
    """The vehicle registry as core vehicles."""
    rows = [
        {
            "id": v.vehicle_id,
            "operator": v.operator,
            "category": v.category,
            "fuel": v.fuel,
            "in_service": v.in_service,
            "out_of_service": v.out_of_service,
        }
        for v in Vehicle.objects.all()
    ]
    return vehicles_from_rows(rows)


def sink_estimate(*, as_of: date | None = None) -> SinkResult | None:
    """Annual sequestration of the stored parks by vegetation type (sink-rate table)."""
    proj = projector()
    if proj is None:
        return None
    parks: list[Park] = core_features(LayerKind.PARKS, proj)
    if not parks:
        return None
    _version, rates = read_sink_rates(_data_dir())
    return green_space_sink(park_area_by_vegetation(parks, as_of=as_of), rates)


@dataclass(frozen=True)
class MapData:
    """What the map page draws, in WGS 84 GeoJSON."""

    layers: dict[str, dict[str, Any]]
    outline: dict[str, Any]
    holes: dict[str, Any]
    stations: list[dict[str, Any]]
    synthetic: bool


def map_data(*, bus_radius_m: float | None) -> MapData:
    """Every stored layer, the district outline (union of residential land, boundaries and parks' hull),
    the coverage holes and each station's nearest stops, for the map page."""
    layers: dict[str, dict[str, Any]] = {}
    for kind in LayerKind:
        feats = raw_features(kind)
        layers[kind.value] = {
            "type": "FeatureCollection",
            "features": [
                dict(f.geojson(), properties=dict(f.geojson()["properties"], id=f.id, layer=kind.value))
                for f in feats
            ],
        }
    proj = projector()
    holes: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    stations: list[dict[str, Any]] = []
    if proj is not None:
        coverage = park_coverage()
        if coverage is not None and not coverage.holes.is_empty:
            holes["features"].append(
                {
                    "type": "Feature",
                    "properties": {"name": "hole"},
                    "geometry": mapping(proj.to_lonlat(coverage.holes)),
                }
            )
        if bus_radius_m is not None:
            transit = transit_coverage(radius_m=bus_radius_m)
            if transit is not None:
                stations = [s.to_dict() for s in transit.stations]
    outline = _outline(layers)
    return MapData(layers, outline, holes, stations, MapFeature.objects.filter(synthetic=True).exists())


def _outline(layers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The district outline: the sub-area boundaries of ``kind: district``, else the hull of every layer."""
    districts = [
        f for f in layers["subarea_boundary"]["features"] if f["properties"].get("kind") == "district"
    ]
    if districts:
        return {"type": "FeatureCollection", "features": districts}
    geoms = [
        shape(f["geometry"])
        for k in ("residential", "parks", "subarea_boundary")
        for f in layers[k]["features"]
    ]
    if not geoms:
        return {"type": "FeatureCollection", "features": []}
    hull = shapely.union_all(geoms).convex_hull.buffer(0.002)
    feature = {"type": "Feature", "properties": {"name": "outline"}, "geometry": mapping(hull)}
    return {"type": "FeatureCollection", "features": [feature]}


def spatial_error(exc: SpatialInputError) -> str:
    """The message of a spatial error, for a page."""
    return str(exc)
