"""The plan scenario's levers come from the district's own plan (no district number in the levers' code)."""

from __future__ import annotations

import numpy as np
import pytest

from carbonpeak.core.projection import Scenario, project
from carbonpeak.core.projection.levers import plan_levers
from carbonpeak.core.projection.plan_levers import levers_from_plan
from carbonpeak.data import REFERENCE_PLAN
from carbonpeak.io.plan import read_plan_file
from tests.core.projection.conftest import DEMO_GROWTH
from tests.fixtures.districts.qinghe.reference import PLAN as OTHER_PLAN


def test_the_reference_plan_gives_the_documented_lever_values(demo) -> None:
    _, calibration = demo
    planned = levers_from_plan(read_plan_file(REFERENCE_PLAN).plan)
    assert [p.lever.code for p in planned] == [lever.code for lever in plan_levers()]
    defaults = {lever.code: lever for lever in plan_levers()}
    retrofit = next(p for p in planned if p.lever.code == "public_building_retrofit")
    assert retrofit.lever == defaults["public_building_retrofit"]  # 360万m2 over 2021-2030, spread evenly
    assert (retrofit.clause, retrofit.targets) == ("三(三)3", ("public_building_retrofit_area_14th_15th",))
    pv = next(p for p in planned if p.lever.code == "rooftop_pv")
    assert pv.lever.added_mw == {year: pytest.approx(5.8) for year in range(2021, 2026)}  # 2.9万kW / 5 a
    growth = {"driver_growth": DEMO_GROWTH, "grid_t_per_mwh": {2025: 0.42, 2035: 0.3}}
    from_plan = project(calibration, Scenario(name="plan", levers=tuple(p.lever for p in planned), **growth))
    documented = project(calibration, Scenario(name="plan", levers=plan_levers(), **growth))
    np.testing.assert_allclose(from_plan.total_co2_t, documented.total_co2_t, rtol=1e-12)


def test_another_plan_gets_its_own_levers_and_clauses_only() -> None:
    planned = levers_from_plan(read_plan_file(OTHER_PLAN).plan)
    by_code = {p.lever.code: p for p in planned}
    # the invented district asks for new PV (1.5万kW in 2022-2026) and PUE limits, nothing else
    assert set(by_code) == {"rooftop_pv", "data_centre_pue"}
    assert by_code["rooftop_pv"].lever.added_mw == {year: pytest.approx(3.0) for year in range(2022, 2027)}
    assert by_code["rooftop_pv"].targets == ("qh_pv_added",)
    assert by_code["data_centre_pue"].lever.new_pue == 1.25
    assert by_code["data_centre_pue"].describe()["clause"] == "三(二)1"
    notes = [s["note"] for p in planned for s in p.describe()["sources"] if s["evidence"] == "plan"]
    assert notes
    assert all("qh_" in note for note in notes)
