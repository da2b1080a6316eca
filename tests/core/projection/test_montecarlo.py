"""Monte Carlo: reproducibility, the uncertainty specification and the statistics."""

from dataclasses import replace

import numpy as np
import pytest

from carbonpeak.core.projection import (
    DEFAULT_UNCERTAINTY,
    SAMPLERS,
    Distribution,
    ProjectionError,
    bau_scenario,
    plan_scenario,
    project,
    sample,
    simulate,
)

from .conftest import DEMO_GROWTH


def with_uncertainty(scenario, *specs):
    return replace(scenario, uncertainty=specs)


@pytest.fixture(scope="module")
def plan():
    return plan_scenario(driver_growth=DEMO_GROWTH, grid_t_per_mwh={2025: 0.42, 2035: 0.3})


def test_same_seed_gives_the_same_result_exactly(demo, plan):
    _, calibration = demo
    a = simulate(calibration, plan, draws=500, seed=42)
    b = simulate(calibration, plan, draws=500, seed=42)
    assert np.array_equal(a.co2_t, b.co2_t)
    assert a.peak_year_distribution() == b.peak_year_distribution()


def test_different_seeds_differ(demo, plan):
    _, calibration = demo
    a = simulate(calibration, plan, draws=500, seed=1)
    b = simulate(calibration, plan, draws=500, seed=2)
    assert not np.array_equal(a.co2_t, b.co2_t)
    future = [i for i, y in enumerate(a.years) if y > 2024]
    assert np.all(a.co2_t[:, future].std(axis=0) > 0)  # draws spread in projection years
    history = [i for i, y in enumerate(a.years) if y <= 2024]
    assert np.array_equal(a.co2_t[:, history], b.co2_t[:, history])  # history is not drawn


def test_no_uncertainty_reproduces_the_deterministic_projection(demo, plan):
    _, calibration = demo
    mc = simulate(calibration, with_uncertainty(plan), draws=4, seed=0)
    central = project(calibration, plan).total_co2_t
    np.testing.assert_allclose(mc.co2_t, np.tile(central, (4, 1)), rtol=1e-12)


def test_growth_draws_move_emissions_the_right_way(small):
    low = Distribution("growth:vehicle_km", "uniform", {"low": -0.1, "high": -0.1})
    high = Distribution("growth:*", "uniform", {"low": 0.1, "high": 0.1})
    base = bau_scenario(horizon=2021)
    down = simulate(small, with_uncertainty(base, low), draws=2, seed=0).co2_t[:, -1]
    up = simulate(small, with_uncertainty(base, high, low), draws=2, seed=0).co2_t[:, -1]
    flat = project(small, base).total_co2_t[-1]
    # transport (3000 t gasoline + 4200 t electricity) at -10 %; with growth:* every other driver +10 %
    assert down == pytest.approx(np.full(2, flat - 720.0))
    assert up == pytest.approx(np.full(2, flat - 720.0 + 0.1 * (flat - 7200.0)))


def test_statistics(demo, plan):
    _, calibration = demo
    mc = simulate(calibration, plan, draws=2000, seed=5)
    assert mc.draws == 2000
    assert np.all(mc.percentile(10) <= mc.percentile(50))
    assert np.all(mc.percentile(50) <= mc.percentile(90))
    dist = mc.peak_year_distribution()
    assert sum(dist.values()) == pytest.approx(1.0)
    assert mc.p_peak_by(2030) == pytest.approx(sum(p for y, p in dist.items() if y <= 2030))
    assert mc.p_peak_by(2035) == 1.0
    assert np.all(mc.peak_co2_t >= mc.co2_t[:, -1])
    assert 0.0 <= mc.p_sustained_decline() <= 1.0


def test_distribution_specs_are_validated():
    with pytest.raises(ProjectionError, match="unknown distribution 'beta'"):
        Distribution("growth:*", "beta", {"a": 1.0, "b": 1.0})
    with pytest.raises(ProjectionError, match="takes parameters"):
        Distribution("growth:*", "normal", {"mean": 0.0})
    with pytest.raises(ProjectionError, match="<kind>:<item>"):
        Distribution("weather:*", "normal", {"mean": 0.0, "sd": 1.0})
    with pytest.raises(ProjectionError, match="triangular"):
        Distribution("delivery:*", "triangular", {"left": 1.0, "mode": 0.5, "right": 0.9})
    with pytest.raises(ProjectionError, match="spread"):
        Distribution("growth:*", "normal", {"mean": 0.0, "sd": -1.0})
    with pytest.raises(ProjectionError, match="unknown uncertainty keys"):
        Distribution.from_dict({"name": "growth:*", "dist": "normal", "params": {}, "sigma": 1})


def test_sampler_dispatcher_refuses_unknown_names():
    spec = Distribution("growth:*", "normal", {"mean": 0.0, "sd": 1.0})
    object.__setattr__(spec, "dist", "cauchy")  # bypass validation to reach the dispatcher
    with pytest.raises(ProjectionError, match="unknown distribution 'cauchy'"):
        sample(spec, np.random.default_rng(0), 3)


@pytest.mark.parametrize(
    ("dist", "params", "low", "high"),
    [
        ("normal", {"mean": 0.0, "sd": 0.01}, -0.1, 0.1),
        ("lognormal", {"mean": 0.0, "sigma": 0.1}, 0.0, 3.0),
        ("triangular", {"left": 0.5, "mode": 0.9, "right": 1.0}, 0.5, 1.0),
        ("uniform", {"low": 2.0, "high": 3.0}, 2.0, 3.0),
    ],
)
def test_each_distribution_samples_within_its_support(dist, params, low, high):
    assert dist in SAMPLERS
    draws = Distribution("delivery:*", dist, params).sample(np.random.default_rng(0), 10_000)
    assert draws.shape == (10_000,)
    assert low <= draws.min()
    assert draws.max() <= high


def test_unknown_items_in_specs_are_refused(small):
    bad = with_uncertainty(bau_scenario(), Distribution("growth:gpd", "normal", {"mean": 0, "sd": 0.01}))
    with pytest.raises(ProjectionError, match="unknown growth item"):
        simulate(small, bad, draws=10)
    bad = with_uncertainty(bau_scenario(), Distribution("delivery:magic", "uniform", {"low": 0, "high": 1}))
    with pytest.raises(ProjectionError, match="unknown delivery item"):
        simulate(small, bad, draws=10)
    with pytest.raises(ProjectionError, match="at least 1"):
        simulate(small, bau_scenario(), draws=0)


def test_default_uncertainty_is_labelled_as_assumption():
    assert all(spec.note.startswith("assumption") for spec in DEFAULT_UNCERTAINTY)
    assert [Distribution.from_dict(s.to_dict()) for s in DEFAULT_UNCERTAINTY] == list(DEFAULT_UNCERTAINTY)
