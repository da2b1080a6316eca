"""Checked inputs: meter series, hourly temperatures, daily aggregation and periods.

A meter series holds the consumption [kWh, or the meter's unit] of the interval that **starts** at each
timestamp, daily or hourly, on a time-zone aware index. Temperatures are hourly, in °C. Days are the
calendar days of the meter series' time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from carbonpeak.core.mv import MvInputError

FloatArray = npt.NDArray[np.float64]

DAILY = "daily"
HOURLY = "hourly"
MONTHLY = "monthly"
FREQUENCIES = (DAILY, HOURLY)
"""Meter-data frequencies accepted at the interface (monthly data is derived from daily)."""

MIN_TEMPERATURE_HOURS_PER_DAY = 12
"""A day's temperature is valid with at least half of its hourly values (CalTRACK 2.0, sec. 2.2)."""


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open time window ``[start, end)`` with time-zone aware ends."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise MvInputError("period ends need a time-zone offset")
        if self.end <= self.start:
            raise MvInputError(
                f"period {self.start.isoformat()}/{self.end.isoformat()} ends before it starts"
            )

    @property
    def days(self) -> float:
        """Length [d]."""
        return (self.end - self.start).total_seconds() / 86400.0

    def to_dict(self) -> dict[str, str]:
        """``{"start", "end"}`` as ISO 8601 strings."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Period:
        """Inverse of :meth:`to_dict`."""
        return cls(datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"]))

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``START/END``, both ISO 8601 with an offset (e.g. ``2023-01-01T00:00+08:00``)."""
        parts = text.split("/")
        if len(parts) != 2:
            raise MvInputError(f"'{text}' is not a period START/END")
        try:
            start, end = (datetime.fromisoformat(p.strip()) for p in parts)
        except ValueError as exc:
            raise MvInputError(f"'{text}' is not a period START/END in ISO 8601: {exc}") from exc
        return cls(start, end)


def check_series(series: pd.Series, name: str, *, allow_negative: bool = False) -> pd.Series:
    """A float series on a sorted, unique, time-zone aware index with finite values.

    Raises
    ------
    MvInputError
        Naming ``name`` and what is wrong (the first offending timestamp).
    """
    index = series.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise MvInputError(f"{name} needs a time-zone aware DatetimeIndex")
    if len(series) == 0:
        raise MvInputError(f"{name} is empty")
    if index.has_duplicates:
        first = index[index.duplicated()][0]
        raise MvInputError(f"{name} has the timestamp {first.isoformat()} twice")
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        raise MvInputError(f"{name} has a missing or non-finite value at {index[bad][0].isoformat()}")
    if not allow_negative and (values < 0).any():
        raise MvInputError(f"{name} has a negative value at {index[values < 0][0].isoformat()}")
    out = pd.Series(values, index=index, name=name)
    return out.sort_index()


def frequency(usage: pd.Series) -> str:
    """``daily`` or ``hourly`` from the median step of the index."""
    if len(usage) < 2:
        raise MvInputError("meter data needs at least two values")
    step = pd.Series(usage.index).diff().dropna().median()
    if step == pd.Timedelta(hours=1):
        return HOURLY
    if step == pd.Timedelta(days=1):
        return DAILY
    raise MvInputError(f"meter data must be daily or hourly (median step {step})")


def within(series: pd.Series, period: Period) -> pd.Series:
    """The values of ``series`` whose timestamp lies in ``period``."""
    index = pd.DatetimeIndex(series.index)
    mask = (index >= pd.Timestamp(period.start)) & (index < pd.Timestamp(period.end))
    return series[mask]


def day_index(period: Period, tz: object) -> pd.DatetimeIndex:
    """Local midnights of the days that start in ``period`` (in the meter's time zone)."""
    start = pd.Timestamp(period.start).tz_convert(tz).normalize()  # type: ignore[arg-type]
    if start < pd.Timestamp(period.start):
        start = start + pd.Timedelta(days=1)
    end = pd.Timestamp(period.end).tz_convert(tz)  # type: ignore[arg-type]
    days = pd.date_range(start, end, freq="D", inclusive="left")
    return days[days + pd.Timedelta(days=1) <= end]


def hour_index(period: Period, tz: object) -> pd.DatetimeIndex:
    """Whole hours that start in ``period``."""
    start = pd.Timestamp(period.start).tz_convert(tz).ceil("h")  # type: ignore[arg-type]
    end = pd.Timestamp(period.end).tz_convert(tz)  # type: ignore[arg-type]
    return pd.date_range(start, end, freq="h", inclusive="left")


def daily_usage(usage: pd.Series, days: pd.DatetimeIndex) -> FloatArray:
    """Consumption per day on ``days`` [unit/d]; NaN where a day is missing.

    Daily data is aligned as it is. Hourly data is summed per day; a day without all its hours is missing
    (not partly counted).
    """
    if frequency(usage) == DAILY:
        local = usage.tz_convert(days.tz)
        return local.reindex(days).to_numpy(dtype=np.float64)
    local = usage.tz_convert(days.tz)
    key = pd.DatetimeIndex(local.index).normalize()
    grouped = local.groupby(key)
    sums = grouped.sum().reindex(days)
    counts = grouped.count().reindex(days).fillna(0)
    expected = ((days + pd.Timedelta(days=1)) - days) / pd.Timedelta(hours=1)
    out = np.array(sums.to_numpy(dtype=np.float64))
    out[counts.to_numpy() < np.asarray(expected, dtype=np.float64)] = np.nan
    return out


def hourly_temperature(temperature_c: pd.Series, hours: pd.DatetimeIndex) -> FloatArray:
    """Temperature [°C] on ``hours``; NaN where no hourly value is given."""
    local = temperature_c.tz_convert(hours.tz)
    local = local[~local.index.duplicated()]
    floored = pd.DatetimeIndex(local.index).floor("h")
    hourly = local.groupby(floored).mean()
    return hourly.reindex(hours).to_numpy(dtype=np.float64)


def day_temperatures(temperature_c: pd.Series, days: pd.DatetimeIndex) -> FloatArray:
    """(days, 24) hourly temperatures [°C] of each day (NaN where missing; the 25th hour of a DST day is
    dropped, a 23-hour day has a NaN)."""
    hours = pd.date_range(days[0], days[-1] + pd.Timedelta(days=1), freq="h", inclusive="left")
    values = pd.Series(hourly_temperature(temperature_c, hours), index=hours)
    day_of = pd.DatetimeIndex(values.index).normalize()
    position = np.asarray(pd.DatetimeIndex(values.index).hour, dtype=np.intp)
    row = days.get_indexer(day_of)
    out = np.full((len(days), 24), np.nan)
    keep = row >= 0
    out[row[keep], position[keep]] = values.to_numpy()[keep]
    return out
