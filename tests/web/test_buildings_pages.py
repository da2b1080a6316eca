"""Building pages (SQLite and PostgreSQL): file import UI, audit list, performance, virtual load, map."""

import io
import json
from datetime import date

import pytest
from django.contrib.auth.models import Permission

from carbonpeak.io.buildings import read_meters_file
from carbonpeak.web.buildings import selectors, services
from carbonpeak.web.buildings.models import Building, Reading
from tests.web.buildings_fixtures import ingest, readings_file

pytestmark = pytest.mark.django_db


def upload(client, kind: str, name: str, content: bytes):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post("/buildings/import/", {"kind": kind, "file": handle})


def test_the_import_page_needs_a_login_and_the_permission(site, client, unit_user):
    assert client.get("/buildings/import/").status_code == 302  # to the login page
    client.force_login(unit_user)
    assert client.get("/buildings/import/").status_code == 403
    response = upload(client, "readings", "r.csv", b"meter_id,timestamp,value\nE1,2023-01-01 00:00,1\n")
    assert response.status_code == 403
    assert Reading.objects.count() == 0
    unit_user.user_permissions.add(Permission.objects.get(codename="add_reading"))
    unit_user = type(unit_user).objects.get(pk=unit_user.pk)  # permissions are cached per instance
    client.force_login(unit_user)
    assert (
        upload(client, "readings", "r.csv", b"meter_id,timestamp,value\nE1,2023-01-01 00:00,1\n").status_code
        == 302
    )
    assert Reading.objects.filter(meter__code="E1").count() == 1
    assert (
        upload(client, "buildings", "b.csv", b"id,name,primary_use,floor_area_m2\nB9,x,hotel,1\n").status_code
        == 403
    )


def test_the_import_page_imports_whole_files_or_lists_every_bad_row(site, client, office_admin):
    client.force_login(office_admin)
    bad = upload(
        client, "buildings", "b.csv", b"id,name,primary_use,floor_area_m2\nB8,x,hotel,1\nB9,,spa,-2\n"
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "b.csv, row 3" in text
    assert "field name: is missing" in text
    assert "spa" in text
    assert not Building.objects.filter(code__in=["B8", "B9"]).exists()  # all or nothing
    good = upload(
        client, "buildings", "b.csv", "id,name,primary_use,floor_area_m2\nB8,新楼,hotel,1200\n".encode()
    )
    assert good.status_code == 302
    assert Building.objects.get(code="B8").name == "新楼"
    readings = b"meter_id,timestamp,value\nE1,2023-01-01 00:00,1\nNOPE,2023-01-01 00:00,1\n"
    response = upload(client, "readings", "r.csv", readings)
    assert response.status_code == 302
    page = client.get("/buildings/import/").content.decode()
    assert "收到 2 条，接受 1 条" in page  # 2 received, 1 accepted (the interface is Chinese first)
    assert "隔离 1 条" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.txt", b"meter_id,timestamp,value\n", "only .csv and .xlsx files are accepted"),
        ("r.xlsx", b"meter_id,timestamp,value\n", "is not an Excel workbook"),
        ("r.csv", b"\x00\x01\x02binary", "is not a text file"),
    ],
)
def test_uploads_are_checked_for_type(site, client, office_admin, name, content, message):
    client.force_login(office_admin)
    response = upload(client, "readings", name, content)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_uploads_are_checked_for_size(site, client, office_admin, settings):
    settings.MAX_UPLOAD_MB = 0
    client.force_login(office_admin)
    response = upload(client, "readings", "r.csv", b"meter_id,timestamp,value\nE1,2023-01-01 00:00,1\n")
    assert response.status_code == 400
    assert "over the 0 MB limit" in response.content.decode()


def test_the_audit_list_orders_by_urgency(site, client, office_admin):
    Building.objects.create(
        code="A1",
        name="旧审计",
        primary_use="hospital",
        floor_area_m2=20_000,
        last_audit_date=date(2015, 3, 1),
        audit_interval_years=5,
    )
    Building.objects.create(
        code="A2",
        name="新审计",
        primary_use="hotel",
        floor_area_m2=12_000,
        last_audit_date=date(2024, 3, 1),
        audit_interval_years=5,
    )
    Building.objects.create(code="A3", name="小楼", primary_use="hotel", floor_area_m2=9_000)
    Building.objects.create(code="A4", name="住宅", primary_use="residential", floor_area_m2=90_000)
    rows = selectors.audit_list(today=date(2026, 11, 25))
    # B2 (a 50,000 m² mall, never audited), A1 (overdue since 2020), A2 (due 2029); B1 has exactly 10,000 m²
    assert [(r["building"].code, r["status"]) for r in rows] == [
        ("B2", "never_audited"),
        ("A1", "overdue"),
        ("A2", "scheduled"),
    ]
    assert rows[1]["due"] == date(2020, 3, 1)
    client.force_login(office_admin)
    html = client.get("/buildings/audits/", {"status": "overdue"}).content.decode()
    assert 'data-building="A1"' in html
    assert 'data-building="A2"' not in html


def test_the_building_page_shows_performance_and_virtual_load(site, tmp_path, client, office_admin):
    path = tmp_path / "v.csv"
    path.write_text(
        "id,building_id,energy_class,unit,virtual\nB1-REST,B1,electricity,kWh,E1 - R1\n", encoding="utf-8"
    )
    parsed = read_meters_file(path)
    assert services.meters_import(rows=parsed.rows).errors == []
    ingest(
        readings_file(site, ["E1,2023-01-02 10:00,50", "R1,2023-01-02 10:00,100", "R1,2023-01-02 10:15,130"])
    )
    profile = selectors.hourly_profile(Building.objects.get(code="B1"))
    assert profile["virtual"] == [{"meter": "B1-REST", "data": [20.0]}]  # 50 - (130 - 100) in the 10:00 hour
    client.force_login(office_admin)
    html = client.get("/buildings/B1/", {"year": 2023}).content.decode()
    assert 'id="performance"' in html
    assert 'id="base-load"' in html
    assert 'id="public-indicators"' in html  # B1 is a public institution: the 2020 baseline is missing
    assert "缺少： occupants" in html.split('id="public-indicators"')[1][:200]  # what is missing, named


def test_the_map_draws_footprints(site, client, office_admin):
    ring = [[121.52, 31.27], [121.521, 31.27], [121.521, 31.271], [121.52, 31.271], [121.52, 31.27]]
    Building.objects.filter(code="B1").update(footprint={"type": "Polygon", "coordinates": [ring]})
    client.force_login(office_admin)
    html = client.get("/buildings/map/", {"year": 2023}).content.decode()
    data = json.loads(html.split('id="map-data" type="application/json">')[1].split("</script>")[0])
    by_id = {p["id"]: p for p in data}
    assert by_id["B1"]["rings"] == [ring]
    assert by_id["B2"]["rings"] == []


DEGREE_DAYS = "station,period,heating_kd,cooling_kd,source\n" + "".join(
    f"S1,2023-{m:02d},{dd},0,test\nS1,normal-{m:02d},{dd + 10},0,test\n"
    for m, dd in enumerate([300, 250, 200, 100, 20, 0, 0, 0, 10, 80, 150, 250], start=1)
)


def test_weather_normalisation_from_imported_degree_days(site, tmp_path):
    from carbonpeak.io.buildings import read_degree_days_file

    path = tmp_path / "dd.csv"
    path.write_text(DEGREE_DAYS, encoding="utf-8")
    parsed = read_degree_days_file(path)
    assert parsed.ok, parsed.errors
    assert services.degree_days_import(rows=parsed.rows, label="dd.csv").created == 24
    assert services.degree_days_import(rows=parsed.rows, label="dd.csv").created == 0  # a re-send: no change
    # E1 uses 100 + 0.5 x DD kWh each month: the fit recovers a = 100, b = 0.5 exactly, so the normal year
    # (12 x 100 + 0.5 x (1360 + 120)) = 1,940 kWh against 1,880 kWh actual
    dd = [300, 250, 200, 100, 20, 0, 0, 0, 10, 80, 150, 250]
    ingest(
        readings_file(site, [f"E1,2023-{m:02d}-15 12:00,{100 + 0.5 * d}" for m, d in enumerate(dd, start=1)])
    )
    result = selectors.weather_normalised(Building.objects.get(code="B1"), 2023)
    assert result["problem"] is None
    assert result["months"] == list(range(1, 13))
    assert result["actual_kwh"] == pytest.approx(1_880.0)
    assert result["normalised_kwh"] == pytest.approx(1_940.0)


def test_weather_normalisation_refuses_too_few_months_and_conflicting_reimports(site, tmp_path):
    from carbonpeak.io.buildings import read_degree_days_file

    path = tmp_path / "dd.csv"
    path.write_text(DEGREE_DAYS, encoding="utf-8")
    services.degree_days_import(rows=read_degree_days_file(path).rows, label="dd.csv")
    ingest(readings_file(site, ["E1,2023-01-15 12:00,250", "E1,2023-02-15 12:00,225"]))
    result = selectors.weather_normalised(Building.objects.get(code="B1"), 2023)
    assert "2 months of data; a degree-day model needs at least 9" in result["problem"]
    path.write_text(DEGREE_DAYS.replace("S1,2023-01,300", "S1,2023-01,301"), encoding="utf-8")
    outcome = services.degree_days_import(rows=read_degree_days_file(path).rows, label="dd.csv")
    assert [str(e) for e in outcome.errors] == [
        "dd.csv, row 2: field period: 2023-01 at S1 is stored as 300/0 K·d; "
        "stored months are corrected by the office"
    ]
