"""Read demand-response inputs: ``timestamp,value`` CSV series and the packaged flex rule tables.

A series file is UTF-8 CSV with the header ``timestamp,value``: an ISO 8601 interval start and a number
(kW, °C or 元/kWh). Every error names the file, the spreadsheet row (the header is row 1) and the field.
An empty value is a missing reading: kept as NaN when the caller allows gaps (baselines flag them), an
error otherwise. It is never read as zero.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import carbonpeak.data
from carbonpeak.core.flex.baselines import BaselineRule
from carbonpeak.core.flex.dispatch import TariffPeriod
from carbonpeak.core.flex.settlement import SettlementRule
from carbonpeak.io.reference import LoadedTable, read_reference_data
from carbonpeak.io.tabular import ParsedRows, RowError, parse_rows

HEADER = ("timestamp", "value")


class SeriesFileError(ValueError):
    """A series file is unreadable; the message names the file, row and field."""


def read_series_csv(path: Path, *, allow_missing: bool = False, allow_negative: bool = True) -> pd.Series:
    """Read a ``timestamp,value`` CSV into a float Series indexed by timestamp, in time order.

    Parameters
    ----------
    path : Path
        The file.
    allow_missing : bool, optional
        Keep empty values as NaN (missing) instead of refusing them.
    allow_negative : bool, optional
        Accept negative values.

    Raises
    ------
    SeriesFileError
        On a missing file, a wrong header, an unparsable or duplicate timestamp, mixed time-zone awareness,
        or a non-numeric, non-finite, negative (when refused) or missing (when refused) value.
    """
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SeriesFileError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise SeriesFileError(f"{name}: is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != HEADER:
        raise SeriesFileError(f"{name}, row 1: the header must be 'timestamp,value'")
    stamps: list[datetime] = []
    values: list[float] = []
    seen: dict[datetime, int] = {}
    aware: bool | None = None
    for number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise SeriesFileError(
                f"{name}, row {number}: expected 2 cells (timestamp,value), found {len(row)}"
            )
        raw_ts, raw_value = row[0].strip(), row[1].strip()
        try:
            ts = datetime.fromisoformat(raw_ts)
        except ValueError:
            raise SeriesFileError(
                f"{name}, row {number}, field timestamp: '{raw_ts}' is not an ISO 8601 date-time"
            ) from None
        if aware is None:
            aware = ts.tzinfo is not None
        elif aware != (ts.tzinfo is not None):
            raise SeriesFileError(
                f"{name}, row {number}, field timestamp: mixes time-zone-aware and naive timestamps"
            )
        if ts in seen:
            raise SeriesFileError(f"{name}, row {number}, field timestamp: {raw_ts} repeats row {seen[ts]}")
        seen[ts] = number
        if not raw_value:
            if not allow_missing:
                raise SeriesFileError(f"{name}, row {number}, field value: is empty (a missing reading)")
            value = math.nan
        else:
            try:
                value = float(raw_value)
            except ValueError:
                raise SeriesFileError(
                    f"{name}, row {number}, field value: '{raw_value}' is not a number"
                ) from None
            if not math.isfinite(value):
                raise SeriesFileError(f"{name}, row {number}, field value: '{raw_value}' is not finite")
            if value < 0 and not allow_negative:
                raise SeriesFileError(f"{name}, row {number}, field value: {value} is negative")
        stamps.append(ts)
        values.append(value)
    if len(values) < 2:
        raise SeriesFileError(f"{name}: needs at least two data rows")
    index = pd.DatetimeIndex(pd.to_datetime(stamps))
    return pd.Series(np.asarray(values, dtype=np.float64), index=index, name=name).sort_index()


@dataclass(frozen=True)
class FlexReference:
    """The packaged flex tables as core records, with their table versions."""

    baseline_rules: tuple[BaselineRule, ...]
    settlement_rules: tuple[SettlementRule, ...]
    tariff_periods: tuple[TariffPeriod, ...]
    versions: dict[str, str]

    def tariff(self, tariff_id: str) -> list[TariffPeriod]:
        """The periods of one tariff."""
        return [p for p in self.tariff_periods if p.tariff_id == tariff_id]

    def baseline_rule(self, rule_id: str) -> BaselineRule:
        """One baseline rule by id (``KeyError`` naming the known ids)."""
        for rule in self.baseline_rules:
            if rule.rule_id == rule_id:
                return rule
        known = ", ".join(r.rule_id for r in self.baseline_rules)
        raise KeyError(f"unknown baseline rule '{rule_id}'; known: {known}")


def read_flex_reference(data_dir: Path | None = None) -> FlexReference:
    """Read the flex tables of the reference library (the packaged one by default).

    Raises
    ------
    ValueError
        When the library does not validate (the first issue in the message).
    """
    directory = data_dir or Path(carbonpeak.data.__file__).parent
    data = read_reference_data(directory)
    if not data.ok:
        raise ValueError(f"reference data in {directory} is invalid: {data.issues[0]}")
    by_kind: dict[str, LoadedTable] = {t.entry.kind: t for t in data.tables}
    return FlexReference(
        tuple(by_kind["dr_baseline_rules"].records),
        tuple(by_kind["dr_settlement_rules"].records),
        tuple(by_kind["tou_tariffs"].records),
        {k: by_kind[k].entry.version for k in ("dr_baseline_rules", "dr_settlement_rules", "tou_tariffs")},
    )


# --------------------------------------------------------------------------------------------------------
# The flexible-resource registry file (CSV or .xlsx) and the settlement statement workbook.

RESOURCE_REQUIRED = ("id", "name", "kind", "meter_id", "aggregator_id", "controllable_kw")
RESOURCE_OPTIONAL = (
    "ramp_kw_per_min",
    "max_duration_h",
    "response_types",
    "cost_yuan_per_kwh",
    "microgrid_pilot",
    "battery_kwh",
    "dc_bus_share",
    "quality",
)
RESOURCE_KINDS = ("building_load", "charging_site", "battery", "pv_storage")
RESPONSE_TYPES = ("peak_shaving", "valley_filling")


def _optional_number(
    raw: str, name: str, problems: list[tuple[str, str]], *, low: float = 0.0
) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        problems.append((name, f"'{raw}' is not a number"))
        return None
    if not math.isfinite(value) or value < low:
        problems.append((name, f"{raw} must be a finite number of at least {low:g}"))
        return None
    return value


def parse_resource_row(row: dict[str, str], number: int, label: str) -> dict[str, Any] | RowError:
    """Validate one registry row: every problem of the row in one :class:`RowError`."""
    p: list[tuple[str, str]] = []
    for name in RESOURCE_REQUIRED:
        if not row.get(name, "").strip():
            p.append((name, "is required"))
    kind = row.get("kind", "").strip()
    if kind and kind not in RESOURCE_KINDS:
        p.append(("kind", f"'{kind}' is not one of {', '.join(RESOURCE_KINDS)}"))
    kw = _optional_number(row.get("controllable_kw", ""), "controllable_kw", p)
    if kw is not None and kw > 1_000_000:
        p.append(("controllable_kw", f"{kw:g} kW is implausible for one resource (over 1,000 MW)"))
    types = [
        t.strip() for t in row.get("response_types", "peak_shaving").replace(";", ",").split(",") if t.strip()
    ]
    for t in types:
        if t not in RESPONSE_TYPES:
            p.append(("response_types", f"'{t}' is not one of {', '.join(RESPONSE_TYPES)}"))
    share = _optional_number(row.get("dc_bus_share", ""), "dc_bus_share", p)
    if share is not None and share > 1:
        p.append(("dc_bus_share", "is a fraction between 0 and 1"))
    pilot = row.get("microgrid_pilot", "").strip().lower()
    if pilot not in ("", "yes", "no", "true", "false", "1", "0"):
        p.append(("microgrid_pilot", f"'{pilot}' is not yes or no"))
    out = {
        "row": number,
        "id": row.get("id", "").strip(),
        "name": row.get("name", "").strip(),
        "kind": kind,
        "meter_id": row.get("meter_id", "").strip(),
        "aggregator_id": row.get("aggregator_id", "").strip(),
        "controllable_kw": kw,
        "ramp_kw_per_min": _optional_number(row.get("ramp_kw_per_min", ""), "ramp_kw_per_min", p),
        "max_duration_h": _optional_number(row.get("max_duration_h", ""), "max_duration_h", p),
        "peak_shaving": "peak_shaving" in types,
        "valley_filling": "valley_filling" in types,
        "cost_yuan_per_kwh": _optional_number(row.get("cost_yuan_per_kwh", ""), "cost_yuan_per_kwh", p)
        or 0.0,
        "microgrid_pilot": pilot in ("yes", "true", "1"),
        "battery_kwh": _optional_number(row.get("battery_kwh", ""), "battery_kwh", p),
        "dc_bus_share": share,
        "synthetic": row.get("quality", "").strip().lower() == "synthetic",
    }
    return RowError(label, number, tuple(p)) if p else out


def read_resource_file(path: Path, content: bytes | None = None) -> ParsedRows:
    """Read and validate a flexible-resource registry file (.csv or .xlsx), all rows or none."""
    return parse_rows(path, content, RESOURCE_REQUIRED, RESOURCE_OPTIONAL, parse_resource_row)


STATEMENT_COLUMNS = (
    ("aggregator", "聚合商 aggregator"),
    ("name", "资源 resource"),
    ("requested_kw", "申报/调度 kW requested"),
    ("delivered_kwh", "响应电量 kWh delivered"),
    ("delivered_kw", "平均响应 kW delivered"),
    ("response_rate", "响应率 response rate"),
    ("band", "区间 band"),
    ("payment_yuan", "补贴 元 payment"),
    ("penalty_yuan", "考核 元 penalty"),
    ("net_yuan", "净额 元 net"),
    ("rule_id", "规则 rule"),
    ("rule_evidence", "证据 evidence"),
)


def write_settlement_xlsx(
    event: Mapping[str, Any], statements: Sequence[Mapping[str, Any]], path: Path | None = None
) -> bytes:
    """Write an event's settlement statements (one sheet per aggregator plus a summary) as .xlsx bytes.

    ``event`` holds ``code``, ``start``, ``end``, ``price``, ``price_basis`` and ``synthetic``; each statement
    is :meth:`carbonpeak.core.flex.settlement.Statement.to_dict`. Synthetic events say so on every sheet.
    """
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "summary"
    note = "SYNTHETIC demo data 合成演示数据" if event.get("synthetic") else ""
    summary.append(["事件 event", str(event["code"]), note])
    summary.append(["开始 start", str(event["start"])])
    summary.append(["结束 end", str(event["end"])])
    summary.append(["价格 price", event["price"], str(event["price_basis"])])
    summary.append([])
    summary.append(["聚合商 aggregator", "申报 kW", "响应电量 kWh", "补贴 元", "考核 元", "净额 元"])
    for st in statements:
        summary.append(
            [
                st["aggregator"],
                st["requested_kw"],
                st["delivered_kwh"],
                st["payment_yuan"],
                st["penalty_yuan"],
                st["net_yuan"],
            ]
        )
    for st in statements:
        sheet = book.create_sheet(str(st["aggregator"])[:31])
        if note:
            sheet.append([note])
        sheet.append([label for _, label in STATEMENT_COLUMNS])
        for line in st["lines"]:
            sheet.append(
                [st["aggregator"] if key == "aggregator" else line.get(key) for key, _ in STATEMENT_COLUMNS]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data
