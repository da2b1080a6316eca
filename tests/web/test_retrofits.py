"""Retrofit registry (M&V): imports, computation from stored rollups, the providers, pages, API and CLI."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carbonpeak.cli import main
from carbonpeak.data import REFERENCE_PLAN
from carbonpeak.demo.retrofits import ProjectSpec, plant_readings, synthetic_temperatures
from carbonpeak.io.readings import ReadingColumns
from carbonpeak.web.buildings.models import Building, Meter
from carbonpeak.web.buildings.services import readings_ingest
from carbonpeak.web.retrofits import indicators, services
from carbonpeak.web.retrofits.models import OccupantCount, ProjectResult, RetrofitProject
from carbonpeak.web.tracking import registry

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
STATION = "test-station"
HEADER = (
    "id,building,measures,retrofitted_area_m2,baseline_start,baseline_end,reporting_start,reporting_end,"
    "contract_type,meters,method,green_mall_certificate,green_mall_certified_on\n"
)


def make_building(code: str, use: str = "government_office", area: float = 20_000, **extra) -> Building:
    return Building.objects.create(
        code=code, name=f"测试 {code}", primary_use=use, floor_area_m2=area, **extra
    )


def make_meter(
    building: Building, code: str, category: str = "hvac.plant", minutes: int = 60, **extra
) -> Meter:
    return Meter.objects.create(
        code=code,
        building=building,
        energy_class=extra.pop("energy_class", "electricity"),
        unit=extra.pop("unit", "kWh"),
        category=category,
        interval_minutes=minutes,
        **extra,
    )


def ingest(code: str, series: pd.Series) -> None:
    stamps = pd.DatetimeIndex(series.index).tz_convert("UTC").as_unit("ns").asi8
    readings_ingest(
        readings=ReadingColumns.from_meter_ids([code] * len(series), stamps, series.to_numpy()), source="test"
    )


@pytest.fixture(scope="module")
def temps() -> pd.Series:
    return synthetic_temperatures(seed=7)


def spec(code: str, savings: float, gap: int = 0, area: float = 20_000) -> ProjectSpec:
    return ProjectSpec(
        {
            "reporting_start": date(2024, 2, 1),
            "baseline_end": date(2024, 1, 1),
            "area_m2": area,
            "meter": code,
        },
        savings,
        0.05,
        gap,
    )


@pytest.fixture
def metered(temps, tmp_path):
    """Three buildings with hourly plant meters (22 %, 8 % savings, and a 60-day baseline gap) and the
    station's temperatures."""
    services.temperatures_import(station=STATION, series=temps)
    for code, savings, gap in (("A", 0.22, 0), ("B", 0.08, 0), ("C", 0.20, 60)):
        building = make_building(code, synthetic=True)
        make_meter(building, f"{code}-MV")
        ingest(f"{code}-MV", plant_readings(spec(f"{code}-MV", savings, gap), temps, seed=ord(code)))
    path = tmp_path / "projects.csv"
    path.write_text(
        HEADER
        + "PA,A,chiller;bms,12000,2023-01-01,2024-01-01,2024-02-01,2025-02-01,epc,A-MV,caltrack_daily,,\n"
        + "PB,B,lighting,8000,2023-01-01,2024-01-01,2024-02-01,2025-02-01,own_funds,B-MV,change_point,,\n"
        + "PC,C,bms,5000,2023-01-01,2024-01-01,2024-02-01,2025-02-01,epc,C-MV,caltrack_daily,,\n",
        encoding="utf-8",
    )
    outcome = services.projects_file_import(filename=path.name, content=path.read_bytes())
    assert outcome.errors == []
    assert outcome.created == 3
    RetrofitProject.objects.update(weather_station=STATION)
    return path


def test_import_names_bad_rows_and_changes_nothing(metered, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "PX,NOPE,chiller,100,2023-01-01,2024-01-01,2024-02-01,2025-02-01,epc,,,,\n"
        "PY,A,chiller,100,2023-01-01,2024-01-01,2024-02-01,2025-02-01,epc,B-MV,,,\n",
        encoding="utf-8",
    )
    outcome = services.projects_file_import(filename=path.name, content=path.read_bytes())
    texts = [str(e) for e in outcome.errors]
    assert texts[0] == "bad.csv, row 2: field building: no building 'NOPE' in the registry"
    assert texts[1] == "bad.csv, row 3: field meters: meter 'B-MV' belongs to another building"
    assert not RetrofitProject.objects.filter(code__in=["PX", "PY"]).exists()
    again = services.projects_file_import(filename=metered.name, content=metered.read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_compute_from_stored_rollups(metered):
    today = date(2025, 6, 1)
    a = services.project_compute(project=RetrofitProject.objects.get(code="PA"), today=today)
    assert a.status == "computed"
    assert a.savings_fraction == pytest.approx(0.22, abs=0.02)
    stored = ProjectResult.objects.get(project__code="PA")
    assert stored.document["fit"]["method"] == "caltrack_daily"
    assert stored.gates_passed
    b = services.project_compute(project=RetrofitProject.objects.get(code="PB"), today=today)
    assert b.status == "computed"
    assert b.savings_fraction == pytest.approx(0.08, abs=0.02)
    c = services.project_compute(project=RetrofitProject.objects.get(code="PC"), today=today)
    assert c.status == "refused"
    assert "missing_days" in c.reason
    running = services.project_compute(project=RetrofitProject.objects.get(code="PA"), today=date(2024, 8, 1))
    assert running.status == "incomplete"


def test_compute_without_temperatures_fails_with_reason(metered):
    RetrofitProject.objects.filter(code="PA").update(weather_station="elsewhere")
    outcome = services.project_compute(project=RetrofitProject.objects.get(code="PA"), today=date(2025, 6, 1))
    assert outcome.status == "failed"
    assert "elsewhere" in outcome.reason


def test_retrofit_area_providers(metered):
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    for project in RetrofitProject.objects.all():
        services.project_compute(project=project)
    values = registry.computed_values(["public_building_retrofit_area", "deep_retrofit_area"])
    (area,) = values["public_building_retrofit_area"]
    assert (area.year, area.unit, area.target) == (2025, "万m2", "public_building_retrofit_area_14th_15th")
    assert area.value == pytest.approx(2.5)  # 12,000 + 8,000 + 5,000 m² completed
    (deep,) = values["deep_retrofit_area"]
    assert deep.value == pytest.approx(1.2)  # only PA: PB saves 8 % < 15 %, PC was refused
    target = next(t for t in indicators.current_targets("deep_retrofit_area"))
    reasons = {c.project.code: c.reason for c in indicators.deep_retrofit_checks(target) if not c.counted}
    assert reasons["PB"].startswith("savings 8.")
    assert "missing_days" in reasons["PC"]


def test_green_mall_rate_needs_certificate_evidence_and_scope(metered):
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    big = make_building("M1", "shopping_mall", 150_000)
    make_building("M2", "shopping_mall", 120_000)
    make_building("M3", "shopping_mall", 30_000)  # under the 10万 m² rule: not in the 十四五 scope
    project = RetrofitProject.objects.create(
        code="GM", building=big, measures=["chiller"], retrofitted_area_m2=100_000,
        baseline_start=date(2023, 1, 1), baseline_end=date(2024, 1, 1), reporting_start=date(2024, 2, 1),
        reporting_end=date(2025, 2, 1), contract_type="epc", green_mall_certificate="GM-001",
        green_mall_certified_on=date(2025, 3, 1),
    )  # fmt: skip
    assert registry.computed_values(["green_mall_conversion_rate"]) == {}  # no evidence yet: not counted
    pdf = services.Evidence("cert.pdf", b"%PDF-1.4\n%%EOF\n")
    services.project_evidence_add(project=project, kind="green_mall_certificate", evidence=pdf)
    values = registry.computed_values(["green_mall_conversion_rate"])["green_mall_conversion_rate"]
    by_target = {(v.target, v.year): v.value for v in values}
    assert by_target[("green_mall_large_malls_14th", 2025)] == 50.0  # 1 of M1, M2
    assert by_target[("green_mall_all_complexes_2030", 2025)] == pytest.approx(100 / 3, abs=0.01)


def test_pue_split_new_and_existing(reference_loaded):
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    for code, built, total, it in (
        ("DN", 2023, 1250.0, 1000.0),
        ("DE", 2010, 1500.0, 1000.0),
        ("DF", 2012, 1350, 1000),
    ):
        b = make_building(code, "data_centre", 8_000, year_built=built)
        make_meter(b, f"{code}-T", "total", 15)
        make_meter(b, f"{code}-IT", "special.it", 15, it_load=True)
        stamp = pd.DatetimeIndex([datetime(2025, 3, 1, tzinfo=SH)])
        ingest(f"{code}-T", pd.Series([total], index=stamp))
        ingest(f"{code}-IT", pd.Series([it], index=stamp))
    values = registry.computed_values(["data_centre_pue"])["data_centre_pue"]
    by_target = {v.target: v.value for v in values}
    assert by_target == {"pue_new_data_centres": 1.25, "pue_existing_data_centres": 1.5}


def test_public_institution_roll_ups_against_the_baseline_year(reference_loaded):
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    for code, area, people in (("P1", 10_000, 500), ("P2", 30_000, 1500)):
        b = make_building(code, area=area, public_institution=True, occupants=people)
        make_meter(b, f"{code}-E", "total", 15)
        make_meter(b, f"{code}-W", "total", 15, energy_class="water", unit="m3")
        for year, kwh, m3 in ((2020, 1_000_000.0, 20_000.0), (2025, 900_000.0, 18_000.0)):
            stamp = pd.DatetimeIndex([datetime(year, 5, 1, tzinfo=SH)])
            ingest(f"{code}-E", pd.Series([kwh * area / 10_000], index=stamp))
            ingest(f"{code}-W", pd.Series([m3 * area / 10_000], index=stamp))
    OccupantCount.objects.create(building=Building.objects.get(code="P1"), year=2025, occupants=400)
    values = registry.computed_values(
        [
            "pi_energy_per_floor_area",
            "pi_energy_per_capita",
            "pi_water_per_capita",
            "pi_carbon_per_floor_area",
        ]
    )
    energy = {v.year: v for v in values["pi_energy_per_floor_area"]}
    assert energy[2025].change_pct == pytest.approx(-10.0, abs=0.01)  # 10 % less electricity, same area
    assert energy[2020].unit == "kgce/m2"
    water = {v.year: v for v in values["pi_water_per_capita"]}
    assert water[2020].value == pytest.approx(80_000 / 2000)  # 80,000 m3 over 2,000 people
    assert water[2025].value == pytest.approx(72_000 / 1900)  # P1's 2025 count is 400
    carbon = {v.year: v for v in values["pi_carbon_per_floor_area"]}
    assert carbon[2025].target == "pi_carbon_per_floor_area_2025"


def test_pages_need_login_and_show_the_savings(client, django_user_model, office_admin, metered):
    services.project_compute(project=RetrofitProject.objects.get(code="PA"))
    for url in (reverse("retrofits:district"), reverse("retrofits:project", args=["PA"])):
        assert client.get(url).status_code == 302
    reader = django_user_model.objects.create_user("reader", password="reader-pass-2026")
    client.force_login(reader)
    page = client.get(reverse("retrofits:project", args=["PA"])).content.decode()
    assert 'id="baseline-chart"' in page
    assert 'id="cumulative-chart"' in page
    assert 'id="retrofit-chart"' in page
    assert "12,000" in page  # thousands separators in Chinese too
    assert client.post(reverse("retrofits:compute", args=["PA"])).status_code == 403
    assert client.get(reverse("retrofits:import")).status_code == 403
    district = client.get(reverse("retrofits:district")).content.decode()
    assert 'data-project="PA"' in district
    client.force_login(office_admin)
    assert client.post(reverse("retrofits:compute", args=["PA"])).status_code == 302
    upload = SimpleUploadedFile("contract.pdf", b"%PDF-1.4\n%%EOF\n")
    client.post(reverse("retrofits:evidence", args=["PA"]), {"kind": "contract", "file": upload})
    assert RetrofitProject.objects.get(code="PA").evidence.count() == 1
    bad = SimpleUploadedFile("contract.pdf", b"not a pdf")
    client.post(reverse("retrofits:evidence", args=["PA"]), {"kind": "contract", "file": bad})
    assert RetrofitProject.objects.get(code="PA").evidence.count() == 1


def test_api_lists_projects_and_guards_compute(client, django_user_model, office_admin, metered):
    assert client.get("/api/retrofits/projects").status_code == 401
    reader = django_user_model.objects.create_user("reader", password="reader-pass-2026")
    client.force_login(reader)
    rows = client.get("/api/retrofits/projects").json()
    assert [r["id"] for r in rows] == ["PA", "PB", "PC"]
    assert client.post("/api/retrofits/projects/PA/compute").status_code in (403,)
    client.force_login(office_admin)
    detail = client.post("/api/retrofits/projects/PA/compute").json()
    assert detail["status"] == "computed"
    assert detail["result"]["fit"]["method"] == "caltrack_daily"


def test_cli_projects_compute(metered, capsys):
    assert main(["mv", "projects", "compute", "--project", "PB", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["project"] == "PB"
    assert row["status"] == "computed"
    assert main(["mv", "projects", "compute", "--project", "NOPE"]) == 1


def test_temperature_upload_names_rows(client, office_admin, tmp_path):
    client.force_login(office_admin)
    bad = SimpleUploadedFile("t.csv", b"timestamp,temperature_c\n2025-01-01T00:00:00+08:00,abc\n")
    page = client.post(reverse("retrofits:import"), {"kind": "temperatures", "station": "S", "file": bad})
    assert page.status_code == 400
    assert "t.csv, row 2: field temperature_c" in page.content.decode()
