"""Fits of the published methods on synthetic buildings with known models."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from carbonpeak.core.mv import (
    METHODS,
    Exclusion,
    InsufficientDataError,
    MvInputError,
    Period,
    SavingsResult,
    fit_baseline,
    measure_savings,
)
from carbonpeak.core.mv.degree_days import (
    BALANCE_POINTS_C,
    degree_days,
    degree_days_daily_mean,
    degree_days_hourly_integrated,
)
from carbonpeak.core.mv.metrics import cvrmse, g14_gate, nmbe
from tests.core.mv.synthetic import TZ, daily_usage, temperatures

BASELINE = Period.parse("2023-01-01T00:00+08:00/2024-01-01T00:00+08:00")
REPORTING = Period.parse("2024-01-01T00:00+08:00/2025-01-01T00:00+08:00")


@pytest.fixture(scope="module")
def temps() -> pd.Series:
    return temperatures()


@pytest.fixture(scope="module")
def hourly_usage(temps: pd.Series) -> pd.Series:
    rng = np.random.default_rng(3)
    hours = pd.DatetimeIndex(temps.index)
    occupied = ((hours.day_of_week < 5) & (hours.hour >= 8) & (hours.hour < 19)).astype(float)
    t = temps.to_numpy()
    y = 20 + 30 * occupied + 1.5 * np.clip(t - 22, 0, None) * (0.5 + occupied) + np.clip(12 - t, 0, None)
    y = y + rng.normal(0, 2, len(t))
    out = pd.Series(y, index=hours)
    out[hours >= pd.Timestamp("2024-01-01", tz=TZ)] *= 0.9
    return out


def test_degree_day_variants() -> None:
    day = np.array([[10.0] * 12 + [20.0] * 12])
    hdd, cdd = degree_days_daily_mean(day, np.array([15.0]))
    assert (hdd[0, 0], cdd[0, 0]) == (0.0, 0.0)  # the daily mean sits on the balance point
    hdd_h, cdd_h = degree_days_hourly_integrated(day, np.array([15.0]))
    assert (hdd_h[0, 0], cdd_h[0, 0]) == (2.5, 2.5)  # half the hours 5 K below, half 5 K above
    with pytest.raises(MvInputError, match="not a degree-day variant"):
        degree_days("weekly", day, np.array([15.0]))
    assert BALANCE_POINTS_C[0] == -1.0
    assert BALANCE_POINTS_C[-1] == 32.0


def test_caltrack_daily_recovers_the_building(temps: pd.Series) -> None:
    usage = daily_usage(temps)
    fit = fit_baseline("caltrack_daily", usage, temps, BASELINE)
    model = fit.model
    assert model.kind == "caltrack_daily"
    assert model.model_type == "hdd_cdd"  # type: ignore[union-attr]
    assert model.heating_balance_c == pytest.approx(14.0, abs=1.0)  # type: ignore[union-attr]
    assert model.cooling_balance_c == pytest.approx(22.0, abs=1.0)  # type: ignore[union-attr]
    assert model.beta_hdd_kwh_per_kd == pytest.approx(25.0, rel=0.08)  # type: ignore[union-attr]
    assert model.beta_cdd_kwh_per_kd == pytest.approx(40.0, rel=0.08)  # type: ignore[union-attr]
    assert fit.sufficiency.sufficient
    assert fit.gates_passed


def test_change_point_recovers_balance_points_and_slopes(temps: pd.Series) -> None:
    usage = daily_usage(temps, base=600.0, heat=30.0, cool=45.0, t_heat=13.0, t_cool=23.0, noise=15.0)
    fit = fit_baseline("change_point", usage, temps, BASELINE)
    model = fit.model
    assert model.kind == "change_point"
    assert model.shape == "5p"  # type: ignore[union-attr]
    assert model.heating_change_c == pytest.approx(13.0, abs=0.6)  # type: ignore[union-attr]
    assert model.cooling_change_c == pytest.approx(23.0, abs=0.6)  # type: ignore[union-attr]
    assert model.heating_slope_kwh_per_day_k == pytest.approx(30.0, rel=0.08)  # type: ignore[union-attr]
    assert model.cooling_slope_kwh_per_day_k == pytest.approx(45.0, rel=0.08)  # type: ignore[union-attr]
    assert model.intercept_kwh_per_day == pytest.approx(600.0, rel=0.02)  # type: ignore[union-attr]


def test_change_point_three_parameter_cooling(temps: pd.Series) -> None:
    usage = daily_usage(temps, heat=0.0, cool=50.0, t_cool=20.0, noise=10.0)
    fit = fit_baseline("change_point", usage, temps, BASELINE, shape="3p_cooling")
    assert fit.model.cooling_change_c == pytest.approx(20.0, abs=0.6)  # type: ignore[union-attr]
    monthly = fit_baseline("change_point", usage, temps, BASELINE, resolution="monthly")
    assert monthly.resolution == "monthly"
    assert monthly.n == 12


def test_savings_of_a_known_cut(temps: pd.Series) -> None:
    usage = daily_usage(temps, savings_from="2024-01-01", savings_fraction=0.15)
    for method in ("caltrack_daily", "change_point"):
        result = measure_savings(method, usage, temps, baseline=BASELINE, reporting=REPORTING)
        assert result.savings_fraction == pytest.approx(0.15, abs=0.01)
        assert result.savings_kwh == pytest.approx(result.predicted_kwh - result.observed_kwh)
        assert 0 < result.fsu < 0.1
        assert result.m == 366


def test_caltrack_hourly(hourly_usage: pd.Series, temps: pd.Series) -> None:
    result = measure_savings("caltrack_hourly", hourly_usage, temps, baseline=BASELINE, reporting=REPORTING)
    assert result.fit.resolution == "hourly"
    assert result.savings_fraction == pytest.approx(0.10, abs=0.01)
    assert {g.resolution for g in result.fit.gates} == {"hourly", "monthly"}
    assert result.fit.gates_passed
    months = result.fit.model.months  # type: ignore[union-attr]
    assert len(months) == 12
    occupied = np.array(months[0].occupied).reshape(7, 24)
    assert occupied[:5, 10].all()  # weekday mornings are occupied
    assert not occupied[5:, 3].any()  # weekend nights are not


def test_hourly_method_needs_hourly_data(temps: pd.Series) -> None:
    with pytest.raises(MvInputError, match="hourly meter data"):
        fit_baseline("caltrack_hourly", daily_usage(temps), temps, BASELINE)


def test_insufficient_baseline_is_refused_naming_the_rule(temps: pd.Series) -> None:
    usage = daily_usage(temps)
    short = usage[usage.index < pd.Timestamp("2023-10-01", tz=TZ)]
    with pytest.raises(InsufficientDataError, match="missing_days") as caught:
        fit_baseline("caltrack_daily", short, temps, BASELINE)
    assert caught.value.rules == ("missing_days",)
    fit = fit_baseline("caltrack_daily", short, temps, BASELINE, allow_insufficient=True)
    assert not fit.sufficiency.sufficient
    assert fit.flags == ("insufficient_data: missing_days",)
    half_year = Period.parse("2023-01-01T00:00+08:00/2023-07-01T00:00+08:00")
    with pytest.raises(InsufficientDataError, match="baseline_length"):
        fit_baseline("change_point", usage, temps, half_year)


def test_temperature_coverage_rule(temps: pd.Series) -> None:
    sparse = temps[temps.index >= pd.Timestamp("2023-03-01", tz=TZ)]
    with pytest.raises(InsufficientDataError, match="temperature_coverage"):
        fit_baseline("caltrack_daily", daily_usage(temps), sparse, BASELINE)


def test_dispatcher_rejects_unknown_methods(temps: pd.Series) -> None:
    assert set(METHODS) == {"caltrack_daily", "caltrack_hourly", "change_point"}
    with pytest.raises(MvInputError, match="not an M&V method"):
        fit_baseline("ols", daily_usage(temps), temps, BASELINE)


def test_non_routine_event_is_excluded_with_reason(temps: pd.Series) -> None:
    usage = daily_usage(temps, savings_from="2024-01-01", savings_fraction=0.15).copy()
    event = (usage.index >= pd.Timestamp("2024-03-01", tz=TZ)) & (
        usage.index < pd.Timestamp("2024-04-01", tz=TZ)
    )
    usage[event] *= 3.0  # a temporary tenant: not a routine change
    naive = measure_savings("caltrack_daily", usage, temps, baseline=BASELINE, reporting=REPORTING)
    window = Exclusion(
        pd.Timestamp("2024-03-01", tz=TZ), pd.Timestamp("2024-04-01", tz=TZ), "temporary tenant"
    )
    clean = measure_savings(
        "caltrack_daily", usage, temps, baseline=BASELINE, reporting=REPORTING, exclusions=[window]
    )
    assert naive.savings_fraction < 0.05
    assert clean.savings_fraction == pytest.approx(0.15, abs=0.01)
    assert clean.excluded_observations == 31
    assert clean.m == 366 - 31
    with pytest.raises(MvInputError, match="reason"):
        Exclusion(window.start, window.end, " ")


def test_result_round_trips_as_strict_json(temps: pd.Series) -> None:
    usage = daily_usage(temps, savings_from="2024-01-01", savings_fraction=0.1)
    result = measure_savings("caltrack_daily", usage, temps, baseline=BASELINE, reporting=REPORTING)
    text = json.dumps(result.to_dict(), allow_nan=False)
    again = SavingsResult.from_dict(json.loads(text))
    assert again.savings_kwh == result.savings_kwh
    assert again.fit.model == result.fit.model


def test_bad_input_is_named(temps: pd.Series) -> None:
    usage = daily_usage(temps).copy()
    usage.iloc[5] = np.nan
    with pytest.raises(MvInputError, match="non-finite value at 2023-01-06"):
        fit_baseline("caltrack_daily", usage, temps, BASELINE)
    with pytest.raises(MvInputError, match="reporting period must start"):
        measure_savings("caltrack_daily", daily_usage(temps), temps, baseline=BASELINE, reporting=BASELINE)


def test_metrics_dof_and_gates() -> None:
    y = np.array([10.0, 12.0, 11.0, 13.0])
    f = np.array([11.0, 11.0, 11.0, 11.0])
    # residuals -1, 1, 0, 2: sum 2, squares 6; mean 11.5; p = 2 -> dof 2
    assert cvrmse(y, f, 2) == pytest.approx((6 / 2) ** 0.5 / 11.5)
    assert nmbe(y, f, 2) == pytest.approx(2 / (2 * 11.5))
    gate = g14_gate("monthly", y, f, 2)
    assert not gate.passed  # CV(RMSE) 15.1 % > 15 %
    assert g14_gate("hourly", y, f, 2).passed
