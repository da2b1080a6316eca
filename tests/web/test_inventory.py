"""Inventory in the database: atomic imports, frozen and recomputed runs, pages, exports, permissions."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from openpyxl import load_workbook

from carbonpeak.demo.inventory import reference_district
from carbonpeak.io.inventory import write_activity_workbook
from carbonpeak.web.inventory import services
from carbonpeak.web.inventory.models import ActivityDataset, ActivityRow, InventoryRun
from carbonpeak.web.portal.uploads import UploadRejectedError
from carbonpeak.web.tracking.registry import computed_indicator_values

pytestmark = pytest.mark.django_db
GOOD = (
    b"year,area,sector,carrier,quantity,unit\n2023,yangpu,commercial,electricity,1,\xe4\xb8\x87kWh\n"
    b"2023,yangpu,residential,natural_gas,1,\xe4\xb8\x87Nm3\n"
)
BAD = GOOD + b"2023,yangpu,commercial,electricity,1,tonne oil\n,yangpu,shops,electricity,-1,kWh\n"


@pytest.fixture
def demo_run(reference_loaded, reference_plan):
    activity, statistics = reference_district()
    buffer = io.BytesIO()
    write_activity_workbook(activity, statistics, buffer)
    result = services.activity_dataset_import(
        name="synthetic", filename="demo.xlsx", content=buffer.getvalue()
    )
    return services.inventory_run_create(dataset=result.dataset)


def test_bad_file_imports_nothing_and_names_each_bad_row(reference_loaded):
    result = services.activity_dataset_import(name="x", filename="bad.csv", content=BAD)
    assert result.dataset is None
    assert [e.row for e in result.errors] == [4, 5]
    assert ActivityDataset.objects.count() == 0
    assert ActivityRow.objects.count() == 0


def test_good_file_is_stored_and_reimport_is_idempotent(reference_loaded):
    first = services.activity_dataset_import(name="x", filename="good.csv", content=GOOD)
    again = services.activity_dataset_import(name="x", filename="copy.csv", content=GOOD)
    assert first.created
    assert not again.created
    assert again.dataset == first.dataset
    assert ActivityRow.objects.count() == 2


def test_upload_type_and_size_are_checked(reference_loaded, settings):
    with pytest.raises(UploadRejectedError, match=r"only \.csv and \.xlsx"):
        services.activity_dataset_import(name="x", filename="data.exe", content=GOOD)
    settings.MAX_UPLOAD_MB = 0
    with pytest.raises(UploadRejectedError, match="over the 0 MB limit"):
        services.activity_dataset_import(name="x", filename="good.csv", content=GOOD)


def test_run_is_frozen_with_its_factor_versions_and_reproduces(reference_loaded, reference_plan):
    dataset = services.activity_dataset_import(name="x", filename="good.csv", content=GOOD).dataset
    run = services.inventory_run_create(dataset=dataset)
    assert run.table_versions["electricity_emission_factors"] == "2026-11-25"
    year = run.document["years"][0]
    assert year["co2_t"] == pytest.approx(4.2 + 21.621888, abs=1e-5)
    assert year["energy_tce"] == pytest.approx(1.229 + 12.143)
    assert services.inventory_run_reproduce(run=run) == run.document
    recomputed = services.inventory_run_recompute(run=run, electricity_series="mee_nbs_average")
    assert recomputed["years"][0]["co2_t"] == pytest.approx(5.737 + 21.621888, abs=1e-5)


def test_demo_run_computes_the_energy_intensity_indicator(demo_run):
    values = computed_indicator_values()
    intensity = {v["year"]: v for v in values["energy_intensity"]}
    assert intensity[2020]["change_pct"] == 0.0
    assert intensity[2024]["change_pct"] < 0
    assert all(v["synthetic"] for v in intensity.values())
    years = {y["year"]: y for y in demo_run.document["years"]}
    assert set(years) == set(range(2015, 2025))
    assert years[2020]["gdp_10k_yuan"] == pytest.approx(21_066_300.0)  # 2,106.63 亿元 (FACTS.md)


def test_inventory_page_and_drill_down(client, demo_run):
    html = client.get("/inventory/").content.decode()
    assert "合成数据" in html or "synthetic" in html
    assert 'id="inventory-stacked"' in html
    assert 'id="inventory-intensity"' in html
    cells = re.findall(r'data-cell="(\d+)-(\w+)"', html)
    assert ("2023", "commercial") in cells
    detail = client.get(
        f"/inventory/runs/{demo_run.pk}/cell/", {"area": "district", "year": 2023, "sector": "commercial"}
    )
    body = detail.content.decode()
    assert "sh-elec-2022" in body
    assert "coal-elec-ce" in body
    assert "fuel-natural-gas" in body
    assert (
        client.get(f"/inventory/runs/{demo_run.pk}/cell/", {"year": "x", "sector": "commercial"}).status_code
        == 404
    )


def test_compare_page(client, demo_run):
    html = client.get(
        f"/inventory/runs/{demo_run.pk}/compare/", {"series": "mee_nbs_average"}
    ).content.decode()
    assert 'id="reproduced" class="ok"' in html
    assert "<td>co2_t</td>" in html
    assert client.get(f"/inventory/runs/{demo_run.pk}/compare/", {"series": "bogus"}).status_code == 404


def test_excel_export_has_gpc_table_with_notation_keys(client, demo_run):
    response = client.get(f"/inventory/runs/{demo_run.pk}/export.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["years", "by_sector", "gpc", "factors", "rows"]
    gpc = list(book["gpc"].iter_rows(values_only=True))
    assert gpc[0][0].startswith("合成数据 SYNTHETIC")
    waste = next(r for r in gpc if r[1] == 2023 and r[3] == "waste")
    process = next(r for r in gpc if r[1] == 2023 and r[3] == "process")
    assert (waste[5], waste[6], process[5]) == ("NE", "NO", "NO")
    factors = [r[0] for r in book["factors"].iter_rows(min_row=3, values_only=True)]
    assert "sh-elec-2022" in factors


def test_template_download(client):
    response = client.get("/inventory/template.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "activity" in book.sheetnames


def test_upload_needs_the_permission(client, unit_user, office_admin, reference_loaded):
    assert client.get("/inventory/upload/").status_code == 403
    client.force_login(unit_user)
    assert client.get("/inventory/upload/").status_code == 403
    unit_user.user_permissions.add(Permission.objects.get(codename="add_activitydataset"))
    client.force_login(unit_user)
    assert client.get("/inventory/upload/").status_code == 200


def test_upload_through_the_ui(client, office_admin, reference_loaded, reference_plan):
    client.force_login(office_admin)
    bad = io.BytesIO(BAD)
    bad.name = "bad.csv"
    response = client.post("/inventory/upload/", {"name": "bad", "file": bad})
    html = response.content.decode()
    assert response.status_code == 400
    assert "bad.csv, row 4: field unit: &#x27;tonne oil&#x27; is not a known unit" in html
    assert "bad.csv, row 5:" in html
    assert ActivityDataset.objects.count() == 0
    good = io.BytesIO(GOOD)
    good.name = "good.csv"
    response = client.post(
        "/inventory/upload/", {"name": "good", "file": good, "electricity_series": "mee_nbs_average"}
    )
    assert response.status_code == 302
    run = InventoryRun.objects.get()
    assert run.electricity_series == "mee_nbs_average"
    assert response["Location"] == f"/inventory/?run={run.pk}"


def test_upload_requires_csrf(office_admin, reference_loaded):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(office_admin)
    good = io.BytesIO(GOOD)
    good.name = "good.csv"
    assert strict.post("/inventory/upload/", {"file": good}).status_code == 403


def test_plan_browser_shows_the_computed_intensity(client, demo_run):
    from carbonpeak.data import REFERENCE_PLAN
    from carbonpeak.io.plan import read_plan_file
    from carbonpeak.web.plan.services import plan_load

    plan_load(plan=read_plan_file(REFERENCE_PLAN).plan)
    html = client.get("/plan/", {"action": "", "deadline": "2025"}).content.decode()
    assert re.search(
        r'data-computed="energy_intensity_reduction_2025"[^>]*>'
        r"计算值 2024: 0\.\d{4} tce/万元 \(-\d+\.\d% 较 2020\)",
        html,
    )


def test_api(client, demo_run):
    latest = client.get("/api/inventory/runs/latest").json()
    assert latest["synthetic"] is True
    assert {"years", "factors_used", "table_versions"} <= set(latest)
    assert "energy_intensity" in client.get("/api/inventory/indicators").json()


def test_a_failed_upload_leaves_nothing_behind(client, office_admin, reference_loaded):
    client.force_login(office_admin)
    good = io.BytesIO(GOOD)
    good.name = "good.csv"
    response = client.post("/inventory/upload/", {"name": "x", "file": good, "electricity_series": "bogus"})
    assert response.status_code == 400
    assert "bogus" in response.content.decode()
    assert ActivityDataset.objects.count() == 0
    assert InventoryRun.objects.count() == 0
