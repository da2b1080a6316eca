"""Projection in the database: driver imports, scenario versions, the CLI, the JSON endpoint and the page."""

import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from carbonpeak.cli import main
from carbonpeak.core.projection import bau_scenario, plan_levers, plan_scenario
from carbonpeak.demo.inventory import reference_district
from carbonpeak.demo.projection import reference_drivers
from carbonpeak.io.inventory import write_activity_workbook
from carbonpeak.io.projection import write_drivers_csv
from carbonpeak.web.inventory import services as inventory_services
from carbonpeak.web.portal.uploads import UploadRejectedError
from carbonpeak.web.projection import selectors, services
from carbonpeak.web.projection.levers import apply_sliders, scale_lever
from carbonpeak.web.projection.models import DriverSet, DriverValue, Scenario

pytestmark = pytest.mark.django_db

HEADER = "driver,year,value,unit,source,evidence\n"
BAD = (
    HEADER + "floor_area_public_m2,2023,1000,m2,yearbook,S\n"
    "floor_area_publik_m2,2023,1000,m2,yearbook,S\n"
    "waste_t,2023,-5,t/a,yearbook,V\n"
    "vehicle_km,twenty,1,vehicle-km/a,,X\n"
)
ISSUE_KEYS = {
    "scenario",
    "years",
    "co2_t_p10",
    "co2_t_p50",
    "co2_t_p90",
    "peak_year_distribution",
    "p_peak_by",
    "peak_test",
    "wedges",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    selectors.calibration_cache_clear()
    yield
    selectors.calibration_cache_clear()


@pytest.fixture
def demo_run(reference_loaded):
    activity, statistics = reference_district()
    buffer = io.BytesIO()
    write_activity_workbook(activity, statistics, buffer)
    result = inventory_services.activity_dataset_import(
        name="synthetic", filename="demo.xlsx", content=buffer.getvalue(), synthetic=True
    )
    # the region named here, so that the projection can be tested with and without a plan loaded
    return inventory_services.inventory_run_create(dataset=result.dataset, region="CN-SH")


@pytest.fixture
def drivers(db):
    result = services.driver_set_import(
        name="synthetic drivers", filename="drivers.csv", content=write_drivers_csv(reference_drivers())
    )
    services.scenario_defaults_ensure(driver_set=result.driver_set)
    return result.driver_set


@pytest.fixture
def loaded(reference_plan, demo_run, drivers):
    """The inventory, the drivers and the reference plan (whose targets give the plan scenario's levers)."""
    return demo_run, drivers


@pytest.fixture
def loaded_without_plan(demo_run, drivers):
    return demo_run, drivers


@pytest.fixture
def staff_client(office_admin):
    client = Client()
    client.force_login(office_admin)
    return client


def _compute(client, **params):
    query = {"draws": 400, "seed": 7, **params}
    return client.get("/api/projection/compute", query)


# Drivers --------------------------------------------------------------------------------------------------


def test_driver_import_errors_name_file_row_and_field_and_store_nothing():
    result = services.driver_set_import(name="x", filename="drivers-2024.csv", content=BAD.encode())
    assert result.driver_set is None
    assert [e.row for e in result.errors] == [3, 4, 5]
    text = [str(e) for e in result.errors]
    assert text[0].startswith("drivers-2024.csv, row 3: field driver: 'floor_area_publik_m2' is not a known")
    assert "row 4: field value: -5 must be a positive number" in text[1]
    assert "field year: 'twenty' is not a whole year" in text[2]
    assert "field source: is empty" in text[2]
    assert "field evidence: X (not found) has no value" in text[2]
    assert DriverSet.objects.count() == 0
    assert DriverValue.objects.count() == 0


def test_driver_import_unit_and_duplicate_rows_are_named():
    content = HEADER + "waste_t,2023,5,kg,yb,V\npopulation,2023,5,persons,yb,V\npopulation,2023,6,人,yb,V\n"
    result = services.driver_set_import(name="x", filename="d.csv", content=content.encode())
    assert [str(e) for e in result.errors] == [
        "d.csv, row 2: field unit: 'kg' is not the unit of waste_t: use 't/a' or 't'",
        "d.csv, row 4: field year: population 2023 is also in row 3",
    ]


def test_driver_import_header_type_and_size_are_checked(settings):
    result = services.driver_set_import(name="x", filename="d.csv", content=b"driver,year,value\n")
    assert "field unit: required column is missing" in str(result.errors[0])
    with pytest.raises(UploadRejectedError, match=r"only \.csv and \.xlsx"):
        services.driver_set_import(name="x", filename="d.exe", content=b"x")
    settings.MAX_UPLOAD_MB = 0
    with pytest.raises(UploadRejectedError, match="over the 0 MB limit"):
        services.driver_set_import(name="x", filename="d.csv", content=BAD.encode())


def test_driver_import_stores_all_rows_is_idempotent_and_flags_synthetic():
    content = write_drivers_csv(reference_drivers())
    first = services.driver_set_import(name="a", filename="a.csv", content=content)
    again = services.driver_set_import(name="b", filename="b.csv", content=content)
    assert first.created
    assert not again.created
    assert again.driver_set == first.driver_set
    assert first.driver_set.synthetic
    assert DriverValue.objects.count() == 11 * 10
    series = selectors.driver_series(driver_set=first.driver_set)
    assert set(series["floor_area_public_m2"]) == set(range(2015, 2025))


def test_demo_drivers_are_deterministic_and_cover_the_inventory_years():
    assert reference_drivers() == reference_drivers()
    assert reference_drivers(1) != reference_drivers(2)
    rows = reference_drivers()
    assert {r["year"] for r in rows} == set(range(2015, 2025))
    assert all(r["evidence"] == "synthetic" for r in rows)


def test_driver_trend_is_the_compound_mean_growth():
    # hand-worked: 100 -> 121 over two years is +10 %/a; a falling series is kept, a single year is not
    trend = services.driver_trend({"a": {2020: 100.0, 2021: 110.0, 2022: 121.0}, "b": {2022: 5.0}})
    assert trend == {"a": pytest.approx(0.1)}
    assert services.driver_trend(
        {"c": {y: 100.0 * 0.5 ** (y - 2018) for y in range(2018, 2024)}}, years=5
    ) == {"c": -0.5}


# Scenarios ------------------------------------------------------------------------------------------------


def test_bau_and_plan_exist_without_being_stored(reference_plan):
    assert Scenario.objects.count() == 0
    assert selectors.scenario_model(name="bau") == bau_scenario()
    # the plan scenario's levers are the current plan's (the reference plan gives the documented ones)
    levers = selectors.scenario_model(name="plan").levers
    assert [lever.code for lever in levers] == [lever.code for lever in plan_levers()]
    assert levers[0] == plan_levers()[0]
    with pytest.raises(selectors.ProjectionError, match="unknown scenario 'mine'; known: bau, plan"):
        selectors.scenario_model(name="mine")


def test_without_a_plan_the_plan_scenario_has_no_levers():
    assert selectors.scenario_model(name="plan").levers == ()


def test_defaults_take_the_driver_trend_as_an_assumption(drivers):
    plan = Scenario.objects.get(name="plan", version=1)
    growth = plan.document["driver_growth"]
    assert set(growth) >= {"floor_area_public_m2", "gdp_tertiary_10k_yuan"}
    assert Scenario.objects.get(name="bau").document["driver_growth"] == growth
    assert "assumption: trend extrapolation" in plan.note
    assert "SYNTHETIC" in plan.note
    assert services.scenario_defaults_ensure(driver_set=drivers) == []  # never a second default version


def test_a_save_makes_a_new_version_and_never_overwrites(office_admin):
    base = plan_scenario()
    first = services.scenario_from_sliders_save(
        name="retrofit-60",
        base=base,
        lever_settings={"public_building_retrofit": 60},
        created_by=office_admin,
    )
    second = services.scenario_from_sliders_save(
        name="retrofit-60",
        base=base,
        lever_settings={"public_building_retrofit": 80},
        created_by=office_admin,
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    area_v1 = next(lv for lv in first.document["levers"] if lv["lever"] == "public_building_retrofit")
    assert area_v1["params"]["area_m2"]["2025"] == pytest.approx(216_000)  # 60 % of 360,000 m2
    latest = selectors.scenario_model(name="retrofit-60")
    retrofit = next(lv for lv in latest.levers if lv.code == "public_building_retrofit")
    assert retrofit.area_m2[2025] == pytest.approx(288_000)  # type: ignore[attr-defined]
    older = selectors.scenario_model(name="retrofit-60", version=1)
    assert next(lv for lv in older.levers if lv.code == "public_building_retrofit").area_m2[2025] == 216_000
    assert selectors.scenario_names() == ["bau", "plan", "retrofit-60"]
    assert second.lever_settings == {"public_building_retrofit": 80.0}


def test_built_in_names_and_bad_documents_are_refused():
    with pytest.raises(selectors.ProjectionError, match="built-in scenario name"):
        services.scenario_from_sliders_save(name="Plan", base=plan_scenario(), lever_settings={})
    with pytest.raises(selectors.ProjectionError, match="unknown scenario keys"):
        services.scenario_save(name="x", document={"levers": [], "colour": "red"})
    with pytest.raises(selectors.ProjectionError, match="outside 0-200"):
        services.scenario_from_sliders_save(
            name="x", base=plan_scenario(), lever_settings={"rooftop_pv": 250}
        )
    assert Scenario.objects.count() == 0


def test_uncertainty_can_be_overridden_per_scenario():
    spec = [{"name": "growth:*", "dist": "normal", "params": {"mean": 0, "sd": 0.02}, "note": "wider"}]
    record = services.scenario_from_sliders_save(
        name="wide", base=plan_scenario(), lever_settings={}, uncertainty=spec
    )
    assert selectors.scenario_model(name="wide").uncertainty[0].params == {"mean": 0.0, "sd": 0.02}
    assert record.document["uncertainty"][0]["note"] == "wider"


def test_sliders_scale_the_plan_levers_by_hand():
    levers = {lv.code: lv for lv in plan_levers()}
    pue = scale_lever(levers["data_centre_pue"], 50).to_dict()["params"]
    assert pue["existing_pue"] == {"2025": pytest.approx(1.45)}  # 1.5 + 0.5 x (1.4 - 1.5)
    assert pue["new_pue"] == pytest.approx(1.4)
    waste = scale_lever(levers["waste_recovery"], 0).to_dict()["params"]
    assert waste["rate"] == {"2025": pytest.approx(0.40)}  # back to the baseline: no effect
    nev = scale_lever(levers["nev_share"], 150).to_dict()["params"]
    assert nev["new_share"] == {"2025": 1.0}  # capped at 100 %
    pv = scale_lever(levers["rooftop_pv"], 200).to_dict()["params"]
    assert sum(pv["added_mw"].values()) == pytest.approx(58.0)
    scenario = apply_sliders(plan_scenario(), {"rooftop_pv": 100}, name="same")
    assert scenario.levers == plan_scenario().ordered_levers()
    with pytest.raises(selectors.ProjectionError, match="unknown lever"):
        apply_sliders(plan_scenario(), {"teleport": 10})


# Selectors ------------------------------------------------------------------------------------------------


def test_calibration_is_cached_per_run_and_driver_set(loaded):
    run, driver_set = loaded
    first = selectors.calibration_get(run=run, driver_set=driver_set)
    assert selectors.calibration_get(run=run, driver_set=driver_set) is first
    history = selectors.run_history(run=run)
    co2_2024 = sum(series[2024][1] for series in history.values() if 2024 in series)
    assert co2_2024 == pytest.approx(run.document["years"][-1]["co2_t"], rel=1e-9)


def test_peak_outlook_is_none_without_inputs_and_labelled_synthetic_with_them(demo_run):
    assert selectors.peak_outlook() is None
    with pytest.raises(selectors.ProjectionUnavailableError, match="no projection drivers are loaded"):
        selectors.inputs_get()
    result = services.driver_set_import(
        name="d", filename="d.csv", content=write_drivers_csv(reference_drivers())
    )
    services.scenario_defaults_ensure(driver_set=result.driver_set)
    outlook = selectors.peak_outlook()
    assert set(outlook) == {
        "p_peak_by",
        "peak_by_year",
        "peak_test",
        "peak_test_label",
        "problem",
        "peak_year_p50",
        "scenario",
        "synthetic",
    }
    assert outlook["p_peak_by"] is None  # no plan loaded: no peak year, and the outlook says so
    assert "no plan with a peak year is loaded" in outlook["problem"]
    assert outlook["scenario"] == "plan v1"
    assert outlook["synthetic"] is True
    assert 2020 <= outlook["peak_year_p50"] <= 2035
    assert selectors.peak_outlook() == outlook  # cached per run, driver set and Plan version


def test_peak_year_median_from_a_distribution():
    assert selectors.peak_year_p50({"2024": 0.3, "2027": 0.2, "2035": 0.5}) == 2027
    assert selectors.peak_year_p50({"2035": 1.0}) == 2035
    assert selectors.peak_year_p50({}) is None


# CLI ------------------------------------------------------------------------------------------------------


def _project(capsys, *extra):
    code = main(
        ["project", "--scenario", "plan", "--draws", "500", "--seed", "11", "--format", "json", *extra]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_project_prints_the_issue_shape_and_the_same_seed_gives_the_same_output(loaded, capsys):
    code, out, _ = _project(capsys)
    assert code == 0
    document = json.loads(out)
    assert ISSUE_KEYS <= set(document)
    assert document["scenario"] == "plan"
    assert document["years"] == list(range(2020, 2036))
    for key in ("co2_t_p10", "co2_t_p50", "co2_t_p90"):
        assert len(document[key]) == 16
    assert all(p10 <= p90 for p10, p90 in zip(document["co2_t_p10"], document["co2_t_p90"], strict=True))
    assert sum(document["peak_year_distribution"].values()) == pytest.approx(1.0)
    assert all(re.fullmatch(r"20\d\d", year) for year in document["peak_year_distribution"])
    assert {w["lever"] for w in document["wedges"]} == {lv.code for lv in plan_levers()}
    assert all({"lever", "task", "co2_t_2030"} <= set(w) for w in document["wedges"])
    assert document["synthetic"] is True
    assert _project(capsys)[1] == out
    assert _project(capsys, "--seed", "12")[1] != out


def test_cli_project_fails_in_one_line_naming_what_to_load(db, capsys):
    code, out, err = _project(capsys)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "no inventory is loaded" in err
    assert "carbonpeak projection drivers import FILE.csv" in err


def test_cli_project_without_drivers_names_the_drivers(demo_run, capsys):
    code, _, err = _project(capsys)
    assert code == 1
    assert err.startswith("carbonpeak: error: no projection drivers are loaded")
    assert "no inventory is loaded" not in err
    assert err.count("\n") == 1


def test_cli_project_unknown_scenario(loaded, capsys):
    assert main(["project", "--scenario", "nope", "--draws", "10"]) == 1
    assert capsys.readouterr().err == "carbonpeak: error: unknown scenario 'nope'; known: bau, plan\n"


def test_cli_drivers_import(tmp_path, capsys, db):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    assert main(["projection", "drivers", "import", str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("carbonpeak: error: bad.csv, row 3: field driver:")
    assert len(err) == 3
    good = tmp_path / "good.csv"
    good.write_bytes(write_drivers_csv(reference_drivers()))
    assert main(["projection", "drivers", "import", str(good)]) == 0
    assert "drivers imported set" in capsys.readouterr().out
    assert Scenario.objects.filter(name__in=["bau", "plan"]).count() == 2


# JSON endpoint and pages ----------------------------------------------------------------------------------


def test_compute_endpoint_honours_the_sliders(loaded, staff_client):
    plan = _compute(staff_client).json()
    off = {f"lever.{lv.code}": 0 for lv in plan_levers()}
    none = _compute(staff_client, **off).json()
    more = _compute(staff_client, **{**off, "lever.public_building_retrofit": 200}).json()
    assert none["lever_settings"]["public_building_retrofit"] == 0.0
    assert all(w["co2_t_2030"] == pytest.approx(0.0, abs=1e-6) for w in none["wedges"])
    assert none["co2_t_p50"][-1] > plan["co2_t_p50"][-1]
    retrofit = next(w for w in more["wedges"] if w["lever"] == "public_building_retrofit")
    plan_retrofit = next(w for w in plan["wedges"] if w["lever"] == "public_building_retrofit")
    assert retrofit["co2_t_2030"] == pytest.approx(2 * plan_retrofit["co2_t_2030"], rel=0.05)
    summary = {lv["lever"]: lv["summary"] for lv in more["levers"]}
    assert summary["public_building_retrofit"] == "720,000 m²/a"
    bau = _compute(staff_client, scenario="bau").json()
    assert bau["co2_t_central"] == pytest.approx(none["co2_t_central"])
    # the wedges sum to BAU minus the scenario, and the LMDI effects to the total change
    assert sum(w["co2_t_2030"] for w in plan["wedges"]) == pytest.approx(
        plan["co2_t_bau_central"][10] - plan["co2_t_central"][10]
    )
    split = plan["decomposition"]
    assert sum(split["effects"].values()) == pytest.approx(split["total_change_t"])


def test_compute_endpoint_validates_and_needs_a_login(loaded, staff_client):
    assert _compute(Client()).status_code == 401
    bad = _compute(staff_client, **{"lever.rooftop_pv": "lots"})
    assert bad.status_code == 422
    assert "lever.rooftop_pv" in bad.json()["detail"]
    assert _compute(staff_client, draws=10_001).status_code == 422
    assert "unknown scenario" in _compute(staff_client, scenario="nope").json()["detail"]


def test_compute_endpoint_says_what_to_load(demo_run, staff_client):
    response = _compute(staff_client)
    assert response.status_code == 409
    assert "projection drivers" in response.json()["detail"]


def test_scenarios_api_lists_versions(loaded, staff_client, office_admin):
    services.scenario_from_sliders_save(
        name="mine", base=plan_scenario(), lever_settings={"rooftop_pv": 50}, created_by=office_admin
    )
    listing = staff_client.get("/api/projection/scenarios").json()
    assert [s["name"] for s in listing] == ["bau", "plan", "mine"]
    assert listing[2]["versions"][0]["created_by"] == "office"


def test_page_shows_sliders_charts_assumptions_and_the_synthetic_label(loaded, staff_client):
    response = staff_client.get("/projection/?scenario=plan&compare=bau")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="range"') == 8
    assert 'value="100"' in html
    for element in ("fan-chart", "wedge-chart", "peak-hist", "lmdi-table", "compare-table", "assumptions"):
        assert f'id="{element}"' in html
    assert "vendor/echarts.min.js" in html
    assert "cdn" not in html.lower()
    assert "synthetic" in html.lower() or "合成" in html
    assert 'class="evidence evidence-assumption"' in html
    assert 'class="evidence evidence-plan"' in html
    assert "csrfmiddlewaretoken" in html
    inputs = html[html.index('id="scenario-inputs"') :]
    assert "<code>driver_growth:floor_area_public_m2</code>" in inputs
    assert "assumption: trend extrapolation" in inputs
    bau = staff_client.get("/projection/?scenario=bau").content.decode()
    assert bau.count('value="0"') >= 8


def test_page_says_what_to_load(staff_client, db):
    response = staff_client.get("/projection/")
    assert response.status_code == 200
    assert "no inventory is loaded" in response.content.decode()


def test_page_needs_a_login(loaded):
    response = Client().get("/projection/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _form(name="mine", **levers):
    data = {"name": name, "note": "test", "base": "plan"}
    data.update({f"lever.{lv.code}": 100 for lv in plan_levers()})
    data.update({f"lever.{k}": v for k, v in levers.items()})
    return data


def test_anonymous_users_cannot_save(loaded):
    response = Client().post("/projection/scenarios/save/", _form())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Scenario.objects.filter(name="mine").exists()


def test_unit_users_cannot_save_but_analysts_can(loaded, unit_user, django_user_model):
    client = Client()
    client.force_login(unit_user)
    assert client.post("/projection/scenarios/save/", _form()).status_code == 403
    assert client.get("/projection/").content.decode().count('id="scenario-save"') == 0
    analyst = django_user_model.objects.create_user("analyst-1", password="analyst-pass-2026")
    analyst.groups.add(Group.objects.create(name="analyst"))
    client.force_login(analyst)
    assert client.post("/projection/scenarios/save/", _form()).status_code == 302
    assert Scenario.objects.get(name="mine").created_by == analyst


def test_save_form_makes_versions_and_rejects_bad_input(loaded, staff_client, office_admin):
    response = staff_client.post("/projection/scenarios/save/", _form(public_building_retrofit=60))
    assert response.status_code == 302
    assert response["Location"] == "/projection/?scenario=mine"
    staff_client.post("/projection/scenarios/save/", _form(public_building_retrofit=80))
    versions = list(Scenario.objects.filter(name="mine").order_by("version"))
    assert [(v.version, v.lever_settings["public_building_retrofit"]) for v in versions] == [
        (1, 60.0),
        (2, 80.0),
    ]
    assert versions[0].created_by == office_admin
    page = staff_client.get("/projection/?scenario=mine").content.decode()
    assert 'id="lever-public_building_retrofit" name="lever.public_building_retrofit"' in page
    assert re.search(r'id="lever-public_building_retrofit"[^>]*value="80"', page)
    bad = staff_client.post("/projection/scenarios/save/", _form(rooftop_pv=900))
    assert bad.status_code == 400
    assert "lever.rooftop_pv" in bad.content.decode()
    builtin = staff_client.post("/projection/scenarios/save/", _form(name="bau"))
    assert builtin.status_code == 400
    assert Scenario.objects.filter(name="mine").count() == 2


def test_save_form_requires_csrf(loaded, office_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_admin)
    assert client.post("/projection/scenarios/save/", _form()).status_code == 403
    assert not Scenario.objects.filter(name="mine").exists()
    page = client.get("/projection/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post("/projection/scenarios/save/", {**_form(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Scenario.objects.filter(name="mine").count() == 1


def test_navigation_links_the_projection(loaded, staff_client):
    html = staff_client.get("/").content.decode()
    assert 'href="/projection/" data-nav="projection"' in html


def test_cli_scenario_export_and_import_make_a_new_version_with_data_uncertainty(loaded, tmp_path, capsys):
    assert main(["projection", "scenario", "export", "plan"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["name"] == "plan"
    document["uncertainty"] = [
        {"name": "growth:*", "dist": "uniform", "params": {"low": 0.0, "high": 0.0}, "note": "no doubt"},
        {"name": "intensity:*", "dist": "uniform", "params": {"low": 0.0, "high": 0.0}, "note": "no doubt"},
        {"name": "delivery:*", "dist": "uniform", "params": {"low": 1.0, "high": 1.0}, "note": "no doubt"},
    ]
    path = tmp_path / "certain.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["projection", "scenario", "import", str(path), "--name", "certain"]) == 0
    assert capsys.readouterr().out == "scenario certain stored as version 1 (certain.json)\n"
    assert main(["project", "--scenario", "certain", "--draws", "50", "--format", "json"]) == 0
    projected = json.loads(capsys.readouterr().out)
    # with every spread at zero the fan collapses onto the central path (hand-checkable: P10 = P50 = P90)
    assert projected["co2_t_p10"] == pytest.approx(projected["co2_t_central"])
    assert projected["co2_t_p90"] == pytest.approx(projected["co2_t_central"])
    assert projected["assumptions"]["uncertainty"][0]["note"] == "no doubt"


def test_cli_scenario_import_names_the_file_and_the_problem(loaded, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "colour": 1}', encoding="utf-8")
    assert main(["projection", "scenario", "import", str(bad)]) == 1
    assert capsys.readouterr().err.startswith("carbonpeak: error: bad.json: unknown scenario keys ['colour']")
    broken = tmp_path / "broken.json"
    broken.write_text('{"name":', encoding="utf-8")
    assert main(["projection", "scenario", "import", str(broken)]) == 1
    assert capsys.readouterr().err == "carbonpeak: error: broken.json: line 1 column 9: Expecting value\n"
    assert not Scenario.objects.filter(name="x").exists()


def test_the_dashboard_shows_the_peak_outlook_to_signed_in_users_only(
    demo_run, drivers, client, office_admin
):
    from carbonpeak.data import REFERENCE_PLAN
    from carbonpeak.io.plan import read_plan_file
    from carbonpeak.web.plan.services import plan_load

    plan_load(plan=read_plan_file(REFERENCE_PLAN).plan)
    assert 'id="peak-outlook"' not in client.get("/").content.decode()  # the public sees no projection
    client.force_login(office_admin)
    html = client.get("/").content.decode()
    outlook = selectors.peak_outlook()
    assert outlook is not None
    card = html.split('id="peak-outlook"')[1].split("</article>")[0]
    assert f"{round(outlook['p_peak_by'] * 100)}%" in card
    assert str(outlook["peak_year_p50"]) in card
