"""Peak tests: sustained decline and the C40 criteria, scalar and by draw."""

import numpy as np
import pytest

from carbonpeak.core.projection import (
    PEAK_TESTS,
    PEAK_TESTS_BY_DRAW,
    PeakProbability,
    ProjectionError,
    argmax,
    argmax_by_draw,
    assess_peak,
    c40,
    c40_by_draw,
    peak_probability,
    peak_year_by_draw,
    peaked_by_draw,
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


def test_c40_peak_must_be_at_least_five_years_before_the_latest_point():
    # C40 (2018), as reported: "that high point in emissions must be at least 5 years ago"
    # peak 2010, latest 2015
    five = c40(C40_YEARS[:11], [*C40_VALUES[:6], 89, 88, 87, 86, 85], as_of_year=2016)
    assert five.peaked, five.criteria
    four = c40(C40_YEARS[:10], [*C40_VALUES[:6], 89, 88, 87, 86], as_of_year=2016)  # peak 2010, latest 2014
    assert not four.peaked
    assert {c.name: c.passed for c in four.criteria} == {
        "data_points": True,
        "peak_before_latest": False,
        "latest_recent": True,
        "latest_below_peak": True,
    }


def test_c40_latest_point_must_be_at_most_five_years_old():
    assert c40(C40_YEARS, C40_VALUES, as_of_year=2025).peaked
    late = c40(C40_YEARS, C40_VALUES, as_of_year=2026)
    assert not late.peaked
    assert not dict((c.name, c.passed) for c in late.criteria)["latest_recent"]


def test_c40_latest_must_be_at_least_ten_percent_below_the_peak():
    # C40 (2018), as reported: "now at least 10 percent lower than their peak"
    assert c40(C40_YEARS, [*C40_VALUES[:-1], 90.0], as_of_year=2021).peaked  # 90 = 100 x 0.9: passes
    missed = c40(C40_YEARS, [*C40_VALUES[:-1], 90.5], as_of_year=2021)  # 9.5 % below
    assert not missed.peaked
    assert not dict((c.name, c.passed) for c in missed.criteria)["latest_below_peak"]
    # the old reading ("peak more than 10 % above the latest", 100 > 91 x 1.1 fails) passes here
    assert c40(C40_YEARS, [*C40_VALUES[:-1], 91.0], as_of_year=2021).peaked is False
    assert c40(C40_YEARS, [*C40_VALUES[:-1], 89.0], as_of_year=2021).peaked


def test_c40_needs_three_points():
    a = c40([2005, 2015], [100, 50], as_of_year=2016)
    assert not a.peaked
    assert not a.criteria[0].passed
    assert c40([2005, 2010, 2015], [100, 80, 50], as_of_year=2016).peaked


def test_dispatcher():
    assert set(PEAK_TESTS) == {"argmax", "sustained_decline", "c40"}
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


def test_argmax_peaks_when_the_maximum_is_not_the_last_year():
    a = argmax(YEARS, [1.0, 3.0, 2.9, 2.95, 2.99])
    assert a.peaked  # argmax ignores what follows: a rebound still counts
    assert a.peak_year == 2021
    assert not argmax(YEARS, [1, 2, 3, 4, 5]).peaked
    assert not argmax([], []).peaked


def test_every_test_has_a_by_draw_twin_that_agrees_with_it():
    assert set(PEAK_TESTS_BY_DRAW) == set(PEAK_TESTS)
    rng = np.random.default_rng(7)
    years = list(range(2020, 2036))
    paths = np.cumsum(rng.normal(-0.3, 1, (1500, 16)), axis=1) + 100
    assert argmax_by_draw(years, paths).tolist() == [argmax(years, row).peaked for row in paths]
    c40_draws = c40_by_draw(years, paths)
    assert c40_draws.tolist() == [c40(years, row, as_of_year=2035).peaked for row in paths]
    assert 0 < c40_draws.sum() < len(paths)


def test_peaked_by_draw_needs_the_peak_year_and_the_test():
    years = [2020, 2021, 2022, 2023, 2024, 2025, 2026]
    paths = np.array(
        [
            [1.0, 2.0, 3.0, 2.5, 2.4, 2.3, 2.0],  # peak 2022, sustained decline, 33 % below at the end
            [1.0, 2.0, 3.0, 2.99, 2.98, 2.97, 2.96],  # peak 2022, declines by < 1 %
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],  # still rising
            [1.0, 2.0, 2.5, 2.6, 3.0, 2.0, 1.0],  # peak 2024: too late for 2023
        ]
    )
    assert peaked_by_draw(years, paths, test="argmax", peak_by=2023).tolist() == [True, True, False, False]
    assert peaked_by_draw(years, paths, test="argmax", peak_by=2026).tolist() == [True] * 4
    sustained = peaked_by_draw(years, paths, test="sustained_decline", peak_by=2023)
    assert sustained.tolist() == [True, False, False, False]
    # C40: the peak at least 4 years before the latest (2026 - 2022 = 4) and 10 % below it
    loose = peaked_by_draw(years, paths, test="c40", peak_by=2023, years_since_peak_at_least=4)
    assert loose.tolist() == [True, False, False, False]
    assert not peaked_by_draw(years, paths, test="c40", peak_by=2023).any()  # 4 years < 5
    with pytest.raises(ProjectionError, match="unknown peak test 'c41'"):
        peaked_by_draw(years, paths, test="c41", peak_by=2023)
    with pytest.raises(ProjectionError, match="'argmax' takes no parameters"):
        peaked_by_draw(years, paths, test="argmax", peak_by=2023, min_years=2)
    with pytest.raises(ProjectionError, match="peak test 'c40'"):
        peaked_by_draw(years, paths, test="c40", peak_by=2023, min_years=2)


def test_peak_probability_is_a_share_and_round_trips():
    years = [2020, 2021, 2022, 2023]
    paths = np.array([[1.0, 3.0, 2.0, 1.0], [1.0, 2.0, 3.0, 4.0]])
    result = peak_probability(years, paths, test="argmax", peak_by=2022)
    assert result == PeakProbability("argmax", 2022, 0.5, 2, ())
    assert PeakProbability.from_dict(result.to_dict()) == result
    tuned = peak_probability(years, paths, test="sustained_decline", peak_by=2022, min_years=2)
    assert tuned.params == (("min_years", 2.0),)
    assert tuned.p_peak_by == 0.5
