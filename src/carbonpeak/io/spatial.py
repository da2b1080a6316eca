"""Read map layers: GeoJSON (RFC 7946, WGS 84), ESRI Shapefile and GeoPackage (through pyogrio), and CSV
with lon/lat columns for points; read the vehicle registry (CSV/Excel); read the spatial reference tables.

Every problem names the file, the feature (its number in the file and its id) and the field; one bad
feature rejects the whole file, so an import stores all features or none. Geometry comes back in WGS 84
lon/lat; :func:`layer_features` reprojects it into the district's CRS [m] for the core calculations.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from carbonpeak.core.fleets import Fuel, Vehicle, VehicleCategory
from carbonpeak.core.spatial import SpatialInputError
from carbonpeak.core.spatial.coverage import RadiusBand, RadiusTable
from carbonpeak.core.spatial.crs import WGS84, Projector
from carbonpeak.core.spatial.features import (
    GEOMETRY_TYPES,
    BusStop,
    Greenway,
    LayerKind,
    Park,
    Residential,
    Station,
    SubAreaBoundary,
    VerticalGreening,
    check_geometry,
)
from carbonpeak.core.spatial.green import SinkRate
from carbonpeak.io.reference import read_csv_table, read_manifest
from carbonpeak.io.tabular import ParsedRows, RowError, parse_rows

LAYER_FIELDS: dict[LayerKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    LayerKind.PARKS: (("id",), ("name", "park_type", "green_area_m2", "opened", "vegetation")),
    LayerKind.GREENWAYS: (("id",), ("name", "opened")),
    LayerKind.VERTICAL_GREENING: (("id", "area_m2"), ("address", "opened", "name")),
    LayerKind.RESIDENTIAL: (("id",), ("name", "population")),
    LayerKind.RAIL_STATIONS: (("id",), ("name", "opened", "entrances", "line")),
    LayerKind.BUS_STOPS: (("id",), ("name",)),
    LayerKind.SUBAREA_BOUNDARY: (("code",), ("name", "name_en")),
    LayerKind.PATHS: (("id",), ("name",)),
}
"""Required and optional properties of each layer (other properties are kept but not used)."""

MAX_AREA_M2 = 100_000_000.0
"""Largest plausible single green area [m2] (100 km2, more than a district)."""
MAX_POPULATION = 10_000_000.0
"""Largest plausible population of one residential polygon."""
GEO_SUFFIXES = (".geojson", ".json", ".shp", ".gpkg", ".zip", ".csv")


@dataclass(frozen=True)
class FeatureError:
    """Every problem of one rejected feature (``index`` is ``None`` for a problem with the whole file)."""

    file: str
    index: int | None
    feature_id: str
    problems: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        where = self.file
        if self.index is not None:
            where += f", feature {self.index}" + (f" (id {self.feature_id})" if self.feature_id else "")
        return f"{where}: " + "; ".join(f"field {f}: {m}" if f else m for f, m in self.problems)


@dataclass(frozen=True)
class RawFeature:
    """A validated feature: id, geometry in WGS 84 lon/lat and its typed properties."""

    id: str
    geometry: BaseGeometry
    properties: dict[str, Any]

    def geojson(self) -> dict[str, Any]:
        """The feature as a GeoJSON Feature mapping."""
        props = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.properties.items()}
        return {"type": "Feature", "id": self.id, "geometry": mapping(self.geometry), "properties": props}


@dataclass
class LayerFile:
    """The features read from one file, or the errors that reject it."""

    kind: LayerKind
    label: str
    features: list[RawFeature] = field(default_factory=list)
    errors: list[FeatureError] = field(default_factory=list)
    source_crs: str = WGS84

    @property
    def ok(self) -> bool:
        """Whether the file can be imported."""
        return not self.errors and bool(self.features)


def _fail(label: str, message: str) -> FeatureError:
    return FeatureError(label, None, "", (("", message),))


def _number(raw: Any, name: str, problems: list[tuple[str, str]], *, upper: float) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        value = float(str(raw).replace(",", "")) if not isinstance(raw, int | float) else float(raw)
    except ValueError:
        problems.append((name, f"'{raw}' is not a number"))
        return None
    if not math.isfinite(value) or value < 0 or value > upper:
        problems.append((name, f"{raw} is not a plausible value (0 to {upper:,.0f})"))
        return None
    return value


def _date(raw: Any, name: str, problems: list[tuple[str, str]]) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date(int(text), 1, 1)
    except ValueError:
        problems.append((name, f"'{raw}' is not a date (YYYY-MM-DD)"))
        return None


def _lonlat_ok(geometry: BaseGeometry) -> bool:
    xmin, ymin, xmax, ymax = geometry.bounds
    return -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90


def _feature(
    kind: LayerKind, label: str, index: int, geometry: BaseGeometry | None, props: Mapping[str, Any]
) -> RawFeature | FeatureError:
    required = LAYER_FIELDS[kind][0]
    key = "code" if kind is LayerKind.SUBAREA_BOUNDARY else "id"
    feature_id = str(props.get(key) or "").strip()
    problems: list[tuple[str, str]] = []
    for name in required:
        if props.get(name) in (None, ""):
            problems.append((name, "is missing"))
    typed: dict[str, Any] = {k: v for k, v in props.items() if v is not None and v != ""}
    typed.pop("id", None)
    for name in ("opened",):
        if name in props:
            typed[name] = _date(props.get(name), name, problems)
    if "green_area_m2" in props:
        typed["green_area_m2"] = _number(props["green_area_m2"], "green_area_m2", problems, upper=MAX_AREA_M2)
    if kind is LayerKind.VERTICAL_GREENING:
        area = _number(props.get("area_m2"), "area_m2", problems, upper=MAX_AREA_M2)
        if area is not None and area <= 0:
            problems.append(("area_m2", "must be more than 0"))
        typed["area_m2"] = area
    if "population" in props:
        typed["population"] = _number(props["population"], "population", problems, upper=MAX_POPULATION)
    if kind is LayerKind.RAIL_STATIONS and props.get("entrances") not in (None, ""):
        entrances = props["entrances"]
        if isinstance(entrances, str):
            try:
                entrances = json.loads(entrances)
            except ValueError:
                entrances = None
        if not isinstance(entrances, list) or not all(
            isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(c, int | float) for c in p)
            for p in entrances
        ):
            problems.append(("entrances", "must be a list of [lon, lat] pairs"))
        else:
            geometry = MultiPoint([tuple(p) for p in entrances])
        typed.pop("entrances", None)
    typed = {k: v for k, v in typed.items() if v is not None}
    if geometry is None:
        problems.append(("geometry", "is missing"))
    else:
        try:
            check_geometry(geometry, kind, feature_id or str(index))
        except SpatialInputError as exc:
            problems.append(("geometry", str(exc).split(": ", 1)[-1]))
        else:
            if not _lonlat_ok(geometry):
                problems.append(
                    ("geometry", "coordinates are not WGS 84 lon/lat (RFC 7946): reproject first")
                )
    if problems or geometry is None:
        return FeatureError(label, index, feature_id, tuple(problems))
    return RawFeature(feature_id, geometry, typed)


def _collect(layer: LayerFile, items: Sequence[tuple[BaseGeometry | None, Mapping[str, Any]]]) -> LayerFile:
    seen: dict[str, int] = {}
    for index, (geometry, props) in enumerate(items, start=1):
        result = _feature(layer.kind, layer.label, index, geometry, props)
        if isinstance(result, FeatureError):
            layer.errors.append(result)
        elif result.id in seen:
            layer.errors.append(
                FeatureError(
                    layer.label, index, result.id, (("id", f"duplicates feature {seen[result.id]}"),)
                )
            )
        else:
            seen[result.id] = index
            layer.features.append(result)
    if layer.errors:
        layer.features.clear()
    elif not layer.features:
        layer.errors.append(_fail(layer.label, "has no features"))
    return layer


def parse_geojson(data: bytes | str, kind: LayerKind | str, label: str) -> LayerFile:
    """Parse a GeoJSON FeatureCollection (RFC 7946: WGS 84 lon/lat) into a layer."""
    layer = LayerFile(LayerKind(kind), label)
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        layer.errors.append(_fail(label, f"is not JSON: {exc}"))
        return layer
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        layer.errors.append(_fail(label, "is not a GeoJSON FeatureCollection"))
        return layer
    crs = doc.get("crs")
    if crs and "4326" not in json.dumps(crs) and "CRS84" not in json.dumps(crs):
        layer.errors.append(_fail(label, "declares a CRS other than WGS 84; RFC 7946 GeoJSON is in lon/lat"))
        return layer
    items: list[tuple[BaseGeometry | None, Mapping[str, Any]]] = []
    for index, feature in enumerate(doc["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            layer.errors.append(FeatureError(label, index, "", (("", "is not a GeoJSON Feature"),)))
            continue
        props = dict(feature.get("properties") or {})
        if "id" not in props and feature.get("id") is not None:
            props["id"] = feature["id"]
        try:
            geometry = shape(feature["geometry"]) if feature.get("geometry") else None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            fid = str(props.get("id") or props.get("code") or "")
            layer.errors.append(FeatureError(label, index, fid, (("geometry", f"cannot be read: {exc}"),)))
            continue
        items.append((geometry, props))
    if layer.errors:
        return layer
    return _collect(layer, items)


def parse_points_csv(data: bytes, kind: LayerKind | str, label: str) -> LayerFile:
    """Parse a CSV UTF-8 of points with ``lon`` and ``lat`` columns (WGS 84 degrees)."""
    layer = LayerFile(LayerKind(kind), label)
    if "Point" not in GEOMETRY_TYPES[layer.kind]:
        layer.errors.append(
            _fail(label, f"a CSV can only hold points; {layer.kind} needs GeoJSON, SHP or GPKG")
        )
        return layer
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        layer.errors.append(_fail(label, f"is not UTF-8 text ({exc.reason}); save it as CSV UTF-8"))
        return layer
    rows = list(csv.DictReader(io.StringIO(text)))
    header = rows[0].keys() if rows else []
    missing = [c for c in ("lon", "lat") if c not in header]
    if missing:
        layer.errors.append(
            FeatureError(label, None, "", tuple((c, "required column is missing") for c in missing))
        )
        return layer
    items: list[tuple[BaseGeometry | None, Mapping[str, Any]]] = []
    for index, row in enumerate(rows, start=1):
        problems: list[tuple[str, str]] = []
        lon = _coordinate(row.get("lon", ""), "lon", 180, problems)
        lat = _coordinate(row.get("lat", ""), "lat", 90, problems)
        if problems:
            layer.errors.append(FeatureError(label, index, row.get("id", ""), tuple(problems)))
            continue
        props = {k: v for k, v in row.items() if k not in ("lon", "lat")}
        items.append((Point(lon, lat), props))
    if layer.errors:
        return layer
    return _collect(layer, items)


def _coordinate(raw: str, name: str, bound: float, problems: list[tuple[str, str]]) -> float:
    try:
        value = float(raw)
    except ValueError:
        problems.append((name, f"'{raw}' is not a number"))
        return 0.0
    if not math.isfinite(value) or abs(value) > bound:
        problems.append((name, f"{raw} is not a WGS 84 {name} in degrees"))
    return value


def read_ogr(path: Path, kind: LayerKind | str) -> LayerFile:
    """Read an ESRI Shapefile or GeoPackage through pyogrio, reprojected from its own CRS to WGS 84."""
    import pyogrio
    from pyproj import CRS, Transformer

    layer = LayerFile(LayerKind(kind), path.name)
    try:
        meta, _fids, wkb, values = pyogrio.raw.read(path)
    except Exception as exc:  # pyogrio/GDAL raise many kinds for a damaged file
        layer.errors.append(_fail(path.name, f"cannot be read: {exc}"))
        return layer
    source = meta.get("crs")
    if not source:
        layer.errors.append(_fail(path.name, "has no CRS (.prj): cannot place it on the map"))
        return layer
    layer.source_crs = str(source)
    transformer = Transformer.from_crs(
        CRS.from_user_input(source), CRS.from_user_input(WGS84), always_xy=True
    )

    def move(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])

    names = list(meta["fields"])
    items: list[tuple[BaseGeometry | None, Mapping[str, Any]]] = []
    for i, blob in enumerate(wkb):
        geometry = shapely.transform(shapely.from_wkb(blob), move) if blob is not None else None
        props = {name: _plain(values[j][i]) for j, name in enumerate(names)}
        items.append((geometry, props))
    return _collect(layer, items)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def read_layer(path: Path, kind: LayerKind | str, content: bytes | None = None) -> LayerFile:
    """Read a layer file by its suffix: .geojson/.json, .csv (points), .shp, .gpkg.

    Parameters
    ----------
    path : Path
        The file (its name gives the format and labels the errors).
    kind : LayerKind or str
        The layer it is imported as.
    content : bytes, optional
        The file's bytes when already read (uploads); Shapefile and GeoPackage need a path on disk.
    """
    try:
        layer_kind = LayerKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in LayerKind)
        return LayerFile(
            LayerKind.PARKS, path.name, errors=[_fail(path.name, f"unknown layer '{kind}'; known: {known}")]
        )
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return parse_geojson(content if content is not None else path.read_bytes(), layer_kind, path.name)
    if suffix == ".csv":
        return parse_points_csv(content if content is not None else path.read_bytes(), layer_kind, path.name)
    if suffix in (".shp", ".gpkg", ".zip"):
        return read_ogr(path, layer_kind)
    return LayerFile(
        layer_kind,
        path.name,
        errors=[_fail(path.name, f"'{suffix}' files are not supported: use {', '.join(GEO_SUFFIXES)}")],
    )


# --- to core features in metres -----------------------------------------------------------------------


def layer_features(kind: LayerKind | str, features: Sequence[RawFeature], projector: Projector) -> list[Any]:
    """The layer's features as core dataclasses, reprojected into ``projector``'s CRS [m].

    Raises
    ------
    SpatialInputError
        Naming the feature whose geometry becomes invalid once projected.
    """
    kind = LayerKind(kind)
    out: list[Any] = []
    for f in features:
        g = projector.to_metres(f.geometry)
        if not g.is_valid:
            g = shapely.make_valid(g)
        p = f.properties
        opened = p.get("opened")
        opened = date.fromisoformat(opened) if isinstance(opened, str) else opened
        if kind is LayerKind.PARKS:
            out.append(
                Park(
                    f.id,
                    g,
                    str(p.get("name", "")),
                    str(p.get("park_type", "")),
                    p.get("green_area_m2"),
                    opened,
                    str(p.get("vegetation", "")),
                )
            )
        elif kind is LayerKind.RESIDENTIAL:
            out.append(Residential(f.id, g, p.get("population"), str(p.get("name", ""))))
        elif kind is LayerKind.RAIL_STATIONS:
            out.append(Station(f.id, g, str(p.get("name", "")), opened))
        elif kind is LayerKind.BUS_STOPS:
            out.append(BusStop(f.id, g, str(p.get("name", ""))))
        elif kind is LayerKind.GREENWAYS:
            out.append(Greenway(f.id, g, str(p.get("name", "")), opened))
        elif kind is LayerKind.VERTICAL_GREENING:
            out.append(VerticalGreening(f.id, g, float(p["area_m2"]), str(p.get("address", "")), opened))
        elif kind is LayerKind.SUBAREA_BOUNDARY:
            out.append(SubAreaBoundary(f.id, g, str(p.get("name", ""))))
        else:
            out.append(g)
    return out


def feature_collection(features: Sequence[RawFeature], *, synthetic: bool = False) -> dict[str, Any]:
    """The features as an RFC 7946 FeatureCollection (labelled synthetic when they are)."""
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": [f.geojson() for f in features]}
    if synthetic:
        doc["synthetic"] = True
    return doc


# --- reference tables ---------------------------------------------------------------------------------


def _table_rows(data_dir: Path, kind: str) -> tuple[str, list[Any]]:
    manifest, issues = read_manifest(data_dir)
    if manifest is None:
        raise SpatialInputError(f"reference data in {data_dir}: {issues[0] if issues else 'no manifest'}")
    entry = next((t for t in manifest.tables if t.kind == kind), None)
    if entry is None:
        raise SpatialInputError(f"reference data in {data_dir} has no table of kind {kind}")
    table, problems = read_csv_table(data_dir / entry.file, entry, entry.file)
    if problems:
        raise SpatialInputError(f"reference table {entry.file}: {problems[0]}")
    return entry.version, list(table.records)


def read_radius_table(data_dir: Path) -> RadiusTable:
    """The park service radius table (``park_service_radii``) as a core :class:`RadiusTable`."""
    version, rows = _table_rows(data_dir, "park_service_radii")
    bands = tuple(
        RadiusBand(
            r.min_area_m2, r.max_area_m2, r.radius_m, f"{r.source} {r.document_no}".strip(), r.evidence.value
        )
        for r in rows
        if r.radius_m is not None
    )
    return RadiusTable(version, bands)


def read_sink_rates(data_dir: Path) -> tuple[str, list[SinkRate]]:
    """The sink-rate table (``sink_rates``): version and core :class:`SinkRate` rows (unknown rates empty)."""
    version, rows = _table_rows(data_dir, "sink_rates")
    rates = [
        SinkRate(r.vegetation, r.value, f"{r.source} {r.document_no}".strip(), r.evidence.value, r.note)
        for r in rows
    ]
    return version, rates


# --- vehicle registry ---------------------------------------------------------------------------------

VEHICLE_REQUIRED = ("id", "operator", "category", "fuel", "in_service")
VEHICLE_OPTIONAL = ("out_of_service", "note")


def _vehicle_row(row: dict[str, str], number: int, label: str) -> dict[str, Any] | RowError:
    problems: list[tuple[str, str]] = []
    for name in VEHICLE_REQUIRED:
        if not row.get(name):
            problems.append((name, "is missing"))
    category = row.get("category", "")
    if category and category not in {c.value for c in VehicleCategory}:
        problems.append(
            ("category", f"'{category}' is not one of {', '.join(c.value for c in VehicleCategory)}")
        )
    fuel = row.get("fuel", "").upper()
    if fuel and fuel not in {f.value for f in Fuel}:
        problems.append(("fuel", f"'{row.get('fuel')}' is not one of {', '.join(f.value for f in Fuel)}"))
    start = _date(row.get("in_service"), "in_service", problems) if row.get("in_service") else None
    end = _date(row.get("out_of_service"), "out_of_service", problems) if row.get("out_of_service") else None
    if start and end and end < start:
        problems.append(("out_of_service", f"{end} is before in_service {start}"))
    if start and not (1950 <= start.year <= 2100):
        problems.append(("in_service", f"{start} is not a plausible date"))
    if problems or start is None:
        return RowError(label, number, tuple(problems))
    return {
        "id": row["id"],
        "operator": row["operator"],
        "category": category,
        "fuel": fuel,
        "in_service": start,
        "out_of_service": end,
    }


def read_vehicles(path: Path, content: bytes | None = None) -> ParsedRows:
    """Read a vehicle registry (CSV UTF-8 or .xlsx): id, operator, category, fuel, in_service
    [, out_of_service]; all rows or none."""
    return parse_rows(path, content, VEHICLE_REQUIRED, VEHICLE_OPTIONAL, _vehicle_row)


def vehicles_from_rows(rows: Sequence[Mapping[str, Any]]) -> list[Vehicle]:
    """Core vehicles from validated rows."""
    return [
        Vehicle(
            str(r["id"]),
            str(r["operator"]),
            VehicleCategory(r["category"]),
            Fuel(r["fuel"]),
            r["in_service"],
            r.get("out_of_service"),
        )
        for r in rows
    ]
