"""PV installation and charging site registries: imports, the plan's rules on hand-made registries, the
tracking registry's computed indicators, the pages and the upload checks."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from carbonpeak.cli import main
from carbonpeak.data import REFERENCE_PLAN
from carbonpeak.io.renewables import read_charging_file, read_pv_file
from carbonpeak.web.buildings.models import Building
from carbonpeak.web.renewables import selectors, services
from carbonpeak.web.renewables.models import ChargingSite, PvInstallation
from carbonpeak.web.tracking import registry

pytestmark = pytest.mark.django_db

PV_CSV = (
    "id,building_id,capacity_kwp,kind,commissioned,storage_kwh,owner\n"
    "PV-G1,G1,100,rooftop,2023-06-01,0,区机管局\n"  # 100 kWp / 0.2 kWp/m² = 500 m² of G1's 1000 m²
    "PV-H1,H1,20,bipv,2021-03-01,,\n"  # 100 m² of H1's 500 m² = 20 % < 30 %
    "PV-F1,F1,300,rooftop,2019-01-01,,\n"  # before 2021: covers F1 but is not new capacity
    "PV-S1,S1,50,carport,2025-12-31,,\n"  # carport: new capacity, no roof coverage
)
SITES_CSV = (
    "id,name,building_id,parking_lot,site_kind,access,commissioned,parking_spaces,fast_count,slow_count,"
    "fast_kw,slow_kw\n"
    "C1,办公楼,G1,,office,dedicated,2022-05-01,100,6,14,60,7\n"  # 20 %, 30 % fast: complies
    "C2,医院,H1,,public_facility,public,2024-01-01,100,5,5,60,7\n"  # 10 % < 15 %
    "L1,停车场一,,滨江停车场,parking_lot,public,2021-07-01,200,10,30,60,7\n"
    "L2,停车场二,,大学路停车场,parking_lot,public,2025-02-01,80,0,0,,\n"  # no chargers
    "T1,出租车示范站,,国和路,taxi_station,dedicated,2024-09-01,30,12,0,120,\n"
)


def building(code: str, use: str, public: bool, roof_m2: float | None, year: int) -> Building:
    return Building.objects.create(
        code=code,
        name=f"测试 {code}",
        primary_use=use,
        public_institution=public,
        floor_area_m2=10_000,
        roof_area_m2=roof_m2,
        year_built=year,
        lat=31.28,
        lon=121.52,
    )


@pytest.fixture
def district(db, reference_plan):
    building("G1", "government_office", True, 1000.0, 2023)
    building("S1", "school_university", True, 2000.0, 2010)
    building("F1", "industrial", False, 4000.0, 2000)
    building("H1", "hospital", True, 500.0, 2024)
    building("O1", "commercial_office", False, 800.0, 2015)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def registries(district, tmp_path):
    assert main(["pv", "import", str(write(tmp_path, "pv.csv", PV_CSV))]) == 0
    assert main(["chargers", "import", str(write(tmp_path, "sites.csv", SITES_CSV))]) == 0


def test_cli_imports_are_idempotent(district, tmp_path, capsys):
    path = write(tmp_path, "pv.csv", PV_CSV)
    assert main(["pv", "import", str(path)]) == 0
    assert "4 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert main(["pv", "import", str(path)]) == 0
    assert "0 created, 0 updated, 4 unchanged" in capsys.readouterr().out
    assert PvInstallation.objects.count() == 4
    assert PvInstallation.objects.get(code="PV-G1").building.code == "G1"
    sites = write(tmp_path, "sites.csv", SITES_CSV)
    assert main(["chargers", "import", str(sites)]) == 0
    assert main(["chargers", "import", str(sites)]) == 0
    assert "0 created, 0 updated, 5 unchanged" in capsys.readouterr().out
    lot = ChargingSite.objects.get(code="L1")
    assert (lot.building, lot.parking_lot, lot.fast_count, lot.slow_count) == (None, "滨江停车场", 10, 30)


def test_a_bad_row_rejects_the_whole_file_naming_file_row_and_field(district, tmp_path, capsys):
    text = PV_CSV + "PV-X,G1,abc,rooftop,2023-01-01,,\n"
    assert main(["pv", "import", str(write(tmp_path, "pv.csv", text))]) == 1
    assert "pv.csv, row 6: field capacity_kwp: 'abc' is not a number" in capsys.readouterr().err
    assert PvInstallation.objects.count() == 0
    unknown = PV_CSV + "PV-X,NOPE,10,rooftop,2023-01-01,,\n"
    assert main(["pv", "import", str(write(tmp_path, "pv2.csv", unknown))]) == 1
    assert "pv2.csv, row 6: field building_id: unknown building 'NOPE'" in capsys.readouterr().err
    assert PvInstallation.objects.count() == 0
    bad_site = SITES_CSV + "X1,坏,,,office,private,2023-01-01,,,,,\n"
    assert main(["chargers", "import", str(write(tmp_path, "sites.csv", bad_site))]) == 1
    assert "sites.csv, row 7: field access: 'private' must be one of" in capsys.readouterr().err
    assert ChargingSite.objects.count() == 0


def test_coverage_and_compliance_match_hand_calculations(registries):
    summary = selectors.renewables_summary()
    # coverage scope: G1, S1, H1 (public institutions), F1 (industrial); covered: G1, H1, F1 → 75 %
    assert (summary["coverage"].count, summary["coverage"].total) == (3, 4)
    progress = {p.key: p for p in summary["progress"]}
    # new capacity 2021–2025: 100 + 20 + 50 = 170 kW of 29,000 kW
    assert progress["pv_capacity_added"].value == pytest.approx(170.0)
    assert progress["pv_capacity_added"].percent == pytest.approx(100 * 170 / 29_000)
    # chargers 2021–2025: C1 20 + C2 10 + L1 40 + L2 0 + T1 12 = 82 of 1,800
    assert progress["public_dedicated_chargers_added"].value == 82
    assert progress["pv_roof_coverage"].value == pytest.approx(75.0)
    assert progress["taxi_demo_stations_added"].value == 1
    assert [(c["code"], c["required_pct"]) for c in summary["failing_buildings"]] == [("H1", 30.0)]
    assert summary["failing_buildings"][0]["share_pct"] == pytest.approx(20.0)
    assert [c["code"] for c in summary["failing_sites"]] == ["C2"]
    assert (summary["lots"].count, summary["lots"].total) == (1, 2)
    assert summary["fast"].share_pct == pytest.approx(100 * 11 / 30)
    assert summary["synthetic"] is False


def test_indicators_appear_through_the_tracking_registry(registries, capsys):
    values = registry.computed_values()
    pv = values["pv_capacity_added"]
    assert [(v.year, v.value, v.unit) for v in pv] == [
        (2021, 0.002, "万kW"),
        (2023, 0.01, "万kW"),
        (2025, 0.005, "万kW"),
    ]
    assert [(v.year, v.value) for v in values["public_dedicated_chargers_added"]] == [
        (2021, 40.0),
        (2022, 20.0),
        (2024, 22.0),  # C2 10 + T1 12
        (2025, 0.0),
    ]
    # coverage at each year end: F1 (2019) and H1 (2021) of 4 → 50 %; G1 from 2023 → 75 %
    assert [(v.year, v.value) for v in values["pv_roof_coverage"]] == [
        (2021, 50.0),
        (2022, 50.0),
        (2023, 75.0),
        (2024, 75.0),
        (2025, 75.0),
    ]
    # one value per rule's target: G1 at 50 % (50 % rule), H1 at 20 % (30 % rule), both dated 2025
    assert {(v.target, v.year, v.value) for v in values["pv_roof_area_share_new_buildings"]} == {
        ("pv_roof_area_share_new_gov_school_factory", 2025, 50.0),
        ("pv_roof_area_share_new_other_public", 2025, 20.0),
    }
    assert values["charger_space_share_new_offices"][-1].value == pytest.approx(10.0)
    assert values["charger_equipped_share_new_parking"][-1].value == pytest.approx(50.0)
    assert [(v.year, v.value) for v in values["taxi_demo_stations_added"]] == [(2024, 1.0)]
    assert all(not v.synthetic for vs in values.values() for v in vs if v.source.endswith("registry"))
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    capsys.readouterr()
    assert main(["indicators", "status", "--format", "json", "--as-of", "2026-06-30"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["pv_capacity_added_14th"]["latest_value"] == pytest.approx(0.017)
    assert rows["pv_capacity_added_14th"]["status"] == "off_track"
    assert rows["public_dedicated_chargers_14th"]["latest_value"] == pytest.approx(82.0)
    assert rows["chargers_new_parking_lots"]["latest_value"] == pytest.approx(50.0)


def test_demo_data_is_synthetic_and_reloading_changes_nothing(reference_loaded, reference_plan):
    uses = ["government_office", "industrial", "commercial_office", "hospital", "shopping_mall"]
    for n in range(40):
        building(f"YP{n:04d}", uses[n % 5], n % 5 in (0, 3), None, 2000 + n % 25)
    Building.objects.update(synthetic=True)
    first = services.renewables_demo_load(seed=7)
    pv_count, site_count = PvInstallation.objects.count(), ChargingSite.objects.count()
    assert pv_count > 0
    assert site_count > 1
    assert f"{pv_count} PV installations ({pv_count} new)" in first
    before = sorted(PvInstallation.objects.values_list("code", "capacity_kwp", "commissioned"))
    again = services.renewables_demo_load(seed=7)
    assert f"({pv_count} new)" not in again
    assert again.count("(0 new)") == 2
    assert sorted(PvInstallation.objects.values_list("code", "capacity_kwp", "commissioned")) == before
    assert ChargingSite.objects.count() == site_count
    assert ChargingSite.objects.filter(site_kind="taxi_station").count() == 1
    assert not PvInstallation.objects.filter(synthetic=False).exists()
    assert not ChargingSite.objects.filter(synthetic=False).exists()
    assert selectors.synthetic_data()
    assert all(v.synthetic for v in registry.computed_values()["taxi_demo_stations_added"])
    from carbonpeak.web.buildings.models import Meter, Reading

    generation = Meter.objects.filter(category="generation.pv")
    assert generation.exists()
    assert f"{generation.count()} PV generation meters" in first
    assert all(m.building.year_built >= 2022 for m in generation)
    assert Reading.objects.filter(meter__in=generation).count() == sum(
        (date(2026, 1, 1) - max(p.commissioned, date(2025, 1, 1))).days * 96
        for p in PvInstallation.objects.filter(building__meters__in=generation)
    )


def test_pages_need_login(client, unit_user, registries):
    for name in ("renewables:overview", "renewables:pv", "renewables:charging", "renewables:import"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    client.force_login(unit_user)
    for name in ("renewables:overview", "renewables:pv", "renewables:charging"):
        page = client.get(reverse(name)).content.decode()
        assert 'href="/renewables/import/"' not in page  # no import permission, no link
    assert client.get(reverse("renewables:import")).status_code == 403  # no import permission


def json_script(page: str, element_id: str) -> object:
    return json.loads(page.split(f'id="{element_id}" type="application/json">')[1].split("</script>")[0])


def test_overview_shows_every_progress_bar_and_links_to_the_pv_and_charging_pages(
    client, office_admin, registries
):
    client.force_login(office_admin)
    page = client.get(reverse("renewables:overview")).content.decode()
    for key in (
        "pv_capacity_added",
        "pv_roof_coverage",
        "public_dedicated_chargers_added",
        "fast_charger_share",
    ):
        assert f'data-indicator="{key}"' in page
    assert 'href="/renewables/pv/" id="to-pv"' in page
    assert 'href="/renewables/charging/" id="to-charging"' in page
    assert 'href="/renewables/import/"' in page


def test_pv_page_shows_progress_failures_map_potential_and_registry(client, office_admin, registries):
    """G1 complies with the 50 % rule (1 of 1), H1 fails the 30 % rule (0 of 1)."""
    client.force_login(office_admin)
    page = client.get(reverse("renewables:pv")).content.decode()
    assert 'data-indicator="pv_capacity_added"' in page
    assert 'data-indicator="public_dedicated_chargers_added"' not in page
    bars = dict(re.findall(r'data-indicator="(\w+)">.*?<progress max="100" value="([\d.]+)"', page, re.S))
    assert bars["pv_roof_area_share_new_gov_school_factory"] == "100.0"
    assert bars["pv_roof_area_share_new_other_public"] == "0.0"
    assert '<tr data-building="H1">' in page
    assert 'id="renewables-map"' in page
    assert {p["layer"] for p in json_script(page, "renewables-points")} == {"pv"}
    assert {p["id"] for p in json_script(page, "renewables-points")} >= {"PV-G1", "PV-H1"}
    assert json_script(page, "renewables-footprints") == {"type": "FeatureCollection", "features": []}
    assert 'data-pv="PV-F1"' in page
    assert 'data-site="C1"' not in page


def test_charging_page_shows_progress_failures_map_and_registry(client, office_admin, registries):
    client.force_login(office_admin)
    page = client.get(reverse("renewables:charging")).content.decode()
    assert 'data-indicator="public_dedicated_chargers_added"' in page
    assert 'data-indicator="charger_equipped_share_new_parking"' in page
    assert 'data-indicator="pv_capacity_added"' not in page
    assert '<tr data-site="C2">' in page
    assert {(p["layer"], p["id"]) for p in json_script(page, "renewables-points")} == {
        ("chargers", "C1"),
        ("chargers", "C2"),
    }
    assert 'data-site="L2"' in page
    assert 'id="failing-homes"' in page


def test_upload_checks_type_size_and_rows(client, office_admin, district, settings):
    client.force_login(office_admin)
    url = reverse("renewables:import")
    bad_type = client.post(url, {"kind": "pv", "file": SimpleUploadedFile("pv.txt", b"id\n")})
    assert bad_type.status_code == 400
    assert "only .csv and .xlsx files are accepted" in bad_type.content.decode()
    fake = client.post(url, {"kind": "pv", "file": SimpleUploadedFile("pv.xlsx", b"not a zip")})
    assert "is not an Excel workbook" in fake.content.decode()
    settings.MAX_UPLOAD_MB = 0
    big = client.post(url, {"kind": "pv", "file": SimpleUploadedFile("pv.csv", PV_CSV.encode())})
    assert "over the 0 MB limit" in big.content.decode()
    settings.MAX_UPLOAD_MB = 5
    bad = PV_CSV + "PV-X,G1,10,roof,2023-01-01,,\n"
    rejected = client.post(url, {"kind": "pv", "file": SimpleUploadedFile("pv.csv", bad.encode())})
    assert rejected.status_code == 400
    assert "pv.csv, row 6: field kind: &#x27;roof&#x27; must be one of" in rejected.content.decode()
    assert PvInstallation.objects.count() == 0
    ok = client.post(url, {"kind": "chargers", "file": SimpleUploadedFile("s.csv", SITES_CSV.encode())})
    assert ok.status_code == 302
    assert ChargingSite.objects.count() == 5


def test_readers_and_services_agree(district):
    parsed = read_pv_file(Path("pv.csv"), PV_CSV.encode())
    outcome = services.pv_installations_import(rows=parsed.rows, label="pv.csv")
    assert (outcome.created, outcome.errors) == (4, [])
    sites = read_charging_file(Path("s.csv"), SITES_CSV.encode())
    assert services.charging_sites_import(rows=sites.rows).created == 5
    assert selectors.charging_rows()[0].commissioned == date(2022, 5, 1)


def test_each_buildings_rooftop_potential_on_the_default_weather(db, client, django_user_model):
    building("POT1", "commercial_office", False, 2_000.0, 2010)
    building("POT2", "industrial", False, 1_000.0, 2010)
    building("NOROOF", "hotel", False, None, 2010)
    result = selectors.building_potentials()
    rows = {r["code"]: r for r in result["rows"]}
    assert set(rows) == {"POT1", "POT2"}  # a building without a roof area has no potential
    # flat roofs: usable = roof x share (office 0.55, industrial 0.70); kWp = usable x 0.5 cover x 0.20 kWp/m²
    assert rows["POT1"]["usable_area_m2"] == pytest.approx(1_100.0)
    assert rows["POT1"]["capacity_kwp"] == pytest.approx(110.0)
    assert rows["POT2"]["capacity_kwp"] == pytest.approx(70.0)
    assert [r["code"] for r in result["rows"]] == ["POT1", "POT2"]  # largest capacity first
    # same weather and orientation: the same specific yield, and annual yield = capacity x specific yield
    assert rows["POT1"]["specific_yield_kwh_per_kwp"] == pytest.approx(
        rows["POT2"]["specific_yield_kwh_per_kwp"]
    )
    assert rows["POT1"]["annual_kwh"] == pytest.approx(110.0 * rows["POT1"]["specific_yield_kwh_per_kwp"])
    assert 900 <= rows["POT1"]["specific_yield_kwh_per_kwp"] <= 1_250  # the range in docs/pv.md [R]
    assert result["weather"] == "synthetic"
    user = django_user_model.objects.create_user("viewer", password="viewer-pass-2026")
    client.force_login(user)
    html = client.get("/renewables/pv/").content.decode()
    assert 'id="pv-potential"' in html
    assert 'data-building="POT1"' in html


def test_each_roof_rule_is_judged_against_its_own_target(district, tmp_path, capsys, client):
    """The 30 % group complies and the 50 % group does not: each target gets its own status.

    G1 (government office, 1,000 m² roof) has 40 kWp → 40 / 0.2 = 200 m² = 20 % < 50 %.
    H1 (hospital, 500 m² roof) has 40 kWp → 200 m² = 40 % ≥ 30 %. One value for both (the lowest, 20 %)
    would wrongly fail the 30 % target.
    """
    pv = (
        "id,building_id,capacity_kwp,kind,commissioned\n"
        "P-G1,G1,40,rooftop,2024-03-01\n"
        "P-H1,H1,40,bipv,2024-05-01\n"
    )
    assert main(["pv", "import", str(write(tmp_path, "pv.csv", pv))]) == 0
    values = registry.computed_values()["pv_roof_area_share_new_buildings"]
    assert sorted((v.target, v.year, v.value) for v in values) == [
        ("pv_roof_area_share_new_gov_school_factory", 2024, pytest.approx(20.0)),
        ("pv_roof_area_share_new_other_public", 2024, pytest.approx(40.0)),
    ]
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    capsys.readouterr()
    assert main(["indicators", "status", "--format", "json", "--as-of", "2025-06-30"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    fifty, thirty = (
        rows["pv_roof_area_share_new_gov_school_factory"],
        rows["pv_roof_area_share_new_other_public"],
    )
    assert (fifty["latest_value"], thirty["latest_value"]) == (pytest.approx(20.0), pytest.approx(40.0))
    assert fifty["status"] == "off_track"
    assert thirty["status"] == "on_track"  # a requirement in force that is met
    plan_page = client.get("/plan/").content.decode()  # the plan browser shows each target its own value
    shown = dict(
        re.findall(r'data-computed="(pv_roof_area_share_new_\w+)"[^>]*>[^<]*?(\d+\.\d+) %', plan_page)
    )
    assert shown == {
        "pv_roof_area_share_new_gov_school_factory": "20.0000",
        "pv_roof_area_share_new_other_public": "40.0000",
    }


def metered_year(
    code: str, year: int, monthly_kwh: float, category: str = "total", suffix: str = "E"
) -> None:
    """A main electricity meter (or another ``category``) with a full year of monthly rollups (and daily ones:
    full coverage).

    Rollups are written directly (fields meter, period, start, consumption, readings): the test does not
    depend on the readings ingest.
    """
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from carbonpeak.web.buildings.models import Meter, MeterRollup

    tz = ZoneInfo("Asia/Shanghai")
    meter = Meter.objects.create(
        code=f"{code}-{suffix}",
        building=Building.objects.get(code=code),
        energy_class="electricity",
        category=category,
        unit="kWh",
        interval_minutes=60,
    )
    months = [
        MeterRollup(
            meter=meter,
            period="month",
            start=datetime(year, m, 1, tzinfo=tz),
            consumption=monthly_kwh,
            readings=0,
        )
        for m in range(1, 13)
    ]
    first, days = date(year, 1, 1), (date(year + 1, 1, 1) - date(year, 1, 1)).days
    daily = [
        MeterRollup(
            meter=meter,
            period="day",
            start=datetime.combine(first + timedelta(days=d), datetime.min.time(), tzinfo=tz),
            consumption=monthly_kwh * 12 / days,
            readings=24,
        )
        for d in range(days)
    ]
    MeterRollup.objects.bulk_create(months + daily)


def test_renewable_substitution_rate_matches_a_hand_calculation(
    reference_loaded, reference_plan, client, office_admin, tmp_path, capsys
):
    """2024 (366 days). New buildings: N1 (2022) 12 × 7,500 = 90,000 kWh, rooftop 10 kWp all year;
    N2 (2023) 12 × 3,333.33 = 40,000 kWh, BIPV 20 kWp from 2 July: 183 of 366 days = ½ year;
    N3 (2023) has no meter: excluded and flagged. O1 (2010) is not new.

    R = 10 × Y_rooftop + 20 × Y_bipv × ½ = 10 × (Y_rooftop + Y_bipv); E = 130,000 kWh;
    rate = R / (E + R), with Y the specific yields [kWh/kWp] of the assumed orientations (20° and 25°
    south) on the default weather, ≈ 1,065 and 1,062 (docs/pv.md): ≈ 21,270 / 151,270 ≈ 14.1 %.
    """
    building("N1", "government_office", True, 1000.0, 2022)
    building("N2", "hospital", True, 500.0, 2023)
    building("N3", "school_university", True, 800.0, 2023)
    building("O1", "commercial_office", False, 800.0, 2010)
    metered_year("N1", 2024, 7_500.0)
    metered_year("N2", 2024, 40_000.0 / 12)
    metered_year("O1", 2024, 50_000.0)
    pv = (
        "id,building_id,capacity_kwp,kind,commissioned\n"
        "PV-N1,N1,10,rooftop,2023-05-01\n"
        "PV-N2,N2,20,bipv,2024-07-02\n"
        "PV-N3,N3,5,rooftop,2023-01-01\n"
        "CP-N1,N1,50,carport,2023-01-01\n"  # carport: not the building's on-site supply
        "PV-O1,O1,100,rooftop,2020-01-01\n"
    )
    assert main(["pv", "import", str(write(tmp_path, "pv.csv", pv))]) == 0
    y_roof, y_bipv = selectors._specific_yield(20.0, 180.0), selectors._specific_yield(25.0, 180.0)
    assert 900 <= y_bipv <= y_roof <= 1_250
    renewable = 10 * y_roof + 20 * y_bipv * 183 / 366
    expected = 100 * renewable / (130_000 + renewable)

    (result,) = [r for r in selectors.substitution_years(as_of=date(2026, 1, 15)) if r.year == 2024]
    assert result.energy_kwh == pytest.approx(130_000.0)
    assert result.renewable_kwh == pytest.approx(renewable)
    assert result.rate_pct == pytest.approx(expected)
    assert 13.5 < expected < 14.5
    rows = {r.code: r for r in result.rows}
    assert set(rows) == {"N1", "N2", "N3"}
    assert rows["N1"].flags == ("estimated_yield",)
    assert rows["N2"].flags == ("estimated_yield", "pv_part_year")
    assert (rows["N3"].included, rows["N3"].flags) == (False, ("no_metered_energy", "estimated_yield"))
    early = selectors.substitution_years(as_of=date(2024, 12, 31))  # 2024 is not over yet
    assert [(r.year, r.rate_pct) for r in early] == [(2022, None), (2023, None)]  # nothing metered then

    values = registry.computed_values()["renewable_substitution_rate_new_buildings"]
    assert [(v.year, v.value, v.unit) for v in values] == [(2024, round(expected, 2), "%")]
    assert "1 new building(s) without metered energy excluded" in values[0].source
    assert "estimated" in values[0].source
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    capsys.readouterr()
    assert main(["indicators", "status", "--format", "json", "--as-of", "2025-06-30"]) == 0
    status = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    target = status["renewable_substitution_new_buildings_2025"]
    assert (target["latest_value"], target["status"]) == (round(expected, 2), "on_track")  # ≥ 10 %

    client.force_login(office_admin)
    page = client.get(reverse("renewables:pv")).content.decode()
    assert 'id="substitution"' in page
    assert '<tr data-substitution="N3" class="excluded">' in page


def test_a_generation_meter_gives_the_metered_yield_and_is_not_consumption(reference_loaded, reference_plan):
    """2024: G9 (built 2022) draws 12 × 10,000 = 120,000 kWh from the grid; its PV inverter meter
    (``generation.pv``) records 12 × 1,000 = 12,000 kWh. rate = 12,000 / (120,000 + 12,000) = 9.0909 %."""
    from carbonpeak.web.buildings import selectors as building_selectors

    building("G9", "government_office", True, 1000.0, 2022)
    metered_year("G9", 2024, 10_000.0)
    metered_year("G9", 2024, 1_000.0, category="generation.pv", suffix="PV")
    PvInstallation.objects.create(
        code="PV-G9",
        building=Building.objects.get(code="G9"),
        capacity_kwp=10,
        kind="rooftop",
        commissioned=date(2023, 1, 1),
    )
    g9 = Building.objects.get(code="G9")
    assert building_selectors.consumption_by_class(g9, 2024) == {
        "electricity": (pytest.approx(120_000.0), "kWh")
    }
    assert building_selectors.generation_kwh(g9, 2024) == pytest.approx(12_000.0)
    assert building_selectors.generation_kwh(g9, 2023) is None  # no reading that year: unknown, not zero
    (result,) = [r for r in selectors.substitution_years(as_of=date(2026, 1, 15)) if r.year == 2024]
    (row,) = result.rows
    assert (row.yield_basis, row.flags) == ("metered", ())
    assert (result.energy_kwh, result.renewable_kwh) == (pytest.approx(120_000.0), pytest.approx(12_000.0))
    assert result.rate_pct == pytest.approx(100 * 12_000 / 132_000)


HOMES_CSV = (
    "id,name,building_id,parking_lot,site_kind,access,commissioned,parking_spaces,slow_count,slow_kw,"
    "ready_spaces\n"
    "R1,新小区一,,一号小区,residential,dedicated,2023-01-01,300,50,7,250\n"  # 50 + 250 = 300: ready
    "R2,新小区二,,二号小区,residential,dedicated,2024-06-01,200,10,7,100\n"  # 110 of 200 = 55 %
    "R3,新小区三,,三号小区,residential,dedicated,2025-03-01,100,5,7,\n"  # not recorded: 5 %
    "R4,老小区,,四号小区,residential,dedicated,2018-03-01,100,0,,0\n"  # not new
)


def test_new_residential_communities_ready_for_charging(district, tmp_path, client, office_admin, capsys):
    """New communities R1-R3 (2021-2025): R1 ready (300 of 300), R2 55 %, R3 5 % (ready spaces not
    recorded) → 1 of 3 = 33.33 %, dated to the latest commissioning year (2025). R4 (2018) is not new."""
    path = write(tmp_path, "homes.csv", HOMES_CSV)
    assert main(["chargers", "import", str(path)]) == 0
    assert ChargingSite.objects.get(code="R3").ready_spaces is None
    values = registry.computed_values()["charging_ready_share_new_residential"]
    assert [(v.year, v.value, v.unit) for v in values] == [(2025, 33.33, "%")]
    summary = selectors.charging_summary()
    assert [(c["code"], round(c["share_pct"], 1), c["detail"]) for c in summary["failing_homes"]] == [
        ("R2", 55.0, ""),
        ("R3", 5.0, "ready spaces not recorded"),
    ]
    # a file without the ready_spaces column leaves the recorded counts as they are
    without = "id,name,parking_lot,site_kind,access,commissioned,parking_spaces,slow_count,slow_kw\n"
    without += "R1,新小区一,一号小区,residential,dedicated,2023-01-01,300,60,7\n"
    assert main(["chargers", "import", str(write(tmp_path, "homes2.csv", without))]) == 0
    assert "0 created, 1 updated" in capsys.readouterr().out
    r1 = ChargingSite.objects.get(code="R1")
    assert (r1.slow_count, r1.ready_spaces) == (60, 250)
    client.force_login(office_admin)
    page = client.get(reverse("renewables:charging")).content.decode()
    assert '<tr data-home="R2">' in page
    assert '<tr data-home="R1">' not in page
    assert 'data-indicator="charging_ready_share_new_residential"' in page
    assert main(["plan", "load", str(REFERENCE_PLAN)]) == 0
    capsys.readouterr()
    assert main(["indicators", "status", "--format", "json", "--as-of", "2026-06-30"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["charging_ready_new_residential"]["latest_value"] == pytest.approx(33.33)
    assert rows["charging_ready_new_residential"]["status"] == "off_track"


def test_the_map_draws_building_footprints_as_geojson(db):
    footprint = {
        "type": "Polygon",
        "coordinates": [[[121.5, 31.2], [121.51, 31.2], [121.51, 31.21], [121.5, 31.2]]],
    }
    building("M1", "government_office", True, 100.0, 2023)
    building("M2", "industrial", False, 100.0, 2023)
    Building.objects.filter(code="M1").update(footprint=footprint)
    Building.objects.filter(code="M2").update(footprint={"type": "Point", "coordinates": [121.5, 31.2]})
    PvInstallation.objects.create(
        code="P1",
        building=Building.objects.get(code="M1"),
        capacity_kwp=10,
        kind="rooftop",
        commissioned=date(2024, 1, 1),
    )
    PvInstallation.objects.create(
        code="P2",
        building=Building.objects.get(code="M2"),
        capacity_kwp=10,
        kind="rooftop",
        commissioned=date(2024, 1, 1),
    )
    shapes = selectors.map_footprints(selectors.map_points(layer="pv"))
    assert shapes == {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "M1"}, "geometry": footprint}],
    }  # M2's footprint is not a polygon
    assert selectors.map_points(layer="chargers") == []
