"""LMDI-I additive decomposition: hand-worked cases, zero limits and no residual."""

import math

import numpy as np
import pytest

from carbonpeak.core.projection import (
    FACTORS,
    KayaPoint,
    ProjectionError,
    bau_scenario,
    decompose,
    kaya,
    lmdi_additive,
    logarithmic_mean,
    plan_scenario,
    project,
)

from .conftest import DEMO_GROWTH


def test_activity_doubling_is_all_activity_effect():
    e = lmdi_additive({"a": [10.0], "i": [2.0]}, {"a": [20.0], "i": [2.0]})
    assert e["a"][0] == pytest.approx(20.0)
    assert e["i"][0] == 0.0


def test_offsetting_factors():
    # C = 10 -> 10: L = 10, activity 10 ln 2, intensity 10 ln 0.5
    e = lmdi_additive({"a": [10.0], "i": [1.0]}, {"a": [20.0], "i": [0.5]})
    assert e["a"][0] == pytest.approx(10 * math.log(2))
    assert e["i"][0] == pytest.approx(-10 * math.log(2))


def test_hand_worked_three_factor_example():
    # C0 = 2 x 3 x 4 = 24, C1 = 3 x 3 x 2 = 18, L = 6 / ln(24/18)
    e = lmdi_additive({"x": [2.0], "y": [3.0], "z": [4.0]}, {"x": [3.0], "y": [3.0], "z": [2.0]})
    weight = 6 / math.log(24 / 18)
    assert e["x"][0] == pytest.approx(weight * math.log(1.5))
    assert e["z"][0] == pytest.approx(weight * math.log(0.5))
    assert e["x"][0] + e["y"][0] + e["z"][0] == pytest.approx(-6.0, rel=1e-12)


def test_zero_values_take_the_analytical_limits():
    # a cell that appears gives all of C1 to the factor that was zero
    e = lmdi_additive({"a": [0.0], "i": [3.0]}, {"a": [2.0], "i": [4.0]})
    assert (e["a"][0], e["i"][0]) == (8.0, 0.0)
    # two factors zero: equal parts (the limit with delta -> 0 for both)
    e = lmdi_additive({"a": [0.0], "i": [0.0], "f": [1.0]}, {"a": [2.0], "i": [4.0], "f": [1.0]})
    assert (e["a"][0], e["i"][0], e["f"][0]) == (4.0, 4.0, 0.0)
    # a cell that vanishes gives -C0 to the factor that became zero
    e = lmdi_additive({"a": [5.0], "i": [2.0]}, {"a": [5.0], "i": [0.0]})
    assert (e["a"][0], e["i"][0]) == (0.0, -10.0)
    # zero in both years: nothing
    e = lmdi_additive({"a": [0.0], "i": [2.0]}, {"a": [0.0], "i": [3.0]})
    assert (e["a"][0], e["i"][0]) == (0.0, 0.0)


def test_the_zero_limit_matches_a_small_replacement_value():
    delta = 1e-12
    exact = lmdi_additive({"a": [0.0], "i": [3.0]}, {"a": [2.0], "i": [4.0]})
    near = lmdi_additive({"a": [delta], "i": [3.0]}, {"a": [2.0], "i": [4.0]})
    assert near["a"][0] == pytest.approx(exact["a"][0], rel=0.05)  # converges slowly, as 1/ln(delta)


def test_negative_values_of_constant_sign():
    # a sink: -10 -> -30 t, activity x3 (its intensity is negative)
    e = lmdi_additive({"ha": [10.0], "i": [-1.0]}, {"ha": [30.0], "i": [-1.0]})
    assert e["ha"][0] == pytest.approx(-20.0)
    assert e["i"][0] == 0.0


def test_logarithmic_mean():
    assert logarithmic_mean(2.0, 2.0) == 2.0
    assert logarithmic_mean(np.e, 1.0) == pytest.approx(np.e - 1)
    assert logarithmic_mean(1 + 1e-12, 1.0) == pytest.approx(1 + 5e-13, rel=1e-15)
    assert logarithmic_mean(-4.0, -1.0) == pytest.approx(-3 / math.log(4))
    with pytest.raises(ProjectionError):
        logarithmic_mean(1.0, -1.0)


def test_many_random_cells_have_no_residual():
    rng = np.random.default_rng(3)
    x0 = {k: rng.uniform(0.1, 10, 500) for k in "abcd"}
    x1 = {k: v * rng.uniform(0.5, 2, 500) for k, v in x0.items()}
    for k in "ab":  # some zeros
        x0[k][rng.integers(0, 500, 40)] = 0.0
        x1[k][rng.integers(0, 500, 40)] = 0.0
    e = lmdi_additive(x0, x1)
    change = np.prod(list(x1.values()), axis=0) - np.prod(list(x0.values()), axis=0)
    np.testing.assert_allclose(sum(e.values()), change, rtol=1e-12, atol=1e-12)


def test_decomposition_of_a_projection_sums_to_the_total_change(demo):
    _, calibration = demo
    for scenario in (
        bau_scenario(base_year=2015, driver_growth=DEMO_GROWTH),
        plan_scenario(base_year=2015, driver_growth=DEMO_GROWTH, grid_t_per_mwh={2030: 0.3}),
    ):
        p = project(calibration, scenario)
        for y0, y1 in ((2015, 2024), (2020, 2030), (2024, 2035), (2035, 2020)):
            d = decompose(p, y0, y1)
            change = p.total_co2_t[p.year(y1)] - p.total_co2_t[p.year(y0)]
            assert d.total_change_t == pytest.approx(change, rel=1e-12)
            assert sum(d.effects.values()) == pytest.approx(change, rel=1e-9, abs=1e-6)
            assert sum(sum(row.values()) for row in d.by_sector.values()) == pytest.approx(
                change, rel=1e-9, abs=1e-6
            )
            assert set(d.effects) == set(FACTORS)


def test_grid_factor_change_shows_as_emission_factor_effect(small):
    p = project(small, bau_scenario(horizon=2025, grid_t_per_mwh={2021: 0.42 * 0.8}))
    d = decompose(p, 2020, 2025)
    assert d.effects["emission_factor"] == pytest.approx(-0.2 * 7 * 4200, rel=1e-12)
    assert d.effects["activity"] == d.effects["intensity"] == d.effects["mix"] == 0.0


def test_kaya_identity():
    before = KayaPoint(population=1.0e6, gdp_10k_yuan=2.0e7, energy_tce=1.0e6, co2_t=2.5e6)
    after = KayaPoint(population=1.0e6, gdp_10k_yuan=4.0e7, energy_tce=1.0e6, co2_t=2.5e6)
    e = kaya(before, after)
    # GDP per capita doubles while energy stays: affluence and intensity offset exactly
    assert e["population"] == 0.0
    assert e["gdp_per_capita"] == pytest.approx(2.5e6 * math.log(2))
    assert e["energy_intensity"] == pytest.approx(-2.5e6 * math.log(2))
    assert e["carbon_intensity"] == 0.0
    with pytest.raises(ProjectionError):
        KayaPoint(0, 1, 1, 1).factors()
