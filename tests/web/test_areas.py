"""Sub-areas in the database: the registry import, buildings naming their sub-area, each area's own
inventory, district indicators from the district rows only, the sum check, the pages, the API and the CLI."""

import json

import pytest
from django.test import Client

from carbonpeak.cli import main
from carbonpeak.core.inventory.model import DISTRICT_AREA
from carbonpeak.io.buildings import read_buildings_file
from carbonpeak.web.areas import selectors, services
from carbonpeak.web.areas.models import SubArea
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.buildings.services import buildings_file_import, buildings_import
from carbonpeak.web.inventory import services as inventory_services
from carbonpeak.web.tracking.registry import computed_values, district_co2_emissions

pytestmark = pytest.mark.django_db

AREAS_CSV = (
    "code,name_zh,name_en,parent\n"
    "changyang_valley,长阳创谷,Changyang Valley,\n"
    "binjiang,杨浦滨江,Yangpu Riverside,\n"
    "binjiang_south,滨江南段,Riverside South,binjiang\n"
)
ACTIVITY_HEADER = "year,area,sector,carrier,quantity,unit\n"


def _activity(rows: list[tuple[int, str, float]], name: str = "a.csv"):
    """Import activity rows (year, area, purchased electricity in 万kWh) and compute their inventory."""
    text = ACTIVITY_HEADER + "".join(f"{y},{a},commercial,electricity,{q},万kWh\n" for y, a, q in rows)
    result = inventory_services.activity_dataset_import(name=name, filename=name, content=text.encode())
    assert result.dataset is not None, result.errors
    return inventory_services.inventory_run_create(dataset=result.dataset, region="CN-SH")


@pytest.fixture
def areas(db):
    outcome = services.sub_areas_file_import(filename="areas.csv", content=AREAS_CSV.encode())
    assert outcome.errors == []
    return outcome


@pytest.fixture
def office_client(office_admin):
    client = Client()
    client.force_login(office_admin)
    return client


# registry -------------------------------------------------------------------------------------------------


def test_import_creates_then_updates_and_keeps_the_tree(areas):
    assert (areas.outcome.created, areas.outcome.updated) == (3, 0)
    assert SubArea.objects.get(code="binjiang_south").parent.code == "binjiang"
    again = services.sub_areas_file_import(
        filename="areas.csv", content=AREAS_CSV.replace("Changyang Valley", "Changyang").encode()
    )
    assert (again.outcome.created, again.outcome.updated) == (0, 3)
    assert SubArea.objects.get(code="changyang_valley").name_en == "Changyang"
    assert [a.code for a in selectors.sub_areas_list()] == ["binjiang", "binjiang_south", "changyang_valley"]


def test_an_unknown_parent_or_a_cycle_rejects_the_whole_file(areas):
    bad = services.sub_areas_file_import(
        filename="more.csv", content=b"code,name_zh,name_en,parent\nkic,KIC,KIC,\npier,P,P,nowhere\n"
    )
    assert bad.errors == ["more.csv, row 3: field parent: unknown sub-area 'nowhere'"]
    assert not SubArea.objects.filter(code="kic").exists()
    cycle = services.sub_areas_file_import(
        filename="cycle.csv", content=b"code,name_zh,name_en,parent\nbinjiang,B,B,binjiang_south\n"
    )
    assert cycle.errors == [
        "cycle.csv, row 2: field parent: the parents form a cycle: binjiang → binjiang_south → binjiang"
    ]
    assert SubArea.objects.get(code="binjiang").parent is None


def test_a_geojson_boundary_is_stored(db):
    square = [[[121.5, 31.3], [121.51, 31.3], [121.51, 31.31], [121.5, 31.3]]]
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "kic", "name_zh": "创智天地", "name_en": "KIC"},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
        ],
    }
    result = services.sub_areas_file_import(filename="a.geojson", content=json.dumps(collection).encode())
    assert result.errors == []
    assert SubArea.objects.get(code="kic").boundary["coordinates"] == square


# buildings -------------------------------------------------------------------------------------------------

BUILDINGS = (
    "id,name,primary_use,floor_area_m2,sub_area\n"
    "B1,一号楼,commercial_office,10000,changyang_valley\n"
    "B2,二号楼,commercial_office,5000,binjiang_south\n"
    "B3,三号楼,commercial_office,2000,\n"
)


def test_a_building_names_its_sub_area_and_an_unknown_code_is_a_row_error(areas):
    result = buildings_file_import(kind="buildings", filename="b.csv", content=BUILDINGS.encode())
    assert result.errors == []
    assert Building.objects.get(code="B1").sub_area.code == "changyang_valley"
    assert Building.objects.get(code="B3").sub_area is None
    assert [b.code for b in selectors.area_buildings(code="binjiang")] == ["B2"]  # the child's buildings
    assert selectors.floor_area_m2(code="binjiang") == 5000.0
    assert selectors.floor_area_m2(code=None) == 17000.0
    bad = buildings_file_import(
        kind="buildings", filename="b2.csv", content=BUILDINGS.replace(",binjiang_south", ",nanpu").encode()
    )
    assert len(bad.errors) == 1
    assert bad.errors[0].startswith("b2.csv, row 3: field sub_area: unknown sub-area 'nanpu'")
    assert Building.objects.get(code="B2").sub_area.code == "binjiang_south"  # nothing changed


def test_a_registry_file_without_the_column_leaves_the_sub_area_alone(areas, tmp_path):
    buildings_file_import(kind="buildings", filename="b.csv", content=BUILDINGS.encode())
    path = tmp_path / "names.csv"
    path.write_text(
        "id,name,primary_use,floor_area_m2\nB1,一号楼 (new name),commercial_office,10000\n", encoding="utf-8"
    )
    parsed = read_buildings_file(path)
    assert buildings_import(rows=parsed.rows, columns=parsed.columns).errors == []
    assert Building.objects.get(code="B1").sub_area.code == "changyang_valley"


# inventory: the district's rows only ----------------------------------------------------------------------


def test_after_a_district_file_and_a_changyang_file_district_co2_is_the_districts_only(
    reference_loaded, areas
):
    # 1 万kWh of purchased electricity = 4.2 tCO2 (Shanghai's default series, docs/inventory.md)
    district = _activity([(2022, DISTRICT_AREA, 100.0), (2023, DISTRICT_AREA, 110.0)], "district.csv")
    changyang = _activity([(2022, "changyang_valley", 30.0), (2023, "changyang_valley", 20.0)], "cy.csv")
    values = district_co2_emissions()
    assert [(v.year, v.area, v.run) for v in values] == [
        (2022, DISTRICT_AREA, district.pk),
        (2023, DISTRICT_AREA, district.pk),
    ]
    assert [v.value for v in values] == pytest.approx([420.0, 462.0])
    assert computed_values(["district_co2_emissions"])["district_co2_emissions"] == values
    sub = selectors.area_inventory(area="changyang_valley")
    assert sub.run == changyang
    assert [(y["year"], y["co2_t"]) for y in sub.years] == [(2022, pytest.approx(126.0)), (2023, 84.0)]


def test_one_file_with_both_areas_gives_each_its_own_series(reference_loaded, areas):
    _activity([(2023, DISTRICT_AREA, 100.0), (2023, "changyang_valley", 30.0)])
    assert [(v.area, v.value) for v in district_co2_emissions()] == [(DISTRICT_AREA, pytest.approx(420.0))]
    energy = computed_values(["energy_intensity"])
    assert energy == {}  # no GDP statistics in the file: no intensity, and no sub-area value leaks in
    assert selectors.area_inventory(area="changyang_valley").years[0]["co2_t"] == pytest.approx(126.0)


def test_a_sub_area_file_alone_gives_the_district_no_values(reference_loaded, areas):
    _activity([(2023, "changyang_valley", 30.0)])
    assert district_co2_emissions() == []
    assert "unregistered" not in json.dumps(selectors.unregistered_areas())
    _activity([(2023, "nanpu", 1.0)], "x.csv")
    assert selectors.unregistered_areas() == ["nanpu"]


# the sum check ---------------------------------------------------------------------------------------------


def test_sub_areas_adding_up_to_more_than_the_district_are_warned(reference_loaded, areas):
    _activity([(2023, DISTRICT_AREA, 100.0)], "district.csv")
    _activity([(2023, "changyang_valley", 60.0)], "cy.csv")
    assert selectors.sum_check() == []  # 60 <= 100
    _activity([(2023, "binjiang", 50.0), (2023, "binjiang_south", 55.0)], "bj.csv")
    found = {(w.area, w.quantity, w.year): w for w in selectors.sum_check()}
    # district: 60 + 50 = 110 万kWh > 100; binjiang's child 55 > 50; binjiang_south is not added twice
    assert set(found) == {
        (DISTRICT_AREA, "energy_tce", 2023),
        (DISTRICT_AREA, "co2_t", 2023),
        ("binjiang", "energy_tce", 2023),
        ("binjiang", "co2_t", 2023),
    }
    co2 = found[(DISTRICT_AREA, "co2_t", 2023)]
    assert co2.parts == ("binjiang", "changyang_valley")
    assert (co2.whole, co2.parts_total, co2.excess) == pytest.approx((420.0, 462.0, 42.0))
    assert co2.excess_pct == pytest.approx(10.0)


def test_the_floor_area_check_compares_the_registry_totals(areas, monkeypatch):
    buildings_file_import(kind="buildings", filename="b.csv", content=BUILDINGS.encode())
    assert selectors.sum_check() == []  # every building counts once: the parts are within the whole
    real = selectors.floor_area_m2
    monkeypatch.setattr(
        selectors, "floor_area_m2", lambda *, code: 20000.0 if code == "changyang_valley" else real(code=code)
    )
    (excess,) = selectors.sum_check()
    assert (excess.area, excess.quantity, excess.year, excess.whole, excess.parts_total) == (
        DISTRICT_AREA,
        "floor_area_m2",
        None,
        17000.0,
        25000.0,
    )


# pages and API ----------------------------------------------------------------------------------------------


def test_pages_need_a_login(client, areas):
    for url in ("/areas/", "/areas/changyang_valley/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert client.get("/api/areas/").status_code == 401


def test_the_list_page_shows_labels_numbers_and_the_warning(reference_loaded, areas, office_client):
    _activity([(2023, DISTRICT_AREA, 100.0)], "district.csv")
    _activity([(2023, "changyang_valley", 30000.0)], "cy.csv")
    html = office_client.get("/areas/").content.decode()
    assert 'data-area="changyang_valley"' in html
    assert "长阳创谷" in html
    assert "126,000" in html  # 30,000 万kWh x 4.2, with thousands separators
    assert 'id="sum-check-table"' in html
    english = office_client.get("/areas/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200


def test_the_sub_area_page_and_the_api_give_its_own_inventory_and_buildings(
    reference_loaded, areas, office_client
):
    buildings_file_import(kind="buildings", filename="b.csv", content=BUILDINGS.encode())
    _activity([(2023, DISTRICT_AREA, 100.0)], "district.csv")
    _activity([(2023, "binjiang", 40.0), (2023, "binjiang_south", 20.0)], "bj.csv")
    html = office_client.get("/areas/binjiang/").content.decode()
    assert "杨浦滨江" in html
    assert 'data-year="2023"' in html
    assert 'data-building="B2"' in html
    assert 'id="sum-check-ok"' in html
    assert office_client.get("/areas/nowhere/").status_code == 404
    data = office_client.get("/api/areas/binjiang").json()
    assert data["parent"] is None
    assert data["inventory"]["years"][0]["co2_t"] == pytest.approx(168.0)
    assert [b["id"] for b in data["buildings"]] == ["B2"]
    assert data["warnings"] == []
    listing = office_client.get("/api/areas/").json()
    assert listing["district_area"] == DISTRICT_AREA
    assert [a["code"] for a in listing["sub_areas"]] == ["binjiang", "binjiang_south", "changyang_valley"]
    assert office_client.get("/api/areas/check").json() == []
    assert office_client.get("/api/areas/nowhere").status_code == 404


def test_the_api_returns_the_warnings(reference_loaded, areas, office_client):
    _activity([(2023, DISTRICT_AREA, 10.0)], "district.csv")
    _activity([(2023, "changyang_valley", 30.0)], "cy.csv")
    warnings = office_client.get("/api/areas/check").json()
    assert {(w["area"], w["quantity"]) for w in warnings} == {
        (DISTRICT_AREA, "energy_tce"),
        (DISTRICT_AREA, "co2_t"),
    }
    assert office_client.get("/api/areas/").json()["warnings"] == warnings


# CLI ----------------------------------------------------------------------------------------------------


def test_cli_import_and_list(tmp_path, capsys, reference_loaded, reference_plan):
    path = tmp_path / "areas.csv"
    path.write_text(AREAS_CSV, encoding="utf-8")
    assert main(["areas", "import", str(path), "--synthetic"]) == 0
    assert capsys.readouterr().out == "sub-areas: 3 created, 0 updated (synthetic) (areas.csv)\n"
    assert main(["areas", "list", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["district_area"] == DISTRICT_AREA
    assert [a["code"] for a in document["sub_areas"]] == ["binjiang", "binjiang_south", "changyang_valley"]
    assert all(a["synthetic"] for a in document["sub_areas"])
    assert main(["areas", "list"]) == 0
    table = capsys.readouterr().out
    assert "changyang_valley" in table
    assert "(synthetic)" in table


def test_cli_import_errors_are_one_line_each(tmp_path, capsys, db):
    path = tmp_path / "bad.csv"
    path.write_text("code,name_zh,name_en\nBad Code,x,y\n", encoding="utf-8")
    assert main(["areas", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("carbonpeak: error: bad.csv, row 2: field code: 'Bad Code' is not a code")
    assert err.count("\n") == 1
    assert main(["areas", "import", str(tmp_path / "missing.csv")]) == 1
    assert "no such file" in capsys.readouterr().err


# demo -------------------------------------------------------------------------------------------------------


def test_demo_sub_areas_are_synthetic_idempotent_and_within_the_district(reference_loaded, reference_plan):
    import io

    from carbonpeak.demo.inventory import reference_district
    from carbonpeak.io.inventory import write_activity_workbook

    activity, statistics = reference_district()
    buffer = io.BytesIO()
    write_activity_workbook(activity, statistics, buffer)
    dataset = inventory_services.activity_dataset_import(
        name="demo", filename="demo.xlsx", content=buffer.getvalue(), synthetic=True
    ).dataset
    inventory_services.inventory_run_create(dataset=dataset, region="CN-SH")
    first = services.demo_areas_load(seed=1)
    assert "5 synthetic sub-areas (5 created, 0 updated)" in first
    assert "imported" in first
    assert "already present" in services.demo_areas_load(seed=1)
    assert all(a.synthetic for a in SubArea.objects.all())
    assert SubArea.objects.get(code="riverside_south").parent.code == "yangpu_riverside"
    assert selectors.sum_check() == []
    inventory = selectors.area_inventory(area="changyang_valley")
    assert inventory.synthetic
    assert [y["year"] for y in inventory.years] == [2020, 2021, 2022, 2023, 2024]
    district = {v.year: v.value for v in district_co2_emissions()}
    assert len(district) == 10  # 2015-2024, the district's rows only
    assert inventory.years[-1]["co2_t"] < 0.1 * district[2024]


def test_the_district_row_is_named_after_the_current_plan(areas, office_client):
    from carbonpeak.data import REFERENCE_PLAN
    from carbonpeak.io.plan import read_plan_file
    from carbonpeak.web.plan.services import plan_load

    row = office_client.get("/areas/").content.decode().split('data-area="district"')[1].split("</tr>")[0]
    assert "全区" in row  # no plan: the generic label
    plan_load(plan=read_plan_file(REFERENCE_PLAN).plan)
    row = office_client.get("/areas/").content.decode().split('data-area="district"')[1].split("</tr>")[0]
    assert "杨浦区" in row
