"""Read the new-building project registry (CSV UTF-8 or Excel .xlsx), validated row by row.

Every problem names the file, the spreadsheet row and the field; one bad row rejects the whole file.
"""

from __future__ import annotations

import itertools
import math
from datetime import date
from pathlib import Path
from typing import Any

from carbonpeak.io.tabular import ParsedRows, RowError, parse_rows
from carbonpeak.specs.reference import PRIMARY_USES

GREEN_RATINGS = ("none", "basic", "one_star", "two_star", "three_star")
"""Green-building ratings (GB/T 50378-2019: 基本级, 一星级, 二星级, 三星级), lowest first."""
GREEN_RATING_ALIASES = {
    "": "none",
    "无": "none",
    "基本级": "basic",
    "★": "one_star",
    "一星": "one_star",
    "一星级": "one_star",
    "★★": "two_star",
    "二星": "two_star",
    "二星级": "two_star",
    "★★★": "three_star",
    "三星": "three_star",
    "三星级": "three_star",
}
CERTIFICATE_KINDS = ("", "design", "operation")
ENERGY_STANDARDS = ("none", "ultra_low", "near_zero", "zero_carbon")
"""Energy standards a project is built to, weakest first (超低能耗, 近零能耗, 零碳)."""
RENEWABLE_SOURCES = ("pv", "solar_thermal", "ground_source", "air_source", "hydrogen", "waste_heat")

REQUIRED = ("id", "name", "use", "floor_area_m2")
OPTIONAL = (
    "sub_area",
    "sub_area_name",
    "building_id",
    "large_public",
    "land_grant_date",
    "permit_date",
    "completion_date",
    "green_rating",
    "certificate_kind",
    "certificate_date",
    "certificate_evidence",
    "energy_standard",
    "prefab_rate_pct",
    "prefab_method",
    "fully_fitted",
    "renewables",
    "bim_file",
    "quality",
)
_TRUE = {"1", "true", "yes", "y", "是"}
_FALSE = {"", "0", "false", "no", "n", "否"}


def _date(raw: str, name: str, p: list[tuple[str, str]]) -> date | None:
    text = raw.split(" ")[0]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        p.append((name, f"'{raw}' is not a date (YYYY-MM-DD)"))
        return None


def _bool(raw: str, name: str, p: list[tuple[str, str]]) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        p.append((name, f"'{raw}' must be yes or no"))
    return False


def _number(raw: str, name: str, p: list[tuple[str, str]], *, upper: float | None = None) -> float | None:
    text = raw.replace(",", "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        p.append((name, f"'{raw}' is not a number"))
        return None
    if not math.isfinite(value) or value < 0 or (upper is not None and value > upper):
        limit = f" and at most {upper:g}" if upper is not None else ""
        p.append((name, f"{raw} must be a finite number, zero or more{limit}"))
        return None
    return value


def _choice(raw: str, name: str, choices: tuple[str, ...], p: list[tuple[str, str]]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        p.append((name, f"'{raw}' must be one of: {', '.join(c for c in choices if c)}"))
    return value


def parse_project_row(row: dict[str, str], number: int, label: str) -> dict[str, Any] | RowError:
    """One project (see :data:`REQUIRED` and :data:`OPTIONAL`); ``renewables`` is a ``;``-separated list."""
    p: list[tuple[str, str]] = []
    code, name = row.get("id", ""), row.get("name", "")
    if not code:
        p.append(("id", "is missing"))
    if not name:
        p.append(("name", "is missing"))
    area = _number(row.get("floor_area_m2", ""), "floor_area_m2", p)
    if area is None and not any(f == "floor_area_m2" for f, _ in p):
        p.append(("floor_area_m2", "is missing"))
    elif area == 0:
        p.append(("floor_area_m2", "must be positive"))
    rating_raw = row.get("green_rating", "").strip()
    rating = GREEN_RATING_ALIASES.get(rating_raw, rating_raw.lower())
    if rating not in GREEN_RATINGS:
        p.append(
            ("green_rating", f"'{rating_raw}' must be one of: {', '.join(GREEN_RATINGS)} (or 基本级, ★…★★★)")
        )
    sources = [
        s.strip().lower() for s in row.get("renewables", "").replace("；", ";").split(";") if s.strip()
    ]
    for source in sources:
        if source not in RENEWABLE_SOURCES:
            p.append(("renewables", f"'{source}' must be one of: {', '.join(RENEWABLE_SOURCES)}"))
    out: dict[str, Any] = {
        "row": number,
        "id": code,
        "name": name,
        "sub_area": row.get("sub_area", "").strip(),
        "sub_area_name": row.get("sub_area_name", "").strip(),
        "use": _choice(row.get("use", ""), "use", PRIMARY_USES, p),
        "floor_area_m2": area,
        "building_id": row.get("building_id", "").strip(),
        "large_public": _bool(row.get("large_public", ""), "large_public", p),
        "land_grant_date": _date(row.get("land_grant_date", ""), "land_grant_date", p),
        "permit_date": _date(row.get("permit_date", ""), "permit_date", p),
        "completion_date": _date(row.get("completion_date", ""), "completion_date", p),
        "green_rating": rating,
        "certificate_kind": _choice(
            row.get("certificate_kind", ""), "certificate_kind", CERTIFICATE_KINDS, p
        ),
        "certificate_date": _date(row.get("certificate_date", ""), "certificate_date", p),
        "certificate_evidence": row.get("certificate_evidence", "").strip(),
        "energy_standard": _choice(
            row.get("energy_standard", "") or "none", "energy_standard", ENERGY_STANDARDS, p
        ),
        "prefab_rate_pct": _number(row.get("prefab_rate_pct", ""), "prefab_rate_pct", p, upper=100),
        "prefab_method": row.get("prefab_method", "").strip(),
        "fully_fitted": _bool(row.get("fully_fitted", ""), "fully_fitted", p),
        "renewables": sorted({s for s in sources if s in RENEWABLE_SOURCES}, key=RENEWABLE_SOURCES.index),
        "bim_file": row.get("bim_file", "").strip(),
        "synthetic": row.get("quality", "").strip().lower() == "synthetic",
    }
    if out["green_rating"] != "none" and out["green_rating"] in GREEN_RATINGS and not out["certificate_kind"]:
        p.append(("certificate_kind", "a rating needs its certificate kind (design or operation)"))
    if out["large_public"] and out["use"] in ("residential", "industrial"):
        p.append(("large_public", f"a {out['use']} building is not a public building"))
    dates = [(n, out[n]) for n in ("land_grant_date", "permit_date", "completion_date") if out[n]]
    for (first, a), (second, b) in itertools.pairwise(dates):
        if b < a:
            p.append((second, f"{b} is before {first} {a}"))
    return RowError(label, number, tuple(p)) if p else out


def read_projects_file(path: Path, content: bytes | None = None) -> ParsedRows:
    """Read and validate a new-building project registry file; all rows or none."""
    return parse_rows(path, content, REQUIRED, OPTIONAL, parse_project_row)
