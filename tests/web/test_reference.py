"""Reference data in the database: idempotent, versioned, atomic loads; pages and API."""

import pytest

from carbonpeak.core.errors import ReferenceDataError
from carbonpeak.io.reference import read_reference_data
from carbonpeak.web.reference import selectors
from carbonpeak.web.reference.models import ReferenceRow, ReferenceTableVersion
from carbonpeak.web.reference.services import ReferenceVersionConflictError, reference_data_load
from tests.conftest import edit_csv

pytestmark = pytest.mark.django_db


def bump(data_dir, table, version):
    manifest = data_dir / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    anchor = f"name: {table}\n"
    head, tail = text.split(anchor, 1)
    tail = tail.replace('version: "2026-11-25"', f'version: "{version}"', 1)
    manifest.write_text(head + anchor + tail, encoding="utf-8")


def test_load_is_idempotent(reference_loaded):
    assert len(reference_loaded.created) == 17
    rows = ReferenceRow.objects.count()
    assert rows == sum(v.row_count for v in ReferenceTableVersion.objects.all()) == 137
    again = reference_data_load(reference=read_reference_data(reference_loaded_dir()))
    assert again.created == []
    assert len(again.unchanged) == 17
    assert ReferenceRow.objects.count() == rows


def reference_loaded_dir():
    from carbonpeak.data import DATA_DIR

    return DATA_DIR


def test_a_new_version_is_kept_next_to_the_old(reference_loaded, data_copy):
    edit_csv(data_copy / "factors/heat.csv", ",0.06,tCO2/GJ", ",0.061,tCO2/GJ")
    bump(data_copy, "heat_emission_factors", "2026-12-01")
    result = reference_data_load(reference=read_reference_data(data_copy))
    assert result.created == ["heat_emission_factors 2026-12-01"]
    versions = selectors.table_versions(name="heat_emission_factors")
    assert [v.version for v in versions] == ["2026-12-01", "2026-11-25"]
    old, new = (ReferenceRow.objects.get(table_version=v, key="sh-heat-2022") for v in reversed(versions))
    assert (old.data["value"], new.data["value"]) == ("0.06", "0.061")


def test_changed_content_under_the_same_version_is_refused_and_nothing_is_stored(reference_loaded, data_copy):
    bump(data_copy, "regions", "2026-12-01")  # a legitimate new version, loaded before the conflict...
    edit_csv(data_copy / "factors/heat.csv", ",0.06,tCO2/GJ", ",0.061,tCO2/GJ")  # ...and a silent change
    before = ReferenceTableVersion.objects.count()
    with pytest.raises(
        ReferenceVersionConflictError,
        match=r"factors/heat\.csv: table heat_emission_factors version 2026-11-25 is already loaded",
    ):
        reference_data_load(reference=read_reference_data(data_copy))
    assert ReferenceTableVersion.objects.count() == before  # the regions version was rolled back too


def test_invalid_data_is_not_loaded(db, data_copy):
    edit_csv(data_copy / "factors/heat.csv", "0.06,tCO2/GJ", "0.06,GJ")
    with pytest.raises(ReferenceDataError, match=r"factors/heat\.csv, row 2, field unit"):
        reference_data_load(reference=read_reference_data(data_copy))
    assert ReferenceTableVersion.objects.count() == 0


def test_reference_pages_are_public(client, reference_loaded):
    index = client.get("/reference/").content.decode()
    assert "电力排放因子" in index
    assert "electricity_emission_factors" in index
    detail = client.get("/reference/electricity_emission_factors/")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "沪环气〔2022〕34号" in html
    assert 'class="evidence ev-X"' in html
    assert client.get("/reference/nope/").status_code == 404
    assert client.get("/reference/electricity_emission_factors/?version=1999-01-01").status_code == 404


def test_an_older_version_can_be_shown(client, reference_loaded, data_copy):
    edit_csv(data_copy / "factors/heat.csv", ",0.06,tCO2/GJ", ",0.061,tCO2/GJ")
    bump(data_copy, "heat_emission_factors", "2026-12-01")
    reference_data_load(reference=read_reference_data(data_copy))
    latest = client.get("/reference/heat_emission_factors/").content.decode()
    older = client.get("/reference/heat_emission_factors/?version=2026-11-25").content.decode()
    assert "0.061" in latest
    assert "0.061" not in older


def test_home_chart_compares_series_in_one_unit(reference_loaded):
    chart = selectors.electricity_factor_chart()
    assert chart["years"] == [2021, 2022, 2023]
    by_name = {(s["series"], s["region"]): s["data"] for s in chart["series"]}
    assert by_name[("shanghai", "CN-SH")] == [0.42, 0.42, 0.42]
    assert by_name[("mee_nbs_average", "CN")] == [0.5568, 0.5366, 0.5306]
    assert by_name[("mee_nbs_average", "CN-EAST")] == [0.5992, 0.5617, 0.55]


def test_summary_counts_evidence(reference_loaded):
    summary = selectors.library_summary()
    assert summary.row_count == 137
    # Counted from the 17 packaged CSVs (the original six plus the waste, credits, spatial, flex and LCA
    # tables), each row's evidence column.
    assert summary.evidence_counts == {"V": 34, "S": 45, "R": 22, "X": 36}


def test_openapi_schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "carbonpeak API"
    assert {
        "/api/health",
        "/api/reference/tables",
        "/api/reference/tables/{name}",
        "/api/reference/factor",
    } <= set(schema["paths"])


def test_api_tables(client, reference_loaded):
    tables = client.get("/api/reference/tables").json()
    assert {t["name"] for t in tables} == {
        "building_quotas",
        "waste_parameters",
        "credit_methodologies",
        "dr_baseline_rules",
        "dr_settlement_rules",
        "tou_tariffs",
        "regions",
        "electricity_emission_factors",
        "heat_emission_factors",
        "fuel_properties",
        "standard_coal_coefficients",
        "park_service_radii",
        "sink_rates",
        "lca_materials",
        "lca_densities",
        "lca_transport",
        "lca_machinery",
    }
    detail = client.get("/api/reference/tables/heat_emission_factors").json()
    assert detail["version"] == "2026-11-25"
    assert detail["rows"][0]["value"] == "0.06"
    assert client.get("/api/reference/tables/nope").status_code == 404


def test_api_factor_lookup(client):
    ok = client.get("/api/reference/factor", {"carrier": "electricity", "year": 2023})
    assert ok.status_code == 200
    assert (ok.json()["value"], ok.json()["unit"], ok.json()["evidence"]) == (4.2, "tCO2/万kWh", "V")
    gas = client.get("/api/reference/factor", {"carrier": "natural_gas", "year": 2023}).json()
    assert gas["region_fallback"] is True
    assert gas["components"]["oxidation_rate"] == 0.99
    missing = client.get(
        "/api/reference/factor", {"carrier": "electricity", "year": 2019, "series": "mee_nbs_average"}
    )
    assert missing.status_code == 404
    assert "year 2019" in missing.json()["detail"]
    assert client.get("/api/reference/factor", {"carrier": "electricity"}).status_code == 422


def test_api_health(client):
    assert client.get("/api/health").json()["status"] == "ok"
