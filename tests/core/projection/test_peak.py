"""Peak tests: sustained decline and the C40 criteria, scalar and by draw."""

import numpy as np
import pytest

from carbonpeak.core.projection import (
    PEAK_TESTS,
    ProjectionError,
    assess_peak,
    c40,
    peak_year_by_draw,
    sustained_decline,
    sustained_decline_by_draw,
)

YEARS = list(range(2020, 2025))


def test_sustained_decline_passes_and_fails_on_the_threshold():
    values = [1.0, 3.0, 2.9, 2.8, 2.7]
    ok = sustained_decline(YEARS, values, min_years=3, min_decline_pct=1.0)
    assert ok.peaked
    assert ok.peak_year == 2021
    assert ok.peak_value == 3.0
    strict = sustained_decline(YEARS, values, min_years=3, min_decline_pct=5.0)  # 2.9 > 2.85
    assert not strict.peaked
    assert [c.passed for c in strict.criteria] == [True, False]
    short = sustained_decline(YEARS, values, min_years=4)
    assert not short.peaked
    assert short.criteria[0].name == "years_after_peak"


def test_still_rising_has_not_peaked():
    a = sustained_decline(YEARS, [1, 2, 3, 4, 5])
    assert not a.peaked
    assert a.peak_year == 2024


def test_a_rebound_above_the_threshold_fails():
    # the maximum is 2021; 2023 comes back within 1 % of it
    assert not sustained_decline(YEARS, [1.0, 3.0, 2.5, 2.99, 2.5]).peaked


def test_nan_is_ignored_and_empty_is_not_a_peak():
    assert sustained_decline(YEARS, [1.0, 3.0, np.nan, 2.0, 1.0], min_years=2).peaked  # 2 values after 2021
    empty = sustained_decline([], [])
    assert not empty.peaked
    assert empty.peak_year is None


C40_YEARS = list(range(2005, 2021))
C40_VALUES = [90, 95, 98, 99, 99.5, 100, 98, 97, 95, 94, 92, 91, 90, 88, 87, 85]  # peak 2010, latest 2020


def test_c40_city_that_has_peaked():
    a = c40(C40_YEARS, C40_VALUES, as_of_year=2023)
    assert a.peaked, a.criteria
    assert (a.peak_year, a.peak_value) == (2010, 100)


def test_c40_peak_must_be_more_than_five_years_before_the_latest_point():
    a = c40(C40_YEARS[:11], [*C40_VALUES[:6], 90, 89, 88, 87, 86], as_of_year=2016)  # peak 2010, latest 2015
    assert not a.peaked
    assert {c.name: c.passed for c in a.criteria} == {
        "data_points": True,
        "peak_before_latest": False,
        "latest_recent": True,
        "peak_above_latest": True,
    }


def test_c40_latest_point_must_be_at_most_five_years_old():
    assert c40(C40_YEARS, C40_VALUES, as_of_year=2025).peaked
    late = c40(C40_YEARS, C40_VALUES, as_of_year=2026)
    assert not late.peaked
    assert not dict((c.name, c.passed) for c in late.criteria)["latest_recent"]


def test_c40_peak_must_be_more_than_ten_percent_above_the_latest():
    values = [*C40_VALUES[:-1], 92.0]  # 100 > 92 x 1.1 = 101.2 fails
    assert not c40(C40_YEARS, values, as_of_year=2021).peaked
    values = [*C40_VALUES[:-1], 90.0]  # 100 > 99 passes
    assert c40(C40_YEARS, values, as_of_year=2021).peaked


def test_c40_needs_three_points():
    a = c40([2005, 2015], [100, 50], as_of_year=2016)
    assert not a.peaked
    assert not a.criteria[0].passed
    assert c40([2005, 2010, 2015], [100, 80, 50], as_of_year=2016).peaked


def test_dispatcher():
    assert set(PEAK_TESTS) == {"sustained_decline", "c40"}
    assert assess_peak(YEARS, [1.0, 3.0, 2.9, 2.8, 2.7]).method == "sustained_decline"
    assert assess_peak(C40_YEARS, C40_VALUES, method="c40", as_of_year=2023).peaked
    with pytest.raises(ProjectionError, match="unknown peak test 'plateau'"):
        assess_peak(YEARS, [1, 2, 3, 4, 5], method="plateau")
    with pytest.raises(ProjectionError, match="same length"):
        assess_peak(YEARS, [1, 2])


def test_vectorised_tests_agree_with_the_scalar_ones():
    rng = np.random.default_rng(11)
    years = list(range(2020, 2036))
    paths = np.cumsum(rng.normal(0, 1, (2000, 16)), axis=1) + 100
    by_draw = sustained_decline_by_draw(years, paths, min_years=3, min_decline_pct=1.0)
    scalar = [sustained_decline(years, row, min_years=3, min_decline_pct=1.0).peaked for row in paths]
    assert by_draw.tolist() == scalar
    assert 0 < by_draw.sum() < len(paths)  # both outcomes occur
    peaks = peak_year_by_draw(years, paths)
    assert peaks.tolist() == [sustained_decline(years, row).peak_year for row in paths]


def test_peak_year_ties_take_the_first_year():
    assert peak_year_by_draw([2020, 2021, 2022], np.array([[1.0, 2.0, 2.0]])).tolist() == [2021]
