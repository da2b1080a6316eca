"""Calibration and the driver x intensity x factor model: hand-worked checks."""

import numpy as np
import pytest

from carbonpeak.core.inventory import ActivityRecord, compute_inventory
from carbonpeak.core.projection import (
    DEFAULT_SEGMENTS,
    ProjectionError,
    Segment,
    bau_scenario,
    calibrate,
    history_from_records,
    project,
)
from carbonpeak.data import packaged_library

from .conftest import ELEC_CO2, ELEC_TCE, SEGMENTS, small_history


def test_zero_growth_and_no_levers_give_flat_emissions(small):
    p = project(small, bau_scenario(base_year=2018, horizon=2035))
    assert p.years == tuple(range(2018, 2036))
    assert p.last_history_year == 2020
    # 4 + 2 + 1 electricity x 4200 t + gas 1000 t + gasoline 3000 t + waste 1000 t
    expected = 7 * ELEC_CO2 + 1000 + 3000 + 1000
    assert p.total_co2_t == pytest.approx(np.full(18, expected), rel=1e-12)
    assert np.all(p.co2_t[:, 3:] == p.co2_t[:, [2]])  # every projection year equals 2020, cell by cell
    assert np.all(p.energy_tce[:, 3:] == p.energy_tce[:, [2]])


def test_grid_factor_falling_20_pct_cuts_scope2_by_20_pct_and_nothing_else(small):
    flat = project(small, bau_scenario(horizon=2030))
    greener = project(small, bau_scenario(horizon=2030, grid_t_per_mwh={2021: 0.42 * 0.8}))
    t = greener.year(2025)
    # 7 x 10,000 MWh x 0.336 t/MWh = 23,520 t instead of 29,400 t
    assert greener.scope2_co2_t()[t] == pytest.approx(7 * 10_000 * 0.336, rel=1e-12)
    assert greener.scope2_co2_t()[t] == pytest.approx(0.8 * flat.scope2_co2_t()[t], rel=1e-12)
    for (sector, carrier), co2 in greener.by_sector_carrier().items():
        before = flat.by_sector_carrier()[(sector, carrier)]
        if carrier == "electricity":
            assert co2[t] == pytest.approx(0.8 * before[t], rel=1e-12)
        else:
            assert co2[t] == before[t], (sector, carrier)
    assert np.array_equal(greener.energy_tce, flat.energy_tce)  # energy is untouched
    assert greener.total_co2_t[greener.year(2020)] == flat.total_co2_t[flat.year(2020)]  # history too


def test_grid_pathway_is_interpolated_between_given_years(small):
    p = project(small, bau_scenario(horizon=2030, grid_t_per_mwh={2020: 0.42, 2030: 0.21}))
    res = p.by_sector_carrier()[("residential", "electricity")]
    assert res[p.year(2025)] == pytest.approx(2 * 10_000 * 0.315, rel=1e-12)  # halfway: 0.315 t/MWh
    assert res[p.year(2030)] == pytest.approx(2 * 10_000 * 0.21, rel=1e-12)


def test_driver_growth_compounds_and_intensity_change_too(small):
    s = bau_scenario(horizon=2022, driver_growth={"vehicle_km": 0.10}, intensity_change={"transport": -0.05})
    p = project(small, s)
    gasoline = p.by_sector_carrier()[("transport", "gasoline")]
    assert gasoline[p.year(2022)] == pytest.approx(3000 * 1.1**2 * 0.95**2, rel=1e-12)
    assert p.activity[p.cells.index(("transport", "gasoline")), p.year(2022)] == pytest.approx(1.0e8 * 1.21)


def test_growth_by_year_schedule(small):
    s = bau_scenario(horizon=2022, driver_growth={"vehicle_km": {2021: 0.10, 2022: 0.0}})
    gasoline = project(small, s).by_sector_carrier()[("transport", "gasoline")]
    assert gasoline[-2:] == pytest.approx([3300.0, 3300.0], rel=1e-12)


def test_data_centre_share_splits_commercial_electricity(small):
    p = project(small, bau_scenario(horizon=2020))
    j = p.cells.index(("data_centres", "electricity"))
    assert p.energy_tce[j, -1] == pytest.approx(ELEC_TCE)  # 25 % of 4 x 1229 tce
    assert p.by_sector()["commercial"][-1] == pytest.approx(4 * ELEC_CO2 + 1000, rel=1e-12)


def test_history_of_the_demo_inventory_is_reproduced_exactly(demo):
    inventory, calibration = demo
    p = project(calibration, bau_scenario(base_year=2015, horizon=2024))
    history = history_from_records(inventory.records)
    got = p.by_sector_carrier()
    assert set(history) <= set(got)
    for key, series in history.items():
        for year, (energy, co2) in series.items():
            t = p.year(year)
            assert got[key][t] == pytest.approx(co2, rel=1e-12, abs=1e-9), (key, year)
            assert p.by_sector_carrier("energy_tce")[key][t] == pytest.approx(energy, rel=1e-12, abs=1e-9)
    for totals in inventory.years:
        t = p.year(totals.year)
        assert p.total_co2_t[t] == pytest.approx(totals.co2_t, rel=1e-9)
        assert p.total_energy_tce[t] == pytest.approx(totals.energy_tce, rel=1e-9)
        for sector, st in totals.by_sector.items():
            assert p.by_sector().get(sector, np.zeros(10))[t] == pytest.approx(st.co2_t, rel=1e-9, abs=1e-9)


def test_history_is_reproduced_with_uneven_history_and_drivers():
    rng = np.random.default_rng(7)
    years = range(2010, 2021)
    history = {
        ("commercial", "electricity"): {
            y: (float(e), float(e) * 3.41) for y, e in zip(years, rng.uniform(1e3, 1e5, 11), strict=True)
        },
        ("industry", "diesel"): {
            y: (float(e), float(e) * 2.1) for y, e in zip(years, rng.uniform(1, 1e4, 11), strict=True)
        },
        ("sinks", "co2e"): {y: (0.0, -float(e)) for y, e in zip(years, rng.uniform(1, 100, 11), strict=True)},
    }
    drivers = {
        "floor_area_public_m2": {y: float(v) for y, v in zip(years, rng.uniform(1e5, 1e7, 11), strict=True)},
        "gdp_secondary_10k_yuan": {
            y: float(v) for y, v in zip(years, rng.uniform(1e3, 1e6, 11), strict=True)
        },
    }
    c = calibrate(history, drivers)
    p = project(c, bau_scenario(base_year=2010, horizon=2020))
    for key, series in history.items():
        co2 = np.array([v[1] for v in series.values()])
        np.testing.assert_allclose(p.by_sector_carrier()[key], co2, rtol=1e-12)
    assert p.by_sector()["sinks"][0] < 0  # removals stay negative


def test_missing_driver_is_a_constant_index_with_a_note():
    c = calibrate(small_history(), {}, segments=SEGMENTS)
    assert not any(c.driver_supplied)
    assert any("floor_area_public_m2" in note for note in c.notes)
    p = project(c, bau_scenario(horizon=2025, driver_growth={"floor_area_public_m2": 0.1}))
    gas = p.by_sector_carrier()[("commercial", "natural_gas")]
    assert gas[-1] == pytest.approx(1000 * 1.1**5)  # the index still grows at the given rate


@pytest.mark.parametrize(
    ("history", "drivers", "message"),
    [
        ({("commercial", "coal_gas"): {2020: (1.0, 1.0)}}, {}, "unknown carrier"),
        ({("commercial", "electricity"): {2018: (1.0, 1.0), 2020: (1.0, 1.0)}}, {}, "contiguous"),
        ({("commercial", "electricity"): {2020: (0.0, 5.0)}}, {}, "zero energy"),
        (
            {("commercial", "electricity"): {2019: (1.0, 1.0), 2020: (1.0, 1.0)}},
            {"floor_area_public_m2": {2020: 5.0}},
            "no value for",
        ),
        (
            {("commercial", "electricity"): {2020: (1.0, 1.0)}},
            {"floor_area_public_m2": {2020: 0.0}},
            "must be positive",
        ),
        ({}, {}, "empty"),
    ],
)
def test_calibration_refuses_inconsistent_inputs(history, drivers, message):
    with pytest.raises(ProjectionError, match=message):
        calibrate(history, drivers)


def test_sector_without_segment_and_bad_shares_are_refused():
    with pytest.raises(ProjectionError, match="no segment for sector 'industry'"):
        calibrate({("industry", "diesel"): {2020: (1.0, 3.0)}}, {}, segments=SEGMENTS)
    bad = (Segment("a", "commercial", "x"), Segment("b", "commercial", "y", {"electricity": 1.5}))
    with pytest.raises(ProjectionError, match="shares"):
        calibrate({("commercial", "electricity"): {2020: (1.0, 3.0)}}, {}, segments=bad)
    two = (Segment("a", "commercial", "x"), Segment("b", "commercial", "y"))
    with pytest.raises(ProjectionError, match="exactly one remainder"):
        calibrate({("commercial", "electricity"): {2020: (1.0, 3.0)}}, {}, segments=two)


def test_base_year_before_history_is_refused(small):
    with pytest.raises(ProjectionError, match="before the first historical year"):
        project(small, bau_scenario(base_year=2010))


def test_unknown_growth_or_segment_names_are_refused(small):
    with pytest.raises(ProjectionError, match="unknown driver 'gpd'"):
        project(small, bau_scenario(driver_growth={"gpd": 0.1}))
    with pytest.raises(ProjectionError, match="unknown segment 'offices'"):
        project(small, bau_scenario(intensity_change={"offices": -0.01}))
    # a known driver that no segment uses (population) is accepted and ignored
    project(small, bau_scenario(driver_growth={"population": 0.01}))


def test_history_from_records_sums_rows_and_needs_one_area():
    lib = packaged_library()
    rows = [
        ActivityRecord(2020, "yangpu", "commercial", "electricity", 1, "万kWh", row=2),
        ActivityRecord(2020, "yangpu", "commercial", "electricity", 2, "万kWh", row=3),
        ActivityRecord(2020, "yangpu", "waste", "co2e", None, "tCO2e", notation="NE", row=4),
        ActivityRecord(2020, "wujiaochang", "commercial", "electricity", 5, "万kWh", row=5),
    ]
    result = compute_inventory(rows, lib)
    with pytest.raises(ProjectionError, match="several areas"):
        history_from_records(result.records)
    history = history_from_records(result.records, area="yangpu")
    assert list(history) == [("commercial", "electricity")]  # notation keys carry no number
    energy, co2 = history[("commercial", "electricity")][2020]
    assert energy == pytest.approx(3 * 1.229)
    assert co2 == pytest.approx(3 * 4.2)


def test_default_segments_cover_every_inventory_sector():
    from carbonpeak.core.inventory import SECTORS

    assert {s.sector for s in DEFAULT_SEGMENTS} == set(SECTORS)
