"""Reading checks: negatives, future times, counter resets and rollovers, spikes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from carbonpeak.core.buildings.readings import Reading, check_readings, detect_spikes, spikes_median_multiple

T0 = datetime(2024, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
NOW = T0 + timedelta(days=1)


def series(values, step=15):
    return [Reading(T0 + timedelta(minutes=step * i), v) for i, v in enumerate(values)]


def test_interval_meter_rejects_negatives_and_future_times():
    readings = [*series([1.0, -2.0]), Reading(NOW + timedelta(hours=2), 1.0)]
    checked = check_readings(readings, cumulative=False, multiplier=40, now=NOW, spike_rule=None)
    assert [c.consumption for c in checked] == [40.0, None, None]
    assert [c.reason for c in checked] == ["", "negative interval value", "timestamp is in the future"]


def test_counter_reset_counts_from_zero_and_is_flagged():
    checked = check_readings(series([100, 110, 120, 5, 15]), cumulative=True, now=NOW, spike_rule=None)
    assert [c.consumption for c in checked] == [0.0, 10.0, 10.0, 5.0, 10.0]
    assert checked[0].flag == "first register reading: baseline"
    assert checked[3].flag == "counter reset at 00:45, corrected"
    assert all(c.accepted for c in checked)


def test_rollover_near_the_register_maximum():
    checked = check_readings(
        series([9990, 5]),
        cumulative=True,
        register_max=9999,
        now=NOW,
        spike_rule=None,
        previous=Reading(T0 - timedelta(minutes=15), 9980),
    )
    # 9990 -> 9999 is 9 units, 9999 -> 0 is 1, 0 -> 5 is 5: 15 in all
    assert [c.consumption for c in checked] == [10.0, 15.0]
    assert checked[1].flag == "register rollover at 00:15, corrected"


def test_previous_reading_continues_the_register():
    checked = check_readings(
        series([105]),
        cumulative=True,
        multiplier=2,
        now=NOW,
        spike_rule=None,
        previous=Reading(T0 - timedelta(minutes=15), 100),
    )
    assert checked[0].consumption == 10.0


def test_spikes_are_quarantined_by_the_named_rule():
    values = [10.0] * 20 + [500.0] + [10.0] * 5
    checked = check_readings(series(values), cumulative=False, now=NOW)
    assert [c.reason for c in checked if not c.accepted] == ["spike (median_multiple)"]
    assert checked[20].raw == 500.0
    looser = check_readings(series(values), cumulative=False, now=NOW, spike_params={"factor": 100})
    assert all(c.accepted for c in looser)


def test_history_lets_a_small_batch_be_screened():
    (single,) = check_readings(series([400.0]), cumulative=False, now=NOW, history=[10.0] * 10)
    assert single.reason == "spike (median_multiple)"


def test_spike_rule_dispatcher():
    assert detect_spikes([1, 2, 300], rule="absolute_max", limit=100).tolist() == [False, False, True]
    with pytest.raises(
        ValueError, match="unknown spike rule 'zscore'; choose one of: median_multiple, absolute_max"
    ):
        detect_spikes([1.0], rule="zscore")


def test_small_and_large_batches_flag_the_same_spikes():
    # Up to 4096 values take one sort of the sliding windows, more take pandas' rolling median: same rule.
    rng = np.random.default_rng(7)
    values = rng.uniform(1, 10, 6000)
    values[rng.choice(6000, 150, replace=False)] *= 50
    values[rng.choice(6000, 240, replace=False)] = 0.0
    large = spikes_median_multiple(values.tolist()).tolist()
    small = spikes_median_multiple(values[:4096].tolist()).tolist()
    assert small == large[:4096]
    assert sum(large) >= 120


def test_non_finite_values_are_quarantined_with_a_reason_and_leave_the_chain():
    values = [1.0, float("nan"), 3.0, float("inf"), 4.0]
    checked = check_readings(
        series(values),
        cumulative=True,
        now=NOW,
        spike_rule=None,
        previous=Reading(T0 - timedelta(minutes=15), 0.0),
    )
    assert [c.consumption for c in checked] == [1.0, None, 2.0, None, 1.0]  # 3 - 1, then 4 - 3
    assert [c.reason for c in checked] == [
        "",
        "value is not a finite number",
        "",
        "value is not a finite number",
        "",
    ]


def test_a_register_spike_does_not_poison_the_next_difference():
    values = [100.0 + i for i in range(30)] + [5000.0] + [130.0, 131.0, 132.0]
    checked = check_readings(
        series(values), cumulative=True, now=NOW, previous=Reading(T0 - timedelta(minutes=15), 99.0)
    )
    assert [c.reason for c in checked if not c.accepted] == ["spike (median_multiple)"]
    assert checked[31].consumption == 1.0  # 130 - 129, measured from the last accepted reading
    assert checked[31].flag == ""
    assert sum(c.consumption for c in checked if c.accepted) == 132.0 - 99.0


@pytest.mark.parametrize("size", [4, 7, 96])
@pytest.mark.parametrize("n", [1, 5, 97, 300])
def test_trailing_medians_equal_pandas_rolling_median(n, size):
    from carbonpeak.core.buildings.readings import _trailing_medians

    rng = np.random.default_rng(n * 100 + size)
    data = rng.uniform(0, 10, n)
    data[rng.random(n) < 0.3] = 0.0
    positive = np.where(data > 0, data, np.nan)
    expected = pd.Series(positive).rolling(size, min_periods=4).median().shift(1).to_numpy()
    got = _trailing_medians(positive, size)
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    assert np.array_equal(got[~np.isnan(got)], expected[~np.isnan(expected)])


def test_streamed_batches_flag_the_same_spikes_as_one_large_batch():
    rng = np.random.default_rng(3)
    data = rng.uniform(1, 2, 5000)
    data[[100, 2500, 4999]] = 50.0
    large = spikes_median_multiple(data.tolist()).tolist()
    small = [
        mark for k in range(0, 5000, 1000) for mark in spikes_median_multiple(data[: k + 1000].tolist())[k:]
    ]
    assert large == small
    assert [k for k, mark in enumerate(large) if mark] == [100, 2500, 4999]
