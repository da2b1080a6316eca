"""Baselines: the issue's hand-worked example, day selection, adjustments and missing data."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
import pytest

from carbonpeak.core.flex import FlexDataError, FlexInputError
from carbonpeak.core.flex.baselines import (
    BaselineResult,
    BaselineRule,
    DayCalendar,
    adjust,
    baseline_from_rule,
    compute_baseline,
    match_day,
    regression,
    x_of_y,
)

EVENT_DAY = date(2025, 7, 16)  # a Wednesday
START = datetime(2025, 7, 16, 14)
END = datetime(2025, 7, 16, 16)


def p(hour: float) -> float:
    """The issue's profile: p(h) = 50 + 30·exp(−((h − 14)/4)²) kW."""
    return 50 + 30 * math.exp(-(((hour - 14) / 4) ** 2))


def prior_workdays(n: int, before: date = EVENT_DAY) -> list[date]:
    out, day = [], before
    while len(out) < n:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            out.append(day)
    return out


def hand_worked_load() -> pd.Series:
    """Ten prior working days at 1.08, 1.06 … 0.90 × p (most recent highest); weekends at 0.5 × p."""
    values: dict[pd.Timestamp, float] = {}
    first = EVENT_DAY - timedelta(days=20)
    levels = dict(zip(prior_workdays(10), [1.08 - 0.02 * i for i in range(10)], strict=True))
    day = first
    while day <= EVENT_DAY:
        for hour in range(24):
            ts = pd.Timestamp(datetime(day.year, day.month, day.day, hour))
            if day == EVENT_DAY:
                value = 1.10 * p(hour) - (15.0 if 14 <= hour < 16 else 0.0)
            elif day in levels:
                value = levels[day] * p(hour)
            elif day.weekday() >= 5:
                value = 0.5 * p(hour)
            else:
                value = 3.0 * p(hour)  # older working days: outside the ten, never used
            values[ts] = value
        day += timedelta(days=1)
    return pd.Series(values)


def test_hand_worked_10_of_10_unadjusted_is_12_6_kwh() -> None:
    # baseline 0.99·p over 14:00 and 15:00; actual 1.10·p − 15:
    # 30 − 0.11·(p(14) + p(15)) = 30 − 0.11·(80 + 78.182) = 12.600 kWh
    result = x_of_y(hand_worked_load(), START, END, days=10)
    assert result.eligible_days == tuple(prior_workdays(10))
    assert result.reduction_kwh == pytest.approx(12.6, abs=0.005)
    assert result.baseline_kw[0] == pytest.approx(0.99 * 80)
    assert result.adjustment_ratio is None


@pytest.mark.parametrize("window", ["10:00-12:00", "00:00-14:00", "13:00-14:00", None])
def test_hand_worked_multiplicative_is_30_kwh_for_any_pre_event_window(window: str | None) -> None:
    # every pre-event hour is 1.10·p against a 0.99·p baseline: ratio 1.10/0.99 = 1.111 (inside ±20 %),
    # the adjusted baseline is 1.10·p, and the reduction is exactly the 15 kW shed for 2 h = 30.0 kWh
    result = x_of_y(
        hand_worked_load(), START, END, days=10, adjustment="multiplicative", adjustment_window=window
    )
    assert result.adjustment_ratio == pytest.approx(1.10 / 0.99)
    assert not result.adjustment_capped
    assert result.reduction_kwh == pytest.approx(30.0, abs=1e-9)
    if window is None:  # default: 4 h to 2 h before the event (CAISO)
        assert result.adjustment_window == (time(10), time(12))


def test_window_inside_the_event_is_refused() -> None:
    with pytest.raises(FlexInputError, match="end by the event start"):
        x_of_y(hand_worked_load(), START, END, adjustment="multiplicative", adjustment_window="13:00-15:00")


def test_multiplicative_cap_binds() -> None:
    load = hand_worked_load()
    day = pd.Timestamp(EVENT_DAY)
    load[(load.index >= day) & (load.index < day + pd.Timedelta(hours=14))] *= 2.0
    result = x_of_y(load, START, END, adjustment="multiplicative", adjustment_window="10:00-12:00")
    assert result.adjustment_capped
    assert result.adjustment_ratio == pytest.approx(1.2)


def test_additive_adjustment() -> None:
    result = x_of_y(hand_worked_load(), START, END, adjustment="additive", adjustment_window="13:00-14:00")
    # window 13:00: actual 1.10·p(13) vs baseline 0.99·p(13): offset 0.11·p(13)
    assert result.adjustment_kw == pytest.approx(0.11 * p(13))
    assert result.reduction_kwh == pytest.approx(12.6 + 2 * 0.11 * p(13), abs=0.005)


def test_high_4_of_5_takes_the_four_highest_of_the_five_most_recent() -> None:
    result = x_of_y(hand_worked_load(), START, END, days=5, highest=4)
    assert result.eligible_days == tuple(prior_workdays(4))
    assert result.baseline_kw[0] == pytest.approx(np.mean([1.08, 1.06, 1.04, 1.02]) * 80)


def test_event_days_holidays_and_swapped_workdays() -> None:
    load = hand_worked_load()
    recent = prior_workdays(12)
    holiday, event = recent[0], recent[1]
    calendar = DayCalendar(holidays=frozenset({holiday}))
    result = x_of_y(load, START, END, days=10, calendar=calendar, event_dates={event})
    assert holiday not in result.eligible_days
    assert event not in result.eligible_days
    assert result.eligible_days == tuple(recent[2:12])
    saturday = next(d for d in (EVENT_DAY - timedelta(days=i) for i in range(1, 8)) if d.weekday() == 5)
    swapped = x_of_y(load, START, END, days=10, calendar=DayCalendar(workdays=frozenset({saturday})))
    assert saturday in swapped.eligible_days


def test_weekend_event_uses_weekend_days() -> None:
    load = hand_worked_load()
    sunday = date(2025, 7, 13)
    result = x_of_y(load, datetime(2025, 7, 13, 14), datetime(2025, 7, 13, 16), days=4, lookback_days=20)
    assert all(d.weekday() >= 5 for d in result.eligible_days)
    assert sunday not in result.eligible_days


def test_missing_data_skips_days_and_is_never_zero() -> None:
    load = hand_worked_load()
    gap_day = prior_workdays(1)[0]
    load = load.drop(pd.Timestamp(datetime(gap_day.year, gap_day.month, gap_day.day, 15)))
    load[pd.Timestamp(datetime(2025, 7, 16, 15))] = float("nan")
    with pytest.raises(FlexDataError, match="only 9"):
        x_of_y(load, START, END, days=10, lookback_days=14)
    result = x_of_y(load, START, END, days=10, lookback_days=14, allow_fewer=True)
    assert gap_day not in result.eligible_days
    codes = {f.code for f in result.flags}
    assert {"day_incomplete", "fewer_days", "actual_missing"} <= codes
    assert result.actual_kw[1] is None
    assert result.reduction_kw[1] is None
    assert result.reduction_kwh is None


def test_match_day_picks_the_closest_days() -> None:
    result = match_day(hand_worked_load(), START, END, days=3)
    # the event day's morning is 1.10·p: the closest days are the 1.08, 1.06, 1.04 days
    assert result.eligible_days == tuple(prior_workdays(3))


def test_regression_on_temperature_recovers_a_linear_load() -> None:
    index = pd.date_range("2025-06-01", "2025-07-16 23:00", freq="h")
    rng = np.random.default_rng(1)
    daily_t = pd.Series(rng.uniform(25, 35, len(pd.unique(index.date))), index=pd.unique(index.date))
    temp = pd.Series([daily_t[t.date()] + 0.1 * t.hour for t in index], index=index)
    load = 100 + 5.0 * temp
    load[(load.index >= START) & (load.index < END)] -= 20.0
    result = regression(load, START, END, temperature=temp, days=15)
    assert result.baseline_kw[0] == pytest.approx(100 + 5.0 * temp[pd.Timestamp(START)])
    assert result.reduction_kwh == pytest.approx(40.0)


def test_dispatcher_rejects_unknown_names() -> None:
    with pytest.raises(FlexInputError, match="unknown baseline method 'nope'"):
        compute_baseline("nope", hand_worked_load(), START, END)
    with pytest.raises(FlexInputError, match="unknown adjustment"):
        adjust("sideways", np.ones(2), np.ones(1), np.ones(1))
    with pytest.raises(FlexInputError, match="unexpected keyword"):
        compute_baseline("x_of_y", hand_worked_load(), START, END, colour="red")


def test_rule_without_formula_is_refused() -> None:
    rule = BaselineRule(
        "shanghai",
        "CN-SH",
        "workday",
        None,
        None,
        None,
        None,
        0,
        None,
        None,
        None,
        None,
        "none found",
        "X",
        "no text",
    )
    with pytest.raises(FlexInputError, match="no formula"):
        baseline_from_rule(rule, hand_worked_load(), START, END)


def test_rule_applies_its_window_and_cap() -> None:
    rule = BaselineRule(
        "caiso", "US-CA", "workday", "x_of_y", 10, 10, 45, 0, "multiplicative", 4, 2, 0.2, "CAISO", "R"
    )
    result = baseline_from_rule(rule, hand_worked_load(), START, END)
    assert result.adjustment_window == (time(10), time(12))
    assert result.reduction_kwh == pytest.approx(30.0)


def test_round_trip() -> None:
    result = x_of_y(hand_worked_load(), START, END, adjustment="multiplicative")
    assert BaselineResult.from_dict(result.to_dict()) == result
