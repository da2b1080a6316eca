"""Building files for the PV potential command (CSV or Excel), validated row by row."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from carbonpeak.core.pv.potential import DEFAULT_ROOF_TYPE, ROOF_TYPES, USABLE_ROOF_SHARE
from carbonpeak.io.tabular import RowError, check_header, read_tables, table_rows

PV_REQUIRED = ("id", "roof_area_m2", "primary_use", "lat", "lon")
PV_OPTIONAL = ("tilt_deg", "azimuth_deg", "roof_type")


@dataclass(frozen=True, slots=True)
class PvBuilding:
    """One validated row: roof area [m²], site [°], orientation [°] (``None`` = the roof type's default)."""

    row: int
    id: str
    roof_area_m2: float
    primary_use: str
    lat: float
    lon: float
    roof_type: str
    tilt_deg: float | None
    azimuth_deg: float | None


@dataclass
class PvBuildings:
    """Validated buildings or the errors that reject the file."""

    path: Path
    rows: list[PvBuilding] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _float(
    row: dict[str, str],
    name: str,
    low: float,
    high: float,
    problems: list[tuple[str, str]],
    *,
    high_open: bool = False,
) -> float | None:
    raw = row.get(name, "")
    if not raw:
        return None
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        problems.append((name, f"'{raw}' is not a number"))
        return None
    inside = low <= value < high if high_open else low <= value <= high
    if not math.isfinite(value) or not inside:
        problems.append(
            (name, f"{raw} must be between {low:g} and {high:g}{' (exclusive)' if high_open else ''}")
        )
        return None
    return value


def parse_pv_row(row: dict[str, str], number: int, label: str) -> PvBuilding | RowError:
    """Validate one row of a PV building file."""
    p: list[tuple[str, str]] = []
    for name in PV_REQUIRED:
        if not row.get(name, ""):
            p.append((name, "is missing"))
    use = row.get("primary_use", "")
    if use and use not in USABLE_ROOF_SHARE:
        p.append(("primary_use", f"'{use}' is not a primary use ({', '.join(USABLE_ROOF_SHARE)})"))
    roof = row.get("roof_type", "") or DEFAULT_ROOF_TYPE
    if roof not in ROOF_TYPES:
        p.append(("roof_type", f"'{roof}' is not a roof type ({', '.join(ROOF_TYPES)})"))
    area = _float(row, "roof_area_m2", 0.0, math.inf, p)
    lat = _float(row, "lat", -90.0, 90.0, p)
    lon = _float(row, "lon", -180.0, 180.0, p)
    tilt = _float(row, "tilt_deg", 0.0, 90.0, p)
    azimuth = _float(row, "azimuth_deg", 0.0, 360.0, p, high_open=True)
    if p or area is None or lat is None or lon is None:
        return RowError(label, number, tuple(p))
    return PvBuilding(number, row["id"], area, use, lat, lon, roof, tilt, azimuth)


def read_pv_buildings(path: Path) -> PvBuildings:
    """Read and validate a PV building file: columns ``id, roof_area_m2, primary_use, lat, lon`` plus
    optional ``tilt_deg, azimuth_deg, roof_type``; every bad row is reported, ids must be unique."""
    result = PvBuildings(path)
    if not path.is_file():
        result.errors.append(RowError(path.name, None, (("", "file not found"),)))
        return result
    tables, error = read_tables(path)
    if error:
        result.errors.append(error)
        return result
    table = next(iter(tables.values()), [])
    header, rows = table_rows(table)
    header_error = check_header(header, PV_REQUIRED, PV_OPTIONAL, path.name)
    if header_error:
        result.errors.append(header_error)
        return result
    if not rows:
        result.errors.append(RowError(path.name, None, (("", "has no buildings"),)))
        return result
    seen: dict[str, int] = {}
    for number, row in rows:
        parsed = parse_pv_row(row, number, path.name)
        if isinstance(parsed, RowError):
            result.errors.append(parsed)
            continue
        if parsed.id in seen:
            result.errors.append(
                RowError(path.name, number, (("id", f"'{parsed.id}' repeats row {seen[parsed.id]}"),))
            )
            continue
        seen[parsed.id] = number
        result.rows.append(parsed)
    return result
