"""Read household waste statistics (CSV UTF-8 or Excel .xlsx); the layout is recognised by the header.

=============== =========================================================================================
layout          columns (optional in brackets)
=============== =========================================================================================
``quantities``  ``street, period, stream, collected_t, utilised_t, incinerated_t, landfilled_t``
                [``quality``]; stream one of ``recyclable, wet, dry, hazardous``
``inspections`` ``street, period, kind, assessed, compliant`` [``quality``]; kind ``residential`` or ``unit``
``population``  ``street, year, population`` [``quality``]; an empty street is the whole district
=============== =========================================================================================

A period is a year (``2024``), a quarter (``2024Q3``) or a month (``2024-07``). Every problem names the
file, the spreadsheet row and the field; one bad row rejects the whole file (the rows come back empty),
so an import stores all rows or none. Negative and non-finite numbers are refused. Data-quality findings
that are not errors (utilised above collected, a missing stream) are flags of the computed rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from carbonpeak.core.waste.model import (
    INSPECTION_KINDS,
    STREAMS,
    InspectionKind,
    InspectionRecord,
    PopulationRecord,
    Stream,
    StreamRecord,
    WasteInputError,
    parse_period,
)
from carbonpeak.io.tabular import RowError, check_header, read_tables, table_rows

Layout = Literal["quantities", "inspections", "population"]

LAYOUTS: dict[str, tuple[str, ...]] = {
    "quantities": (
        "street",
        "period",
        "stream",
        "collected_t",
        "utilised_t",
        "incinerated_t",
        "landfilled_t",
    ),
    "inspections": ("street", "period", "kind", "assessed", "compliant"),
    "population": ("street", "year", "population"),
}
"""Required columns of each layout."""
OPTIONAL = ("quality",)
SYNTHETIC = "synthetic"

Problems = list[tuple[str, str]]


@dataclass
class WasteFile:
    """The validated records of one waste statistics file, or the errors that reject it."""

    path: Path
    layout: Layout | None = None
    streams: list[StreamRecord] = field(default_factory=list)
    inspections: list[InspectionRecord] = field(default_factory=list)
    population: list[PopulationRecord] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    """Spreadsheet row number of each record, in order."""
    synthetic: bool = False
    """Whether any row is tagged ``quality=synthetic``."""
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file can be imported."""
        return not self.errors and bool(self.rows)

    def clear(self) -> None:
        """Drop every record (the file is rejected whole)."""
        self.streams.clear()
        self.inspections.clear()
        self.population.clear()
        self.rows.clear()


def detect_layout(header: list[str]) -> Layout | None:
    """The layout whose required columns are all in ``header`` (``None`` when none fits)."""
    present = set(header)
    for name, columns in LAYOUTS.items():
        if set(columns) <= present:
            return name  # type: ignore[return-value]
    return None


def _number(raw: str, name: str, p: Problems) -> float | None:
    if not raw:
        p.append((name, "is missing"))
        return None
    try:
        value = float(raw.replace(",", ""))
    except ValueError:
        p.append((name, f"'{raw}' is not a number"))
        return None
    if not math.isfinite(value) or value < 0:
        p.append((name, f"{raw} must be a finite number, zero or more"))
        return None
    return value


def _count(raw: str, name: str, p: Problems) -> int | None:
    value = _number(raw, name, p)
    if value is not None and not value.is_integer():
        p.append((name, f"{raw} must be a whole number"))
        return None
    return None if value is None else int(value)


def _period(raw: str, p: Problems) -> str | None:
    if not raw:
        p.append(("period", "is missing"))
        return None
    try:
        return parse_period(raw).code
    except WasteInputError as exc:
        p.append(("period", str(exc)))
        return None


def _street(row: dict[str, str], p: Problems, *, required: bool = True) -> str:
    street = row.get("street", "").strip()
    if required and not street:
        p.append(("street", "is missing"))
    return street


def _quantities(row: dict[str, str], p: Problems) -> tuple[tuple[str, ...], StreamRecord | None]:
    street, period = _street(row, p), _period(row.get("period", ""), p)
    raw_stream = row.get("stream", "").strip().lower()
    if raw_stream not in {str(s) for s in STREAMS}:
        p.append(("stream", f"'{row.get('stream', '')}' must be one of: {', '.join(STREAMS)}"))
    values = [
        _number(row.get(c, ""), c, p) for c in ("collected_t", "utilised_t", "incinerated_t", "landfilled_t")
    ]
    if p or period is None or any(v is None for v in values):
        return (), None
    collected, utilised, incinerated, landfilled = (float(v) for v in values if v is not None)
    record = StreamRecord(street, period, Stream(raw_stream), collected, utilised, incinerated, landfilled)
    return (street, period, raw_stream), record


def _inspections(row: dict[str, str], p: Problems) -> tuple[tuple[str, ...], InspectionRecord | None]:
    street, period = _street(row, p), _period(row.get("period", ""), p)
    raw_kind = row.get("kind", "").strip().lower()
    if raw_kind not in {str(k) for k in INSPECTION_KINDS}:
        p.append(("kind", f"'{row.get('kind', '')}' must be one of: {', '.join(INSPECTION_KINDS)}"))
    assessed = _count(row.get("assessed", ""), "assessed", p)
    compliant = _count(row.get("compliant", ""), "compliant", p)
    if assessed is not None and compliant is not None and compliant > assessed:
        p.append(("compliant", f"{compliant} compliant exceed the {assessed} assessed"))
    if p or period is None or assessed is None or compliant is None:
        return (), None
    return (street, period, raw_kind), InspectionRecord(
        street, period, InspectionKind(raw_kind), assessed, compliant
    )


def _population(row: dict[str, str], p: Problems) -> tuple[tuple[str, ...], PopulationRecord | None]:
    street = _street(row, p, required=False)
    year = _count(row.get("year", ""), "year", p)
    if year is not None and not 1900 <= year <= 2199:
        p.append(("year", f"{year} is not a plausible year"))
    population = _number(row.get("population", ""), "population", p)
    if population == 0:
        p.append(("population", "must be positive"))
    if p or year is None or population is None:
        return (), None
    return (street, str(year)), PopulationRecord(street, year, population)


_KEY_NAMES = {"quantities": "stream", "inspections": "kind", "population": "year"}


def read_waste_file(path: Path, content: bytes | None = None) -> WasteFile:
    """Read and validate a waste statistics file of any layout (see the module docstring).

    Parameters
    ----------
    path : Path
        The file (its name labels the errors; its suffix picks CSV or Excel).
    content : bytes, optional
        The file's bytes (an upload); read from ``path`` when omitted.

    Returns
    -------
    WasteFile
        The records of the recognised layout, or every error (file, row, field). A repeated key (street,
        period and stream or kind; street and year) is an error naming the first row.
    """
    result = WasteFile(path)
    tables, problem = read_tables(path, content)
    if problem is not None:
        result.errors.append(problem)
        return result
    header, rows = table_rows(next(iter(tables.values()), []))
    layout = detect_layout(header)
    if layout is None:
        expected = " | ".join(", ".join(c) for c in LAYOUTS.values())
        result.errors.append(
            RowError(path.name, 1, (("", f"the header fits no waste layout; expected one of: {expected}"),))
        )
        return result
    result.layout = layout
    header_error = check_header(header, LAYOUTS[layout], OPTIONAL, path.name)
    if header_error is not None:
        result.errors.append(header_error)
        return result
    parse = {"quantities": _quantities, "inspections": _inspections, "population": _population}[layout]
    seen: dict[tuple[str, ...], int] = {}
    for number, row in rows:
        problems: Problems = []
        key, record = parse(row, problems)
        if record is None:
            result.errors.append(RowError(path.name, number, tuple(problems)))
            continue
        if key in seen:
            result.errors.append(
                RowError(path.name, number, ((_KEY_NAMES[layout], f"duplicates row {seen[key]}"),))
            )
            continue
        seen[key] = number
        result.rows.append(number)
        result.synthetic = result.synthetic or row.get("quality", "").strip().lower() == SYNTHETIC
        if isinstance(record, StreamRecord):
            result.streams.append(record)
        elif isinstance(record, InspectionRecord):
            result.inspections.append(record)
        else:
            result.population.append(record)
    if result.errors:
        result.clear()
    elif not result.rows:
        result.errors.append(RowError(path.name, None, (("", "has no data rows"),)))
    return result
