"""Waste statistics in the database: imports (all or nothing, idempotent, superseding), the hand-worked
recovery rate through the CLI, computed indicators, per-street access, the inventory hook, the demo."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carbonpeak.cli import main
from carbonpeak.core.waste import WasteParameter
from carbonpeak.data import REFERENCE_PLAN
from carbonpeak.demo.inventory import reference_district
from carbonpeak.io.inventory import write_activity_workbook
from carbonpeak.web.inventory import services as inventory_services
from carbonpeak.web.inventory.models import ActivityRow
from carbonpeak.web.tracking.models import UnitMembership
from carbonpeak.web.waste import selectors, services
from carbonpeak.web.waste.models import StreetStreamRecord, WasteDataset

pytestmark = pytest.mark.django_db

HEADER = "street,period,stream,collected_t,utilised_t,incinerated_t,landfilled_t\n"
# FACTS.md §12 quantities: separated share (6,375 + 9,504) / 30,073 = 52.8 %; utilised 12,931.39 → 43.0 %
HAND_WORKED = HEADER + (
    "五角场街道,2020,recyclable,6375,6000,375,0\n"
    "五角场街道,2020,wet,9504,6931.39,2572.61,0\n"
    "五角场街道,2020,dry,14194,0,12000,2194\n"
    "五角场街道,2020,hazardous,0,0,0,0\n"
)
OTHER_STREET = HEADER + (
    "合成示例街道一,2020,recyclable,100,90,10,0\n"
    "合成示例街道一,2020,wet,100,90,10,0\n"
    "合成示例街道一,2020,dry,100,0,100,0\n"
    "合成示例街道一,2020,hazardous,0,0,0,0\n"
)
INSPECTIONS = (
    "street,period,kind,assessed,compliant\n"
    "五角场街道,2020,residential,40,38\n五角场街道,2020,unit,60,57\n"
    "合成示例街道一,2020,residential,10,8\n"
)


def _import(text: str, name: str = "w.csv") -> services.WasteImportResult:
    return services.waste_dataset_import(filename=name, content=text.encode("utf-8"))


@pytest.fixture
def plan_loaded(db, capsys):
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    capsys.readouterr()


def test_import_is_all_or_nothing_and_idempotent() -> None:
    bad = _import(HAND_WORKED + "五角场街道,2020,glass,1,1,0,0\n五角场街道,2020Q9,wet,1,1,0,0\n", "bad.csv")
    assert bad.dataset is None
    assert [str(e) for e in bad.errors] == [
        "bad.csv, row 6: field stream: 'glass' must be one of: recyclable, wet, dry, hazardous",
        "bad.csv, row 7: field period: '2020Q9' is not a period: use a year (2024), a quarter (2024Q3) or a "
        "month (2024-07)",
    ]
    assert not WasteDataset.objects.exists()
    first = _import(HAND_WORKED)
    assert first.created
    again = _import(HAND_WORKED.replace("6000,", "6000.0,"), "again.csv")  # same content, other bytes
    assert not again.created
    assert again.dataset == first.dataset
    assert StreetStreamRecord.objects.count() == 4


def test_a_newer_data_set_supersedes_only_what_it_resends() -> None:
    _import(HAND_WORKED)
    _import(HEADER + "五角场街道,2020,wet,9504,9000,504,0\n", "fix.csv")
    wet = [r for r in selectors.waste_data().streams if r.stream == "wet"]
    assert [r.utilised_t for r in wet] == [9000.0]
    assert len(selectors.waste_data().streams) == 4
    assert WasteDataset.objects.count() == 2  # history kept


def test_hand_worked_recovery_rate_through_the_cli(plan_loaded, capsys, tmp_path) -> None:
    path = tmp_path / "streets.csv"
    path.write_text(HAND_WORKED, encoding="utf-8")
    assert main(["waste", "import", str(path)]) == 0
    assert "4 rows of quantities imported" in capsys.readouterr().out
    assert main(["waste", "import", str(path)]) == 0
    assert "already imported" in capsys.readouterr().out
    (tmp_path / "i.csv").write_text(INSPECTIONS, encoding="utf-8")
    assert main(["waste", "import", str(tmp_path / "i.csv")]) == 0
    capsys.readouterr()
    assert main(["waste", "rates", "--year", "2020", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) >= {"district", "streets"}
    assert set(document["district"]) >= {"recovery_rate", "sorting_compliance_rate"}
    street = document["streets"][0]
    assert street["street"] == "五角场街道"
    assert street["unit"] == "wujiaochang_street_office"
    assert street["recovery_rate"] == pytest.approx(43.0, abs=1e-4)  # the utilised share ...
    assert street["separated_share"] == pytest.approx(52.80, abs=0.005)  # ... not the separated share
    assert street["sorting_compliance_rate"] == pytest.approx(95.0)  # 95 / 100
    assert document["district"]["sorting_compliance_rate"] == pytest.approx(100 * 103 / 110, abs=1e-4)
    assert document["targets"]["recovery_rate"]["value"] == 45.0  # read from the plan
    assert document["district"]["emissions"]["total_co2e_t"] is None  # parameters are X: unknown
    assert main(["waste", "rates", "--year", "1999"]) == 1
    assert "no waste statistics for 1999" in capsys.readouterr().err


def test_bad_file_through_the_cli_names_every_row(tmp_path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "A,2024,wet,-3,0,0,0\nA,2024,dry,inf,0,0,0\n", encoding="utf-8")
    assert main(["waste", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv, row 2: field collected_t: -3 must be a finite number" in err
    assert "bad.csv, row 3: field collected_t: inf must be a finite number" in err


def test_targets_show_computed_values_in_indicators_status(plan_loaded, capsys) -> None:
    # the plan states no baseline, so the first year is the trajectory's start: two years are needed
    for year in ("2023", "2024"):
        _import(HAND_WORKED.replace(",2020,", f",{year},"), f"q{year}.csv")
        _import(INSPECTIONS.replace(",2020,", f",{year},"), f"i{year}.csv")
    assert main(["indicators", "status", "--format", "json", "--as-of", "2025-06-30"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["waste_resource_recovery_2025"]["latest_value"] == pytest.approx(43.0)
    # compliance: (38 + 57 + 8) / 110
    assert rows["waste_sorting_compliance_2025"]["latest_value"] == pytest.approx(93.64)


@pytest.fixture
def people(django_user_model, plan_loaded):
    office = django_user_model.objects.create_user("office", password="x", is_superuser=True)
    street = django_user_model.objects.create_user("wjc", password="x")
    UnitMembership.objects.create(user=street, unit_code="wujiaochang_street_office", role="reporter")
    bureau = django_user_model.objects.create_user("lhsr", password="x")
    UnitMembership.objects.create(user=bureau, unit_code="landscaping_city_appearance_bureau", role="viewer")
    nobody = django_user_model.objects.create_user("nobody", password="x")
    _import(HAND_WORKED)
    _import(OTHER_STREET, "other.csv")
    _import(INSPECTIONS, "i.csv")
    return {"office": office, "street": street, "bureau": bureau, "nobody": nobody}


def test_a_street_office_sees_its_own_streets_only(client, people) -> None:
    assert client.get("/waste/").status_code == 302  # login required
    client.force_login(people["street"])
    page = client.get("/waste/?year=2020").content.decode()
    assert 'data-street="五角场街道"' in page
    assert 'data-street="合成示例街道一"' not in page
    api = client.get("/api/waste/rates?year=2020").json()
    assert [s["street"] for s in api["streets"]] == ["五角场街道"]
    assert api["streets"][0]["recovery_rank"] == 2  # 43 % after the other street's 60 %: ranks cover all
    client.force_login(people["bureau"])
    page = client.get("/waste/?year=2020").content.decode()
    assert 'data-street="合成示例街道一"' in page
    assert 'data-street="五角场街道"' in page


def test_pages_show_labels_and_targets_from_the_plan(client, people) -> None:
    client.force_login(people["office"])
    client.cookies["django_language"] = "en"
    page = client.get("/waste/?year=2020", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "≥ 45 %" in page
    assert "≥ 95 %" in page
    assert "utilised_exceeds_collected" not in page
    assert "no_data" not in page


def test_upload_rights(client, people) -> None:
    client.force_login(people["nobody"])
    assert client.get("/waste/import/").status_code == 403
    client.force_login(people["street"])
    own = SimpleUploadedFile("own.csv", HAND_WORKED.replace("6000,", "6100,").encode("utf-8"))
    assert client.post("/waste/import/", {"file": own}).status_code == 302
    other = SimpleUploadedFile("other.csv", OTHER_STREET.replace("90,10", "80,20").encode("utf-8"))
    response = client.post("/waste/import/", {"file": other})
    assert response.status_code == 400
    assert "other.csv, row 2: field street: &#x27;合成示例街道一&#x27; is not a street of your unit" in (
        response.content.decode()
    )
    client.force_login(people["office"])
    again = SimpleUploadedFile("other.csv", OTHER_STREET.replace("90,10", "80,20").encode("utf-8"))
    assert client.post("/waste/import/", {"file": again}).status_code == 302


def _inventory_dataset():  # type: ignore[no-untyped-def]
    activity, statistics = reference_district()
    buffer = io.BytesIO()
    write_activity_workbook(activity, statistics, buffer)
    result = inventory_services.activity_dataset_import(
        name="demo", filename="demo.xlsx", content=buffer.getvalue(), synthetic=True
    )
    assert result.dataset is not None
    return result.dataset


def test_waste_row_stays_ne_with_the_reason_when_parameters_are_x(reference_loaded, reference_plan) -> None:
    base = _inventory_dataset()
    _import(HAND_WORKED.replace(",2020,", ",2024,"))
    derived = services.waste_inventory_dataset_create(base=base)
    assert derived.created
    row = ActivityRow.objects.get(dataset=derived.dataset, sector="waste", year=2024)
    assert row.quantity is None
    assert row.notation == "NE"
    assert "parameters not found (evidence X)" in row.note
    assert "mcf" in row.note
    run = inventory_services.inventory_run_create(dataset=derived.dataset)
    gpc = next(g for g in run.document["gpc"] if g["year"] == 2024)
    assert next(r for r in gpc["rows"] if r["sector"] == "waste")["scope1_t"] == "NE"
    assert ActivityRow.objects.filter(dataset=base, sector="waste", year=2024).count() == 1  # base unchanged
    assert not services.waste_inventory_dataset_create(base=base).created  # idempotent


def test_known_parameters_feed_the_inventory_and_the_projection(
    reference_loaded, reference_plan, monkeypatch
) -> None:
    from carbonpeak.web.projection.selectors import run_history

    def p(method: str, name: str, value: float) -> WasteParameter:
        return WasteParameter(name, method, name, "", value, "-", "S")

    # illustrative test values, not reference data
    known = [
        p("landfill_ch4_mass_balance", n, v)
        for n, v in (("mcf", 1.0), ("doc", 0.15), ("doc_f", 0.5), ("f", 0.5), ("recovery_fraction", 0.0))
    ] + [p("landfill_ch4_mass_balance", "ox", 0.1), p("landfill_ch4_mass_balance", "gwp_ch4", 20.0)]
    known += [
        p("incineration_fossil_co2", n, v)
        for n, v in (("carbon_content", 0.3), ("fossil_carbon_fraction", 0.4), ("combustion_efficiency", 0.9))
    ]
    monkeypatch.setattr(services, "waste_parameters", lambda: known)
    base = _inventory_dataset()
    _import(HAND_WORKED.replace(",2020,", ",2024,"))
    derived = services.waste_inventory_dataset_create(base=base)
    row = ActivityRow.objects.get(dataset=derived.dataset, sector="waste", year=2024)
    # landfill: 2,194 t x 0.05 x 0.9 = 98.73 t CH4 x 20 = 1,974.6 t; incineration: 14,947.61 t x 0.108
    # x 44/12 = 5,919.25 t
    assert row.quantity == pytest.approx(1974.6 + 14947.61 * 0.108 * 44 / 12)
    run = inventory_services.inventory_run_create(dataset=derived.dataset)
    gpc = next(g for g in run.document["gpc"] if g["year"] == 2024)
    assert next(r for r in gpc["rows"] if r["sector"] == "waste")["scope1_t"] == pytest.approx(
        row.quantity, abs=1e-3
    )
    history = run_history(run=run)
    assert history[("waste", "co2e")][2024][1] == pytest.approx(row.quantity)


def test_demo_is_synthetic_and_reloading_changes_nothing(plan_loaded) -> None:
    first = services.demo_waste_load(seed=3)
    assert "SYNTHETIC" in first
    count = StreetStreamRecord.objects.count()
    assert "0 new data sets" in services.demo_waste_load(seed=3)
    assert StreetStreamRecord.objects.count() == count
    assert all(d.synthetic for d in WasteDataset.objects.all())
    streets = selectors.waste_data().streets
    assert "五角场街道" in streets
    assert "江浦路街道" in streets


def test_api_needs_a_session_and_a_known_year(client, people) -> None:
    assert client.get("/api/waste/rates?year=2020").status_code == 401
    client.force_login(people["office"])
    assert client.get("/api/waste/rates?year=1999").status_code == 404
    body = client.get("/api/waste/rates?year=2020").json()
    assert {s["street"] for s in body["streets"]} == {"五角场街道", "合成示例街道一"}
    indicators = client.get("/api/waste/indicators").json()
    assert indicators["household_waste_recovery_rate"][0]["value"] == pytest.approx(
        100 * (12931.39 + 180) / (30073 + 300), abs=0.01
    )


def test_inventory_hook_needs_the_district_area(reference_loaded) -> None:
    base = inventory_services.activity_dataset_import(
        name="two",
        filename="two.csv",
        content=b"year,area,sector,carrier,quantity,unit\n"
        b"2020,a,waste,co2e,NE,tCO2e\n2020,b,commercial,electricity,1,MWh\n",
    )
    assert base.dataset is not None, base.errors
    _import(HAND_WORKED)
    with pytest.raises(services.WasteInventoryError, match="name the district's area"):
        services.waste_inventory_dataset_create(base=base.dataset)
    derived = services.waste_inventory_dataset_create(base=base.dataset, area="a")
    assert ActivityRow.objects.get(dataset=derived.dataset, sector="waste").notation == "NE"
