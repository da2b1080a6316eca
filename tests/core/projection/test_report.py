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
    doc = projection_document(calibration, plan, draws=300, seed=9, peak_by=2030)
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
    assert doc["p_peak_by"] == doc["p_peak_by_2030"]
    assert doc["peak_test"] == {
        "test": "argmax",
        "peak_by_year": 2030,
        "p_peak_by": doc["p_peak_by"],
        "draws": 300,
        "params": {},
    }
    assert [set(w) for w in doc["wedges"]] == [{"lever", "task", "clause", "targets", "co2_t_2030"}] * 8
    bau = project(calibration, bau_scenario(driver_growth=DEMO_GROWTH)).total_co2_t
    gap_2030 = bau[10] - doc["co2_t_central"][10]
    assert sum(w["co2_t_2030"] for w in doc["wedges"]) == pytest.approx(gap_2030, rel=1e-9)
    assert doc["assumptions"]["levers"][0]["sources"][0]["evidence"] in {"plan", "assumption", "V", "S", "R"}
    assert doc == projection_document(calibration, plan, draws=300, seed=9, peak_by=2030)


def test_bau_document_has_no_wedges_and_other_years(demo):
    _, calibration = demo
    doc = projection_document(calibration, bau_scenario(), draws=50, seed=1, peak_by=2028, wedge_year=2028)
    assert doc["wedges"] == []
    assert "p_peak_by_2028" in doc


def test_the_default_argmax_keeps_the_share_of_draws_whose_highest_year_is_by_the_peak_year(demo):
    from carbonpeak.core.projection import simulate

    _, calibration = demo
    plan = plan_scenario(driver_growth=DEMO_GROWTH)
    doc = projection_document(calibration, plan, draws=400, seed=3, peak_by=2030)
    mc = simulate(calibration, plan, draws=400, seed=3)
    assert doc["p_peak_by"] == mc.p_peak_by(2030)  # today's output, bit for bit
    share = sum(p for y, p in doc["peak_year_distribution"].items() if int(y) <= 2030)
    assert doc["p_peak_by"] == pytest.approx(share)


def test_a_named_peak_test_is_used_and_reported(demo):
    _, calibration = demo
    plan = plan_scenario(driver_growth=DEMO_GROWTH)
    by_test = {
        name: projection_document(calibration, plan, draws=400, seed=3, peak_by=2030, peak_test=name)
        for name in ("argmax", "sustained_decline", "c40")
    }
    for name, doc in by_test.items():
        assert doc["peak_test"]["test"] == name
        assert doc["peak_test"]["peak_by_year"] == 2030
    # the stricter tests count a subset of the draws argmax counts
    assert by_test["sustained_decline"]["p_peak_by"] <= by_test["argmax"]["p_peak_by"]
    assert by_test["c40"]["p_peak_by"] <= by_test["argmax"]["p_peak_by"]
    strict = projection_document(
        calibration,
        plan,
        draws=400,
        seed=3,
        peak_by=2030,
        peak_test="sustained_decline",
        peak_test_params={"min_years": 5, "min_decline_pct": 5.0},
    )
    assert strict["peak_test"]["params"] == {"min_years": 5, "min_decline_pct": 5.0}
    assert strict["p_peak_by"] <= by_test["sustained_decline"]["p_peak_by"]


def test_without_a_peak_year_no_probability_is_made_up(demo):
    _, calibration = demo
    doc = projection_document(calibration, bau_scenario(), draws=20, seed=1, peak_by=None)
    assert doc["p_peak_by"] is None
    assert doc["peak_test"]["peak_by_year"] is None
    assert not any(key.startswith("p_peak_by_") for key in doc)


def test_an_unknown_peak_test_is_refused(demo):
    from carbonpeak.core.projection import ProjectionError

    _, calibration = demo
    with pytest.raises(ProjectionError, match="unknown peak test 'c41'; choose one of: argmax"):
        projection_document(calibration, bau_scenario(), draws=20, seed=1, peak_by=2030, peak_test="c41")
