"""Readers of the M&V files: meter data, hourly temperatures and the retrofit-project registry.

- Meter data: CSV ``timestamp,value``, one row per interval (daily or hourly), the value being the
  consumption of the interval that **starts** at the timestamp.
- Temperature: CSV ``timestamp,temperature_c``, hourly, in °C.
- Timestamps are ISO 8601 with an offset (``2023-01-01T00:00:00+08:00``); a timestamp without one is an
  error, not a guess.

Every problem names the file, the row and the field; a file with any bad row is refused whole.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.mv.measures import CONTRACT_TYPES, MEASURES
from carbonpeak.io.tabular import ParsedRows, RowError, parse_rows

METER_COLUMNS = ("timestamp", "value")
TEMPERATURE_COLUMNS = ("timestamp", "temperature_c")
PLAUSIBLE_TEMPERATURE_C = (-60.0, 60.0)
MAX_ERRORS = 20


class MvFileError(CarbonpeakError, ValueError):
    """An M&V file cannot be used; ``errors`` holds each problem (file, row, field)."""

    def __init__(self, errors: list[RowError]) -> None:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{errors[0]}{more}")
        self.errors = errors


def _timestamp(text: str) -> datetime:
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("has no UTC offset (write e.g. 2023-01-01T00:00:00+08:00)")
    return moment


def _read_series(
    path: Path,
    content: bytes | None,
    columns: tuple[str, str],
    plausible: tuple[float, float] | None,
    allow_negative: bool,
) -> pd.Series:
    label = path.name
    try:
        data = content if content is not None else path.read_bytes()
    except OSError as exc:
        raise MvFileError([RowError(label, None, (("", f"cannot be read: {exc.strerror}"),))]) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MvFileError(
            [RowError(label, None, (("", "is not UTF-8 text; save it as CSV UTF-8"),))]
        ) from exc
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in columns if c not in header]
    if missing:
        header_problems = tuple((c, "required column is missing") for c in missing)
        raise MvFileError([RowError(label, 1, header_problems)])
    t_col, v_col = header.index(columns[0]), header.index(columns[1])
    errors: list[RowError] = []
    stamps: list[datetime] = []
    values: list[float] = []
    seen: dict[datetime, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        problems: list[tuple[str, str]] = []
        raw_t = cells[t_col].strip() if t_col < len(cells) else ""
        raw_v = cells[v_col].strip() if v_col < len(cells) else ""
        moment: datetime | None = None
        try:
            moment = _timestamp(raw_t)
        except ValueError as exc:
            reason = str(exc) if "offset" in str(exc) else "is not an ISO 8601 timestamp"
            problems.append((columns[0], f"'{raw_t}' {reason}"))
        try:
            value = float(raw_v)
            if not math.isfinite(value):
                raise ValueError
            if plausible is not None and not plausible[0] <= value <= plausible[1]:
                problems.append(
                    (
                        columns[1],
                        f"{raw_v} is outside the plausible range {plausible[0]:g} to {plausible[1]:g}",
                    )
                )
            elif not allow_negative and value < 0:
                problems.append((columns[1], f"{raw_v} is negative"))
        except ValueError:
            problems.append((columns[1], f"'{raw_v}' is not a finite number"))
            value = math.nan
        if moment is not None and not problems:
            if moment in seen:
                problems.append((columns[0], f"{raw_t} repeats row {seen[moment]}"))
            else:
                seen[moment] = number
        if problems:
            errors.append(RowError(label, number, tuple(problems)))
            if len(errors) >= MAX_ERRORS:
                break
            continue
        assert moment is not None
        stamps.append(moment)
        values.append(value)
    if errors:
        raise MvFileError(errors)
    if not values:
        raise MvFileError([RowError(label, None, (("", "has no data rows"),))])
    index = pd.DatetimeIndex(pd.to_datetime(stamps, utc=True))
    first = stamps[0].utcoffset()
    if all(s.utcoffset() == first for s in stamps[:1000]):
        index = index.tz_convert(stamps[0].tzinfo)  # keep the file's own offset (its calendar days)
    return pd.Series(values, index=index, name=columns[1]).sort_index()


def read_meter_data(path: Path, content: bytes | None = None) -> pd.Series:
    """Meter data ``timestamp,value`` [consumption per interval] as a time-zone aware series.

    Raises
    ------
    MvFileError
        Naming the file, row and field of each problem.
    """
    return _read_series(path, content, METER_COLUMNS, None, allow_negative=False)


def read_temperature(path: Path, content: bytes | None = None) -> pd.Series:
    """Hourly temperatures ``timestamp,temperature_c`` [°C] as a time-zone aware series.

    Raises
    ------
    MvFileError
        Naming the file, row and field of each problem (values outside −60 to 60 °C are refused).
    """
    return _read_series(path, content, TEMPERATURE_COLUMNS, PLAUSIBLE_TEMPERATURE_C, allow_negative=True)


PROJECT_REQUIRED = (
    "id",
    "building",
    "measures",
    "retrofitted_area_m2",
    "baseline_start",
    "baseline_end",
    "reporting_start",
    "reporting_end",
    "contract_type",
)
PROJECT_OPTIONAL = (
    "name",
    "meters",
    "contractor",
    "method",
    "green_mall_certificate",
    "green_mall_certified_on",
)


def _date(text: str) -> date:
    return date.fromisoformat(text)


def _project_row(row: dict[str, str], number: int, label: str) -> dict[str, Any] | RowError:
    problems: list[tuple[str, str]] = []
    out: dict[str, Any] = {"row": number, "id": row["id"].strip()}
    if not out["id"]:
        problems.append(("id", "is empty"))
    out["building"] = row["building"].strip()
    if not out["building"]:
        problems.append(("building", "is empty"))
    measures = [m.strip() for m in row["measures"].replace(",", ";").split(";") if m.strip()]
    unknown = [m for m in measures if m not in MEASURES]
    if not measures:
        problems.append(("measures", "lists no measure"))
    elif unknown:
        problems.append(
            ("measures", f"unknown measure(s) {', '.join(unknown)} (one of {', '.join(MEASURES)})")
        )
    out["measures"] = measures
    try:
        area = float(row["retrofitted_area_m2"])
        if not math.isfinite(area) or area <= 0 or area > 5_000_000:
            raise ValueError
        out["retrofitted_area_m2"] = area
    except ValueError:
        problems.append(("retrofitted_area_m2", f"'{row['retrofitted_area_m2']}' is not an area above 0 m2"))
    for key in ("baseline_start", "baseline_end", "reporting_start", "reporting_end"):
        try:
            out[key] = _date(row[key].strip())
        except ValueError:
            problems.append((key, f"'{row[key]}' is not a date YYYY-MM-DD"))
    if not problems:
        if out["baseline_end"] <= out["baseline_start"]:
            problems.append(("baseline_end", "is not after baseline_start"))
        if out["reporting_start"] < out["baseline_end"]:
            problems.append(("reporting_start", "is before baseline_end (the installation lies between)"))
        if out["reporting_end"] <= out["reporting_start"]:
            problems.append(("reporting_end", "is not after reporting_start"))
    contract = row["contract_type"].strip()
    if contract not in CONTRACT_TYPES:
        problems.append(("contract_type", f"'{contract}' is not one of {', '.join(CONTRACT_TYPES)}"))
    out["contract_type"] = contract
    out["name"] = row.get("name", "").strip()
    out["meters"] = [m.strip() for m in row.get("meters", "").replace(",", ";").split(";") if m.strip()]
    out["contractor"] = row.get("contractor", "").strip()
    out["method"] = row.get("method", "").strip() or "caltrack_daily"
    out["green_mall_certificate"] = row.get("green_mall_certificate", "").strip()
    certified = row.get("green_mall_certified_on", "").strip()
    out["green_mall_certified_on"] = None
    if certified:
        try:
            out["green_mall_certified_on"] = _date(certified)
        except ValueError:
            problems.append(("green_mall_certified_on", f"'{certified}' is not a date YYYY-MM-DD"))
    if problems:
        return RowError(label, number, tuple(problems))
    return out


def read_retrofit_projects(path: Path, content: bytes | None = None) -> ParsedRows:
    """The retrofit-project registry file (.csv or .xlsx), all rows or none.

    Columns: ``id, building, measures`` (codes separated by ``;``), ``retrofitted_area_m2``,
    ``baseline_start, baseline_end, reporting_start, reporting_end`` (dates; the installation period lies
    between ``baseline_end`` and ``reporting_start``), ``contract_type`` (``epc`` or ``own_funds``), and
    optionally ``name, meters`` (meter ids separated by ``;``), ``contractor, method,
    green_mall_certificate, green_mall_certified_on``.
    """
    return parse_rows(path, content, PROJECT_REQUIRED, PROJECT_OPTIONAL, _project_row)
