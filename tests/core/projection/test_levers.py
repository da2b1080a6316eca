"""Plan levers: hand-worked effects, plan defaults against the plan file, serialisation and wedges."""

import json
from dataclasses import replace

import numpy as np
import pytest
import yaml

from carbonpeak.core.projection import (
    LEVER_ORDER,
    LEVERS,
    DataCentrePue,
    Distribution,
    GreenSpaceSink,
    NevShare,
    ProjectionError,
    PublicBuildingRetrofit,
    RenewableSubstitution,
    RooftopPv,
    Scenario,
    UltraLowEnergyBuildings,
    WasteRecovery,
    bau_scenario,
    lever_from_dict,
    named_scenario,
    plan_scenario,
    project,
    simulate,
    wedges,
)
from carbonpeak.data import DATA_DIR

from .conftest import DEMO_GROWTH, ELEC_CO2, ELEC_TCE


def run(calibration, *levers, **assumptions):
    assumptions.setdefault("horizon", 2023)
    return project(calibration, Scenario("test", levers=levers, **assumptions))


def cell(p, segment, carrier, year, what="co2_t"):
    return getattr(p, what)[p.cells.index((segment, carrier)), p.year(year)]


def test_rooftop_pv_moves_generation_from_grid_to_pv(small):
    p = run(small, RooftopPv(added_mw={2021: 10.0}, specific_yield_kwh_per_kw=1000.0))
    # 10 MW x 1000 kWh/kW = 10,000 MWh = 1229 tce, and 4200 t less CO2, in 2021 and after
    for year in (2021, 2022):
        assert cell(p, "public_buildings", "electricity", year) == pytest.approx(3 * ELEC_CO2 - ELEC_CO2)
        assert cell(p, "public_buildings", "solar_pv", year, "energy_tce") == pytest.approx(ELEC_TCE)
        assert cell(p, "public_buildings", "solar_pv", year) == 0.0
    bau = run(small)
    assert p.total_energy_tce == pytest.approx(bau.total_energy_tce, rel=1e-12)  # energy is unchanged


def test_rooftop_pv_is_capped_at_the_electricity_it_replaces(small):
    p = run(small, RooftopPv(added_mw={2021: 100.0}))
    assert cell(p, "public_buildings", "electricity", 2021, "energy_tce") == 0.0
    assert cell(p, "public_buildings", "solar_pv", 2021, "energy_tce") == pytest.approx(3 * ELEC_TCE)


def test_levers_ignore_additions_within_the_history(small):
    p = run(small, RooftopPv(added_mw={2019: 10.0, 2021: 10.0}))
    assert cell(p, "public_buildings", "solar_pv", 2022, "energy_tce") == pytest.approx(ELEC_TCE)
    history = run(small, RooftopPv(added_mw={2019: 10.0, 2021: 10.0}), base_year=2018)
    bau = run(small, base_year=2018)
    assert np.array_equal(history.total_co2_t[:3], bau.total_co2_t[:3])
    assert np.array_equal(history.total_energy_tce[:3], bau.total_energy_tce[:3])
    assert cell(history, "public_buildings", "solar_pv", 2020, "energy_tce") == 0.0


def test_public_building_retrofit(small):
    p = run(small, PublicBuildingRetrofit(area_m2={2021: 100_000.0, 2022: 100_000.0}, savings_fraction=0.1))
    # 2022: 200,000 of 1,000,000 m2 retrofitted, saving 10 %: intensity x 0.98
    assert p.by_sector()["commercial"][p.year(2022)] == pytest.approx((3 * ELEC_CO2 + 1000) * 0.98 + ELEC_CO2)
    assert cell(p, "data_centres", "electricity", 2022) == pytest.approx(ELEC_CO2)  # not its segment


def test_public_building_retrofit_needs_floor_area_in_m2(small):
    from carbonpeak.core.projection import calibrate

    from .conftest import SEGMENTS, small_drivers, small_history

    drivers = small_drivers()
    del drivers["floor_area_public_m2"]
    c = calibrate(small_history(), drivers, segments=SEGMENTS)
    p = run(c, PublicBuildingRetrofit())
    assert p.total_co2_t == pytest.approx(run(c).total_co2_t)
    assert any("public_building_retrofit" in note and "not supplied" in note for note in p.notes)


def test_ultra_low_energy_new_buildings(small):
    lever = UltraLowEnergyBuildings(share_by_segment={"residential": {2021: 1.0}}, savings_fraction=0.5)
    p = run(small, lever, driver_growth={"floor_area_residential_m2": 0.10})
    # 2021: stock 1.1, of which 0.1 new at half the intensity: 8400 x (1.1 - 0.05)
    assert cell(p, "residential", "electricity", 2021) == pytest.approx(2 * ELEC_CO2 * 1.05)
    # 2022: stock 1.21, new 0.21: 8400 x (1.21 - 0.105)
    assert cell(p, "residential", "electricity", 2022) == pytest.approx(2 * ELEC_CO2 * 1.105)


def test_renewable_substitution_in_new_buildings(small):
    lever = RenewableSubstitution(rate={2021: 0.1}, segments=("residential",))
    p = run(small, lever, driver_growth={"floor_area_residential_m2": 0.10})
    assert cell(p, "residential", "electricity", 2021) == pytest.approx(2 * ELEC_CO2 * (1.1 - 0.01))
    assert cell(p, "residential", "solar_pv", 2021, "energy_tce") == pytest.approx(2 * ELEC_TCE * 0.01)
    assert p.by_sector("energy_tce")["residential"][p.year(2021)] == pytest.approx(2 * ELEC_TCE * 1.1)


def test_data_centre_pue(small):
    lever = DataCentrePue(baseline_pue=1.5, existing_pue={2021: 1.2}, new_pue=1.0)
    assert cell(run(small, lever), "data_centres", "electricity", 2021) == pytest.approx(ELEC_CO2 * 0.8)
    grown = run(small, lever, driver_growth={"data_centre_it_mwh": 0.10})
    # IT load 1.1: 1.0 at PUE 1.2 and 0.1 at PUE 1.0, against 1.1 at 1.5 -> 4200 x 1.3 / 1.5
    assert cell(grown, "data_centres", "electricity", 2021) == pytest.approx(ELEC_CO2 * 1.3 / 1.5)


def test_data_centre_pue_never_raises_energy(small):
    lever = DataCentrePue(baseline_pue=1.2, existing_pue={2021: 1.4}, new_pue=1.3)
    assert cell(run(small, lever), "data_centres", "electricity", 2021) == pytest.approx(ELEC_CO2)


def test_nev_share_electrifies_fossil_vehicle_km(small):
    lever = NevShare(new_share={2021: 1.0}, scope_share=1.0, turnover_per_a=0.5, ev_energy_ratio=0.25)
    p = run(small, lever, horizon=2022)
    assert cell(p, "transport", "gasoline", 2021) == pytest.approx(1500.0)  # e = 0.5
    assert cell(p, "transport", "gasoline", 2022) == pytest.approx(750.0)  # e = 0.75
    # 500 tce of gasoline removed in 2021 becomes 125 tce of electricity
    assert cell(p, "transport", "electricity", 2021, "energy_tce") == pytest.approx(ELEC_TCE + 125.0)
    assert cell(p, "transport", "electricity", 2021) == pytest.approx(ELEC_CO2 * (1 + 125.0 / ELEC_TCE))


def test_waste_recovery_and_its_delivery(small):
    p = run(small, WasteRecovery(rate={2021: 0.55}, baseline_rate=0.4))
    assert cell(p, "waste", "co2e", 2021) == pytest.approx(750.0)  # 1000 x 0.45 / 0.6
    half = Distribution("delivery:waste_recovery", "uniform", {"low": 0.5, "high": 0.5})
    s = Scenario("half", levers=(WasteRecovery(rate={2021: 0.55}, baseline_rate=0.4),), horizon=2021)
    mc = simulate(small, replace(s, uncertainty=(half,)), draws=3, seed=1)
    bau = run(small, horizon=2021).total_co2_t[-1]
    assert mc.co2_t[:, -1] == pytest.approx(np.full(3, bau - 125.0))  # r = 0.475: 1000 x 0.525 / 0.6


def test_green_space_sink(small):
    p = run(small, GreenSpaceSink(added_ha={2021: 10.0, 2022: 10.0}, sink_t_per_ha=8.99))
    assert cell(p, "sinks", "co2e", 2021) == pytest.approx(-89.9)
    assert cell(p, "sinks", "co2e", 2022) == pytest.approx(-179.8)
    assert p.by_sector()["sinks"][p.year(2020)] == 0.0


def test_lever_order_does_not_depend_on_the_order_given(small):
    levers = tuple(cls() for cls in LEVERS.values())
    a = project(small, Scenario("a", levers=levers))
    b = project(small, Scenario("b", levers=tuple(reversed(levers))))
    assert np.array_equal(a.co2_t, b.co2_t)
    with pytest.raises(ProjectionError, match="once"):
        Scenario("dup", levers=(RooftopPv(), RooftopPv()))


def test_wedges_sum_to_bau_minus_plan(demo):
    _, calibration = demo
    plan = plan_scenario(driver_growth=DEMO_GROWTH, grid_t_per_mwh={2025: 0.42, 2035: 0.3})
    bau = project(
        calibration, bau_scenario(driver_growth=DEMO_GROWTH, grid_t_per_mwh={2025: 0.42, 2035: 0.3})
    )
    result = project(calibration, plan)
    parts = wedges(calibration, plan)
    assert [w.lever for w in parts] == list(LEVER_ORDER)
    total = sum(w.co2_t for w in parts)
    np.testing.assert_allclose(
        total, bau.total_co2_t - result.total_co2_t, rtol=0, atol=1e-9 * bau.total_co2_t.max()
    )
    assert total[result.year(2030)] > 0
    assert all(w.at(2024) == 0.0 for w in parts)  # no lever acts on history
    assert sum(w.at(2030) for w in parts) == pytest.approx(
        bau.total_co2_t[bau.year(2030)] - result.total_co2_t[result.year(2030)], rel=1e-9
    )


def _plan_targets():
    data = yaml.safe_load((DATA_DIR / "plans" / "yangpu-2022.yaml").read_text(encoding="utf-8"))
    tasks = {task["id"]: task for action in data["actions"] for task in action["tasks"]}
    targets = {t["code"]: t for task in tasks.values() for t in task["targets"]}
    return tasks, targets


def test_every_lever_is_linked_to_a_real_task_and_its_targets():
    tasks, _ = _plan_targets()
    for cls in LEVERS.values():
        task = tasks[cls.task]
        assert task["clause"] == cls.clause, cls.code
        codes = {t["code"] for t in task["targets"]}
        assert set(cls.targets) <= codes, (cls.code, set(cls.targets) - codes)
        assert {s.evidence for s in cls.sources} <= {"plan", "V", "S", "R", "assumption"}
        fields = set(cls().to_dict()["params"])
        assert {s.parameter for s in cls.sources} <= fields, cls.code


def test_plan_defaults_equal_the_plan_targets():
    _, t = _plan_targets()
    pv = RooftopPv()
    assert sum(pv.added_mw.values()) == pytest.approx(t["pv_capacity_added_14th"]["value"] * 10)  # 万kW -> MW
    assert set(pv.added_mw) == set(range(2021, 2026))  # 十四五
    rs = RenewableSubstitution()
    assert rs.rate == {
        2025: t["renewable_substitution_new_buildings_2025"]["value"] / 100,
        2030: t["renewable_substitution_new_buildings_2030"]["value"] / 100,
    }
    retrofit = PublicBuildingRetrofit()
    assert sum(retrofit.area_m2.values()) == pytest.approx(
        t["public_building_retrofit_area_14th_15th"]["value"] * 1e4
    )
    assert set(retrofit.area_m2) == set(range(2021, 2031))  # 十四五 + 十五五
    ule = UltraLowEnergyBuildings().share_by_segment
    assert (
        ule["residential"][2026]
        == ule["residential"][2029]
        == t["ultra_low_energy_new_residential_15th"]["value"] / 100
    )
    assert (
        ule["residential"][2030]
        == ule["public_buildings"][2030]
        == t["ultra_low_energy_new_civil_2030"]["value"] / 100
    )
    pue = DataCentrePue()
    assert pue.existing_pue[2025] == t["pue_existing_data_centres"]["value"]
    assert pue.new_pue == t["pue_new_data_centres"]["value"]
    assert NevShare().new_share[2025] == t["nev_new_buses_taxis"]["value"] / 100
    assert WasteRecovery().rate[2025] == t["waste_resource_recovery_2025"]["value"] / 100
    assert sum(GreenSpaceSink().added_ha.values()) == pytest.approx(
        t["riverside_south_green_space_2025"]["value"]
    )


@pytest.mark.parametrize("cls", list(LEVERS.values()), ids=list(LEVERS))
def test_levers_round_trip_through_json(cls):
    lever = cls()
    again = lever_from_dict(json.loads(json.dumps(lever.to_dict())))
    assert again == lever
    assert again.to_dict() == lever.to_dict()


def test_lever_dispatch_refuses_unknown_names_and_values():
    with pytest.raises(ProjectionError, match="unknown lever 'solar_farm'"):
        lever_from_dict({"lever": "solar_farm"})
    with pytest.raises(ProjectionError, match="no parameter"):
        lever_from_dict({"lever": "rooftop_pv", "params": {"yield": 900}})
    with pytest.raises(ProjectionError, match="bad lever parameter"):
        lever_from_dict({"lever": "rooftop_pv", "params": {"added_mw": {"2025": "lots"}}})
    with pytest.raises(ProjectionError, match="unknown lever keys"):
        lever_from_dict({"lever": "rooftop_pv", "parameters": {}})
    assert lever_from_dict(
        {"lever": "rooftop_pv", "params": {"specific_yield_kwh_per_kw": 900}}
    ) == RooftopPv(specific_yield_kwh_per_kw=900.0)


def test_scenarios_round_trip_and_named_ones(small):
    plan = plan_scenario(
        driver_growth={"floor_area_public_m2": 0.01, "vehicle_km": {2025: 0.02, 2030: 0.0}},
        grid_t_per_mwh={2025: 0.42, 2035: 0.3},
        horizon=2030,
    )
    again = Scenario.from_dict(json.loads(json.dumps(plan.to_dict())))
    assert again == plan
    assert np.array_equal(project(small, again).co2_t, project(small, plan).co2_t)
    assert named_scenario("bau").levers == ()
    assert [lever.code for lever in named_scenario("plan").levers] == list(LEVER_ORDER)
    with pytest.raises(ProjectionError, match="unknown scenario 'green'"):
        named_scenario("green")
    with pytest.raises(ProjectionError, match="unknown scenario keys"):
        Scenario.from_dict({"name": "x", "lever": []})
    with pytest.raises(ProjectionError, match="horizon"):
        Scenario("x", base_year=2030, horizon=2025)
