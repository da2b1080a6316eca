"""Intensity at comparable prices and progress toward the −13.5 % target, against hand-worked numbers."""

import pytest

from carbonpeak.core.inventory import StatisticRecord, YearTotals, compute_intensities
from carbonpeak.core.inventory.intensity import IntensityTarget, coal_rates, target_trajectory

# the reference plan's goal (data/plans/yangpu-2022.yaml, 二): energy intensity 13.5 % below 2020 by 2025
GOAL = {"price_base_year": 2020, "target": IntensityTarget(2020, 2025, 13.5)}


def stats(year, gdp, deflator, unit="万元"):
    return [
        StatisticRecord(year, "d", "gdp_current", gdp, unit),
        StatisticRecord(year, "d", "gdp_deflator", deflator, "dimensionless"),
    ]


def test_hand_worked_progress():
    totals = [
        YearTotals(2020, "d", energy_tce=100.0, co2_t=250.0),
        YearTotals(2023, "d", energy_tce=99.0, co2_t=240.0),
    ]
    rows = compute_intensities(totals, stats(2020, 1000.0, 100.0) + stats(2023, 1200.0, 110.0), **GOAL)
    base, later = rows
    assert base.energy_intensity_tce_per_10k_yuan == pytest.approx(0.1)
    # 2023 at 2020 prices: 1200 x 100 / 110 = 1090.909 万元; 99 / 1090.909 = 0.09075 tce/万元
    assert later.gdp_10k_yuan == pytest.approx(1090.9090909)
    assert later.energy_intensity_tce_per_10k_yuan == pytest.approx(0.09075)
    assert later.energy_intensity_change_pct == pytest.approx(-9.25)
    assert later.target_progress == pytest.approx(0.0925 / 0.135)
    # target 0.0865; needed over 2 years: 1 - (0.0865 / 0.09075) ** 0.5 = 2.3697 %
    assert later.required_annual_rate_pct == pytest.approx(2.36966, abs=1e-4)
    assert later.co2_intensity_change_pct == pytest.approx(100 * ((240 / 1090.9090909) / 0.25 - 1))


def test_gdp_units_and_missing_inputs_are_flagged():
    totals = [
        YearTotals(2020, "d", energy_tce=100.0, co2_t=1.0),
        YearTotals(2021, "d", energy_tce=100.0, co2_t=1.0),
    ]
    rows = compute_intensities(
        totals,
        [*stats(2020, 0.1, 100.0, unit="亿元"), StatisticRecord(2021, "d", "gdp_current", 1000.0, "万元")],
        **GOAL,
    )
    assert rows[0].gdp_10k_yuan == pytest.approx(1000.0)  # 0.1 亿元 = 1000 万元
    assert rows[1].energy_intensity_tce_per_10k_yuan is None
    assert "no gdp_deflator" in rows[1].flags[0]


def test_target_already_met_needs_no_further_cut():
    totals = [
        YearTotals(2020, "d", energy_tce=100.0, co2_t=1.0),
        YearTotals(2024, "d", energy_tce=80.0, co2_t=1.0),
    ]
    rows = compute_intensities(totals, stats(2020, 1000.0, 100.0) + stats(2024, 1000.0, 100.0), **GOAL)
    assert rows[1].required_annual_rate_pct == 0.0
    assert rows[1].target_progress > 1


def test_trajectory_is_compound():
    path = target_trajectory(1.0, baseline_year=2020, target_year=2025, reduction_pct=13.5)
    assert path[2020] == 1.0
    assert path[2025] == pytest.approx(0.865)
    assert path[2021] / path[2020] == pytest.approx(path[2025] / path[2024])


def test_equal_value_basis_uses_the_equal_value_total():
    totals = [YearTotals(2020, "d", energy_tce=100.0, energy_tce_equal_value=None, co2_t=1.0)]
    (row,) = compute_intensities(totals, stats(2020, 1000.0, 100.0), basis="equal_value", **GOAL)
    assert row.energy_intensity_tce_per_10k_yuan is None
    assert "equal_value basis is incomplete" in row.flags[0]
    with pytest.raises(ValueError, match="unknown energy basis"):
        compute_intensities(totals, [], basis="gross", **GOAL)


def test_coal_rates_from_statistics():
    rates = coal_rates([StatisticRecord(2023, "d", "electricity_coal_rate", 305.0, "gce/kWh")])
    assert rates == {2023: pytest.approx(0.305)}
