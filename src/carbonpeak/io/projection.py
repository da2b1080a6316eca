"""Read and write projection driver files (CSV or .xlsx): ``driver, year, value, unit, source, evidence``.

One row is one driver's value in one year. Every bad row is named with its file, row and field; a file with
any bad row yields no rows at all (all or nothing).

Columns
-------
driver : str
    A known driver name (:data:`carbonpeak.core.projection.DRIVERS`), e.g. ``floor_area_public_m2``.
year : int [a]
value : float [driver unit]
    Positive and finite.
unit : str
    The driver's unit (:data:`DRIVER_UNITS`; the listed aliases are accepted, e.g. ``万元``).
source : str
    Where the number comes from (a yearbook, a registry, ``synthetic``...).
evidence : str
    ``V``, ``S`` or ``R`` (FACTS.md tags), ``assumption`` or ``synthetic``. ``X`` (not found) is refused:
    leave the row out instead, and the model holds the driver as a constant index.
note : str, optional
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carbonpeak.core.projection import DRIVERS
from carbonpeak.io.tabular import RowError, check_header, read_tables, table_rows

REQUIRED = ("driver", "year", "value", "unit", "source", "evidence")
OPTIONAL = ("note",)
EVIDENCE = ("V", "S", "R", "assumption", "synthetic")
"""Accepted evidence tags of a driver value."""

DRIVER_UNITS: dict[str, tuple[str, ...]] = {
    "gdp_primary_10k_yuan": ("10^4 yuan", "万元"),
    "gdp_secondary_10k_yuan": ("10^4 yuan", "万元"),
    "gdp_tertiary_10k_yuan": ("10^4 yuan", "万元"),
    "population": ("persons", "人"),
    "floor_area_public_m2": ("m2", "m²"),
    "floor_area_residential_m2": ("m2", "m²"),
    "vehicle_stock": ("vehicles", "辆"),
    "vehicle_km": ("vehicle-km/a", "车公里/年"),
    "data_centre_it_mwh": ("MWh/a", "MWh"),
    "waste_t": ("t/a", "t"),
    "green_space_ha": ("ha", "公顷"),
}
"""The unit of each driver (first entry, as written by :func:`write_drivers_csv`) and accepted aliases."""

MAX_YEAR_SPAN = (1949, 2100)


@dataclass(frozen=True, slots=True)
class DriverRow:
    """One driver value [driver unit] with its source and evidence, and its row in the file."""

    driver: str
    year: int
    value: float
    unit: str
    source: str
    evidence: str
    note: str = ""
    row: int = 0


@dataclass
class DriversRead:
    """The rows of a driver file, or every bad row (then ``rows`` is empty)."""

    file: str
    rows: list[DriverRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file was read without errors."""
        return not self.errors

    def series(self) -> dict[str, dict[int, float]]:
        """``driver -> {year: value}`` as :func:`carbonpeak.core.projection.calibrate` takes it."""
        out: dict[str, dict[int, float]] = {}
        for r in self.rows:
            out.setdefault(r.driver, {})[r.year] = r.value
        return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}


def parse_driver_row(values: Mapping[str, str], row: int, label: str) -> DriverRow | RowError:
    """Validate one row (column -> text); return the row or a :class:`RowError` naming each bad field."""
    problems: list[tuple[str, str]] = []
    driver = values.get("driver", "").strip()
    if driver not in DRIVERS:
        problems.append(("driver", f"'{driver}' is not a known driver; known: {', '.join(DRIVERS)}"))
    year = 0
    try:
        year = int(values.get("year", "").strip())
        if not MAX_YEAR_SPAN[0] <= year <= MAX_YEAR_SPAN[1]:
            problems.append(("year", f"{year} is outside {MAX_YEAR_SPAN[0]}-{MAX_YEAR_SPAN[1]}"))
    except ValueError:
        problems.append(("year", f"'{values.get('year', '')}' is not a whole year"))
    value = math.nan
    raw = values.get("value", "").strip()
    try:
        value = float(raw)
    except ValueError:
        problems.append(("value", f"'{raw}' is not a number"))
    else:
        if not math.isfinite(value) or value <= 0:
            problems.append(("value", f"{raw} must be a positive number"))
    unit = values.get("unit", "").strip()
    if driver in DRIVER_UNITS and unit not in DRIVER_UNITS[driver]:
        allowed = " or ".join(f"'{u}'" for u in DRIVER_UNITS[driver])
        problems.append(("unit", f"'{unit}' is not the unit of {driver}: use {allowed}"))
    source = values.get("source", "").strip()
    if not source:
        problems.append(("source", "is empty: every number needs its source"))
    evidence = values.get("evidence", "").strip()
    if evidence == "X":
        problems.append(("evidence", "X (not found) has no value: leave the row out"))
    elif evidence not in EVIDENCE:
        problems.append(("evidence", f"'{evidence}' is not one of {', '.join(EVIDENCE)}"))
    if problems:
        return RowError(label, row, tuple(problems))
    return DriverRow(
        driver, year, value, DRIVER_UNITS[driver][0], source, evidence, values.get("note", "").strip(), row
    )


def read_drivers_file(path: Path, content: bytes | None = None) -> DriversRead:
    """Read a driver file (.csv UTF-8 or the first sheet of an .xlsx); all rows or, on any error, none.

    Parameters
    ----------
    path : Path
        The file (its name labels the errors; with ``content`` it is not opened).
    content : bytes, optional
        The file's bytes (an upload).

    Returns
    -------
    DriversRead
        Rows, or errors naming file, row and field (a driver given twice for one year is an error on the
        second row).
    """
    label = path.name
    tables, problem = read_tables(path, content)
    if problem is not None:
        return DriversRead(label, errors=[problem])
    table = next(iter(tables.values()), [])
    if not table:
        return DriversRead(label, errors=[RowError(label, None, (("", "the file is empty"),))])
    header, rows = table_rows(table)
    bad_header = check_header(header, REQUIRED, OPTIONAL, label)
    if bad_header is not None:
        return DriversRead(label, errors=[bad_header])
    if not rows:
        return DriversRead(label, errors=[RowError(label, None, (("", "the file has no data rows"),))])
    out: list[DriverRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, int], int] = {}
    for number, values in rows:
        parsed = parse_driver_row(values, number, label)
        if isinstance(parsed, RowError):
            errors.append(parsed)
            continue
        key = (parsed.driver, parsed.year)
        if key in seen:
            errors.append(
                RowError(
                    label, number, (("year", f"{parsed.driver} {parsed.year} is also in row {seen[key]}"),)
                )
            )
            continue
        seen[key] = number
        out.append(parsed)
    if errors:
        return DriversRead(label, errors=errors)
    return DriversRead(label, rows=out)


def write_drivers_csv(rows: Iterable[Mapping[str, object]]) -> bytes:
    """Write driver rows (column -> value, the columns of :data:`REQUIRED` and ``note``) as CSV UTF-8."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*REQUIRED, *OPTIONAL], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in (*REQUIRED, *OPTIONAL)})
    return buffer.getvalue().encode("utf-8")


def read_scenario_file(path: Path, content: bytes | None = None) -> tuple[dict[str, Any] | None, str | None]:
    """Read a scenario document (JSON, the form of ``Scenario.to_dict()``): the document, or an error.

    The error names the file and the line and column of a JSON syntax error, or says what the top level
    should be. The document's keys are checked by ``Scenario.from_dict`` when it is stored.
    """
    label = path.name
    if path.suffix.lower() != ".json":
        return None, f"{label}: only .json scenario files are accepted"
    data = content if content is not None else path.read_bytes()
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return None, f"{label}: is not UTF-8 text ({exc.reason} at byte {exc.start})"
    except json.JSONDecodeError as exc:
        return None, f"{label}: line {exc.lineno} column {exc.colno}: {exc.msg}"
    if not isinstance(document, dict):
        return None, f"{label}: the top level must be an object with the scenario's keys"
    return document, None
