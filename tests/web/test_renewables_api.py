"""The renewables API: registry lists with filters, computed indicator values, the substitution rate's
breakdown; every read needs a signed-in session; the endpoints are in the OpenAPI schema."""

from __future__ import annotations

import pytest

from tests.web.test_renewables import SITES_CSV, district, registries  # noqa: F401

pytestmark = pytest.mark.django_db

ENDPOINTS = (
    "/api/renewables/pv-installations",
    "/api/renewables/charging-sites",
    "/api/renewables/indicators",
    "/api/renewables/substitution",
)


def test_every_read_needs_a_session(client, registries):  # noqa: F811
    for url in ENDPOINTS:
        response = client.get(url)
        assert response.status_code == 401, url
        assert "PV-G1" not in response.content.decode()


def test_pv_installations_are_filtered(client, unit_user, registries):  # noqa: F811
    client.force_login(unit_user)  # any signed-in user may read (no permission needed to read)
    everything = client.get("/api/renewables/pv-installations").json()
    assert [p["id"] for p in everything] == ["PV-F1", "PV-G1", "PV-H1", "PV-S1"]
    assert everything[1] == {
        "id": "PV-G1",
        "building": "G1",
        "kind": "rooftop",
        "capacity_kwp": 100.0,
        "storage_kwh": 0.0,
        "commissioned": "2023-06-01",
        "owner": "区机管局",
        "synthetic": False,
    }

    def ids(**query):
        response = client.get("/api/renewables/pv-installations", query)
        assert response.status_code == 200
        return [p["id"] for p in response.json()]

    assert ids(building="H1") == ["PV-H1"]
    assert ids(kind="carport") == ["PV-S1"]
    assert ids(commissioned_year=2019) == ["PV-F1"]
    assert ids(kind="rooftop", commissioned_year=2023) == ["PV-G1"]
    assert ids(limit=2, offset=1) == ["PV-G1", "PV-H1"]
    assert ids(building="NOPE") == []
    assert client.get("/api/renewables/pv-installations", {"kind": "roof"}).status_code == 422


def test_charging_sites_are_filtered(client, unit_user, registries):  # noqa: F811
    client.force_login(unit_user)

    def ids(**query):
        response = client.get("/api/renewables/charging-sites", query)
        assert response.status_code == 200
        return [s["id"] for s in response.json()]

    assert ids() == ["C1", "C2", "L1", "L2", "T1"]
    assert ids(site_kind="parking_lot") == ["L1", "L2"]
    assert ids(access="dedicated") == ["C1", "T1"]
    assert ids(building="G1") == ["C1"]
    assert ids(commissioned_year=2024) == ["C2", "T1"]
    lot = client.get("/api/renewables/charging-sites", {"site_kind": "parking_lot"}).json()[0]
    assert (lot["parking_lot"], lot["fast_count"], lot["slow_count"], lot["ready_spaces"]) == (
        "滨江停车场",
        10,
        30,
        None,
    )
    assert client.get("/api/renewables/charging-sites", {"access": "private"}).status_code == 422


def test_computed_indicator_values(client, unit_user, registries):  # noqa: F811
    client.force_login(unit_user)
    values = client.get("/api/renewables/indicators").json()
    assert [(v["year"], v["value"], v["unit"]) for v in values["pv_capacity_added"]] == [
        (2021, 0.002, "万kW"),
        (2023, 0.01, "万kW"),
        (2025, 0.005, "万kW"),
    ]
    assert {(v["target"], v["value"]) for v in values["pv_roof_area_share_new_buildings"]} == {
        ("pv_roof_area_share_new_gov_school_factory", 50.0),
        ("pv_roof_area_share_new_other_public", 20.0),
    }
    assert all(v["target"] is None for v in values["public_dedicated_chargers_added"])
    assert "energy_intensity" not in values  # only the renewables indicators
    assert client.get("/api/renewables/substitution").json() == []  # no metered energy yet


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    for url in ENDPOINTS:
        assert url in schema["paths"], url
        operation = schema["paths"][url]["get"]
        assert operation["tags"] == ["renewables"]
        assert operation.get("security"), url  # a session is required
    parameters = {p["name"] for p in schema["paths"]["/api/renewables/pv-installations"]["get"]["parameters"]}
    assert {"building", "kind", "commissioned_year", "limit", "offset"} <= parameters
