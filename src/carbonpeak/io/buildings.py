"""Building registry, meter and reading files (CSV or Excel).

Registry and meter files are validated row by row and imported whole or not at all. Reading files are
read by :mod:`carbonpeak.io.readings`.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

from carbonpeak.core.areas import area_code_problem
from carbonpeak.core.buildings.categories import CATEGORIES, ENERGY_CLASSES, is_generation
from carbonpeak.core.errors import UnitError
from carbonpeak.core.units import dimension_name
from carbonpeak.io.tabular import ParsedRows, RowError, parse_rows
from carbonpeak.specs.reference import PRIMARY_USES

BUILDING_REQUIRED = ("id", "name", "primary_use", "floor_area_m2")
BUILDING_OPTIONAL = (
    "address",
    "street",
    "lat",
    "lon",
    "footprint_geojson",
    "secondary_uses",
    "conditioned_area_m2",
    "roof_area_m2",
    "year_built",
    "owner",
    "operator",
    "public_institution",
    "occupants",
    "operating_hours",
    "last_audit_date",
    "audit_interval_years",
    "publishable",
    "quality",
    "sub_area",
)
METER_REQUIRED = ("id", "building_id", "energy_class", "unit")
METER_OPTIONAL = (
    "category",
    "kind",
    "multiplier",
    "interval_minutes",
    "register_max",
    "it_load",
    "virtual",
    "quality",
)
YEAR_BUILT_MIN, YEAR_BUILT_MAX = 1000, 2100
"""Plausible construction years [a]: a sanity bound on the registry column, not a rule of any plan."""
_TRUE = {"1", "true", "yes", "y", "是", "t"}
_FALSE = {"0", "false", "no", "n", "否", "f", ""}


Parsed = ParsedRows
"""Validated rows of a registry, meter or degree-day file (see :class:`carbonpeak.io.tabular.ParsedRows`)."""


def _number(
    raw: str, name: str, problems: list[tuple[str, str]], *, positive: bool = False, required: bool = False
) -> float | None:
    if not raw:
        if required:
            problems.append((name, "is missing"))
        return None
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        problems.append((name, f"'{raw}' is not a number"))
        return None
    if not math.isfinite(value) or (positive and value <= 0) or value < 0:
        problems.append(
            (name, f"{raw} must be a finite number, {'positive' if positive else 'zero or more'}")
        )
        return None
    return value


def _bool(raw: str, name: str, problems: list[tuple[str, str]]) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        problems.append((name, f"'{raw}' is not yes/no"))
    return False


def footprint_problem(geometry: Any) -> str | None:
    """Why a GeoJSON footprint is unusable, or ``None``: a Polygon or MultiPolygon of closed WGS84 rings.

    References
    ----------
    .. [1] RFC 7946, The GeoJSON Format, 3.1.6 (Polygon: linear rings of four or more positions, closed).
    """
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "must be a GeoJSON Polygon or MultiPolygon"
    polygons = [geometry.get("coordinates")] if geometry["type"] == "Polygon" else geometry.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        return "has no coordinates"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "a polygon has no rings"
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return "a ring needs at least four positions"
            for position in ring:
                if (
                    not isinstance(position, list)
                    or len(position) < 2
                    or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position[:2])
                ):
                    return "a position must be [longitude, latitude]"
                if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
                    return f"position {position[:2]} is outside WGS84 longitude/latitude"
            if ring[0][:2] != ring[-1][:2]:
                return "a ring must be closed (last position equal to the first)"
    return None


def parse_building_row(row: dict[str, str], number: int, label: str) -> dict[str, Any] | RowError:
    """Validate one building row."""
    p: list[tuple[str, str]] = []
    out: dict[str, Any] = {"row": number}
    for key in ("id", "name"):
        out[key] = row.get(key, "")
        if not out[key]:
            p.append((key, "is missing"))
    use = row.get("primary_use", "")
    if use not in PRIMARY_USES:
        p.append(("primary_use", f"'{use}' is not a primary use ({', '.join(PRIMARY_USES)})"))
    out["primary_use"] = use
    out["floor_area_m2"] = _number(
        row.get("floor_area_m2", ""), "floor_area_m2", p, positive=True, required=True
    )
    for key in ("conditioned_area_m2", "roof_area_m2", "occupants", "operating_hours"):
        out[key] = _number(row.get(key, ""), key, p)
    hours = out["operating_hours"]
    if hours is not None and not 24 < hours <= 8784:
        p.append(
            (
                "operating_hours",
                f"{row['operating_hours']} is not annual operating hours: give hours per year (h/a), "
                "e.g. 2500, between 25 and 8784",
            )
        )
    year = _number(row.get("year_built", ""), "year_built", p)
    if year is not None and not YEAR_BUILT_MIN <= year <= YEAR_BUILT_MAX:
        p.append(("year_built", f"{row['year_built']} is not a year"))
    out["year_built"] = int(year) if year is not None else None
    lat, lon = _number(row.get("lat", ""), "lat", p), _number(row.get("lon", ""), "lon", p)
    if lat is not None and not -90 <= lat <= 90:
        p.append(("lat", "must be between -90 and 90"))
    if lon is not None and not -180 <= lon <= 180:
        p.append(("lon", "must be between -180 and 180"))
    out["lat"], out["lon"] = lat, lon
    footprint = row.get("footprint_geojson", "")
    out["footprint"] = None
    if footprint:
        try:
            geometry = json.loads(footprint)
            problem = footprint_problem(geometry)
            if problem:
                p.append(("footprint_geojson", problem))
            out["footprint"] = geometry
        except (json.JSONDecodeError, AttributeError):
            p.append(("footprint_geojson", "is not GeoJSON"))
    secondary = []
    for part in filter(None, (s.strip() for s in row.get("secondary_uses", "").split(";"))):
        name, _, area = part.partition(":")
        if name.strip() not in PRIMARY_USES:
            p.append(("secondary_uses", f"'{name.strip()}' is not a use"))
            continue
        value = _number(area.strip(), "secondary_uses", p, positive=True, required=True)
        secondary.append({"use": name.strip(), "area_m2": value})
    out["secondary_uses"] = secondary
    for key in ("address", "street", "owner", "operator", "quality"):
        out[key] = row.get(key, "")
    out["public_institution"] = _bool(row.get("public_institution", ""), "public_institution", p)
    out["publishable"] = _bool(row.get("publishable", ""), "publishable", p)
    audit = row.get("last_audit_date", "")
    out["last_audit_date"] = None
    if audit:
        try:
            out["last_audit_date"] = date.fromisoformat(audit[:10])
        except ValueError:
            p.append(("last_audit_date", f"'{audit}' is not a date (YYYY-MM-DD)"))
    interval = _number(row.get("audit_interval_years", ""), "audit_interval_years", p, positive=True)
    out["audit_interval_years"] = int(interval) if interval is not None else None
    out["sub_area"] = row.get("sub_area", "").strip() or None
    if out["sub_area"] is not None and (problem := area_code_problem(out["sub_area"])):
        p.append(("sub_area", problem))
    return RowError(label, number, tuple(p)) if p else out


def parse_meter_row(row: dict[str, str], number: int, label: str) -> dict[str, Any] | RowError:
    """Validate one meter row."""
    p: list[tuple[str, str]] = []
    out: dict[str, Any] = {"row": number, "id": row.get("id", ""), "building_id": row.get("building_id", "")}
    for key in ("id", "building_id"):
        if not out[key]:
            p.append((key, "is missing"))
    energy_class = row.get("energy_class", "")
    if energy_class not in ENERGY_CLASSES:
        p.append(("energy_class", f"'{energy_class}' is not an energy class ({', '.join(ENERGY_CLASSES)})"))
    out["energy_class"] = energy_class
    unit = row.get("unit", "")
    out["unit"] = unit
    try:
        found = dimension_name(unit)
        if energy_class in ENERGY_CLASSES and found != ENERGY_CLASSES[energy_class][2]:
            p.append(
                (
                    "unit",
                    f"'{unit}' measures {found}, but a {energy_class} meter needs "
                    f"{ENERGY_CLASSES[energy_class][2]}",
                )
            )
    except UnitError as exc:
        p.append(("unit", str(exc)))
    category = row.get("category", "") or "total"
    if category not in CATEGORIES:
        p.append(("category", f"'{category}' is not a sub-metering category"))
    elif is_generation(category) and energy_class != "electricity":
        problem = f"a generation meter ('{category}') must meter electricity, not {energy_class}"
        p.append(("category", problem))
    out["category"] = category
    kind = row.get("kind", "") or "interval"
    if kind not in ("interval", "cumulative"):
        p.append(("kind", f"'{kind}' must be interval or cumulative"))
    out["kind"] = kind
    out["multiplier"] = _number(row.get("multiplier", ""), "multiplier", p, positive=True) or 1.0
    interval = _number(row.get("interval_minutes", ""), "interval_minutes", p, positive=True)
    out["interval_minutes"] = int(interval) if interval else 15
    out["register_max"] = _number(row.get("register_max", ""), "register_max", p, positive=True)
    out["it_load"] = _bool(row.get("it_load", ""), "it_load", p)
    terms, problem = parse_virtual(row.get("virtual", ""))
    if problem:
        p.append(("virtual", problem))
    out["virtual"] = terms
    out["quality"] = row.get("quality", "")
    return RowError(label, number, tuple(p)) if p else out


def parse_virtual(text: str) -> tuple[list[dict[str, Any]], str]:
    """Parse a virtual meter's formula, e.g. ``YP0001-MAIN - YP0001-IT`` or ``+M1 +M2 -M3``.

    Operators stand alone or lead a term (``-M3``); inside a meter code a hyphen is part of the code, so
    ``YP0001-IT`` is one meter. Returns the terms and a problem (empty when the formula is fine).
    """
    terms: list[dict[str, Any]] = []
    sign = 1
    expect_meter = True
    for word in text.split():
        if word in ("+", "-"):
            if not expect_meter and terms:
                sign = -1 if word == "-" else 1
                expect_meter = True
                continue
            return [], f"'{text}' has two operators in a row"
        if word[0] in "+-":
            sign, word = (-1 if word[0] == "-" else 1), word[1:]
        elif not expect_meter:
            return [], f"'{text}' needs an operator between meters"
        terms.append({"sign": sign, "meter": word})
        sign, expect_meter = 1, False
    if text.strip() and expect_meter:
        return [], f"'{text}' ends with an operator"
    return terms, ""


DEGREE_DAY_REQUIRED = ("station", "period", "heating_kd", "cooling_kd")
DEGREE_DAY_OPTIONAL = ("source", "quality")


def parse_degree_day_row(row: dict[str, str], number: int, label: str) -> dict[str, Any] | RowError:
    """One month of heating and cooling degree-days: ``period`` is ``YYYY-MM`` (observed) or ``normal-MM``."""
    p: list[tuple[str, str]] = []
    station = row.get("station", "")
    if not station:
        p.append(("station", "is missing"))
    period = row.get("period", "")
    kind, _, month_text = period.rpartition("-")
    if not (month_text.isdigit() and 1 <= int(month_text) <= 12) or not (
        kind == "normal" or (kind.isdigit() and len(kind) == 4 and 1900 <= int(kind) <= 2100)
    ):
        p.append(("period", f"'{period}' must be YYYY-MM (a month) or normal-MM (the normal year's month)"))
    out: dict[str, Any] = {"row": number, "station": station, "period": period}
    out["heating_kd"] = _number(row.get("heating_kd", ""), "heating_kd", p, required=True)
    out["cooling_kd"] = _number(row.get("cooling_kd", ""), "cooling_kd", p, required=True)
    out["source"] = row.get("source", "")
    out["quality"] = row.get("quality", "")
    out["id"] = f"{station}/{period}"  # one row per station and month: a repeat is a duplicate
    return RowError(label, number, tuple(p)) if p else out


def read_degree_days_file(path: Path, content: bytes | None = None) -> Parsed:
    """Read monthly degree-days (columns ``station, period, heating_kd, cooling_kd`` + ``source, quality``).

    Heating degree-days on an 18 °C base and cooling on 26 °C, as JGJ 134-2010 uses for the hot-summer,
    cold-winter zone; the file's source says where the figures come from.
    """
    return parse_rows(path, content, DEGREE_DAY_REQUIRED, DEGREE_DAY_OPTIONAL, parse_degree_day_row, "period")


def read_buildings_file(path: Path, content: bytes | None = None) -> Parsed:
    """Read and validate a building registry file (``id, name, primary_use, floor_area_m2`` + optional)."""
    return parse_rows(path, content, BUILDING_REQUIRED, BUILDING_OPTIONAL, parse_building_row)


def read_meters_file(path: Path, content: bytes | None = None) -> Parsed:
    """Read and validate a meter file (columns ``id, building_id, energy_class, unit`` + optional)."""
    return parse_rows(path, content, METER_REQUIRED, METER_OPTIONAL, parse_meter_row)
