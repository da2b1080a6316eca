"""Trajectories and reduction rates against hand calculations."""

import math
from datetime import date

import pytest

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.tracking import (
    TrackingError,
    UnknownMethodError,
    compound_trajectory,
    expected_value,
    linear_trajectory,
    reduction_rate,
    trajectory,
    year_time,
)


def test_linear_trajectory_of_the_energy_intensity_target():
    # 13.5 % cut of 1.0 from 2020 to 2025: two fifths of the way in 2022, 1 - 0.135 x 2/5 = 0.946
    assert expected_value(1.0, 0.865, start=2020, end=2025, at=2022) == pytest.approx(0.946)
    assert linear_trajectory(1.0, 0.865, 0.4) == pytest.approx(0.946)


def test_compound_trajectory_of_the_energy_intensity_target():
    # constant rate: 0.865 ** (2/5) = exp(0.4 x ln 0.865) = exp(0.4 x -0.145026) = exp(-0.058010) = 0.943640
    got = expected_value(1.0, 0.865, start=2020, end=2025, at=2022, method="compound")
    assert got == pytest.approx(0.943640, abs=1e-6)
    assert compound_trajectory(1.0, 0.865, 0.4) == pytest.approx(0.865**0.4)
    # the compound path falls faster at first than the linear one, and both end on the target
    assert got < 0.946
    assert expected_value(1.0, 0.865, start=2020, end=2025, at=2025, method="compound") == pytest.approx(
        0.865
    )


def test_reduction_rate_solves_the_compound_equation():
    # r = 1 - 0.865 ** (1/5) = 1 - exp(0.2 x -0.145026) = 1 - 0.971411 = 0.028589 per year
    r = reduction_rate(13.5, 5)
    assert r == pytest.approx(0.028589, abs=1e-6)
    assert (1 - r) ** 5 == pytest.approx(0.865)
    # the compound trajectory is that rate applied year by year: 2022 = (1 - r) ** 2
    assert (1 - r) ** 2 == pytest.approx(
        expected_value(1.0, 0.865, start=2020, end=2025, at=2022, method="compound")
    )


def test_trajectory_is_clamped_to_baseline_before_and_target_after():
    values = trajectory(10.0, 20.0, start=2020, end=2025, at=[2018, 2020, 2023, 2025, 2030])
    assert values == pytest.approx([10.0, 10.0, 16.0, 20.0, 20.0])


def test_unknown_trajectory_method_is_refused_with_the_known_names():
    with pytest.raises(UnknownMethodError, match=r"unknown trajectory method 'quadratic'.*linear, compound"):
        expected_value(1.0, 0.865, start=2020, end=2025, at=2022, method="quadratic")
    assert issubclass(UnknownMethodError, CarbonpeakError)
    assert issubclass(UnknownMethodError, ValueError)


def test_compound_needs_positive_values_and_a_trajectory_must_move_forward():
    with pytest.raises(TrackingError, match="positive baseline"):
        expected_value(0.0, 2.9, start=2020, end=2025, at=2022, method="compound")
    with pytest.raises(TrackingError, match="end after it starts"):
        expected_value(1.0, 0.865, start=2025, end=2025, at=2025)
    with pytest.raises(TrackingError):
        reduction_rate(100, 5)


def test_year_axis_puts_year_ends_on_whole_numbers():
    assert year_time(date(2022, 12, 31)) == 2022.0
    assert year_time(date(2024, 12, 31)) == 2024.0  # leap year
    # 30 June 2023 is day 181 of 365: 2022 + 181/365
    assert year_time(date(2023, 6, 30)) == pytest.approx(2022 + 181 / 365)
    assert math.isclose(year_time(date(2023, 1, 1)), 2022 + 1 / 365)
