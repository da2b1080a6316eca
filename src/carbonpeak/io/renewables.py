"""Read PV installation and EV charging site registries (CSV UTF-8 or Excel .xlsx), validated row by row.

Every problem names the file, the spreadsheet row and the field; one bad row rejects the whole file (the
rows come back empty), so an import stores all rows or none.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

from carbonpeak.io.tabular import ParsedRows, RowError, parse_rows

PV_KINDS = ("rooftop", "bipv", "facade", "carport")
SITE_KINDS = ("office", "public_facility", "parking_lot", "residential", "taxi_station", "other")
ACCESS = ("public", "dedicated")

PV_REQUIRED = ("id", "capacity_kwp", "kind", "commissioned")
PV_OPTIONAL = ("building_id", "storage_kwh", "owner", "quality")
CHARGER_REQUIRED = ("id", "name", "site_kind", "access", "commissioned")
CHARGER_OPTIONAL = (
    "building_id",
    "parking_lot",
    "parking_spaces",
    "fast_count",
    "slow_count",
    "fast_kw",
    "slow_kw",
    "ready_spaces",
    "quality",
)
_TRUE_SYNTHETIC = "synthetic"


RegistryFile = ParsedRows
"""Validated rows of a PV or charging registry file."""


def _number(raw: str, name: str, problems: list[tuple[str, str]], *, required: bool = False) -> float | None:
    if not raw:
        if required:
            problems.append((name, "is missing"))
        return None
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        problems.append((name, f"'{raw}' is not a number"))
        return None
    if not math.isfinite(value) or value < 0:
        problems.append((name, f"{raw} must be a finite number, zero or more"))
        return None
    return value


def _count_or_none(raw: str, name: str, problems: list[tuple[str, str]]) -> int | None:
    """A whole number, or ``None`` for an empty cell (not recorded)."""
    value = _number(raw, name, problems)
    if value is None:
        return None
    if not value.is_integer():
        problems.append((name, f"{raw} must be a whole number"))
        return None
    return int(value)


def _count(raw: str, name: str, problems: list[tuple[str, str]]) -> int:
    return _count_or_none(raw, name, problems) or 0


def _date(raw: str, name: str, problems: list[tuple[str, str]]) -> date | None:
    text = raw.split(" ")[0]
    if not text:
        problems.append((name, "is missing"))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append((name, f"'{raw}' is not a date (YYYY-MM-DD)"))
        return None


def _choice(raw: str, name: str, choices: tuple[str, ...], problems: list[tuple[str, str]]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        problems.append((name, f"'{raw}' must be one of: {', '.join(choices)}"))
    return value


def parse_pv_row(row: dict[str, str], number: int, label: str) -> dict[str, Any] | RowError:
    """One PV installation: ``id, capacity_kwp [kWp], kind, commissioned`` + ``building_id, storage_kwh
    [kWh], owner, quality``."""
    p: list[tuple[str, str]] = []
    code = row.get("id", "")
    if not code:
        p.append(("id", "is missing"))
    capacity = _number(row.get("capacity_kwp", ""), "capacity_kwp", p, required=True)
    if capacity == 0:
        p.append(("capacity_kwp", "must be positive"))
    out: dict[str, Any] = {
        "row": number,
        "id": code,
        "building_id": row.get("building_id", ""),
        "capacity_kwp": capacity,
        "kind": _choice(row.get("kind", ""), "kind", PV_KINDS, p),
        "commissioned": _date(row.get("commissioned", ""), "commissioned", p),
        "storage_kwh": _number(row.get("storage_kwh", ""), "storage_kwh", p) or 0.0,
        "owner": row.get("owner", ""),
        "synthetic": row.get("quality", "").lower() == _TRUE_SYNTHETIC,
    }
    return RowError(label, number, tuple(p)) if p else out


def parse_charging_row(row: dict[str, str], number: int, label: str) -> dict[str, Any] | RowError:
    """One charging site: ``id, name, site_kind, access, commissioned`` + ``building_id`` or
    ``parking_lot``, ``parking_spaces, fast_count, slow_count, fast_kw [kW], slow_kw [kW], ready_spaces,
    quality``.

    ``ready_spaces``: parking spaces *without* a charger whose conduits and power capacity are reserved for
    one (预留充电设施建设安装条件); empty when not recorded. Ready spaces and chargers together cannot exceed
    the parking spaces."""
    p: list[tuple[str, str]] = []
    code = row.get("id", "")
    if not code:
        p.append(("id", "is missing"))
    name = row.get("name", "")
    if not name:
        p.append(("name", "is missing"))
    out: dict[str, Any] = {
        "row": number,
        "id": code,
        "name": name,
        "building_id": row.get("building_id", ""),
        "parking_lot": row.get("parking_lot", ""),
        "site_kind": _choice(row.get("site_kind", ""), "site_kind", SITE_KINDS, p),
        "access": _choice(row.get("access", ""), "access", ACCESS, p),
        "parking_spaces": _count(row.get("parking_spaces", ""), "parking_spaces", p),
        "fast_count": _count(row.get("fast_count", ""), "fast_count", p),
        "slow_count": _count(row.get("slow_count", ""), "slow_count", p),
        "fast_kw": _number(row.get("fast_kw", ""), "fast_kw", p),
        "slow_kw": _number(row.get("slow_kw", ""), "slow_kw", p),
        "ready_spaces": _count_or_none(row.get("ready_spaces", ""), "ready_spaces", p),
        "commissioned": _date(row.get("commissioned", ""), "commissioned", p),
        "synthetic": row.get("quality", "").lower() == _TRUE_SYNTHETIC,
    }
    if out["site_kind"] == "parking_lot" and not (out["building_id"] or out["parking_lot"]):
        p.append(("parking_lot", "a parking-lot site needs building_id or parking_lot"))
    if out["fast_count"] and not out["fast_kw"]:
        p.append(("fast_kw", "is missing (the power of each fast charger, kW)"))
    if out["slow_count"] and not out["slow_kw"]:
        p.append(("slow_kw", "is missing (the power of each slow charger, kW)"))
    if out["ready_spaces"] is not None:
        equipped = out["fast_count"] + out["slow_count"]
        if not out["parking_spaces"]:
            p.append(("parking_spaces", "is missing (needed with ready_spaces)"))
        elif out["ready_spaces"] + equipped > out["parking_spaces"]:
            p.append(
                (
                    "ready_spaces",
                    f"{out['ready_spaces']} ready spaces and {equipped} chargers exceed the "
                    f"{out['parking_spaces']} parking spaces",
                )
            )
    return RowError(label, number, tuple(p)) if p else out


def read_pv_file(path: Path, content: bytes | None = None) -> RegistryFile:
    """Read and validate a PV installation registry file (see :func:`parse_pv_row` for the columns)."""
    return parse_rows(path, content, PV_REQUIRED, PV_OPTIONAL, parse_pv_row)


def read_charging_file(path: Path, content: bytes | None = None) -> RegistryFile:
    """Read and validate a charging site registry file (see :func:`parse_charging_row`)."""
    return parse_rows(path, content, CHARGER_REQUIRED, CHARGER_OPTIONAL, parse_charging_row)
