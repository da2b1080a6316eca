"""Forecasts: least-squares trend, last compound rate, and refusal with too few points."""

from datetime import date

import pytest

from carbonpeak.core.tracking import (
    Observation,
    UnknownMethodError,
    forecast_value,
    last_rate,
    linear_trend,
)

yr = Observation.for_year
SERIES = [yr(2020, 1.0), yr(2021, 0.98), yr(2022, 0.95)]


def test_linear_trend_by_hand():
    # mean t = 2021, mean v = 2.93/3 = 0.976667; slope = ((-1)(0.023333) + (1)(-0.026667)) / 2 = -0.025
    # 2025: 0.976667 - 0.025 x 4 = 0.876667
    forecast = forecast_value(SERIES, at=2025)
    assert forecast.method == "linear_trend"
    assert forecast.value == pytest.approx(0.876667, abs=1e-6)
    assert forecast.points == 3
    assert forecast.available
    assert linear_trend(list(reversed(SERIES)), 2025).value == pytest.approx(0.876667, abs=1e-6)


def test_last_rate_by_hand():
    # 0.98 -> 0.95 in one year: factor 0.95/0.98 = 0.969388; 0.969388 ** 3 = 0.910947; 2025 = 0.95 x that
    # = 0.865399
    forecast = forecast_value(SERIES, at=2025, method="last_rate")
    assert forecast.value == pytest.approx(0.95 * (0.95 / 0.98) ** 3)
    assert forecast.value == pytest.approx(0.865399, abs=1e-6)


def test_one_point_gives_no_forecast_and_says_why():
    forecast = forecast_value([yr(2022, 0.95)], at=2025)
    assert forecast.value is None
    assert not forecast.available
    assert "1 point(s)" in forecast.reason
    assert linear_trend([yr(2022, 0.95)], 2025).value is None
    assert last_rate([yr(2022, 0.95)], 2025).value is None


def test_min_points_is_enforced():
    forecast = forecast_value(SERIES[1:], at=2025, min_points=3)
    assert forecast.value is None
    assert forecast.reason == "2 point(s); a forecast needs at least 3"
    assert forecast_value(SERIES[1:], at=2025, min_points=2).value is not None


def test_degenerate_series_give_no_forecast():
    same_period = [Observation(date(2022, 12, 31), 1.0), Observation(date(2022, 12, 31), 2.0)]
    assert linear_trend(same_period, 2025).value is None
    assert "same period" in linear_trend(same_period, 2025).reason
    zero = last_rate([yr(2021, 0.0), yr(2022, 1.0)], 2025)
    assert zero.value is None
    assert "positive" in zero.reason


def test_unknown_forecast_method_is_refused():
    with pytest.raises(
        UnknownMethodError, match=r"unknown forecast method 'crystal_ball'.*linear_trend, last_rate"
    ):
        forecast_value(SERIES, at=2025, method="crystal_ball")
