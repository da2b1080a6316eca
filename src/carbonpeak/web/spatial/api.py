"""Spatial API: the stored layers as GeoJSON, the station bus coverage and the park coverage. Every read
needs a signed-in session; there are no writes here (files are imported through ``/spatial/import/`` or
the command line)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from carbonpeak.core.spatial.features import LayerKind
from carbonpeak.io.spatial import feature_collection
from carbonpeak.web.spatial import selectors

router = Router(tags=["spatial"])


class NearbyOut(Schema):
    id: str
    name: str
    distance_m: float


class StationOut(Schema):
    id: str
    name: str
    opened: str | None
    served: bool
    nearest: list[NearbyOut]


class CoverageOut(Schema):
    coverage: float | None
    covered_area_m2: float
    residential_area_m2: float
    uncovered: list[str]
    radius_table_version: str
    synthetic: bool


@router.get("/layers/{kind}", auth=django_auth)
def layer(request: HttpRequest, kind: str) -> dict[str, Any]:
    """One stored layer as an RFC 7946 FeatureCollection (WGS 84)."""
    try:
        layer_kind = LayerKind(kind)
    except ValueError:
        raise HttpError(404, f"unknown layer '{kind}'") from None
    return feature_collection(
        selectors.raw_features(layer_kind), synthetic=selectors.layer_synthetic(layer_kind)
    )


@router.get("/stations", response=list[StationOut], auth=django_auth)
def stations(request: HttpRequest) -> list[dict[str, Any]]:
    """Every rail station with its nearest bus stops and whether it is served (the plan's radius)."""
    radius = selectors.bus_radius_m()
    if radius is None:
        return []
    result = selectors.transit_coverage(radius_m=radius)
    return [] if result is None else [s.to_dict() for s in result.stations]


@router.get("/coverage", response=CoverageOut, auth=django_auth)
def coverage(request: HttpRequest) -> dict[str, Any]:
    """Park service coverage of the stored layers (euclidean_boundary, by area, radius table)."""
    result = selectors.park_coverage()
    if result is None:
        raise HttpError(404, "no park or residential layer, or no plan CRS")
    return {
        "coverage": result.coverage,
        "covered_area_m2": result.covered_area_m2,
        "residential_area_m2": result.residential_area_m2,
        "uncovered": [p.id for p in result.uncovered],
        "radius_table_version": result.radius_table_version,
        "synthetic": selectors.layer_synthetic(LayerKind.PARKS, LayerKind.RESIDENTIAL),
    }
