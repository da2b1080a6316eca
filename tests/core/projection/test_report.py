"""The document for ``carbonpeak project --format json``."""

import json

import pytest

from carbonpeak.core.projection import bau_scenario, plan_scenario, project, projection_document

from .conftest import DEMO_GROWTH

KEYS = {
    "scenario",
    "years",
    "co2_t_p10",
    "co2_t_p50",
    "co2_t_p90",
    "peak_year_distribution",
    "p_peak_by_2030",
}


def test_plan_document(demo):
    _, calibration = demo
    plan = plan_scenario(driver_growth=DEMO_GROWTH)
    doc = projection_document(calibration, plan, draws=300, seed=9)
    assert KEYS | {"wedges"} <= set(doc)
    assert json.loads(json.dumps(doc)) == doc  # JSON-ready as it is
    assert doc["scenario"] == "plan"
    assert doc["years"] == list(range(2020, 2036))
    for key in ("co2_t_p10", "co2_t_p50", "co2_t_p90", "co2_t_central"):
        assert len(doc[key]) == 16
    assert all(
        a <= b <= c for a, b, c in zip(doc["co2_t_p10"], doc["co2_t_p50"], doc["co2_t_p90"], strict=True)
    )
    assert sum(doc["peak_year_distribution"].values()) == pytest.approx(1.0)
    assert all(k.isdigit() for k in doc["peak_year_distribution"])
    assert 0.0 <= doc["p_peak_by_2030"] <= 1.0
    assert [set(w) for w in doc["wedges"]] == [{"lever", "task", "clause", "targets", "co2_t_2030"}] * 8
    bau = project(calibration, bau_scenario(driver_growth=DEMO_GROWTH)).total_co2_t
    gap_2030 = bau[10] - doc["co2_t_central"][10]
    assert sum(w["co2_t_2030"] for w in doc["wedges"]) == pytest.approx(gap_2030, rel=1e-9)
    assert doc["assumptions"]["levers"][0]["sources"][0]["evidence"] in {"plan", "assumption", "V", "S", "R"}
    assert doc == projection_document(calibration, plan, draws=300, seed=9)


def test_bau_document_has_no_wedges_and_other_years(demo):
    _, calibration = demo
    doc = projection_document(calibration, bau_scenario(), draws=50, seed=1, peak_by=2028, wedge_year=2028)
    assert doc["wedges"] == []
    assert "p_peak_by_2028" in doc
