"""Rollup sums per meter and Asia/Shanghai hour, day and month: against a zoneinfo reference, and by hand."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from carbonpeak.core.buildings.rollups import bucket_starts, bucket_sums, is_sorted

SH = ZoneInfo("Asia/Shanghai")


def ns(moment: datetime) -> int:
    return round(moment.timestamp()) * 10**9


def reference(meter_ids, ts_ns, values, counts, period):
    """The same sums the slow, obvious way: Python's zoneinfo (``fold`` keeps a repeated hour apart)."""
    starts = []
    for t in ts_ns.tolist():
        local = datetime.fromtimestamp(t / 1e9, SH)
        if period == "hour":
            start = local.replace(minute=0, second=0, microsecond=0)
        else:
            start = local.replace(
                day=1 if period == "month" else local.day, hour=0, minute=0, second=0, fold=0
            )
        starts.append(ns(start))
    frame = pd.DataFrame({"m": meter_ids, "s": starts, "v": values, "n": counts})
    out = frame.groupby(["m", "s"], as_index=False)[["v", "n"]].sum()
    return out["m"].tolist(), out["s"].tolist(), out["v"].to_numpy(), out["n"].tolist()


@pytest.mark.parametrize("period", ["hour", "day", "month"])
# 1990: Shanghai kept daylight saving time; 200 days from 10 April cross both clock changes.
@pytest.mark.parametrize("start", ["2024-01-30", "1990-04-10"])
def test_bucket_sums_equal_a_zoneinfo_reference(period, start):
    rng = np.random.default_rng(11)
    begin = ns(datetime.fromisoformat(start).replace(tzinfo=SH))
    n = 20_000
    meter_ids = np.sort(rng.integers(1, 6, n))
    ts_ns = begin + rng.integers(0, 200 * 86_400, n) * 10**9
    values = rng.uniform(0, 5, n)
    counts = rng.integers(0, 2, n)
    got = bucket_sums(meter_ids, ts_ns, values, counts, period)
    m, s, v, c = reference(meter_ids, ts_ns, values, counts, period)
    assert got.meter_ids.tolist() == m
    assert got.starts_ns.tolist() == s
    np.testing.assert_allclose(got.consumption, v, rtol=1e-12)
    assert got.readings.tolist() == c


def test_buckets_by_hand():
    # 23:45 and 00:00 local fall in different days; 31 January and 1 February in different months.
    stamps = [
        datetime(2025, 1, 31, 23, 45, tzinfo=SH),
        datetime(2025, 2, 1, 0, 0, tzinfo=SH),
        datetime(2025, 2, 1, 0, 15, tzinfo=SH),
    ]
    ts = np.array([ns(t) for t in stamps])
    assert bucket_starts(ts, "hour").tolist() == [
        ns(datetime(2025, 1, 31, 23, tzinfo=SH)),
        ns(datetime(2025, 2, 1, 0, tzinfo=SH)),
        ns(datetime(2025, 2, 1, 0, tzinfo=SH)),
    ]
    assert bucket_starts(ts, "month").tolist() == [
        ns(datetime(2025, 1, 1, tzinfo=SH)),
        ns(datetime(2025, 2, 1, tzinfo=SH)),
        ns(datetime(2025, 2, 1, tzinfo=SH)),
    ]
    sums = bucket_sums(np.array([7, 7, 7]), ts, np.array([1.0, 2.0, 4.0]), np.array([1, 1, 0]), "day")
    assert sums.consumption.tolist() == [1.0, 6.0]
    assert sums.readings.tolist() == [1, 1]  # a correction (count 0) adds consumption, not a reading
    assert sums.starts_ns.tolist() == [
        ns(datetime(2025, 1, 31, tzinfo=SH)),
        ns(datetime(2025, 2, 1, tzinfo=SH)),
    ]
    assert datetime(2025, 1, 31, tzinfo=SH).astimezone(UTC).hour == 16  # stored as the UTC instant


def test_unsorted_input_is_sorted_first():
    t = ns(datetime(2025, 3, 1, 10, tzinfo=SH))
    sums = bucket_sums(
        np.array([2, 1, 2]), np.array([t, t, t]), np.array([1.0, 2.0, 3.0]), np.ones(3), "hour"
    )
    assert sums.meter_ids.tolist() == [1, 2]
    assert sums.consumption.tolist() == [2.0, 4.0]
    assert not is_sorted(np.array([2, 1]), np.array([0, 0]))
    assert is_sorted(np.array([1, 1, 2]), np.array([5, 5, 0]))


def test_unknown_period_is_refused():
    with pytest.raises(ValueError, match="unknown rollup period 'week'"):
        bucket_starts(np.array([0]), "week")
