"""The peak outlook under a named peak test, with the plan's own peak year (issue 13, part 8)."""

# ruff: noqa: F811  (the projection tests' fixtures are imported and used as arguments)

import json

import pytest
from django.test import Client

from carbonpeak.cli import main
from carbonpeak.core.plan import Plan
from carbonpeak.core.projection import simulate
from carbonpeak.data import REFERENCE_PLAN
from carbonpeak.io.plan import read_plan_file
from carbonpeak.web.plan.services import plan_load
from carbonpeak.web.projection import selectors
from tests.web.test_projection import (  # noqa: F401  (fixtures)
    _fresh_cache,
    demo_run,
    drivers,
    loaded,
    loaded_without_plan,
)

pytestmark = pytest.mark.django_db


def _plan(peak_year: int | None = None) -> Plan:
    """The reference plan; with ``peak_year``, its district peak target moved to that year."""
    plan = read_plan_file(REFERENCE_PLAN).plan
    if peak_year is None:
        return plan
    document = plan.model_dump(mode="json")
    for goal in document["goals"]:
        for target in goal["targets"]:
            if target["comparator"] == "peak_by" and target["indicator"] == "district_co2_emissions":
                target["deadline"] = peak_year
    return Plan.model_validate(document)


@pytest.fixture
def plan(db):
    return plan_load(plan=_plan())


@pytest.fixture
def staff(office_admin):
    client = Client()
    client.force_login(office_admin)
    return client


def test_the_peak_year_comes_from_the_current_plan(db):
    assert selectors.plan_peak() is None
    plan_load(plan=_plan())
    peak = selectors.plan_peak()
    assert (peak.year, peak.target) == (2030, "carbon_peak_2030")
    assert "2030" in peak.quote
    plan_load(plan=_plan(2028))  # a revised plan is the current one
    assert selectors.plan_peak().year == 2028


def test_the_outlook_uses_the_plans_year_and_the_chosen_test(loaded, plan):
    default = selectors.peak_outlook()
    assert (default["peak_by_year"], default["peak_test"], default["problem"]) == (2030, "argmax", None)
    inputs = selectors.inputs_get()
    mc = simulate(
        inputs.calibration, selectors.scenario_model(name="plan"), draws=selectors.OUTLOOK_DRAWS, seed=0
    )
    assert default["p_peak_by"] == mc.p_peak_by(2030)  # argmax: today's number
    strict = selectors.peak_outlook(peak_test="sustained_decline")
    assert strict["peak_test"] == "sustained_decline"
    assert strict["p_peak_by"] == mc.peak_probability(2030, test="sustained_decline").p_peak_by
    assert strict["p_peak_by"] <= default["p_peak_by"]
    plan_load(plan=_plan(2026))
    earlier = selectors.peak_outlook()
    assert earlier["peak_by_year"] == 2026
    assert earlier["p_peak_by"] == mc.p_peak_by(2026)


def test_without_a_plan_the_outlook_says_so(loaded_without_plan):
    outlook = selectors.peak_outlook()
    assert outlook["p_peak_by"] is None
    assert outlook["problem"] == selectors.NO_PLAN_PEAK
    inputs = selectors.inputs_get()
    document = selectors.outlook(inputs, selectors.scenario_model(name="plan"), draws=50, seed=0)
    assert document["p_peak_by"] is None
    assert document["peak_test"]["problem"] == selectors.NO_PLAN_PEAK


def test_an_unknown_test_is_refused(loaded, plan):
    from carbonpeak.core.projection import ProjectionError

    with pytest.raises(ProjectionError, match="unknown peak test 'plateau'"):
        selectors.peak_outlook(peak_test="plateau")


# CLI --------------------------------------------------------------------------------------------------------


def _project(capsys, *extra):
    code = main(["project", "--draws", "300", "--seed", "4", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_default_is_argmax_and_names_the_test(loaded, plan, capsys):
    code, out, _ = _project(capsys, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["peak_test"]["test"] == "argmax"
    assert document["peak_test"]["peak_by_year"] == 2030
    assert document["peak_test"]["target"] == "carbon_peak_2030"
    assert document["p_peak_by"] == document["p_peak_by_2030"]
    code, table, _ = _project(capsys)
    line = next(li for li in table.splitlines() if li.startswith("P(peak"))
    assert line == (
        f"P(peak <= 2030) = {document['p_peak_by']:.3f} (peak test argmax; plan target carbon_peak_2030)"
    )


def test_cli_peak_test_option(loaded, plan, capsys):
    results = {}
    for name in ("argmax", "sustained_decline", "c40"):
        code, out, _ = _project(capsys, "--format", "json", "--peak-test", name)
        assert code == 0
        results[name] = json.loads(out)
        assert results[name]["peak_test"]["test"] == name
    assert results["c40"]["p_peak_by"] <= results["argmax"]["p_peak_by"]
    assert results["argmax"]["co2_t_p50"] == results["c40"]["co2_t_p50"]  # the same draws
    with pytest.raises(SystemExit) as exit_info:
        _project(capsys, "--peak-test", "plateau")
    assert exit_info.value.code == 2
    assert "invalid choice: 'plateau'" in capsys.readouterr().err


def test_cli_without_a_plan_says_so(loaded_without_plan, capsys):
    code, out, _ = _project(capsys)
    assert code == 0
    assert "P(peak): not computed: no plan with a peak year is loaded" in out


# API and page --------------------------------------------------------------------------------------------


def test_api_compute_takes_the_peak_test(loaded, plan, staff):
    url = "/api/projection/compute?draws=200&peak_test="
    document = staff.get(url + "c40").json()
    assert document["peak_test"]["test"] == "c40"
    assert document["peak_test"]["peak_by_year"] == 2030
    default = staff.get("/api/projection/compute?draws=200").json()
    assert default["peak_test"]["test"] == "argmax"
    bad = staff.get(url + "plateau")
    assert bad.status_code == 422
    assert "unknown peak test 'plateau'" in bad.json()["detail"]
    assert staff.get("/api/projection/outlook?peak_test=c40").json()["peak_test"] == "c40"
    assert staff.get("/api/projection/outlook?peak_test=x").status_code == 422


def test_page_offers_the_tests_and_says_which_was_used(loaded, plan, staff):
    html = staff.get("/projection/?peak_test=sustained_decline").content.decode()
    assert 'name="peak_test"' in html
    assert '<option value="sustained_decline" selected>' in html
    assert 'data-peak-test="sustained_decline"' in html
    assert "≤ 2030)" in html.split('id="p-peak-card"')[1].split("</article>")[0]
    assert '"peak_test": "sustained_decline"' in html  # the sliders' recompute keeps the test
    assert staff.get("/projection/?peak_test=plateau").status_code == 400


def test_page_without_a_plan_says_so(loaded_without_plan, staff):
    html = staff.get("/projection/").content.decode()
    assert 'id="no-plan-peak"' in html
    assert "≤ 2030" not in html.split('id="p-peak-card"')[1].split("</article>")[0]
