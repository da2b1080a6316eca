"""Sub-area registry files: a table (CSV UTF-8 or Excel .xlsx) or a GeoJSON FeatureCollection.

Table columns: ``code, name_zh, name_en`` (required) and ``parent, boundary_geojson, quality`` (optional).
GeoJSON: one Feature per sub-area, its ``properties`` holding ``code, name_zh, name_en`` and optionally
``parent`` and ``quality``, its geometry (or ``null``) the boundary: a Polygon or MultiPolygon in WGS 84
longitude/latitude (RFC 7946, 3.1.6 and 4), validated like building footprints.

Rows are validated one by one; a file with any bad row is rejected whole (the import is all or nothing).
``quality: synthetic`` marks an invented sub-area. Whether a ``parent`` exists and whether the parents form a
cycle is checked on import against the stored registry (:mod:`carbonpeak.web.areas.services`).

References
----------
.. [1] RFC 7946, The GeoJSON Format (2016): 3.1.6 Polygon, 3.3 FeatureCollection, 4 Coordinate Reference
   System (WGS 84, longitude then latitude).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from carbonpeak.core.areas import area_code_problem
from carbonpeak.io.buildings import footprint_problem
from carbonpeak.io.tabular import ParsedRows, RowError, parse_rows

AREA_REQUIRED = ("code", "name_zh", "name_en")
AREA_OPTIONAL = ("parent", "boundary_geojson", "quality")
GEOJSON_SUFFIXES = (".geojson", ".json")
QUALITIES = ("", "measured", "estimated", "synthetic")


def _check_boundary(geometry: Any, field: str, problems: list[tuple[str, str]]) -> Any:
    if geometry is None:
        return None
    problem = footprint_problem(geometry)
    if problem:
        problems.append((field, problem))
    return geometry


def parse_area_row(row: dict[str, Any], number: int, label: str) -> dict[str, Any] | RowError:
    """Validate one sub-area (a table row, or a Feature's properties plus ``boundary``)."""
    p: list[tuple[str, str]] = []
    out: dict[str, Any] = {"row": number}
    code = str(row.get("code") or "").strip()
    problem = area_code_problem(code)
    if problem:
        p.append(("code", problem))
    out["id"] = out["code"] = code
    for key in ("name_zh", "name_en"):
        out[key] = str(row.get(key) or "").strip()
        if not out[key]:
            p.append((key, "is missing"))
        elif len(out[key]) > 200:
            p.append((key, "is longer than 200 characters"))
    parent = str(row.get("parent") or "").strip() or None
    if parent is not None:
        parent_problem = area_code_problem(parent)
        if parent_problem:
            p.append(("parent", parent_problem))
        elif parent == code:
            p.append(("parent", f"'{code}' cannot be its own parent"))
    out["parent"] = parent
    quality = str(row.get("quality") or "").strip()
    if quality not in QUALITIES:
        p.append(("quality", f"'{quality}' is not one of: {', '.join(q for q in QUALITIES if q)}"))
    out["synthetic"] = quality == "synthetic"
    out["boundary"] = None
    if "boundary" in row:
        out["boundary"] = _check_boundary(row["boundary"], "geometry", p)
    else:
        text = str(row.get("boundary_geojson") or "").strip()
        if text:
            try:
                out["boundary"] = _check_boundary(json.loads(text), "boundary_geojson", p)
            except json.JSONDecodeError:
                p.append(("boundary_geojson", "is not GeoJSON"))
    return RowError(label, number, tuple(p)) if p else out


def _read_geojson(path: Path, content: bytes) -> ParsedRows:
    result = ParsedRows(path)
    label = path.name
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        result.errors.append(RowError(label, None, (("", f"is not GeoJSON: {exc}"),)))
        return result
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        result.errors.append(RowError(label, None, (("type", "must be a GeoJSON FeatureCollection"),)))
        return result
    if "crs" in document:
        result.errors.append(
            RowError(label, None, (("crs", "RFC 7946 GeoJSON has no crs member: give WGS 84 lon/lat"),))
        )
        return result
    features = document.get("features")
    if not isinstance(features, list):
        result.errors.append(RowError(label, None, (("features", "must be a list of Features"),)))
        return result
    result.columns = ["code", "name_zh", "name_en", "parent", "boundary_geojson", "quality"]
    seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            result.errors.append(RowError(label, number, (("type", "must be a GeoJSON Feature"),)))
            continue
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            result.errors.append(RowError(label, number, (("properties", "must be an object"),)))
            continue
        unknown = sorted(set(properties) - set(AREA_REQUIRED) - {"parent", "quality"})
        if unknown:
            result.errors.append(RowError(label, number, tuple((k, "unknown property") for k in unknown)))
            continue
        parsed = parse_area_row({**properties, "boundary": feature.get("geometry")}, number, label)
        if isinstance(parsed, RowError):
            result.errors.append(parsed)
        elif parsed["id"] in seen:
            duplicate = f"duplicates feature {seen[parsed['id']]}"
            result.errors.append(RowError(label, number, (("code", duplicate),)))
        else:
            seen[parsed["id"]] = number
            result.rows.append(parsed)
    if result.errors:
        result.rows.clear()
    elif not result.rows:
        result.errors.append(RowError(label, None, (("", "has no features"),)))
    return result


def read_areas_file(path: Path, content: bytes | None = None) -> ParsedRows:
    """Read and validate a sub-area file: .csv/.xlsx (a table) or .geojson/.json (a FeatureCollection).

    Errors name the file, the row (tables: the spreadsheet row, header = 1; GeoJSON: the feature's number,
    from 1) and the field. Any error rejects the whole file.
    """
    data = content if content is not None else path.read_bytes()
    if path.suffix.lower() in GEOJSON_SUFFIXES:
        return _read_geojson(path, data)
    return parse_rows(path, data, AREA_REQUIRED, AREA_OPTIONAL, parse_area_row, "code")
