"""Hourly, daily and monthly sums of interval consumption, in Asia/Shanghai calendar buckets.

Columnar and linear: readings sorted by meter then time fall into runs of one (meter, bucket), so the sums
are one ``numpy.add.reduceat`` per period, with no hashing and no per-reading Python object.

References
----------
.. [1] 住房和城乡建设部 (2008). 国家机关办公建筑和大型公共建筑能耗监测系统 分项能耗数据采集技术导则: raw data
   every 15 minutes, statistics by hour, day, month and year.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIODS = ("hour", "day", "month")
HOUR_NS = 3600 * 10**9
DAY_NS = 24 * HOUR_NS
UTC8_NS = 8 * HOUR_NS
FIXED_OFFSET_FROM_NS = 694_195_200 * 10**9
"""1992-01-01T00:00+08:00 [ns since the epoch]. Shanghai observed daylight saving time in 1986-1991 and has
kept UTC+8 since, so later times are bucketed with a fixed offset and earlier ones through the tz database."""


def bucket_starts(ts_ns: np.ndarray, period: str) -> np.ndarray:
    """Start of each time's hour, day or month in Asia/Shanghai, as a UTC instant.

    Parameters
    ----------
    ts_ns : numpy.ndarray of int64
        Times [ns since the epoch, UTC].
    period : str
        ``hour``, ``day`` or ``month``; other names are refused.

    Returns
    -------
    numpy.ndarray of int64
        Bucket starts [ns since the epoch, UTC].
    """
    if period not in PERIODS:
        raise ValueError(f"unknown rollup period '{period}'; choose one of: {', '.join(PERIODS)}")
    stamps = np.asarray(ts_ns, dtype=np.int64)
    if stamps.size and int(stamps.min()) < FIXED_OFFSET_FROM_NS:
        return _bucket_starts_tz(stamps, period)
    local = stamps + UTC8_NS
    if period == "hour":
        starts = local - local % HOUR_NS
    elif period == "day":
        starts = local - local % DAY_NS
    else:
        days = (local // DAY_NS).astype("datetime64[D]")
        starts = days.astype("datetime64[M]").astype("datetime64[ns]").astype(np.int64)
    return np.asarray(starts - UTC8_NS, dtype=np.int64)


def _bucket_starts_tz(ts_ns: np.ndarray, period: str) -> np.ndarray:
    """:func:`bucket_starts` through the tz database (any year, daylight saving included).

    An hour starts at the reading's own UTC offset, so the repeated hour when clocks go back gives two
    buckets, as it should. Days and months start at local midnight, which in Shanghai's history is never
    skipped or repeated (its clocks changed at 02:00).
    """
    utc = pd.to_datetime(ts_ns, unit="ns", utc=True)
    local = utc.tz_convert(SHANGHAI)
    if period == "hour":
        offset_ns = (local.tz_localize(None).as_unit("ns").asi8 - utc.as_unit("ns").asi8).astype(np.int64)
        return np.asarray(ts_ns - (ts_ns + offset_ns) % HOUR_NS, dtype=np.int64)
    wall = local.tz_localize(None).floor("D")  # calendar arithmetic on wall time, then back to instants
    if period == "month":
        wall = wall - pd.to_timedelta(np.asarray(wall.day) - 1, unit="D")
    keys = wall.tz_localize(SHANGHAI, ambiguous=False, nonexistent="shift_forward")
    return np.asarray(keys.as_unit("ns").asi8, dtype=np.int64)


@dataclass(frozen=True)
class BucketSums:
    """Sums per (meter, bucket): one entry per bucket that received a reading or a correction."""

    meter_ids: np.ndarray
    starts_ns: np.ndarray
    """Bucket starts [ns since the epoch, UTC]."""
    consumption: np.ndarray
    """Sum of interval consumption [meter unit x multiplier]."""
    readings: np.ndarray
    """Number of readings (corrections of a stored reading count 0)."""


def bucket_sums(
    meter_ids: np.ndarray, ts_ns: np.ndarray, consumption: np.ndarray, readings: np.ndarray, period: str
) -> BucketSums:
    """Sum consumption and reading counts per meter and Asia/Shanghai hour, day or month.

    Parameters
    ----------
    meter_ids : numpy.ndarray of int64
        Meter of each reading.
    ts_ns : numpy.ndarray of int64
        Time of each reading [ns since the epoch, UTC].
    consumption : numpy.ndarray of float
        Interval consumption of each reading [meter unit x multiplier].
    readings : numpy.ndarray of int64
        What each entry counts as (1 for a reading, 0 for a correction of a stored one) [-].
    period : str
        ``hour``, ``day`` or ``month``.

    Returns
    -------
    BucketSums
        Sorted by meter then bucket. Input sorted by meter then time is summed in one linear pass; other
        input is sorted first.
    """
    ids = np.asarray(meter_ids, dtype=np.int64)
    stamps = np.asarray(ts_ns, dtype=np.int64)
    values = np.asarray(consumption, dtype=float)
    counts = np.asarray(readings, dtype=np.int64)
    if not ids.size:
        empty = np.zeros(0, dtype=np.int64)
        return BucketSums(empty, empty.copy(), np.zeros(0), empty.copy())
    if not is_sorted(ids, stamps):
        order = np.lexsort((stamps, ids))
        ids, stamps, values, counts = ids[order], stamps[order], values[order], counts[order]
    starts = bucket_starts(stamps, period)
    first = np.flatnonzero(np.r_[True, (ids[1:] != ids[:-1]) | (starts[1:] != starts[:-1])])
    return BucketSums(
        ids[first],
        starts[first],
        np.add.reduceat(values, first),
        np.add.reduceat(counts, first),
    )


def is_sorted(meter_ids: np.ndarray, ts_ns: np.ndarray) -> bool:
    """Whether entries are sorted by meter, then by time (equal pairs allowed)."""
    if len(meter_ids) < 2:
        return True
    step = meter_ids[1:] - meter_ids[:-1]
    return bool(np.all((step > 0) | ((step == 0) & (ts_ns[1:] >= ts_ns[:-1]))))
