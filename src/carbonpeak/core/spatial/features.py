"""The map layers as typed features, in a projected CRS [m].

Each feature has an ``id`` (unique in its layer), a shapely geometry in metres and the attributes its
layer needs. ``to_dict``/``from_dict`` carry the geometry as a GeoJSON geometry mapping (in whatever CRS it
is in), for JSON columns and API schemas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from carbonpeak.core.spatial import SpatialInputError


class LayerKind(StrEnum):
    """The layers of the district map (一张图)."""

    PARKS = "parks"
    GREENWAYS = "greenways"
    VERTICAL_GREENING = "vertical_greening"
    RESIDENTIAL = "residential"
    RAIL_STATIONS = "rail_stations"
    BUS_STOPS = "bus_stops"
    SUBAREA_BOUNDARY = "subarea_boundary"
    PATHS = "paths"


GEOMETRY_TYPES: dict[LayerKind, frozenset[str]] = {
    LayerKind.PARKS: frozenset({"Polygon", "MultiPolygon"}),
    LayerKind.GREENWAYS: frozenset({"LineString", "MultiLineString"}),
    LayerKind.VERTICAL_GREENING: frozenset({"Point", "Polygon", "MultiPolygon"}),
    LayerKind.RESIDENTIAL: frozenset({"Polygon", "MultiPolygon"}),
    LayerKind.RAIL_STATIONS: frozenset({"Point", "MultiPoint"}),
    LayerKind.BUS_STOPS: frozenset({"Point"}),
    LayerKind.SUBAREA_BOUNDARY: frozenset({"Polygon", "MultiPolygon"}),
    LayerKind.PATHS: frozenset({"LineString", "MultiLineString"}),
}
"""Geometry types each layer accepts (a station's MultiPoint is its entrances)."""


def check_geometry(geometry: BaseGeometry, kind: LayerKind, feature: str) -> None:
    """Refuse an empty, invalid or wrongly typed geometry, naming the feature.

    Raises
    ------
    SpatialInputError
        With the feature id and the reason (shapely's :func:`~shapely.is_valid_reason`).
    """
    if geometry is None or geometry.is_empty:
        raise SpatialInputError(f"feature {feature}: geometry is empty")
    if geometry.geom_type not in GEOMETRY_TYPES[kind]:
        allowed = ", ".join(sorted(GEOMETRY_TYPES[kind]))
        raise SpatialInputError(
            f"feature {feature}: {geometry.geom_type} is not allowed in {kind} ({allowed})"
        )
    if not shapely.is_valid(geometry):
        raise SpatialInputError(f"feature {feature}: invalid geometry ({shapely.is_valid_reason(geometry)})")


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Park:
    """A park or public green space (公园绿地).

    ``green_area_m2`` is the registered green area when known; otherwise the footprint area is used.
    ``vegetation`` is the vegetation type of the sink table (e.g. ``urban_arbor``), empty when unknown.
    """

    id: str
    geometry: BaseGeometry
    name: str = ""
    park_type: str = ""
    green_area_m2: float | None = None
    opened: date | None = None
    vegetation: str = ""

    @property
    def area_m2(self) -> float:
        """Green area [m2]: the registered one, else the polygon's."""
        return self.green_area_m2 if self.green_area_m2 is not None else float(self.geometry.area)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "geometry": mapping(self.geometry),
            "name": self.name,
            "park_type": self.park_type,
            "green_area_m2": self.green_area_m2,
            "opened": _iso(self.opened),
            "vegetation": self.vegetation,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Park:
        return cls(
            id=str(data["id"]),
            geometry=shape(data["geometry"]),
            name=data.get("name", ""),
            park_type=data.get("park_type", ""),
            green_area_m2=data.get("green_area_m2"),
            opened=_date(data.get("opened")),
            vegetation=data.get("vegetation", ""),
        )


@dataclass(frozen=True)
class Residential:
    """A residential land polygon (居住用地), with its resident population when known."""

    id: str
    geometry: BaseGeometry
    population: float | None = None
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "geometry": mapping(self.geometry),
            "population": self.population,
            "name": self.name,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Residential:
        return cls(str(data["id"]), shape(data["geometry"]), data.get("population"), data.get("name", ""))


@dataclass(frozen=True)
class Station:
    """A rail station: its point, or its entrances (a MultiPoint), and its opening date."""

    id: str
    geometry: BaseGeometry
    name: str = ""
    opened: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "geometry": mapping(self.geometry),
            "name": self.name,
            "opened": _iso(self.opened),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Station:
        return cls(str(data["id"]), shape(data["geometry"]), data.get("name", ""), _date(data.get("opened")))


@dataclass(frozen=True)
class BusStop:
    """A ground bus stop (point)."""

    id: str
    geometry: BaseGeometry
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "geometry": mapping(self.geometry), "name": self.name}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusStop:
        return cls(str(data["id"]), shape(data["geometry"]), data.get("name", ""))


@dataclass(frozen=True)
class Greenway:
    """A greenway (绿道): a line, with the date it was completed."""

    id: str
    geometry: BaseGeometry
    name: str = ""
    opened: date | None = None

    @property
    def length_m(self) -> float:
        """Length [m]."""
        return float(self.geometry.length)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "geometry": mapping(self.geometry),
            "name": self.name,
            "opened": _iso(self.opened),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Greenway:
        return cls(str(data["id"]), shape(data["geometry"]), data.get("name", ""), _date(data.get("opened")))


@dataclass(frozen=True)
class VerticalGreening:
    """Vertical greening (立体绿化: roof, wall, structure): its registered area, address and date.

    The geometry only locates it; its area is the registered ``area_m2`` (walls and roofs are not map area).
    """

    id: str
    geometry: BaseGeometry
    area_m2: float
    address: str = ""
    opened: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "geometry": mapping(self.geometry),
            "area_m2": self.area_m2,
            "address": self.address,
            "opened": _iso(self.opened),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VerticalGreening:
        return cls(
            str(data["id"]),
            shape(data["geometry"]),
            float(data["area_m2"]),
            data.get("address", ""),
            _date(data.get("opened")),
        )


@dataclass(frozen=True)
class SubAreaBoundary:
    """The boundary of a sub-area (e.g. a riverside development area), referenced by its sub-area ``code``."""

    code: str
    geometry: BaseGeometry
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "geometry": mapping(self.geometry), "name": self.name}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SubAreaBoundary:
        return cls(str(data["code"]), shape(data["geometry"]), data.get("name", ""))


@dataclass(frozen=True)
class Period:
    """A closed period of dates ``[start, end]``."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise SpatialInputError(f"period ends {self.end} before it starts {self.start}")

    def contains(self, day: date | None) -> bool:
        """Whether ``day`` is in the period (an unknown date is not)."""
        return day is not None and self.start <= day <= self.end


def unique_ids(ids: list[str], layer: str) -> None:
    """Refuse duplicate feature ids in a layer."""
    seen: set[str] = set()
    for feature_id in ids:
        if feature_id in seen:
            raise SpatialInputError(f"{layer}: feature id {feature_id} appears twice")
        seen.add(feature_id)


__all__ = [
    "GEOMETRY_TYPES",
    "BusStop",
    "Greenway",
    "LayerKind",
    "Park",
    "Period",
    "Residential",
    "Station",
    "SubAreaBoundary",
    "VerticalGreening",
    "check_geometry",
    "unique_ids",
]
