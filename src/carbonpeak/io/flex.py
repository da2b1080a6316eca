"""Read demand-response inputs: ``timestamp,value`` CSV series and the packaged flex rule tables.

A series file is UTF-8 CSV with the header ``timestamp,value``: an ISO 8601 interval start and a number
(kW, °C or 元/kWh). Every error names the file, the spreadsheet row (the header is row 1) and the field.
An empty value is a missing reading: kept as NaN when the caller allows gaps (baselines flag them), an
error otherwise. It is never read as zero.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

import carbonpeak.data
from carbonpeak.core.flex.baselines import BaselineRule
from carbonpeak.core.flex.dispatch import TariffPeriod
from carbonpeak.core.flex.settlement import SettlementRule
from carbonpeak.io.reference import LoadedTable, read_reference_data

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
